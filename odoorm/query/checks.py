"""Filter values checked against the server's schema before a query is sent.

A selection field declared without its values (``state = fields.Selection()``)
learns them from the server: ``filter(state="bogus")`` (or ``"done"``, which
sale orders no longer have on Odoo 17+) would otherwise be sent and silently
match nothing. Checked once per evaluation, from the connection's cached
``fields_get`` (no extra call for the query's own model, whose schema check
already fetched it); skipped on connections opened with ``check_schema=False``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from odoorm._values import is_missing, plain
from odoorm.domain.compiler import Compiler
from odoorm.domain.leaves import ModelInfo, _Lookup
from odoorm.domain.q import Q
from odoorm.exceptions import FieldError

__all__ = ["check_selection_filters"]

#: lookups whose value is one selection key, or several
_ONE = frozenset({"exact", "ne"})
_MANY = frozenset({"in", "not_in"})


def check_selection_filters(meta: ModelInfo, sources: Sequence[Any], conn: Any) -> None:
    """Raise FieldError for a selection value the server does not know (see module doc)."""
    compiler = Compiler(meta, None, lambda value: value)
    for key, value in _lookups(sources):
        _path, field, owner, lookup = compiler.resolve(key)
        if field is None or owner is None or field.type != "selection":
            continue
        if lookup not in _ONE and lookup not in _MANY:
            continue
        if getattr(field, "selection", None) is not None:
            continue  # declared values were checked when the filter was built
        described = conn.fields_get(owner.odoo_model).get(field.source) or {}
        choices = [c[0] for c in described.get("selection") or () if isinstance(c, list | tuple)]
        if not choices:
            continue
        given = plain(value) if lookup in _MANY else [value]
        for item in given if isinstance(given, list | tuple | set | frozenset) else [given]:
            if item is None or item is False or is_missing(item) or item in choices:
                continue
            raise FieldError(
                f"Bad filter {key}: {item!r} is not a value of {owner.odoo_model}."
                f"{field.source} (selection) on this server (Odoo {conn.version.major}); "
                f"valid values: {', '.join(repr(c) for c in choices)}"
            )


def _lookups(sources: Sequence[Any]) -> Iterator[tuple[str, Any]]:
    stack = list(sources)
    while stack:
        source = stack.pop()
        if isinstance(source, Mapping):
            stack.extend(_Lookup(k, v) for k, v in source.items())
        elif isinstance(source, Q):
            stack.extend(source.children)
        elif isinstance(source, _Lookup):
            yield source.key, source.value
