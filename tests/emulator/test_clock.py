"""The emulator's clock: pinned by ``Emulator(now=...)``, moved by hand, or the machine's."""

from __future__ import annotations

import datetime as dt
import xmlrpc.client

import pytest

from odoorm.testing import Clock, Emulator
from odoorm.testing.orm import Database

UTC = dt.timezone.utc


def test_a_pinned_clock_is_frozen_until_moved():
    clock = Clock("2026-12-31 23:59:30")
    assert clock.now() == dt.datetime(2026, 12, 31, 23, 59, 30, tzinfo=UTC)
    assert clock.now() == clock.now()
    assert clock.advance(seconds=45) == dt.datetime(2027, 1, 1, 0, 0, 15, tzinfo=UTC)
    assert clock.odoo_now() == "2027-01-01 00:00:15"
    assert clock.today() == dt.date(2027, 1, 1)
    clock.set(dt.date(2028, 2, 29))
    assert clock.odoo_now() == "2028-02-29 00:00:00"


def test_times_are_taken_in_utc():
    paris = dt.timezone(dt.timedelta(hours=1))
    assert Clock(dt.datetime(2027, 1, 1, 0, 30, tzinfo=paris)).odoo_now() == "2026-12-31 23:30:00"
    assert Clock(dt.datetime(2027, 1, 1, 0, 30)).odoo_now() == "2027-01-01 00:30:00"  # naive: UTC


def test_a_ticking_clock_runs_from_its_start(monkeypatch):
    ticks = iter([100.0, 100.0, 107.5])
    monkeypatch.setattr("odoorm.testing.clock.time.monotonic", lambda: next(ticks))
    clock = Clock("2030-01-01 09:00:00", tick=True)
    assert clock.odoo_now() == "2030-01-01 09:00:00"
    assert clock.odoo_now() == "2030-01-01 09:00:07"


def test_the_default_clock_follows_the_machine_and_cannot_be_advanced():
    clock = Clock()
    assert not clock.pinned
    before = dt.datetime.now(UTC)
    assert before - dt.timedelta(seconds=1) <= clock.now() <= dt.datetime.now(UTC)
    with pytest.raises(RuntimeError, match=r"pin it first with Emulator\(now=...\)"):
        clock.advance(minutes=1)
    clock.set("2030-01-01")
    assert clock.pinned
    clock.release()
    assert not clock.pinned


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("yesterday", ValueError, "'yesterday' is not a date or datetime"),
        (1767225600, TypeError, "got int"),
    ],
)
def test_a_bad_start_says_what_to_write(value, error, message):
    with pytest.raises(error, match=message):
        Clock(value)
    with pytest.raises(ValueError, match="needs a start"):
        Clock(tick=True)


def test_emulator_now_stamps_records_and_defaults():
    with Emulator(version=18, now="2026-11-30 23:59:58") as odoo:
        models = xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/object")
        call = lambda *args, **kw: models.execute_kw(  # noqa: E731
            odoo.db, 2, odoo.api_key, *args, kw
        )
        partner = call("res.partner", "create", [{"name": "Clocked"}])
        odoo.clock.advance(seconds=5)  # into December
        order = call("sale.order", "create", [{"partner_id": partner}])
        (row,) = call("res.partner", "read", [partner], fields=["create_date", "write_date"])
        assert row == {"id": partner, "create_date": "2026-11-30 23:59:58",
                       "write_date": "2026-11-30 23:59:58"}  # fmt: skip
        (sale,) = call("sale.order", "read", [order], fields=["date_order", "create_date"])
        assert sale["date_order"] == sale["create_date"] == "2026-12-01 00:00:03"
        models("close")()


def test_database_and_given_store_take_the_clock_too():
    db = Database(version=17, data=None, now=dt.datetime(2031, 6, 15, 8, 0, tzinfo=UTC))
    assert db.now() == "2031-06-15 08:00:00"
    shared = Clock("2027-02-28 12:00:00")
    emulator = Emulator(version=17, database=db, now=shared)
    assert emulator.clock is shared and db.now() == "2027-02-28 12:00:00"
    assert repr(shared) == "<Clock frozen at 2027-02-28 12:00:00 UTC>"
