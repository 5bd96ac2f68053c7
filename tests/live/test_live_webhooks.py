"""Opt-in: webhooks from a REAL Odoo 17+ server reach a Receiver as one event each.

Skipped unless ``ODOO_URL`` is set (same variables as ``test_live_odoo.py``) and
(except the Odoo 16 check) ``ODOORM_WEBHOOK_HOST`` names the address at which the
Odoo server can reach this machine (e.g. ``host.docker.internal`` or a LAN address)::

    ODOO_URL=http://127.0.0.1:8069 ODOO_DB=mydb ODOO_USER=admin ODOO_PASSWORD=admin \\
    ODOORM_WEBHOOK_HOST=172.17.0.1 python -m pytest -q tests/live/test_live_webhooks.py

``ODOORM_WEBHOOK_PORT`` picks the receiver's port (default: any free one).
The user needs the Settings rights; ``base_automation`` must be installed,
or set ``ODOORM_LIVE_INSTALL_MODULES=1`` to let the test install it. What is
written (a hook and partners named ``odoorm-live-...``) is removed again.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import odoorm
from odoorm import fields, webhooks
from odoorm.polling import Cursor

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not os.environ.get("ODOO_URL"), reason="ODOO_URL is not set"),
]

PREFIX = "odoorm-live-"


class LivePartner(odoorm.Model):
    _name = "res.partner"
    name = fields.Char(required=True)
    is_company = fields.Boolean()
    write_date = fields.Datetime(readonly=True)


@pytest.fixture(scope="module")
def conn() -> Iterator[Any]:
    connection = odoorm.connect(default=False)
    yield connection
    connection.close()


@pytest.fixture
def receiver(conn: Any) -> Iterator[tuple[webhooks.Receiver, str]]:
    if not os.environ.get("ODOORM_WEBHOOK_HOST"):
        pytest.skip("ODOORM_WEBHOOK_HOST (where the Odoo server reaches this machine) is not set")
    if conn.version.major < 17:
        pytest.skip("webhooks need Odoo 17+")
    if not _automation(conn):
        pytest.skip("base_automation is not installed (ODOORM_LIVE_INSTALL_MODULES=1 installs it)")
    token = secrets.token_urlsafe(32)
    receiver = webhooks.Receiver(token, models=(LivePartner,), conn=conn)
    handle = receiver.serve("0.0.0.0", int(os.environ.get("ODOORM_WEBHOOK_PORT") or 0))
    url = f"http://{os.environ['ODOORM_WEBHOOK_HOST']}:{handle.port}/odoo/{token}"
    yield receiver, url
    handle.stop()


def _automation(conn: Any) -> bool:
    if conn.execute("ir.model", "search_count", [("model", "=", "base.automation")]):
        return True
    if os.environ.get("ODOORM_LIVE_INSTALL_MODULES") == "1":
        webhooks.install_base_automation(conn)
        return True
    return False


def test_a_created_partner_reaches_the_receiver_as_exactly_one_event(conn, receiver):
    rec, url = receiver
    name = f"{PREFIX}{uuid.uuid4().hex[:8]}"
    hook = webhooks.install(
        LivePartner.objects.using(conn).filter(name__startswith=PREFIX), url, name=name, conn=conn
    )
    partner = None
    try:
        partner = LivePartner.objects.using(conn).create(name=name, is_company=True)
        mine = []
        for event in rec.events(timeout=5):  # ends 5 s after the last event
            if event.id == partner.id:
                mine.append(event)
        assert len(mine) == 1, f"{len(mine)} events, {rec.duplicates} duplicates dropped"
        (event,) = mine
        assert event.record is partner and event.values["name"] == name
        assert event.hook == name and event.write_date is not None
        # real Odoo repeats the POST (13-14 for a create): rec.duplicates counts them
    finally:
        hook.remove()
        if partner is not None:
            partner.delete()
    assert name not in {h.name for h in webhooks.installed(conn)}


def test_a_write_is_one_more_event_and_watch_delivers_it_once(conn, receiver):
    rec, url = receiver
    name = f"{PREFIX}{uuid.uuid4().hex[:8]}"
    # this test's partner only: what an earlier run left behind must not be polled
    qs = LivePartner.objects.using(conn).filter(name__startswith=name)
    partner = LivePartner.objects.using(conn).create(name=name)
    hook = webhooks.install(qs, url, on="write", name=name, conn=conn)
    try:
        start = Cursor.since(partner.refresh().write_date)
        batches = webhooks.watch(qs, rec, cursor=start, interval=30)
        assert [p.id for p in next(batches)] == [partner.id]  # the first poll
        partner.name = name + "-renamed"
        partner.save()
        batch = next(batches)  # woken by the webhook (or the 30 s poll)
        assert [(p.id, p.name) for p in batch] == [(partner.id, name + "-renamed")]
    finally:
        hook.remove()
        partner.delete()


def test_odoo_16_says_why_it_cannot(conn):
    if conn.version.major >= 17:
        pytest.skip("an Odoo 16 server shows this")
    with pytest.raises(webhooks.WebhooksUnavailable, match="cannot send webhooks"):
        webhooks.install(LivePartner, "https://example.com/odoo/x", conn=conn)
