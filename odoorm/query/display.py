"""How a QuerySet shows itself: Django's ``<QuerySet [...]>`` of its first rows
(one call), and :func:`describe`, the query itself without any call."""

from __future__ import annotations

from typing import Any

__all__ = ["REPR_ROWS", "describe", "queryset_repr"]

#: rows a QuerySet's repr shows (it fetches one more, to know whether to say "...")
REPR_ROWS = 20


def queryset_repr(qs: Any) -> str:
    """``<QuerySet [<Partner: Azure Interior>, ...]>``, like Django: the first
    :data:`REPR_ROWS` rows, fetched with ONE call limited to ``REPR_ROWS + 1``
    rows (records: their display names only, no record built); the rows
    already fetched when the query was evaluated. The query itself is
    :func:`describe` (the domain: ``qs.domain``). Never raises: without a
    connection, or when the call fails, it describes the query instead."""
    try:
        items = _repr_items(qs)
    except Exception:  # repr must never fail (no connection, server down...)
        return qs.describe()
    shown = [_repr_item(qs, i) for i in items[:REPR_ROWS]]
    if len(items) > REPR_ROWS:
        shown.append("...(remaining elements truncated)...")
    return f"<QuerySet [{', '.join(shown)}]>"


def _repr_items(qs: Any) -> list[Any]:
    if qs._result_cache is not None:
        return qs._result_cache[: REPR_ROWS + 1]
    plan = qs._plan
    if plan.empty or plan.limit == 0:
        return []
    if plan.mode != "records" or plan.aggregates is not None:
        return list(qs[: REPR_ROWS + 1])
    page = qs[: REPR_ROWS + 1]
    conn = page._connection()
    kwargs = page._search_kwargs(conn)
    rows = conn.rpc(qs._meta.odoo_model, "search_read", fields=["display_name"], **kwargs)
    return [_Shown(row["id"], row.get("display_name")) for row in rows]


def _repr_item(qs: Any, item: Any) -> str:
    name = getattr(qs.model, "__name__", qs._meta.odoo_model)
    if isinstance(item, _Shown):
        return f"<{name}: {item.display_name or item.id}>"
    if hasattr(item, "_meta") and hasattr(item, "id"):
        return f"<{name}: {item}>"  # str(): the display name (one read per group at most)
    return repr(item)


def describe(qs: Any) -> str:
    """The query, without calling the server: model, domain, order, slice..."""
    plan = qs._plan
    bits = [qs._meta.odoo_model]
    try:
        dom = qs.domain
    except Exception:  # repr must never fail
        dom = ["?"]
    if dom:
        text = repr(dom)
        bits.append(f"domain={text if len(text) <= 120 else text[:117] + '...'}")
    order = qs._order_string()
    if order:
        bits.append(f"order={order!r}")
    if plan.offset:
        bits.append(f"offset={plan.offset}")
    if plan.limit is not None:
        bits.append(f"limit={plan.limit}")
    if plan.context:
        bits.append(f"context={dict(plan.context)!r}")
    if plan.select_related:
        bits.append(f"select_related={list(plan.select_related)!r}")
    if plan.mode != "records":
        bits.append(f"{plan.mode}={[p.key for p in plan.paths] or [g.key for g in plan.groups]}")
    if plan.distinct:
        bits.append("distinct")
    if plan.empty:
        bits.append("none")
    if qs._result_cache is not None:
        bits.append(f"({len(qs._result_cache)} fetched)")
    return f"<QuerySet {' '.join(bits)}>"


class _Shown:
    """A record as the QuerySet repr shows it: id and display name, nothing built."""

    __slots__ = ("display_name", "id")

    def __init__(self, ident: int, display_name: Any) -> None:
        self.id = ident
        self.display_name = display_name
