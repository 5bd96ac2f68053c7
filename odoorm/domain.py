"""The domain compiler: ``Q`` objects and raw Odoo domains to normalised prefix domains.

``Q(name__icontains="acme") | ~Q(active=False)`` compiles to
``['|', ('name', 'ilike', 'acme'), '!', ('active', '=', False)]``. Compiling
against a model (anything with the :class:`ModelInfo` shape, e.g. a model's
``_meta``) translates Python field names to Odoo names (``country__code`` ->
``country_id.code``) and checks fields, lookups and values before anything is
sent. Raw Odoo domains are accepted wherever a Q is, and are passed through
as written (Odoo names, values converted to the wire).

The output is canonical: implicit ``&`` made explicit, nested ``&``/``|``
flattened (n terms joined by n-1 operators up front), ``!!`` removed, leaves
as tuples, keyword lookups in sorted order. Pure module: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, Union

from odoorm.exceptions import FieldError
from odoorm.lookups import (
    RELATIONAL_TYPES,
    TRUE_LEAF,
    Lookup,
    LookupContext,
    SubDomain,
    escape_like,
    get_lookup,
    lookup_names,
    register_lookup,
    suggest,
    to_wire,
    unregister_lookup,
)

__all__ = [
    "AND",
    "OR",
    "DomainLike",
    "FieldInfo",
    "Lookup",
    "LookupContext",
    "ModelInfo",
    "Q",
    "SubDomain",
    "escape_like",
    "get_lookup",
    "lookup_names",
    "normalize",
    "register_lookup",
    "to_domain",
    "to_wire",
    "unregister_lookup",
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


# every operator Odoo 17-19 accepts in a leaf ('<>' and '==' are rewritten)
OPERATORS = frozenset(
    {"=", "!=", "<", ">", "<=", ">=", "=?", "like", "ilike", "not like", "not ilike"}
    | {"=like", "=ilike", "in", "not in", "child_of", "parent_of", "any", "not any"}
    | {"any!", "not any!"}
)
_ALIASES = {"<>": "!=", "==": "="}


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
    if isinstance(domain, Q):
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
            + suggest(str(op), sorted(OPERATORS))
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


# ------------------------------------------------------------------------ Q


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
        return _Compiler(model, _major(version)).domain(self)


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


# ------------------------------------------------------------------ compiling
# nodes: ("leaf", leaf) | ("&"|"|", (node, ...)) | ("!", node); None = no condition

Node = tuple[Any, Any]


def _join(connector: str, nodes: Iterable[Node | None]) -> Node | None:
    flat: list[Node] = []
    for n in nodes:
        if n is None:
            continue
        if n[0] == connector:
            flat.extend(n[1])
        else:
            flat.append(n)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else (connector, tuple(flat))


def _negate(node: Node | None) -> Node | None:
    if node is None:
        return None
    return node[1] if node[0] == "!" else ("!", node)


def _parse(domain: list[Any] | tuple[Any, ...]) -> Node | None:
    """Tree of a normalised prefix domain."""
    pos = 0

    def term() -> Node:
        nonlocal pos
        item = domain[pos]
        pos += 1
        if item == "!":
            return _negate(term()) or ("leaf", TRUE_LEAF)
        if item in ("&", "|"):
            left = term()
            right = term()
            return _join(item, (left, right)) or ("leaf", TRUE_LEAF)
        return ("leaf", item)

    if not domain:
        return None
    return _join("&", [term()])


def _emit(node: Node, out: list[Any]) -> None:
    kind, payload = node
    if kind == "leaf":
        out.append(_copy(payload))
    elif kind == "!":
        out.append("!")
        _emit(payload, out)
    else:
        out.extend([kind] * (len(payload) - 1))
        for child in payload:
            _emit(child, out)


class _IdField:
    """The implicit ``id`` / ``display_name`` fields every model has."""

    comodel_info = None

    def __init__(self, name: str, type: str) -> None:
        self.name = self.source = name
        self.type = type


_IMPLICIT = {
    "id": _IdField("id", "integer"),
    "pk": _IdField("id", "integer"),  # Django's alias, as in get(pk=...) and values("pk")
    "display_name": _IdField("display_name", "char"),
}


class _Compiler:
    def __init__(self, model: ModelInfo | None, version: int | None) -> None:
        self.model = model
        self.version = version

    def domain(self, q: Q) -> list[Any]:
        out: list[Any] = []
        node = self.node(q)
        if node is not None:
            _emit(node, out)
        return out

    def node(self, q: Q) -> Node | None:
        joined = _join(q.connector, (self.child(c) for c in q.children))
        return _negate(joined) if q.negated else joined

    def child(self, child: _Child) -> Node | None:
        if isinstance(child, Q):
            return self.node(child)
        if isinstance(child, _Raw):
            return _parse(child.domain)
        return _parse(self.lookup(child.key, child.value))

    def compile_sub(self, value: Any, model: ModelInfo | None) -> list[Any]:
        return _Compiler(model, self.version).domain(_as_q(value))

    def lookup(self, key: str, value: Any) -> list[Any]:
        path, field, owner, name = self.resolve(key)
        lookup = get_lookup(name)
        assert lookup is not None  # resolve() checked it
        ctx = LookupContext(key, name, path, field, owner, self.version, self.compile_sub)
        if field is not None and not lookup.applies_to(ctx):
            fits = [n for n in lookup_names() if _applies(n, ctx)]
            raise FieldError(
                f"Bad filter {key}: lookup {name!r} does not apply to {ctx.describe()}. "
                f"Lookups for {field.type} fields: {', '.join(fits)}"
            )
        fragment = lookup.build(lookup.prepare(value, ctx), ctx)
        try:
            return normalize(fragment)
        except FieldError as exc:
            raise FieldError(f"lookup {name!r} built a bad domain for {key}: {exc}") from None

    def resolve(self, key: str) -> tuple[str, FieldInfo | None, ModelInfo | None, str]:
        """Split ``a__b__lookup`` into (odoo path, final field, its model, lookup name)."""
        parts = key.split("__")
        if not all(parts):
            raise FieldError(f"Bad filter {key!r}: empty name between '__' separators")
        info = self.model
        field: FieldInfo | None = None
        owner: ModelInfo | None = None
        path: list[str] = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if info is None:
                if last and i > 0 and get_lookup(part) is not None:
                    return ".".join(path), field, owner, part
                path.append(part)
                field = owner = None
                continue
            found = info.get_field_info(part) or _IMPLICIT.get(part)
            if found is None:
                if last and i > 0 and get_lookup(part) is not None:
                    return ".".join(path), field, owner, part
                raise self.unknown(key, part, info, field if i > 0 else None)
            path.append(found.source)
            field, owner = found, info
            info = found.comodel_info if found.type in RELATIONAL_TYPES else None
            if found.type not in RELATIONAL_TYPES and not last:
                nxt = parts[i + 1]
                if i + 1 == len(parts) - 1 and get_lookup(nxt) is not None:
                    return ".".join(path), field, owner, nxt
                if i + 1 == len(parts) - 1:
                    raise self.unknown_lookup(key, nxt, found, owner)
                raise FieldError(
                    f"Bad filter {key}: {owner.odoo_model}.{part} is a {found.type} field, "
                    f"not a relation, so '{'__'.join(parts[i + 1 :])}' cannot follow it"
                )
        return ".".join(path), field, owner, "exact"

    def unknown(self, key: str, part: str, info: ModelInfo, parent: FieldInfo | None) -> FieldError:
        names = sorted(info.field_names())
        where = f"{info.odoo_model} has no field {part!r}"
        candidates = list(names)
        if parent is not None:  # 'country__cod': a field of res.country or a lookup
            where += " and there is no lookup of that name"
            candidates += lookup_names()
        hint = suggest(part, candidates)
        if not names:  # a class built from fields_get that has not met a connection yet
            hint += (
                f" odoorm knows no field of {info.odoo_model} yet: declare a class for it, or"
                " give the query its connection first (using(conn) or a default connection)"
                " so the fields can be read from the server."
            )
        elif not hint:
            shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
            hint = f" Its fields: {shown}."
        return FieldError(f"Bad filter {key}: {where}.{hint}")

    def unknown_lookup(self, key: str, name: str, field: FieldInfo, owner: ModelInfo) -> FieldError:
        ctx = LookupContext(key, name, field.source, field, owner, self.version, self.compile_sub)
        fits = [n for n in lookup_names() if _applies(n, ctx)]
        return FieldError(
            f"Bad filter {key}: unknown lookup {name!r} for {ctx.describe()}."
            f"{suggest(name, fits)} Lookups for {field.type} fields: {', '.join(fits)}"
        )


def _applies(name: str, ctx: LookupContext) -> bool:
    lookup = get_lookup(name)
    return lookup is not None and lookup.applies_to(ctx)
