"""Declarative models: ``class Partner(odoorm.Model)``, records, save and delete.

A model class declares typed fields (:mod:`odoorm.fields`) for one Odoo model.
Its records are identity-mapped per connection (one live object per record),
load lazily by prefetch group (:mod:`odoorm.relations`) and send their changes
back in one call.
"""

from __future__ import annotations

import difflib
import keyword
import re
import sys
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast, overload

from odoorm.exceptions import (
    FieldError,
    MissingError,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    OdoormError,
    ReadonlyError,
)
from odoorm.fields import (
    KIND_MANY2ONE,
    KIND_REFERENCE,
    KIND_X2MANY,
    Boolean,
    Char,
    Datetime,
    Field,
    Many2many,
    Many2one,
    One2many,
    Reference,
    Selection,
    field_from_description,
    registry,
)
from odoorm.relations import (
    PrefetchGroup,
    RelatedSet,
    ensure_field,
    needs,
    prefetch_paths,
    target_of,
)
from odoorm.session import get_default_connection, set_env_factory

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform

    from odoorm.query import QuerySet
    from odoorm.session import Connection
elif sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda cls: cls


__all__ = [
    "Manager",
    "Model",
    "ModelBase",
    "ModelMeta",
    "SchemaError",
    "env_class",
    "prefetch",
    "resolve_connection",
]

M = TypeVar("M", bound="Model")
_T = TypeVar("_T", bound="Model")
_MISS: Any = object()
_NEW = "new"


class SchemaError(FieldError):
    """Declared fields do not match the server's (``Model.check_schema``)."""


def resolve_connection(explicit: Connection | None = None) -> Connection:
    """``explicit`` when given, else the default connection (ConfigurationError if none)."""
    return explicit if explicit is not None else get_default_connection()


def prefetch(records: Sequence[Any], paths: Iterable[str]) -> int:
    """Load relation ``paths`` for ``records`` in the fewest calls; returns the call count.

    ``prefetch(partners, ["country", "tags", "children__country"])`` reads each
    level once per model (chunked), whatever the number of records. Allowed on
    ``lazy="raise"`` connections: this is an explicit load.
    """
    if isinstance(paths, str):
        paths = [paths]
    return prefetch_paths(list(records), paths)


# every model class (declared, dynamic, env) per Odoo model: for invalidation
_classes_lock = threading.Lock()
_all_classes: dict[str, weakref.WeakSet[type]] = {}


def _classes_of(odoo_model: str) -> list[type[Model]]:
    with _classes_lock:
        return list(_all_classes.get(odoo_model, ()))


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


# -- metadata ---------------------------------------------------------------------


class ModelMeta:
    """``Model._meta``: the Odoo model name and the fields (implements domain.ModelInfo)."""

    def __init__(
        self,
        model: type[Model],
        odoo_model: str,
        fields: dict[str, Field[Any]],
        *,
        dynamic: bool = False,
        bound_conn: Connection | None = None,
    ):
        self.model = model
        self.odoo_model = odoo_model
        self.fields = fields
        self.dynamic = dynamic
        self.bound_conn = bound_conn
        self._populated: set[int] = set()
        self._lock = threading.RLock()
        self._magic: dict[str, Field[Any]] = {}
        self._reindex()

    def _reindex(self) -> None:
        self.by_source = {f.source: f for f in self.fields.values()}
        #: Odoo names of relational fields: the only values web_read may nest
        self.relational_sources = frozenset(
            f.source for f in self.fields.values() if f.relational and f.type != "reference"
        )
        self._read_fields: list[str] | None = None

    @property
    def abstract(self) -> bool:
        return not self.odoo_model

    def get_field(self, name: str) -> Field[Any]:
        """The field named ``name`` (Python or Odoo name); FieldError with a suggestion."""
        found = self.get_field_info(name)
        if found is None:
            names = list(self.field_names())
            candidates = [*names, *self.by_source, *_MAGIC]
            close = difflib.get_close_matches(name, candidates, n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise FieldError(
                f"{self.model.__name__} ({self.odoo_model}) has no field {name!r}{hint} "
                f"Known fields: {', '.join(names) or 'none'}"
            )
        return found

    def get_field_info(self, name: str) -> Field[Any] | None:
        if self.dynamic and not self._populated:
            try:
                self.ensure_fields(resolve_connection(self.bound_conn))
            except OdoormError:
                return None
        return self.fields.get(name) or self.by_source.get(name) or self.magic_field(name)

    def field_names(self) -> Iterable[str]:
        return list(self.fields)

    def magic_field(self, name: str) -> Field[Any] | None:
        """A field every Odoo model has (``create_date``, ``write_date``,
        ``create_uid``, ``write_uid``, ``display_name``) that the class does not
        declare: usable in filters, ``order_by()`` and ``values()``, never as a
        record attribute (declare it to read it from records)."""
        factory = _MAGIC.get(name)
        if factory is None:
            return None
        with self._lock:
            field = self._magic.get(name)
            if field is None:
                field = factory()
                field.__set_name__(self.model, name)  # bound to the class, not installed
                field.store = name != "display_name"
                self._magic[name] = field
            return field

    def is_declared(self, field: Field[Any]) -> bool:
        """True for the class's own fields (not the magic ones)."""
        return self.fields.get(field.name) is field

    def read_fields(self) -> list[str]:
        """Odoo names read by a normal load: declared fields except binaries
        (and, for dynamic classes, stored scalar and many2one fields only)."""
        if self._read_fields is None:
            skip = {"binary"}
            if self.dynamic:
                skip |= {"one2many", "many2many", "properties", "html", "json", "reference"}
            self._read_fields = [
                f.source
                for f in self.fields.values()
                if f.type not in skip and (f.store or not self.dynamic)
            ]
        return list(self._read_fields)

    def ensure_fields(self, conn: Connection) -> None:
        """Dynamic classes: add the fields ``conn.fields_get`` describes (once per connection)."""
        if not self.dynamic or id(conn.cache) in self._populated:
            return
        description = conn.fields_get(self.odoo_model)
        with self._lock:
            for fname, desc in description.items():
                if fname in self.fields or not _usable_name(fname):
                    continue
                field = field_from_description(desc)
                setattr(self.model, fname, field)
                field.__set_name__(self.model, fname)
                self.fields[fname] = field
            self._populated.add(id(conn.cache))
            self._reindex()

    def __repr__(self) -> str:
        return f"<ModelMeta {self.model.__name__} {self.odoo_model!r} fields={list(self.fields)}>"


_RESERVED = {"id", "display_name", "objects", "pk"}

#: Odoo's automatic fields (``id`` is handled everywhere on its own)
_MAGIC: dict[str, Callable[[], Field[Any]]] = {
    "create_date": lambda: Datetime(readonly=True),
    "write_date": lambda: Datetime(readonly=True),
    "create_uid": lambda: Many2one("res.users", readonly=True),
    "write_uid": lambda: Many2one("res.users", readonly=True),
    "display_name": lambda: Char(readonly=True),
}


def _usable_name(name: str) -> bool:
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
        and name not in _RESERVED
        and not hasattr(Model, name)
    )


# -- manager ----------------------------------------------------------------------------


class Manager(Generic[M]):
    """``Model.objects``: the entry point of queries (``Partner.objects.filter(...)``).

    Every QuerySet method is available on it; ``get(id=N)`` is answered from
    the identity map without a call while the record is cached and fresh.
    """

    def __init__(self, model: type[M] | None = None):
        self.model = model

    @overload
    def __get__(self, instance: None, owner: type[_T]) -> Manager[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type[_T]) -> Manager[_T]: ...
    def __get__(self, instance: Any, owner: type[_T]) -> Manager[_T]:
        if instance is not None:
            raise AttributeError("Model.objects is reached through the class, not a record")
        if owner._meta.abstract:
            raise AttributeError(f"{owner.__name__} is abstract (no _name): it has no objects")
        return Manager(owner)

    def get_queryset(self) -> QuerySet:
        """A new QuerySet over every record of the model."""
        from odoorm.query import QuerySet  # query sits below models: plain import is fine

        model = cast("type[M]", self.model)
        return QuerySet(model, model._meta.bound_conn)

    def all(self) -> QuerySet:
        return self.get_queryset()

    def get(self, *args: Any, **kwargs: Any) -> M:
        """The single matching record (``Model.DoesNotExist`` / ``MultipleObjectsReturned``);
        ``get(id=N)`` costs no call while record N is cached (see ``QuerySet.get``)."""
        return cast(M, self.get_queryset().get(*args, **kwargs))

    def browse(self, ids: Iterable[int] | int, using: Connection | None = None) -> list[M]:
        """Records for known ids without any call (they load lazily, as one group)."""
        model = cast("type[M]", self.model)
        conn = resolve_connection(using or model._meta.bound_conn)
        id_list = [ids] if isinstance(ids, int) else list(ids)
        records = [cast(M, model._get_or_create(conn, i)) for i in id_list]
        PrefetchGroup(records).adopt()
        return records

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.get_queryset(), name)

    def __iter__(self) -> Any:
        return iter(self.get_queryset())

    def __repr__(self) -> str:
        return f"<Manager of {self.model.__name__ if self.model else '?'}>"


# -- the metaclass ---------------------------------------------------------------------


@dataclass_transform(
    kw_only_default=True,
    field_specifiers=(Field, Many2one, One2many, Many2many),
)
class ModelBase(type):
    """Collects declared fields (inherited ones first) and registers the class."""

    _meta: ModelMeta

    def __new__(
        mcls,
        name: str,
        bases: tuple[type, ...],
        namespace: dict[str, Any],
        *,
        dynamic: bool = False,
        bound_conn: Connection | None = None,
    ) -> ModelBase:
        cls = super().__new__(mcls, name, bases, namespace)
        fields: dict[str, Field[Any]] = {}
        for base in reversed(cls.__mro__[1:]):
            meta = base.__dict__.get("_meta")
            if isinstance(meta, ModelMeta):
                fields.update(meta.fields)
        for attr, value in namespace.items():
            if isinstance(value, Field):
                if attr in _RESERVED or attr.startswith("_") or _clashes(bases, attr):
                    raise FieldError(
                        f"{name}.{attr}: this name is taken by the Model API; declare it "
                        f"under another name with source={attr!r}"
                    )
                fields[attr] = value
        odoo_model = namespace.get("_name") or next(
            (b._meta.odoo_model for b in bases if isinstance(b, ModelBase)), ""
        )
        if odoo_model and not isinstance(odoo_model, str):
            raise FieldError(f"{name}._name must be an Odoo model name such as 'res.partner'")
        cls._meta = ModelMeta(
            cast("type[Model]", cls), odoo_model, fields, dynamic=dynamic, bound_conn=bound_conn
        )
        for exc_name, exc_base in (
            ("DoesNotExist", ObjectDoesNotExist),
            ("MultipleObjectsReturned", MultipleObjectsReturned),
        ):
            parents = tuple(
                b.__dict__[exc_name]
                for b in cls.__mro__[1:]
                if isinstance(b, ModelBase) and exc_name in b.__dict__
            )[:1] or (exc_base,)
            exc = type(exc_name, parents, {"__module__": cls.__module__})
            exc.__qualname__ = f"{cls.__qualname__}.{exc_name}"
            setattr(cls, exc_name, exc)
        if odoo_model:
            with _classes_lock:
                _all_classes.setdefault(odoo_model, weakref.WeakSet()).add(cls)
            if not dynamic:
                registry.register(cls, odoo_model)
        return cls


def _clashes(bases: tuple[type, ...], attr: str) -> bool:
    for base in bases:
        value = getattr(base, attr, None)
        if value is not None and not isinstance(value, Field):
            return True
    return False


# -- the model --------------------------------------------------------------------------


class Model(metaclass=ModelBase):
    """Base class of every model: declare ``_name`` and fields.

    ::

        class Partner(odoorm.Model):
            _name = "res.partner"
            name = fields.Char(required=True)
            country = fields.Many2one("res.country", source="country_id")
    """

    # record state (see _init_state); subclasses keep a __dict__ for user attributes
    __slots__ = (
        "__weakref__",
        "_cache",
        "_conn",
        "_deleted",
        "_dirty",
        "_group",
        "_id",
        "_parent_created",
        "_py",
        "_raw",
        "_stamps",
        "_x2m",
    )

    _name: ClassVar[str] = ""
    _meta: ClassVar[ModelMeta]
    objects: ClassVar[Manager[Any]] = Manager()
    DoesNotExist: ClassVar[type[ObjectDoesNotExist]]
    MultipleObjectsReturned: ClassVar[type[MultipleObjectsReturned]]

    def __init__(self, **values: Any) -> None:
        meta = type(self)._meta
        if meta.abstract:
            raise TypeError(f"{type(self).__name__} is abstract (no _name): declare _name first")
        self._init_state(cast("Connection", None), None)
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

    def _init_state(self, conn: Connection, ident: int | None) -> None:
        # instance state lives in __slots__ (declared on Model, not annotated on
        # the class: class-level annotations would become dataclass_transform
        # __init__ parameters); relations.py relies on these names
        self._conn = conn
        self._cache = conn.cache if conn is not None else None
        self._id = ident
        self._raw: dict[str, Any] = {}
        self._stamps: dict[str, Any] = {}
        self._py: dict[str, Any] = {}
        self._dirty: dict[str, Any] = {}
        self._x2m: dict[str, RelatedSet[Any]] = {}
        self._group: PrefetchGroup | None = None
        self._deleted = False
        self._parent_created: Model | None = None

    def _bind(self, conn: Connection, ident: int) -> None:
        """Attach a new record to the id the server gave it and to its connection."""
        self._conn = conn
        self._cache = conn.cache
        self._id = ident

    # -- identity --
    @property
    def id(self) -> int | None:
        """The database id (None until saved)."""
        return self._id

    @property
    def pk(self) -> int | None:
        return self._id

    @classmethod
    def _namespace(cls, conn: Connection) -> tuple[Any, ...]:
        """The identity-map namespace of this class's records on ``conn``."""
        return (cls._meta.odoo_model, conn.identity_token, cls)

    @classmethod
    def _key(cls, conn: Connection, ident: int) -> tuple[Any, int]:
        return (cls._namespace(conn), ident)

    @classmethod
    def _blank(cls, conn: Connection, ident: int) -> Model:
        rec = cls.__new__(cls)
        rec._init_state(conn, ident)
        return rec

    @classmethod
    def _get_or_create(cls, conn: Connection, ident: int) -> Model:
        """The live record for ``ident`` on ``conn`` (no call)."""
        meta = cls._meta
        if meta.dynamic:
            meta.ensure_fields(conn)
        rec, _ = conn.cache.get_or_create(cls._key(conn, ident), lambda: cls._blank(conn, ident))
        return rec

    @classmethod
    def _cached_record(cls, conn: Connection, ident: int) -> Model | None:
        """Hook of ``QuerySet.get(id=N)``: the live record ``ident`` on ``conn`` when
        every default field is loaded and fresh (and nothing is unsaved), else None."""
        rec = conn.cache.get(cls._key(conn, ident))
        if rec is not None and rec._fully_loaded():
            return cast(Model, rec)
        return None

    def _mark_created(self, conn: Connection, ident: int) -> None:
        """``bulk_create``: this new record is now ``ident`` on ``conn``; what was
        sent is what the server holds."""
        self._bind(conn, ident)
        live = conn.cache.add(self._key(conn, ident), self)
        if live is not self:  # pragma: no cover - a fresh id cannot be live already
            raise OdoormError(f"another object is already live for {self!r}")
        self._settle()

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Model) or self._id is None or other._id is None:
            return False
        return (
            self._meta.odoo_model == other._meta.odoo_model
            and self._id == other._id
            and self._conn.identity_token == other._conn.identity_token
        )

    def __hash__(self) -> int:
        if self._id is None:
            return object.__hash__(self)
        return hash((self._meta.odoo_model, self._id, self._conn.identity_token))

    def __repr__(self) -> str:
        ident = _NEW if self._id is None else self._id
        return f"<{type(self).__name__} {self._meta.odoo_model}({ident})>"

    def _repr_html_(self) -> str:
        """Jupyter shows the record as a field/value table (see
        :func:`odoorm.report.record_html`; the report layer sits above this one,
        so it is imported at call time)."""
        from odoorm import report

        return report.record_html(self)

    def __odoo_domain_value__(self) -> int:
        if self._id is None:
            raise FieldError(f"{self!r} is not saved yet: it cannot be used in a filter")
        return self._id

    # -- field access (called by the field descriptors) --
    def _field_get(self, field: Field[Any]) -> Any:
        """The slow path of ``Field.__get__``: unsaved or changed values, relations,
        loading, and the first conversion of a value (cached in ``_py``)."""
        dirty = self._dirty
        if dirty and field.name in dirty:
            value = dirty[field.name]
            if isinstance(field, Many2one) and isinstance(value, int):
                conn = self._conn if self._id is not None else resolve_connection(self._conn)
                return field.comodel._get_or_create(conn, value)
            return value
        kind = field.kind
        if kind == KIND_X2MANY:
            return self._related(field)
        if self._id is None:
            return False if isinstance(field, Boolean) else None
        if self._deleted:
            raise MissingError(f"{self!r} was deleted", model=self._meta.odoo_model)
        source = field.source
        if needs(self, source):
            ensure_field(self, field)
            if self._deleted:
                raise MissingError(
                    f"{self!r} does not exist on the server (deleted?)",
                    model=self._meta.odoo_model,
                )
        py = self._py
        value = py.get(source, _MISS)
        if value is not _MISS:
            return value
        raw = self._raw.get(source, False)
        if kind == KIND_MANY2ONE:
            if not raw:
                value = None
            else:
                ident = raw[0] if isinstance(raw, (list, tuple)) else raw
                value = target_of(self, field, ident)
        else:
            value = field.to_python(raw, self._conn)
            if kind == KIND_REFERENCE and value is not None:
                model_name, ident = value
                target: Any = type(self)._resolve_comodel(model_name)
                value = target._get_or_create(self._conn, ident)
        py[source] = value
        return value

    def _related(self, field: Field[Any]) -> RelatedSet[Any]:
        related = self._x2m.get(field.name)
        if related is None:
            related = self._x2m[field.name] = RelatedSet(self, field)
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
        if self._deleted:
            raise MissingError(f"{self!r} was deleted", model=self._meta.odoo_model)
        if self._parent_created is not None:
            raise OdoormError(
                f"{self!r} was created through {self._parent_created!r}; load it again "
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
        if self._id is not None and not needs(self, field.source):
            current = self._py.get(field.source, _MISS)
            if current is _MISS and not isinstance(field, Many2one):
                current = field.to_python(self._raw.get(field.source, False), self._conn)
            if current is not _MISS and current == value and type(current) is type(value):
                self._dirty.pop(field.name, None)
                return
        self._dirty[field.name] = value

    def _check_many2one(self, field: Many2one[Any], value: Any) -> Any:
        if value is None or value is False:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
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
        if self._id is None:
            return None
        if needs(self, "display_name"):
            from odoorm.relations import group_of, load_group

            load_group(group_of(self).records, ["display_name"], reason="display_name")
        return self._raw.get("display_name") or None

    def _set_display_name(self, name: Any) -> None:
        if name is not False and needs(self, "display_name"):
            self._raw["display_name"] = name
            self._stamps["display_name"] = self._cache.stamp()

    # -- loading (called by QuerySet and relations) --
    @classmethod
    def _from_rows(
        cls: type[M], conn: Connection, rows: list[dict[str, Any]], fields: Sequence[str]
    ) -> list[M]:
        """Records for ``search_read``/``read`` rows (Odoo names); one prefetch group."""
        group = PrefetchGroup()
        records = cls._apply_rows(conn, rows, fields, group)
        group.records = records
        return records

    @classmethod
    def _apply_rows(
        cls: type[M],
        conn: Connection,
        rows: Iterable[Mapping[str, Any]],
        fields: Sequence[str],
        group: PrefetchGroup | None = None,
    ) -> list[M]:
        """Build or update the live records of ``rows``; the hot path of every load.

        One lock acquisition and one identity-map namespace for the whole page;
        a new record takes a C-level copy of its row (no per-field Python loop);
        ``group``, when given, becomes the records' prefetch group.
        """
        meta = cls._meta
        if meta.dynamic:
            meta.ensure_fields(conn)
        rows = rows if isinstance(rows, list) else list(rows)
        if not rows:
            return []
        cache = conn.cache
        stamp = cache.stamp()
        nested = _nested_keys(rows, meta.relational_sources)
        new = cls.__new__

        def values(rec: Model, row: Mapping[str, Any]) -> dict[str, Any]:
            raw = dict(row)
            del raw["id"]
            for key in nested:
                value = raw.get(key)
                if isinstance(value, dict) or (
                    isinstance(value, list) and value and isinstance(value[0], dict)
                ):
                    raw[key] = rec._apply_nested(meta.by_source.get(key), value)
            return raw

        def create(i: int) -> Model:
            row = rows[i]
            rec = new(cls)
            rec._conn = conn
            rec._cache = cache
            rec._id = row["id"]
            raw = rec._raw = values(rec, row) if nested else dict(row)
            if not nested:
                del raw["id"]
            rec._stamps = dict.fromkeys(raw, stamp)
            rec._py = {}
            rec._dirty = {}
            rec._x2m = {}
            rec._group = group
            rec._deleted = False
            rec._parent_created = None
            return rec

        def update(rec: Model, i: int) -> None:
            rec._update(values(rec, rows[i]), stamp)
            if group is not None:
                rec._group = group

        idents = [row["id"] for row in rows]
        out = cache.get_or_create_many(cls._namespace(conn), idents, create, update)
        return cast("list[M]", out)

    def _update(self, raw: dict[str, Any], stamp: Any) -> None:
        """Take the freshly read values ``raw`` (Odoo names, no ``id``)."""
        self._deleted = False
        self._raw.update(raw)
        self._stamps.update(dict.fromkeys(raw, stamp))
        py = self._py
        if py:
            for key in raw:
                py.pop(key, None)

    def _apply(self, row: Mapping[str, Any], stamp: Any) -> None:
        """Take one ``read`` row (``refresh()``)."""
        meta = self._meta
        raw = dict(row)
        raw.pop("id", None)
        for key in [k for k in raw if k in meta.relational_sources]:
            value = raw[key]
            if isinstance(value, dict) or (
                isinstance(value, list) and value and isinstance(value[0], dict)
            ):
                raw[key] = self._apply_nested(meta.by_source.get(key), value)
        self._update(raw, stamp)

    def _apply_nested(self, field: Field[Any] | None, value: Any) -> Any:
        """web_read / web_search_read nest related records: keep their values too."""
        if field is None or not field.relational or field.type == "reference":
            return value
        comodel = field.comodel  # type: ignore[attr-defined]
        rows = value if isinstance(value, list) else [value]
        rows = [r for r in rows if isinstance(r, dict) and r.get("id")]
        if rows:
            keys = list(rows[0])
            comodel._apply_rows(self._conn, rows, keys)
        if isinstance(value, dict):
            return [value["id"], value.get("display_name", False)] if value.get("id") else False
        return [r["id"] for r in rows]

    def _mark_missing(self) -> None:
        self._deleted = True
        self._invalidate()  # nothing cached may be served for it any more

    def _fully_loaded(self) -> bool:
        if self._deleted or self._dirty:
            return False
        return not any(needs(self, s) for s in self._meta.read_fields())

    # -- invalidation --
    def _invalidate(self, sources: Iterable[str] | None = None) -> None:
        if sources is None:
            self._stamps.clear()
            self._py.clear()
            return
        for s in sources:
            self._stamps.pop(s, None)
            self._py.pop(s, None)

    @classmethod
    def _live_records(cls, conn: Connection, ids: Iterable[int]) -> list[Model]:
        ids = list(ids)
        out: list[Model] = []
        for klass in _classes_of(cls._meta.odoo_model):
            out.extend(conn.cache.live_in(klass._namespace(conn), ids))
        return out

    @classmethod
    def _invalidate_ids(
        cls, conn: Connection, ids: Iterable[int], sources: Iterable[str] | None = None
    ) -> None:
        """Make cached values of ``ids`` stale (every class of the model): after a
        write made elsewhere (``QuerySet.update``), they reload on next access."""
        srcs = None if sources is None else list(sources)
        for rec in cls._live_records(conn, list(ids)):
            rec._invalidate(srcs)

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
        for rec in cls._live_records(conn, ids):
            rec._deleted = True
            rec._invalidate()
        for klass in _classes_of(cls._meta.odoo_model):
            for ident in ids:
                conn.cache.discard(klass._key(conn, ident))

    @classmethod
    def _forget_ids(cls, conn: Connection, ids: Iterable[int]) -> None:
        """Hook of ``QuerySet.delete()``: same as :meth:`_forget`."""
        cls._forget(conn, ids)

    @classmethod
    def _prefetch_paths(cls, records: Sequence[Model], paths: Iterable[str]) -> int:
        """Hook of ``QuerySet.prefetch()``: the query layer hands records up to
        :func:`prefetch` through the model class instead of importing models."""
        return prefetch(records, paths)

    # -- saving --
    @classmethod
    def _vals_to_wire(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        """Python values by field name -> ``create``/``write`` values."""
        out: dict[str, Any] = {}
        for name, value in values.items():
            field = cls._meta.get_field(name)
            if field.type in ("one2many", "many2many"):
                items = list(value or [])
                if not all(isinstance(i, (list, tuple)) for i in items):
                    items = [(6, 0, [getattr(i, "id", i) for i in items])]
                out[field.source] = items
            elif isinstance(field, Many2one):
                out[field.source] = field.to_wire(value)
            else:
                out[field.source] = field.to_wire(field.validate(value))
        return out

    def _create_vals(self, skip: str | None = None) -> dict[str, Any]:
        """Values of a new record for ``create`` (x2many as nested commands)."""
        meta = self._meta
        missing = [
            f.name
            for f in meta.fields.values()
            if f.required and f.source != skip and self._dirty.get(f.name) is None
        ]
        if missing:
            raise FieldError(
                f"{type(self).__name__}: required field(s) {', '.join(missing)} have no value; "
                f"set them before save()"
            )
        vals: dict[str, Any] = {}
        for name, value in self._dirty.items():
            field = meta.fields[name]
            if field.source != skip:
                vals[field.source] = field.to_wire(value)
        for name, related in self._x2m.items():
            if related._pending():
                vals[meta.fields[name].source] = related._commands()
        return vals

    def _write_vals(self) -> dict[str, Any]:
        fields = self._meta.fields
        vals = {fields[n].source: fields[n].to_wire(v) for n, v in self._dirty.items()}
        for name, related in self._x2m.items():
            if related._pending():
                vals[self._meta.fields[name].source] = related._commands()
        return vals

    def _check_selections(self, conn: Connection) -> None:
        for name, value in self._dirty.items():
            field = self._meta.fields[name]
            if isinstance(field, Selection) and field.selection is None and value is not None:
                desc = conn.fields_get(self._meta.odoo_model).get(field.source, {})
                sel = desc.get("selection")
                if isinstance(sel, list):
                    field.check_choice(value, [s[0] for s in sel])

    def _save_connection(self, using: Connection | None) -> Connection:
        if using is not None:
            return using
        if self._id is not None:
            return self._conn
        for value in self._dirty.values():
            if isinstance(value, Model) and value._id is not None:
                return value._conn
        for related in self._x2m.values():
            for _code, _ident, payload in related._ops:
                if isinstance(payload, Model) and payload._id is not None:
                    return payload._conn
        return resolve_connection(self._meta.bound_conn)

    def save(self, using: Connection | None = None) -> Model:
        """Create the record (when new) or write its changes: ONE call either way.

        A new record is one ``create`` (its new x2many children as ``(0, 0, vals)``
        commands); a saved one is one ``write`` of the changed fields plus the
        queued x2many commands (no call when nothing changed). Returns self.
        """
        if self._parent_created is not None:
            raise OdoormError(
                f"{self!r} was already created through {self._parent_created!r}; saving it "
                f"again would create a duplicate"
            )
        if self._deleted:
            raise MissingError(f"{self!r} was deleted", model=self._meta.odoo_model)
        conn = self._save_connection(using)
        odoo_model = self._meta.odoo_model
        if self._id is None:
            vals = self._create_vals()
            self._check_selections(conn)
            result = conn.rpc(odoo_model, "create", vals_list=[vals])
            ident = result[0] if isinstance(result, list) else result
            new_id = int(ident)
            self._bind(conn, new_id)
            live = conn.cache.add(self._key(conn, new_id), self)
            if live is not self:  # pragma: no cover - a fresh id cannot be live already
                raise OdoormError(f"another object is already live for {self!r}")
            self._group = PrefetchGroup([self])
        else:
            vals = self._write_vals()
            if not vals:
                return self
            self._check_selections(conn)
            conn.rpc(odoo_model, "write", [self._id], vals=vals)
            # other classes mapping the same record: their values are stale now
            sources = list(vals)
            for rec in self._live_records(conn, [self._id]):
                if rec is not self:
                    rec._invalidate(sources)
        self._settle()
        return self

    def _settle(self) -> None:
        """After create/write: what we sent is what the server holds now."""
        stamp = self._cache.stamp()
        for name, value in self._dirty.items():
            field = self._meta.fields[name]
            if isinstance(field, Many2one) and isinstance(value, Model):
                name_known = value._raw.get("display_name")
                raw: Any = [value._id, name_known] if name_known else value._id
            else:
                raw = field.to_wire(value)
            self._raw[field.source] = raw
            self._stamps[field.source] = stamp
            self._py.pop(field.source, None)
        if self._dirty:
            self._invalidate(["display_name"])
        self._dirty.clear()
        for related in self._x2m.values():
            if related._pending():
                related._flushed()

    def _created_through(self, parent: Model) -> None:
        self._parent_created = parent

    def delete(self) -> None:
        """Delete the record on the server (one ``unlink``)."""
        if self._id is None:
            raise OdoormError(f"{self!r} is not saved: there is nothing to delete")
        self._conn.rpc(self._meta.odoo_model, "unlink", [self._id])
        self._forget(self._conn, [self._id])

    def refresh(self) -> Model:
        """Reload this record's fields from the server (one ``read``); drops
        unsaved changes. Returns self."""
        if self._id is None:
            raise OdoormError(f"{self!r} is not saved: there is nothing to refresh")
        conn = self._conn
        sources = list(dict.fromkeys([*self._meta.read_fields(), *self._raw]))
        rows = conn.rpc(self._meta.odoo_model, "read", [self._id], fields=sources)
        if not rows:
            self._forget(conn, [self._id])
            raise MissingError(f"{self!r} does not exist any more", model=self._meta.odoo_model)
        self._dirty.clear()
        self._x2m.clear()
        self._invalidate()
        self._apply(rows[0], conn.cache.stamp())
        return self

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call a public model method on this record (``order.call("action_confirm")``).

        The record's cached values are considered stale afterwards.
        """
        if self._id is None:
            raise OdoormError(f"{self!r} is not saved: save() it before calling {method}")
        conn = self._conn
        if args:
            result = conn.execute(self._meta.odoo_model, method, [self._id], *args, **kwargs)
        else:
            result = conn.rpc(self._meta.odoo_model, method, [self._id], **kwargs)
        self._invalidate_ids(conn, [self._id])
        return result

    def to_dict(self) -> dict[str, Any]:
        """``{"id": ..., field: value}`` with many2one as ids and x2many as id lists
        (binaries only when loaded)."""
        out: dict[str, Any] = {"id": self._id}
        for name, field in self._meta.fields.items():
            if field.type == "binary" and name not in self._dirty and field.source not in self._raw:
                continue  # binaries are not part of a normal load
            value = getattr(self, name)
            if isinstance(field, (Many2one, Reference)):
                value = value.id if isinstance(value, Model) else value
            elif isinstance(value, RelatedSet):
                value = value.ids
            out[name] = value
        return out

    # -- schema --
    @classmethod
    def check_schema(cls, conn: Connection | None = None) -> None:
        """Compare the declared fields with the server's; SchemaError lists every mismatch."""
        conn = resolve_connection(conn or cls._meta.bound_conn)
        description = conn.fields_get(cls._meta.odoo_model)
        problems: list[str] = []
        for field in cls._meta.fields.values():
            desc = description.get(field.source)
            if desc is None:
                close = difflib.get_close_matches(field.source, list(description), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(f"{field.name}: no field {field.source!r} on the server{hint}")
                continue
            server_type = desc.get("type")
            if not _compatible(field.type, server_type):
                problems.append(
                    f"{field.name}: declared {type(field).__name__} ({field.type}) but the "
                    f"server's {field.source!r} is {server_type}"
                )
                continue
            if field.relational and field.type != "reference":
                target = field.comodel_name  # type: ignore[attr-defined]
                if desc.get("relation") and desc["relation"] != target:
                    problems.append(
                        f"{field.name}: declared to point to {target} but the server's "
                        f"{field.source!r} points to {desc['relation']}"
                    )
        if problems:
            raise SchemaError(
                f"{cls.__name__} ({cls._meta.odoo_model}) does not match the server at "
                f"{conn.url} (db {conn.db!r}):\n  " + "\n  ".join(problems)
            )

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
            return env_class(bound, ref)
        return registry.resolve(ref, cls)


_COMPATIBLE = [
    {"char", "text", "html", "selection"},
    {"float", "monetary", "integer"},
    {"json", "properties"},
    {"integer", "many2one_reference"},
]


def _compatible(declared: str, server: Any) -> bool:
    if declared == server or declared == "json":
        return True
    return any(declared in group and server in group for group in _COMPATIBLE)


# -- dynamic classes --------------------------------------------------------------------

_dynamic_lock = threading.Lock()
_dynamic: dict[str, type[Model]] = {}


def _class_name(odoo_model: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[._]", odoo_model)) or "Dynamic"


def _make_class(odoo_model: str, bound_conn: Connection | None) -> type[Model]:
    return cast(
        "type[Model]",
        ModelBase(
            _class_name(odoo_model),
            (Model,),
            {"_name": odoo_model, "__module__": "odoorm.dynamic"},
            dynamic=True,
            bound_conn=bound_conn,
        ),
    )


def dynamic_class(odoo_model: str) -> type[Model]:
    """The class used for a relation target nobody declared (fields from fields_get)."""
    with _dynamic_lock:
        cls = _dynamic.get(odoo_model)
        if cls is None:
            cls = _dynamic[odoo_model] = _make_class(odoo_model, None)
        return cls


def env_class(conn: Connection, odoo_model: str) -> type[Model]:
    """``conn.env[odoo_model]``: a class built from ``fields_get``, bound to ``conn``
    (its queries use it), cached per connection."""
    memo = conn.cache.memo
    key = ("env", odoo_model, conn.identity_token)
    with conn.cache.lock:
        cls = memo.get(key)
        if cls is None:
            cls = memo[key] = _make_class(odoo_model, conn)
    cls._meta.ensure_fields(conn)
    return cast("type[Model]", cls)


registry.dynamic_factory = dynamic_class
set_env_factory(env_class)
