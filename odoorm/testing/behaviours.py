"""Model-specific business logic: defaults, computed fields, unlink guards and custom methods
(``sale.order.action_confirm`` ...). Everything model-specific lives here, so the generic ORM
stays generic. Custom methods are looked up in :data:`METHODS`; more can be registered with
:meth:`odoorm.testing.orm.Database.register_method`.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from odoorm.testing import errors
from odoorm.testing.store import Table, m2o_id

if TYPE_CHECKING:
    from odoorm.testing.writes import WritesMixin as DB

Row = dict[str, Any]


# -- defaults ------------------------------------------------------------------------------
def defaults(db: DB, table: Table) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if table.has_active:
        out["active"] = True
    name = table.name
    if name == "res.partner":
        out.update(type="contact", is_company=False, lang="en_US", color=0)
    elif name == "sale.order":
        company = _first_id(db, "res.company")
        out.update(state="draft", date_order=db.now, invoice_status="no", user_id=db.uid)
        if company:
            out["company_id"] = company
            crow = db.tables["res.company"].rows[company]
            if m2o_id(crow.get("currency_id")):
                out["currency_id"] = m2o_id(crow.get("currency_id"))
    elif name == "sale.order.line":
        out.update(sequence=10, product_uom_qty=1.0, state="draft", discount=0.0)
    elif name == "ir.attachment":
        out.update(type="binary", res_id=0)
    return out


def default_get(db: DB, table: Table, fields: list[str]) -> dict[str, Any]:
    found = {**defaults(db, table), **table.defaults}
    out: dict[str, Any] = {}
    for f in fields:
        if f in found and f in table.fields:
            v = found[f]
            out[f] = v() if callable(v) else v
    return out


def _first_id(db: DB, model: str) -> int | None:
    t = db.tables.get(model)
    return min(t.rows) if t and t.rows else None


def copy_defaults(db: DB, table: Table, src: Row) -> dict[str, Any]:
    if table.name == "res.partner" and src.get("name"):
        return {"name": f"{src['name']} (copy)"}
    if table.name == "sale.order":
        # name, state and date_order are copy=False: a new number, a draft, dated now
        return {"state": "draft", "name": False, "date_order": db.now()}
    return {}


# -- loading ---------------------------------------------------------------------------------
def after_load(db: DB) -> None:
    """Fill delegated (``_inherits``) product fields from templates and learn tax rates."""
    tmpl, prod = db.tables.get("product.template"), db.tables.get("product.product")
    if tmpl is not None and prod is not None:
        for row in prod.rows.values():
            trow = tmpl.rows.get(m2o_id(row.get("product_tmpl_id")) or 0)
            if trow is None:
                continue
            for f, v in trow.items():
                if f in prod.fields and f not in row and f != "id":
                    row[f] = v
    partners = db.tables.get("res.partner")
    if partners is not None and "company_type" in partners.fields:
        for row in partners.rows.values():
            row.setdefault("company_type", "company" if row.get("is_company") else "person")
    if partners is not None:
        for row in partners.rows.values():
            partner_derived(db, partners, row)
    countries = db.tables.get("res.country")
    if countries is not None and "image_url" in countries.fields:
        for row in countries.rows.values():
            if isinstance(row.get("code"), str):
                row.setdefault(
                    "image_url", f"/base/static/img/country_flags/{row['code'].lower()}.png"
                )
    groups = db.tables.get("res.country.group")
    if countries is not None and groups is not None and "country_group_codes" in countries.fields:
        for row in countries.rows.values():
            codes = [
                groups.rows[g].get("code")
                for g in row.get("country_group_ids") or []
                if g in groups.rows and groups.rows[g].get("code")
            ]
            row["country_group_codes"] = codes or False
    rates: dict[int, float] = db.__dict__.setdefault("tax_rates", {})
    lines = db.tables.get("sale.order.line")
    if lines is not None:
        tax_field = _tax_field(lines)
        for row in lines.rows.values():
            taxes = row.get(tax_field) if tax_field else None
            sub = float(row.get("price_subtotal") or 0.0)
            if isinstance(taxes, list) and len(taxes) == 1 and sub:
                rates.setdefault(taxes[0], round(float(row.get("price_tax") or 0.0) / sub, 4))


def _tax_field(lines: Table) -> str | None:
    for f in ("tax_ids", "tax_id"):
        if f in lines.fields:
            return f
    return None


READONLY_MODELS = {
    "ir.model": "ir.model is read-only in the emulator: it lists the emulated models, "
    "which come from the data the emulator was started with."
}


def sync_ir_model(db: DB) -> None:
    """One ``ir.model`` row per table; rows of models already listed keep their id."""
    table = db.tables.get("ir.model")
    if table is None:
        return
    known = {row.get("model"): rid for rid, row in table.rows.items()}
    for name in sorted(db.tables):
        if name in known:
            continue
        desc = db.tables[name].description
        table.insert(
            {"model": name, "name": desc, "state": "base", "transient": False, "display_name": desc}
        )
    table.touch()


# -- create / write hooks -----------------------------------------------------------------------
def before_create(db: DB, table: Table, row: Row) -> None:
    if table.name == "sale.order" and not row.get("name"):
        row["name"] = f"S{table.next_id:05d}"
    elif table.name == "sale.order.line":
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


def after_change(
    db: DB, table: Table, ids: list[int], created: bool, fields: set[str] | None = None
) -> None:
    name = table.name
    if name == "res.partner":
        _partners(db, table, ids)
    elif name == "sale.order.line":
        _lines(db, table, ids)
    elif name == "sale.order":
        _orders(db, table, ids)
    elif name in ("product.product", "product.template"):
        for rid in ids:
            row = table.rows.get(rid)
            if row is not None:
                code = row.get("default_code")
                row["display_name"] = (
                    f"[{code}] {row.get('name')}" if code else (row.get("name") or "")
                )
    elif name == "ir.attachment":
        _attachments(db, table, ids)
    elif name == "res.country.state":
        for rid in ids:
            row = table.rows.get(rid)
            if row is not None:
                countries = db.tables.get("res.country")
                country = (
                    countries.rows.get(m2o_id(row.get("country_id")) or 0) if countries else None
                )
                code = (country or {}).get("code")
                row["display_name"] = f"{row.get('name')} ({code})" if code else row.get("name")
    else:
        rec = table.rec_name
        if fields is None or rec in fields or created:
            for rid in ids:
                row = table.rows.get(rid)
                if row is not None and isinstance(row.get(rec), str):
                    row["display_name"] = row[rec]
                elif row is not None:
                    row.pop("display_name", None)
    table.touch()


def _attachments(db: DB, table: Table, ids: list[int]) -> None:
    """Derived attachment fields: content from ``raw``, size, SHA-1, mimetype, URLs."""
    for rid in ids:
        row = table.rows.get(rid)
        if row is None:
            continue
        row["display_name"] = row.get("name") or ""
        raw = row.pop("raw", None)
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        if isinstance(raw, (bytes, bytearray)):
            row["datas"] = base64.b64encode(bytes(raw)).decode("ascii")
        datas = row.get("datas")
        if isinstance(datas, str) and datas:
            try:
                content = base64.b64decode(datas)
            except ValueError:
                content = b""
            digest = hashlib.sha1(content).hexdigest()
            row.update(file_size=len(content), checksum=digest)
            if "store_fname" in table.fields:
                row["store_fname"] = f"{digest[:2]}/{digest}"
        elif row.get("type") == "binary" or not datas:
            row.update(file_size=0, checksum=False)
        if not row.get("mimetype"):
            guessed = mimetypes.guess_type(str(row.get("name") or ""))[0]
            row["mimetype"] = guessed or (
                "application/octet-stream" if row.get("type") != "url" else False
            )
        if "local_url" in table.fields:
            row["local_url"] = f"/web/content/{rid}?unique={row.get('checksum') or ''}"
        model, res_id = row.get("res_model"), row.get("res_id")
        if "res_name" in table.fields:
            row["res_name"] = db.name_of(str(model), int(res_id)) if model and res_id else False


def _partners(db: DB, table: Table, ids: list[int]) -> None:
    todo = list(ids)
    seen: set[int] = set()
    children = db.inverse_index(table, "parent_id") if "parent_id" in table.fields else {}
    while todo:
        rid = todo.pop(0)
        if rid in seen or rid not in table.rows:
            continue
        seen.add(rid)
        row = table.rows[rid]
        parent = table.rows.get(m2o_id(row.get("parent_id")) or 0)
        name = row.get("name") or ""
        commercial = row
        p = parent
        if not row.get("is_company"):
            while p is not None:
                commercial = p
                if p.get("is_company"):
                    break
                p = table.rows.get(m2o_id(p.get("parent_id")) or 0)
        if parent is not None and not row.get("is_company"):
            company = commercial.get("name") if commercial is not row else parent.get("name")
            full = f"{company}, {name}" if name else str(company)
        else:
            full = name
        row["complete_name"] = full or False
        if "company_type" in table.fields:
            row["company_type"] = "company" if row.get("is_company") else "person"
        row["display_name"] = full or ""
        if "commercial_partner_id" in table.fields:
            row["commercial_partner_id"] = commercial["id"]
        if "commercial_company_name" in table.fields:
            row["commercial_company_name"] = (
                commercial.get("name") if commercial.get("is_company") else False
            )
        partner_derived(db, table, row)
        todo.extend(children.get(rid, ()))
        table.touch()
        children = db.inverse_index(table, "parent_id") if "parent_id" in table.fields else {}


#: sizes of the resized copies of ``image_1920`` (the emulator does not resize: same bytes)
IMAGE_SIZES = ("1024", "512", "256", "128")


def partner_derived(db: DB, table: Table, row: Row) -> None:
    """Values Odoo computes from other fields of a partner: resized images and avatars,
    country code, parent name, normalised and formatted email."""
    fields = table.fields
    if "image_1920" in row:
        for size in IMAGE_SIZES:
            if f"image_{size}" in fields:
                row[f"image_{size}"] = row["image_1920"] or False
    for size in ("1920", *IMAGE_SIZES):
        if f"avatar_{size}" in fields and f"image_{size}" in row:
            row[f"avatar_{size}"] = row[f"image_{size}"] or False
    if "country_code" in fields:
        countries = db.tables.get("res.country")
        country = countries.rows.get(m2o_id(row.get("country_id")) or 0) if countries else None
        row["country_code"] = (country or {}).get("code") or False
    if "parent_name" in fields:
        parent = table.rows.get(m2o_id(row.get("parent_id")) or 0)
        row["parent_name"] = (parent or {}).get("name") or False
    email = row.get("email")
    normalized = _normalize_email(email) if isinstance(email, str) else False
    if "email_normalized" in fields:
        row["email_normalized"] = normalized
    if "email_formatted" in fields:
        if email:
            name = str(row.get("name") or "False").replace("\\", "\\\\").replace('"', '\\"')
            row["email_formatted"] = f'"{name}" <{normalized or email}>'
        else:
            row["email_formatted"] = False


def _normalize_email(text: str) -> str | bool:
    """The address of ``Name <addr>`` or ``addr``, lowercased; False when there is none."""
    inner = text.rsplit("<", 1)[-1].split(">", 1)[0] if "<" in text else text
    inner = inner.strip().lower()
    return inner if "@" in inner else False


def inverse_values(table: Table, vals: dict[str, Any]) -> dict[str, Any]:
    """Writable computed fields turned into the stored values they set (``company_type``)."""
    if table.name == "res.partner" and "company_type" in vals and "is_company" not in vals:
        vals = {**vals, "is_company": vals["company_type"] == "company"}
    return vals


def _lines(db: DB, table: Table, ids: list[int]) -> None:
    orders: set[int] = set()
    for rid in ids:
        row = table.rows.get(rid)
        if row is None:
            continue
        qty = float(row.get("product_uom_qty") or 0.0)
        price = float(row.get("price_unit") or 0.0)
        disc = float(row.get("discount") or 0.0)
        sub = round(qty * price * (1 - disc / 100.0), 2)
        tax_field = _tax_field(table)
        rates = db.__dict__.get("tax_rates", {})
        rate = sum(rates.get(t, 0.0) for t in (row.get(tax_field) or [])) if tax_field else 0.0
        row["price_subtotal"] = sub
        row["price_tax"] = round(sub * rate, 2)
        row["price_total"] = round(sub + row["price_tax"], 2)
        oid = m2o_id(row.get("order_id"))
        otable = db.tables.get("sale.order")
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
        row["amount_untaxed"] = untaxed
        row["amount_tax"] = tax
        row["amount_total"] = round(untaxed + tax, 2)


def after_unlink(db: DB, table: Table, rows: list[Row]) -> None:
    """Recompute what depended on deleted records: an order's totals once a line is gone."""
    orders = db.tables.get("sale.order")
    if table.name == "sale.order.line" and orders is not None:
        linked = {m2o_id(r.get("order_id")) for r in rows}
        ids = sorted(i for i in linked if i is not None and i in orders.rows)
        for rid in ids:
            db._save(orders, rid)
        _orders(db, orders, ids)
        orders.touch()


# -- constraints ----------------------------------------------------------------------------
#: Odoo's SQL check on res.partner: a partner of type "contact" has a name (NULL is refused,
#: an empty string is not, as in PostgreSQL)
CONTACT_NAME_MESSAGE = "The operation cannot be completed: Contacts require a name"


def check_constraints(db: DB, table: Table, ids: list[int]) -> None:
    """Model constraints checked after a create or write (the call is rolled back)."""
    if table.name == "res.partner" and "type" in table.fields:
        for rid in ids:
            row = table.rows.get(rid) or {}
            if row.get("type") == "contact" and row.get("name") in (None, False):
                raise errors.ValidationError(CONTACT_NAME_MESSAGE)


def before_unlink(db: DB, table: Table, ids: list[int]) -> None:
    if table.name == "sale.order":
        for rid in ids:
            if table.rows[rid].get("state") in ("sale", "sent", "done"):
                raise errors.UserError(
                    "You can not delete a sent quotation or a confirmed sales order. "
                    "You must first cancel it."
                )


# -- custom methods -------------------------------------------------------------------------
def action_confirm(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    ids = db.existing(table, ids)
    bad = [table.rows[i] for i in ids if table.rows[i].get("state") not in ("draft", "sent")]
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


def action_cancel(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    ids = db.existing(table, ids)
    ctx = db._ctx
    warn = db.version < 19 and not ctx.get("disable_cancel_warning")
    if warn and any(table.rows[i].get("state") != "draft" for i in ids):
        return {
            "name": "Cancel Sales Order",
            "view_mode": "form",
            "res_model": "sale.order.cancel",
            "view_id": 1065 if db.version <= 17 else 1125,
            "type": "ir.actions.act_window",
            "context": {
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


def action_archive(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    return db.write_records(table, ids, {"active": False})


def action_unarchive(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    return db.write_records(table, ids, {"active": True})


Method = Callable[..., Any]
#: (model or "*", method) -> (function(db, table, ids, **kwargs), access operation)
METHODS: dict[tuple[str, str], tuple[Method, str]] = {
    ("sale.order", "action_confirm"): (action_confirm, "write"),
    ("sale.order", "action_cancel"): (action_cancel, "write"),
    ("sale.order", "action_draft"): (action_draft, "write"),
    ("sale.order", "action_quotation_sent"): (action_quotation_sent, "write"),
    ("sale.order", "action_quotation_send"): (action_quotation_send, "read"),
    ("*", "action_archive"): (action_archive, "write"),
    ("*", "action_unarchive"): (action_unarchive, "write"),
}
