"""Record plumbing: identity map, row loading, invalidation, what a save leaves
(settled values, or changes set aside): the ``RecordIO`` mixin.

:class:`odoorm.models.Model` inherits these methods; they are what the query
layer and :mod:`odoorm.models.prefetching` call on a model class or a record (the
private protocol ``_from_rows``, ``_apply_rows``, ``_invalidate_ids``,
``_forget`` ...). A record's state is one :class:`~odoorm.models.state.RecordState`
in its only private slot, ``_state``. ``_apply_rows`` is the hot path of every
load: one lock acquisition and one identity-map namespace per page, a C-level
copy of each new row, one stamps dict shared by the page (copied by a record on
its first change); rows reach a live record through ``RecordState.apply``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from odoorm.exceptions import AmbiguousResultError
from odoorm.fields.base import KIND_MANY2ONE
from odoorm.fields.relational import registry
from odoorm.models.meta import ModelMeta
from odoorm.models.prefetching import PrefetchGroup, group_of, load_group, prefetch_paths
from odoorm.models.state import PageStamps, RecordState

if TYPE_CHECKING:
    from odoorm.fields.base import Field
    from odoorm.models.related import RelatedSet
    from odoorm.session.connection import Connection

__all__ = ["RecordIO"]

R = TypeVar("R", bound="RecordIO")


def _nested_keys(rows: list[Mapping[str, Any]], relational: frozenset[str]) -> list[str]:
    """The keys of ``rows`` holding nested related rows (web_read / web_search_read).

    Only relational fields can, and every row of one answer has the same keys
    and shapes: the first non-empty value of each relational key tells.
    """
    found = []
    for key in [k for k in rows[0] if k in relational]:
        value = next((r[key] for r in rows if r.get(key)), None)
        if isinstance(value, dict) or (isinstance(value, list) and isinstance(value[0], dict)):
            found.append(key)
    return found


def _flatten(value: Any) -> Any:
    """A nested relation value as ``read`` gives it: a many2one ``{"id", ...}``
    becomes ``[id, display_name]``, a list of rows a list of ids."""
    if isinstance(value, dict):
        return [value["id"], value.get("display_name", False)] if value.get("id") else False
    if isinstance(value, list):
        return [v["id"] if isinstance(v, dict) else v for v in value]
    return value


class RecordIO:
    """Identity, loading and invalidation of records (mixed into ``Model``)."""

    # a record's whole state is one RecordState: the slot list is RecordState.__slots__
    __slots__ = ("__weakref__", "_state")

    if TYPE_CHECKING:  # the slot's type, and what Model provides (see state.Record)
        _meta: ClassVar[ModelMeta]
        _state: RecordState

        def _set_display_name(self, name: Any, ticket: int | None = None) -> None: ...
        def _check_writable(self, field: Field[Any]) -> None: ...
        def _save_connection(self, using: Connection | None) -> Connection: ...
        def _create_vals(self, skip: str | None = None) -> dict[str, Any]: ...
        def _created_through(self, parent: Any) -> None: ...
        def _related(self, field: Field[Any]) -> RelatedSet[Any]: ...
        @classmethod
        def _ensure_schema(cls, conn: Connection) -> None: ...

    @property
    def _conn(self) -> Connection:
        """The record's connection (None until a new record is saved)."""
        return self._state.conn

    @classmethod
    def _namespace(cls, conn: Connection) -> tuple[Any, ...]:
        """The identity-map namespace of this class's records on ``conn``."""
        return (cls._meta.odoo_model, conn.identity_token, cls)

    @classmethod
    def _key(cls, conn: Connection, ident: int) -> tuple[Any, int]:
        return (cls._namespace(conn), ident)

    @classmethod
    def _blank(cls: type[R], conn: Connection, ident: int) -> R:
        rec = cls.__new__(cls)
        rec._state = RecordState(conn, conn.cache, ident, {}, {})
        return rec

    @classmethod
    def _get_or_create(cls: type[R], conn: Connection, ident: int) -> R:
        """The live record for ``ident`` on ``conn`` (no call)."""
        meta = cls._meta
        if meta.dynamic:
            meta.ensure_fields(conn)
        rec, _ = conn.cache.get_or_create(cls._key(conn, ident), lambda: cls._blank(conn, ident))
        return rec

    @classmethod
    def _cached_record(cls, conn: Connection, ident: int) -> RecordIO | None:
        """Hook of ``QuerySet.get(id=N)``: the live record ``ident`` on ``conn`` when
        every default field is loaded and fresh (and nothing is unsaved), else None."""
        rec = conn.cache.get(cls._key(conn, ident))
        if rec is not None and rec._fully_loaded():
            return cast("RecordIO", rec)
        return None

    @classmethod
    def _from_rows(
        cls: type[R],
        conn: Connection,
        rows: list[dict[str, Any]],
        fields: Sequence[str],
        ticket: int | None = None,
    ) -> list[R]:
        """Records for ``search_read``/``read`` rows (Odoo names); one prefetch group.

        ``ticket``: what ``conn.cache.ticket()`` gave before the rows were
        requested; a live record keeps the fields written since (see
        :meth:`RecordState.apply`). None applies every value.
        """
        group = PrefetchGroup()
        records = cls._apply_rows(conn, rows, fields, group, ticket)
        group.records = records
        return records

    @classmethod
    def _apply_rows(
        cls: type[R],
        conn: Connection,
        rows: Iterable[Mapping[str, Any]],
        fields: Sequence[str],
        group: PrefetchGroup | None = None,
        ticket: int | None = None,
    ) -> list[R]:
        """Build or update the live records of ``rows``; the hot path of every load.

        One lock acquisition and one identity-map namespace for the whole page;
        a new record takes a C-level copy of its row (no per-field Python loop);
        ``group``, when given, becomes the records' prefetch group. A live record
        takes the row through :meth:`RecordState.apply` with ``ticket`` (taken
        before the rows were requested).
        """
        meta = cls._meta
        if meta.dynamic:
            meta.ensure_fields(conn)
        rows = rows if isinstance(rows, list) else list(rows)
        if not rows:
            return []
        cache = conn.cache
        nested = _nested_keys(rows, meta.relational_sources)
        if nested:
            # the related rows first, one level (and one prefetch group) per relation
            targets = cls._apply_related(conn, rows, nested, ticket)
            nested = list(targets)
            if group is not None:
                group.targets.update(targets)
        stamp = cache.stamp(ticket)
        new = cls.__new__

        def values(row: Mapping[str, Any]) -> dict[str, Any]:
            raw = dict(row)
            del raw["id"]
            for key in nested:
                raw[key] = _flatten(raw.get(key))
            return raw

        def create(i: int) -> R:
            row = rows[i]
            rec = new(cls)
            raw = values(row) if nested else dict(row)
            if not nested:
                del raw["id"]
            if page_stamps and raw.keys() == page_keys[0]:
                stamps: dict[str, Any] = page_stamps[0]
            else:  # the first row, or (never from Odoo) a row with other keys
                stamps = dict.fromkeys(raw, stamp)
                if not page_stamps:
                    page_keys.append(raw.keys())
                    page_stamps.append(PageStamps(stamps))
                    stamps = page_stamps[0]
            rec._state = State(conn, cache, row["id"], raw, stamps, group)
            return rec

        def update(rec: R, i: int) -> None:
            state = rec._state
            state.apply(values(rows[i]), stamp, ticket)
            if group is not None:
                state.group = group

        # the new records of a page share one stamps dict (same keys, same stamp)
        # until one of them diverges: one allocation per page, hot in the CPU cache
        State = RecordState
        page_stamps: list[PageStamps] = []
        page_keys: list[Any] = []
        idents = [row["id"] for row in rows]
        out = cache.get_or_create_many(cls._namespace(conn), idents, create, update)
        return out

    @classmethod
    def _apply_related(
        cls,
        conn: Connection,
        rows: list[Mapping[str, Any]],
        keys: Sequence[str],
        ticket: int | None = None,
    ) -> dict[str, dict[int, Any]]:
        """Build the records nested in ``rows`` under ``keys`` (web_search_read /
        web_read with a specification): all the targets of one relation over the
        page at once, as ONE prefetch group; returns ``{source: {id: record}}``
        for the keys it handled (the page's group serves its relations from it)."""
        by_source = cls._meta.by_source
        out: dict[str, dict[int, Any]] = {}
        for key in keys:
            field = by_source.get(key)
            if field is None or not field.relational or field.type == "reference":
                continue
            found: dict[int, Mapping[str, Any]] = {}
            for row in rows:
                value = row.get(key)
                for item in value if isinstance(value, list) else (value,):
                    if isinstance(item, dict) and item.get("id"):
                        found.setdefault(item["id"], item)
            comodel = field.comodel  # type: ignore[attr-defined]
            group = PrefetchGroup()
            records = comodel._apply_rows(conn, list(found.values()), (), group, ticket)
            group.records = records
            out[key] = {rec._state.id: rec for rec in records}
        return out

    def _apply(self, row: Mapping[str, Any], stamp: Any, ticket: int | None = None) -> None:
        """Take one ``read`` row (``refresh()``) requested at ``ticket``."""
        meta = self._meta
        raw = dict(row)
        raw.pop("id", None)
        for key in [k for k in raw if k in meta.relational_sources]:
            value = raw[key]
            if isinstance(value, dict) or (
                isinstance(value, list) and value and isinstance(value[0], dict)
            ):
                raw[key] = self._apply_nested(meta.by_source.get(key), value, ticket)
        state = self._state
        with state.cache.lock:
            state.apply(raw, stamp, ticket)

    def _apply_nested(self, field: Field[Any] | None, value: Any, ticket: int | None) -> Any:
        """web_read / web_search_read nest related records: keep their values too."""
        if field is None or not field.relational or field.type == "reference":
            return value
        comodel = field.comodel  # type: ignore[attr-defined]
        rows = value if isinstance(value, list) else [value]
        rows = [r for r in rows if isinstance(r, dict) and r.get("id")]
        if rows:
            keys = list(rows[0])
            comodel._apply_rows(self._state.conn, rows, keys, None, ticket)
        return _flatten(value)

    def _load_declared(self, why: str) -> int:
        """Load every declared non-binary field the record misses (unchanged ones
        only), for its whole prefetch group, in ONE ``read`` per chunk of ids.

        The field-by-field lazy load reads a field with the *default* fields; for a
        ``conn.env`` class those are the stored scalars, so showing every field
        (``to_dict()``) would otherwise cost one read per other field.
        """
        state = self._state
        if state.id is None or state.deleted:
            return 0
        dirty = state.dirty or {}
        missing = {
            f.source: name
            for name, f in self._meta.fields.items()
            if f.type != "binary" and name not in dirty and state.needs(f.source)
        }
        if not missing:
            return 0
        first = next(iter(missing.values()))
        reason = f"{type(self).__name__}.{first} (for {why})"
        return load_group(group_of(self).records, list(missing), reason=reason)

    # -- after a save --
    def _settle(self, ticket: int) -> None:
        """After create/write (answered before ``ticket`` was taken): what we sent
        is what the server holds now. Called under ``cache.lock``."""
        state = self._state
        dirty = state.dirty or {}
        written: dict[str, Any] = {}
        for name, value in dirty.items():
            field = self._meta.fields[name]
            if field.kind == KIND_MANY2ONE and isinstance(value, RecordIO):
                name_known = value._state.raw.get("display_name")
                raw: Any = [value._state.id, name_known] if name_known else value._state.id
            else:
                raw = field.to_wire(value)
            written[field.source] = raw
        state.settle(written, state.cache.stamp(ticket), ticket)
        if dirty:
            state.invalidate(["display_name"], ticket)
        state.dirty = None
        for related in (state.x2m or {}).values():
            if related._pending():
                related._flushed(ticket)

    def _set_aside(self, exc: Exception) -> None:
        """A save of this (identity-mapped, shared) record failed: its changes move
        to ``rejected_changes``, where no other save sends them, and ``exc`` says so.

        Other code gets this same object from every query; leaving the changes
        pending would make its next save() send them again. They are not dropped
        either: ``restore_changes()`` puts them back for the code that made them.
        """
        state = self._state
        moved = state.set_aside()
        if not moved:
            return
        names = ", ".join(moved)
        if isinstance(exc, AmbiguousResultError):
            # the server may hold them: what it holds is reloaded on next access
            sources = [self._meta.fields[n].source for n in moved]
            cache = state.cache
            with cache.lock:
                state.invalidate([*sources, "display_name"], cache.ticket())
            outcome = "may or may not have been saved (check before retrying)"
        else:
            outcome = "were not saved"
        note = (
            f"{self!r}: the changes to {names} {outcome}. They are set aside "
            f"(record.rejected_changes) and no later save() sends them: "
            f"record.restore_changes() puts them back to fix and save again, "
            f"record.discard_changes() drops them."
        )
        try:
            exc.rejected = dict(moved)  # type: ignore[attr-defined]
            exc.record = self  # type: ignore[attr-defined]
        except AttributeError:  # pragma: no cover - an exception type with __slots__
            pass
        if hasattr(exc, "add_note"):  # Python 3.11+: shown with the traceback
            exc.add_note(note)
        else:  # pragma: no cover - Python 3.10
            exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]

    def _mark_missing(self) -> None:
        state = self._state
        state.deleted = True
        state.invalidate()  # nothing cached may be served for it any more

    def _fully_loaded(self) -> bool:
        state = self._state
        if state.deleted or state.dirty:
            return False
        return not any(state.needs(s) for s in self._meta.read_fields())

    @classmethod
    def _live_records(cls, conn: Connection, ids: Iterable[int]) -> list[RecordIO]:
        ids = list(ids)
        out: list[RecordIO] = []
        for klass in _classes_of(cls._meta.odoo_model):
            out.extend(conn.cache.live_in(klass._namespace(conn), ids))
        return out

    @classmethod
    def _invalidate_ids(
        cls, conn: Connection, ids: Iterable[int], sources: Iterable[str] | None = None
    ) -> None:
        """Make cached values of ``ids`` stale (every class of the model): after a
        change on the server (``QuerySet.update``, a method call), they reload on
        next access, and rows requested before it are not applied to them."""
        srcs = None if sources is None else list(sources)
        cache = conn.cache
        with cache.lock:
            ticket = cache.ticket()  # the change has completed: see RecordState
            for rec in cls._live_records(conn, list(ids)):
                rec._state.invalidate(srcs, ticket)

    @classmethod
    def _after_write(
        cls, conn: Connection, ids: Iterable[int], values: Mapping[str, Any] | None
    ) -> None:
        """Invalidate what a write of ``values`` (Python or Odoo names) on ``ids`` touched."""
        if values is None:
            cls._invalidate_ids(conn, ids)
            return
        sources = [cls._meta.get_field(n).source for n in values]
        cls._invalidate_ids(conn, ids, [*sources, "display_name"])

    @classmethod
    def _forget(cls, conn: Connection, ids: Iterable[int]) -> None:
        """After an unlink: the records are gone (every class of the model)."""
        ids = list(ids)
        cache = conn.cache
        with cache.lock:
            ticket = cache.ticket()  # rows requested before the unlink are not applied
            for rec in cls._live_records(conn, ids):
                state = rec._state
                state.deleted = True
                state.invalidate(None, ticket)
        for klass in _classes_of(cls._meta.odoo_model):
            for ident in ids:
                conn.cache.discard(klass._key(conn, ident))

    @classmethod
    def _prefetch_paths(cls, records: Sequence[RecordIO], paths: Iterable[str]) -> int:
        """Hook of ``QuerySet.prefetch()``: the query layer hands records up to
        :func:`prefetch` through the model class instead of importing models."""
        return prefetch_paths(list(records), list(paths))


def _classes_of(odoo_model: str) -> list[type[RecordIO]]:
    """Every live class mapping ``odoo_model`` (the registry holds model classes)."""
    return cast("list[type[RecordIO]]", registry.classes_of(odoo_model))
