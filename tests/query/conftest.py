"""Fixtures for the QuerySet tests: a connection over an injected transport.

``odoo`` is an in-process emulator database (``odoorm.testing.orm.Database``)
answering the calls directly (no HTTP); ``rec`` records every call so tests
pin call counts and payloads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from odoorm import session
from odoorm.transport.base import MockTransport, RecordingTransport, RPCCall

RECORDINGS = Path(__file__).resolve().parents[2] / ".." / "shared" / "recordings"


@pytest.fixture(autouse=True)
def _no_default_connection() -> Iterator[None]:
    session.set_default_connection(None)
    yield
    session.set_default_connection(None)


def emulator_handler(db: Any, uid: int = 2) -> Callable[[RPCCall], Any]:
    """Hand each call to the emulator core with JSON-2 semantics (named arguments);
    ``conn.execute()`` calls with positional arguments with execute_kw semantics."""

    def handle(call: RPCCall) -> Any:
        if call.args:
            ids = [list(call.ids)] if call.ids is not None else []
            kwargs = dict(call.kwargs)
            if call.context:
                kwargs["context"] = dict(call.context)
            return db.execute(uid, call.model, call.method, [*ids, *call.args], kwargs)
        body = dict(call.kwargs)
        if call.ids is not None:
            body["ids"] = list(call.ids)
        if call.context:
            body["context"] = dict(call.context)
        return db.call_json2(uid, call.model, call.method, body)

    return handle


def _seed(version: int) -> Path:
    path = (RECORDINGS / f"odoo{version}" / "seed.json").resolve()
    if not path.is_file():
        pytest.skip(f"recordings not available ({path})")
    return path


def make_conn(version: int = 18, data: Any = None, *, default: bool = False) -> Any:
    from odoorm.testing.orm import Database

    db = Database(version=version, data=data if data is not None else str(_seed(version)))
    rec = RecordingTransport(MockTransport(emulator_handler(db)))
    conn = session.connect(transport=rec, version=f"{version}.0", default=default)
    return conn, rec, db


@pytest.fixture
def odoo() -> Iterator[tuple[Any, RecordingTransport, Any]]:
    """(connection, recorder, emulator database) on Odoo 18 seed data."""
    conn, rec, db = make_conn(18)
    yield conn, rec, db
    conn.close()


@pytest.fixture
def odoo19() -> Iterator[tuple[Any, RecordingTransport, Any]]:
    conn, rec, db = make_conn(19)
    yield conn, rec, db
    conn.close()


@pytest.fixture
def scripted() -> Iterator[Callable[..., tuple[Any, RecordingTransport]]]:
    """A connection whose server answers from ``answers`` (method -> value or callable)."""
    opened = []

    def build(answers: dict[str, Any] | None = None, version: int = 18) -> tuple[Any, Any]:
        answers = answers or {}

        def handle(call: RPCCall) -> Any:
            answer = answers.get(call.method, [])
            return answer(call) if callable(answer) else answer

        rec = RecordingTransport(MockTransport(handle))
        conn = session.connect(transport=rec, version=f"{version}.0", default=False)
        opened.append(conn)
        return conn, rec

    yield build
    for conn in opened:
        conn.close()
