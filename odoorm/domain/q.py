"""``Q`` objects: filters built from keyword lookups, other Qs and raw domains.

``Q(name__icontains="acme") | ~Q(active=False)`` compiles to
``['|', ('name', 'ilike', 'acme'), '!', ('active', '=', False)]`` (see
:mod:`odoorm.domain.compiler`). Raw Odoo domains are accepted wherever a Q is,
and are passed through as written (Odoo names, values converted to the wire).
Pure module: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Union

from odoorm.domain.compiler import Compiler
from odoorm.domain.date_lookups import merge_date_parts
from odoorm.domain.leaves import ModelInfo, _Lookup, _Raw, normalize
from odoorm.exceptions import FieldError

__all__ = ["AND", "OR", "DomainLike", "Q", "to_domain"]


_Child = Union["Q", _Lookup, _Raw]
DomainLike = Union["Q", list, tuple, Mapping, None]


class Q:
    """A filter: keyword lookups, other Qs and raw domains, joined with ``&``.

    ``Q(name__icontains="acme", is_company=True)``, ``Q(a) | Q(b)``, ``~Q(...)``,
    ``Q([("name", "ilike", "acme")])``, ``Q(name="a") | [("x", "=", 1)]``.
    Immutable and hashable; ``Q()`` matches everything and is the identity of
    both ``&`` and ``|``.
    """

    __slots__ = ("children", "connector", "negated")
    AND = "&"
    OR = "|"

    children: tuple[_Child, ...]
    connector: str
    negated: bool

    def __init__(self, *children: Any, **lookups: Any) -> None:
        items: list[_Child] = []
        for child in children:
            items.extend(_coerce(child))
        lookups = merge_date_parts(lookups)  # date_order__year=.., date_order__month=..: one range
        items.extend(_Lookup(key, lookups[key]) for key in sorted(lookups))
        object.__setattr__(self, "children", tuple(items))
        object.__setattr__(self, "connector", Q.AND)
        object.__setattr__(self, "negated", False)

    @classmethod
    def _make(cls, children: tuple[_Child, ...], connector: str, negated: bool) -> Q:
        q = cls.__new__(cls)
        object.__setattr__(q, "children", children)
        object.__setattr__(q, "connector", connector)
        object.__setattr__(q, "negated", negated)
        return q

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Q objects are immutable; combine them with &, | and ~")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Q objects are immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Q._make, (self.children, self.connector, self.negated))

    def __copy__(self) -> Q:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Q:
        return self

    # algebra ------------------------------------------------------------

    def _combine(self, other: Q, connector: str) -> Q:
        if not other:
            return self
        if not self:
            return other
        children: list[_Child] = []
        for q in (self, other):
            if not q.negated and (q.connector == connector or len(q.children) == 1):
                children.extend(q.children)
            else:
                children.append(q)
        return Q._make(tuple(children), connector, False)

    def __and__(self, other: Any) -> Q:
        return self._combine(_as_q(other), Q.AND)

    def __rand__(self, other: Any) -> Q:
        return _as_q(other)._combine(self, Q.AND)

    def __or__(self, other: Any) -> Q:
        return self._combine(_as_q(other), Q.OR)

    def __ror__(self, other: Any) -> Q:
        return _as_q(other)._combine(self, Q.OR)

    def __invert__(self) -> Q:
        if not self:
            return self
        return Q._make(self.children, self.connector, not self.negated)

    def __bool__(self) -> bool:
        return bool(self.children)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Q):
            return NotImplemented
        return (self.connector, self.negated, self.children) == (
            other.connector,
            other.negated,
            other.children,
        )

    def __hash__(self) -> int:
        return hash((self.connector, self.negated, self.children))

    def __repr__(self) -> str:
        if not self.children:
            return "Q()"
        if self.connector == Q.AND and all(isinstance(c, _Lookup) for c in self.children):
            body = "Q(" + ", ".join(repr(c) for c in self.children) + ")"
            return "~" + body if self.negated else body
        parts = []
        for c in self.children:
            text = repr(c) if not isinstance(c, _Lookup) else f"Q({c!r})"
            if isinstance(c, Q) and not c._atomic():
                text = f"({text})"
            parts.append(text)
        body = f" {self.connector} ".join(parts)
        return f"~({body})" if self.negated else body

    def _atomic(self) -> bool:
        """Whether repr() needs no parentheses around this Q inside another."""
        if self.negated or len(self.children) <= 1:
            return True
        return self.connector == Q.AND and all(isinstance(c, _Lookup) for c in self.children)

    # compiling ----------------------------------------------------------

    def compile(self, model: ModelInfo | None = None, *, version: Any = None) -> list[Any]:
        """The normalised Odoo prefix domain of this filter.

        With ``model`` (a :class:`ModelInfo`, e.g. ``Partner._meta``) field
        names are translated and everything is validated; without, ``__`` in
        names becomes ``.`` and names pass through. ``version`` is the Odoo
        major version (``None``: assume the newest); before 17, ``any`` is
        rewritten as dotted paths when that is equivalent.
        """
        return Compiler(model, _major(version), _as_q).domain(self)


def _coerce(child: Any) -> list[_Child]:
    if child is None:
        return []
    if isinstance(child, Q):
        return [child] if child else []
    if isinstance(child, Mapping):
        return [_Lookup(_key(k), child[k]) for k in sorted(child)]
    if isinstance(child, (list, tuple)):
        domain = normalize(child)
        return [_Raw(domain)] if domain else []
    raise FieldError(
        f"Q() takes Q objects, raw domains (lists of (field, operator, value)) or dicts "
        f"of lookups, got {type(child).__name__} {child!r}; for a lookup write Q(name='x')"
    )


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise FieldError(f"lookup keys are str like 'name__icontains', got {key!r}")
    return key


def _as_q(value: Any) -> Q:
    if isinstance(value, Q):
        return value
    if value is None or isinstance(value, (list, tuple, Mapping)):
        return Q(value)
    raise TypeError(f"cannot combine a Q with {type(value).__name__} {value!r}")


def _major(version: Any) -> int | None:
    if version is None:
        return None
    major = getattr(version, "major", version)  # a ServerVersion or an int
    if isinstance(major, (tuple, list)):
        major = major[0]
    return int(major)


def to_domain(
    value: DomainLike, model: ModelInfo | None = None, *, version: Any = None
) -> list[Any]:
    """Compile a Q, a raw domain, a dict of lookups or ``None`` to a normalised domain."""
    return _as_q(value).compile(model, version=version)


def AND(domains: Iterable[DomainLike]) -> list[Any]:  # Odoo's name
    """The conjunction of several Qs / raw domains, as one normalised domain."""
    result = Q()
    for d in domains:
        result &= _as_q(d)
    return result.compile()


def OR(domains: Iterable[DomainLike]) -> list[Any]:  # Odoo's name
    """The disjunction of several Qs / raw domains (empty ones are ignored)."""
    result = Q()
    for d in domains:
        result |= _as_q(d)
    return result.compile()
