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

import datetime as dt
import decimal
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from odoorm._schema import RELATIONAL_TYPES
from odoorm._values import is_missing, plain
from odoorm.domain.leaves import (
    FALSE_LEAF,
    NEGATIVE_OPERATORS,
    TRUE_LEAF,
    FieldInfo,
    ModelInfo,
    SubDomain,
    escape_like,
    has_hook,
    is_iterable,
    to_wire,
)
from odoorm.domain.timezone import local_to_wire
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

TEXT_TYPES = frozenset({"char", "text", "html"})
NUMERIC_TYPES = frozenset({"integer", "float", "monetary"})
ORDERED_TYPES = NUMERIC_TYPES | TEXT_TYPES | {"date", "datetime", "selection", "many2one"}
# pattern lookups: text, and relations (Odoo then searches the related records by name)
PATTERN_TYPES = TEXT_TYPES | RELATIONAL_TYPES | {"selection"}

# -------------------------------------------------------------------- context

# what each field type accepts in a comparison (bool is never a number here)
_ACCEPTS: dict[str, tuple[tuple[type, ...], str]] = {
    "char": ((str,), "a str"),
    "text": ((str,), "a str"),
    "html": ((str,), "a str"),
    "selection": ((str, int), "one of the selection keys (a str)"),
    "reference": ((str,), "a 'model,id' str"),
    "integer": ((int,), "an int"),
    "float": ((int, float, decimal.Decimal), "a number"),
    "monetary": ((int, float, decimal.Decimal), "a number"),
    "boolean": ((bool,), "True or False"),
    "date": ((dt.date, str), "a datetime.date or a 'YYYY-MM-DD' str"),
    "datetime": ((dt.date, str), "a datetime (naive = UTC) or a 'YYYY-MM-DD HH:MM:SS' str"),
    "many2one": ((int, str), "a record, an id (int) or a name (str)"),
    "one2many": ((int, str), "a record, an id (int) or a name (str)"),
    "many2many": ((int, str), "a record, an id (int) or a name (str)"),
}


def _is_day(value: Any) -> bool:
    """A date without a time: a ``date`` (not a datetime) or a ``"YYYY-MM-DD"`` str."""
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    if isinstance(value, str) and len(value) == 10:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return True
    return False


@dataclass(frozen=True)
class LookupContext:
    """What a lookup knows about the leaf it builds.

    ``key`` is the user's keyword (``country__code__in``), ``lookup`` the
    lookup name, ``path`` the Odoo dotted path (``country_id.code``), ``field``
    the final field and ``model`` the model owning it (``None`` when unknown),
    ``version`` the Odoo major version (``None``: assume the newest),
    ``compile_sub(value, model)`` compiles a Q / raw domain / dict of lookups
    against another model.
    """

    key: str
    lookup: str
    path: str
    field: FieldInfo | None
    model: ModelInfo | None
    version: int | None
    compile_sub: Callable[[Any, ModelInfo | None], list[Any]]

    @property
    def ftype(self) -> str | None:
        """The final field's Odoo type, or ``None`` when unknown."""
        return self.field.type if self.field is not None else None

    @property
    def comodel(self) -> ModelInfo | None:
        """The related model of a relational final field, when known."""
        return self.field.comodel_info if self.field is not None else None

    @property
    def modern(self) -> bool:
        """True on Odoo 17+ (or an unknown version): ``any``/``not any`` exist."""
        return self.version is None or self.version >= 17

    def describe(self) -> str:
        """``res.partner.customer_rank (integer)``, or ``'path'`` without a model."""
        if self.field is None or self.model is None:
            return f"'{self.path}'"
        return f"{self.model.odoo_model}.{self.field.name} ({self.field.type})"

    def error(self, message: str) -> FieldError:
        """A FieldError for this filter, saying which filter it is."""
        return FieldError(f"Bad filter {self.key}: {message}")

    def scalar(self, value: Any, *, allow_false: bool = True) -> Any:
        """Check one comparison value against the field type and convert it."""
        if isinstance(value, enum.Enum):
            value = value.value
        value = plain(value)  # numpy scalars; pandas' NaN/NaT/NA mean "no value"
        if is_missing(value):
            value = None
        if has_hook(value):
            value = self.records_value(value)
            if isinstance(value, (list, SubDomain)):
                raise self.error(
                    "got several records where one value is expected; "
                    f"use {self.path_key()}__in=... to match any of them"
                )
        if value is None or (value is False and self.ftype != "boolean"):
            if allow_false:
                return False
            raise self.error(f"cannot compare {self.describe()} with {value!r}")
        if isinstance(value, (list, tuple, set, frozenset, Mapping)):
            raise self.error(
                f"expects one value, got a {type(value).__name__} {value!r}; "
                f"use {self.path_key()}__in=[...] to match any of several values"
            )
        ftype = self.ftype
        if ftype in _ACCEPTS:
            accepted, wanted = _ACCEPTS[ftype]
            bad_bool = isinstance(value, bool) and ftype != "boolean"
            if bad_bool or not isinstance(value, accepted):
                hint = ""
                if isinstance(value, str) and ftype in NUMERIC_TYPES:
                    hint = " (give numbers as numbers, not strings)"
                raise self.error(
                    f"{self.describe()} expects {wanted}, "
                    f"got {type(value).__name__} {value!r}{hint}"
                )
            if ftype == "date" and isinstance(value, dt.datetime):
                value = value.date()
            self._check_known(ftype, value)
            if ftype == "datetime" and _is_day(value):
                return self.whole_day(value)
        return to_wire(value)

    def whole_day(self, value: Any) -> Any:
        """A datetime field compared with a day (a ``date``, or ``"YYYY-MM-DD"``):
        the ordering lookups take the whole day (``gte``/``lt``: from its start,
        ``gt``/``lte``: to its end, in the query's time zone); equality would
        mean midnight only, so it is refused with the ``__date`` lookup to use."""
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
        key = self.path_key()
        if self.lookup in ("gte", "lt", "range_low"):
            return local_to_wire(day, self.key)
        if self.lookup in ("gt", "lte", "range_high"):
            end = dt.datetime.combine(day, dt.time(23, 59, 59))
            return local_to_wire(end, self.key)
        raise self.error(
            f"{self.describe()} compared with the day {day.isoformat()} would match "
            f"midnight only: use {key}__date={day!r} for the whole day, or give a datetime"
        )

    def _check_known(self, ftype: str, value: Any) -> None:
        """What can be known wrong before sending: a selection key not among the
        declared ones, an id that cannot exist, a date string that is not a date."""
        if ftype == "selection":
            choices = getattr(self.field, "selection", None)
            if isinstance(choices, (list, tuple)) and value not in choices:
                raise self.error(
                    f"{value!r} is not a value of {self.describe()}; valid values: "
                    f"{', '.join(repr(c) for c in choices)}"
                )
        elif ftype in RELATIONAL_TYPES and isinstance(value, int) and value <= 0:
            raise self.error(f"{value} is not a record id (Odoo ids are positive)")
        elif ftype in ("date", "datetime") and isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                parsed = None
            if parsed is None or (ftype == "date" and parsed.time() != dt.time(0)):
                form = "'YYYY-MM-DD'" if ftype == "date" else "'YYYY-MM-DD HH:MM:SS' (UTC)"
                raise self.error(
                    f"{value!r} is not a {ftype} for {self.describe()}: write {form} or pass "
                    "a datetime.date/datetime (relative words such as 'yesterday' are read "
                    "by some servers' databases and refused by Odoo 19)"
                )

    def many(self, value: Any) -> list[Any] | SubDomain:
        """Check an iterable of values (for ``in``) and convert each one."""
        if has_hook(value):
            value = self.records_value(value)
            if not isinstance(value, (list, SubDomain)):
                value = [value]
        if isinstance(value, SubDomain):
            return value
        value = plain(value)  # a numpy array or a pandas Index/Series: its values
        if isinstance(value, (str, bytes, Mapping)) or not is_iterable(value):
            raise self.error(
                f"expects a list, tuple or set of values, got {type(value).__name__} "
                f"{value!r}; write [{value!r}] for a single value"
            )
        items = [self.scalar(v) for v in value]
        if isinstance(value, (set, frozenset)):
            with suppress(TypeError):
                items.sort()
        return items

    def records_value(self, value: Any) -> Any:
        """A record's or queryset's domain value, once it is known to be of the model
        this field points to (a partner given for a country would match by id)."""
        got = getattr(getattr(value, "_meta", None), "odoo_model", None)
        expected = None
        if self.ftype in RELATIONAL_TYPES and self.comodel is not None:
            expected = self.comodel.odoo_model
        elif self.field is not None and self.field.source == "id" and self.model is not None:
            expected = self.model.odoo_model
        if isinstance(got, str) and expected is not None and got != expected:
            describe = getattr(value, "describe", None)  # a queryset: its repr would fetch
            shown = describe() if callable(describe) else repr(value)
            raise self.error(
                f"got {shown}, of model {got}, but {self.describe()} holds {expected} ids; "
                f"pass a {expected} record or id"
            )
        return value.__odoo_domain_value__()

    def path_key(self) -> str:
        """The user's key without the lookup: ``country__code`` of ``country__code__in``."""
        suffix = "__" + self.lookup
        return self.key[: -len(suffix)] if self.key.endswith(suffix) else self.key

    def any_leaf(self, sub: list[Any], *, negate: bool) -> list[Any]:
        """``(path, 'any', sub)``; before Odoo 17 the equivalent dotted-path domain."""
        if self.modern:
            return [(self.path, "not any" if negate else "any", sub)]
        rewritten = self._as_dotted(sub)
        if rewritten is not None:
            return ["!", *rewritten] if negate else rewritten
        comodel = self.comodel
        if comodel is None:
            raise self.error(
                f"this 'any' sub-domain needs Odoo 17+ (this server is Odoo {self.version}) "
                "or a declared relation: odoorm does not know which model to search first"
            )
        # no 'any' before Odoo 17, and not expressible as dotted paths: the query
        # searches the related records first (one more call) and matches their ids
        return [(self.path, "not in" if negate else "in", SubDomain(comodel.odoo_model, sub))]

    def _as_dotted(self, sub: list[Any]) -> list[Any] | None:
        if not sub:  # any [] = "has a related record"
            return [(self.path, "!=", False)]
        # a many2one has at most one related record, so '&' distributes too
        allowed = {"|", "&"} if self.ftype in (None, "many2one") else {"|"}
        out: list[Any] = []
        for item in sub:
            if isinstance(item, str):
                if item not in allowed:
                    return None
                out.append(item)
                continue
            name, op, value = item
            if not isinstance(name, str) or op in NEGATIVE_OPERATORS or "any" in op:
                return None
            if value is False or (isinstance(value, list) and False in value):
                return None  # "unset" through a path is not "a related record unset"
            out.append((f"{self.path}.{name}", op, value))
        return out

    def subdomain_leaf(self, sub: SubDomain, *, negate: bool) -> list[Any]:
        """A queryset's SubDomain as a leaf: ``any`` on Odoo 17+, else its ids."""
        if self.path == "id" and (self.model is None or self.model.odoo_model == sub.model):
            inner = self.compile_sub(list(sub.domain), None)  # the records themselves
            if not inner:
                return [FALSE_LEAF] if negate else [TRUE_LEAF]
            return ["!", *inner] if negate else inner
        comodel = self.comodel
        if comodel is not None and comodel.odoo_model != sub.model:
            raise self.error(
                f"the queryset is on {sub.model} but {self.describe()} points to "
                f"{comodel.odoo_model}"
            )
        relational = self.ftype in RELATIONAL_TYPES or (self.field is None and self.path != "id")
        if relational and self.modern:
            inner = self.compile_sub(list(sub.domain), None)
            return [(self.path, "not any" if negate else "any", inner)]
        if sub.ids is None:
            raise self.error(
                f"a queryset on {sub.model} can only be used here as a list of ids: "
                "pass list(qs.values_list('id', flat=True))"
            )
        return [(self.path, "not in" if negate else "in", [int(i) for i in sub.ids()])]


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
