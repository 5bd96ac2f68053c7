"""res.partner: the measured fields (:mod:`odoorm.testing.measured`) whose real value comes
from data the emulator holds, computed when read (res.users reads its partner's)."""

from __future__ import annotations

from typing import Any

from odoorm.testing._api import DB, ModelHooks, Row
from odoorm.testing.models.users import zone_offset
from odoorm.testing.store import Table, m2o_id


def _currency(db: DB, table: Table, row: Row) -> Any:
    """account's ``currency_id``: the partner's company's currency, else the current
    user's company's."""
    companies = db.tables.get("res.company")
    if companies is None:
        return False
    company = companies.rows.get(m2o_id(row.get("company_id")) or 0)
    if company is None:
        users = db.tables.get("res.users")
        user = users.rows.get(db.uid, {}) if users else {}
        company = companies.rows.get(m2o_id(user.get("company_id")) or 0)
    return m2o_id((company or {}).get("currency_id")) or False


def _active_langs(db: DB, table: Table, row: Row) -> int:
    """How many languages are installed (``res.lang`` rows that are active)."""
    langs = db.tables.get("res.lang")
    if langs is None:
        return len(db.languages)
    return sum(1 for r in langs.rows.values() if r.get("active"))


MEASURED = ModelHooks(
    computed={
        "self": lambda db, table, row: row["id"],
        "tz_offset": lambda db, table, row: zone_offset(db, row.get("tz")),
        "active_lang_count": _active_langs,
        "currency_id": _currency,
        # 16: the display name in the context's language
        "translated_display_name": lambda db, table, row: db.value_out(table, row, "display_name"),
    }
)
