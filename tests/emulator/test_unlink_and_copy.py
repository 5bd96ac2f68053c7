"""Deleting and copying: ondelete rules (restrict, cascade, set null, declared by a seed),
copies of orders with their lines, and recomputation of what depended on deleted rows."""

from __future__ import annotations

from typing import Any

import pytest

from odoorm.testing import errors
from odoorm.testing.orm import Database


@pytest.fixture(scope="module", params=[17, 18, 19])
def db(request: pytest.FixtureRequest) -> Database:
    return Database(version=request.param)


def test_unlink_follows_ondelete() -> None:
    db = Database(version=18)
    order = db.execute(2, "sale.order", "search", [[("state", "=", "draft")]], {"limit": 1})[0]
    (row,) = db.execute(2, "sale.order", "read", [[order], ["partner_id", "order_line"]])
    partner, lines = row["partner_id"][0], row["order_line"]
    assert lines
    # sale.order.partner_id is required without ondelete: Odoo's default is "restrict"
    with pytest.raises(errors.ValidationError) as caught:
        db.execute(2, "res.partner", "unlink", [[partner]])
    assert str(caught.value) == (
        "The operation cannot be completed: another model requires the record being deleted. "
        "If possible, archive it instead.\n\nModel: Sales Order (sale.order)\n"
        "Constraint: sale_order_partner_id_fkey\n"
    )
    assert db.execute(2, "res.partner", "exists", [[partner]]) == [partner]  # nothing kept
    # sale.order.line.order_id is ondelete="cascade": the lines go with the order
    assert db.execute(2, "sale.order", "unlink", [[order]]) is True
    assert db.execute(2, "sale.order.line", "search", [[("id", "in", lines)]]) == []
    # res.partner.parent_id is optional ("set null"): contacts lose their company
    company = db.execute(2, "res.partner", "create", [{"name": "Gone Co", "is_company": True}])
    kid = db.execute(2, "res.partner", "create", [{"name": "Kid", "parent_id": company}])
    db.execute(2, "res.partner", "unlink", [[company]])
    assert db.execute(2, "res.partner", "read", [[kid], ["parent_id"]])[0]["parent_id"] is False


def test_seed_field_can_declare_ondelete() -> None:
    def model(parent_field: dict[str, Any]) -> dict[str, Any]:
        return {
            "models": {
                "x.box": {
                    "fields": {"name": {"type": "char", "string": "Name"}},
                    "records": [{"id": 1, "name": "box"}],
                },
                "x.item": {
                    "fields": {
                        "name": {"type": "char", "string": "Name"},
                        "box_id": {"type": "many2one", "relation": "x.box", "string": "Box",
                                   "required": True, **parent_field},
                    },
                    "records": [{"id": 1, "name": "item", "box_id": [1, "box"]}],
                },
            }
        }  # fmt: skip

    restrict = Database(version=18, data=model({}))
    with pytest.raises(errors.ValidationError, match="Constraint: x_item_box_id_fkey"):
        restrict.execute(2, "x.box", "unlink", [[1]])
    cascade = Database(version=18, data=model({"ondelete": "cascade"}))
    assert cascade.execute(2, "x.box", "unlink", [[1]]) is True
    assert cascade.execute(2, "x.item", "search", [[]]) == []


def test_copy_of_an_order_copies_its_lines(db: Database) -> None:
    (src,) = db.execute(2, "sale.order", "search", [[("state", "=", "sale")]], {"limit": 1})
    fields = ["name", "state", "order_line", "amount_total", "date_order"]
    (before,) = db.execute(2, "sale.order", "read", [[src], fields])
    made = db.execute(2, "sale.order", "copy", [src])
    new = made if isinstance(made, int) else made[0]  # 17 answers an id, 18+ a list
    (after,) = db.execute(2, "sale.order", "read", [[new], fields])
    assert after["state"] == "draft" and after["name"] != before["name"]
    assert after["date_order"] != before["date_order"]  # copy=False: dated now
    # order_line is copy=True: new lines with the same products, quantities and prices
    assert len(after["order_line"]) == len(before["order_line"])
    assert set(after["order_line"]).isdisjoint(before["order_line"])
    assert after["amount_total"] == before["amount_total"]
    line_fields = ["product_id", "product_uom_qty", "price_unit", "order_id", "state"]

    def lines(ids: list[int]) -> list[dict[str, Any]]:
        return db.execute(2, "sale.order.line", "read", [ids, line_fields])

    old_lines, new_lines = lines(before["order_line"]), lines(after["order_line"])
    assert [(r["product_id"], r["product_uom_qty"], r["price_unit"]) for r in new_lines] == [
        (r["product_id"], r["product_uom_qty"], r["price_unit"]) for r in old_lines
    ]
    assert {r["order_id"][0] for r in new_lines} == {new}
    assert {r["state"] for r in new_lines} == {"draft"}
    assert len(lines(before["order_line"])) == len(before["order_line"])  # originals kept


def test_deleting_recomputes_what_depended_on_it(db: Database) -> None:
    # an order's totals once one of its lines is deleted
    (order,) = db.execute(2, "sale.order", "search", [[("state", "=", "draft")]], {"limit": 1})
    (before,) = db.execute(2, "sale.order", "read", [[order], ["order_line", "amount_total"]])
    first, *rest = before["order_line"]
    (gone,) = db.execute(2, "sale.order.line", "read", [[first], ["price_total"]])
    db.execute(2, "sale.order.line", "unlink", [[first]])
    (after,) = db.execute(2, "sale.order", "read", [[order], ["order_line", "amount_total"]])
    assert after["order_line"] == rest
    assert after["amount_total"] == pytest.approx(before["amount_total"] - gone["price_total"])
    # a contact whose company is deleted is its own commercial partner again
    company = db.execute(2, "res.partner", "create", [{"name": "Gone Co", "is_company": True}])
    kid = db.execute(2, "res.partner", "create", [{"name": "Kid", "parent_id": company}])
    db.execute(2, "res.partner", "unlink", [[company]])
    (row,) = db.execute(
        2, "res.partner", "read", [[kid], ["parent_id", "commercial_partner_id", "display_name"]]
    )
    assert row == {"id": kid, "parent_id": False, "commercial_partner_id": [kid, "Kid"],
                   "display_name": "Kid"}  # fmt: skip
