"""``select_related()``: related records loaded in the same call as the page.

On Odoo 17+ ``web_search_read`` (and ``web_read``) take a *specification*
that nests the fields of related records::

    {"name": {}, "country_id": {"fields": {"name": {}, "code": {}, "display_name": {}}},
     "category_id": {"fields": {"name": {}, "display_name": {}}}}

and answer each many2one as ``{"id": ..., <fields>}`` (or ``False``) and each
x2many as a list of such dicts. :class:`RelatedLoader` builds that
specification from the selected paths (the declared fields of every model on
the way), sends ONE call per page, and hands back rows in the shape the
models layer loads: the selected relations nested (they become records of
their own, one prefetch group per level), every other many2one as the
``[id, display_name]`` pair ``read`` would give, so its ``display_name``
stays free.

Older servers have no specifications: the QuerySet then runs the normal query
and :func:`odoorm.models.prefetch` over the paths (same records, one more
call per level).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from odoorm._schema import PATH_SEP, RELATIONAL_TYPES, walk_path
from odoorm.exceptions import FieldError
from odoorm.query.paging import page_kwargs
from odoorm.query.paths import in_order

__all__ = ["RelatedLoader", "build_level", "check_related_path", "default_related_paths"]

#: what an unselected many2one asks for: enough to rebuild read's ``[id, name]``
_PAIR_SPEC: dict[str, Any] = {"fields": {"display_name": {}}}


def check_related_path(meta: Any, path: Any) -> str:
    """Validate ``"children__country"`` against ``meta``: every segment must be a
    many2one, one2many or many2many field. Returns the path with ``__`` separators."""
    if not isinstance(path, str) or not path.strip():
        raise TypeError(f"select_related() takes relation names such as 'country', got {path!r}")
    path = path.replace(".", PATH_SEP)

    def relation(field: Any, name: str, info: Any) -> Any:
        if field.type not in RELATIONAL_TYPES:
            raise FieldError(
                f"select_related({path!r}): {info.odoo_model}.{name} is a {field.type} field, "
                "not a relation (many2one, one2many or many2many)"
            )
        return field.comodel_info

    owner = [meta]  # the model of the last segment

    def field_of(info: Any, name: str) -> Any:
        owner[0] = info
        return info.get_field(name)  # FieldError with a suggestion when unknown

    *_, last = walk_path(
        meta, path, field_of, follow=lambda field, name, _next, info: relation(field, name, info)
    )
    relation(last, path.rsplit(PATH_SEP, 1)[-1], owner[0])
    return path


def default_related_paths(meta: Any) -> tuple[str, ...]:
    """``select_related()`` without arguments: every declared many2one of the model."""
    return tuple(name for name, f in meta.fields.items() if f.type == "many2one")


@attrs.frozen
class Level:
    """The specification of one model in the tree, and how to read its answer."""

    spec: dict[str, Any]
    #: unselected many2one fields, answered as {"id", "display_name"}: turned into pairs
    pairs: tuple[str, ...]
    #: selected relations: source -> the level of the related model
    children: dict[str, Level]


def _merge(paths: Iterable[str]) -> dict[str, Any]:
    """``["children__country", "children", "tags"]`` -> ``{"children": {"country": {}}, ...}``."""
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for name in path.split("__"):
            node = node.setdefault(name, {})
    return tree


def build_level(
    meta: Any, read_fields: Sequence[str], paths: Iterable[str], ensure: Any = None
) -> Level:
    """The level of ``meta`` reading ``read_fields`` plus the selected ``paths``.

    ``ensure(model_class)`` runs before a related model's fields are used (its
    schema check; for classes built from ``fields_get``, their fields).
    """
    return _level(meta, list(read_fields), _merge(paths), ensure, related=False)


def _level(
    meta: Any, read_fields: list[str], tree: dict[str, Any], ensure: Any, related: bool
) -> Level:
    selected: dict[str, Any] = {}
    for name, sub in tree.items():
        field = meta.get_field(name)
        selected[field.source] = (field, sub)
    sources = list(dict.fromkeys([*read_fields, *selected]))
    if related:
        sources.append("display_name")  # a related record's name is free, as with read
    spec: dict[str, Any] = {}
    pairs: list[str] = []
    children: dict[str, Level] = {}
    for source in dict.fromkeys(sources):
        if source == "id":
            continue
        if source in selected:
            field, sub = selected[source]
            comodel = field.comodel
            if ensure is not None:
                ensure(comodel)
            child_meta = comodel._meta
            child = _level(child_meta, child_meta.read_fields(), sub, ensure, related=True)
            spec[source] = {"fields": child.spec}
            children[source] = child
            continue
        field = meta.by_source.get(source)
        if field is not None and field.type == "many2one":
            spec[source] = _PAIR_SPEC
            pairs.append(source)
        else:
            spec[source] = {}
    return Level(spec, tuple(pairs), children)


def _normalise(rows: list[dict[str, Any]], level: Level) -> None:
    """In place: unselected many2one dicts become ``[id, display_name]`` pairs,
    at every level of the answer."""
    for row in rows:
        for source in level.pairs:
            value = row.get(source)
            if isinstance(value, dict):
                row[source] = [value["id"], value.get("display_name", False)]
    for source, child in level.children.items():
        nested: list[dict[str, Any]] = []
        for row in rows:
            value = row.get(source)
            if isinstance(value, dict):
                nested.append(value)
            elif isinstance(value, list):
                nested.extend(v for v in value if isinstance(v, dict))
        if nested:
            _normalise(nested, child)


class RelatedLoader:
    """Rows of one model with the selected relations nested: ONE ``web_search_read``
    per page (or ``web_read`` per chunk of ids), Odoo 17+ only."""

    def __init__(self, odoo_model: str, level: Level):
        self.odoo_model = odoo_model
        self.level = level
        #: the Odoo names loaded on the main records
        self.fields = [s for s in level.spec if s != "display_name"]

    def search(
        self, conn: Any, domain: list[Any], order: str | None, offset: int, limit: int | None
    ) -> list[dict[str, Any]]:
        """Rows matching ``domain``, related records nested: one call."""
        kwargs = page_kwargs(domain, order, offset, limit)
        answer = conn.rpc(
            self.odoo_model, "web_search_read", specification=self.level.spec, **kwargs
        )
        rows = list(answer["records"])
        _normalise(rows, self.level)
        return rows

    def read(self, conn: Any, ids: Sequence[int]) -> list[dict[str, Any]]:
        """Rows of ``ids`` in that order (missing ids skipped): one ``web_read``."""
        if not ids:
            return []
        rows = conn.rpc(self.odoo_model, "web_read", list(ids), specification=self.level.spec)
        rows = in_order(rows, ids)
        _normalise(rows, self.level)
        return rows
