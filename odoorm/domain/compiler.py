"""The domain compiler: a ``Q`` tree to a normalised Odoo prefix domain.

Against a model (anything with the :class:`~odoorm.domain.leaves.ModelInfo`
shape, e.g. a model's ``_meta``) it translates Python field names to Odoo names
(``country__code`` -> ``country_id.code``) and checks fields, lookups and
values before anything is sent; each keyword lookup is built by its
:class:`~odoorm.domain.lookups.Lookup`. The output is canonical: implicit
``&`` made explicit, nested ``&``/``|`` flattened (n terms joined by n-1
operators up front), ``!!`` removed, leaves as tuples. Pure module: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from odoorm._schema import IMPLICIT_FIELDS, PATH_SEP, RELATIONAL_TYPES, suggestion
from odoorm.domain.context import LookupContext
from odoorm.domain.leaves import TRUE_LEAF, FieldInfo, ModelInfo, _copy, _Lookup, _Raw, normalize
from odoorm.domain.lookups import get_lookup, lookup_names
from odoorm.exceptions import FieldError

__all__ = ["Compiler"]

#: ``id``, ``pk`` and ``display_name``: fields of every model (they have the FieldInfo shape)
_IMPLICIT = cast("Mapping[str, FieldInfo]", IMPLICIT_FIELDS)


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


class Compiler:
    """Compiles one Q tree (``q.compile()`` makes one). ``as_q`` reads a
    sub-filter value (a Q, a raw domain, a dict of lookups) as a Q tree: the
    ``any`` lookups hand theirs back to be compiled against the comodel."""

    def __init__(
        self, model: ModelInfo | None, version: int | None, as_q: Callable[[Any], Any]
    ) -> None:
        self.model = model
        self.version = version
        self.as_q = as_q

    def domain(self, q: Any) -> list[Any]:
        out: list[Any] = []
        node = self.node(q)
        if node is not None:
            _emit(node, out)
        return out

    def node(self, q: Any) -> Node | None:
        joined = _join(q.connector, (self.child(c) for c in q.children))
        return _negate(joined) if q.negated else joined

    def child(self, child: Any) -> Node | None:
        if isinstance(child, _Raw):
            return _parse(child.domain)
        if isinstance(child, _Lookup):
            return _parse(self.lookup(child.key, child.value))
        return self.node(child)  # a Q

    def compile_sub(self, value: Any, model: ModelInfo | None) -> list[Any]:
        return Compiler(model, self.version, self.as_q).domain(self.as_q(value))

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
        parts = key.split(PATH_SEP)
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
        hint = suggestion(part, candidates, sentence=True)
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
            f"{suggestion(name, fits, sentence=True)} "
            f"Lookups for {field.type} fields: {', '.join(fits)}"
        )


def _applies(name: str, ctx: LookupContext) -> bool:
    lookup = get_lookup(name)
    return lookup is not None and lookup.applies_to(ctx)
