"""Declarative models: ``class Partner(odoorm.Model)``, records, save and delete.

A model class declares typed fields (:mod:`odoorm.fields`) for one Odoo model.
Its records are identity-mapped per connection (one live object per record),
load lazily by prefetch group (:mod:`odoorm.models.prefetching`) and send their changes
back in one call.

This module is the public face; the work is split by concern:
:mod:`odoorm.models.meta` (``_meta``, the metaclass, the schema check) and
:mod:`odoorm.models.records` (identity map, row loading, invalidation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from odoorm._values import is_missing, plain
from odoorm.exceptions import (
    FieldError,
    MissingError,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    OdoormError,
    ReadonlyError,
)
from odoorm.fields import (
    Boolean,
    Field,
    Many2one,
    registry,
)
from odoorm.fields.base import KIND_MANY2ONE, KIND_REFERENCE, KIND_X2MANY
from odoorm.models import values as record_values
from odoorm.models.manager import Manager
from odoorm.models.meta import ModelBase, ModelMeta, check_schema, resolve_connection
from odoorm.models.pickling import (
    DetachedConnection,
    copy_record,
    record_getstate,
    record_setstate,
    reduce_record,
)
from odoorm.models.prefetching import (
    PrefetchGroup,
    ensure_field,
    group_of,
    load_group,
    target_of,
)
from odoorm.models.records import RecordIO
from odoorm.models.related import RelatedSet
from odoorm.models.state import RecordState
from odoorm.query.extensions import extension

if TYPE_CHECKING:
    from odoorm.session.connection import Connection


__all__ = ["Model"]

M = TypeVar("M", bound="Model")
_T = TypeVar("_T", bound="Model")
_MISS: Any = object()
_NEW = "new"
_NOTHING: Mapping[str, Any] = MappingProxyType({})  # the lazily created state, when absent


# -- the model --------------------------------------------------------------------------


class Model(RecordIO, metaclass=ModelBase):
    """Base class of every model: declare ``_name`` and fields.

    ::

        class Partner(odoorm.Model):
            _name = "res.partner"
            name = fields.Char(required=True)
            country = fields.Many2one("res.country", source="country_id")
    """

    # the record's state is RecordIO's one slot; subclasses keep a __dict__ for user attributes
    __slots__ = ()

    _name: ClassVar[str] = ""
    _meta: ClassVar[ModelMeta]
    objects: ClassVar[Manager[Any]] = Manager()
    DoesNotExist: ClassVar[type[ObjectDoesNotExist]]
    MultipleObjectsReturned: ClassVar[type[MultipleObjectsReturned]]

    def __init__(self, **values: Any) -> None:
        meta = type(self)._meta
        if meta.abstract:
            raise TypeError(f"{type(self).__name__} is abstract (no _name): declare _name first")
        self._state = RecordState(None, None, None, {}, {})
        for field in meta.fields.values():
            if field.has_default and field.name not in values and field.source not in values:
                setattr(self, field.name, field.get_default())
        for name, value in values.items():
            field = meta.get_field(name)
            if not meta.is_declared(field):
                raise ReadonlyError(
                    f"{type(self).__name__}.{name} is set by the server; it cannot be given "
                    f"to a new record"
                )
            setattr(self, field.name, value)

    # -- identity --
    @property
    def id(self) -> int | None:
        """The database id (None until saved)."""
        return self._state.id

    @id.setter
    def id(self, value: object) -> None:
        self._refuse_id(value)

    @property
    def pk(self) -> int | None:
        return self._state.id

    @pk.setter
    def pk(self, value: object) -> None:
        self._refuse_id(value)

    def _refuse_id(self, value: object) -> None:
        name = type(self).__name__
        raise ReadonlyError(
            f"{name}.id is given by the server and cannot be set: to work on record "
            f"{value!r} use {name}.objects.get(id={value!r}); to copy this one, "
            f"{name}.objects.create(...) or record.call('copy')"
        )

    def _mark_created(self, conn: Connection, ident: int) -> None:
        """``bulk_create``: this new record is now ``ident`` on ``conn``; what was
        sent is what the server holds."""
        self._claim(conn, ident)
        with conn.cache.lock:
            self._settle(conn.cache.ticket())

    def _claim(self, conn: Connection, ident: int) -> None:
        """This new record is now ``ident`` on ``conn``: make it the live object of the id.

        Another object can already be live for a fresh id: something loaded the record
        while the create was in flight (real Odoo POSTs its webhooks from inside the
        ``create`` call, before it answers; another thread's query). The created object,
        the one the caller holds, takes the id's place in the identity map; the other
        stays usable, it is just no longer what ``get()`` returns.
        """
        self._state.bind(conn, ident)
        key = self._key(conn, ident)
        cache = conn.cache
        with cache.lock:
            if cache.add(key, self) is not self:
                cache.discard(key)
                cache.add(key, self)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Model):
            return False
        mine, theirs = self._state, other._state
        if mine.id is None or theirs.id is None:
            return False
        return (
            self._meta.odoo_model == other._meta.odoo_model
            and mine.id == theirs.id
            and mine.conn.identity_token == theirs.conn.identity_token
        )

    def __hash__(self) -> int:
        state = self._state
        pin = state.hash_pin
        if pin is not None:
            return pin
        if state.id is None:
            # a new record hashes by identity, and keeps that hash once saved: a set or
            # dict holding it before save() still finds it afterwards
            pin = state.hash_pin = object.__hash__(self)
            return pin
        return hash((self._meta.odoo_model, state.id, state.conn.identity_token))

    def __repr__(self) -> str:
        state = self._state
        ident = state.id
        where = _NEW if ident is None else ident
        text = f"<{type(self).__name__} {self._meta.odoo_model}({where})"
        if ident is not None:  # a new record is all changes: nothing worth listing
            changed = state.changed_fields() if state.dirty or state.x2m else None
            if changed:
                text += f" changed: {', '.join(changed)}"
            if state.rejected:
                text += f"{';' if changed else ''} rejected: {', '.join(state.rejected)}"
            if isinstance(state.conn, DetachedConnection):
                text += " detached"
        return text + ">"

    # -- pickling and copying: a copy is detached (odoorm.models.pickling) --
    __reduce_ex__ = reduce_record
    __getstate__ = record_getstate
    __setstate__ = record_setstate
    __copy__ = copy_record

    def _repr_html_(self) -> str:
        """Jupyter shows the record as a field/value table (see
        :func:`odoorm.report.record_html`, registered in :mod:`odoorm.query.extensions`:
        the report layer sits above this one)."""
        return str(extension("record_html")(self))

    def __odoo_domain_value__(self) -> int:
        if self._state.id is None:
            raise FieldError(f"{self!r} is not saved yet: it cannot be used in a filter")
        return self._state.id

    # -- field access (called by the field descriptors) --
    def _field_get(self, field: Field[Any]) -> Any:
        """The slow path of ``Field.__get__``: unsaved or changed values, relations,
        loading, and the first conversion of a value (cached in ``state.py``)."""
        state = self._state
        dirty = state.dirty
        if dirty and field.name in dirty:
            value = dirty[field.name]
            if isinstance(field, Many2one) and isinstance(value, int):
                conn = state.conn if state.id is not None else resolve_connection(state.conn)
                return field.comodel._get_or_create(conn, value)
            if field.kind == KIND_REFERENCE and isinstance(value, tuple):
                # assigned as 'model,id' / (model, id): read back as a record, like a loaded one
                conn = state.conn if state.id is not None else resolve_connection(state.conn)
                comodel: Any = type(self)._resolve_comodel(value[0])
                return comodel._get_or_create(conn, value[1])
            return value
        kind = field.kind
        if kind == KIND_X2MANY:
            return self._related(field)
        if state.id is None:
            return False if isinstance(field, Boolean) else None
        if state.deleted:
            raise MissingError(f"{self!r} was deleted", model=self._meta.odoo_model)
        source = field.source
        if state.needs(source):
            ensure_field(self, field)
            if state.deleted:
                raise MissingError(
                    f"{self!r} does not exist on the server (deleted?)",
                    model=self._meta.odoo_model,
                )
        py = state.py
        if py is None:
            py = state.py = {}
        value = py.get(source, _MISS)
        if value is not _MISS:
            return value
        raw = state.raw.get(source, False)
        if kind == KIND_MANY2ONE:
            if not raw:
                value = None
            else:
                ident = raw[0] if isinstance(raw, (list, tuple)) else raw
                value = target_of(self, field, ident)
        else:
            value = field.to_python(raw, state.conn)
            if kind == KIND_REFERENCE and value is not None:
                model_name, ident = value
                target: Any = type(self)._resolve_comodel(model_name)
                value = target._get_or_create(state.conn, ident)
        py[source] = value
        return value

    def _related(self, field: Field[Any]) -> RelatedSet[Any]:
        state = self._state
        x2m = state.x2m
        if x2m is None:
            x2m = state.x2m = {}
        related = x2m.get(field.name)
        if related is None:
            related = x2m[field.name] = RelatedSet(self, field)
        return related

    @classmethod
    def _check_assignable(cls, field: Field[Any]) -> None:
        if field.readonly:
            raise ReadonlyError(
                f"{cls.__name__}.{field.name} is readonly: it cannot be assigned "
                f"(the server computes or protects it)"
            )

    def _check_writable(self, field: Field[Any]) -> None:
        self._check_assignable(field)
        state = self._state
        if state.deleted:
            raise MissingError(f"{self!r} was deleted", model=self._meta.odoo_model)
        if state.parent_created is not None:
            raise OdoormError(
                f"{self!r} was created through {state.parent_created!r}; load it again "
                f"(e.g. through the parent's relation) to change it"
            )

    def _field_set(self, field: Field[Any], value: Any) -> None:
        self._check_writable(field)
        if field.type in ("one2many", "many2many"):
            self._related(field)._assign(value)
            return
        if isinstance(field, Many2one):
            value = self._check_many2one(field, value)
        else:
            value = field.validate(value)
        state = self._state
        if state.rejected:  # a new value replaces the one a failed save set aside
            state.rejected.pop(field.name, None)
            if not state.rejected:
                state.rejected = None
        if state.id is not None and not state.needs(field.source):
            current = (state.py or _NOTHING).get(field.source, _MISS)
            if current is _MISS and not isinstance(field, Many2one):
                current = field.to_python(state.raw.get(field.source, False), state.conn)
            if current is not _MISS and current == value and type(current) is type(value):
                if state.dirty:
                    state.dirty.pop(field.name, None)
                return
        if state.dirty is None:
            state.dirty = {}
        state.dirty[field.name] = value

    def _check_many2one(self, field: Many2one[Any], value: Any) -> Any:
        if value is None or value is False or is_missing(value):
            return None
        value = plain(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if value <= 0:
                raise FieldError(
                    f"{type(self).__name__}.{field.name}: {value} is not a record id (Odoo "
                    f"ids are positive); give a {field.comodel_name} record, its id, or None"
                )
            return value
        if isinstance(value, Model):
            expected = field.comodel_name
            if value._meta.odoo_model != expected:
                raise FieldError(
                    f"{type(self).__name__}.{field.name} takes a {expected} record, "
                    f"an id or None, got {value!r}"
                )
            return value
        raise FieldError(
            f"{type(self).__name__}.{field.name} takes a {field.comodel_name} record, "
            f"an id or None, got {type(value).__name__} {value!r}"
        )

    @property
    def display_name(self) -> str | None:
        """The server's display name (free when the record came from a many2one)."""
        state = self._state
        if state.id is None:
            return None
        if state.needs("display_name"):
            load_group(group_of(self).records, ["display_name"], reason="display_name")
        return state.raw.get("display_name") or None

    def _set_display_name(self, name: Any, ticket: int | None = None) -> None:
        """Keep the name a many2one pair brought, read by a request that took
        ``ticket`` (None: unknown), unless the record changed since."""
        state = self._state
        if (
            name is not False
            and state.needs("display_name")
            and not state.written_after("display_name", ticket)
        ):
            state.raw["display_name"] = name
            state.own_stamps()["display_name"] = state.cache.stamp(ticket)

    # -- saving --
    @classmethod
    def _vals_to_wire(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        """Python values by field name -> ``create``/``write`` values."""
        return record_values.to_wire(cls, values)

    def _create_vals(self, skip: str | None = None) -> dict[str, Any]:
        """Values of a new record for ``create`` (x2many as nested commands)."""
        return record_values.create_vals(self, skip)

    def _write_vals(self) -> dict[str, Any]:
        return record_values.write_vals(self)

    def _check_selections(self, conn: Connection) -> None:
        record_values.check_selections(self, conn)

    def _save_connection(self, using: Connection | None) -> Connection:
        if using is not None:
            return using
        state = self._state
        if state.id is not None:
            return state.conn
        for value in (state.dirty or _NOTHING).values():
            if isinstance(value, Model) and value._state.id is not None:
                return value._state.conn
        for related in (state.x2m or _NOTHING).values():
            for _code, _ident, payload in related._ops:
                if isinstance(payload, Model) and payload._state.id is not None:
                    return payload._state.conn
        return resolve_connection(self._meta.bound_conn)

    def save(
        self: _T, using: Connection | None = None, update_fields: Iterable[str] | None = None
    ) -> _T:
        """Create the record (when new) or write its changes: ONE call either way.

        A new record is one ``create`` (its new x2many children as ``(0, 0, vals)``
        commands); a saved one is one ``write`` of the changed fields plus the
        queued x2many commands (no call when nothing changed). Returns self.

        ``update_fields=["email", ...]`` (a saved record only, as in Django) writes
        just those fields' changes; the other changes stay unsaved.
        """
        if update_fields is not None:
            return self._save_only(list(update_fields), using)
        state = self._state
        if state.parent_created is not None:
            raise OdoormError(
                f"{self!r} was already created through {state.parent_created!r}; saving it "
                f"again would create a duplicate"
            )
        if state.deleted:
            raise MissingError(f"{self!r} was deleted", model=self._meta.odoo_model)
        conn = self._save_connection(using)
        odoo_model = self._meta.odoo_model
        if state.id is None:
            vals = self._create_vals()
            self._check_selections(conn)
            result = conn.rpc(odoo_model, "create", vals_list=[vals])
            ident = result[0] if isinstance(result, list) else result
            new_id = int(ident)
            self._claim(conn, new_id)
            state.group = PrefetchGroup([self])
            with conn.cache.lock:
                self._settle(conn.cache.ticket())
            return self
        try:
            vals = self._write_vals()
            if not vals:
                return self
            self._check_selections(conn)
            conn.rpc(odoo_model, "write", [state.id], vals=vals)
        except Exception as exc:
            if not isinstance(conn, DetachedConnection):  # a private copy: nobody else sees it
                self._set_aside(exc)
            raise
        cache = conn.cache
        with cache.lock:  # the record's lock: no row is applied meanwhile
            # taken after the write's answer: rows requested before it may hold
            # the old values, and are not applied over the new ones (RecordState)
            ticket = cache.ticket()
            # other classes mapping the same record: their values are stale now
            sources = list(vals)
            for rec in self._live_records(conn, [state.id]):
                if rec is not self:
                    rec._state.invalidate(sources, ticket)
            self._settle(ticket)
        return self

    def _save_only(self: _T, names: list[str], using: Connection | None) -> _T:
        """``save(update_fields=...)``: hide the other changes while saving."""
        state = self._state
        if state.id is None:
            raise OdoormError(
                f"{self!r} is not saved yet: save(update_fields=...) updates a saved record; "
                f"call save() to create it"
            )
        wanted = {self._meta.get_field(n).name for n in names}  # FieldError when unknown
        if not wanted:
            return self  # Django: an empty update_fields saves nothing
        dirty, x2m = state.dirty or {}, state.x2m or {}
        held_dirty = {n: v for n, v in dirty.items() if n not in wanted}
        held_x2m = {n: r for n, r in x2m.items() if n not in wanted}
        state.dirty = {n: v for n, v in dirty.items() if n in wanted} or None
        state.x2m = {n: r for n, r in x2m.items() if n in wanted} or None
        try:
            self.save(using)
        finally:
            if held_dirty:
                state.dirty = {**(state.dirty or {}), **held_dirty}
            if held_x2m:
                state.x2m = {**(state.x2m or {}), **held_x2m}
        return self

    @property
    def rejected_changes(self) -> Mapping[str, Any]:
        """The changes a failed ``save()`` set aside, by field name (an x2many's
        as its queued ``(command, id, value)`` entries); empty when none."""
        return MappingProxyType(dict(self._state.rejected or {}))

    def restore_changes(self: _T) -> _T:
        """Put the changes a failed ``save()`` set aside back as unsaved changes
        (fields assigned since keep their new value), to fix them and save again.
        Returns self."""
        self._state.restore()
        return self

    def discard_changes(self: _T) -> _T:
        """Drop this record's unsaved changes and those a failed ``save()`` set
        aside (no call): reads show the loaded values again. Returns self."""
        self._state.discard_changes()
        return self

    def _created_through(self, parent: Model) -> None:
        self._state.parent_created = parent

    def delete(self) -> None:
        """Delete the record on the server (one ``unlink``)."""
        state = self._state
        if state.id is None:
            raise OdoormError(f"{self!r} is not saved: there is nothing to delete")
        state.conn.rpc(self._meta.odoo_model, "unlink", [state.id])
        self._forget(state.conn, [state.id])

    def refresh(self: _T) -> _T:
        """Reload this record's fields from the server (one ``read``); drops
        unsaved changes. Returns self."""
        state = self._state
        if state.id is None:
            raise OdoormError(f"{self!r} is not saved: there is nothing to refresh")
        conn = state.conn
        sources = list(dict.fromkeys([*self._meta.read_fields(), *state.raw]))
        ticket = conn.cache.ticket()  # before the read: see RecordState.apply
        rows = conn.rpc(self._meta.odoo_model, "read", [state.id], fields=sources)
        if not rows:
            self._forget(conn, [state.id])
            raise MissingError(f"{self!r} does not exist any more", model=self._meta.odoo_model)
        state.dirty = None
        state.x2m = None
        state.rejected = None
        state.invalidate()
        self._apply(rows[0], conn.cache.stamp(ticket), ticket)
        return self

    def refresh_from_db(self: _T, using: Connection | None = None, fields: Any = None) -> _T:
        """Django's name for :meth:`refresh` (one ``read``; unsaved changes dropped).
        ``using`` and ``fields`` are accepted for Django code; every loaded field
        is reloaded."""
        return self.refresh()

    def __str__(self) -> str:
        """The display name, as Odoo shows the record (free when it came with a
        many2one; else one ``read`` for the record's prefetch group)."""
        if self._state.id is None:
            return f"{type(self).__name__} (new)"
        try:
            name = self.display_name
        except OdoormError:
            name = None
        return name if name else f"{type(self).__name__} ({self._state.id})"

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call a public model method on this record (``order.call("action_confirm")``).

        The record's cached values are considered stale afterwards.
        """
        ident = self._state.id
        if ident is None:
            raise OdoormError(f"{self!r} is not saved: save() it before calling {method}")
        conn = self._state.conn
        if args:
            result = conn.execute(self._meta.odoo_model, method, [ident], *args, **kwargs)
        else:
            result = conn.rpc(self._meta.odoo_model, method, [ident], **kwargs)
        self._invalidate_ids(conn, [ident])
        return result

    def to_dict(self) -> dict[str, Any]:
        """``{"id": ..., field: value}`` with many2one as ids, references as
        ``"model,id"`` and x2many as id lists (binaries only when loaded).

        The fields not loaded yet are read in one call for the record's whole
        prefetch group (one per 2,000 records), not one call per field.
        """
        return record_values.plain_dict(self)

    # -- schema --
    @classmethod
    def check_schema(cls, conn: Connection | None = None) -> None:
        """Compare the declared fields with the server's; SchemaError lists every mismatch
        (missing fields with the closest name, wrong types, wrong relation targets)."""
        check_schema(cls, resolve_connection(conn or cls._meta.bound_conn))

    @classmethod
    def _ensure_schema(cls, conn: Connection) -> None:
        """Run check_schema once per (class, connection), unless the connection opts out."""
        meta = cls._meta
        if meta.dynamic:
            meta.ensure_fields(conn)
            return
        if not conn.check_schema:
            return
        checked = conn.cache.memo.setdefault("schema_checked", set())
        if cls in checked:
            return
        cls.check_schema(conn)
        checked.add(cls)

    @classmethod
    def _resolve_comodel(cls, ref: Any) -> type:
        bound = cls._meta.bound_conn
        if bound is not None and isinstance(ref, str) and ref != cls._meta.odoo_model:
            return bound.env[ref]  # the connection's class (odoorm.models.dynamic)
        return registry.resolve(ref, cls)
