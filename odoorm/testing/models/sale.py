"""sale.order and sale.order.line: numbering, line values, totals, states and the actions
(confirm, cancel, draft, send) that move an order between them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from odoorm.testing import errors
from odoorm.testing._api import DB, ModelHooks, Row
from odoorm.testing.models.currency import currency_row, stored_amount
from odoorm.testing.models.partner import address_get
from odoorm.testing.models.tax_totals import global_tax_amount
from odoorm.testing.store import Table, m2o_id


def _order_defaults(db: DB, table: Table) -> dict[str, Any]:
    # name: Odoo's default is "New", replaced by the next number on create
    out: dict[str, Any] = dict(
        name="New", state="draft", date_order=db.now, invoice_status="no", user_id=db.uid
    )

    company = _first_id(db, "res.company")
    if company:
        out["company_id"] = company
        crow = db.tables["res.company"].rows[company]
        if m2o_id(crow.get("currency_id")):
            out["currency_id"] = m2o_id(crow.get("currency_id"))
    return out


def _order_validity(db: DB, table: Table) -> dict[str, Any]:
    """From 17, a quotation is valid for the company's 30 days unless configured (16 sets
    no date unless the quotation validity setting is on)."""
    if "validity_date" not in table.fields:
        return {}
    return {"validity_date": lambda: (db.clock.today() + dt.timedelta(days=30)).isoformat()}


def _line_defaults(db: DB, table: Table) -> dict[str, Any]:
    return {"sequence": 10, "product_uom_qty": 1.0, "state": "draft", "discount": 0.0}


def _first_id(db: DB, model: str) -> int | None:
    t = db.tables.get(model)
    return min(t.rows) if t and t.rows else None


def _order_copy_defaults(db: DB, table: Table, src: Row) -> dict[str, Any]:
    # name, state and date_order are copy=False: a new number, a draft, dated now
    return {"state": "draft", "name": False, "date_order": db.now()}


#: an order's stored computed addresses, and the address type each one follows
_ADDRESSES = (("partner_invoice_id", "invoice"), ("partner_shipping_id", "delivery"))


def _addresses(db: DB, table: Table, partner: int) -> dict[str, int]:
    """The invoice and delivery addresses of an order for ``partner``."""
    partners = db.tables.get("res.partner")
    if partners is None or partner not in partners.rows:
        return {}  # a dangling partner is refused later, as Odoo refuses it
    fields = [(f, kind) for f, kind in _ADDRESSES if f in table.fields]
    found = address_get(db, partners, [partner], [kind for _, kind in fields])
    return {f: found[kind] for f, kind in fields}


def _order_inverse_values(db: DB, table: Table, vals: dict[str, Any]) -> dict[str, Any]:
    """The addresses follow ``partner_id`` when it is set without them (on create and
    on write), as Odoo's stored computed fields do; given ones are kept."""
    if "partner_id" not in vals:
        return vals
    partner = m2o_id(vals["partner_id"])
    if not isinstance(partner, int) or isinstance(partner, bool):
        return vals
    follow = _addresses(db, table, partner)
    return {**vals, **{f: v for f, v in follow.items() if f not in vals}}


def _order_after_load(db: DB, table: Table) -> None:
    """Loaded orders without their addresses (the demo data) get those of their partner."""
    for row in table.rows.values():
        partner = m2o_id(row.get("partner_id"))
        if partner and any(f in table.fields and not row.get(f) for f, _ in _ADDRESSES):
            for f, v in _addresses(db, table, partner).items():
                if not row.get(f):
                    row[f] = v


def _order_before_create(db: DB, table: Table, row: Row) -> None:
    if not row.get("name") or row["name"] == "New":
        row["name"] = f"S{table.next_id:05d}"


def _line_before_create(db: DB, table: Table, row: Row) -> None:
    prod = m2o_id(row.get("product_id"))
    ptable = db.tables.get("product.product")
    prow = ptable.rows.get(prod) if ptable and prod else None
    if prow is not None and ptable is not None:
        if not row.get("name"):
            row["name"] = db.display_name(ptable, prow)
        if "price_unit" not in row:
            row["price_unit"] = float(prow.get("lst_price") or prow.get("list_price") or 0.0)
        if not row.get("product_uom") and m2o_id(prow.get("uom_id")):
            row["product_uom"] = m2o_id(prow.get("uom_id"))
        tax_field = _tax_field(table)
        if tax_field and tax_field not in row and isinstance(prow.get("taxes_id"), list):
            row[tax_field] = list(prow["taxes_id"])


def _line_after_load(db: DB, table: Table) -> None:
    """Learn each tax's rate from the loaded lines that carry one tax, for the ids no
    ``account.tax`` record gives (a recorded seed.json has no taxes model)."""
    tax_field = _tax_field(table)
    for row in table.rows.values():
        taxes = row.get(tax_field) if tax_field else None
        sub = float(row.get("price_subtotal") or 0.0)
        if isinstance(taxes, list) and len(taxes) == 1 and sub:
            db.tax_rates.setdefault(taxes[0], round(float(row.get("price_tax") or 0.0) / sub, 4))


def _tax_field(lines: Table) -> str | None:
    for f in ("tax_ids", "tax_id"):
        if f in lines.fields:
            return f
    return None


def _lines(db: DB, table: Table, ids: list[int]) -> None:
    orders: set[int] = set()
    for rid in ids:
        row = table.rows.get(rid)
        if row is None:
            continue
        qty = float(row.get("product_uom_qty") or 0.0)
        price = float(row.get("price_unit") or 0.0)
        disc = float(row.get("discount") or 0.0)
        oid = m2o_id(row.get("order_id"))
        otable = db.tables.get("sale.order")
        order = otable.rows.get(oid) if oid and otable is not None else None
        currency = currency_row(db, m2o_id((order or {}).get("currency_id")))
        sub = stored_amount(db, currency, qty * price * (1 - disc / 100.0))
        tax_field = _tax_field(table)
        rates = db.tax_rates
        rate = sum(rates.get(t, 0.0) for t in (row.get(tax_field) or [])) if tax_field else 0.0
        row["price_subtotal"] = sub
        row["price_tax"] = stored_amount(db, currency, sub * rate)
        row["price_total"] = stored_amount(db, currency, sub + row["price_tax"])
        if oid and otable and oid in otable.rows:
            orders.add(oid)
            orow = otable.rows[oid]
            row["state"] = orow.get("state", "draft")
            partner = db.name_of("res.partner", m2o_id(orow.get("partner_id")) or 0)
            row["display_name"] = f"{orow.get('name')} - {row.get('name')} ({partner})"
    if orders and "sale.order" in db.tables:
        _orders(db, db.tables["sale.order"], sorted(orders))


def _orders(db: DB, table: Table, ids: list[int]) -> None:
    lines = db.tables.get("sale.order.line")
    idx = db.inverse_index(lines, "order_id") if lines is not None else {}
    for rid in ids:
        row = table.rows.get(rid)
        if row is None:
            continue
        row["display_name"] = row.get("name") or ""
        if lines is None:
            continue
        lrows = [lines.rows[i] for i in idx.get(rid, ()) if i in lines.rows]
        untaxed = round(sum(float(r.get("price_subtotal") or 0.0) for r in lrows), 2)
        tax = round(sum(float(r.get("price_tax") or 0.0) for r in lrows), 2)
        rounded_once = global_tax_amount(db, row)
        if rounded_once is not None:  # 19 rounds each tax's total, not each line's tax
            tax = rounded_once
        row["amount_untaxed"] = untaxed
        row["amount_tax"] = tax
        row["amount_total"] = round(untaxed + tax, 2)


def _line_after_unlink(db: DB, table: Table, rows: list[Row]) -> None:
    """An order's totals once a line is gone."""
    orders = db.tables.get("sale.order")
    if orders is None:
        return
    linked = {m2o_id(r.get("order_id")) for r in rows}
    ids = sorted(i for i in linked if i is not None and i in orders.rows)
    for rid in ids:
        db._save(orders, rid)
    _orders(db, orders, ids)
    orders.touch()


def _order_before_unlink(db: DB, table: Table, ids: list[int]) -> None:
    for rid in ids:
        if table.rows[rid].get("state") in ("sale", "sent", "done"):
            raise errors.UserError(
                "You can not delete a sent quotation or a confirmed sales order. "
                "You must first cancel it."
            )


# -- actions -----------------------------------------------------------------------------------
def action_confirm(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    ids = db.existing(table, ids)
    # 16 only refuses done and cancelled orders (a confirmed one is confirmed again)
    allowed = ("draft", "sent", "sale") if db.version <= 16 else ("draft", "sent")
    bad = [table.rows[i] for i in ids if table.rows[i].get("state") not in allowed]
    if bad:
        if db.version <= 17:
            names = ", ".join(str(r.get("name")) for r in bad)
            raise errors.UserError(
                f"The following orders are not in a state requiring confirmation: {names}"
            )
        raise errors.UserError("Some orders are not in a state requiring confirmation.")
    _set_state(db, table, ids, "sale", invoice_status="to invoice", date_order=db.now())
    return True


LAYOUT = "mail.mail_notification_layout_with_responsible_signature"


#: id of the cancel wizard's form view in each version's database
CANCEL_VIEW_IDS = {16: 988, 17: 1065}


def action_cancel(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    ids = db.existing(table, ids)
    ctx = db._ctx
    warn = db.version < 19 and not ctx.get("disable_cancel_warning")
    if warn and any(table.rows[i].get("state") != "draft" for i in ids):
        # 16 asks the wizard to use the template explicitly
        first = {"default_use_template": True} if db.version <= 16 else {}
        return {
            "name": "Cancel Sales Order",
            "view_mode": "form",
            "res_model": "sale.order.cancel",
            "view_id": CANCEL_VIEW_IDS.get(db.version, 1125),
            "type": "ir.actions.act_window",
            "context": {
                **first,
                "default_template_id": 14,
                "default_order_id": ids[0],
                "mark_so_as_canceled": True,
                "default_email_layout_xmlid": LAYOUT,
                "model_description": "Sales Order",
            },
            "target": "new",
        }
    _set_state(db, table, ids, "cancel", invoice_status="no")
    return True


def action_draft(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    ids = db.existing(table, ids)
    _set_state(
        db, table, [i for i in ids if table.rows[i].get("state") in ("cancel", "sent")], "draft"
    )
    return True


def action_quotation_sent(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    ids = db.existing(table, ids)
    _set_state(db, table, [i for i in ids if table.rows[i].get("state") == "draft"], "sent")
    return True


#: ids of the demo database's mail templates named in window actions
QUOTATION_TEMPLATE_ID = 12


def action_quotation_send(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    """The mail composer's window action, as Odoo answers it over RPC (``views`` as lists).
    Nothing is sent: the order becomes "sent" when the composer posts, not here."""
    ids = db.existing(table, ids)
    ctx: dict[str, Any] = {
        "default_model": "sale.order",
        "default_res_ids": ids,
        "default_composition_mode": "comment" if len(ids) <= 1 else "mass_mail",
        "default_email_layout_xmlid": LAYOUT,
        "email_notification_allow_footer": True,
        "proforma": bool(db._ctx.get("proforma", False)),
    }
    if len(ids) == 1:
        state = table.rows[ids[0]].get("state")
        ctx.update(
            force_email=True,
            model_description="Quotation" if state in ("draft", "sent") else "Sales Order",
            default_template_id=QUOTATION_TEMPLATE_ID,
            mark_so_as_sent=True,
        )
    return {
        "name": "Send",
        "type": "ir.actions.act_window",
        "view_mode": "form",
        "res_model": "mail.compose.message",
        "views": [[False, "form"]],
        "view_id": False,
        "target": "new",
        "context": ctx,
    }


def _set_state(db: DB, table: Table, ids: list[int], state: str, **extra: Any) -> None:
    for rid in ids:
        db._save(table, rid)
        table.rows[rid].update(state=state, **extra)
        table.rows[rid]["write_date"] = db.now()
    lines = db.tables.get("sale.order.line")
    if lines is not None:
        idx = db.inverse_index(lines, "order_id")
        for rid in ids:
            for lid in idx.get(rid, ()):
                db._save(lines, lid)
                lines.rows[lid]["state"] = state
        lines.touch()
    table.touch()


def partner_order_count(db: DB, table: Table, row: Row) -> int:
    """res.partner.sale_order_count: orders of the partner and of its contacts, any state."""
    orders = db.tables.get("sale.order")
    if orders is None:
        return 0
    family = {row["id"]}
    children = db.inverse_index(table, "parent_id") if "parent_id" in table.fields else {}
    todo = [row["id"]]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in family:
                family.add(child)
                todo.append(child)
    return sum(1 for r in orders.rows.values() if m2o_id(r.get("partner_id")) in family)


ORDER = ModelHooks(
    defaults=_order_defaults,
    copy_defaults=_order_copy_defaults,
    inverse_values=_order_inverse_values,
    after_load=_order_after_load,
    before_create=_order_before_create,
    after_change=_orders,
    before_unlink=_order_before_unlink,
    methods={
        "action_confirm": (action_confirm, "write"),
        "action_cancel": (action_cancel, "write"),
        "action_draft": (action_draft, "write"),
        "action_quotation_sent": (action_quotation_sent, "write"),
        "action_quotation_send": (action_quotation_send, "read"),
    },
)
LINE = ModelHooks(
    defaults=_line_defaults,
    before_create=_line_before_create,
    after_change=_lines,
    after_unlink=_line_after_unlink,
    after_load=_line_after_load,
)
ORDER_17 = ModelHooks(defaults=_order_validity, since=17)
#: what the sale module adds to contacts
PARTNER = ModelHooks(computed={"sale_order_count": partner_order_count})
