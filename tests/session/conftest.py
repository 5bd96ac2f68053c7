"""Fixtures for the connection tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from odoorm import session
from odoorm.transport.base import MockTransport, RecordingTransport, RPCCall

ODOO_ENV = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD", "ODOO_API_KEY", "ODOO_PROTOCOL")


@pytest.fixture(autouse=True)
def no_default_connection() -> Iterator[None]:
    """Each test starts and ends without a default connection."""
    session.set_default_connection(None)
    yield
    session.set_default_connection(None)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No ODOO_* variable from the developer's shell leaks into the test."""
    for name in ODOO_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def echo(call: RPCCall) -> dict[str, Any]:
    """A fake server that answers with what it was asked."""
    return {
        "model": call.model,
        "method": call.method,
        "ids": call.ids,
        "args": call.args,
        "kwargs": dict(call.kwargs),
        "context": dict(call.context),
    }


@pytest.fixture
def recorder() -> RecordingTransport:
    return RecordingTransport(MockTransport(echo))


@pytest.fixture
def conn(recorder: RecordingTransport) -> Iterator[session.Connection]:
    c = session.connect(transport=recorder, default=False)
    yield c
    c.close()
