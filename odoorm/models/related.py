"""x2many related sets: the records of a one2many / many2many field of one record.

Changes (``add``, ``remove``, ``set``, ``clear``, ``create``, ``update``,
``delete``) are queued as Odoo commands and sent by the parent's ``save()`` in
the same single call. Reading the set loads it with the parent's prefetch
group (:mod:`odoorm.models.prefetching`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from odoorm._values import plain
from odoorm.commands import Command, is_command
from odoorm.exceptions import FieldError
from odoorm.models.prefetching import PrefetchGroup, ensure_field, target_ids, targets_for
from odoorm.query.queryset import QuerySet

if TYPE_CHECKING:
    from odoorm.fields.base import Field
    from odoorm.models.state import Record

__all__ = ["RelatedSet"]

M = TypeVar("M")


class RelatedSet(Generic[M]):
    """The records of a one2many / many2many field of one record.

    Iterable, sized, indexable; changes (``add``, ``remove``, ``set``, ``clear``,
    ``create``, ``update``, ``delete``) are queued as Odoo commands and sent by
    the parent's ``save()`` in the same single call.
    """

    __slots__ = ("_field", "_ops", "_parent")

    def __init__(self, parent: Record, field: Field[Any]):
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
        state = parent._state
        if state.id is None:
            return []
        if state.needs(self._field.source):
            ensure_field(parent, self._field)
        return target_ids(self._field, state.raw.get(self._field.source))

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
            state = parent._state
            if state.id is not None and self._field.source in state.raw:
                known = targets_for(parent, self._field)
            missing = [i for i in ints if i not in known]
            if missing:
                # a new parent has no connection yet: the one its save() would use
                conn = state.conn if state.id is not None else parent._save_connection(None)
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
        qs = QuerySet(self.model, self._parent._state.conn)
        return qs.filter(id__in=self.ids).filter(*args, **lookups)

    def __odoo_domain_value__(self) -> list[int]:
        return self.ids

    def __repr__(self) -> str:
        parent = self._parent
        pending = f" +{len(self._ops)} queued" if self._ops else ""
        return f"<RelatedSet {type(parent).__name__}.{self._field.name} {self.ids!r}{pending}>"

    # -- changing (queued until the parent's save()) --
    def _check_target(self, record: Any) -> Any:
        record = plain(record)
        if isinstance(record, int) and not isinstance(record, bool):
            if record <= 0:
                raise FieldError(
                    f"{type(self._parent).__name__}.{self._field.name}: {record} is not a "
                    "record id (Odoo ids are positive)"
                )
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
        if saved or self._parent._state.id:
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
        if hasattr(type(value), "_meta") or isinstance(value, (int, str)):
            name = f"{type(self._parent).__name__.lower()}.{self._field.name}"
            raise FieldError(
                f"{type(self._parent).__name__}.{self._field.name} holds several records: "
                f"assign a list ({name} = [{value!r}]), or use {name}.add(...) to link one "
                "more"
            )
        items = list(plain(value) or [])
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

    def _flushed(self, ticket: int) -> None:
        """After a successful save (answered before ``ticket`` was taken): apply
        what is known, invalidate the rest."""
        parent = self._parent
        conn = parent._state.conn
        model: Any = self.model
        source = self._field.source
        ops, self._ops = self._ops, []
        touched: list[int] = []
        for code, ident, payload in ops:
            if code == Command.CREATE and not isinstance(payload, dict):
                payload._created_through(parent)
            elif code == Command.UPDATE:
                written = None if isinstance(payload, tuple) else payload
                model._after_write(conn, [ident], written)
            elif code == Command.DELETE:
                model._forget(conn, [ident])
            if isinstance(ident, int):
                touched.append(ident)
            if code == Command.SET:
                touched.extend(payload)
        # new children have ids we do not know: the parent's list is reloaded lazily
        parent._state.invalidate([source], ticket)
        inverse = self._inverse()
        if inverse and touched:
            model._invalidate_ids(conn, touched, [inverse])


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
