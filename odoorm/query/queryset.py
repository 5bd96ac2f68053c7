"""The lazy QuerySet: chain filters, slices and orderings; nothing is sent until needed.

Every builder method returns a new QuerySet (clone-on-chain: the plan is a
frozen attrs value). Calls happen only on iteration, ``len()``, ``bool()``,
indexing, and the methods that answer directly: ``get``, ``count``,
``exists``, ``first``, ``last``, ``in_bulk``, ``aggregate``, ``update``,
``delete``, ``create``... Results are cached on the QuerySet, like Django.

Filters are compiled to an Odoo domain when ``filter()`` is called, so a bad
field or lookup raises :class:`odoorm.FieldError` before anything is sent.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from odoorm._schema import field_named
from odoorm.aggregates import (
    Aggregate,
    ArrayAgg,
    Avg,
    Count,
    CountDistinct,
    Max,
    Min,
    Sum,
    resolve_group_key,
)
from odoorm.exceptions import MultipleObjectsReturned as _MultipleObjectsReturned
from odoorm.exceptions import ObjectDoesNotExist
from odoorm.query import bulk, display, groups, writes
from odoorm.query.extensions import extension
from odoorm.query.paging import iter_chunks
from odoorm.query.paths import (
    RowLoader,
    ValuePath,
    extractor,
    named_row,
    resolve_path,
    unique_rows,
)
from odoorm.query.plan import QueryBuilder
from odoorm.query.progress import progress_bar
from odoorm.query.related import RelatedLoader, build_level

__all__ = [
    "ArrayAgg",
    "Avg",
    "Count",
    "CountDistinct",
    "Max",
    "Min",
    "QuerySet",
    "Sum",
]

M = TypeVar("M")
#: rows shown by a QuerySet's repr (Django shows 20, fetching 21)


class QuerySet(QueryBuilder[M]):
    """A lazy query over one model; see the module docstring.

    ``QuerySet(Partner)`` uses the default connection at evaluation time;
    ``QuerySet(Partner, conn)`` or ``.using(conn)`` pins one. The builder
    methods (``filter``, ``order_by``, ``only``, ``select_related``...) come
    from :class:`odoorm.query.plan.QueryBuilder`; this class evaluates.
    """

    # ------------------------------------------------------------ slicing

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, bool) or not isinstance(key, (int, slice)):
            raise TypeError(
                f"QuerySet indices must be integers or slices, not {type(key).__name__}"
            )
        if isinstance(key, int):
            if key < 0:
                raise ValueError("Negative indexing is not supported: use .reverse()[0] or .last()")
            if self._result_cache is not None:
                return self._result_cache[key]
            found = list(self._slice(key, key + 1))
            if not found:
                raise IndexError(f"QuerySet index {key} out of range")
            return found[0]
        start, stop, step = key.start, key.stop, key.step
        for bound in (start, stop):
            if bound is not None and (not isinstance(bound, int) or bound < 0):
                raise ValueError(f"Negative or non-integer slice bounds are not supported: {key}")
        if step not in (None, 1):
            # Odoo pages by offset/limit only: a step would mean fetching every record
            # of the slice and dropping most of them, so it is refused, not emulated
            raise TypeError(
                f"QuerySet slices take no step (got {key}): Odoo has no stepped paging; "
                f"fetch the rows and step in Python, e.g. list(qs[{start or 0}:{stop or ''}])"
                f"[::{step}]"
            )
        if self._result_cache is not None:
            return self._result_cache[start:stop]
        return self._slice(start or 0, stop)

    # ------------------------------------------------------------ evaluation

    def _fetch_all(self) -> list[Any]:
        if self._result_cache is None:
            self._result_cache = self._fetch()
        return self._result_cache

    def _fetch(self) -> list[Any]:
        plan = self._plan
        if plan.empty or plan.limit == 0:
            return []
        if plan.aggregates is not None:
            return groups.fetch_groups(self)
        conn = self._connection()
        version = int(conn.version.major)
        loader = self._loader(conn, version)
        if plan.distinct and plan.mode != "records":
            # no DISTINCT in search_read: every matching row, deduplicated, then the slice
            rows = loader.search(conn, self._domain_for(version), self._order_string(), 0, None)
            items = unique_rows(self._convert(conn, loader, rows))
            stop = None if plan.limit is None else plan.offset + plan.limit
            return items[plan.offset : stop]
        ticket = conn.cache.ticket()  # before the rows are requested: see _convert
        rows = loader.search(
            conn, self._domain_for(version), self._order_string(), plan.offset, plan.limit
        )
        return self._convert(conn, loader, rows, ticket)

    def _loader(self, conn: Any, version: int) -> RowLoader | RelatedLoader:
        plan = self._plan
        if plan.mode == "records":
            if plan.select_related and version >= 17:
                ensure = functools.partial(_ensure_schema, conn=conn)
                level = build_level(self._meta, self._read_fields(), plan.select_related, ensure)
                return RelatedLoader(self._meta.odoo_model, level)
            return RowLoader(self._meta.odoo_model, self._read_fields())
        if len(plan.paths) != len(plan.names):
            raise TypeError(
                f"values({', '.join(map(repr, plan.names))}): a granularity such as "
                "'date_order:month' groups rows; add .annotate(n=Count(), ...) to aggregate them"
            )
        return RowLoader(self._meta.odoo_model, (), paths=self._plan.paths, web=version >= 17)

    def _convert(
        self,
        conn: Any,
        loader: RowLoader | RelatedLoader,
        rows: list[dict[str, Any]],
        ticket: int | None = None,
    ) -> list[Any]:
        """The rows as the plan's results. ``ticket`` (``conn.cache.ticket()``, taken
        before the rows were requested) keeps them off fields of live records that
        a write changed since (the models layer's ``_from_rows``)."""
        plan = self._plan
        if plan.mode == "records":
            records = list(self.model._from_rows(conn, rows, loader.fields, ticket))  # type: ignore[attr-defined]
            paths = plan.prefetch
            if plan.select_related and not isinstance(loader, RelatedLoader):
                paths = (*plan.select_related, *paths)  # no specifications before 17
            if paths and records:
                _run_prefetch(self.model, records, paths)
            return records
        keys = [p.key for p in plan.paths]
        getters = [extractor(p, conn) for p in plan.paths]
        table = [[get(row) for get in getters] for row in rows]
        if plan.mode == "values":
            return [dict(zip(keys, values, strict=True)) for values in table]
        if plan.flat:
            return [values[0] for values in table]
        if plan.named:
            row_type = named_row(keys)
            return [row_type(*values) for values in table]
        return [tuple(values) for values in table]

    def __iter__(self) -> Iterator[M]:
        return iter(self._fetch_all())

    def __len__(self) -> int:
        return len(self._fetch_all())

    def __bool__(self) -> bool:
        return bool(self._fetch_all())

    # ------------------------------------------------------------ direct answers

    def count(self) -> int:
        """Number of matching records: one ``search_count`` (or the cached result)."""
        if self._result_cache is not None:
            return len(self._result_cache)
        plan = self._plan
        if plan.empty or plan.limit == 0:
            return 0
        if plan.aggregates is not None or (plan.distinct and plan.mode != "records"):
            return len(self._fetch_all())
        conn = self._connection()
        version = int(conn.version.major)
        kwargs: dict[str, Any] = {"domain": self._domain_for(version)}
        if plan.limit is not None and version >= 17:
            kwargs["limit"] = plan.offset + plan.limit  # the server stops counting there
        total = int(conn.rpc(self._meta.odoo_model, "search_count", **kwargs))
        total = max(0, total - plan.offset)
        return total if plan.limit is None else min(total, plan.limit)

    def exists(self) -> bool:
        """True when at least one record matches: one call with ``limit=1``."""
        if self._result_cache is not None:
            return bool(self._result_cache)
        plan = self._plan
        if plan.empty or plan.limit == 0:
            return False
        if plan.aggregates is not None:
            return bool(self._fetch_all())
        conn = self._connection()
        kwargs = self._search_kwargs(conn)
        kwargs.pop("order", None)
        kwargs["limit"] = 1
        return bool(conn.rpc(self._meta.odoo_model, "search", **kwargs))

    def get(self, *args: Any, **kwargs: Any) -> M:
        """The one record matching: one call with ``limit=2``.

        Raises ``Model.DoesNotExist`` or ``Model.MultipleObjectsReturned``.

        ``get(id=N)`` (or ``pk=N``) on a query with no other condition (no filter,
        slice, context or prefetch: ``Partner.objects.get(id=7)``,
        ``Partner.objects.using(conn).get(id=7)``) is answered from the identity
        map without a call while record N is loaded and fresh (never with
        ``cache_ttl=0``).
        """
        if not args and len(kwargs) == 1 and "pk" in kwargs:
            kwargs = {"id": kwargs["pk"]}
        cached = self._identity_get(kwargs) if not args else None
        if cached is not None:
            return cached
        qs = self.filter(*args, **kwargs) if args or kwargs else self
        if not qs._plan.sliced:
            qs = qs._chain(limit=2)
        found = list(qs)
        if len(found) == 1:
            return found[0]
        name = getattr(self.model, "__name__", self._meta.odoo_model)
        where = f"{self._meta.odoo_model} with domain {qs.domain!r}"
        if not found:
            error = getattr(self.model, "DoesNotExist", ObjectDoesNotExist)
            raise error(f"{name} matching query does not exist ({where})")
        error = getattr(self.model, "MultipleObjectsReturned", _MultipleObjectsReturned)
        raise error(f"get() returned more than one {name} ({where}); narrow the filter")

    def _identity_get(self, kwargs: Mapping[str, Any]) -> Any:
        """The live, fully loaded record for ``get(id=N)`` on an otherwise
        unconstrained query, else None (the query then runs)."""
        ident = kwargs.get("id")
        if len(kwargs) != 1 or not isinstance(ident, int) or isinstance(ident, bool):
            return None
        plan = self._plan
        if (
            plan.filters
            or plan.sliced
            or plan.empty
            or plan.context  # another context may hide it (active_test) or be another identity
            or plan.prefetch  # the caller asked for relations to be loaded with it
            or plan.select_related
            or plan.mode != "records"
            or plan.aggregates is not None
        ):
            return None
        lookup = getattr(self.model, "_cached_record", None)
        if lookup is None:
            return None
        conn = self._connection()
        if conn.cache.ttl == 0:  # cache_ttl=0: a get() reads, like any query
            return None
        return lookup(conn, ident)

    def first(self) -> M | None:
        """The first record (by the query's order, else by id), or None: one call."""
        if self._result_cache is not None:
            return self._result_cache[0] if self._result_cache else None
        plan = self._plan
        keep = self.ordered or plan.sliced or plan.aggregates is not None  # groups: no id
        qs = self if keep else self.order_by("id")
        found = list(qs[:1])
        return found[0] if found else None

    def last(self) -> M | None:
        """The last record (by the query's order, else by id), or None: one call."""
        grouped_unordered = self._plan.aggregates is not None and not self.ordered
        if self._result_cache is not None or self._plan.sliced or grouped_unordered:
            cached = self._fetch_all()
            return cached[-1] if cached else None
        qs = (self if self.ordered else self.order_by("id")).reverse()
        found = list(qs[:1])
        return found[0] if found else None

    def in_bulk(
        self, id_list: Sequence[Any] | None = None, *, field_name: str = "id"
    ) -> dict[Any, M]:
        """``{id: record}`` for the given ids (or all matches): one call."""
        if field_name in ("id", "pk"):
            attr, source = "id", "id"
        else:
            field = field_named(self._meta, field_name)
            attr, source = field.name, field.source
        qs = self
        if id_list is not None:
            id_list = list(id_list)
            if not id_list:
                return {}
            qs = self.filter([(source, "in", id_list)])
        return {getattr(obj, attr): obj for obj in qs}

    def latest(self, *fields: str) -> M:
        """The last record by ``fields`` (default ``"id"``, i.e. the newest): one
        call with ``limit=1``; ``Model.DoesNotExist`` when nothing matches."""
        return self._edge(fields, "latest", newest=True)

    def earliest(self, *fields: str) -> M:
        """The first record by ``fields`` (default ``"id"``): one call with ``limit=1``."""
        return self._edge(fields, "earliest", newest=False)

    def _edge(self, fields: Sequence[str], what: str, newest: bool) -> M:
        self._not_sliced(what)
        terms = list(fields) or ["id"]
        if newest:
            terms = [t[1:] if t.startswith("-") else f"-{t}" for t in terms]
        found = list(self.order_by(*terms)[:1])
        if not found:
            name = getattr(self.model, "__name__", self._meta.odoo_model)
            error = getattr(self.model, "DoesNotExist", ObjectDoesNotExist)
            raise error(
                f"{name} matching query does not exist ({what}() of domain {self.domain!r})"
            )
        return found[0]

    def dates(self, field_name: str, kind: str, order: str = "ASC") -> list[Any]:
        """The distinct ``kind`` periods (``"year"``, ``"quarter"``, ``"month"``,
        ``"week"``, ``"day"``) of a date or datetime field among the matches, as
        ``date`` objects (each period's first day): ONE ``read_group``, run now
        (a list, not a lazy queryset)."""
        return [
            v.date() if isinstance(v, _dt.datetime) else v
            for v in groups.periods(self, field_name, kind, order, "dates")
        ]

    def datetimes(self, field_name: str, kind: str, order: str = "ASC") -> list[Any]:
        """Like :meth:`dates`, as aware datetimes (the period starts; Odoo groups
        datetimes by the days of the context's ``tz``, UTC without one).
        Odoo groups by day at the finest: ``"hour"``, ``"minute"`` and
        ``"second"`` are refused."""
        return [
            v
            if isinstance(v, _dt.datetime)
            else _dt.datetime.combine(v, _dt.time(), tzinfo=_dt.timezone.utc)
            for v in groups.periods(self, field_name, kind, order, "datetimes")
        ]

    def bulk_update(
        self, objs: Sequence[Any], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        """Write ``fields`` of saved records ``objs``: ONE ``write`` per distinct set of
        values (records holding the same values share it), ids chunked by
        ``batch_size`` (default: all in one). Returns the number of records written.

        Odoo's ``write`` gives every id the same values, so records with different
        values take a call each: bulk-update what records have in common.
        """
        return bulk.bulk_update(self, objs, fields, batch_size)

    # ------------------------------------------------------------ values

    def values(self, *fields: str) -> QuerySet[Any]:
        """Rows as dicts; relation paths allowed (``"country__code"``): one
        ``web_search_read`` on Odoo 17+, else one ``search_read`` + one ``read`` per relation."""
        return self._values("values", fields)

    def values_list(self, *fields: str, flat: bool = False, named: bool = False) -> QuerySet[Any]:
        """Rows as tuples (``named=True``: namedtuples; ``flat=True``: single values)."""
        if flat and named:
            raise TypeError("values_list() takes flat=True or named=True, not both")
        if flat and len(fields) != 1:
            raise TypeError("values_list(flat=True) needs exactly one field name")
        return self._values("values_list", fields, flat=flat, named=named)

    def _values(self, mode: str, names: Sequence[str], **options: Any) -> QuerySet[Any]:
        if self._plan.aggregates is not None:
            raise TypeError("values() after annotate() is not supported; call values() first")
        if not names:
            names = ("id", *self._meta.fields)
        self._learn_fields(n for n in names if isinstance(n, str))
        paths: list[ValuePath] = []
        for name in names:
            if isinstance(name, str) and ":" in name:  # "date_order:month": only with annotate()
                resolve_group_key(self._meta, name)
                continue
            paths.append(resolve_path(self._meta, name))
        return self._chain(mode=mode, names=tuple(names), paths=tuple(paths), **options)

    # ------------------------------------------------------------ aggregation

    def annotate(self, *args: Aggregate, **kwargs: Aggregate) -> QuerySet[Any]:
        """Group by the ``values()`` fields and compute aggregates per group
        (one ``read_group``; ``formatted_read_group`` on Odoo 19)."""
        return groups.annotate(self, args, kwargs)

    def aggregate(self, *args: Aggregate, **kwargs: Aggregate) -> dict[str, Any]:
        """Aggregates over the whole query, e.g. ``aggregate(total=Sum("amount_total"),
        n=Count())``: one ``read_group`` call; returns a plain dict."""
        return groups.aggregate(self, args, kwargs)

    # ------------------------------------------------------------ writes

    def update(self, **values: Any) -> int:
        """Write ``values`` on every match: one ``search`` then one ``write``; returns
        the number of records updated."""
        if not values:
            raise TypeError("update() needs field=value arguments")
        bulk.refuse_expressions(values, "update")
        self._not_grouped("update")
        wire = writes.update_values(self, values)
        conn = self._connection()
        ids = self._matching_ids(conn)
        if ids:
            conn.rpc(self._meta.odoo_model, "write", ids, vals=wire)
            _run_hook(self.model, "_invalidate_ids", conn, ids)
        return len(ids)

    def delete(self) -> int:
        """Delete every match: one ``search`` then one ``unlink``; returns the count."""
        self._not_grouped("delete")
        conn = self._connection()
        ids = self._matching_ids(conn)
        if ids:
            conn.rpc(self._meta.odoo_model, "unlink", ids)
            _run_hook(self.model, "_forget", conn, ids)
        return len(ids)

    def _not_grouped(self, what: str) -> None:
        # the having-style filters of grouped rows run in Python: a write here would
        # reach the records of every group, including the groups they filter out
        if self._plan.aggregates is not None:
            raise TypeError(
                f"{what}() on grouped rows (values(...).annotate(...)) is not supported: "
                f"{what} the records themselves, e.g. "
                f"{self.model.__name__}.objects.filter(state__in=[...]).{what}(...)"
            )

    def _matching_ids(self, conn: Any) -> list[int]:
        if self._plan.empty or self._plan.limit == 0:
            return []
        if self._result_cache is not None and self._plan.mode == "records":
            return [r.id for r in self._result_cache]
        return list(conn.rpc(self._meta.odoo_model, "search", **self._search_kwargs(conn)))

    def create(self, **values: Any) -> M:
        """Create one record (one ``create`` call) and return it."""
        return writes.create(self, values)

    def bulk_create(
        self, objs: Sequence[Any], *, batch_size: int | None = None, progress: bool = False
    ) -> list[M]:
        """Create many records with one ``create`` call per batch (default: all in one).

        Every row is checked before the first call (a bad row is a FieldError naming
        its index, and nothing is created); ``progress=True`` shows a tqdm bar.
        """
        return writes.bulk_create(self, objs, batch_size, progress=progress)

    def get_or_create(
        self, defaults: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> tuple[M, bool]:
        """``(record, False)`` when one matches ``kwargs``, else ``(new record, True)``."""
        try:
            return self.get(**kwargs), False
        except ObjectDoesNotExist:
            pass
        return writes.create(self, {**writes.split_lookups(kwargs), **(defaults or {})}), True

    def update_or_create(
        self,
        defaults: Mapping[str, Any] | None = None,
        create_defaults: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> tuple[M, bool]:
        """Update the record matching ``kwargs`` with ``defaults``, or create it."""
        try:
            obj: Any = self.get(**kwargs)
        except ObjectDoesNotExist:
            values = create_defaults if create_defaults is not None else defaults
            return writes.create(self, {**writes.split_lookups(kwargs), **(values or {})}), True
        if defaults:
            for name, value in defaults.items():
                setattr(obj, name, value)
            obj.save()  # one write of the changed fields
        return obj, False

    # ------------------------------------------------------------ streaming

    def iterator(
        self, chunk_size: int = 2000, *, progress: bool = False, workers: int | None = None
    ) -> Iterator[M]:
        """Stream the matches in chunks, holding one chunk at a time.

        Keyset paging (``id > last``) when ordered by id or unordered; else one
        ``search`` for the ids then ``read`` calls of ``chunk_size`` ids, over
        ``workers`` threads when given. ``progress=True`` shows a tqdm bar.
        """
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
        if workers is not None and (not isinstance(workers, int) or workers < 1):
            raise ValueError(f"workers must be a positive integer or None, got {workers!r}")
        bar = progress_bar(self._meta.odoo_model, "iterator") if progress else None
        return self._stream(chunk_size, workers, bar)

    def _row_chunks(
        self,
        loader: RowLoader,
        chunk_size: int,
        workers: int | None,
        bar: Any = None,
        on_many: Callable[[], None] | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """Chunks of plain rows, as ``loader`` reads them (``search_read``/``read``:
        many2one as ``[id, name]``), for the records of this query, streamed as
        :meth:`iterator` streams them; no record is built. The columnar path of
        ``to_dataframe()`` (:mod:`odoorm.report`), which changes what its loader
        reads in ``on_many`` (see :func:`iter_chunks`)."""
        plan = self._plan
        if plan.empty or plan.limit == 0:
            return
        yield from self._chunks(self._connection(), loader, chunk_size, workers, bar, on_many)

    def _chunks(
        self,
        conn: Any,
        loader: RowLoader | RelatedLoader,
        chunk_size: int,
        workers: int | None,
        bar: Any,
        on_many: Callable[[], None] | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """This query's rows through ``loader``, chunk by chunk (:func:`iter_chunks`);
        a progress ``bar`` learns the total."""
        plan = self._plan
        return iter_chunks(
            conn,
            loader,
            self._domain_for(int(conn.version.major)),
            self._order_string(),
            offset=plan.offset,
            limit=plan.limit,
            chunk_size=chunk_size,
            workers=workers,
            on_total=(lambda n: setattr(bar, "total", n)) if bar is not None else None,
            on_many=on_many,
        )

    def _stream(self, chunk_size: int, workers: int | None, bar: Any) -> Iterator[M]:
        plan = self._plan
        try:
            grouped = plan.aggregates is not None or (plan.distinct and plan.mode != "records")
            if plan.empty or plan.limit == 0 or grouped:
                yield from self._fetch() if not plan.empty else []
                return
            conn = self._connection()
            loader = self._loader(conn, int(conn.version.major))
            # rows read ahead by worker threads may be older than the chunk's turn:
            # they are ordered by a ticket taken before the first of them was sent
            first = conn.cache.ticket() if workers and workers > 1 else None
            chunks = self._chunks(conn, loader, chunk_size, workers, bar)
            while True:
                ticket = first if first is not None else conn.cache.ticket()
                rows = next(chunks, None)  # the chunk's call(s) happen here
                if rows is None:
                    break
                items = self._convert(conn, loader, rows, ticket)
                if bar is not None:
                    bar.update(len(items))
                yield from items
        finally:
            if bar is not None:
                bar.close()

    # ------------------------------------------------------------ notebooks

    # These features need layers above this one (the models layer and, for reports,
    # pandas): odoorm.report and odoorm.polling register their work in
    # odoorm.query.extensions, and these methods hand the query to it.

    def to_dataframe(self, *fields: str, **options: Any) -> Any:
        """The matches as a pandas DataFrame (see :func:`odoorm.report.to_dataframe`)."""
        return extension("to_dataframe")(self, *fields, **options)

    def pivot(
        self,
        rows: str | Sequence[str],
        columns: str | Sequence[str] | None = None,
        values: Any = None,
        *,
        fill_value: Any = 0,
    ) -> Any:
        """A pandas pivot table from ONE ``read_group`` (see :func:`odoorm.report.pivot`):
        ``qs.pivot("partner", "date_order:month", Sum("amount_total"))``."""
        return extension("pivot")(self, rows, columns, values, fill_value=fill_value)

    def changed_since(self, when: Any) -> QuerySet[M]:
        """This query narrowed to records written at or after ``when``, oldest change
        first (see :func:`odoorm.polling.changed_since`); still lazy."""
        result: QuerySet[M] = extension("changed_since")(self, when)
        return result

    def watch(
        self,
        interval: float = 30,
        since: Any = None,
        cursor: Any = None,
        **options: Any,
    ) -> Iterator[Any]:
        """Poll this query every ``interval`` seconds, yielding each batch of changed
        records with a resumable cursor (see :func:`odoorm.polling.watch` for
        ``page_size=``, ``lookback=``, ``max_polls=``)."""
        result: Iterator[Any] = extension("watch")(self, interval, since, cursor, **options)
        return result

    def _repr_html_(self) -> str:
        """Jupyter shows the first rows as a table (one count + one page)."""
        return str(extension("html_table")(self))

    # ------------------------------------------------------------ display

    def __repr__(self) -> str:
        """``<QuerySet [<Partner: Azure Interior>, ...]>``, like Django: the first
        :data:`~odoorm.query.display.REPR_ROWS` rows, from ONE call (see
        :func:`odoorm.query.display.queryset_repr`); never raises."""
        return display.queryset_repr(self)

    def describe(self) -> str:
        """The query, without calling the server: model, domain, order, slice..."""
        return display.describe(self)


# ---------------------------------------------------------------- helpers


def _run_prefetch(model: Any, records: list[Any], paths: Sequence[str]) -> None:
    """Hand the records to the models layer's prefetcher through the model class
    (the query layer does not import models)."""
    model._prefetch_paths(records, list(paths))


def _ensure_schema(model: Any, conn: Any) -> None:
    """Check a related model's declaration (once per class and connection) before
    its fields go into a specification."""
    ensure = getattr(model, "_ensure_schema", None)
    if ensure is not None:
        ensure(conn)


def _run_hook(model: Any, name: str, conn: Any, ids: list[int]) -> None:
    """Optional models-layer hooks to keep cached records in step after writes."""
    hook = getattr(model, name, None)
    if callable(hook):
        hook(conn, ids)
