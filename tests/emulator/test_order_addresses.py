"""An order's invoice and delivery addresses follow its customer (res.partner.address_get),
as measured on real Odoo 16-19 with the same family of contacts."""

from __future__ import annotations

from typing import Any

import pytest

from odoorm.testing.orm import Database


@pytest.fixture(params=[16, 17, 18, 19])
def db(request: pytest.FixtureRequest) -> Database:
    return Database(version=request.param)


def call(db: Database, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
    return db.execute(2, model, method, list(args), kwargs)


def family(db: Database) -> dict[str, int]:
    """A company C with a contact A (who has an invoice contact A2), an invoice and a
    delivery address; and a lone person P."""
    new = lambda **vals: call(db, "res.partner", "create", vals)  # noqa: E731
    c = new(name="zz C", is_company=True)
    a = new(name="zz A", parent_id=c, type="contact")
    i = new(name="zz I", parent_id=c, type="invoice")
    d = new(name="zz D", parent_id=c, type="delivery")
    a2 = new(name="zz A2", parent_id=a, type="invoice")
    p = new(name="zz P")
    return {"C": c, "A": a, "I": i, "D": d, "A2": a2, "P": p}


def addresses(db: Database, order: int) -> tuple[int, int]:
    [row] = call(db, "sale.order", "read", [order], ["partner_invoice_id", "partner_shipping_id"])
    return row["partner_invoice_id"][0], row["partner_shipping_id"][0]


@pytest.mark.parametrize(
    ("customer", "invoice", "delivery"),
    [("A", "A2", "D"), ("C", "A2", "D"), ("P", "P", "P"), ("I", "I", "D"), ("D", "A2", "D")],
)
def test_a_new_order_takes_its_customers_addresses(db, customer, invoice, delivery):
    f = family(db)
    order = call(db, "sale.order", "create", {"partner_id": f[customer]})
    assert addresses(db, order) == (f[invoice], f[delivery])


def test_writing_the_customer_moves_the_addresses_unless_given(db):
    f = family(db)
    order = call(db, "sale.order", "create", {"partner_id": f["P"]})
    call(db, "sale.order", "write", [order], {"partner_id": f["A"]})
    assert addresses(db, order) == (f["A2"], f["D"])
    call(db, "sale.order", "write", [order], {"partner_id": f["P"], "partner_invoice_id": f["D"]})
    assert addresses(db, order) == (f["D"], f["P"])
    given = call(db, "sale.order", "create", {"partner_id": f["A"], "partner_shipping_id": f["P"]})
    assert addresses(db, given) == (f["A2"], f["P"])


def test_address_get_over_rpc(db):
    # the family of the real probe: a company, a contact, an invoice and an "other" address
    new = lambda **vals: call(db, "res.partner", "create", vals)  # noqa: E731
    c = new(name="zz C", is_company=True)
    a = new(name="zz A", parent_id=c, type="contact")
    i = new(name="zz I", parent_id=c, type="invoice")
    o = new(name="zz O", parent_id=c, type="other")
    got = call(db, "res.partner", "address_get", [a], ["invoice", "delivery"])
    assert got == {"contact": a, "invoice": i, "delivery": a}
    assert call(db, "res.partner", "address_get", [a]) == {"contact": a}
    assert call(db, "res.partner", "address_get", [o], ["delivery"]) == {
        "contact": c,
        "delivery": c,
    }
    assert call(db, "res.partner", "address_get", [a, c], ["invoice"]) == {
        "contact": a,
        "invoice": i,
    }
    assert call(db, "res.partner", "address_get", [], ["invoice"]) == {
        "contact": False,
        "invoice": False,
    }


def test_the_demo_orders_have_addresses_and_fields_get_says_they_follow_the_customer(db):
    orders = call(
        db, "sale.order", "search_read", [], ["partner_invoice_id", "partner_shipping_id"]
    )
    assert orders and all(o["partner_invoice_id"] and o["partner_shipping_id"] for o in orders)
    info = call(db, "sale.order", "fields_get", ["partner_invoice_id"], ["required", "depends"])
    assert info["partner_invoice_id"] == {"required": True, "depends": ["partner_id"]}
