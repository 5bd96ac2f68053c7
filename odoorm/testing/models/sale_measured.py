"""res.company, sale.order(.line), product.template/product: the measured fields
(:mod:`odoorm.testing.measured`) whose real value comes from data the emulator holds.

Stored related or computed fields are written into the rows when a record changes (so they
search and group as on a real server); the others are computed when read."""

from __future__ import annotations

from typing import Any

from odoorm.testing._api import DB, ModelHooks, Row
from odoorm.testing.models.currency import currency_row, stored_amount
from odoorm.testing.models.partner_measured import _currency
from odoorm.testing.store import Table, m2o_id

#: line field -> the order field it follows (stored related fields)
_FROM_ORDER = {
    "company_id": "company_id",
    "currency_id": "currency_id",
    "order_partner_id": "partner_id",
    "salesman_id": "user_id",
}
#: order field -> the company field it is computed from when the order is created
_FROM_COMPANY = {
    "require_signature": "portal_confirmation_sign",
    "require_payment": "portal_confirmation_pay",
    "prepayment_percent": "prepayment_percent",
}


def _row(db: DB, model: str, rid: Any) -> tuple[Table | None, Row | None]:
    table = db.tables.get(model)
    if table is None:
        return None, None
    return table, table.rows.get(m2o_id(rid) or 0)


def _related(model: str, link: str, fname: str) -> Any:
    """A related field read through the many2one ``link`` to ``model``."""

    def compute(db: DB, table: Table, row: Row) -> Any:
        target, trow = _row(db, model, row.get(link))
        if target is None or trow is None or fname not in target.fields:
            return False
        return db.value_out(target, trow, fname, None)

    return compute


def _company_of_order(fname: str) -> Any:
    def compute(db: DB, table: Table, row: Row) -> Any:
        _, order = _row(db, "sale.order", row.get("order_id"))
        if order is None:
            return False
        return _related("res.company", "company_id", fname)(db, table, order)

    return compute


# -- sale.order.line ---------------------------------------------------------------------------
def _lines(db: DB, table: Table, ids: list[int]) -> None:
    """The stored related and computed values of the lines (after sale.LINE's amounts)."""
    orders, products = db.tables.get("sale.order"), db.tables.get("product.product")
    fields = table.fields
    for rid in ids:
        row = table.rows.get(rid)
        if row is None:
            continue
        order = orders.rows.get(m2o_id(row.get("order_id")) or 0) if orders else None
        for fname, ofield in _FROM_ORDER.items():
            if fname in fields and order is not None:
                row[fname] = m2o_id(order.get(ofield)) or False
        product = products.rows.get(m2o_id(row.get("product_id")) or 0) if products else None
        if "product_template_id" in fields:
            row["product_template_id"] = m2o_id((product or {}).get("product_tmpl_id")) or False
        if "product_type" in fields:
            row["product_type"] = (product or {}).get("type") or False
        if "qty_delivered_method" in fields:
            row["qty_delivered_method"] = "manual"  # no expense lines (analytic) here
        qty = float(row.get("product_uom_qty") or 0.0)
        currency = currency_row(db, m2o_id((order or {}).get("currency_id")))
        if "price_reduce" in fields:  # 16
            disc = float(row.get("discount") or 0.0)
            row["price_reduce"] = float(row.get("price_unit") or 0.0) * (1.0 - disc / 100.0)
        for fname, total in (
            ("price_reduce_taxexcl", "price_subtotal"),
            ("price_reduce_taxinc", "price_total"),
        ):
            if fname in fields:
                amount = float(row.get(total) or 0.0) / qty if qty else 0.0
                row[fname] = stored_amount(db, currency, amount)


def _uom_readonly(db: DB, table: Table, row: Row) -> bool:
    return row.get("state") in ("sale", "done", "cancel")


def _product_archived(db: DB, table: Table, row: Row) -> bool:
    _, product = _row(db, "product.product", row.get("product_id"))
    return product is not None and not product.get("active", True)


LINE = ModelHooks(
    after_change=_lines,
    computed={
        "product_uom_readonly": _uom_readonly,
        "is_product_archived": _product_archived,
        "service_tracking": _related("product.product", "product_id", "service_tracking"),
        "tax_calculation_rounding_method": _company_of_order("tax_calculation_rounding_method"),
        "company_price_include": _company_of_order("account_price_include"),
    },
)


# -- sale.order --------------------------------------------------------------------------------
def _orders(db: DB, table: Table, ids: list[int]) -> None:
    """What the order's lines follow (company, currency, customer, salesperson), and the
    portal settings an order takes from its company when created."""
    lines, companies = db.tables.get("sale.order.line"), db.tables.get("res.company")
    follow = [f for f in _FROM_ORDER if lines is not None and f in lines.fields]
    idx = db.inverse_index(lines, "order_id") if lines is not None and follow else {}
    changed = False
    for rid in ids:
        row = table.rows.get(rid)
        if row is None:
            continue
        company = companies.rows.get(m2o_id(row.get("company_id")) or 0) if companies else None
        for fname, cfield in _FROM_COMPANY.items():
            if fname in table.fields and fname not in row and company is not None:
                assert companies is not None
                if cfield in companies.fields:
                    row[fname] = db.value_out(companies, company, cfield, None)
        for lid in idx.get(rid, ()):
            lrow = lines.rows.get(lid) if lines is not None else None
            if lrow is not None:
                for fname in follow:
                    value = m2o_id(row.get(_FROM_ORDER[fname])) or False
                    if lrow.get(fname) != value:
                        lrow[fname] = value
                        changed = True
    if changed and lines is not None:
        lines.touch()  # sort and inverse caches key on the table's version


def _order_lines(db: DB, row: Row) -> list[Row]:
    lines = db.tables.get("sale.order.line")
    if lines is None:
        return []
    ids = db.inverse_index(lines, "order_id").get(row["id"], ())
    return [lines.rows[i] for i in ids if i in lines.rows]


def _undiscounted(db: DB, table: Table, row: Row) -> float:
    total = 0.0
    for line in _order_lines(db, row):
        disc = float(line.get("discount") or 0.0)
        if disc != 100:
            total += float(line.get("price_subtotal") or 0.0) * 100 / (100 - disc)
        else:
            total += float(line.get("price_unit") or 0.0) * float(line.get("product_uom_qty") or 0)
    return total


def _archived_products(db: DB, table: Table, row: Row) -> bool:
    products = db.tables.get("product.product")
    if products is None:
        return False
    for line in _order_lines(db, row):
        product = products.rows.get(m2o_id(line.get("product_id")) or 0)
        if product is not None and not product.get("active", True):
            return True
    return False


ORDER = ModelHooks(
    after_change=_orders,
    computed={
        "type_name": lambda db, table, row: (
            "Quotation" if row.get("state") in ("draft", "sent", "cancel") else "Sales Order"
        ),
        "access_url": lambda db, table, row: f"/my/orders/{row['id']}",
        "amount_undiscounted": _undiscounted,
        "has_archived_products": _archived_products,
        "terms_type": _related("res.company", "company_id", "terms_type"),
        "tax_calculation_rounding_method": _related(
            "res.company", "company_id", "tax_calculation_rounding_method"
        ),
        "company_price_include": _related("res.company", "company_id", "account_price_include"),
    },
)


# -- res.company -------------------------------------------------------------------------------
def _ancestors(db: DB, table: Table, row: Row) -> list[int]:
    """The company's ids from its root down to itself."""
    chain: list[int] = []
    current: Row | None = row
    while current is not None and current["id"] not in chain:
        chain.append(current["id"])
        current = table.rows.get(m2o_id(current.get("parent_id")) or 0)
    return chain[::-1]


COMPANY = ModelHooks(
    computed={
        "root_id": lambda db, table, row: _ancestors(db, table, row)[0],
        "parent_ids": _ancestors,
        "is_company_details_empty": lambda db, table, row: not row.get("company_details"),
    }
)


# -- product.template / product.product --------------------------------------------------------
def _variants(db: DB, row: Row) -> list[int]:
    """The template's active variants, in id order."""
    variants = db.tables.get("product.product")
    if variants is None:
        return []
    ids = db.inverse_index(variants, "product_tmpl_id").get(row["id"], ())
    return sorted(i for i in ids if variants.rows.get(i, {}).get("active", True))


def _uom_name(db: DB, table: Table, row: Row) -> Any:
    _, uom = _row(db, "uom.uom", row.get("uom_id"))
    return (uom or {}).get("name") or False


def _variant_after_change(db: DB, table: Table, ids: list[int]) -> None:
    if "is_product_variant" in table.fields:
        for rid in ids:
            if rid in table.rows:
                table.rows[rid]["is_product_variant"] = True


TEMPLATE = ModelHooks(
    computed={
        "uom_name": _uom_name,
        "product_variant_count": lambda db, table, row: len(_variants(db, row)),
        "product_variant_id": lambda db, table, row: (_variants(db, row) or [False])[0],
        "currency_id": _currency,
        "cost_currency_id": _currency,
        # the system parameters product.weight_in_lbs / product.volume_in_cubic_feet unset
        "weight_uom_name": lambda db, table, row: "kg",
        "volume_uom_name": lambda db, table, row: "m³",
    }
)
VARIANT = ModelHooks(
    after_change=_variant_after_change,
    computed={
        "code": lambda db, table, row: row.get("default_code") or False,
        "partner_ref": lambda db, table, row: db.display_name(table, row),
        "uom_name": _uom_name,
    },
)
