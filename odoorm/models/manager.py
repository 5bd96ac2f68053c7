"""``Model.objects``: the :class:`Manager`, entry point of every query on a model."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

from odoorm.models.meta import resolve_connection
from odoorm.models.prefetching import PrefetchGroup
from odoorm.query.queryset import QuerySet

if TYPE_CHECKING:
    from odoorm.aggregates import Aggregate
    from odoorm.session.connection import Connection

__all__ = ["Manager"]

M = TypeVar("M")
_T = TypeVar("_T")


class Manager(Generic[M]):
    """``Model.objects``: the entry point of queries (``Partner.objects.filter(...)``).

    Every QuerySet method is available on it, handed to a new QuerySet over every
    record of the model; ``get(id=N)`` is answered from the identity map without a
    call while the record is cached and fresh (see ``QuerySet.get``).

    The forwarding methods below carry QuerySet's own signatures, so that type
    checkers see them (``Partner.objects.filter(...).first()`` is ``Partner | None``);
    tests/models/test_manager.py fails when one of them differs from QuerySet's
    or when a QuerySet method has none.
    """

    def __init__(self, model: type[M] | None = None):
        self._owner = model

    @overload
    def __get__(self, instance: None, owner: type[_T]) -> Manager[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type[_T]) -> Manager[_T]: ...
    def __get__(self, instance: Any, owner: type[_T]) -> Manager[_T]:
        if instance is not None:
            raise AttributeError("Model.objects is reached through the class, not a record")
        if cast(Any, owner)._meta.abstract:
            raise AttributeError(f"{owner.__name__} is abstract (no _name): it has no objects")
        return Manager(owner)

    def get_queryset(self) -> QuerySet[M]:
        """A new QuerySet over every record of the model."""
        model: Any = self._owner
        return QuerySet(model, model._meta.bound_conn)

    def browse(self, ids: Iterable[int] | int, using: Connection | None = None) -> list[M]:
        """Records for known ids without any call (they load lazily, as one group)."""
        model: Any = self._owner
        conn = resolve_connection(using or model._meta.bound_conn)
        id_list = [ids] if isinstance(ids, int) else list(ids)
        records = [model._get_or_create(conn, i) for i in id_list]
        PrefetchGroup(records).adopt()
        return records

    # -- QuerySet's methods, forwarded (same signatures: see the class docstring) --

    def aggregate(self, *args: Aggregate, **kwargs: Aggregate) -> dict[str, Any]:
        return self.get_queryset().aggregate(*args, **kwargs)

    def all(self) -> QuerySet[M]:
        return self.get_queryset().all()

    def annotate(self, *args: Aggregate, **kwargs: Aggregate) -> QuerySet[Any]:
        return self.get_queryset().annotate(*args, **kwargs)

    def bulk_create(
        self, objs: Sequence[Any], *, batch_size: int | None = None, progress: bool = False
    ) -> list[M]:
        return self.get_queryset().bulk_create(objs, batch_size=batch_size, progress=progress)

    def bulk_update(
        self, objs: Sequence[Any], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        return self.get_queryset().bulk_update(objs, fields, batch_size)

    def changed_since(self, when: Any) -> QuerySet[M]:
        return self.get_queryset().changed_since(when)

    def count(self) -> int:
        return self.get_queryset().count()

    def create(self, **values: Any) -> M:
        return self.get_queryset().create(**values)

    def dates(self, field_name: str, kind: str, order: str = "ASC") -> list[Any]:
        return self.get_queryset().dates(field_name, kind, order)

    def datetimes(self, field_name: str, kind: str, order: str = "ASC") -> list[Any]:
        return self.get_queryset().datetimes(field_name, kind, order)

    def defer(self, *names: str) -> QuerySet[M]:
        return self.get_queryset().defer(*names)

    def delete(self) -> int:
        return self.get_queryset().delete()

    def describe(self) -> str:
        return self.get_queryset().describe()

    def distinct(self, *fields: str) -> QuerySet[M]:
        return self.get_queryset().distinct(*fields)

    def earliest(self, *fields: str) -> M:
        return self.get_queryset().earliest(*fields)

    def exclude(self, *args: Any, **kwargs: Any) -> QuerySet[M]:
        return self.get_queryset().exclude(*args, **kwargs)

    def exists(self) -> bool:
        return self.get_queryset().exists()

    def filter(self, *args: Any, **kwargs: Any) -> QuerySet[M]:
        return self.get_queryset().filter(*args, **kwargs)

    def first(self) -> M | None:
        return self.get_queryset().first()

    def get(self, *args: Any, **kwargs: Any) -> M:
        return self.get_queryset().get(*args, **kwargs)

    def get_or_create(
        self, defaults: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> tuple[M, bool]:
        return self.get_queryset().get_or_create(defaults, **kwargs)

    def in_bulk(
        self, id_list: Sequence[Any] | None = None, *, field_name: str = "id"
    ) -> dict[Any, M]:
        return self.get_queryset().in_bulk(id_list, field_name=field_name)

    def iterator(
        self, chunk_size: int = 2000, *, progress: bool = False, workers: int | None = None
    ) -> Iterator[M]:
        return self.get_queryset().iterator(chunk_size, progress=progress, workers=workers)

    def last(self) -> M | None:
        return self.get_queryset().last()

    def latest(self, *fields: str) -> M:
        return self.get_queryset().latest(*fields)

    def none(self) -> QuerySet[M]:
        return self.get_queryset().none()

    def only(self, *names: str) -> QuerySet[M]:
        return self.get_queryset().only(*names)

    def order_by(self, *names: str) -> QuerySet[M]:
        return self.get_queryset().order_by(*names)

    def pivot(
        self,
        rows: str | Sequence[str],
        columns: str | Sequence[str] | None = None,
        values: Any = None,
        *,
        fill_value: Any = 0,
    ) -> Any:
        return self.get_queryset().pivot(rows, columns, values, fill_value=fill_value)

    def prefetch(self, *paths: str) -> QuerySet[M]:
        return self.get_queryset().prefetch(*paths)

    def prefetch_related(self, *lookups: str) -> QuerySet[M]:
        return self.get_queryset().prefetch_related(*lookups)

    def reverse(self) -> QuerySet[M]:
        return self.get_queryset().reverse()

    def select_related(self, *paths: str | None) -> QuerySet[M]:
        return self.get_queryset().select_related(*paths)

    def to_dataframe(self, *fields: str, **options: Any) -> Any:
        return self.get_queryset().to_dataframe(*fields, **options)

    def update(self, **values: Any) -> int:
        return self.get_queryset().update(**values)

    def update_or_create(
        self,
        defaults: Mapping[str, Any] | None = None,
        create_defaults: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> tuple[M, bool]:
        return self.get_queryset().update_or_create(defaults, create_defaults, **kwargs)

    def using(self, conn: Connection | None) -> QuerySet[M]:
        return self.get_queryset().using(conn)

    def values(self, *fields: str) -> QuerySet[Any]:
        return self.get_queryset().values(*fields)

    def values_list(self, *fields: str, flat: bool = False, named: bool = False) -> QuerySet[Any]:
        return self.get_queryset().values_list(*fields, flat=flat, named=named)

    def watch(
        self, interval: float = 30, since: Any = None, cursor: Any = None, **options: Any
    ) -> Iterator[Any]:
        return self.get_queryset().watch(interval, since, cursor, **options)

    def with_context(self, context: Mapping[str, Any] | None = None, /, **kw: Any) -> QuerySet[M]:
        return self.get_queryset().with_context(context, **kw)

    # -- the rest of QuerySet (properties such as domain, model) --

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.get_queryset(), name)

    def __iter__(self) -> Iterator[M]:
        return iter(self.get_queryset())

    def __repr__(self) -> str:
        return f"<Manager of {self._owner.__name__ if self._owner else '?'}>"
