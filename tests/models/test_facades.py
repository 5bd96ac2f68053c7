"""Notebook/polling façades on QuerySet and Model, Odoo's automatic fields in
queries, and BulkCreateError's public home."""

from __future__ import annotations

import datetime as dt

import pytest

import odoorm.exceptions
from odoorm import fields
from odoorm.aggregates import Count
from odoorm.exceptions import FieldError, ReadonlyError
from odoorm.models import Model
from odoorm.testing.clock import Clock

from .demo_models import Country, Partner


class Category(Model):
    """No write_date / create_date / write_uid declared: Odoo has them anyway."""

    _name = "res.partner.category"
    name = fields.Char()


@pytest.fixture
def clock(db):
    machine, pinned = db.clock, Clock("2030-01-01 09:00:00")
    db.clock = pinned
    yield pinned
    db.clock = machine


def test_order_by_and_filter_on_undeclared_automatic_fields(conn, rec, clock):
    first = Category.objects.create(name="auto-a")
    clock.set("2030-01-01 09:00:05")
    second = Category.objects.create(name="auto-b")
    first.name = "auto-a2"  # rewritten later: now the newest write
    clock.set("2030-01-01 09:00:09")
    first.save()
    qs = Category.objects.filter(name__startswith="auto-")
    rec.reset()
    with rec.expect_calls(1) as made:
        newest_first = list(qs.order_by("-write_date", "id"))
    assert made[0].kwargs["order"] == "write_date desc, id"
    assert newest_first == [first, second]
    assert list(qs.order_by("create_date")) == [first, second]
    early = qs.filter(create_date__lt=dt.datetime(2030, 1, 1, 9, 0, 3, tzinfo=dt.timezone.utc))
    assert list(early) == [first]
    assert list(qs.filter(write_uid__login="admin").order_by("id")) == [first, second]
    stamps = dict(qs.values_list("name", "write_date"))
    assert stamps["auto-b"] == dt.datetime(2030, 1, 1, 9, 0, 5, tzinfo=dt.timezone.utc)


def test_automatic_fields_are_not_record_attributes_or_writable(conn):
    with pytest.raises(ReadonlyError, match="set by the server"):
        Category(name="x", write_date=dt.datetime(2030, 1, 1))
    with pytest.raises(ReadonlyError):
        Category.objects.filter(name="nothing").update(write_date=dt.datetime(2030, 1, 1))
    with pytest.raises(FieldError, match="not stored"):
        Category.objects.order_by("display_name")
    assert Category.objects.filter(display_name__ilike="x").domain  # display_name filters fine
    with pytest.raises(FieldError, match="did you mean"):
        Category.objects.order_by("write_dat")


def test_changed_since_facade(conn, rec, clock):
    clock.set("2030-02-01 00:00:00")
    Category.objects.create(name="since-a")
    qs = Category.objects.filter(name__startswith="since-").changed_since(
        dt.datetime(2030, 1, 31, 23, 59, 59)
    )
    assert ("write_date", ">=", "2030-01-31 23:59:59") in qs.domain
    assert qs._order_string() == "write_date, id"
    rec.reset()
    with rec.expect_calls(1):
        assert [c.name for c in qs] == ["since-a"]


def test_watch_facade(conn, clock):
    Category.objects.create(name="watch-x")
    naps: list[float] = []
    batches = list(
        Category.objects.filter(name__startswith="watch-").watch(
            interval=3, max_polls=2, sleep=naps.append
        )
    )
    assert naps == [3] and [[c.name for c in b] for b in batches] == [["watch-x"]]
    cursor = batches[0].cursor.to_json()
    again = list(
        Category.objects.filter(name__startswith="watch-").watch(cursor=cursor, max_polls=1)
    )
    assert again == []


def test_pivot_facade_is_one_read_group(conn, rec):
    pytest.importorskip("pandas")
    rec.reset()
    with rec.expect_calls(1) as made:
        table = Partner.objects.filter(country__isnull=False).pivot("country", values=Count())
    assert made[0].method in ("read_group", "formatted_read_group")
    assert table["value"].sum() == Partner.objects.filter(country__isnull=False).count()


def test_record_repr_html(conn):
    p = Partner.objects.get(id=7)
    html = p._repr_html_()
    assert "Partner(7)" in html and "res.partner" in html and "<table>" in html
    assert "&lt;" not in Country(name="<b>").to_dict()["name"]  # to_dict stays raw
    assert "&lt;b&gt;" in Country(name="<b>")._repr_html_()


def test_bulk_create_error_lives_in_exceptions():
    from odoorm.query.writes import BulkCreateError

    assert BulkCreateError is odoorm.exceptions.BulkCreateError
    assert issubclass(BulkCreateError, odoorm.exceptions.OdoormError)
