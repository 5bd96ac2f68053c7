"""res.currency.rate: the company rate derived from the company currency's own rate; amounts
in a currency: rounded and formatted as Odoo's ``res.currency`` does."""

from __future__ import annotations

import math

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


# -- amounts in a currency -------------------------------------------------------------------
def currency_round(value: float, rounding: float, version: int) -> float:
    """``res.currency.round``: half-up to a multiple of ``rounding``, as Odoo's float_round.

    The value is first nudged by one unit in the last place of its magnitude (so 0.045,
    stored as 0.04499..., rounds up like the decimal it stands for). Up to 17 the rounded
    count is multiplied back by ``rounding`` (1146455 * 0.01 gives 11464.550000000001, as
    16/17 answer); from 18 it is divided by the inverse (1146455 / 100 gives 11464.55).
    """
    if not rounding or not value:
        return 0.0
    steps = value / rounding
    nudged = steps + math.copysign(2 ** (math.log2(abs(steps)) - 52), steps)
    count = math.copysign(math.floor(abs(nudged) + 0.5), nudged)
    if version >= 18 and rounding < 1:
        return count / round(1 / rounding)
    return count * rounding


def stored_amount(db: DB, currency: Row, value: float) -> float:
    """An amount rounded half up in ``currency``, as Odoo's float_round (Python's
    round(0.015, 2) gives 0.01), then as the database's numeric column answers it (no
    float noise)."""
    rounded = currency_round(value, float(currency.get("rounding") or 0.01), db.version)
    return round(rounded, decimal_places(currency))


def currency_row(db: DB, cid: int | None) -> Row:
    """The currency's row, or an empty one (2 decimals, no symbol) when it is unknown."""
    table = db.tables.get("res.currency")
    row = table.rows.get(cid) if table is not None and cid else None
    return row if row is not None else {"id": cid or False, "rounding": 0.01}


def decimal_places(currency: Row) -> int:
    places = currency.get("decimal_places")
    if isinstance(places, int) and not isinstance(places, bool):
        return places
    rounding = float(currency.get("rounding") or 0.01)
    return max(0, -math.floor(math.log10(rounding))) if rounding < 1 else 0


def format_amount(db: DB, value: float, currency: Row) -> str:
    """Odoo's ``formatLang(..., currency_obj=...)``: the amount with the currency's decimal
    places and the language's separators, and the symbol before or after it behind a
    no-break space (``$\\u00a02,001.00``, ``1,740.00\\u00a0€``)."""
    point, sep = _separators(db)
    text = f"{value:,.{decimal_places(currency)}f}"
    text = text.replace(",", "\x00").replace(".", point).replace("\x00", sep)
    symbol = currency.get("symbol") or ""
    if not symbol:
        return text
    if currency.get("position") == "after":
        return f"{text}\u00a0{symbol}"
    return f"{symbol}\u00a0{text}"


def _separators(db: DB) -> tuple[str, str]:
    """The decimal point and thousands separator of the context's language (en_US's
    otherwise); grouping by three digits, which every language the emulator has uses."""
    code = db._ctx.get("lang") or "en_US"
    langs = db.tables.get("res.lang")
    for row in langs.rows.values() if langs is not None else ():
        if row.get("code") == code:
            return str(row.get("decimal_point") or "."), str(row.get("thousands_sep") or "")
    return ".", ","
