"""Aggregate functions and their compilation to Odoo's ``read_group``.

``Sum("amount_total")`` and friends are small immutable descriptions; the
QuerySet resolves their field names against the model (so a typo fails before
any call) and this module turns a set of them plus a group-by list into one
``read_group`` call (Odoo 17/18) or one ``formatted_read_group`` call (Odoo 19,
where ``read_group`` is deprecated), and the answer back into plain dicts.

Only what Odoo's server-side aggregators support is offered: ``sum``, ``avg``,
``min``, ``max``, ``count``, ``count_distinct`` and ``array_agg``; ``Count()``
without a field is the number of records in the group (``__count``).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import attrs

from odoorm._schema import field_named, field_or_implicit
from odoorm.exceptions import FieldError

__all__ = [
    "Aggregate",
    "ArrayAgg",
    "Avg",
    "Count",
    "CountDistinct",
    "Max",
    "Min",
    "Sum",
]

GRANULARITIES = ("day", "week", "month", "quarter", "year")
_NUMERIC = frozenset({"integer", "float", "monetary"})
_ORDERABLE = _NUMERIC | {"date", "datetime", "many2one", "char", "selection", "boolean"}


@attrs.frozen
class Aggregate:
    """Base of the aggregate functions; ``field`` is a python or Odoo field name."""

    field: str | None = None

    #: Odoo aggregator name (``"sum"``, ``"count_distinct"`` ...)
    function: ClassVar[str] = ""
    #: field types the function applies to (``None``: any stored field)
    types: ClassVar[frozenset[str] | None] = None
    _needs_field: ClassVar[bool] = True

    def __attrs_post_init__(self) -> None:
        if self._needs_field and not self.field:
            name = type(self).__name__
            raise TypeError(f"{name}() needs a field name, e.g. {name}('amount_total')")
        if self.field is not None and not isinstance(self.field, str):
            raise TypeError(f"{type(self).__name__}() takes a field name, got {self.field!r}")

    @property
    def odoo_function(self) -> str:
        return self.function

    @property
    def default_alias(self) -> str:
        """``Sum("amount_total")`` -> ``"amount_total__sum"`` (Django's naming)."""
        if self.field is None:
            return "count"
        return f"{self.field}__{self.odoo_function}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.field!r})" if self.field else f"{type(self).__name__}()"
        )


class Sum(Aggregate):
    """Sum of a numeric field over each group."""

    function = "sum"
    types = _NUMERIC


class Avg(Aggregate):
    """Average of a numeric field."""

    function = "avg"
    types = _NUMERIC


class Min(Aggregate):
    """Smallest value (numbers, dates, datetimes...)."""

    function = "min"
    types = _ORDERABLE


class Max(Aggregate):
    """Largest value (numbers, dates, datetimes...)."""

    function = "max"
    types = _ORDERABLE


@attrs.frozen(repr=False)
class Count(Aggregate):
    """``Count()``: records per group; ``Count("email")``: records where it is set;
    ``Count("partner", distinct=True)``: distinct values (same as CountDistinct)."""

    distinct: bool = attrs.field(default=False, kw_only=True)
    function = "count"
    _needs_field = False

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.distinct and self.field is None:
            raise TypeError("Count(distinct=True) needs a field: Count('partner', distinct=True)")

    @property
    def odoo_function(self) -> str:
        return "count_distinct" if self.distinct else "count"

    def __repr__(self) -> str:
        return f"Count({self.field!r}, distinct=True)" if self.distinct else super().__repr__()


class CountDistinct(Aggregate):
    """Number of distinct values of a field."""

    function = "count_distinct"


class ArrayAgg(Aggregate):
    """List of the field's values in each group (Odoo's ``array_agg``)."""

    function = "array_agg"


# ---------------------------------------------------------------- resolution


@attrs.frozen
class ResolvedAggregate:
    """An aggregate bound to an alias and an Odoo field."""

    alias: str
    function: str  # "sum" ... or "__count"
    source: str | None  # odoo field name, None for Count()
    field: Any = attrs.field(default=None, eq=False, repr=False)  # the model Field, for to_python


@attrs.frozen
class GroupKey:
    """One group-by term: ``key`` as the user wrote it, ``spec`` as sent to Odoo."""

    key: str
    spec: str  # "state", "country_id", "date_order:month"
    source: str
    type: str
    granularity: str | None = None


def resolve_aggregate(meta: Any, alias: str, agg: Aggregate) -> ResolvedAggregate:
    """Check ``agg`` against the model; FieldError when the field or type does not fit."""
    if not isinstance(agg, Aggregate):
        raise TypeError(
            f"{alias}={agg!r} is not an aggregate; use Sum(), Avg(), Min(), Max(), Count(), "
            "CountDistinct() or ArrayAgg()"
        )
    if agg.field is None:
        return ResolvedAggregate(alias, "__count", None)
    if "__" in agg.field:
        raise FieldError(
            f"{type(agg).__name__}({agg.field!r}) on {meta.odoo_model}: aggregates take a field "
            "of the model itself, not a relation path"
        )
    field = field_or_implicit(meta, agg.field)
    if agg.types is not None and field.type not in agg.types:
        allowed = ", ".join(sorted(agg.types))
        raise FieldError(
            f"{type(agg).__name__}({agg.field!r}) on {meta.odoo_model}: field {field.name!r} "
            f"is a {field.type} field; {type(agg).__name__} applies to: {allowed}"
        )
    return ResolvedAggregate(alias, agg.odoo_function, field.source, field)


def resolve_group_key(meta: Any, key: str) -> GroupKey:
    """``"state"``, ``"country"`` or ``"date_order:month"`` -> a GroupKey (FieldError if bad)."""
    name, _, granularity = key.partition(":")
    if "__" in name:
        raise FieldError(
            f"cannot group {meta.odoo_model} by {key!r}: group by a field of the model itself "
            "(relation paths are not supported by read_group)"
        )
    field = field_named(meta, name)
    if granularity:
        if field.type not in ("date", "datetime"):
            raise FieldError(
                f"{key!r} on {meta.odoo_model}: a granularity (':{granularity}') needs a date or "
                f"datetime field, {field.name!r} is {field.type}"
            )
        if granularity not in GRANULARITIES:
            raise FieldError(
                f"{key!r} on {meta.odoo_model}: unknown granularity {granularity!r}; "
                f"use one of {', '.join(GRANULARITIES)}"
            )
    elif field.type in ("date", "datetime"):
        granularity = "month"  # Odoo's own default for a bare date group
        return GroupKey(key, f"{field.source}:month", field.source, field.type, granularity)
    spec = f"{field.source}:{granularity}" if granularity else field.source
    return GroupKey(key, spec, field.source, field.type, granularity or None)


# ---------------------------------------------------------------- compilation


def compile_group_call(
    groups: Sequence[GroupKey],
    aggregates: Sequence[ResolvedAggregate],
    *,
    version: int,
    domain: list[Any],
    order: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[str, dict[str, Any], dict[str, str]]:
    """Return ``(method, kwargs, keys)``: the call, and alias -> result key in each row."""
    keys: dict[str, str] = {}
    kwargs: dict[str, Any] = {"domain": domain}
    if version >= 19:
        specs: list[str] = []
        for agg in aggregates:
            spec = "__count" if agg.function == "__count" else f"{agg.source}:{agg.function}"
            keys[agg.alias] = spec
            if spec not in specs:
                specs.append(spec)
        kwargs["groupby"] = [g.spec for g in groups]
        kwargs["aggregates"] = specs
        method = "formatted_read_group"
        order_key = "order"
    else:
        # "field:func" keys the row by the field name; two aggregates of one
        # field need Odoo's "alias:func(field)" form to stay apart
        by_source: dict[str | None, int] = {}
        for agg in aggregates:
            by_source[agg.source] = by_source.get(agg.source, 0) + 1
        fields: list[str] = []
        for agg in aggregates:
            if agg.function == "__count":
                keys[agg.alias] = "__count"
                continue
            assert agg.source is not None
            if by_source[agg.source] == 1 and agg.source not in {g.source for g in groups}:
                spec, key = f"{agg.source}:{agg.function}", agg.source
            else:
                spec, key = f"{agg.alias}:{agg.function}({agg.source})", agg.alias
            keys[agg.alias] = key
            if spec not in fields:
                fields.append(spec)
        kwargs["fields"] = fields
        kwargs["groupby"] = [g.spec for g in groups]
        kwargs["lazy"] = False
        method = "read_group"
        order_key = "orderby"
    if order:
        kwargs[order_key] = order
    if offset:
        kwargs["offset"] = offset
    if limit is not None:
        kwargs["limit"] = limit
    return method, kwargs, keys


# ---------------------------------------------------------------- results

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_QUARTER = re.compile(r"^Q([1-4]) (\d{4})$")
_WEEK = re.compile(r"^W(\d{1,2}) (\d{4})$")


def _parse_wire_date(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _parse_label(label: str, granularity: str) -> _dt.date | str:
    """Best effort for English labels when the server sent no ``__range``."""
    text = label.strip()
    if granularity == "year" and text.isdigit():
        return _dt.date(int(text), 1, 1)
    if granularity == "month":
        month, _, year = text.partition(" ")
        if month.lower() in _MONTHS and year.isdigit():
            return _dt.date(int(year), _MONTHS[month.lower()], 1)
    if granularity == "quarter" and (m := _QUARTER.match(text)):
        return _dt.date(int(m.group(2)), 3 * int(m.group(1)) - 2, 1)
    if granularity == "week" and (m := _WEEK.match(text)):
        try:
            return _dt.date.fromisocalendar(int(m.group(2)), int(m.group(1)), 1)
        except ValueError:
            return label
    if granularity == "day":
        for fmt in ("%d %b %Y", "%Y-%m-%d"):
            try:
                return _dt.datetime.strptime(text, fmt).date()
            except ValueError:
                pass
    return label  # a translated label: keep what the server said


def group_value(group: GroupKey, row: Mapping[str, Any]) -> Any:
    """The Python value of one group key in one result row."""
    value = row.get(group.spec)
    if group.granularity:
        if value is False or value is None:
            return None
        if isinstance(value, (list, tuple)) and value:  # 19: [start, label]
            start = _parse_wire_date(str(value[0]))
            return start if start is not None else value[-1]
        rng = (row.get("__range") or {}).get(group.spec)
        if isinstance(rng, Mapping) and rng.get("from"):
            start = _parse_wire_date(str(rng["from"]))
            if start is not None:
                return start
        return _parse_label(str(value), group.granularity)
    if group.type in ("many2one", "many2many"):
        # Odoo answers [id, display_name] for both (a many2many groups per linked record)
        if isinstance(value, (list, tuple)) and len(value) == 2:
            return (value[0], value[1])
        if isinstance(value, int) and not isinstance(value, bool):
            return (value, None)
        return None
    if group.type == "boolean":
        return bool(value)
    if value is False:
        return None
    return value


def aggregate_value(agg: ResolvedAggregate, raw: Any, conn: Any) -> Any:
    """The Python value of one aggregate in one result row."""
    if agg.function in ("__count", "count", "count_distinct"):
        return int(raw or 0)
    if raw is False or raw is None:
        return None
    if agg.function == "array_agg":
        return list(raw)
    if agg.field is not None and agg.field.type in ("date", "datetime") and isinstance(raw, str):
        return agg.field.to_python(raw, conn)
    if agg.field is not None and agg.field.type == "many2one":
        return raw[0] if isinstance(raw, (list, tuple)) else raw
    return raw
