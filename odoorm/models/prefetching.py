"""Prefetch groups and group loads: how records load what they lack, together.

Records loaded together share a :class:`PrefetchGroup`.  The first access to an
unloaded field on one record loads it for the whole group in one ``read``
(chunked); the many2one targets (or x2many targets) of a group are materialised
together and form a group of their own, so ``p.country.name`` over a page of
partners costs one read for all the countries.

This module works on records through their state (:class:`~odoorm.models.state.RecordState`)
and the small :class:`~odoorm.models.state.Record` protocol; it never imports
the module defining ``Model`` (that sits above it).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from odoorm.exceptions import FieldError, LazyLoadError
from odoorm.session.cache import new_epoch

if TYPE_CHECKING:
    from odoorm.fields.base import Field
    from odoorm.models.state import Record
    from odoorm.session.connection import Connection

__all__ = [
    "CHUNK_SIZE",
    "PrefetchGroup",
    "group_of",
    "load_group",
    "prefetch",
    "prefetch_paths",
    "target_of",
    "targets_for",
]

#: ids per ``read`` when a group is loaded
CHUNK_SIZE = 2000

_group_lock = threading.RLock()


class PrefetchGroup:
    """Records loaded together (one query, or the targets of one relation).

    The group holds its records *weakly* (the very weak references the identity
    map made, so this costs no allocation): a record points to its group, and a
    strong reference back would make every record part of a reference cycle,
    freed only by the cyclic garbage collector. Records the program dropped
    simply leave the group (there is nothing to load for them).

    ``epoch`` is the group's query epoch (a new one unless given; 0 for a group
    no query made): with ``cache_ttl=0`` its records serve only values loaded
    since (see :mod:`odoorm.session.cache`).
    """

    __slots__ = ("__weakref__", "_refs", "epoch", "targets")

    def __init__(self, records: Iterable[Record] = (), epoch: int | None = None):
        self.epoch = new_epoch() if epoch is None else epoch
        self.records = records
        # field source -> {id: target record}: relation targets materialised together
        self.targets: dict[str, dict[int, Any]] = {}

    @property
    def records(self) -> list[Record]:
        """The members still alive."""
        return [rec for rec in (ref() for ref in self._refs) if rec is not None]

    @records.setter
    def records(self, records: Iterable[Record]) -> None:
        self._refs = [weakref.ref(rec) for rec in records]

    def adopt(self) -> PrefetchGroup:
        """Make this the group of every record in it; returns self."""
        for rec in self.records:
            rec._state.group = self
        return self

    def __len__(self) -> int:
        return len(self.records)


def group_of(record: Record) -> PrefetchGroup:
    """The record's group (a group of its own when it has none)."""
    group = record._state.group
    if group is None:  # not a query's: what the record holds stays fresh
        group = PrefetchGroup([record], epoch=0).adopt()
    return group


# -- loading -------------------------------------------------------------------


def lazy_fields(record: Record, field: Field[Any]) -> list[str]:
    """What to read when ``field`` is touched: the field plus the record's other
    missing default fields (what Odoo's own prefetch does), binaries apart."""
    sources = [field.source]
    if field.type != "binary":
        sources += [s for s in type(record)._meta.read_fields() if s != field.source]
    state = record._state
    return [s for s in dict.fromkeys(sources) if state.needs(s)]


def load_group(
    records: Sequence[Record], sources: Sequence[str], *, lazy: bool = True, reason: str = ""
) -> int:
    """Read ``sources`` for the records of ``records`` that need them.

    One ``read`` per chunk of :data:`CHUNK_SIZE` ids and per model class; returns
    the number of calls made. ``lazy`` marks a load the program did not ask for
    (refused with LazyLoadError on ``lazy="raise"`` connections).
    """
    by_key: dict[tuple[int, type[Record]], tuple[Connection, list[Record]]] = {}
    for rec in records:
        state = rec._state
        if any(state.needs(s) for s in sources):
            slot = by_key.setdefault((id(state.cache), type(rec)), (state.conn, []))
            slot[1].append(rec)
    calls = 0
    for (_, cls), (conn, todo) in by_key.items():
        if lazy and conn.lazy == "raise":
            first = todo[0]
            raise LazyLoadError(
                f"{reason or 'a field'} of {first!r} is not loaded and this connection was "
                f"opened with lazy='raise': load it ahead with qs.prefetch(...) / only(...), "
                f"or odoorm.models.prefetch(records, ...)"
            )
        cls._ensure_schema(conn)
        ids: list[int] = list(dict.fromkeys(r._state.id for r in todo))  # type: ignore[misc]
        for start in range(0, len(ids), CHUNK_SIZE):
            chunk = ids[start : start + CHUNK_SIZE]
            ticket = conn.cache.ticket()  # before the read: see RecordState.apply
            rows = conn.rpc(cls._meta.odoo_model, "read", chunk, fields=list(sources))
            calls += 1
            cls._apply_rows(conn, rows, sources, None, ticket)
            gone = set(chunk).difference(row["id"] for row in rows)
            if gone:
                for rec in todo:
                    if rec._state.id in gone:
                        rec._mark_missing()
    return calls


def ensure_field(record: Record, field: Field[Any]) -> None:
    """Load ``field`` (and the other missing default fields) for the record's group."""
    sources = lazy_fields(record, field)
    if not sources:
        return
    where = f"{type(record).__name__}.{field.name}"
    load_group(group_of(record).records, sources, reason=where)


# -- relation targets -------------------------------------------------------------


def target_ids(field: Field[Any], raw: Any) -> list[int]:
    if not raw:
        return []
    if field.type == "many2one":
        return [raw[0] if isinstance(raw, (list, tuple)) else raw]
    return [i for i in raw if isinstance(i, int)]


def target_of(record: Record, field: Field[Any], ident: int) -> Any:
    """The record ``ident`` that ``field`` of ``record`` points to, materialised
    with the targets of the record's whole group (see :func:`targets_for`)."""
    group = record._state.group
    if group is not None:
        found = group.targets.get(field.source)  # whole mappings are swapped in: no lock
        if found is not None:
            target = found.get(ident)
            if target is not None:
                return target
    return targets_for(record, field)[ident]


def targets_for(record: Record, field: Field[Any]) -> dict[int, Any]:
    """``{id: record}`` for the targets of ``field`` over the record's whole group.

    Built once per group (and rebuilt when a record's value moved outside it):
    every target of the group becomes one new prefetch group, so touching a
    field on one target loads it for all of them.
    """
    group = group_of(record)
    source = field.source
    wanted = target_ids(field, record._state.raw.get(source))
    with _group_lock:
        found = group.targets.get(source)
        if found is not None and all(i in found for i in wanted):
            return found
        comodel = field.comodel  # type: ignore[attr-defined]
        conn = record._state.conn
        cache = conn.cache
        names: dict[int, Any] = {}
        order: list[int] = []
        # one pass over a group of possibly thousands of records: the many2one case
        # (an [id, name] pair or an id) is inlined, it is the common and hot one
        many2one = field.type == "many2one"
        for rec in group.records:
            state = rec._state
            if state.conn is not conn and state.cache is not cache:
                continue
            raw = state.raw.get(source)
            if not raw:
                continue
            if not many2one:
                order.extend(target_ids(field, raw))
            elif isinstance(raw, (list, tuple)):
                order.append(raw[0])
                if len(raw) > 1:
                    names[raw[0]] = raw[1]
            else:
                order.append(raw)
        mapping: dict[int, Any] = {}
        for ident in dict.fromkeys(order):
            mapping[ident] = comodel._get_or_create(conn, ident)
        PrefetchGroup(mapping.values()).adopt()
        # the names come after the targets joined their new group, so that they are
        # fresh for it (cache_ttl=0); a target this connection wrote takes its name
        # only from a row read after that write
        written: list[Record] = []  # targets changed by this connection: names by age
        for ident, name in names.items():
            target = mapping[ident]
            if target._state.floor or target._state.floors:
                written.append(target)
            else:
                target._set_display_name(name)
        if written:
            _names_by_age(group, source, written, names)
        group.targets[source] = mapping
        return mapping


def _names_by_age(
    group: PrefetchGroup, source: str, targets: list[Record], names: dict[int, Any]
) -> None:
    """Give ``targets`` (records this connection wrote) the name the many2one pairs
    of ``group`` brought, unless they were written after the oldest read of it."""
    oldest: dict[int, int] = {}
    wanted = {t._state.id for t in targets}
    for rec in group.records:
        state = rec._state
        raw = state.raw.get(source)
        if isinstance(raw, (list, tuple)) and raw and raw[0] in wanted:
            stamp = state.stamps.get(source)
            seen = stamp[2] if stamp is not None else 0
            oldest[raw[0]] = min(seen, oldest.get(raw[0], seen))
    for target in targets:
        ident = target._state.id
        if ident is not None:
            target._set_display_name(names[ident], oldest.get(ident, 0))


# -- explicit prefetch --------------------------------------------------------------


def prefetch_paths(records: Sequence[Record], paths: Iterable[str]) -> int:
    """Load relation ``paths`` (``"country"``, ``"children__country"``) for
    ``records`` in the fewest calls; returns how many calls were made.

    Each level costs at most one read per model (per chunk): the relation
    field of the records that miss it, then the default fields of all targets.
    """
    records = [r for r in records if r._state.id is not None]
    if not records:
        return 0
    calls = 0
    for path in dict.fromkeys(paths):
        level: list[Record] = records
        for name in path.split("__"):
            if not level:
                break
            cls = type(level[0])
            field = cls._meta.get_field(name)
            if not field.relational or field.type == "reference":
                raise FieldError(
                    f"prefetch({path!r}): {cls.__name__}.{field.name} is not a relation "
                    f"(many2one, one2many or many2many)"
                )
            group = PrefetchGroup(level, epoch=0)  # for the records without one
            calls += load_group(level, [field.source], lazy=False)
            nxt: dict[int, Any] = {}
            for rec in level:
                state = rec._state
                if state.group is None:
                    state.group = group
                nxt.update(
                    (i, t)
                    for i, t in targets_for(rec, field).items()
                    if i in target_ids(field, state.raw.get(field.source))
                )
            level = list(nxt.values())
            if level:
                comodel = type(level[0])
                calls += load_group(level, comodel._meta.read_fields(), lazy=False)
    return calls


def prefetch(records: Sequence[Record], paths: Iterable[str]) -> int:
    """Load relation ``paths`` for ``records`` in the fewest calls; returns the call count.

    ``prefetch(partners, ["country", "tags", "children__country"])`` reads each
    level once per model (chunked), whatever the number of records. Allowed on
    ``lazy="raise"`` connections: this is an explicit load.
    """
    if isinstance(paths, str):
        paths = [paths]
    return prefetch_paths(list(records), paths)
