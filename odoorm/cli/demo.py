"""``odoorm demo``: a small sales report, built with real queries.

Runs against whatever connection it is given (the embedded emulator by
default), so it doubles as a smoke test of a real server: read-only, it only
searches and groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from odoorm import fields
from odoorm.aggregates import Count, Sum
from odoorm.models import Model

if TYPE_CHECKING:
    from odoorm.session import Connection

__all__ = ["run_demo"]

#: the order states that count as sales ("done", locked, exists up to Odoo 16 only)
SOLD = ("sale", "done")
NOTHING_SOLD = "  (no confirmed sale orders yet)"


def sold_states(conn: Connection) -> list[str]:
    """The states of :data:`SOLD` that this server's sale orders have."""
    return [s for s in SOLD if s != "done" or conn.version.major < 17]


def _table(rows: Sequence[Sequence[str]], header: Sequence[str], right: set[int]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: Sequence[str]) -> str:
        cells = [
            str(v).rjust(widths[i]) if i in right else str(v).ljust(widths[i])
            for i, v in enumerate(row)
        ]
        return "  " + "  ".join(cells).rstrip()

    return [fmt(header), "  " + "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _models() -> dict[str, Any]:
    """The demo's model classes, declared once (they register like any model)."""
    global _MODELS
    if _MODELS is None:

        class Country(Model):
            _name = "res.country"

            name = fields.Char()
            code = fields.Char()

        class Partner(Model):
            _name = "res.partner"

            name = fields.Char()
            is_company = fields.Boolean()
            country = fields.Many2one(Country, source="country_id")

        class SaleOrder(Model):
            _name = "sale.order"

            name = fields.Char()
            partner = fields.Many2one(Partner, source="partner_id")
            state = fields.Selection()
            date_order = fields.Datetime()
            amount_total = fields.Monetary()

        class SaleOrderLine(Model):
            _name = "sale.order.line"

            order = fields.Many2one(SaleOrder, source="order_id")
            name = fields.Text()
            product_uom_qty = fields.Float()
            price_subtotal = fields.Monetary()

        _MODELS = {
            "Country": Country,
            "Partner": Partner,
            "SaleOrder": SaleOrder,
            "SaleOrderLine": SaleOrderLine,
        }
    return _MODELS


_MODELS: dict[str, Any] | None = None


def _name_of(value: Any) -> str:
    """A group key as text: many2one groups come as ``(id, name)``."""
    if isinstance(value, tuple) and len(value) == 2:
        return str(value[1])
    return "(none)" if value is None else str(value)


def run_demo(conn: Connection, *, out: TextIO, top: int = 5) -> dict[str, Any]:
    """Print the demo report to ``out``; returns the figures it printed (for tests)."""

    m = _models()
    Partner, SaleOrder = m["Partner"], m["SaleOrder"]
    where = f"{conn.url} (database {conn.db}, Odoo {conn.version.text}, {conn.protocol})"
    print(f"Connected to {where} as {conn.login}", file=out)

    partners = Partner.objects.using(conn)
    orders = SaleOrder.objects.using(conn)
    sold = orders.filter(state__in=sold_states(conn))
    n_partners, n_companies = partners.count(), partners.filter(is_company=True).count()
    n_orders, n_sold = orders.count(), sold.count()
    print(
        f"{_count(n_partners, 'contact')} ({_count(n_companies, 'company', 'companies')}), "
        f"{_count(n_orders, 'sale order')} ({n_sold} confirmed)",
        file=out,
    )

    # one read_group each: the server adds up, we only print
    by_customer = (
        sold.values("partner").annotate(total=Sum("amount_total"), n=Count()).order_by("-total")
    )
    customers = [(_name_of(g["partner"]), g["n"], g["total"] or 0.0) for g in by_customer[:top]]
    print(f"\nTop {len(customers)} customers by confirmed sales", file=out)
    rows = [
        (str(i), name, str(n), _money(total)) for i, (name, n, total) in enumerate(customers, 1)
    ]
    for line in _table(rows, ("#", "Customer", "Orders", "Total"), right={0, 2, 3}):
        print(line, file=out)
    if not rows:
        print(NOTHING_SOLD, file=out)

    by_month = (
        sold.values("date_order:month")
        .annotate(total=Sum("amount_total"), n=Count())
        .order_by("date_order:month")
    )
    months = [(g["date_order:month"], g["n"], g["total"] or 0.0) for g in by_month]
    print("\nConfirmed sales by month", file=out)
    peak = max((t for _, _, t in months), default=0) or 1
    rows = [
        (
            month.strftime("%Y-%m") if hasattr(month, "strftime") else str(month),
            str(n),
            _money(total),
            "#" * max(1, round(20 * total / peak)),
        )
        for month, n, total in months
    ]
    for line in _table(rows, ("Month", "Orders", "Total", ""), right={1, 2}):
        print(line, file=out)
    if not rows:
        print(NOTHING_SOLD, file=out)

    biggest = sold.order_by("-amount_total").first()
    if biggest is not None:
        country = biggest.partner.country if biggest.partner else None
        print(
            f"\nBiggest order: {biggest.name}, {_money(biggest.amount_total or 0)} for "
            f"{biggest.partner.display_name if biggest.partner else '(none)'}"
            f"{f' ({country.name})' if country else ''}",
            file=out,
        )
    print(
        "\nNext: `odoorm shell --emulator` to explore, `odoorm inspect res.partner` to "
        "generate model classes.",
        file=out,
    )
    return {"partners": n_partners, "orders": n_orders, "customers": customers, "months": months}
