"""res.currency.rate: the company rate derived from the company currency's own rate."""

from __future__ import annotations

from odoorm.testing._api import DB, ModelHooks, Row
from odoorm.testing.store import Table, m2o_id


def _company_rate(db: DB, table: Table, row: Row) -> float:
    """``rate`` over the company currency's latest rate up to the same day (1.0 without)."""
    companies = db.tables.get("res.company")
    company = companies.rows.get(m2o_id(row.get("company_id")) or 1) if companies else None
    base = m2o_id((company or {}).get("currency_id"))
    day = str(row.get("name") or "")
    own = [
        r
        for r in table.rows.values()
        if m2o_id(r.get("currency_id")) == base and str(r.get("name") or "") <= day
    ]
    base_rate = max(own, key=lambda r: str(r.get("name")))["rate"] if own else 1.0
    return float(row.get("rate") or 0.0) / float(base_rate or 1.0)


def _inverse(db: DB, table: Table, row: Row) -> float:
    rate = _company_rate(db, table, row)
    return 1.0 / rate if rate else 0.0


RATE = ModelHooks(
    defaults=lambda db, table: {"rate": 1.0, "company_id": 1},
    computed={"company_rate": _company_rate, "inverse_company_rate": _inverse},
)
