"""Lookups: how ``field__lookup=value`` becomes Odoo domain leaves.

A lookup is a small class registered by name (``lookup_name``). The compiler in
:mod:`odoorm.domain` resolves the field path, then asks the lookup whether it
applies to the field's type (:meth:`Lookup.applies_to`), to check and convert
the value (:meth:`Lookup.prepare`) and to build the domain fragment
(:meth:`Lookup.build`, a prefix domain list).

Users add their own with :func:`register_lookup`::

    @register_lookup
    class NotEmpty(Lookup):
        lookup_name = "notempty"
        field_types = TEXT_TYPES

        def prepare(self, value, ctx):
            return None

        def build(self, value, ctx):
            return ["&", (ctx.path, "!=", False), (ctx.path, "!=", "")]

Pure module: imports nothing of odoorm but the exceptions and the shared vocabulary.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, ClassVar

from odoorm._schema import RELATIONAL_TYPES
from odoorm.domain.context import (
    NUMERIC_TYPES,
    ORDERED_TYPES,
    PATTERN_TYPES,
    TEXT_TYPES,
    LookupContext,
)
from odoorm.domain.leaves import (
    SubDomain,
    escape_like,
    has_hook,
    is_iterable,
    to_wire,
)
from odoorm.exceptions import FieldError

__all__ = [
    "NUMERIC_TYPES",
    "ORDERED_TYPES",
    "PATTERN_TYPES",
    "TEXT_TYPES",
    "Lookup",
    "LookupContext",
    "get_lookup",
    "lookup_names",
    "register_lookup",
    "unregister_lookup",
]

# --------------------------------------------------------------------- lookup


class Lookup:
    """Base class of lookups: ``field__<lookup_name>=value``.

    Class attributes: ``lookup_name`` (the name after ``__``), ``operator``
    (the Odoo operator of the default :meth:`build`), ``field_types`` (the Odoo
    field types it applies to; ``None`` = every type).
    """

    lookup_name: ClassVar[str] = ""
    operator: ClassVar[str] = "="
    field_types: ClassVar[frozenset[str] | None] = None

    def applies_to(self, ctx: LookupContext) -> bool:
        """Whether this lookup fits the field (only asked when the type is known)."""
        return self.field_types is None or ctx.ftype in self.field_types

    def prepare(self, value: Any, ctx: LookupContext) -> Any:
        """Validate and convert the user's value; raise ``ctx.error(...)`` if wrong."""
        return ctx.scalar(value)

    def build(self, value: Any, ctx: LookupContext) -> list[Any]:
        """Return the prefix domain fragment for the prepared value."""
        return [(ctx.path, self.operator, value)]


_REGISTRY: dict[str, Lookup] = {}


def register_lookup(
    lookup: type[Lookup] | str,
    *,
    field_types: Iterable[str] | None = None,
    prepare: Callable[[Any, LookupContext], Any] | None = None,
    replace: bool = False,
) -> Any:
    """Register a lookup; usable as a class decorator or a function decorator.

    ``register_lookup(MyLookup)`` / ``@register_lookup`` on a :class:`Lookup`
    subclass registers it under its ``lookup_name``.

    ``@register_lookup("name", field_types={"date"})`` on a function
    ``fn(path, value, ctx) -> domain list`` registers a lookup named ``name``;
    its value is converted with :func:`to_wire` (no type check) unless a
    ``prepare(value, ctx)`` callable is given.

    Registering an existing name raises ``ValueError`` unless ``replace=True``.
    """
    if isinstance(lookup, str):
        name = lookup
        types = frozenset(field_types) if field_types is not None else None
        check = prepare

        def decorator(fn: Callable[[str, Any, LookupContext], list[Any]]) -> Any:
            def _prepare(self: Lookup, value: Any, ctx: LookupContext) -> Any:
                return check(value, ctx) if check is not None else to_wire(value)

            def _build(self: Lookup, value: Any, ctx: LookupContext) -> list[Any]:
                return list(fn(ctx.path, value, ctx))

            namespace = {
                "lookup_name": name,
                "field_types": types,
                "prepare": _prepare,
                "build": _build,
                "__doc__": fn.__doc__,
            }
            register_lookup(type(f"Lookup_{name}", (Lookup,), namespace), replace=replace)
            return fn

        return decorator
    name = getattr(lookup, "lookup_name", "")
    if not isinstance(name, str) or not name.isidentifier() or "__" in name:
        raise ValueError(f"{lookup!r} needs a lookup_name like 'year' (an identifier, no '__')")
    if name in _REGISTRY and not replace:
        raise ValueError(f"a lookup named {name!r} is already registered; pass replace=True")
    _REGISTRY[name] = lookup()
    return lookup


@contextmanager
def unregister_lookup(name: str) -> Iterator[None]:
    """Remove a lookup for the duration of a ``with`` block (for tests).

    On exit the registry entry is restored to what it was on entry, so a lookup
    registered inside the block is removed again.
    """
    saved = _REGISTRY.pop(name, None)
    try:
        yield
    finally:
        if saved is None:
            _REGISTRY.pop(name, None)
        else:
            _REGISTRY[name] = saved


def get_lookup(name: str) -> Lookup | None:
    """The registered lookup named ``name``, or ``None``."""
    return _REGISTRY.get(name)


def lookup_names() -> list[str]:
    """Every registered lookup name, sorted."""
    return sorted(_REGISTRY)


# ----------------------------------------------------------- built-in lookups
# (registered by the loop at the end of the module)


class _Simple(Lookup):
    pass


class Exact(_Simple):
    """``field=value`` / ``field__exact=value``: ``=`` (``None`` means unset)."""

    lookup_name = "exact"
    operator = "="
    multi_operator = "in"

    def prepare(self, value: Any, ctx: LookupContext) -> Any:
        if has_hook(value):
            value = ctx.records_value(value)
            if isinstance(value, (list, SubDomain)):  # a queryset: any of its records
                return ctx.many(value)
        return ctx.scalar(value)

    def build(self, value: Any, ctx: LookupContext) -> list[Any]:
        if isinstance(value, SubDomain):
            return ctx.subdomain_leaf(value, negate=self.operator != "=")
        if isinstance(value, list):
            return [(ctx.path, self.multi_operator, value)]
        return [(ctx.path, self.operator, value)]


class NotEqual(Exact):
    """``field__ne=value``: ``!=`` (``None`` means set)."""

    lookup_name = "ne"
    operator = "!="
    multi_operator = "not in"


class _Ordered(_Simple):
    field_types = ORDERED_TYPES

    def prepare(self, value: Any, ctx: LookupContext) -> Any:
        return ctx.scalar(value, allow_false=False)


class Range(_Ordered):
    """``field__range=(lo, hi)``: ``lo <= field <= hi``; a ``None`` bound is open."""

    lookup_name = "range"

    def prepare(self, value: Any, ctx: LookupContext) -> Any:
        if isinstance(value, (str, bytes, Mapping)) or not is_iterable(value):
            raise ctx.error(f"expects a (low, high) pair, got {type(value).__name__} {value!r}")
        pair = list(value)
        if len(pair) != 2:
            raise ctx.error(f"expects a (low, high) pair, got {len(pair)} values")
        if pair[0] is None and pair[1] is None:
            raise ctx.error("both bounds are None; give at least one")
        # a day as a bound of a datetime range: from its start, to its end
        sides = (replace(ctx, lookup="range_low"), replace(ctx, lookup="range_high"))
        return [
            None if v is None else side.scalar(v, allow_false=False)
            for v, side in zip(pair, sides, strict=True)
        ]

    def build(self, value: Any, ctx: LookupContext) -> list[Any]:
        low, high = value
        if low is None:
            return [(ctx.path, "<=", high)]
        if high is None:
            return [(ctx.path, ">=", low)]
        return ["&", (ctx.path, ">=", low), (ctx.path, "<=", high)]


class In(_Simple):
    """``field__in=[...]``: ``in`` (a queryset: ids, or ``any`` on Odoo 17+)."""

    lookup_name = "in"
    operator = "in"

    def prepare(self, value: Any, ctx: LookupContext) -> Any:
        return ctx.many(value)

    def build(self, value: Any, ctx: LookupContext) -> list[Any]:
        if isinstance(value, SubDomain):
            return ctx.subdomain_leaf(value, negate=self.operator == "not in")
        return [(ctx.path, self.operator, value)]


class NotIn(In):
    """``field__not_in=[...]``: ``not in``."""

    lookup_name = "not_in"
    operator = "not in"


class _Pattern(_Simple):
    """Lookups that take a pattern string."""

    field_types = PATTERN_TYPES
    escape = False
    prefix = ""
    suffix = ""

    def prepare(self, value: Any, ctx: LookupContext) -> Any:
        if isinstance(value, enum.Enum):
            value = value.value
        if not isinstance(value, str):
            hint = f"; use {ctx.path_key()}__isnull=True for unset values" if value is None else ""
            raise ctx.error(
                f"{self.lookup_name} expects a str, got {type(value).__name__} {value!r}{hint}"
            )
        text = escape_like(value) if self.escape else value
        return f"{self.prefix}{text}{self.suffix}"


class IsNull(_Simple):
    """``field__isnull=True``: ``= False`` (unset; on x2many: no related record)."""

    lookup_name = "isnull"

    def applies_to(self, ctx: LookupContext) -> bool:
        # a boolean is never "null" in Odoo: False and unset are the same
        return ctx.ftype != "boolean"

    def prepare(self, value: Any, ctx: LookupContext) -> Any:
        if not isinstance(value, bool):
            raise ctx.error(f"isnull expects True or False, got {type(value).__name__} {value!r}")
        return value

    def build(self, value: Any, ctx: LookupContext) -> list[Any]:
        return [(ctx.path, "=" if value else "!=", False)]


class ChildOf(_Simple):
    """``field__child_of=id_or_ids``: Odoo ``child_of`` (hierarchies)."""

    lookup_name = "child_of"
    operator = "child_of"

    def applies_to(self, ctx: LookupContext) -> bool:
        if ctx.ftype in RELATIONAL_TYPES:
            return True
        return ctx.ftype == "integer" and ctx.path.rsplit(".", 1)[-1] == "id"

    def prepare(self, value: Any, ctx: LookupContext) -> Any:
        value = ctx.records_value(value) if has_hook(value) else value
        if isinstance(value, SubDomain):
            raise ctx.error(
                f"{self.lookup_name} needs ids, not a queryset; "
                "pass list(qs.values_list('id', flat=True))"
            )
        several = isinstance(value, (list, tuple, set, frozenset))
        if several:
            converted = ctx.many(value)
            ids = converted if isinstance(converted, list) else []
        else:
            ids = [ctx.scalar(value, allow_false=False)]
        for i in ids:
            if not isinstance(i, int) or isinstance(i, bool):
                raise ctx.error(f"{self.lookup_name} expects record ids (int), got {i!r}")
        return ids if several else ids[0]


class ParentOf(ChildOf):
    """``field__parent_of=id_or_ids``: Odoo ``parent_of``."""

    lookup_name = "parent_of"
    operator = "parent_of"


class RelatedAny(_Simple):
    """``rel__any=Q(...)`` (or a raw domain, or a dict of lookups): Odoo ``any``."""

    lookup_name = "any"
    operator = "any"
    field_types = RELATIONAL_TYPES

    def prepare(self, value: Any, ctx: LookupContext) -> Any:
        value = ctx.records_value(value) if has_hook(value) else value
        if isinstance(value, SubDomain):
            value = list(value.domain)
        if isinstance(value, (str, bytes, int, float)) or value is None:
            raise ctx.error(
                f"{self.lookup_name} expects a Q, a domain list or a dict of lookups "
                f"on the related model, got {type(value).__name__} {value!r}"
            )
        try:
            return ctx.compile_sub(value, ctx.comodel)
        except FieldError as exc:
            where = ctx.comodel.odoo_model if ctx.comodel is not None else "the related model"
            raise ctx.error(f"in its sub-filter on {where}: {exc}") from None

    def build(self, value: Any, ctx: LookupContext) -> list[Any]:
        return ctx.any_leaf(value, negate=self.operator == "not any")


class RelatedNotAny(RelatedAny):
    """``rel__not_any=Q(...)``: Odoo ``not any``."""

    lookup_name = "not_any"
    operator = "not any"


def _make(base: type[Lookup], name: str, operator: str, doc: str, **attrs: Any) -> type[Lookup]:
    cls_name = "".join(part.capitalize() for part in name.split("_")) + "Lookup"
    return type(
        cls_name, (base,), {"lookup_name": name, "operator": operator, "__doc__": doc, **attrs}
    )


# name, Odoo operator, doc
_ORDERED = [
    ("gt", ">", "``field__gt=value``: ``>``."),
    ("gte", ">=", "``field__gte=value``: ``>=``."),
    ("lt", "<", "``field__lt=value``: ``<``."),
    ("lte", "<=", "``field__lte=value``: ``<=``."),
]
# name, Odoo operator, escape the value, prefix, suffix, doc
_PATTERNS = [
    ("contains", "like", True, "", "", "``like``; ``%``/``_`` in the value match literally."),
    ("icontains", "ilike", True, "", "", "``ilike``, literal value, case-insensitive."),
    ("startswith", "=like", True, "", "%", "``=like 'value%'``, literal value."),
    ("istartswith", "=ilike", True, "", "%", "``=ilike 'value%'``, literal value."),
    ("endswith", "=like", True, "%", "", "``=like '%value'``, literal value."),
    ("iendswith", "=ilike", True, "%", "", "``=ilike '%value'``, literal value."),
    ("like", "like", False, "", "", "Odoo ``like`` (wraps in ``%``; wildcards are yours)."),
    ("ilike", "ilike", False, "", "", "Odoo ``ilike`` (wraps in ``%``; wildcards are yours)."),
    ("not_like", "not like", False, "", "", "Odoo ``not like``."),
    ("not_ilike", "not ilike", False, "", "", "Odoo ``not ilike``."),
    ("eq_like", "=like", False, "", "", "Odoo ``=like`` (the pattern as given)."),
    ("eq_ilike", "=ilike", False, "", "", "Odoo ``=ilike`` (the pattern as given)."),
]

for _cls in (
    Exact,
    NotEqual,
    Range,
    In,
    NotIn,
    IsNull,
    ChildOf,
    ParentOf,
    RelatedAny,
    RelatedNotAny,
):
    register_lookup(_cls)
for _name, _op, _doc in _ORDERED:
    register_lookup(_make(_Ordered, _name, _op, _doc))
for _name, _op, _esc, _pre, _suf, _doc in _PATTERNS:
    register_lookup(_make(_Pattern, _name, _op, _doc, escape=_esc, prefix=_pre, suffix=_suf))
