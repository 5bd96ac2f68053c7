"""A record's state as one typed object: :class:`RecordState` (as SQLAlchemy's ``InstanceState``).

A model instance has ONE private slot, ``_state``, pointing at its
:class:`RecordState`: the loaded values (``raw``, as the server sent them), when
each was loaded (``stamps``), the converted values (``py``), unsaved changes
(``dirty``, and the x2many sets holding queued commands, ``x2m``), the changes
a failed save set aside (``rejected``), the prefetch group, the connection,
and the *floors* that keep rows read before a write from being applied over it.

Rows are applied in ONE place, :meth:`RecordState.apply`: every load (a query's
page, a group's lazy load, ``refresh()``) goes through it, under the identity
map's lock of the record's connection.

**Ordering rows against writes.** Before a read is sent, its caller takes a
*ticket* (:meth:`odoorm.session.cache.RecordCache.ticket`, increasing per
connection). When a write (or a method call, an ``update()``, an unlink)
has completed, the records it touched take a new ticket as the *floor* of the
fields it changed (or of the whole record). A row whose ticket is below a
field's floor was requested before the write was known to be done, so the
server may have answered with the old value: that field of the row is not
applied (the record keeps its newer value, or stays stale and reloads on next
access). A row requested after the floor was taken was sent after the write
completed, so it holds the write. Floors only rise. Rows and floors are
applied under the identity map's lock (``cache.lock``).

This module imports nothing of odoorm at run time: the field descriptors
(:mod:`odoorm.fields.base`), prefetching and related sets are typed against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    from odoorm.models.meta import ModelMeta
    from odoorm.models.prefetching import PrefetchGroup
    from odoorm.models.related import RelatedSet
    from odoorm.session.cache import RecordCache, Stamp
    from odoorm.session.connection import Connection

__all__ = ["PageStamps", "Record", "RecordState"]


class PageStamps(dict[str, Any]):
    """The stamps shared by the records of one loaded page (copied on first change)."""

    __slots__ = ()


class RecordState:
    """Everything odoorm knows about one record object.

    Attributes:
        conn: the connection the record belongs to (None until a new record is saved).
        cache: ``conn.cache`` (the identity map and freshness clock), or None.
        id: the database id (None until saved).
        raw: loaded values by Odoo field name, as the server sent them.
        stamps: when each value of ``raw`` was loaded; a value without a fresh
            stamp is reloaded on access. May be a page's shared
            :class:`PageStamps` (see :meth:`own_stamps`).
        py: converted values by Odoo field name (None until the first one).
        dirty: unsaved assignments by Python field name (None when clean).
        x2m: the x2many related sets handed out, by field name (None until one).
        rejected: the changes a failed ``save()`` set aside, by Python field name
            (an x2many's queued commands as a list), None when there are none.
            Never sent again unless restored (``Model.restore_changes()``).
        group: the prefetch group (None: a group of its own when needed).
        deleted: the record was unlinked, or a read did not find it.
        parent_created: the parent whose save created this record as a child.
        hash_pin: the hash a record got while unsaved, kept for life.
        floor: rows requested before this ticket are not applied at all.
        floors: by Odoo field name, rows requested before the ticket are not
            applied to that field (None until the first write).
    """

    __slots__ = (
        "cache",
        "conn",
        "deleted",
        "dirty",
        "floor",
        "floors",
        "group",
        "hash_pin",
        "id",
        "parent_created",
        "py",
        "raw",
        "rejected",
        "stamps",
        "x2m",
    )

    conn: Connection
    cache: RecordCache
    id: int | None
    raw: dict[str, Any]
    stamps: dict[str, Any]
    py: dict[str, Any] | None
    dirty: dict[str, Any] | None
    x2m: dict[str, RelatedSet[Any]] | None
    rejected: dict[str, Any] | None
    group: PrefetchGroup | None
    deleted: bool
    parent_created: Record | None
    hash_pin: int | None
    floor: int
    floors: dict[str, int] | None

    def __init__(
        self,
        conn: Connection | None,
        cache: RecordCache | None,
        ident: int | None,
        raw: dict[str, Any],
        stamps: dict[str, Any],
        group: PrefetchGroup | None = None,
    ) -> None:
        # positional and without defaults computed here: loading a page builds
        # thousands of these (RecordIO._apply_rows)
        self.conn = conn  # type: ignore[assignment]  # None until a new record is saved
        self.cache = cache  # type: ignore[assignment]
        self.id = ident
        self.raw = raw
        self.stamps = stamps
        self.py = None
        self.dirty = None
        self.x2m = None
        self.rejected = None
        self.group = group
        self.deleted = False
        self.parent_created = None
        self.hash_pin = None
        self.floor = 0
        self.floors = None

    def bind(self, conn: Connection, ident: int) -> None:
        """Attach a new record to the id the server gave it and to its connection."""
        self.conn = conn
        self.cache = conn.cache
        self.id = ident

    # -- freshness -------------------------------------------------------------

    def needs(self, source: str) -> bool:
        """True when the value of ``source`` must be (re)loaded from the server."""
        if self.id is None or self.deleted:
            return False
        group = self.group
        since = group.epoch if group is not None else 0  # cache_ttl=0: this query's only
        return not self.cache.is_fresh(self.stamps.get(source), since)

    def own_stamps(self) -> dict[str, Any]:
        """This record's stamps, copied from its page's shared ones before a change."""
        stamps = self.stamps
        if stamps.__class__ is PageStamps:
            stamps = self.stamps = dict(stamps)
        return stamps

    # -- rows ------------------------------------------------------------------

    def apply(self, raw: dict[str, Any], stamp: Stamp, ticket: int | None = None) -> None:
        """Take the values ``raw`` (Odoo names, no ``id``; this state may keep the
        dict) of a row whose request took ``ticket`` before it was sent.

        The one place rows reach a live record. A field whose floor is above
        ``ticket`` keeps its newer state (the row may predate a write); a row
        below the whole-record floor is ignored. ``ticket=None`` applies every
        value (rows known to be current). Call it under ``cache.lock``.
        """
        if ticket is not None and (self.floor or self.floors):
            if ticket < self.floor:
                return
            floors = self.floors
            if floors:
                for key in [k for k in raw if floors.get(k, 0) > ticket]:
                    del raw[key]
        self.deleted = False
        self.raw.update(raw)
        self.own_stamps().update(dict.fromkeys(raw, stamp))
        py = self.py
        if py:
            for key in raw:
                py.pop(key, None)

    def settle(self, raw: Mapping[str, Any], stamp: Stamp, ticket: int) -> None:
        """Take the values a completed write sent (Odoo names): what the server
        holds now. ``ticket`` was taken after the write's answer: rows requested
        before it are not applied over these values. Call it under ``cache.lock``."""
        self.raw.update(raw)
        self.own_stamps().update(dict.fromkeys(raw, stamp))
        py = self.py
        if py:
            for key in raw:
                py.pop(key, None)
        self.raise_floors(raw, ticket)

    def invalidate(self, sources: Iterable[str] | None = None, ticket: int | None = None) -> None:
        """Make ``sources`` (every value when None) stale: reloaded on next access.

        With ``ticket`` (taken after a change on the server completed), rows
        requested before it are not applied to them either.
        """
        if sources is None:
            self.stamps = {}
            self.py = None
            if ticket is not None and ticket > self.floor:
                self.floor = ticket
            return
        sources = list(sources)
        stamps = self.own_stamps()
        py = self.py
        for s in sources:
            stamps.pop(s, None)
            if py:
                py.pop(s, None)
        if ticket is not None:
            self.raise_floors(sources, ticket)

    def raise_floors(self, sources: Iterable[str], ticket: int) -> None:
        """Rows requested before ``ticket`` are not applied to ``sources`` any more."""
        floors = self.floors
        if floors is None:
            floors = self.floors = {}
        for s in sources:
            if floors.get(s, 0) < ticket:
                floors[s] = ticket

    def written_after(self, source: str, ticket: int | None) -> bool:
        """True when ``source`` changed on the server after a read that took
        ``ticket`` (None or 0: a read of unknown age)."""
        floor = max(self.floor, (self.floors or {}).get(source, 0))
        return floor > 0 and (not ticket or floor > ticket)

    # -- changes ---------------------------------------------------------------

    def changed_fields(self) -> list[str]:
        """The Python names of the unsaved changes (fields, and x2many queues)."""
        names = list(self.dirty or ())
        names += [name for name, related in (self.x2m or {}).items() if related._pending()]
        return list(dict.fromkeys(names))

    def set_aside(self) -> dict[str, Any]:
        """Move the unsaved changes to ``rejected`` (a failed save); returns them.

        Values read show the server's again; a later save does not send them.
        """
        moved: dict[str, Any] = dict(self.dirty or {})
        for name, related in (self.x2m or {}).items():
            if related._ops:
                moved[name] = related._ops
                related._ops = []
        self.dirty = None
        if moved:
            rejected = self.rejected or {}
            for name, value in moved.items():
                earlier = rejected.get(name)
                # queued commands add up; a field's later value replaces the earlier one
                if isinstance(earlier, list) and name in (self.x2m or {}):
                    value = [*earlier, *value]
                rejected[name] = value
            self.rejected = rejected
        return moved

    def restore(self) -> list[str]:
        """Put the set-aside changes back as unsaved ones (values assigned since
        win; queued commands go before those queued since); returns their names."""
        rejected, self.rejected = self.rejected, None
        if not rejected:
            return []
        x2m = self.x2m or {}
        for name, value in rejected.items():
            if name in x2m and isinstance(value, list):
                x2m[name]._ops = [*value, *x2m[name]._ops]
            elif not self.dirty or name not in self.dirty:
                if self.dirty is None:
                    self.dirty = {}
                self.dirty[name] = value
        return list(rejected)

    def discard_changes(self) -> None:
        """Drop the unsaved and the set-aside changes."""
        self.dirty = None
        self.rejected = None
        for related in (self.x2m or {}).values():
            related._ops = []

    def __repr__(self) -> str:
        flags = [f"id={self.id!r}", f"loaded={sorted(self.raw)!r}"]
        if self.dirty:
            flags.append(f"dirty={sorted(self.dirty)!r}")
        if self.rejected:
            flags.append(f"rejected={sorted(self.rejected)!r}")
        if self.deleted:
            flags.append("deleted")
        return f"<RecordState {' '.join(flags)}>"


class Record(Protocol):
    """A record as the models layer's helpers use it (``Model`` is one).

    :mod:`odoorm.models.prefetching` and :mod:`odoorm.models.related` sit below
    the module defining ``Model``; they work on records through this protocol.
    """

    _state: RecordState
    _meta: ClassVar[ModelMeta]

    def _mark_missing(self) -> None: ...
    def _set_display_name(self, name: Any, ticket: int | None = None) -> None: ...
    def _check_writable(self, field: Any) -> None: ...  # a Field (not imported: no circle)
    def _save_connection(self, using: Connection | None) -> Connection: ...
    def _create_vals(self, skip: str | None = None) -> dict[str, Any]: ...
    def _created_through(self, parent: Any) -> None: ...
    @classmethod
    def _ensure_schema(cls, conn: Connection) -> None: ...
    @classmethod
    def _get_or_create(cls, conn: Connection, ident: int) -> Any: ...
    @classmethod
    def _apply_rows(
        cls,
        conn: Connection,
        rows: Iterable[Mapping[str, Any]],
        fields: Sequence[str],
        group: PrefetchGroup | None = None,
        ticket: int | None = None,
    ) -> list[Any]: ...
