"""Fixtures shared by the whole test suite (keep generic; feature fixtures live
next to their tests)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RECORDINGS = REPO / ".." / "shared" / "recordings"

#: ``ODOORM_TEST_NOW="2031-06-15 08:00:00"`` runs the suite with the machine's clock moved
#: there (UTC, ticking): tests/test_clock_independence.py uses it to prove that no test
#: depends on the day it runs.
SHIFTED_NOW = os.environ.get("ODOORM_TEST_NOW")


def shifted_instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


def pytest_configure(config: pytest.Config) -> None:
    if SHIFTED_NOW:
        import time_machine  # a test extra, needed only for the shifted run

        time_machine.travel(shifted_instant(SHIFTED_NOW), tick=True).start()


@pytest.fixture(scope="session")
def recordings_dir() -> Path:
    """``<repo>/../shared/recordings``; the test is skipped when it is absent."""
    if not RECORDINGS.is_dir():
        pytest.skip("recordings of real Odoo exchanges not available (../shared/recordings)")
    return RECORDINGS.resolve()
