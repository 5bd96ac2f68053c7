"""No test depends on the day it runs: the date-sensitive tests pass under shifted clocks.

The suite once broke with the calendar (records created during a replay fell in a month
the recording did not have). This runs the date-sensitive part of the suite again in a
subprocess whose clock is moved (``ODOORM_TEST_NOW``, applied by tests/conftest.py with
time-machine, and inside the notebook's kernel by tests/test_notebook.py) to a year's
last seconds, a February end and a date years ahead.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from conftest import REPO, SHIFTED_NOW, shifted_instant

#: the tests that read dates: replays of recorded exchanges, polling cursors, automatic
#: timestamps, date lookups and groups, the docs' examples and the worked notebook
DATE_SENSITIVE = (
    "tests/emulator/test_conformance.py",
    "tests/emulator/test_orm_fidelity.py",
    "tests/emulator/test_orm_read_group.py",
    "tests/test_polling.py",
    "tests/models/test_facades.py",
    "tests/query/test_aggregates.py",
    "tests/query/test_emulator.py",
    "tests/query/test_django_parity.py",
    "tests/reports",
    "tests/webhooks",
    "tests/domain/test_compile.py",
    "tests/domain/test_lookups.py",
    "tests/test_docs.py",
    "tests/test_notebook.py",
    "tests/test_clock_independence.py::test_the_shifted_clock_is_in_force",
)
SHIFTED_CLOCKS = ("2026-12-31 23:59:30", "2027-02-28 12:00:00", "2031-06-15 08:00:00")


@pytest.mark.skipif(bool(SHIFTED_NOW), reason="already inside a shifted run")
@pytest.mark.parametrize("when", SHIFTED_CLOCKS)
def test_date_sensitive_tests_pass_under_a_shifted_clock(when: str) -> None:
    pytest.importorskip("time_machine")
    env = {**os.environ, "ODOORM_TEST_NOW": when}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *DATE_SENSITIVE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = "\n".join(run.stdout.splitlines()[-40:])
    assert run.returncode == 0, f"with the clock at {when} UTC:\n{tail}\n{run.stderr[-2000:]}"
    assert " passed" in tail.splitlines()[-1]


@pytest.mark.skipif(not SHIFTED_NOW, reason="runs inside the shifted run only")
def test_the_shifted_clock_is_in_force() -> None:
    assert SHIFTED_NOW is not None
    moved = shifted_instant(SHIFTED_NOW)
    now = dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(0) <= now - moved < dt.timedelta(minutes=30)
