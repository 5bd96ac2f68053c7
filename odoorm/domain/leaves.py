"""Raw Odoo domains: leaves, operators, wire values and the normal form.

What every other module of the domain package builds on: the shapes the
compiler expects of a model and its fields (:class:`ModelInfo`,
:class:`FieldInfo`), Python values converted to what a domain holds
(:func:`to_wire`), :class:`SubDomain` (a filter standing for a list of ids),
and :func:`normalize`, which validates a raw domain and makes its implicit
``&`` explicit. Pure module: no I/O.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from odoorm._schema import suggestion
from odoorm.exceptions import FieldError

__all__ = [
    "FALSE_LEAF",
    "NEGATIVE_OPERATORS",
    "OPERATORS",
    "TRUE_LEAF",
    "FieldInfo",
    "ModelInfo",
    "SubDomain",
    "call_hook",
    "escape_like",
    "format_datetime",
    "normalize",
    "to_wire",
]


class FieldInfo(Protocol):
    """What the compiler needs to know about a field (``odoorm.fields.Field`` has it)."""

    name: str  # python attribute name
    source: str  # odoo field name
    type: str  # odoo ttype

    @property
    def comodel_info(self) -> ModelInfo | None: ...


class ModelInfo(Protocol):
    """What the compiler needs to know about a model (``Model._meta`` has it)."""

    odoo_model: str

    def get_field_info(self, name: str) -> FieldInfo | None: ...

    def field_names(self) -> Iterable[str]: ...


TRUE_LEAF: tuple[str, str, Any] = ("id", "!=", False)  # matches every record
FALSE_LEAF: tuple[str, str, Any] = ("id", "in", [])  # matches no record
# operators Odoo negates (leaves with these cannot be rewritten as dotted paths)
NEGATIVE_OPERATORS = frozenset({"!=", "<>", "not in", "not like", "not ilike", "not any"})


# every operator Odoo 17-19 accepts in a leaf ('<>' and '==' are rewritten)
OPERATORS = frozenset(
    {"=", "!=", "<", ">", "<=", ">=", "=?", "like", "ilike", "not like", "not ilike"}
    | {"=like", "=ilike", "in", "not in", "child_of", "parent_of", "any", "not any"}
    | {"any!", "not any!"}
)
_ALIASES = {"<>": "!=", "==": "="}


# --------------------------------------------------------------------- values


@dataclass(frozen=True)
class SubDomain:
    """A filter on another model, used in place of a list of ids.

    Querysets return one from ``__odoo_domain_value__()`` so that
    ``Partner.objects.filter(country__in=Country.objects.filter(code="BE"))``
    compiles to ``('country_id', 'any', [('code', '=', 'BE')])`` on Odoo 17+
    without a round trip. ``ids`` is an optional zero-argument callable the
    compiler calls when ``any`` cannot be used (Odoo < 17): it must return the
    matching ids (the queryset runs its search then).
    """

    model: str
    domain: tuple[Any, ...]
    ids: Callable[[], list[int]] | None = field(default=None, compare=False, repr=False)

    def __init__(
        self,
        model: str,
        domain: Any,
        ids: Callable[[], list[int]] | None = None,
    ) -> None:
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "domain", tuple(domain))
        object.__setattr__(self, "ids", ids)

    def __hash__(self) -> int:
        return hash((self.model, repr(self.domain)))


def format_datetime(value: dt.datetime) -> str:
    """Odoo's wire form of a datetime: UTC, ``YYYY-MM-DD HH:MM:SS`` (naive = UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def to_wire(value: Any) -> Any:
    """Convert a Python value to what an Odoo domain expects.

    ``None`` -> ``False``; enums -> their value; ``date`` -> ``"YYYY-MM-DD"``;
    ``datetime`` -> UTC ``"YYYY-MM-DD HH:MM:SS"``; ``Decimal`` -> float; objects
    with ``__odoo_domain_value__()`` (records, querysets) -> its result;
    lists/tuples/sets -> lists (sets sorted when possible, for determinism).
    """
    if value is None:
        return False
    if isinstance(value, enum.Enum):
        return to_wire(value.value)
    if isinstance(value, (bool, int, float, str, SubDomain)):
        return value
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if has_hook(value):
        return to_wire(value.__odoo_domain_value__())
    if isinstance(value, (set, frozenset)):
        items = [to_wire(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return items
    if isinstance(value, (list, tuple, range)):
        return [to_wire(v) for v in value]
    return value


def escape_like(value: str) -> str:
    """Escape ``\\``, ``%`` and ``_`` so a like pattern matches them literally.

    Odoo passes like patterns to PostgreSQL without an ESCAPE clause, so the
    default escape character, backslash, applies.
    """
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def has_hook(value: Any) -> bool:
    """Whether value has ``__odoo_domain_value__`` (records, querysets)."""
    return callable(getattr(value, "__odoo_domain_value__", None))


def call_hook(value: Any) -> Any:
    """``value.__odoo_domain_value__()`` when it has one (records, querysets), else value."""
    return value.__odoo_domain_value__() if has_hook(value) else value


def is_iterable(value: Any) -> bool:
    """Whether ``iter(value)`` works."""
    try:
        iter(value)
    except TypeError:
        return False
    return True


# ----------------------------------------------------------------- raw domains


def normalize(domain: Any) -> list[Any]:
    """Validate a raw Odoo domain and make its implicit ``&`` explicit.

    Leaves become tuples, values are converted to the wire (:func:`to_wire`),
    sub-domains of ``any``/``not any`` are normalised too. A single leaf tuple
    is accepted as a one-leaf domain. Raises :class:`FieldError` on a malformed
    domain, saying which item is wrong.
    """
    if domain is None:
        return []
    if hasattr(domain, "connector") and hasattr(domain, "children"):  # a Q
        raise FieldError("normalize() takes a raw domain list; compile a Q with q.compile()")
    if not isinstance(domain, (list, tuple)):
        raise FieldError(
            "a domain is a list of (field, operator, value) leaves and '&', '|', '!' "
            f"operators, got {type(domain).__name__} {domain!r}"
        )
    if _looks_like_leaf(domain):
        domain = [domain]
    result: list[Any] = []
    expected = 1  # terms still needed to complete the expression
    for pos, item in enumerate(domain):
        if expected == 0:  # a complete term followed by more: implicit '&'
            result.insert(0, "&")
            expected = 1
        if isinstance(item, str):
            if item in ("&", "|"):
                expected += 1
            elif item != "!":
                raise FieldError(
                    f"domain item #{pos} {item!r} is neither an operator ('&', '|', '!') "
                    "nor a (field, operator, value) leaf"
                )
        else:
            item = _leaf(item, pos)
            expected -= 1
        result.append(item)
    if result and expected:
        raise FieldError(
            f"domain {list(domain)!r} is incomplete: its operators need "
            f"{expected} more term(s) ('&' and '|' take 2, '!' takes 1)"
        )
    return result


def _looks_like_leaf(item: Any) -> bool:
    return (
        len(item) == 3
        and isinstance(item[0], str)
        and item[0] not in ("&", "|", "!")
        and isinstance(item[1], str)
        and _ALIASES.get(item[1], item[1]) in OPERATORS
    )


def _leaf(item: Any, pos: int) -> tuple[Any, str, Any]:
    if not isinstance(item, (list, tuple)) or len(item) != 3:
        raise FieldError(
            f"domain item #{pos} {item!r} must be a (field, operator, value) leaf "
            "or one of '&', '|', '!'"
        )
    name, op, value = item
    if isinstance(name, int) and not isinstance(name, bool) and name in (0, 1) and op == "=":
        return (name, op, value)  # Odoo's TRUE_LEAF / FALSE_LEAF
    if not isinstance(name, str) or not name:
        raise FieldError(f"domain leaf #{pos} {item!r}: the field name must be a non-empty str")
    if not isinstance(op, str) or _ALIASES.get(op, op) not in OPERATORS:
        raise FieldError(
            f"domain leaf #{pos} {item!r}: unknown operator {op!r}."
            + suggestion(str(op), sorted(OPERATORS), sentence=True)
        )
    op = _ALIASES.get(op, op)
    if op in ("any", "not any", "any!", "not any!") and isinstance(value, (list, tuple)):
        return (name, op, normalize(value))
    return (name, op, to_wire(value))


def _freeze(value: Any) -> Any:
    """A hashable stand-in for a (possibly unhashable) value."""
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_freeze(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted(((k, _freeze(v)) for k, v in value.items()), key=repr))
    try:
        hash(value)
    except TypeError:
        return repr(type(value))
    return value


def _copy(value: Any) -> Any:
    """Copy lists so callers cannot mutate what a Q holds."""
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    return value


# ---------------------------------------------------------------- Q children


class _Lookup:
    """A keyword lookup inside a Q: ``key=value``."""

    __slots__ = ("key", "value")

    def __init__(self, key: str, value: Any) -> None:
        self.key = key
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Lookup) and (self.key, self.value) == (other.key, other.value)

    def __hash__(self) -> int:
        return hash((self.key, _freeze(self.value)))

    def __repr__(self) -> str:
        return f"{self.key}={self.value!r}"


class _Raw:
    """A normalised raw Odoo domain inside a Q."""

    __slots__ = ("domain",)

    def __init__(self, domain: list[Any]) -> None:
        self.domain = tuple(domain)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Raw) and self.domain == other.domain

    def __hash__(self) -> int:
        return hash(_freeze(self.domain))

    def __repr__(self) -> str:
        return f"Q({list(self.domain)!r})"
