"""Fixtures shared by the whole test suite (keep generic; feature fixtures live
next to their tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RECORDINGS = REPO / ".." / "shared" / "recordings"


@pytest.fixture(scope="session")
def recordings_dir() -> Path:
    """``<repo>/../shared/recordings``; the test is skipped when it is absent."""
    if not RECORDINGS.is_dir():
        pytest.skip("recordings of real Odoo exchanges not available (../shared/recordings)")
    return RECORDINGS.resolve()
