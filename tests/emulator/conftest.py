"""Emulator tests: prints the conformance pass rate per protocol and version."""

from __future__ import annotations

from collections import defaultdict

import pytest

_CONFORMANCE = "test_conformance.py::test_exchange["
# (version, protocol) -> [passed, total]
_RATES: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _CONFORMANCE not in report.nodeid:
        return
    if report.when == "setup" and report.skipped and not hasattr(report, "wasxfail"):
        return  # recordings absent
    if report.when != "call" and not (report.when == "setup" and report.failed):
        return
    case = report.nodeid.split("[", 1)[1].rstrip("]")
    version, _, rest = case.partition("-")
    protocol = rest.split("-")[1] if rest.count("-") >= 2 else "?"
    entry = _RATES[(version, protocol)]
    entry[1] += 1
    if report.passed:  # an XPASS (known gap since fixed) conforms too
        entry[0] += 1


def pytest_terminal_summary(terminalreporter) -> None:
    if not _RATES:
        return
    tr = terminalreporter
    tr.write_sep("=", "emulator conformance with recorded real Odoo exchanges")
    for version in sorted({v for v, _ in _RATES}):
        rows = {p: _RATES[(v, p)] for v, p in _RATES if v == version}
        passed = sum(r[0] for r in rows.values())
        total = sum(r[1] for r in rows.values())
        cells = "  ".join(f"{p} {r[0]}/{r[1]}" for p, r in sorted(rows.items()))
        tr.write_line(
            f"Odoo {version}: {passed}/{total} ({100.0 * passed / max(total, 1):.1f}%)  {cells}"
        )
