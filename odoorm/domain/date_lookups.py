"""Date and time lookups: ``__date``, ``__year``, ``__quarter``, ``__month``, ``__day``,
``__week_day``, ``__hour``, compiled to ranges.

Odoo domains compare whole values, so each lookup becomes half-open ranges on
the field itself (``>=`` start and ``<`` end), which the server can answer
from an index::

    date_order__year=2024                      ['&', ('date_order', '>=', '2024-01-01 00:00:00'),
                                                     ('date_order', '<', '2025-01-01 00:00:00')]
    date_order__year=2024, date_order__month=3   one range: March 2024
    date_order__date=date(2024, 3, 1)          the whole day

Several parts of the same field given in one ``filter()`` (or one ``Q``) are
combined into the narrowest range (:func:`merge_date_parts`). A part that is
not a range on its own (``__month`` without ``__year``) is refused with the
way to write it; ``__week_day`` (Django's numbering: 1 = Sunday ... 7 =
Saturday) and ``__hour`` expand to one range per matching day (at most
:data:`MAX_RANGES`) inside the window the other parts give.

Datetime fields are compared in UTC, unless the query's connection has a
``tz`` in its context (``conn.with_context(tz="Europe/Brussels")``,
``qs.with_context(tz=...)``): the query layer compiles inside
:func:`compile_timezone`, and a day then starts at midnight in that zone.
Date fields have no time zone.

Pure module: no I/O.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from odoorm.domain.context import LookupContext
from odoorm.domain.leaves import FALSE_LEAF
from odoorm.domain.lookups import Lookup, register_lookup
from odoorm.domain.timezone import compile_timezone, local_to_wire
from odoorm.exceptions import FieldError

__all__ = [
    "DATE_PARTS",
    "MAX_RANGES",
    "DateParts",
    "compile_timezone",
    "merge_date_parts",
]

#: lookup name -> (lowest, highest) allowed value; ``date`` takes a date
DATE_PARTS: Mapping[str, tuple[int, int] | None] = {
    "date": None,
    "year": (1, 9999),
    "quarter": (1, 4),
    "month": (1, 12),
    "day": (1, 31),
    "week_day": (1, 7),
    "hour": (0, 23),
}
#: the most ranges one lookup may expand to (a weekday over a year is 53)
MAX_RANGES = 62


class DateParts(dict[str, Any]):
    """Several date parts of one field, merged (``{"year": 2024, "month": 3}``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"DateParts({', '.join(f'{k}={v!r}' for k, v in self.items())})"

    def __hash__(self) -> int:  # type: ignore[override]  # Q objects are hashable
        return hash(tuple(sorted(self.items(), key=lambda kv: kv[0])))


def merge_date_parts(lookups: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword lookups with the date parts of each field merged into one
    (``date_order__year=2024, date_order__month=3`` ->
    ``date_order__year=DateParts(year=2024, month=3)``)."""
    by_field: dict[str, list[str]] = {}
    for key in lookups:
        prefix, _, part = key.rpartition("__")
        if prefix and part in DATE_PARTS:
            by_field.setdefault(prefix, []).append(key)
    merged = dict(lookups)
    for keys in by_field.values():
        if len(keys) < 2:
            continue
        parts = DateParts()
        for key in keys:
            parts[key.rpartition("__")[2]] = merged.pop(key)
        merged[keys[0]] = parts
    return merged


# -------------------------------------------------------------------- ranges


def _window(parts: Mapping[str, Any], key: str, ftype: str) -> tuple[dt.date, dt.date]:
    """The days ``[start, end)`` that the parts other than week_day/hour give."""
    field = key.rpartition("__")[0]
    if "date" in parts:
        day = parts["date"]
        if any(p in parts for p in ("year", "quarter", "month", "day")):
            raise FieldError(
                f"Bad filter {key}: __date already names the day; drop the other parts"
            )
        return day, day + dt.timedelta(days=1)
    if "year" not in parts:
        alone = ", ".join(f"__{p}" for p in parts)
        raise FieldError(
            f"Bad filter {key}: {alone} is not a range of {field} on its own (Odoo domains "
            f"compare whole values): give the year in the same filter(), e.g. "
            f"filter({field}__year=2024, {field}__{next(iter(parts))}=...), or use "
            f"{field}__range=(start, end) / {field}__date=..."
        )
    year = parts["year"]
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1) if year < 9999 else dt.date.max
    months = range(1, 13)
    if "quarter" in parts:
        q = parts["quarter"]
        months = range(3 * q - 2, 3 * q + 1)
    if "month" in parts:
        months = range(parts["month"], parts["month"] + 1) if parts["month"] in months else range(0)
    if not months:
        return start, start  # contradictory parts: nothing
    start = dt.date(year, months[0], 1)
    last = months[-1]
    end = dt.date(year, last + 1, 1) if last < 12 else end
    if "day" in parts:
        if "month" not in parts:
            raise FieldError(
                f"Bad filter {key}: __day needs __month (and __year) beside it to be a range"
            )
        if parts["day"] > calendar.monthrange(year, parts["month"])[1]:
            return start, start
        start = dt.date(year, parts["month"], parts["day"])
        end = start + dt.timedelta(days=1)
    return start, end


def _ranges(parts: Mapping[str, Any], key: str, ftype: str) -> list[tuple[Any, Any]]:
    """Half-open ``(start, end)`` ranges (local dates, or naive local datetimes)."""
    start, end = _window(parts, key, ftype)
    week_day, hour = parts.get("week_day"), parts.get("hour")
    if week_day is None and hour is None:
        return [(start, end)] if start < end else []
    days = (end - start).days
    python_weekday = (week_day - 2) % 7 if week_day is not None else None  # 1 = Sunday
    out: list[tuple[Any, Any]] = []
    for n in range(days):
        day = start + dt.timedelta(days=n)
        if python_weekday is not None and day.weekday() != python_weekday:
            continue
        if hour is None:
            out.append((day, day + dt.timedelta(days=1)))
        else:
            at = dt.datetime.combine(day, dt.time(hour))
            out.append((at, at + dt.timedelta(hours=1)))
        if len(out) > MAX_RANGES:
            raise FieldError(
                f"Bad filter {key}: this needs more than {MAX_RANGES} ranges on the wire; "
                f"narrow it with __year/__month (or __date), or filter in Python"
            )
    return out


def _wire(value: Any, ftype: str, key: str) -> str:
    if ftype == "date":
        return (value if not isinstance(value, dt.datetime) else value.date()).isoformat()
    return local_to_wire(value, key)


def date_domain(parts: Mapping[str, Any], ctx: LookupContext) -> list[Any]:
    """The prefix domain of the merged ``parts`` on ``ctx``'s field."""
    ftype = ctx.ftype or "datetime"
    if "hour" in parts and ftype == "date":
        raise ctx.error("a date field has no hour; __hour applies to datetime fields")
    ranges = _ranges(parts, ctx.key, ftype)
    if not ranges:
        return [FALSE_LEAF]
    merged: list[list[Any]] = []  # touching ranges join (a run of days)
    for start, end in ranges:
        if merged and merged[-1][1] == start:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    out: list[Any] = ["|"] * (len(merged) - 1)
    for start, end in merged:
        out += [
            "&",
            (ctx.path, ">=", _wire(start, ftype, ctx.key)),
            (ctx.path, "<", _wire(end, ftype, ctx.key)),
        ]
    return out


# -------------------------------------------------------------------- the lookups


class _DatePart(Lookup):
    field_types: ClassVar[frozenset[str]] = frozenset({"date", "datetime"})

    def prepare(self, value: Any, ctx: LookupContext) -> Any:
        parts = value if isinstance(value, DateParts) else {self.lookup_name: value}
        return DateParts({name: _check(name, v, ctx) for name, v in parts.items()})

    def build(self, value: Any, ctx: LookupContext) -> list[Any]:
        return date_domain(value, ctx)


def _check(name: str, value: Any, ctx: LookupContext) -> Any:
    if name == "date":
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value[:10])
            except ValueError:
                raise ctx.error(f"__date expects a date or 'YYYY-MM-DD', got {value!r}") from None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ctx.error(f"__date expects a datetime.date, got {type(value).__name__} {value!r}")
        return value
    bounds = DATE_PARTS[name]
    assert bounds is not None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ctx.error(f"__{name} expects an int, got {type(value).__name__} {value!r}")
    low, high = bounds
    if not low <= value <= high:
        raise ctx.error(f"__{name} expects {low}..{high}, got {value}")
    return value


def _register() -> None:
    docs = {
        "date": "the whole day of a datetime (a date on a date field)",
        "year": "the year: one range",
        "quarter": "the quarter (1-4); with __year",
        "month": "the month (1-12); with __year",
        "day": "the day of the month; with __year and __month",
        "week_day": "the weekday, 1 = Sunday ... 7 = Saturday; one range per day",
        "hour": "the hour (0-23) of a datetime; one range per day",
    }
    for name, doc in docs.items():
        attrs: dict[str, Any] = {"lookup_name": name, "__doc__": f"``field__{name}=``: {doc}."}
        if name == "hour":
            attrs["field_types"] = frozenset({"datetime"})
        register_lookup(type(f"{name.title().replace('_', '')}Lookup", (_DatePart,), attrs))


_register()
