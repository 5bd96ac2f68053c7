"""``read_group`` (17-19) and ``formatted_read_group`` (19) over in-memory rows.

Date/datetime granularities produce Odoo's labels ("October 2026", "W44 2026", "Q4 2026",
"25 Oct 2026", "2026"), weeks start on Sunday as for ``en_US``; ``__domain`` is built the way
each version combines domains (17/18 nest ``AND``; 19 flattens conjunctions).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from odoorm.testing import errors
from odoorm.testing._api import DB, Row
from odoorm.testing.domain_eval import parse
from odoorm.testing.store import NUMERIC, X2MANY, Table, collate_key, m2o_id

GRANULARITIES = ("day", "week", "month", "quarter", "year")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


# -- dates ---------------------------------------------------------------------------------------
def _week_start(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=(d.weekday() + 1) % 7)


def _week_label(start: dt.date) -> str:
    end = start + dt.timedelta(days=6)
    year = end.year if end.year != start.year and end.month == 1 else start.year
    first = _week_start(dt.date(year, 1, 1))
    return f"W{(start - first).days // 7 + 1} {year}"


def bucket(value: str, gran: str, version: int = 17) -> tuple[dt.date, dt.date, str]:
    """(start, end, label) of the ``gran`` period containing ``value``. Weeks start on
    Sunday (``en_US``) from 17; 16 groups by ISO week (Monday) and labels its number."""
    d = dt.date.fromisoformat(value[:10])
    if gran == "week" and version <= 16:
        s = d - dt.timedelta(days=d.weekday())
        year, week, _ = s.isocalendar()
        return s, s + dt.timedelta(days=7), f"W{week} {year}"
    if gran == "day":
        return d, d + dt.timedelta(days=1), f"{d.day:02d} {MONTHS[d.month - 1][:3]} {d.year}"
    if gran == "week":
        s = _week_start(d)
        return s, s + dt.timedelta(days=7), _week_label(s)
    if gran == "month":
        s = d.replace(day=1)
        e = s.replace(year=s.year + 1, month=1) if s.month == 12 else s.replace(month=s.month + 1)
        return s, e, f"{MONTHS[s.month - 1]} {s.year}"
    if gran == "quarter":
        q = (d.month - 1) // 3
        s = dt.date(d.year, 3 * q + 1, 1)
        e = dt.date(d.year + 1, 1, 1) if q == 3 else dt.date(d.year, 3 * q + 4, 1)
        return s, e, f"Q{q + 1} {d.year}"
    s = dt.date(d.year, 1, 1)
    return s, dt.date(d.year + 1, 1, 1), str(d.year)


# -- domains -------------------------------------------------------------------------------------
def _serialize(node: Any) -> list:
    if node is True:
        return []
    if node[0] == "leaf":
        return [list(node[1])]
    if node[0] == "!":
        return ["!", *_serialize(node[1])]
    return [node[0], *_serialize(node[1]), *_serialize(node[2])]


def _conjuncts(node: Any) -> list[Any]:
    if node is True:
        return []
    if node[0] == "&":
        return _conjuncts(node[1]) + _conjuncts(node[2])
    return [node]


def and_domains(version: int, parts: list[list]) -> list:
    parts = [p for p in parts if p]
    if version >= 19:
        terms = [t for p in parts for t in _conjuncts(parse(p))]
        return ["&"] * (len(terms) - 1) + [x for t in terms for x in _serialize(t)]
    norm = [_serialize(parse(p)) for p in parts]
    return ["&"] * (len(norm) - 1) + [x for p in norm for x in p]


# -- grouping -----------------------------------------------------------------------------------
def _zone(name: Any) -> dt.tzinfo | None:
    """The context's ``tz`` for datetime buckets; unknown names count as UTC, as in Odoo."""
    if not isinstance(name, str) or not name or name == "UTC":
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ImportError, ValueError, KeyError, OSError):
        return None


class _Spec:
    """One groupby spec: ``field``, ``field:granularity`` or, from 18, a many2one path
    ``partner_id.country_id`` (grouped on the last field, as a LEFT JOIN would)."""

    def __init__(self, db: DB, table: Table, spec: str, tz: Any = None):
        self.spec = spec
        fname, _, gran = spec.partition(":")
        names = fname.split(".")
        if len(names) > 1 and db.version < 18:
            raise errors.value_error(f"Invalid field {fname!r} on model {table.name!r}")
        #: (many2one name, comodel table) per hop of a path
        self.hops: list[tuple[str, Table]] = []
        cur = table
        for name in names[:-1]:
            if name not in cur.fields:
                raise errors.value_error(f"Invalid field {name!r} on model {cur.name!r}")
            hop = cur.fields[name]
            nxt = db.tables.get(str(hop.get("relation", "")))
            if hop.get("type") != "many2one" or nxt is None:
                raise errors.value_error(
                    f"Only many2one path is accepted for the {spec!r} groupby spec"
                )
            self.hops.append((name, nxt))
            cur = nxt
        if names[-1] not in cur.fields:
            raise errors.value_error(f"Invalid field {names[-1]!r} on model {cur.name!r}")
        self.fname = fname  # what the group's domain filters on
        self.leaf = names[-1]
        self.table = cur
        self.field = cur.fields[self.leaf]
        self.ftype = self.field.get("type")
        if self.ftype in ("date", "datetime"):
            gran = gran or "month"
            if gran not in GRANULARITIES:
                raise errors.value_error(f"Invalid granularity {gran!r} in groupby {spec!r}")
        self.gran = gran or None
        #: datetime periods are cut at local midnights of the context's tz (bounds in UTC)
        self.tz = _zone(tz) if self.ftype == "datetime" and self.gran else None

    def local(self, value: str) -> str:
        """A UTC datetime string in the spec's time zone."""
        if self.tz is None:
            return value
        utc = dt.datetime.fromisoformat(value[:19]).replace(tzinfo=dt.timezone.utc)
        return utc.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S")

    def bound(self, day: dt.date) -> str:
        """Local midnight of ``day`` as Odoo writes it in ``__range``/``__domain`` (UTC)."""
        if self.tz is None:
            return _fmt(day, self.ftype)
        local = dt.datetime(day.year, day.month, day.day, tzinfo=self.tz)
        return local.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _keys(db: DB, table: Table, spec: _Spec, row: Row) -> list[Any]:
    target: Row | None = row
    for name, comodel in spec.hops:
        target = comodel.rows.get(m2o_id(target.get(name)) or 0) if target else None
    if target is None:
        return [None if spec.ftype != "boolean" else False]
    row, table = target, spec.table
    if spec.ftype == "many2one":
        return [m2o_id(row.get(spec.leaf))]
    if spec.ftype in X2MANY:
        ids = db.x2many_read(table, row, spec.leaf)
        return list(ids) or [None]
    v = row.get(spec.leaf, table.implicit.get(spec.leaf))
    if v is False or v is None or v == "":
        return [None if spec.ftype != "boolean" else False]
    if spec.gran:
        return [bucket(spec.local(str(v)), spec.gran, db.version)[0]]
    return [v]


def _fmt(d: dt.date, ftype: Any) -> str:
    return d.isoformat() + (" 00:00:00" if ftype == "datetime" else "")


def _group_info(db: DB, spec: _Spec, key: Any) -> tuple[Any, list, Any]:
    """(value as returned, domain leaves, range) for one groupby key."""
    f = spec.fname
    if key is None:
        return False, [[f, "=", False]], (False if spec.gran else None)
    if spec.ftype in ("many2one", *X2MANY):
        rel = spec.field.get("relation", "")
        return [key, db.name_of(rel, key)], [[f, "=", key]], None
    if spec.gran:
        start, end, label = bucket(key.isoformat(), spec.gran, db.version)
        lo, hi = spec.bound(start), spec.bound(end)
        return label, ["&", [f, ">=", lo], [f, "<", hi]], {"from": lo, "to": hi}
    return key, [[f, "=", key]], None


def _aggregate(ftype: str, agg: str, values: list[Any]) -> Any:
    present = [v for v in values if v is not None and v is not False]
    if agg == "count":
        return len(present)
    if agg == "count_distinct":
        return len({tuple(v) if isinstance(v, list) else v for v in present})
    if agg == "array_agg":
        return values
    if agg in ("bool_and", "bool_or"):
        return all(values) if agg == "bool_and" else any(values)
    if not present:
        return 0 if agg == "sum" and ftype == "integer" else (0.0 if agg == "sum" else False)
    if agg == "sum":
        total = sum(present)
        return total if ftype == "integer" else round(float(total), 10)
    if agg == "avg":
        return sum(present) / len(present)
    if agg == "min":
        return min(present)
    if agg == "max":
        return max(present)
    raise errors.value_error(f"Invalid aggregation function {agg!r}.")


#: aggregate functions PostgreSQL offers to read_group
AGGREGATES = frozenset(
    {"sum", "avg", "min", "max", "count", "count_distinct", "array_agg", "bool_and", "bool_or"}
)


def check_aggregate(version: int, spec: str, func: str) -> None:
    """Refuse an unknown aggregate function with the error of Odoo ``version``."""
    if func in AGGREGATES:
        return
    if version <= 16:
        raise errors.UserError(f"Invalid aggregation function {func!r}.")
    raise errors.value_error(f"Invalid aggregate method {func!r} for {spec!r}.")


def _agg_specs(db: DB, table: Table, fields: Any) -> list[tuple[str, str, str]]:
    """(result key, field, function) per requested aggregate."""
    out = []
    for spec in fields or []:
        if spec == "__count":
            continue
        alias, _, func = spec.partition(":")
        fname = alias
        if func and "(" in func:
            func, _, rest = func.partition("(")
            fname = rest.rstrip(")")
        if fname not in table.fields:
            raise errors.value_error(f"Invalid field {fname!r} on model {table.name!r}")
        ftype = table.fields[fname].get("type")
        if not func:
            func = table.fields[fname].get("aggregator") or table.fields[fname].get(
                "group_operator"
            )
            if not func:
                if ftype not in NUMERIC:
                    continue
                func = "sum"
        check_aggregate(db.version, spec, func)
        out.append((alias, fname, func))
    return out


def _groups(db: DB, table: Table, rows: list[Row], specs: list[_Spec]) -> dict[tuple, list[Row]]:
    groups: dict[tuple, list[Row]] = {}
    for r in rows:
        combos: list[tuple] = [()]
        for s in specs:
            combos = [(*c, k) for c in combos for k in _keys(db, table, s, r)]
        for c in combos:
            groups.setdefault(c, []).append(r)
    return groups


def _sort_groups(
    db: DB,
    table: Table,
    groups: dict[tuple, list[Row]],
    specs: list[_Spec],
    order: str | None,
    aggs: dict[str, Any],
) -> list[tuple]:
    keys = list(groups)
    terms: list[tuple[str, bool, str]] = []
    for part in (order or "").split(","):
        bits = part.split()
        if bits:
            terms.append((bits[0], len(bits) > 1 and bits[1].lower() == "desc", part.strip()))
    if not terms:
        terms = [(s.spec, False, s.spec) for s in specs]
    for name, desc, text in reversed(terms):
        idx = next((i for i, s in enumerate(specs) if s.spec == name or s.fname == name), None)
        if idx is not None:
            s = specs[idx]
            rel = s.field.get("relation")
            ranks = db.ranks(db.tables[rel]) if rel in db.tables else {}

            def k(key: tuple, i: int = idx, s: _Spec = s, ranks: dict = ranks) -> tuple:
                v = key[i]
                if v is None:
                    return (1, 0)
                if s.ftype in ("many2one", *X2MANY):
                    return (0, ranks.get(v, v))
                if isinstance(v, str):
                    return (0, collate_key(v))
                return (0, v)

            keys.sort(key=k, reverse=desc)
        elif name in aggs or name == "__count":
            vals = aggs.get(name, {})
            keys.sort(key=lambda key: (vals.get(key) is None, vals.get(key) or 0), reverse=desc)
        else:
            # Odoo's _read_group_orderby: only grouped fields and requested aggregates sort
            raise errors.value_error(
                f"Order term {text!r} is not a valid aggregate nor valid groupby"
            )
    return keys


def read_group(
    db: DB,
    table: Table,
    domain: Any,
    fields: Any,
    groupby: Any,
    offset: Any,
    limit: Any,
    orderby: Any,
    lazy: Any,
) -> list[dict[str, Any]]:
    gb = [groupby] if isinstance(groupby, str) else list(groupby or [])
    lazy = lazy is not False
    used = gb[:1] if lazy else gb
    specs = [_Spec(db, table, g, db._ctx.get("tz")) for g in used]
    aggspecs = _agg_specs(db, table, fields)
    rows = db.filtered_rows(table, domain)
    groups = _groups(db, table, rows, specs)
    agg_values: dict[str, dict[tuple, Any]] = {}
    for alias, fname, func in aggspecs:
        ftype = str(table.fields[fname].get("type"))
        agg_values[alias] = {
            k: _aggregate(ftype, func, [_agg_input(db, table, r, fname) for r in rs])
            for k, rs in groups.items()
        }
    agg_values["__count"] = {k: len(rs) for k, rs in groups.items()}
    keys = _sort_groups(db, table, groups, specs, orderby or None, agg_values)
    start = int(offset or 0)
    keys = keys[start : start + int(limit)] if limit else keys[start:]
    out = []
    for key in keys:
        rec: dict[str, Any] = {}
        leaves: list[list] = []
        ranges: dict[str, Any] = {}
        for s, k in zip(specs, key, strict=True):
            value, dom, rng = _group_info(db, s, k)
            rec[s.spec] = value
            leaves.append(dom)
            if s.gran:
                ranges[s.spec] = rng
        if lazy:
            count_key = (used[0].split(":")[0] + "_count") if used else "__count"
            rec[count_key] = len(groups[key])
        else:
            rec["__count"] = len(groups[key])
        for alias, _, _ in aggspecs:
            rec[alias] = agg_values[alias][key]
        # 16 puts the group's own terms first, later versions the search domain
        parts = [*leaves, list(domain or [])] if db.version <= 16 else [list(domain or []), *leaves]
        rec["__domain"] = and_domains(db.version, parts)
        if ranges:
            rec["__range"] = ranges
        if lazy and gb[1:]:
            rec["__context"] = {"group_by": gb[1:]}
        out.append(rec)
    return out


def _agg_input(db: DB, table: Table, row: Row, fname: str) -> Any:
    ftype = table.fields[fname].get("type")
    if ftype == "many2one":
        return m2o_id(row.get(fname))
    return db.value_out(table, row, fname, None)


def formatted_read_group(
    db: DB,
    table: Table,
    domain: Any,
    groupby: Any,
    aggregates: Any,
    offset: Any,
    limit: Any,
    order: Any,
) -> list[dict[str, Any]]:
    gb = [groupby] if isinstance(groupby, str) else list(groupby or [])
    specs = [_Spec(db, table, g, db._ctx.get("tz")) for g in gb]
    aggs = list(aggregates or [])
    rows = db.filtered_rows(table, domain)
    groups = _groups(db, table, rows, specs)
    values: dict[str, dict[tuple, Any]] = {}
    for a in aggs:
        if a == "__count":
            values[a] = {k: len(rs) for k, rs in groups.items()}
            continue
        fname, _, func = a.partition(":")
        if fname not in table.fields or not func:
            raise errors.value_error(f"Invalid aggregate {a!r}: use 'field:function' or '__count'")
        check_aggregate(db.version, a, func)
        ftype = str(table.fields[fname].get("type"))
        values[a] = {
            k: _aggregate(ftype, func, [_agg_input(db, table, r, fname) for r in rs])
            for k, rs in groups.items()
        }
    keys = _sort_groups(db, table, groups, specs, order or None, values)
    start = int(offset or 0)
    keys = keys[start : start + int(limit)] if limit else keys[start:]
    out = []
    for key in keys:
        rec: dict[str, Any] = {}
        leaves = []
        for s, k in zip(specs, key, strict=True):
            value, dom, rng = _group_info(db, s, k)
            if s.gran and rng:
                value = [rng["from"], value]
            rec[s.spec] = value
            leaves.append(dom)
        rec["__extra_domain"] = and_domains(db.version, leaves)
        for a in aggs:
            rec[a] = values[a][key]
        out.append(rec)
    return out
