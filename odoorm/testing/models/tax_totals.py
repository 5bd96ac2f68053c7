"""sale.order.tax_totals: the JSON dict (in a binary field) behind an order's totals widget,
computed from the order's lines, their taxes and the currency, in each version's shape.

16/17 answer ``groups_by_subtotal`` with amounts formatted in the currency; 18/19 answer
``subtotals`` of ``tax_groups`` with amounts in the order's and the company's currency.
Amounts are summed in the order the real server sums them (line order, then per group),
so the float noise it leaves in (``0.30000000000000004``) is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from odoorm.testing._api import DB, ModelHooks, Row
from odoorm.testing.account_schema import line_tax_field
from odoorm.testing.models.account import Tax, tax
from odoorm.testing.models.currency import (
    currency_round,
    currency_row,
    decimal_places,
    format_amount,
    stored_amount,
)
from odoorm.testing.store import Table, m2o_id

UNTAXED = "Untaxed Amount"


@dataclass
class BaseLine:
    """One order line as the totals see it: its untaxed amount and its taxes' amounts."""

    base: float
    taxes: list[tuple[Tax, float]]  # (tax, amount after the rounding method)


@dataclass
class Sums:
    base: float = 0.0
    tax: float = 0.0
    tax_ids: list[int] = field(default_factory=list)
    first: Tax | None = None


def _rounding_method(db: DB, order: Row) -> str:
    """The company's ``tax_calculation_rounding_method``: Odoo 19 defaults to rounding
    the total of each tax, 16-18 to rounding each line's tax (as the lab's companies)."""
    given = order.get("tax_calculation_rounding_method")
    if isinstance(given, str) and given:
        return given
    return "round_globally" if db.version >= 19 else "round_per_line"


def base_lines(db: DB, order: Row, currency: Row) -> list[BaseLine]:
    """The order's lines (section and note lines left out), in the order's line order,
    with each tax's amount rounded per line, or per tax over the order (round_globally)."""
    lines = db.tables.get("sale.order.line")
    if lines is None:
        return []
    idx = db.inverse_index(lines, "order_id")
    rows = [lines.rows[i] for i in idx.get(order["id"], ()) if i in lines.rows]
    rows.sort(key=lambda r: (int(r.get("sequence") or 0), r["id"]))
    tax_field = line_tax_field(db.version)
    rounding = float(currency.get("rounding") or 0.01)
    per_line = _rounding_method(db, order) == "round_per_line"
    out: list[BaseLine] = []
    for row in rows:
        if row.get("display_type"):
            continue
        base = float(row.get("price_subtotal") or 0.0)
        found = [tax(db, t) for t in (row.get(tax_field) or [])]
        taxes = [
            (t, currency_round(t.unrounded(base), rounding, db.version) if per_line else 0.0)
            for t in found
            if t is not None
        ]
        out.append(BaseLine(base, taxes))
    if not per_line:
        _round_globally(db, out, rounding)
    return out


def global_tax_amount(db: DB, order: Row) -> float | None:
    """The order's ``amount_tax`` where each tax's total is rounded once over the order
    (Odoo 19's default): three lines of 0.10 at 15 % make 0.05, where rounding each
    line's 0.015 makes 0.06. None where lines are rounded one by one, or where a line's
    tax is not a record of the emulator (a seed.json learns only rates)."""
    if _rounding_method(db, order) != "round_globally":
        return None
    lines = db.tables.get("sale.order.line")
    if lines is not None:
        field = line_tax_field(db.version)
        for i in db.inverse_index(lines, "order_id").get(order["id"], ()):
            if any(tax(db, t) is None for t in (lines.rows.get(i) or {}).get(field) or []):
                return None
    currency = _currency(db, order)
    amount = sum(value for line in base_lines(db, order, currency) for _, value in line.taxes)
    return stored_amount(db, currency, amount)


def _round_globally(db: DB, lines: list[BaseLine], rounding: float) -> None:
    """Each tax's total over the order is rounded once; the first line of the tax carries
    it (only the totals per tax and per group are read from here)."""
    totals: dict[int, float] = {}
    for line in lines:
        for t, _ in line.taxes:
            totals[t.id] = totals.get(t.id, 0.0) + t.unrounded(line.base)
    seen: set[int] = set()
    for line in lines:
        taxes: list[tuple[Tax, float]] = []
        for t, _ in line.taxes:
            first = t.id not in seen
            seen.add(t.id)
            taxes.append((t, currency_round(totals[t.id], rounding, db.version) if first else 0.0))
        line.taxes = taxes


def aggregate(lines: list[BaseLine], key: Callable[[Tax], Hashable]) -> dict[Any, Sums]:
    """Odoo's aggregation of lines per grouping key: a line adds its base once to each key
    its taxes fall in (``None`` for a line without taxes) and each tax's amount to its own."""
    out: dict[Any, Sums] = {}
    for line in lines:
        keys: dict[Any, list[tuple[Tax, float]]] = {}
        for t, amount in line.taxes:
            keys.setdefault(key(t), []).append((t, amount))
        if not line.taxes:
            keys[None] = []
        for k, taxes in keys.items():
            sums = out.setdefault(k, Sums())
            sums.base += line.base
            for t, amount in taxes:
                sums.tax += amount
                sums.first = sums.first or t
                if t.id not in sums.tax_ids:
                    sums.tax_ids.append(t.id)
    return out


def _by_group(lines: list[BaseLine]) -> list[Sums]:
    groups = aggregate(lines, lambda t: t.group_id)
    found = [s for k, s in groups.items() if k is not None and s.first is not None]
    return sorted(found, key=lambda s: (s.first.group_sequence, s.first.group_id))  # type: ignore[union-attr]


def _currency(db: DB, order: Row) -> Row:
    cid = m2o_id(order.get("currency_id"))
    if not cid:
        companies = db.tables.get("res.company")
        company = companies.rows.get(m2o_id(order.get("company_id")) or 0) if companies else None
        cid = m2o_id((company or {}).get("currency_id"))
    return currency_row(db, cid)


# -- 16 / 17 -------------------------------------------------------------------------------------
def totals_16(db: DB, table: Table, order: Row) -> dict[str, Any]:
    currency = _currency(db, order)
    lines = base_lines(db, order, currency)
    rounding = float(currency.get("rounding") or 0.01)
    untaxed = 0.0
    for sums in aggregate(lines, lambda t: True).values():
        untaxed += sums.base
    groups = _by_group(lines)
    by_subtotal: dict[str, list[dict[str, Any]]] = {}
    order_of: dict[str, int] = {}
    for sums in groups:
        t = sums.first
        assert t is not None
        title = str(t.preceding_subtotal or UNTAXED)
        order_of[title] = min(order_of.get(title, t.group_sequence), t.group_sequence)
        by_subtotal.setdefault(title, []).append(
            {
                "group_key": t.group_id,
                "tax_group_id": t.group_id,
                "tax_group_name": t.group_name,
                "tax_group_amount": sums.tax,
                "tax_group_base_amount": sums.base,
                "formatted_tax_group_amount": format_amount(db, sums.tax, currency),
                "formatted_tax_group_base_amount": format_amount(db, sums.base, currency),
                # only fixed taxes hide their base, and they are not modelled
                "hide_base_amount": False,
            }
        )
    titles = sorted(order_of, key=lambda k: order_of[k])
    subtotals = []
    tax_total = 0.0
    for title in titles:
        amount = untaxed + tax_total
        subtotals.append(
            {
                "name": title,
                "amount": amount,
                "formatted_amount": format_amount(db, amount, currency),
            }
        )
        tax_total += sum(g["tax_group_amount"] for g in by_subtotal[title])
    total = untaxed + tax_total
    different_base = len(groups) == 1 and round(groups[0].base - untaxed, 6) != 0
    return {
        "amount_untaxed": currency_round(untaxed, rounding, db.version),
        "amount_total": currency_round(total, rounding, db.version),
        "formatted_amount_total": format_amount(db, total, currency),
        "formatted_amount_untaxed": format_amount(db, untaxed, currency),
        "groups_by_subtotal": {title: by_subtotal[title] for title in by_subtotal},
        "subtotals": subtotals,
        "subtotals_order": titles,
        "display_tax_base": different_base or len(groups) > 1,
    }


# -- 18 / 19 -------------------------------------------------------------------------------------
def _head_18(db: DB, order: Row, currency: Row, lines: list[BaseLine]) -> dict[str, Any]:
    """The answer's order-wide part on 18 and 19: currencies and the summed amounts
    (``subtotals`` empty, ``same_tax_base`` and totals still to come)."""
    companies = db.tables.get("res.company")
    company = companies.rows.get(m2o_id(order.get("company_id")) or 0) if companies else None
    company_currency = currency_row(db, m2o_id((company or {}).get("currency_id")))
    out: dict[str, Any] = {
        "currency_id": currency.get("id") or False,
        "currency_pd": float(currency.get("rounding") or 0.01),
        "company_currency_id": company_currency.get("id") or False,
        "company_currency_pd": float(company_currency.get("rounding") or 0.01),
        "has_tax_groups": False,
        "subtotals": [],
        "base_amount_currency": 0.0,
        "base_amount": 0.0,
        "tax_amount_currency": 0.0,
        "tax_amount": 0.0,
    }
    for key, sums in aggregate(lines, lambda t: True).items():
        out["has_tax_groups"] = out["has_tax_groups"] or bool(key)
        _add(out, sums.base, sums.tax)
    return out


def _tax_group(sums: Sums) -> dict[str, Any]:
    t = sums.first
    assert t is not None
    return {
        "id": t.group_id,
        "involved_tax_ids": list(sums.tax_ids),
        "tax_amount_currency": sums.tax,
        "tax_amount": sums.tax,
        "base_amount_currency": sums.base,
        "base_amount": sums.base,
        "display_base_amount_currency": sums.base,
        "display_base_amount": sums.base,
        "group_name": t.group_name,
        "group_label": t.group_label,
    }


def _add(target: dict[str, Any], base: float, tax_amount: float) -> None:
    target["base_amount_currency"] += base
    target["base_amount"] += base
    target["tax_amount_currency"] += tax_amount
    target["tax_amount"] += tax_amount


def _subtotal() -> dict[str, Any]:
    return {
        "tax_groups": [],
        "tax_amount_currency": 0.0,
        "tax_amount": 0.0,
        "base_amount_currency": 0.0,
        "base_amount": 0.0,
    }


def totals_18(db: DB, table: Table, order: Row) -> dict[str, Any]:
    """18: one subtotal per ``preceding_subtotal`` the lines fall in (none without lines);
    ``same_tax_base`` when every tax group shows the same base (so not without groups)."""
    currency = _currency(db, order)
    lines = base_lines(db, order, currency)
    out = _head_18(db, order, currency, lines)
    subtotals: dict[str, dict[str, Any]] = {}
    for key, sums in aggregate(lines, lambda t: t.preceding_subtotal or UNTAXED).items():
        _add(subtotals.setdefault(str(key or UNTAXED), _subtotal()), sums.base, sums.tax)
    places = decimal_places(currency)
    bases: set[str] = set()
    first_of: dict[str, int] = {}
    for n, sums in enumerate(_by_group(lines)):
        title = str(sums.first.preceding_subtotal or UNTAXED)  # type: ignore[union-attr]
        first_of.setdefault(title, n)
        bases.add(f"{sums.base:.{places}f}")
        subtotals.setdefault(title, _subtotal())["tax_groups"].append(_tax_group(sums))
    for title, subtotal in sorted(subtotals.items(), key=lambda kv: first_of.get(kv[0], 0)):
        out["subtotals"].append({**subtotal, "name": title})
    out["same_tax_base"] = len(bases) == 1
    out["total_amount_currency"] = out["base_amount_currency"] + out["tax_amount_currency"]
    out["total_amount"] = out["base_amount"] + out["tax_amount"]
    return out


def totals_19(db: DB, table: Table, order: Row) -> dict[str, Any]:
    """19: the subtotals come from the tax groups ("Untaxed Amount" alone when there are
    none), each based on the untaxed amount plus the taxes of the subtotals before it;
    ``same_tax_base`` when every group's base is the untaxed amount itself."""
    currency = _currency(db, order)
    lines = base_lines(db, order, currency)
    out = _head_18(db, order, currency, lines)
    places = decimal_places(currency)
    bases: set[str] = set()
    subtotals: dict[str, dict[str, Any]] = {}
    for sums in _by_group(lines):
        title = str(sums.first.preceding_subtotal or UNTAXED)  # type: ignore[union-attr]
        bases.add(f"{sums.base:.{places}f}")
        subtotals.setdefault(title, _subtotal())["tax_groups"].append(_tax_group(sums))
    if not subtotals:
        subtotals[UNTAXED] = _subtotal()
    accumulated = 0.0
    for title, subtotal in subtotals.items():  # already in the order of their first group
        subtotal["name"] = title
        subtotal["base_amount_currency"] = subtotal["base_amount"] = (
            out["base_amount_currency"] + accumulated
        )
        for group in subtotal["tax_groups"]:
            subtotal["tax_amount_currency"] += group["tax_amount_currency"]
            subtotal["tax_amount"] += group["tax_amount"]
            accumulated += group["tax_amount_currency"]
        out["subtotals"].append(subtotal)
    bases.add(f"{out['base_amount_currency']:.{places}f}")
    out["same_tax_base"] = len(bases) == 1
    # no cash rounding on sale orders: the total is the untaxed amount plus the taxes
    out["total_amount_currency"] = out["base_amount_currency"] + out["tax_amount_currency"]
    out["total_amount"] = out["base_amount"] + out["tax_amount"]
    return out


ORDER_16 = ModelHooks(computed={"tax_totals": totals_16}, until=17)
ORDER_18 = ModelHooks(computed={"tax_totals": totals_18}, since=18, until=18)
ORDER_19 = ModelHooks(computed={"tax_totals": totals_19}, since=19)
