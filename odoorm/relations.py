"""Relations between records: prefetch groups, group loads and x2many related sets.

Records loaded together share a :class:`PrefetchGroup`.  The first access to an
unloaded field on one record loads it for the whole group in one ``read``
(chunked); the many2one targets (or x2many targets) of a group are materialised
together and form a group of their own, so ``p.country.name`` over a page of
partners costs one read for all the countries.

This module works on records through the small private protocol of
:class:`odoorm.models.Model` (``_raw``, ``_stamps``, ``_conn``, ``_meta`` ...);
it never imports the models layer (that sits above it).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from odoorm.commands import Command, is_command
from odoorm.exceptions import FieldError, LazyLoadError

if TYPE_CHECKING:
    from odoorm.fields import Field

__all__ = [
    "CHUNK_SIZE",
    "PrefetchGroup",
    "RelatedSet",
    "load_group",
    "prefetch_paths",
    "target_of",
    "targets_for",
]

M = TypeVar("M")

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
    """

    __slots__ = ("__weakref__", "_refs", "targets")

    def __init__(self, records: Iterable[Any] = ()):
        self.records = records
        # field source -> {id: target record}: relation targets materialised together
        self.targets: dict[str, dict[int, Any]] = {}

    @property
    def records(self) -> list[Any]:
        """The members still alive."""
        return [rec for rec in (ref() for ref in self._refs) if rec is not None]

    @records.setter
    def records(self, records: Iterable[Any]) -> None:
        self._refs = [weakref.ref(rec) for rec in records]

    def adopt(self) -> PrefetchGroup:
        """Make this the group of every record in it; returns self."""
        for rec in self.records:
            rec._group = self
        return self

    def __len__(self) -> int:
        return len(self.records)


def group_of(record: Any) -> PrefetchGroup:
    """The record's group (a group of its own when it has none)."""
    group = record._group
    if group is None:
        group = PrefetchGroup([record]).adopt()
    return group


# -- loading -------------------------------------------------------------------


def needs(record: Any, source: str) -> bool:
    """True when ``record`` must (re)load ``source`` from the server."""
    if record._id is None or record._deleted:
        return False
    return not record._cache.is_fresh(record._stamps.get(source))


def lazy_fields(record: Any, field: Field[Any]) -> list[str]:
    """What to read when ``field`` is touched: the field plus the record's other
    missing default fields (what Odoo's own prefetch does), binaries apart."""
    sources = [field.source]
    if field.type != "binary":
        sources += [s for s in type(record)._meta.read_fields() if s != field.source]
    return [s for s in dict.fromkeys(sources) if needs(record, s)]


def load_group(
    records: Sequence[Any], sources: Sequence[str], *, lazy: bool = True, reason: str = ""
) -> int:
    """Read ``sources`` for the records of ``records`` that need them.

    One ``read`` per chunk of :data:`CHUNK_SIZE` ids and per model class; returns
    the number of calls made. ``lazy`` marks a load the program did not ask for
    (refused with LazyLoadError on ``lazy="raise"`` connections).
    """
    by_key: dict[tuple[int, Any], tuple[Any, list[Any]]] = {}
    for rec in records:
        if any(needs(rec, s) for s in sources):
            slot = by_key.setdefault((id(rec._conn.cache), type(rec)), (rec._conn, []))
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
        ids = list(dict.fromkeys(r._id for r in todo))
        for start in range(0, len(ids), CHUNK_SIZE):
            chunk = ids[start : start + CHUNK_SIZE]
            rows = conn.rpc(cls._meta.odoo_model, "read", chunk, fields=list(sources))
            calls += 1
            cls._apply_rows(conn, rows, sources)
            gone = set(chunk).difference(row["id"] for row in rows)
            if gone:
                for rec in todo:
                    if rec._id in gone:
                        rec._mark_missing()
    return calls


def ensure_field(record: Any, field: Field[Any]) -> None:
    """Load ``field`` (and the other missing default fields) for the record's group."""
    sources = lazy_fields(record, field)
    if not sources:
        return
    where = f"{type(record).__name__}.{field.name}"
    load_group(group_of(record).records, sources, reason=where)


# -- relation targets -------------------------------------------------------------


def _target_ids(field: Field[Any], raw: Any) -> list[int]:
    if not raw:
        return []
    if field.type == "many2one":
        return [raw[0] if isinstance(raw, (list, tuple)) else raw]
    return [i for i in raw if isinstance(i, int)]


def target_of(record: Any, field: Field[Any], ident: int) -> Any:
    """The record ``ident`` that ``field`` of ``record`` points to, materialised
    with the targets of the record's whole group (see :func:`targets_for`)."""
    group = record._group
    if group is not None:
        found = group.targets.get(field.source)  # whole mappings are swapped in: no lock
        if found is not None:
            target = found.get(ident)
            if target is not None:
                return target
    return targets_for(record, field)[ident]


def targets_for(record: Any, field: Field[Any]) -> dict[int, Any]:
    """``{id: record}`` for the targets of ``field`` over the record's whole group.

    Built once per group (and rebuilt when a record's value moved outside it):
    every target of the group becomes one new prefetch group, so touching a
    field on one target loads it for all of them.
    """
    group = group_of(record)
    source = field.source
    wanted = _target_ids(field, record._raw.get(source))
    with _group_lock:
        found = group.targets.get(source)
        if found is not None and all(i in found for i in wanted):
            return found
        comodel = field.comodel  # type: ignore[attr-defined]
        conn = record._conn
        cache = conn.cache
        names: dict[int, Any] = {}
        order: list[int] = []
        # one pass over a group of possibly thousands of records: the many2one case
        # (an [id, name] pair or an id) is inlined, it is the common and hot one
        many2one = field.type == "many2one"
        for rec in group.records:
            if rec._conn is not conn and rec._conn.cache is not cache:
                continue
            raw = rec._raw.get(source)
            if not raw:
                continue
            if not many2one:
                order.extend(_target_ids(field, raw))
            elif isinstance(raw, (list, tuple)):
                order.append(raw[0])
                if len(raw) > 1:
                    names[raw[0]] = raw[1]
            else:
                order.append(raw)
        mapping: dict[int, Any] = {}
        for ident in dict.fromkeys(order):
            target = comodel._get_or_create(conn, ident)
            mapping[ident] = target
            if ident in names:
                target._set_display_name(names[ident])
        PrefetchGroup(mapping.values()).adopt()
        group.targets[source] = mapping
        return mapping


# -- explicit prefetch --------------------------------------------------------------


def prefetch_paths(records: Sequence[Any], paths: Iterable[str]) -> int:
    """Load relation ``paths`` (``"country"``, ``"children__country"``) for
    ``records`` in the fewest calls; returns how many calls were made.

    Each level costs at most one read per model (per chunk): the relation
    field of the records that miss it, then the default fields of all targets.
    """
    records = [r for r in records if r._id is not None]
    if not records:
        return 0
    calls = 0
    for path in dict.fromkeys(paths):
        level: list[Any] = records
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
            group = PrefetchGroup(level)
            calls += load_group(level, [field.source], lazy=False)
            nxt: dict[int, Any] = {}
            for rec in level:
                if rec._group is None:
                    rec._group = group
                nxt.update(
                    (i, t)
                    for i, t in targets_for(rec, field).items()
                    if i in _target_ids(field, rec._raw.get(field.source))
                )
            level = list(nxt.values())
            if level:
                comodel = type(level[0])
                calls += load_group(level, comodel._meta.read_fields(), lazy=False)
    return calls


# -- x2many related sets ------------------------------------------------------------


class RelatedSet(Generic[M]):
    """The records of a one2many / many2many field of one record.

    Iterable, sized, indexable; changes (``add``, ``remove``, ``set``, ``clear``,
    ``create``, ``update``, ``delete``) are queued as Odoo commands and sent by
    the parent's ``save()`` in the same single call.
    """

    __slots__ = ("_field", "_ops", "_parent")

    def __init__(self, parent: Any, field: Field[Any]):
        self._parent = parent
        self._field = field
        # queued: (code, id or None, payload): payload is a new record for CREATE,
        # python values for UPDATE, ids for SET
        self._ops: list[tuple[int, Any, Any]] = []

    # -- reading --
    @property
    def model(self) -> type[M]:
        """The target model class."""
        return self._field.comodel  # type: ignore[attr-defined]

    def _base_ids(self) -> list[int]:
        parent = self._parent
        if parent._id is None:
            return []
        if needs(parent, self._field.source):
            ensure_field(parent, self._field)
        return _target_ids(self._field, parent._raw.get(self._field.source))

    def _current(self) -> list[Any]:
        """Saved ids and new records, with the queued commands applied."""
        items: list[Any] = list(self._base_ids())
        for code, ident, payload in self._ops:
            if code == Command.CREATE:
                items.append(payload)
            elif code in (Command.DELETE, Command.UNLINK):
                items = [i for i in items if i != ident]
            elif code == Command.LINK and ident not in items:
                items.append(ident)
            elif code == Command.CLEAR:
                items = []
            elif code == Command.SET:
                items = list(payload)
        return items

    @property
    def ids(self) -> list[int]:
        """Ids of the saved records in the set (queued changes applied)."""
        return [i for i in self._current() if isinstance(i, int)]

    def _records(self) -> list[M]:
        items = self._current()
        ints = [i for i in items if isinstance(i, int)]
        known: dict[int, Any] = {}
        if ints:
            parent = self._parent
            if parent._id is not None and self._field.source in parent._raw:
                known = targets_for(parent, self._field)
            missing = [i for i in ints if i not in known]
            if missing:
                # a new parent has no connection yet: the one its save() would use
                conn = parent._conn if parent._id is not None else parent._save_connection(None)
                extra = {i: self.model._get_or_create(conn, i) for i in missing}  # type: ignore[attr-defined]
                PrefetchGroup(extra.values()).adopt()
                known = {**known, **extra}
        return [known[i] if isinstance(i, int) else i for i in items]

    def __iter__(self) -> Iterator[M]:
        return iter(self._records())

    def __len__(self) -> int:
        return len(self._current())

    def __bool__(self) -> bool:
        return bool(self._current())

    def __getitem__(self, index: int) -> M:
        return self._records()[index]

    def __contains__(self, item: object) -> bool:
        ident = getattr(item, "id", item)
        return any(i is item or i == ident for i in self._current())

    def count(self) -> int:
        """How many records (no call when the field is loaded)."""
        return len(self)

    def all(self) -> list[M]:
        """The records as a list."""
        return self._records()

    def filter(self, *args: Any, **lookups: Any) -> Any:
        """A QuerySet of the target model restricted to this set's saved records."""
        from odoorm.query import QuerySet  # lazy: query sits below, but keep import cheap

        qs = QuerySet(self.model, self._parent._conn)
        return qs.filter(id__in=self.ids).filter(*args, **lookups)

    def __odoo_domain_value__(self) -> list[int]:
        return self.ids

    def __repr__(self) -> str:
        parent = self._parent
        pending = f" +{len(self._ops)} queued" if self._ops else ""
        return f"<RelatedSet {type(parent).__name__}.{self._field.name} {self.ids!r}{pending}>"

    # -- changing (queued until the parent's save()) --
    def _check_target(self, record: Any) -> Any:
        if isinstance(record, int) and not isinstance(record, bool):
            return record
        if not hasattr(type(record), "_meta"):
            raise FieldError(
                f"{type(self._parent).__name__}.{self._field.name} takes records of "
                f"{self._field.comodel_name} or ids, got {record!r}"  # type: ignore[attr-defined]
            )
        if record._meta.odoo_model != self._field.comodel_name:  # type: ignore[attr-defined]
            raise FieldError(
                f"{type(self._parent).__name__}.{self._field.name} takes "
                f"{self._field.comodel_name} records, got {record!r}"  # type: ignore[attr-defined]
            )
        return record

    def _queue(self, code: int, ident: Any = None, payload: Any = None) -> None:
        self._parent._check_writable(self._field)
        self._ops.append((code, ident, payload))

    def add(self, *records: Any) -> None:
        """Link existing records (Command 4); new (unsaved) ones are created (Command 0)."""
        for record in records:
            record = self._check_target(record)
            if isinstance(record, int):
                self._queue(Command.LINK, record)
            elif record.id is None:
                self._queue(Command.CREATE, None, record)
            else:
                self._queue(Command.LINK, record.id)

    def remove(self, *records: Any) -> None:
        """Unlink records from the relation, keeping them (Command 3).

        An unsaved record queued by ``add``/``create`` is simply dropped from the queue."""
        for record in records:
            record = self._check_target(record)
            if not self._unqueue_new(record, "remove"):
                self._queue(Command.UNLINK, getattr(record, "id", record))

    def _unqueue_new(self, record: Any, verb: str) -> bool:
        """Drop the queued creation of unsaved ``record``; False for a saved one."""
        if _saved(record):
            return False
        self._parent._check_writable(self._field)
        for n, (code, _ident, payload) in enumerate(self._ops):
            if code == Command.CREATE and payload is record:
                del self._ops[n]
                return True
        raise FieldError(
            f"cannot {verb} {record!r} from {type(self._parent).__name__}.{self._field.name}: "
            f"it is not saved and not queued in this set"
        )

    def set(self, records: Iterable[Any]) -> None:
        """Replace the relation by exactly ``records`` (Command 6, plus 0 for new ones)."""
        self._parent._check_writable(self._field)
        items = [self._check_target(r) for r in records]
        saved = [getattr(r, "id", r) for r in items if _saved(r)]
        # on a new parent an empty SET says nothing: the relation starts empty
        if saved or self._parent._id:
            self._ops.append((Command.SET, None, saved))
        for r in items:
            if not _saved(r):
                self._ops.append((Command.CREATE, None, r))

    def clear(self) -> None:
        """Empty the relation (Command 5); no record is deleted."""
        self._queue(Command.CLEAR)

    def create(self, **values: Any) -> M:
        """Queue a new record (Command 0) and return it (unsaved until the parent's save)."""
        record = self.model(**values)
        self._queue(Command.CREATE, None, record)
        return record

    def update(self, record: Any, **values: Any) -> None:
        """Queue a write of ``values`` on a linked record (Command 1)."""
        record = self._check_target(record)
        ident = getattr(record, "id", record)
        if ident is None:
            raise FieldError("update() needs a saved record; change a new record's fields directly")
        model: Any = self.model
        for name in values:
            field = model._meta.get_field(name)
            model._check_assignable(field)
        self._queue(Command.UPDATE, ident, dict(values))

    def delete(self, record: Any) -> None:
        """Queue the deletion of a linked record (Command 2)."""
        record = self._check_target(record)
        if not self._unqueue_new(record, "delete"):
            self._queue(Command.DELETE, getattr(record, "id", record))

    def _assign(self, value: Iterable[Any] | None) -> None:
        """``parent.field = [...]``: raw commands pass through, records/ids replace."""
        items = list(value or [])
        if items and all(is_command(i) for i in items):
            self._parent._check_writable(self._field)
            self._ops.extend(_op_from_command(tuple(c)) for c in items)
        else:
            self.set(items)

    # -- flushing --
    def _pending(self) -> bool:
        return bool(self._ops)

    def _commands(self) -> list[Any]:
        """The queued changes as Odoo commands (nested creates included)."""
        model: Any = self.model
        out: list[Any] = []
        for code, ident, payload in self._ops:
            if code == Command.CREATE:
                if isinstance(payload, dict):
                    out.append(Command.create(payload))
                else:
                    out.append(Command.create(payload._create_vals(skip=self._inverse())))
            elif code == Command.UPDATE and isinstance(payload, tuple):
                out.append(Command.update(ident, payload[1]))
            elif code == Command.UPDATE:
                out.append(Command.update(ident, model._vals_to_wire(payload)))
            elif code == Command.SET:
                out.append(Command.set(payload))
            elif code == Command.CLEAR:
                out.append(Command.clear())
            else:
                out.append((int(code), ident, 0))
        return out

    def _inverse(self) -> str | None:
        return getattr(self._field, "inverse", None)

    def _flushed(self) -> None:
        """After a successful save: apply what is known, invalidate the rest."""
        parent = self._parent
        model: Any = self.model
        source = self._field.source
        ops, self._ops = self._ops, []
        touched: list[int] = []
        for code, ident, payload in ops:
            if code == Command.CREATE and not isinstance(payload, dict):
                payload._created_through(parent)
            elif code == Command.UPDATE:
                written = None if isinstance(payload, tuple) else payload
                model._after_write(parent._conn, [ident], written)
            elif code == Command.DELETE:
                model._forget(parent._conn, [ident])
            if isinstance(ident, int):
                touched.append(ident)
            if code == Command.SET:
                touched.extend(payload)
        # new children have ids we do not know: the parent's list is reloaded lazily
        parent._invalidate([source])
        inverse = self._inverse()
        if inverse and touched:
            model._invalidate_ids(parent._conn, touched, [inverse])


def _saved(record: Any) -> bool:
    return isinstance(record, int) or getattr(record, "id", None) is not None


def _op_from_command(cmd: tuple[Any, ...]) -> tuple[int, Any, Any]:
    code = int(cmd[0])
    ident: Any = cmd[1] if len(cmd) > 1 else 0
    payload: Any = cmd[2] if len(cmd) > 2 else 0
    if code == Command.CREATE:
        return (code, None, dict(payload))
    if code == Command.SET:
        return (code, None, list(payload))
    if code == Command.UPDATE:
        return (code, ident, ("raw", dict(payload)))
    return (code, ident or None, None)
