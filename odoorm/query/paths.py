"""Field paths for ``values()``/``values_list()`` and the loaders that fetch rows.

A path such as ``"country__code"`` is resolved against the model's ``_meta``
(python or Odoo names) into Odoo names; the paths of one query form a tree
(``{"name": {}, "country_id": {"code": {}}}``) that is fetched in ONE
``web_search_read`` with a specification (Odoo 17+), or with one
``search_read`` plus one ``read`` per relation (older servers). Rows come back
in one nested shape either way, and :func:`extract` turns them into Python.
"""

from __future__ import annotations

import collections
import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from odoorm._schema import RELATIONAL_TYPES, X2MANY_TYPES, field_or_implicit, walk_path
from odoorm.exceptions import FieldError
from odoorm.query.paging import page_kwargs

__all__ = [
    "RowLoader",
    "ValuePath",
    "extract",
    "extractor",
    "in_order",
    "named_row",
    "resolve_path",
    "unique_rows",
]

Tree = dict[str, "Tree"]


@attrs.frozen
class ValuePath:
    """A resolved ``values()`` name: ``key`` as written, ``fields`` one per segment."""

    key: str
    fields: tuple[Any, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(f.source for f in self.fields)


def resolve_path(meta: Any, key: str) -> ValuePath:
    """``"country__code"`` -> ValuePath with the Country field and the code field."""
    if not isinstance(key, str) or not key:
        raise TypeError(f"field names must be non-empty strings, got {key!r}")

    def follow(field: Any, part: str, next_part: str, info: Any) -> Any:
        if field.type not in RELATIONAL_TYPES:
            raise FieldError(
                f"{key!r} on {meta.odoo_model}: {part!r} is a {field.type} field, "
                "only relational fields can be followed with '__'"
            )
        if field.comodel_info is None:
            raise FieldError(f"{key!r} on {meta.odoo_model}: {part!r} has no known comodel")
        return field.comodel_info

    def field_of(info: Any, part: str) -> Any:
        return field_or_implicit(info, part, key)

    fields = walk_path(meta, key, field_of, follow=follow)
    return ValuePath(key, tuple(fields))


def build_tree(paths: Sequence[ValuePath]) -> Tree:
    """Merge the paths into ``{odoo_name: subtree}``; ``id`` is always read, so skipped."""
    tree: Tree = {}
    for path in paths:
        node = tree
        for field in path.fields:
            if field.source == "id":
                break
            node = node.setdefault(field.source, {})
    return tree


def _comodels(paths: Sequence[ValuePath]) -> dict[tuple[str, ...], tuple[str, str]]:
    """(Odoo model, field type) of every relation prefix:
    ``("country_id",) -> ("res.country", "many2one")``."""
    found: dict[tuple[str, ...], tuple[str, str]] = {}
    for path in paths:
        for i, field in enumerate(path.fields[:-1]):
            found[path.sources[: i + 1]] = (field.comodel_info.odoo_model, field.type)
    return found


def spec_of(tree: Tree) -> dict[str, Any]:
    """The ``web_search_read`` specification of a tree."""
    return {name: ({"fields": spec_of(sub)} if sub else {}) for name, sub in tree.items()}


class RowLoader:
    """Fetches rows of one model for a field tree, in the nested shape.

    ``web`` selects ``web_search_read``/``web_read`` (Odoo 17+) when the tree
    follows relations; otherwise ``search_read``/``read`` plus one ``read``
    per relation.
    """

    def __init__(
        self,
        odoo_model: str,
        fields: Sequence[str],
        *,
        paths: Sequence[ValuePath] = (),
        web: bool = False,
    ):
        self.odoo_model = odoo_model
        self.tree: Tree = build_tree(paths) if paths else {f: {} for f in fields if f != "id"}
        # never fields=[]: Odoo reads that as EVERY field (154 of a res.partner on 18)
        self.fields = list(self.tree) or ["id"]
        self.comodels = _comodels(paths)
        self.nested = any(self.tree.values())
        self.web = web and self.nested
        #: ``read``'s ``load``, sent when set (see :mod:`odoorm.query.names`); may be
        #: changed between chunks of one stream
        self.load: str | None = None

    def search(
        self, conn: Any, domain: list[Any], order: str | None, offset: int, limit: int | None
    ) -> list[dict[str, Any]]:
        """Rows matching ``domain``: one call (plus one per relation without ``web``)."""
        kwargs = page_kwargs(domain, order, offset, limit)
        if self.web:
            answer = conn.rpc(
                self.odoo_model, "web_search_read", specification=spec_of(self.tree), **kwargs
            )
            return list(answer["records"])
        rows = conn.rpc(
            self.odoo_model, "search_read", fields=self.fields, **kwargs, **self._load()
        )
        return self._expand(conn, rows)

    def read(self, conn: Any, ids: Sequence[int]) -> list[dict[str, Any]]:
        """Rows of ``ids``, in the order of ``ids`` (missing ids are skipped)."""
        if not ids:
            return []
        if self.web:
            rows = conn.rpc(
                self.odoo_model, "web_read", list(ids), specification=spec_of(self.tree)
            )
        else:
            rows = self._expand(
                conn,
                conn.rpc(self.odoo_model, "read", list(ids), fields=self.fields, **self._load()),
            )
        return in_order(rows, ids)

    def _load(self) -> dict[str, str]:
        return {} if self.load is None else {"load": self.load}

    def _expand(self, conn: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if self.nested:
            _expand_level(conn, rows, self.tree, (), self.comodels)
        return rows


def in_order(rows: list[dict[str, Any]], ids: Sequence[int]) -> list[dict[str, Any]]:
    by_id = {row["id"]: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def _ids_of(value: Any, many2one: bool = False) -> list[int]:
    if isinstance(value, dict):
        return [value["id"]]
    if isinstance(value, (list, tuple)):
        if many2one:  # [id, display_name]
            return [value[0]] if value else []
        return [v["id"] if isinstance(v, dict) else v for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    return []


def _expand_level(
    conn: Any,
    rows: list[dict[str, Any]],
    tree: Tree,
    prefix: tuple[str, ...],
    comodels: dict[tuple[str, ...], tuple[str, str]],
) -> None:
    """Replace relation values by the related rows: one ``read`` per relation."""
    for name, sub in tree.items():
        if not sub:
            continue
        key = (*prefix, name)
        model, ftype = comodels[key]
        m2o = ftype == "many2one"
        ids: dict[int, None] = {}
        for row in rows:
            for i in _ids_of(row.get(name), m2o):
                ids[i] = None
        related: dict[int, dict[str, Any]] = {}
        if ids:
            got = conn.rpc(model, "read", list(ids), fields=list(sub))
            _expand_level(conn, got, sub, (*prefix, name), comodels)
            related = {r["id"]: r for r in got}
        for row in rows:
            found = _ids_of(row.get(name), m2o)
            if not m2o:
                row[name] = [related.get(i, {"id": i}) for i in found]
            else:
                row[name] = related.get(found[0], {"id": found[0]}) if found else False


# ---------------------------------------------------------------- extraction


def extract(row: dict[str, Any], path: ValuePath, conn: Any) -> Any:
    """The Python value at ``path`` in a nested row (a list through x2many)."""
    return _walk(row, path.fields, conn)


def extractor(path: ValuePath, conn: Any) -> Callable[[dict[str, Any]], Any]:
    """A function doing :func:`extract` for one path, specialised once per query:
    a plain field of the model itself skips the generic walk."""
    field = path.fields[0]
    to_python = getattr(field, "to_python", None)
    if len(path.fields) > 1 or field.type in RELATIONAL_TYPES or to_python is None:
        return lambda row: _walk(row, path.fields, conn)
    source = field.source
    return lambda row: to_python(row.get(source, False), conn)


def _walk(value: Any, fields: Sequence[Any], conn: Any) -> Any:
    field, rest = fields[0], fields[1:]
    if not isinstance(value, dict):
        return None
    raw = value.get(field.source, False)
    if not rest or (len(rest) == 1 and rest[0].source == "id"):
        return _leaf(field, raw, conn)  # "country__id" is the country field's id
    if field.type in X2MANY_TYPES:
        return [_walk(v, rest, conn) for v in raw or ()]
    return _walk(raw, rest, conn) if isinstance(raw, dict) else None


def _leaf(field: Any, raw: Any, conn: Any) -> Any:
    ftype = field.type
    if ftype == "many2one":
        found = _ids_of(raw, many2one=True)
        return found[0] if found else None
    if ftype in X2MANY_TYPES:
        return _ids_of(raw or [])
    to_python = getattr(field, "to_python", None)
    if to_python is not None:
        return to_python(raw, conn)
    return wire_to_python(ftype, raw)


def wire_to_python(ftype: str, raw: Any) -> Any:
    """Fallback conversion for fields that bring no ``to_python`` of their own."""
    if ftype == "boolean":
        return bool(raw)
    if raw is False or raw is None:
        return None
    if ftype == "date" and isinstance(raw, str):
        return _dt.date.fromisoformat(raw[:10])
    if ftype == "datetime" and isinstance(raw, str):
        parsed = _dt.datetime.strptime(raw[:19], "%Y-%m-%d %H:%M:%S")
        return parsed.replace(tzinfo=_dt.timezone.utc)
    return raw


def named_row(keys: Sequence[str]) -> Any:
    """The namedtuple of ``values_list(named=True)``: ``"date_order:month"`` becomes
    ``date_order_month``; a repeated or unusable name becomes positional (``_1``)."""
    names = [k.replace(":", "_") for k in keys]
    return collections.namedtuple("Row", names, rename=True)


def unique_rows(items: list[Any]) -> list[Any]:
    """``items`` without repeats, first ones kept (rows of values() are dicts,
    tuples or single values; lists inside them, x2many ids, compare as tuples)."""
    seen: set[Any] = set()
    out = []
    for item in items:
        key = _hashable(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _hashable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple((k, _hashable(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    return value
