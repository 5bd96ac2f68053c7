"""Fixtures for the models tests: an in-process emulator database behind a
RecordingTransport (no HTTP), so tests pin exactly which calls are made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import odoorm.models  # noqa: F401  (registers conn.env)
from odoorm.session import connect
from odoorm.transport.base import MockTransport, RecordingTransport, RPCCall

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "recordings" / "odoo18" / "seed.json"


def make_database(version: int = 18) -> Any:
    orm = pytest.importorskip("odoorm.testing.orm")
    try:
        return orm.Database(version=version, data="demo")
    except ImportError:  # demo data not there yet: the recorded seed will do
        if not SEED.is_file():
            pytest.skip("no emulator demo data and no recordings seed.json")
        return orm.Database(version=version, data=str(SEED))


def in_process(db: Any) -> MockTransport:
    """A transport that hands each call straight to the emulator's Database."""

    def handler(call: RPCCall) -> Any:
        args: list[Any] = list(call.args)
        if call.ids is not None:
            args.insert(0, list(call.ids))
        kwargs = dict(call.kwargs)
        if call.context:
            kwargs["context"] = dict(call.context)
        return db.execute(db.uid, call.model, call.method, args, kwargs)

    return MockTransport(handler, uid=db.uid)


@pytest.fixture
def db() -> Any:
    return make_database()


@pytest.fixture
def rec(db: Any) -> RecordingTransport:
    return RecordingTransport(in_process(db))


@pytest.fixture
def conn(rec: RecordingTransport) -> Any:
    c = connect(transport=rec, check_schema=False, default=True)
    rec.reset()
    yield c
    c.close()
