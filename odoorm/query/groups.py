"""``annotate()`` / ``aggregate()`` for the QuerySet: one grouped read per query.

Groups are computed by the server (``read_group``, or ``formatted_read_group``
on Odoo 19); filters on annotations (``.filter(total__gt=100)`` after
``annotate``) are applied here, on the returned groups — Odoo's external
``read_group`` has no HAVING clause before 19. When such a filter, or an
ordering by an annotation, is present, slicing is applied client-side too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from odoorm.aggregates import (
    GRANULARITIES,
    Aggregate,
    Count,
    GroupKey,
    ResolvedAggregate,
    aggregate_value,
    compile_group_call,
    group_value,
    resolve_aggregate,
    resolve_group_key,
)
from odoorm.query.paths import named_row
from odoorm.query.plan import HAVING_LOOKUPS, QueryBuilder

__all__ = ["aggregate", "annotate", "fetch_groups", "periods"]

_B = TypeVar("_B", bound=QueryBuilder[Any])


def _resolve_all(
    qs: QueryBuilder[Any], args: Sequence[Aggregate], kwargs: Mapping[str, Aggregate]
) -> list[ResolvedAggregate]:
    named: dict[str, Aggregate] = {}
    for agg in args:
        if not isinstance(agg, Aggregate):
            raise TypeError(f"{agg!r} is not an aggregate; pass e.g. Sum('amount_total')")
        named[agg.default_alias] = agg
    for alias, agg in kwargs.items():
        if alias in named:
            raise ValueError(f"the annotation {alias!r} is given twice")
        named[alias] = agg
    if not named:
        raise TypeError("give at least one aggregate, e.g. total=Sum('amount_total')")
    return [resolve_aggregate(qs._meta, alias, agg) for alias, agg in named.items()]


def annotate(qs: _B, args: Sequence[Aggregate], kwargs: Mapping[str, Aggregate]) -> _B:
    plan = qs._plan
    if plan.mode == "records":
        raise TypeError(
            "annotate() needs values(...) first to say what to group by, e.g. "
            "SaleOrder.objects.values('state').annotate(total=Sum('amount_total')): "
            "Odoo has no per-record annotations (no subqueries). For a per-record figure, "
            "group by the record (values('partner').annotate(...)) or load the related "
            "records with prefetch_related() and compute in Python (docs/queries.md, "
            "'Django features and their Odoo form')"
        )
    qs._not_sliced("annotate")
    groups = tuple(resolve_group_key(qs._meta, name) for name in plan.names)
    resolved = tuple(_resolve_all(qs, args, kwargs)) if args or kwargs else ()
    previous = plan.aggregates or ()
    clash = {g.key for g in groups} & {a.alias for a in (*previous, *resolved)}
    if clash:
        raise ValueError(f"annotation name(s) {sorted(clash)} clash with values() fields")
    return qs._chain(groups=groups, aggregates=(*previous, *resolved))


def aggregate(
    qs: QueryBuilder[Any], args: Sequence[Aggregate], kwargs: Mapping[str, Aggregate]
) -> dict[str, Any]:
    if qs._plan.aggregates is not None:
        raise TypeError("aggregate() after annotate() is not supported; aggregate the rows")
    resolved = _resolve_all(qs, args, kwargs)
    if qs._plan.empty or qs._plan.limit == 0:
        return {a.alias: aggregate_value(a, None, None) for a in resolved}
    conn = qs._connection()
    version = int(conn.version.major)
    domain = qs._domain_for(version)
    if qs._plan.sliced:  # aggregate over a page: fetch its ids first (one more call)
        ids = qs.__odoo_domain_value__()
        domain = [("id", "in", ids)]
    method, call_kwargs, keys = compile_group_call((), resolved, version=version, domain=domain)
    rows = conn.rpc(qs._meta.odoo_model, method, **call_kwargs)
    row = rows[0] if rows else {}
    return {a.alias: aggregate_value(a, row.get(keys[a.alias]), conn) for a in resolved}


def fetch_groups(qs: QueryBuilder[Any]) -> list[Any]:
    plan = qs._plan
    groups: tuple[GroupKey, ...] = plan.groups
    aggregates = plan.aggregates or ()
    conn = qs._connection()
    version = int(conn.version.major)
    # server-side order only when every term is a group key; else sort here
    by_spec = {g.spec: g for g in groups} | {g.source: g for g in groups}
    server_order = all(t.source is not None and t.source in by_spec for t in plan.order)
    client = bool(plan.having) or not server_order
    order = None
    if server_order and plan.order:
        order = ", ".join(
            t.compile(plan.reverse).replace(t.source or "", by_spec[t.source or ""].spec, 1)
            for t in plan.order
        )
    method, kwargs, keys = compile_group_call(
        groups,
        aggregates,
        version=version,
        domain=qs._domain_for(version),
        order=order,
        offset=0 if client else plan.offset,
        limit=None if client else plan.limit,
    )
    rows = conn.rpc(qs._meta.odoo_model, method, **kwargs)
    out: list[dict[str, Any]] = []
    for row in rows:
        item = {g.key: group_value(g, row) for g in groups}
        for agg in aggregates:
            item[agg.alias] = aggregate_value(agg, row.get(keys[agg.alias]), conn)
        if all(
            HAVING_LOOKUPS[lookup](item.get(alias), value) for alias, lookup, value in plan.having
        ):
            out.append(item)
    if client:
        for term in reversed(plan.order):
            key = term.name if term.source is None else _group_for(groups, term.source).key
            desc = term.desc != plan.reverse
            out.sort(key=_sort_key(key), reverse=desc)
        stop = None if plan.limit is None else plan.offset + plan.limit
        out = out[plan.offset : stop]
    return _shape(plan, out, groups, aggregates)


def _sort_key(key: str) -> Callable[[dict[str, Any]], tuple[bool, Any]]:
    """Sort key putting empty values last (first when descending), as PostgreSQL does."""

    def get(item: dict[str, Any]) -> tuple[bool, Any]:
        return (item[key] is None, item[key])

    return get


def _group_for(groups: Sequence[GroupKey], source: str) -> GroupKey:
    for g in groups:
        if source in (g.spec, g.source):
            return g
    raise TypeError(f"cannot order grouped rows by {source!r}: it is not a values() field")


def _shape(
    plan: Any,
    rows: list[dict[str, Any]],
    groups: Sequence[GroupKey],
    aggregates: Sequence[ResolvedAggregate],
) -> list[Any]:
    if plan.mode == "values":
        return rows
    keys = [g.key for g in groups] + [a.alias for a in aggregates]
    if plan.flat:
        return [row[keys[0]] for row in rows]
    if plan.named:
        row_type = named_row(keys)
        return [row_type(*(row[k] for k in keys)) for row in rows]
    return [tuple(row[k] for k in keys) for row in rows]


def periods(qs: Any, field_name: str, kind: str, order: str, what: str) -> list[Any]:
    """The distinct ``kind`` periods of ``field_name`` among ``qs``'s matches (``dates()``/
    ``datetimes()``): ONE ``read_group`` counting each period."""
    if kind in ("hour", "minute", "second"):
        raise ValueError(
            f"{what}(kind={kind!r}): Odoo groups dates by day at the finest; use "
            f"values_list({field_name!r}, flat=True).distinct() for exact values"
        )
    if kind not in GRANULARITIES:
        raise ValueError(f"{what}() kind must be one of {', '.join(GRANULARITIES)}; got {kind!r}")
    if order not in ("ASC", "DESC"):
        raise ValueError(f"{what}() order must be 'ASC' or 'DESC', got {order!r}")
    if qs._plan.mode != "records" or qs._plan.aggregates is not None:
        raise TypeError(f"{what}() applies to a query of records, not to values() rows")
    key = f"{field_name}:{kind}"
    sign = "-" if order == "DESC" else ""
    rows = qs.values(key).annotate(_n=Count()).order_by(f"{sign}{key}")
    return [row[key] for row in rows if row[key] is not None]
