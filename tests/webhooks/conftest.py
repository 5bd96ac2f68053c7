"""An emulator with base_automation installed, a connection to it and a served Receiver."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest

import odoorm
from odoorm import fields, webhooks
from odoorm.testing import Emulator, automation
from odoorm.transport.base import MockTransport, RecordingTransport

NOW = "2030-01-01 09:00:00"


class Country(odoorm.Model):
    _name = "res.country"
    name = fields.Char()
    code = fields.Char()


class Partner(odoorm.Model):
    _name = "res.partner"
    name = fields.Char(required=True)
    is_company = fields.Boolean()
    country = fields.Many2one(Country, source="country_id")
    write_date = fields.Datetime(readonly=True)


@pytest.fixture
def odoo() -> Iterator[Emulator]:
    with Emulator(version=18, now=NOW) as emu:
        yield emu


@pytest.fixture
def conn(odoo: Emulator) -> Iterator[Any]:
    connection = odoorm.connect(
        odoo.url, db=odoo.db, user=odoo.login, password=odoo.password, default=False
    )
    webhooks.install_base_automation(connection)
    yield connection
    connection.close()


@pytest.fixture
def token() -> str:
    return secrets.token_urlsafe(32)


@pytest.fixture
def receiver(token: str, conn: Any) -> webhooks.Receiver:
    return webhooks.Receiver(token, models=(Partner,), conn=conn)


@pytest.fixture
def served(receiver: webhooks.Receiver) -> Iterator[webhooks.ServerHandle]:
    with receiver.serve() as handle:
        yield handle


def sent(odoo: Emulator) -> list[dict[str, Any]]:
    """What the emulator POSTed so far (after the queued POSTs were made)."""
    box = automation.outbox(odoo.database)
    box.join()
    return [payload for _, payload in box.sent]


def offline(version: int = 18) -> tuple[Any, RecordingTransport]:
    """A connection whose every call fails the test: proves nothing was sent."""

    def refuse(call: Any) -> Any:
        raise AssertionError(f"unexpected call {call.model}.{call.method}")

    rec = RecordingTransport(MockTransport(refuse))
    return odoorm.connect(transport=rec, version=f"{version}.0", default=False), rec
