"""res.partner: defaults, display and commercial names, derived values, the name constraint."""

from __future__ import annotations

from typing import Any

from odoorm.testing import errors
from odoorm.testing._api import DB, ModelHooks, Row
from odoorm.testing.store import Table, m2o_id


def _defaults(db: DB, table: Table) -> dict[str, Any]:
    return {"type": "contact", "is_company": False, "lang": "en_US", "color": 0}


def _copy_defaults(db: DB, table: Table, src: Row) -> dict[str, Any]:
    return {"name": f"{src['name']} (copy)"} if src.get("name") else {}


def _after_load(db: DB, table: Table) -> None:
    if "company_type" in table.fields:
        for row in table.rows.values():
            row.setdefault("company_type", "company" if row.get("is_company") else "person")
    for row in table.rows.values():
        partner_derived(db, table, row)


def _after_change(db: DB, table: Table, ids: list[int]) -> None:
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
        # an empty name is a value (it sorts first), a missing one is NULL
        row["complete_name"] = full or ("" if row.get("name") == "" else False)
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


def _inverse_values(db: DB, table: Table, vals: dict[str, Any]) -> dict[str, Any]:
    """``company_type`` is computed and writable: it sets ``is_company``."""
    if "company_type" in vals and "is_company" not in vals:
        vals = {**vals, "is_company": vals["company_type"] == "company"}
    return vals


#: Odoo's SQL check on res.partner: a partner of type "contact" has a name (NULL is refused,
#: an empty string is not, as in PostgreSQL)
CONTACT_NAME_MESSAGE = "The operation cannot be completed: Contacts require a name"


def address_get(db: DB, table: Table, ids: list[int], adr_pref: Any = None) -> dict[str, Any]:
    """``res.partner.address_get``: for each wanted address type (``contact`` always),
    the first contact of that type in the partner's family, else the contact found.

    The family is scanned depth first from the partner, each level's active
    non-company children in the partner order (``complete_name``, then newest
    first), then again from its parent while the partner is not a company
    (measured on real 16-19: a person's own invoice child wins over its
    company's, a delivery address comes from the company).
    """
    wanted = list(dict.fromkeys(["contact", *(adr_pref or [])]))
    rows = table.rows
    index = db.inverse_index(table, "parent_id")  # cached until the partners change

    def children(rid: int) -> list[Row]:
        kids = [rows[c] for c in index.get(rid, ()) if c in rows]
        kids = [k for k in kids if k.get("active", True) and not k.get("is_company")]
        kids.sort(key=lambda r: -r["id"])
        kids.sort(key=lambda r: str(r.get("complete_name") or r.get("name") or ""))
        return kids

    found: dict[str, int] = {}
    seen: set[int] = set()
    for pid in ids:
        current = rows.get(pid)
        while current is not None:
            todo = [current]
            while todo:
                row = todo.pop(0)
                seen.add(row["id"])
                kind = row.get("type") or "contact"
                if kind in wanted and kind not in found:
                    found[kind] = row["id"]
                if len(found) == len(wanted):
                    return {kind: found[kind] for kind in wanted}
                todo = [c for c in children(row["id"]) if c["id"] not in seen] + todo
            if current.get("is_company") or not m2o_id(current.get("parent_id")):
                break
            current = rows.get(m2o_id(current.get("parent_id")) or 0)
    default: Any = found.get("contact", ids[0] if ids else False)
    return {kind: found.get(kind) or default for kind in wanted}


def _check(db: DB, table: Table, ids: list[int]) -> None:
    if "type" not in table.fields:
        return
    for rid in ids:
        row = table.rows.get(rid) or {}
        if row.get("type") == "contact" and row.get("name") in (None, False):
            raise errors.ValidationError(CONTACT_NAME_MESSAGE)


def _unlink_draft_orders(db: DB, table: Table, ids: list[int]) -> None:
    """17 and 18 delete a partner's quotations with it (a confirmed order still blocks)."""
    orders = db.tables.get("sale.order")
    if orders is None:
        return
    gone = set(ids)
    drafts = [
        rid
        for rid, row in orders.rows.items()
        if m2o_id(row.get("partner_id")) in gone and row.get("state") == "draft"
    ]
    if drafts:
        db.unlink_records(orders, drafts)


PARTNER = ModelHooks(
    defaults=_defaults,
    copy_defaults=_copy_defaults,
    inverse_values=_inverse_values,
    after_change=_after_change,
    check=_check,
    after_load=_after_load,
    methods={"address_get": (address_get, "read")},
)
#: from 18, credit_limit is company-dependent, stored as jsonb
PARTNER_18 = ModelHooks(company_dependent=frozenset({"credit_limit"}), since=18)
#: 17 and 18 delete the draft orders of a deleted partner (16 and 19 refuse, foreign key)
PARTNER_17_18 = ModelHooks(before_unlink=_unlink_draft_orders, since=17, until=18)
