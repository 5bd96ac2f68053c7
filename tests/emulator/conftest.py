"""Emulator tests: prints the conformance pass rate per protocol and version."""

from __future__ import annotations

from collections import defaultdict

import pytest

#: test function -> the corpus it replays
_CORPORA = {
    "test_conformance.py::test_exchange[": "recordings",
    "test_conformance.py::test_strict_exchange[": "recordings-strict",
}
# (corpus, version, protocol) -> [passed, total]
_RATES: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    corpus = next((c for marker, c in _CORPORA.items() if marker in report.nodeid), None)
    if corpus is None:
        return
    if report.when == "setup" and report.skipped and not hasattr(report, "wasxfail"):
        return  # recordings absent
    if report.when != "call" and not (report.when == "setup" and report.failed):
        return
    case = report.nodeid.split("[", 1)[1].rstrip("]")
    version, _, rest = case.partition("-")
    version = version.removeprefix("strict")
    protocol = rest.split("-")[1] if rest.count("-") >= 2 else "?"
    entry = _RATES[(corpus, version, protocol)]
    entry[1] += 1
    if report.passed:  # an XPASS (known gap since fixed) conforms too
        entry[0] += 1


def pytest_terminal_summary(terminalreporter) -> None:
    if not _RATES:
        return
    tr = terminalreporter
    for corpus in sorted({c for c, _, _ in _RATES}):
        tr.write_sep("=", f"emulator conformance with real Odoo exchanges: {corpus}")
        for version in sorted({v for c, v, _ in _RATES if c == corpus}, key=int):
            rows = {p: _RATES[(c, v, p)] for c, v, p in _RATES if c == corpus and v == version}
            passed = sum(r[0] for r in rows.values())
            total = sum(r[1] for r in rows.values())
            cells = "  ".join(f"{p} {r[0]}/{r[1]}" for p, r in sorted(rows.items()))
            rate = 100.0 * passed / max(total, 1)
            tr.write_line(f"Odoo {version}: {passed}/{total} ({rate:.1f}%)  {cells}")
