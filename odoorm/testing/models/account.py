"""account.tax and account.tax.group: the taxes order lines carry, and what a line's tax
ids mean when the database has no tax records (a recorded ``seed.json``).

The rates the order lines use (``db.tax_rates``) come from the tax records; without
them, :mod:`odoorm.testing.models.sale` learns each rate from the loaded lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from odoorm.testing import account_demo
from odoorm.testing._api import DB, ModelHooks, Row
from odoorm.testing.store import Table, m2o_id


@dataclass(frozen=True)
class Tax:
    """What the tax totals need of one tax and its group."""

    id: int
    amount_type: str
    amount: float
    group_id: int
    group_name: str
    group_sequence: int
    group_label: str | bool = False
    preceding_subtotal: str | bool = False

    def unrounded(self, base: float) -> float:
        """The tax on ``base``. Only percentages excluded from the price are modelled
        (``base * amount / 100``); other kinds count as 0, as in the lines' ``price_tax``."""
        return base * self.amount / 100.0 if self.amount_type == "percent" else 0.0


def _company(db: DB) -> tuple[int | None, int | None]:
    """The first company and its country (Odoo's defaults: the user's company, and its
    fiscal country for the tax's country)."""
    companies = db.tables.get("res.company")
    if companies is None or not companies.rows:
        return None, None
    cid = min(companies.rows)
    partners = db.tables.get("res.partner")
    partner = m2o_id(companies.rows[cid].get("partner_id"))
    prow = partners.rows.get(partner or 0) if partners is not None else None
    return cid, m2o_id((prow or {}).get("country_id"))


def _tax_defaults(db: DB, table: Table) -> dict[str, Any]:
    company, country = _company(db)
    out: dict[str, Any] = {
        "amount_type": "percent",
        "type_tax_use": "sale",
        "sequence": 1,
        "amount": 0.0,
        "include_base_amount": False,
        "is_base_affected": True,
        "company_id": company or False,
        "country_id": country or False,
    }
    if "price_include_override" not in table.fields:
        out["price_include"] = False
    return {f: v for f, v in out.items() if f in table.fields}


def _group_defaults(db: DB, table: Table) -> dict[str, Any]:
    company, country = _company(db)
    out = {"sequence": 10, "company_id": company or False, "country_id": country or False}
    return {f: v for f, v in out.items() if f in table.fields}


def _rate(row: Row) -> float | None:
    if row.get("amount_type", "percent") != "percent":
        return None
    return float(row.get("amount") or 0.0) / 100.0


def _sync_rates(db: DB, table: Table, ids: list[int] | None = None) -> None:
    """The line totals read ``db.tax_rates``; the tax records are their source."""
    for rid in table.rows if ids is None else ids:
        row = table.rows.get(rid)
        rate = _rate(row) if row is not None else None
        if rate is None:
            db.tax_rates.pop(rid, None)
        else:
            db.tax_rates[rid] = rate


def _tax_after_load(db: DB, table: Table) -> None:
    _sync_rates(db, table)


def _tax_after_change(db: DB, table: Table, ids: list[int]) -> None:
    _sync_rates(db, table, ids)
    for rid in ids:  # what the generic rule does for models without an after_change
        row = table.rows.get(rid)
        if row is not None:
            row["display_name"] = row.get("name") or ""


def _tax_after_unlink(db: DB, table: Table, rows: list[Row]) -> None:
    for row in rows:
        db.tax_rates.pop(row["id"], None)


def tax(db: DB, tid: int) -> Tax | None:
    """The tax ``tid`` as the totals see it: from ``account.tax`` when the database has it,
    else from the learnt rate (its group from the version's demo table when the id is one
    of the demo taxes, else a group of its own, named as Odoo names them: "Tax 15%")."""
    taxes = db.tables.get("account.tax")
    if taxes is not None:
        row = taxes.rows.get(tid)
        if row is None:
            return None
        groups = db.tables.get("account.tax.group")
        gid = m2o_id(row.get("tax_group_id")) or 0
        group = (groups.rows.get(gid) if groups is not None else None) or {}
        return Tax(
            id=tid,
            amount_type=str(row.get("amount_type") or "percent"),
            amount=float(row.get("amount") or 0.0),
            group_id=gid,
            group_name=str(group.get("name") or ""),
            group_sequence=int(group.get("sequence") or 0),
            group_label=group.get("pos_receipt_label") or False,
            preceding_subtotal=group.get("preceding_subtotal") or False,
        )
    if tid not in db.tax_rates:
        return None
    percent = round(db.tax_rates[tid] * 100.0, 4)
    known = {t[0]: t for t in account_demo.TAXES[min(max(db.version, 16), 19)]}
    demo_groups = {g[0]: g for g in account_demo.GROUPS[min(max(db.version, 16), 19)]}
    demo = known.get(tid)
    if demo is not None and demo[2] == percent:
        gid, name, seq = demo_groups[demo[4]]
        return Tax(tid, "percent", percent, gid, name, seq)
    return Tax(tid, "percent", percent, tid, f"Tax {percent:g}%", 10)


TAX = ModelHooks(
    defaults=_tax_defaults,
    after_load=_tax_after_load,
    after_change=_tax_after_change,
    after_unlink=_tax_after_unlink,
)
GROUP = ModelHooks(defaults=_group_defaults)
