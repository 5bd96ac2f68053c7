"""A record's state as one typed object: :class:`RecordState` (as SQLAlchemy's ``InstanceState``).

A model instance has ONE private slot, ``_state``, pointing at its
:class:`RecordState`: the loaded values (``raw``, as the server sent them), when
each was loaded (``stamps``), the converted values (``py``), unsaved changes
(``dirty``, and the x2many sets holding queued commands, ``x2m``), the prefetch
group and the connection.

Rows are applied in ONE place, :meth:`RecordState.apply`: every load (a query's
page, a group's lazy load, ``refresh()``) goes through it, under the identity
map's lock of the record's connection.

This module imports nothing of odoorm at run time: the field descriptors
(:mod:`odoorm.fields.base`), prefetching and related sets are typed against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    from odoorm.fields.base import Field
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
        group: the prefetch group (None: a group of its own when needed).
        deleted: the record was unlinked, or a read did not find it.
        parent_created: the parent whose save created this record as a child.
        hash_pin: the hash a record got while unsaved, kept for life.
    """

    __slots__ = (
        "cache",
        "conn",
        "deleted",
        "dirty",
        "group",
        "hash_pin",
        "id",
        "parent_created",
        "py",
        "raw",
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
    group: PrefetchGroup | None
    deleted: bool
    parent_created: Record | None
    hash_pin: int | None

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
        self.group = group
        self.deleted = False
        self.parent_created = None
        self.hash_pin = None

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
        return not self.cache.is_fresh(self.stamps.get(source))

    def own_stamps(self) -> dict[str, Any]:
        """This record's stamps, copied from its page's shared ones before a change."""
        stamps = self.stamps
        if stamps.__class__ is PageStamps:
            stamps = self.stamps = dict(stamps)
        return stamps

    # -- rows ------------------------------------------------------------------

    def apply(self, raw: dict[str, Any], stamp: Stamp) -> None:
        """Take the freshly read values ``raw`` (Odoo names, no ``id``; this state
        may keep the dict): the one place rows reach a live record."""
        self.deleted = False
        self.raw.update(raw)
        self.own_stamps().update(dict.fromkeys(raw, stamp))
        py = self.py
        if py:
            for key in raw:
                py.pop(key, None)

    def invalidate(self, sources: Iterable[str] | None = None) -> None:
        """Make ``sources`` (every value when None) stale: reloaded on next access."""
        if sources is None:
            self.stamps = {}
            self.py = None
            return
        stamps = self.own_stamps()
        py = self.py
        for s in sources:
            stamps.pop(s, None)
            if py:
                py.pop(s, None)

    def __repr__(self) -> str:
        flags = [f"id={self.id!r}", f"loaded={sorted(self.raw)!r}"]
        if self.dirty:
            flags.append(f"dirty={sorted(self.dirty)!r}")
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
    def _set_display_name(self, name: Any) -> None: ...
    def _check_writable(self, field: Field[Any]) -> None: ...
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
    ) -> list[Any]: ...
