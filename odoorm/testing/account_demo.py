"""The demo taxes and tax groups of each version, and which demo order lines carry them.

Derived from the lab's o16..o19 (sale_management with demo data, US chart of accounts):
the rows of YourCompany (company 1) with their ids. 19's second company "My US Company"
and its 46 state sales taxes are left out: the emulator's demo has no such company.
"""

from __future__ import annotations

from typing import Any

#: version -> tax groups: (id, name, sequence)
GROUPS: dict[int, tuple[tuple[int, str, int], ...]] = {
    16: ((1, "Taxes", 0), (2, "Tax 15%", 10)),
    17: ((1, "Tax 15%", 10),),
    18: ((1, "Tax 15%", 10),),
    19: ((1, "Tax 15%", 10), (2, "Tax 0%", 10)),
}
#: version -> taxes: (id, name, percent, type_tax_use, tax group id)
TAXES: dict[int, tuple[tuple[int, str, float, str, int], ...]] = {
    16: ((1, "Tax 15%", 15.0, "sale", 2), (2, "Purchase Tax 15%", 15.0, "purchase", 2)),
    17: ((1, "15%", 15.0, "sale", 1), (2, "15%", 15.0, "purchase", 1)),
    18: ((1, "15%", 15.0, "sale", 1), (2, "15%", 15.0, "purchase", 1)),
    19: (
        (1, "15%", 15.0, "sale", 1),
        (2, "15%", 15.0, "purchase", 1),
        (3, "0% Exports", 0.0, "sale", 2),
        (4, "0% Imports", 0.0, "purchase", 2),
    ),
}


def _version(version: int) -> int:
    return min(max(version, 16), 19)


def tax_groups(version: int, country: int | bool) -> list[dict[str, Any]]:
    v = _version(version)
    rows: list[dict[str, Any]] = []
    for gid, name, seq in GROUPS[v]:
        row: dict[str, Any] = {
            "id": gid,
            "name": name,
            "sequence": seq,
            # 16's groups are shared by every company and country
            "country_id": country if v >= 17 else False,
            "preceding_subtotal": False,
        }
        if v >= 17:
            row["company_id"] = 1
        if v >= 18:
            row["pos_receipt_label"] = False
        rows.append(row)
    return rows


def taxes(version: int, country: int | bool) -> list[dict[str, Any]]:
    v = _version(version)
    rows: list[dict[str, Any]] = []
    for tid, name, amount, use, group in TAXES[v]:
        row: dict[str, Any] = {
            "id": tid,
            "name": name,
            "amount": amount,
            "amount_type": "percent",
            "type_tax_use": use,
            "tax_scope": False,
            "tax_group_id": group,
            "active": True,
            "company_id": 1,
            "sequence": 1,
            "description": False,
            "include_base_amount": False,
            "is_base_affected": True,
            "children_tax_ids": [],
            "country_id": country,
            "price_include": False,
        }
        if v >= 17:
            row["invoice_label"] = False
        if v >= 18:
            row["price_include_override"] = False
        rows.append(row)
    return rows


def product_taxes(version: int) -> list[int]:
    """The demo products' sales taxes: the company's 15% on 17, none elsewhere (16's
    products were created before its chart of accounts; 18 and 19's demo leaves them
    empty), as on the lab's servers."""
    return [1] if _version(version) == 17 else []


def line_taxes(version: int, line_id: int, product_taxes: list[int]) -> list[int]:
    """The taxes of a demo order line: its product's, and on 18/19 a few lines taxed by
    hand, so demo orders have mixed lines as the lab's do (18: some 15% lines; 19: some
    "0% Exports" and some 15%)."""
    v = _version(version)
    if v == 18 and line_id % 5 == 0:
        return [1]
    if v == 19 and line_id % 5 == 0:
        return [3]
    if v == 19 and line_id % 7 == 0:
        return [1]
    return list(product_taxes)
