"""``odoorm demo``: a small sales report, built with real queries.

Runs against whatever connection it is given (the embedded emulator by
default), so it doubles as a smoke test of a real server: read-only, it only
searches and groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from odoorm.session import Connection

__all__ = ["run_demo"]

#: the order states that count as sales
SOLD = ("sale", "done")


def _table(rows: Sequence[Sequence[str]], header: Sequence[str], right: set[int]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: Sequence[str]) -> str:
        cells = [
            str(v).rjust(widths[i]) if i in right else str(v).ljust(widths[i])
            for i, v in enumerate(row)
        ]
        return "  " + "  ".join(cells).rstrip()

    return [fmt(header), "  " + "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


def _money(value: float) -> str:
    return f"{value:,.2f}"


def run_demo(conn: Connection, *, out: TextIO, top: int = 5) -> dict[str, Any]:
    """Print the demo report to ``out``; returns the figures it printed (for tests)."""
    where = f"{conn.url} (database {conn.db}, Odoo {conn.version.text}, {conn.protocol})"
    print(f"Connected to {where} as {conn.login}", file=out)

    sold = [("state", "in", list(SOLD))]
    partners = conn.execute("res.partner", "search_count", [])
    companies = conn.execute("res.partner", "search_count", [("is_company", "=", True)])
    orders = conn.execute("sale.order", "search_count", [])
    confirmed = conn.execute("sale.order", "search_count", sold)
    print(
        f"{partners} contacts ({companies} companies), {orders} sale orders "
        f"({confirmed} confirmed)",
        file=out,
    )

    # one read_group each: the server adds up, we only print
    by_customer = conn.execute(
        "sale.order",
        "read_group",
        sold,
        ["amount_total:sum"],
        ["partner_id"],
        orderby="amount_total desc",
        limit=top,
        lazy=False,
    )
    customers = [
        (g["partner_id"][1] if g["partner_id"] else "(none)", g["__count"], g["amount_total"])
        for g in by_customer
    ]
    print(f"\nTop {len(customers)} customers by confirmed sales", file=out)
    rows = [
        (str(i), name, str(n), _money(total)) for i, (name, n, total) in enumerate(customers, 1)
    ]
    for line in _table(rows, ("#", "Customer", "Orders", "Total"), right={0, 2, 3}):
        print(line, file=out)

    by_month = conn.execute(
        "sale.order",
        "read_group",
        sold,
        ["amount_total:sum"],
        ["date_order:month"],
        orderby="date_order:month asc",
        lazy=False,
    )
    months = [(g["date_order:month"], g["__count"], g["amount_total"]) for g in by_month]
    print("\nConfirmed sales by month", file=out)
    peak = max((t for _, _, t in months), default=0) or 1
    rows = [
        (str(label), str(n), _money(total), "#" * max(1, round(20 * total / peak)))
        for label, n, total in months
    ]
    for line in _table(rows, ("Month", "Orders", "Total", ""), right={1, 2}):
        print(line, file=out)
    print(
        "\nNext: `odoorm shell --emulator` to explore, `odoorm inspect res.partner` to "
        "generate model classes.",
        file=out,
    )
    return {"partners": partners, "orders": orders, "customers": customers, "months": months}
