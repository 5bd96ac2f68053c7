"""Odoo 16 lacks constructs odoorm uses on 17+; the same queries still work there,
with the extra calls they need counted: ``any`` that dotted paths cannot express is
a first search of the related ids, ``select_related`` its two-call form."""

from __future__ import annotations

import pytest

import odoorm
from odoorm import fields
from odoorm.testing import Emulator
from odoorm.transport.base import RecordingTransport


class FbLine(odoorm.Model):
    _name = "sale.order.line"
    product_uom_qty = fields.Float()
    price_unit = fields.Float()


class FbPartner(odoorm.Model):
    _name = "res.partner"
    name = fields.Char()


class FbOrder(odoorm.Model):
    _name = "sale.order"
    name = fields.Char()
    partner = fields.Many2one(FbPartner, source="partner_id")
    order_line = fields.One2many(FbLine, source="order_line", inverse="order_id")


SAME_LINE = {"product_uom_qty__gt": 2, "price_unit__lt": 100}  # both on ONE line


@pytest.fixture(scope="module", params=[16, 18])
def conn(request):
    with Emulator(version=request.param, now="2026-11-29 13:00:00") as odoo:
        c = odoorm.connect(
            odoo.url, db=odoo.db, user=odoo.login, password=odoo.password,
            default=False, check_schema=False,
        )  # fmt: skip
        c._state.transport = RecordingTransport(c.transport)
        yield c
        c.close()


def expected_orders(conn) -> set[int]:
    """The orders with one line matching both conditions, computed by hand."""
    lines = conn.execute(
        "sale.order.line", "search_read", [], ["order_id", "product_uom_qty", "price_unit"]
    )
    return {
        line["order_id"][0]
        for line in lines
        if line["product_uom_qty"] > 2 and line["price_unit"] < 100
    }


def test_any_on_a_one2many_searches_the_lines_first_on_16(conn):
    rec = conn.transport
    want = expected_orders(conn)
    assert want  # the demo data has such orders
    rec.reset()
    found = {o.id for o in FbOrder.objects.using(conn).filter(order_line__any=SAME_LINE)}
    calls = [f"{c.model}.{c.method}" for c in rec.calls]
    assert found == want
    if conn.version.major >= 17:
        assert calls == ["sale.order.search_read"]
        assert rec.calls[0].kwargs["domain"][0][1] == "any"
    else:
        assert calls == ["sale.order.line.search", "sale.order.search_read"]
        name, op, ids = rec.calls[1].kwargs["domain"][0]
        assert (name, op) == ("order_line", "in") and all(isinstance(i, int) for i in ids)
    everyone = FbOrder.objects.using(conn).count()
    assert FbOrder.objects.using(conn).exclude(order_line__any=SAME_LINE).count() == (
        everyone - len(want)
    )


def test_select_related_and_dataframes_work_on_16(conn):
    pytest.importorskip("pandas")
    rec = conn.transport
    rec.reset()
    orders = list(FbOrder.objects.using(conn).select_related("partner").order_by("id")[:5])
    names = [o.partner.name for o in orders]
    assert all(names)
    assert len(rec.calls) == (1 if conn.version.major >= 17 else 2)
    frame = FbOrder.objects.using(conn).order_by("id")[:5].to_dataframe("name", "partner__name")
    assert list(frame["partner__name"]) == names
