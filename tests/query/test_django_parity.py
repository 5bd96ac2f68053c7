"""Django QuerySet names with their Django meaning, one call where Django runs one query."""

from __future__ import annotations

import datetime as dt

import pytest

from odoorm import fields
from odoorm.domain import Q
from odoorm.domain.expressions import F
from odoorm.exceptions import FieldError, ObjectDoesNotExist
from odoorm.models import Model
from odoorm.session import connect
from odoorm.transport import RecordingTransport


class JCountry(Model):
    _name = "res.country"

    name = fields.Char()
    code = fields.Char()


class JPartner(Model):
    _name = "res.partner"

    name = fields.Char()
    email = fields.Char()
    is_company = fields.Boolean()
    customer_rank = fields.Integer()
    country = fields.Many2one(JCountry, source="country_id")
    parent = fields.Many2one("res.partner", source="parent_id")


class JProduct(Model):
    _name = "product.product"

    name = fields.Char()


class JLine(Model):
    _name = "sale.order.line"

    name = fields.Text()
    product = fields.Many2one(JProduct, source="product_id")


class JOrder(Model):
    _name = "sale.order"

    name = fields.Char()
    partner = fields.Many2one(JPartner, source="partner_id")
    state = fields.Selection()
    date_order = fields.Datetime()
    order_line = fields.One2many(JLine, source="order_line", inverse="order_id")


@pytest.fixture
def conn():
    from odoorm.testing import Emulator

    with Emulator(version=18) as odoo:
        c = connect(odoo.url, db=odoo.db, user=odoo.login, password=odoo.password, default=False)
        c._state.transport = RecordingTransport(c.transport)
        yield c
        c.close()


# ------------------------------------------------------------------ date lookups


def test_date_parts_compile_to_ranges_and_combine(conn):
    orders = JOrder.objects.using(conn)
    assert orders.filter(date_order__year=2024, date_order__month=3).domain == [
        "&",
        ("date_order", ">=", "2024-03-01 00:00:00"),
        ("date_order", "<", "2024-04-01 00:00:00"),
    ]
    day = orders.filter(date_order__date=dt.date(2024, 3, 1))
    assert day.domain == [
        "&",
        ("date_order", ">=", "2024-03-01 00:00:00"),
        ("date_order", "<", "2024-03-02 00:00:00"),
    ]
    assert orders.filter(Q(date_order__year=2024, date_order__quarter=2)).domain[1:] == [
        ("date_order", ">=", "2024-04-01 00:00:00"),
        ("date_order", "<", "2024-07-01 00:00:00"),
    ]


def test_date_parts_match_what_python_says(conn):
    every = list(JOrder.objects.using(conn).all())
    for order in every:
        when = order.date_order
        got = JOrder.objects.using(conn).filter(
            date_order__year=when.year, date_order__month=when.month, date_order__day=when.day
        )
        assert order in list(got)
        assert order in list(JOrder.objects.using(conn).filter(date_order__date=when.date()))
    monday = [o for o in every if o.date_order.weekday() == 0]
    year = every[0].date_order.year
    mondays = JOrder.objects.using(conn).filter(date_order__year=year, date_order__week_day=2)
    assert {o.id for o in mondays} == {o.id for o in monday if o.date_order.year == year}


def test_time_zone_of_the_context_moves_the_day(conn):
    brussels = JOrder.objects.using(conn).with_context(tz="Europe/Brussels")
    assert brussels.filter(date_order__date=dt.date(2024, 3, 1)).domain[1:] == [
        ("date_order", ">=", "2024-02-29 23:00:00"),
        ("date_order", "<", "2024-03-01 23:00:00"),
    ]
    tokyo = JOrder.objects.using(conn.with_context(tz="Asia/Tokyo"))
    assert tokyo.filter(date_order__year=2024).domain[1] == (
        "date_order",
        ">=",
        "2023-12-31 15:00:00",
    )


def test_date_parts_that_are_not_ranges_say_how(conn):
    orders = JOrder.objects.using(conn)
    with pytest.raises(FieldError, match=r"give the year in the same filter\(\)"):
        orders.filter(date_order__month=3)
    with pytest.raises(FieldError, match=r"__month expects 1\.\.12"):
        orders.filter(date_order__year=2024, date_order__month=13)
    with pytest.raises(FieldError, match="lookup 'year' does not apply"):
        orders.filter(name__year=2024)


def test_a_datetime_compared_with_a_day(conn):
    orders = JOrder.objects.using(conn)
    with pytest.raises(FieldError, match=r"midnight only: use date_order__date="):
        orders.filter(date_order=dt.date(2024, 3, 1))
    assert orders.filter(date_order__lte=dt.date(2024, 3, 1)).domain == [
        ("date_order", "<=", "2024-03-01 23:59:59")
    ]
    assert orders.filter(date_order__range=(dt.date(2024, 3, 1), dt.date(2024, 3, 2))).domain == [
        "&",
        ("date_order", ">=", "2024-03-01 00:00:00"),
        ("date_order", "<=", "2024-03-02 23:59:59"),
    ]


# ------------------------------------------------------------------ QuerySet methods


def test_distinct_values_are_deduplicated_and_sliced_after(conn):
    rec = conn.transport
    orders = JOrder.objects.using(conn).order_by("id")
    states = [o.state for o in orders]
    rec.reset()
    with rec.expect_calls(1):
        got = list(orders.values_list("state", flat=True).distinct())
    assert got == list(dict.fromkeys(states))
    assert orders.values("state").distinct()[:1].count() == 1
    assert len(orders.distinct()) == len(states)  # records are distinct already
    with pytest.raises(TypeError, match="DISTINCT ON"):
        orders.distinct("state")


def test_latest_and_earliest(conn):
    rec = conn.transport
    orders = JOrder.objects.using(conn)
    newest = max(orders.all(), key=lambda o: (o.date_order, o.id))
    rec.reset()
    with rec.expect_calls(1):
        assert orders.latest("date_order", "id") == newest
    assert orders.earliest().id == min(o.id for o in orders.all())
    with pytest.raises(ObjectDoesNotExist):
        orders.filter(name="nothing").latest()


def test_dates_and_datetimes_group_on_the_server(conn):
    rec = conn.transport
    orders = JOrder.objects.using(conn)
    expected = sorted({o.date_order.date().replace(day=1) for o in orders.all()})
    rec.reset()
    with rec.expect_calls(1):
        months = orders.dates("date_order", "month")
    assert months == expected
    assert orders.dates("date_order", "month", order="DESC") == expected[::-1]
    assert all(isinstance(d, dt.datetime) for d in orders.datetimes("date_order", "year"))
    with pytest.raises(ValueError, match="by day at the finest"):
        orders.datetimes("date_order", "hour")


def test_bulk_update_writes_once_per_distinct_values(conn):
    rec = conn.transport
    partners = list(JPartner.objects.using(conn).order_by("id")[:5])
    for i, p in enumerate(partners):
        p.customer_rank = 7 if i % 2 else 9
    rec.reset()
    assert JPartner.objects.using(conn).bulk_update(partners, ["customer_rank"]) == 5
    assert [c.method for c in rec.calls] == ["write", "write"]
    rec.reset()
    JPartner.objects.using(conn).bulk_update(partners, ["customer_rank"], batch_size=2)
    assert len(rec.calls) == 3  # 3 ids of 9 -> 2 chunks, 2 ids of 7 -> 1
    fresh = JPartner.objects.using(conn).filter(id__in=[p.id for p in partners])
    assert sorted(fresh.values_list("customer_rank", flat=True)) == [7, 7, 9, 9, 9]


def test_prefetch_related_is_one_read_per_level(conn):
    rec = conn.transport
    rec.reset()
    orders = list(JOrder.objects.using(conn).prefetch_related("order_line__product"))
    reads = [c for c in rec.calls if c.method != "fields_get"]  # schema checks: once per class
    # the orders, their lines, the lines' products: one call per level for the whole page
    assert [(c.model, c.method) for c in reads] == [
        ("sale.order", "search_read"),
        ("sale.order.line", "read"),
        ("product.product", "read"),
    ]
    calls = rec.count
    names = [line.product.name for o in orders for line in o.order_line if line.product]
    assert names and rec.count == calls  # nothing more to load


def test_refresh_from_db_save_update_fields_in_bulk_and_str(conn):
    rec = conn.transport
    p = JPartner.objects.using(conn).filter(is_company=True).order_by("id").first()
    p.email = "new@example.com"
    p.name = "Renamed"
    rec.reset()
    p.save(update_fields=["email"])
    assert rec.calls[0].kwargs["vals"] == {"email": "new@example.com"}
    assert p.name == "Renamed"  # still unsaved
    p.refresh_from_db()
    assert p.name != "Renamed" and p.email == "new@example.com"
    by_email = JPartner.objects.using(conn).in_bulk(["new@example.com"], field_name="email")
    assert by_email == {"new@example.com": p}
    assert str(p) == p.display_name


def test_queryset_repr_shows_the_first_rows_with_one_call(conn):
    rec = conn.transport
    qs = JPartner.objects.using(conn).filter(is_company=True).order_by("id")
    qs.exists()  # the class's schema check, once per connection
    rec.reset()
    text = repr(qs)
    assert rec.count == 1 and rec.calls[0].kwargs["limit"] == 21
    first = qs.first()
    assert text.startswith(f"<QuerySet [<JPartner: {first.display_name}>")
    assert qs.describe().startswith("<QuerySet res.partner domain=")
    assert repr(qs.none()) == "<QuerySet []>"


def test_what_odoo_cannot_do_says_what_to_do(conn):
    partners = JPartner.objects.using(conn)
    with pytest.raises(FieldError, match="compare a field with constant values"):
        partners.filter(customer_rank__gt=F("color"))
    with pytest.raises(TypeError, match="bulk_update"):
        partners.filter(id=1).update(customer_rank=F("customer_rank") + 1)
    with pytest.raises(TypeError, match="no per-record annotations"):
        from odoorm import Count

        partners.annotate(n=Count())
