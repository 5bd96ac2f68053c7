"""A third-party client's own live test suite, run against the emulator and a real server.

    python benchmarks/peer_suite.py /path/to/odoorpc --version 17 \\
        [--real http://127.0.0.1:8017 --db o17_peer] [--only test_db test_model] [--json out.json]

The suite is not part of odoorm: get OCA/odoorpc yourself
(``git clone https://github.com/OCA/odoorpc``) and pass the checkout. Any unittest-style
live suite configured like odoorpc's (``ORPC_TEST_PROTOCOL``, ``ORPC_TEST_HOST``,
``ORPC_TEST_PORT``, ``ORPC_TEST_DB``, ``ORPC_TEST_USER``, ``ORPC_TEST_PWD``,
``ORPC_TEST_SUPER_PWD``, ``ORPC_TEST_VERSION``) works: ``--tests`` names the folder that
holds its test modules (default ``odoorpc/tests``).

The script starts the emulator over HTTP (demo data, master password ``admin``), runs the
suite against it in a child process (the checkout goes first on ``sys.path``, so its own
client is the one tested) and, with ``--real``, runs it again against that server. The real
suite writes and creates/drops databases: give it a database of its own. It prints one row
per test (``pass``, ``fail``, ``error``, ``skip`` on each side) and the totals: passed on
both, on the real server only, on the emulator only, failed on both. It is never run by CI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from odoorm.testing import Emulator

#: runs in the child: one JSON line per test, ``{"id", "outcome", "detail"}``
_DRIVER = r"""
import json, sys, unittest

class Result(unittest.TestResult):
    def _out(self, test, outcome, detail=""):
        print(json.dumps({"id": test.id(), "outcome": outcome, "detail": detail[-600:]}),
              file=sys.__stdout__, flush=True)
    def addSuccess(self, test):
        self._out(test, "pass")
    def addFailure(self, test, err):
        self._out(test, "fail", self._exc_info_to_string(err, test))
    def addError(self, test, err):
        self._out(test, "error", self._exc_info_to_string(err, test))
    def addSkip(self, test, reason):
        self._out(test, "skip", reason)
    def addExpectedFailure(self, test, err):
        self._out(test, "pass")
    def addUnexpectedSuccess(self, test):
        self._out(test, "fail", "unexpected success")

start, top, patterns = sys.argv[1], sys.argv[2], sys.argv[3:]
suite = unittest.defaultTestLoader.discover(start, top_level_dir=top)
def wanted(test):
    return not patterns or any(p in test.id() for p in patterns)
def flat(s):
    for t in s:
        if isinstance(t, unittest.TestSuite):
            yield from flat(t)
        else:
            yield t
chosen = unittest.TestSuite([t for t in flat(suite) if wanted(t)])
chosen.run(Result())
"""


def run_suite(
    checkout: Path, tests: str, env: dict[str, str], only: list[str], timeout: float
) -> dict[str, tuple[str, str]]:
    """test id -> (outcome, detail) of one run of the suite against ``env``'s server."""
    child_env = {**os.environ, **env, "PYTHONPATH": str(checkout)}
    with tempfile.TemporaryDirectory() as home:
        child_env["HOME"] = home  # odoorpc's session file (~/.odoorpcrc) stays out of $HOME
        proc = subprocess.run(
            [sys.executable, "-c", _DRIVER, str(checkout / tests), str(checkout), *only],
            cwd=checkout,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    found: dict[str, tuple[str, str]] = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            found[row["id"]] = (row["outcome"], row["detail"])
    if not found:
        sys.stderr.write(proc.stderr[-3000:])
    return found


def suite_env(url: str, db: str, version: int, protocol: str, password: str) -> dict[str, str]:
    parts = urlsplit(url)
    return {
        "ORPC_TEST_PROTOCOL": protocol,
        "ORPC_TEST_HOST": parts.hostname or "127.0.0.1",
        "ORPC_TEST_PORT": str(parts.port or 80),
        "ORPC_TEST_DB": db,
        "ORPC_TEST_USER": "admin",
        "ORPC_TEST_PWD": password,
        "ORPC_TEST_SUPER_PWD": "admin",
        "ORPC_TEST_VERSION": f"{version}.0",
    }


def short(test_id: str) -> str:
    return test_id.split(".tests.", 1)[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="path of an OCA/odoorpc checkout")
    parser.add_argument("--tests", default="odoorpc/tests", help="folder of the test modules")
    parser.add_argument("--version", type=int, default=17, choices=(16, 17, 18, 19))
    parser.add_argument("--protocol", default="jsonrpc")
    parser.add_argument("--real", help="URL of a real Odoo server of the same version")
    parser.add_argument("--db", help="database of the real server (the suite writes to it)")
    parser.add_argument("--real-password", default="admin", help="admin's password there")
    parser.add_argument("--only", nargs="*", default=[], help="run tests whose id has these")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    if not (args.checkout / args.tests).is_dir():
        parser.error(f"{args.checkout / args.tests} is not a folder: pass an odoorpc checkout")

    results: dict[str, dict[str, tuple[str, str]]] = {}
    with Emulator(version=args.version, db=f"o{args.version}_peer", login_cooldown=False) as emu:
        env = suite_env(emu.url, emu.db, args.version, args.protocol, emu.password)
        results["emulator"] = run_suite(args.checkout, args.tests, env, args.only, args.timeout)
    if args.real:
        if not args.db:
            parser.error("--real needs --db (a database the suite may write to)")
        env = suite_env(args.real, args.db, args.version, args.protocol, args.real_password)
        results["real"] = run_suite(args.checkout, args.tests, env, args.only, args.timeout)

    sides = [s for s in ("real", "emulator") if s in results]
    ids = sorted({t for side in results.values() for t in side})
    width = max((len(short(t)) for t in ids), default=10)
    print(f"odoo {args.version} / {args.protocol}")
    print(f"{'test':<{width}}  " + "  ".join(f"{s:<8}" for s in sides))
    totals: Counter[str] = Counter()
    for t in ids:
        outcomes = [results[s].get(t, ("missing", ""))[0] for s in sides]
        print(f"{short(t):<{width}}  " + "  ".join(f"{o:<8}" for o in outcomes))
        if len(sides) == 2:
            real_ok, emu_ok = (o in ("pass", "skip") for o in outcomes)
            key = {
                (True, True): "passed on both",
                (True, False): "real only",
                (False, True): "emulator only",
                (False, False): "failed on both",
            }[(real_ok, emu_ok)]
            totals[key] += 1
        for side, outcome in zip(sides, outcomes, strict=True):
            totals[f"{side}: {outcome}"] += 1
    print()
    for key in sorted(totals):
        print(f"{key:<20} {totals[key]}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
