"""The plan of a QuerySet and the builder methods that change it.

A query is a frozen :class:`_Plan` (filters with their compiled domains, order,
slice, context, fields, relations to load, result shape). Every builder
method (``filter``, ``order_by``, slicing, ``only``, ``select_related``...)
returns a clone with an evolved plan and sends nothing; evaluation lives in
:mod:`odoorm.query`, whose ``QuerySet`` extends :class:`QueryBuilder`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from odoorm._schema import field_named, suggestion
from odoorm.aggregates import GroupKey, ResolvedAggregate, resolve_group_key
from odoorm.domain.date_lookups import compile_timezone
from odoorm.domain.leaves import SubDomain, _Lookup, normalize
from odoorm.domain.q import Q, to_domain
from odoorm.exceptions import FieldError, OdoormError
from odoorm.query.checks import check_selection_filters
from odoorm.query.paging import and_domains, not_domain, page_kwargs
from odoorm.query.paths import ValuePath, resolve_path
from odoorm.query.related import check_related_path, default_related_paths
from odoorm.session.connection import get_default_connection

if TYPE_CHECKING:
    from odoorm.session import Connection

__all__ = ["HAVING_LOOKUPS", "QueryBuilder"]

M = TypeVar("M")
_Q = TypeVar("_Q", bound="QueryBuilder[Any]")


# -- the lookups of having-style filters on grouped rows (run in Python) --------


def _in(a: Any, b: Any) -> bool:
    return a in b


def _not_in(a: Any, b: Any) -> bool:
    return a not in b


def _isnull(a: Any, b: Any) -> bool:
    return (a is None) == bool(b)


def _range(a: Any, b: Any) -> bool:
    low, high = b
    return a is not None and low <= a <= high


def _compare(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def check(a: Any, b: Any) -> bool:
        return a is not None and op(a, b)

    return check


HAVING_LOOKUPS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "ne": operator.ne,
    "gt": _compare(operator.gt),
    "gte": _compare(operator.ge),
    "lt": _compare(operator.lt),
    "lte": _compare(operator.le),
    "in": _in,
    "not_in": _not_in,
    "isnull": _isnull,
    "range": _range,
}


@attrs.frozen
class _Filter:
    """One filter()/exclude() call: its sources and the domain compiled from them."""

    sources: tuple[Any, ...]
    negated: bool
    compiled: tuple[Any, ...]
    version: int | None
    tz: str | None = None  # the time zone date lookups were compiled in


@attrs.frozen
class _Order:
    """One order_by() term: ``source`` is the Odoo spec, None for an annotation alias."""

    name: str
    source: str | None
    desc: bool
    nulls: str | None = None

    def compile(self, flip: bool = False) -> str:
        desc = self.desc != flip
        nulls = self.nulls
        if flip and nulls:
            nulls = "first" if nulls == "last" else "last"
        text = f"{self.source} desc" if desc else str(self.source)
        return f"{text} nulls {nulls}" if nulls else text


@attrs.frozen
class _Plan:
    filters: tuple[_Filter, ...] = ()
    order: tuple[_Order, ...] = ()
    reverse: bool = False
    offset: int = 0
    limit: int | None = None
    empty: bool = False
    conn: Any = None
    context: Mapping[str, Any] = attrs.field(factory=dict)
    only: tuple[str, ...] | None = None
    defer: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    mode: str = "records"  # "records" | "values" | "values_list"
    names: tuple[str, ...] = ()  # values() names as written
    paths: tuple[ValuePath, ...] = ()
    groups: tuple[GroupKey, ...] = ()  # set by annotate()
    flat: bool = False
    named: bool = False
    aggregates: tuple[ResolvedAggregate, ...] | None = None  # set by annotate()
    having: tuple[tuple[str, str, Any], ...] = ()
    distinct: bool = False  # values()/values_list() rows deduplicated (client-side)

    @property
    def sliced(self) -> bool:
        return self.offset > 0 or self.limit is not None


class QueryBuilder(Generic[M]):
    """The builder half of :class:`odoorm.query.QuerySet`: cloning, connection,
    filters, order, slices and what to load. Nothing here calls the server
    except ``_connection()``'s schema check, run by evaluation."""

    def __init__(self, model: type[M], conn: Connection | None = None):
        self.model = model
        self._meta = model._meta  # type: ignore[attr-defined]
        self._plan = _Plan(conn=conn)
        self._result_cache: list[Any] | None = None

    def __odoo_domain_value__(self) -> list[int] | SubDomain:
        """Used when a QuerySet is a filter value (``country__in=Country.objects.filter(...)``).

        An unsliced query becomes a :class:`~odoorm.domain.SubDomain` (an ``any``
        sub-domain on Odoo 17+, no call); a sliced or evaluated one gives its ids.
        """
        if self._result_cache is not None and self._plan.mode == "records":
            return [r.id for r in self._result_cache]
        if self._plan.empty or self._plan.limit == 0:
            return []
        if not self._plan.sliced:
            return SubDomain(self._meta.odoo_model, self.domain, ids=self._ids)
        return self._ids()

    def _ids(self) -> list[int]:
        """The matching ids: one ``search``."""
        if self._plan.empty or self._plan.limit == 0:
            return []
        conn = self._connection()
        return list(conn.rpc(self._meta.odoo_model, "search", **self._search_kwargs(conn)))

    # ------------------------------------------------------------ pickling

    def __getstate__(self) -> dict[str, Any]:
        """A query pickles as its model and plan, without its connection (unpickled,
        it runs on the default connection, or on the one ``using()`` names), and
        with its results when it was evaluated (records unpickle detached)."""
        plan = attrs.evolve(self._plan, conn=None)
        return {"model": self.model, "plan": plan, "results": self._result_cache}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self.model = state["model"]
        self._meta = self.model._meta  # type: ignore[attr-defined]
        self._plan = state["plan"]
        self._result_cache = state["results"]

    # ------------------------------------------------------------ cloning

    def _chain(self: _Q, **changes: Any) -> _Q:
        clone: _Q = object.__new__(type(self))
        clone.model = self.model
        clone._meta = self._meta
        clone._plan = attrs.evolve(self._plan, **changes)
        clone._result_cache = None
        return clone

    def _not_sliced(self, what: str) -> None:
        if self._plan.sliced:
            raise TypeError(
                f"Cannot {what} a query once a slice has been taken: "
                f"call {what}() before slicing, e.g. qs.{what}(...)[:20]"
            )

    # ------------------------------------------------------------ connection

    def _known_connection(self) -> Any:
        """The connection this query will use, if one is known yet (else None)."""
        conn = self._plan.conn
        if conn is None:
            try:
                conn = get_default_connection()
            except OdoormError:  # no default yet: compile version-neutral now, recheck later
                return None
        return conn

    def _version(self) -> int | None:
        conn = self._known_connection()
        return None if conn is None else int(conn.version.major)

    def _learn_fields(self, keys: Iterable[str]) -> None:
        """Let classes built from ``fields_get`` (``create_uid`` -> res.users when no
        class declares it) learn their fields on THIS query's connection, so a path
        such as ``write_uid__login`` resolves after ``using(conn)`` without a default
        connection. Declared classes are left alone (no call)."""
        conn = self._known_connection()
        if conn is None:
            return
        for key in keys:
            info = self._meta
            for part in key.split("__")[:-1]:
                field = info.get_field_info(part)
                comodel = getattr(field, "comodel_info", None) if field is not None else None
                if comodel is None:
                    break
                if getattr(comodel, "dynamic", False):
                    comodel.ensure_fields(conn)  # one cached fields_get per connection
                info = comodel

    def _connection(self) -> Any:
        """The connection to send on, once the model's schema was checked on it.

        Every evaluation goes through here before its first call, so the model's
        ``_ensure_schema`` hook (``Model.check_schema`` once per class and
        connection, one cached ``fields_get``; skipped when the connection was
        opened with ``check_schema=False``) runs before anything is sent.
        """
        conn = self._plan.conn or get_default_connection()
        if self._plan.context:
            conn = conn.with_context(**self._plan.context)
        ensure_schema = getattr(self.model, "_ensure_schema", None)
        if ensure_schema is not None:
            ensure_schema(conn)
        if conn.check_schema:
            for f in self._plan.filters:
                check_selection_filters(self._meta, f.sources, conn)
        return conn

    def using(self: _Q, conn: Connection | None) -> _Q:
        """The same query on another connection (``None``: the default connection)."""
        if conn is not None and not callable(getattr(conn, "rpc", None)):
            raise TypeError(
                f"using() takes a connection from odoorm.connect(...) (or None for the "
                f"default connection), got {type(conn).__name__} {conn!r}"
            )
        return self._chain(conn=conn)

    def with_context(self: _Q, context: Mapping[str, Any] | None = None, /, **kw: Any) -> _Q:
        """The same query with the Odoo context updated: ``with_context(lang="fr_FR")``
        or, as in Odoo, ``with_context({"active_test": False})``."""
        if context is not None and not isinstance(context, Mapping):
            raise TypeError(f"with_context() takes a dict or keywords, got {context!r}")
        return self._chain(context={**self._plan.context, **(context or {}), **kw})

    # ------------------------------------------------------------ filtering

    def all(self: _Q) -> _Q:
        """A fresh copy (its own result cache)."""
        return self._chain()

    def none(self: _Q) -> _Q:
        """A query that matches nothing and never calls the server."""
        return self._chain(empty=True)

    def filter(self: _Q, *args: Any, **kwargs: Any) -> _Q:
        """Narrow the query: Q objects, raw Odoo domains and ``field__lookup=value``."""
        return self._filter(args, kwargs, negated=False)

    def exclude(self: _Q, *args: Any, **kwargs: Any) -> _Q:
        """Drop the records matching the conditions (``NOT (a AND b)``)."""
        return self._filter(args, kwargs, negated=True)

    def _filter(self: _Q, args: tuple[Any, ...], kwargs: dict[str, Any], negated: bool) -> _Q:
        self._not_sliced("filter")
        for arg in args:
            if arg is not None and not isinstance(arg, (Q, Mapping, list, tuple)):
                raise TypeError(
                    f"filter(), exclude() and get() take Q objects, raw Odoo domains and "
                    f"field=value keywords, got {type(arg).__name__} {arg!r}"
                    + (f"; for one record by id write get(id={arg})" if type(arg) is int else "")
                )
        having = self._plan.having
        if self._plan.aggregates and kwargs:
            aliases = {a.alias for a in self._plan.aggregates}
            post = {k: v for k, v in kwargs.items() if k.split("__")[0] in aliases}
            if post and negated:
                raise TypeError("exclude() on an annotation is not supported; use filter()")
            having = having + tuple(_having_term(k, v) for k, v in post.items())
            kwargs = {k: v for k, v in kwargs.items() if k not in post}
        sources = args + ((Q(**kwargs),) if kwargs else ())
        filters = self._plan.filters
        if sources:
            self._learn_fields(_keys_of(sources))
            version = self._version()
            tz = self._tz()
            with compile_timezone(tz):
                compiled = self._compile(sources, negated, version)
            if compiled:
                filters = (*filters, _Filter(sources, negated, tuple(compiled), version, tz))
        return self._chain(filters=filters, having=having)

    def _compile(self, sources: Sequence[Any], negated: bool, version: int | None) -> list[Any]:
        parts = []
        for source in sources:
            if isinstance(source, Mapping):
                source = Q(**source)
            parts.append(to_domain(source, self._meta, version=version))
        combined = and_domains(*parts)
        return not_domain(combined) if negated and combined else combined

    def _tz(self) -> str | None:
        """The time zone of date lookups on datetime fields: the ``tz`` of the
        query's context, else of its connection's, else None (UTC)."""
        tz = self._plan.context.get("tz")
        if tz is None:
            conn = self._known_connection()
            tz = conn.context.get("tz") if conn is not None else None
        return tz or None

    def _domain_for(self, version: int | None) -> list[Any]:
        parts = []
        tz = self._tz() if self._plan.filters else None
        for f in self._plan.filters:
            if (f.version == version or version is None) and f.tz == tz:
                parts.append(list(f.compiled))
            else:  # compiled before the server version (or the time zone) was known
                with compile_timezone(tz):
                    parts.append(self._compile(f.sources, f.negated, version))
        combined = and_domains(*parts)
        domain = normalize(combined) if combined else []
        if version is not None and version < 17 and _searches_first(domain):
            domain = self._search_first(domain)
        return domain

    def _search_first(self, domain: list[Any]) -> list[Any]:
        """Odoo 16 and older have no ``any``: a leaf whose value is a sub-domain
        (``order_line__any=...`` that dotted paths cannot express) gets the ids of
        the related records, searched now (one call each, nested ones first)."""
        conn = self._connection()
        out: list[Any] = []
        for item in domain:
            if isinstance(item, (list, tuple)) and len(item) == 3:
                name, op, value = item
                if isinstance(value, SubDomain) and value.ids is None:
                    inner = list(value.domain)
                    if _searches_first(inner):
                        inner = self._search_first(inner)
                    item = (name, op, conn.rpc(value.model, "search", domain=inner))
            out.append(item)
        return out

    @property
    def domain(self) -> list[Any]:
        """The Odoo domain this query sends (compiled, normalised)."""
        return self._domain_for(self._version())

    # ------------------------------------------------------------ ordering

    def order_by(self: _Q, *names: str) -> _Q:
        """Order by fields: ``"name"``, ``"-customer_rank"``, ``"country"`` (many2one),
        or Odoo style ``"name desc nulls last"``. ``order_by()`` clears the order.

        Odoo's automatic fields (``id``, ``create_date``, ``write_date``,
        ``create_uid``, ``write_uid``) work even when the model does not declare them.
        """
        self._not_sliced("order_by")
        terms = tuple(self._order_term(n) for n in names)
        if self._plan.aggregates is not None:
            self._check_group_order(terms)
        return self._chain(order=terms, reverse=False)

    def _check_group_order(self, terms: Sequence[_Order]) -> None:
        """Grouped rows sort by their values() keys or annotations, nothing else."""
        groups = self._plan.groups
        for term in terms:
            if term.source is None or any(term.source in (g.spec, g.source) for g in groups):
                continue
            raise self._group_order_error(term.name)

    def _group_order_error(self, name: str) -> FieldError:
        keys = [g.key for g in self._plan.groups]
        aliases = [a.alias for a in self._plan.aggregates or ()]
        return FieldError(
            f"cannot order grouped rows by {name!r}: order by a values() field "
            f"({', '.join(keys)}) or an annotation ({', '.join(aliases)})."
            + suggestion(name.lstrip("-").split()[0], [*keys, *aliases], sentence=True)
        )

    def _order_term(self, name: str) -> _Order:
        if not isinstance(name, str) or not name.strip():
            raise TypeError(f"order_by() takes field names such as '-name', got {name!r}")
        words = name.split()
        field_name, desc, nulls = words[0], False, None
        if field_name.startswith("-"):
            field_name, desc = field_name[1:], True
        rest = [w.lower() for w in words[1:]]
        if rest[:1] in (["asc"], ["desc"]):
            desc = rest.pop(0) == "desc"
        if rest[:1] == ["nulls"] and len(rest) == 2 and rest[1] in ("first", "last"):
            nulls = rest[1]
            rest = []
        if rest or field_name in ("", "?"):
            raise FieldError(
                f"cannot order {self._meta.odoo_model} by {name!r}: write 'field', '-field' or "
                "'field desc nulls last' (random order '?' is not supported)"
            )
        aliases = {a.alias for a in self._plan.aggregates or ()}
        if field_name in aliases:
            return _Order(field_name, None, desc, nulls)
        known = field_name in self._plan.names or ":" in field_name
        if aliases and not known and self._meta.get_field_info(field_name) is None:
            raise self._group_order_error(name)
        if ":" in field_name:
            return _Order(field_name, resolve_group_key(self._meta, field_name).spec, desc, nulls)
        if field_name in ("id", "pk"):
            return _Order(field_name, "id", desc, nulls)
        if "__" in field_name or "." in field_name:
            raise FieldError(
                f"cannot order {self._meta.odoo_model} by {field_name!r}: Odoo orders by fields "
                "of the model itself (a many2one orders by the related model's default order)"
            )
        field = field_named(self._meta, field_name)  # declared, or create_date/write_date/...
        if field.type in ("one2many", "many2many", "binary"):
            raise FieldError(
                f"cannot order {self._meta.odoo_model} by {field_name!r}: a {field.type} "
                "field has no order"
            )
        if getattr(field, "store", True) is False:
            raise FieldError(
                f"cannot order {self._meta.odoo_model} by {field_name!r}: it is computed by "
                "the server, not stored, and Odoo orders by stored fields only"
            )
        return _Order(field_name, field.source, desc, nulls)

    def reverse(self: _Q) -> _Q:
        """Reverse the order (an unordered query is reversed by id)."""
        self._not_sliced("reverse")
        return self._chain(reverse=not self._plan.reverse)

    @property
    def ordered(self) -> bool:
        """True when an order was given (else Odoo's default order applies)."""
        return bool(self._plan.order)

    def _order_string(self) -> str | None:
        terms = [t for t in self._plan.order if t.source is not None]
        if self._plan.reverse:
            return ", ".join(t.compile(flip=True) for t in terms) if terms else "id desc"
        return ", ".join(t.compile() for t in terms) or None

    # ------------------------------------------------------------ slicing and fields

    def _slice(self: _Q, start: int, stop: int | None) -> _Q:
        plan = self._plan
        limit = None if stop is None else max(0, stop - start)
        if plan.limit is not None:
            room = max(0, plan.limit - start)
            limit = room if limit is None else min(limit, room)
        return self._chain(offset=plan.offset + start, limit=limit)

    # ------------------------------------------------------------ fields

    def only(self: _Q, *names: str) -> _Q:
        """Load only these fields (plus ``id``); others load lazily on access."""
        sources = tuple(field_named(self._meta, n).source for n in names if n not in ("id", "pk"))
        return self._chain(only=sources, defer=())

    def defer(self: _Q, *names: str) -> _Q:
        """Do not load these fields now (they load lazily on access)."""
        sources = tuple(field_named(self._meta, n).source for n in names)
        return self._chain(defer=self._plan.defer + sources)

    def prefetch(self: _Q, *paths: str) -> _Q:
        """Load these relations for all fetched records at once (``"country"``,
        ``"tags"``, ``"parent__country"``): one call per relation and level."""
        paths = tuple(p.replace(".", "__") for p in paths)
        self._learn_fields(f"{p}__" for p in paths)
        for path in paths:
            resolve_path(self._meta, path)
        return self._chain(prefetch=self._plan.prefetch + paths)

    def prefetch_related(self: _Q, *lookups: str) -> _Q:
        """Django's name for :meth:`prefetch`: ``prefetch_related("order_line__product")``
        loads each level of the path with one ``read`` for the whole page (per
        model and 2,000 ids), after the query's own call. ``Prefetch()`` objects
        are not supported: filter the related records with their own query."""
        for lookup in lookups:
            if not isinstance(lookup, str):
                raise TypeError(
                    f"prefetch_related() takes relation paths such as 'order_line__product', "
                    f"got {type(lookup).__name__}: Prefetch() objects are not supported, query "
                    f"the related model with its own filter instead"
                )
        return self.prefetch(*lookups)

    def distinct(self: _Q, *fields: str) -> _Q:
        """Drop duplicate rows of ``values()``/``values_list()`` (the first of each
        is kept, in the query's order). Odoo's ``search_read`` has no DISTINCT: the
        matching rows are read and deduplicated here, and a slice applies to the
        distinct rows. Records are distinct already (no-op). ``distinct(*fields)``
        (PostgreSQL's DISTINCT ON) is not supported: group with
        ``values(*fields).annotate(...)`` instead."""
        if fields:
            raise TypeError(
                "distinct(*fields) (DISTINCT ON) is not supported: Odoo has no such query; "
                f"use values({', '.join(map(repr, fields))}).distinct() or "
                f"values({', '.join(map(repr, fields))}).annotate(n=Count())"
            )
        self._not_sliced("distinct")
        return self._chain(distinct=True)

    def select_related(self: _Q, *paths: str | None) -> _Q:
        """Load these relations in the SAME call as the records (``"country"``,
        ``"tags"``, ``"children__country"``): on Odoo 17+ one ``web_search_read``
        whose specification nests the related records' declared fields; older
        servers run the query then :meth:`prefetch` (one more call per level).

        No argument selects every declared many2one; ``select_related(None)``
        clears the selection.
        """
        if paths == (None,):
            return self._chain(select_related=())
        if not paths:
            paths = default_related_paths(self._meta)
        checked = tuple(check_related_path(self._meta, p) for p in paths)
        merged = tuple(dict.fromkeys((*self._plan.select_related, *checked)))
        return self._chain(select_related=merged)

    def _read_fields(self) -> list[str]:
        plan = self._plan
        if plan.only is not None:
            fields = list(dict.fromkeys(plan.only))
        else:
            fields = [f for f in self._meta.read_fields() if f not in plan.defer]
        return fields

    def _search_kwargs(self, conn: Any) -> dict[str, Any]:
        plan = self._plan
        domain = self._domain_for(int(conn.version.major))
        return page_kwargs(domain, self._order_string(), plan.offset, plan.limit)


def _searches_first(domain: Sequence[Any]) -> bool:
    """Whether ``domain`` holds a sub-domain to search before sending (Odoo < 17)."""
    for item in domain:
        if isinstance(item, (list, tuple)) and len(item) == 3:
            value = item[2]
            if isinstance(value, SubDomain) and value.ids is None:
                return True
    return False


def _keys_of(sources: Sequence[Any]) -> set[str]:
    """The relation-path keys (``a__b...``) of filter() arguments; raw domains have none."""
    keys: set[str] = set()
    stack = list(sources)
    while stack:  # iterative: nested Q trees can be deep
        source = stack.pop()
        if isinstance(source, Mapping):
            keys.update(k for k in source if "__" in k)
        elif isinstance(source, Q):
            stack.extend(source.children)
        elif isinstance(source, _Lookup) and "__" in source.key:
            keys.add(source.key)
    return keys


def _having_term(key: str, value: Any) -> tuple[str, str, Any]:
    alias, _, lookup = key.partition("__")
    lookup = lookup or "exact"
    if lookup not in HAVING_LOOKUPS:
        raise FieldError(
            f"{key!r}: lookup {lookup!r} is not supported on an annotation; "
            f"use one of {', '.join(sorted(HAVING_LOOKUPS))}"
        )
    return (alias, lookup, value)
