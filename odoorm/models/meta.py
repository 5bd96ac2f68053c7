"""Model metadata: ``Model._meta``, the metaclass and the schema check.

What a model class *is*, apart from its records: its fields (declared, plus
Odoo's automatic ones usable in queries), how a class statement becomes a
registered model (:class:`ModelBase`), which classes map one Odoo model (for
invalidation across classes), and how declarations are checked against the
server's ``fields_get``. :mod:`odoorm.models` re-exports the public names.
"""

from __future__ import annotations

import difflib
import keyword
import sys
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from odoorm._schema import AUTOMATIC_FIELDS, IMPLICIT_FIELDS, suggestion
from odoorm.exceptions import (
    FieldError,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    OdoormError,
)
from odoorm.fields.base import Field
from odoorm.fields.relational import Many2many, Many2one, One2many, registry
from odoorm.fields.types import field_class_for, field_from_description
from odoorm.session.connection import get_default_connection

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform

    from odoorm.session.connection import Connection
elif sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda cls: cls


__all__ = [
    "ModelBase",
    "ModelMeta",
    "SchemaError",
    "check_schema",
    "resolve_connection",
]


class SchemaError(FieldError):
    """Declared fields do not match the server's (``Model.check_schema``)."""

    __module__ = "odoorm.models"  # its public home


def resolve_connection(explicit: Connection | None = None) -> Connection:
    """``explicit`` when given, else the default connection (ConfigurationError if none)."""
    return explicit if explicit is not None else get_default_connection()


# -- metadata ---------------------------------------------------------------------


class ModelMeta:
    """``Model._meta``: the Odoo model name and the fields (implements domain.ModelInfo)."""

    def __init__(
        self,
        model: type[Any],
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
            # Python and Odoo names are both accepted
            hint = suggestion(name, [*names, *self.by_source, *AUTOMATIC_FIELDS])
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
        automatic = AUTOMATIC_FIELDS.get(name)
        if automatic is None:
            return None
        with self._lock:
            field = self._magic.get(name)
            if field is None:
                ftype, comodel = automatic
                cls: Any = field_class_for(ftype)
                field = cls(comodel, readonly=True) if comodel else cls(readonly=True)
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
            self.add_described(description)
            self._populated.add(id(conn.cache))

    def add_described(self, description: dict[str, dict[str, Any]]) -> None:
        """Dynamic classes: add the fields of a ``fields_get`` answer it lacks."""
        with self._lock:
            for fname, desc in description.items():
                if fname in self.fields or not _usable_name(fname, self.model):
                    continue
                field = field_from_description(desc)
                setattr(self.model, fname, field)
                field.__set_name__(self.model, fname)
                self.fields[fname] = field
            self._reindex()

    def __repr__(self) -> str:
        return f"<ModelMeta {self.model.__name__} {self.odoo_model!r} fields={list(self.fields)}>"


#: names a field may not take: the implicit fields, and the manager
_RESERVED = {*IMPLICIT_FIELDS, "objects"}


def _usable_name(name: str, model: type) -> bool:
    """Can a server field be an attribute of ``model`` (a dynamic class)?"""
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
        and name not in _RESERVED
        and not hasattr(model, name)  # the Model API (save, delete, objects...)
    )


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
        cls._meta = ModelMeta(cls, odoo_model, fields, dynamic=dynamic, bound_conn=bound_conn)
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
            registry.register(cls, odoo_model, declared=not dynamic)
        return cls


def _clashes(bases: tuple[type, ...], attr: str) -> bool:
    for base in bases:
        value = getattr(base, attr, None)
        if value is not None and not isinstance(value, Field):
            return True
    return False


# -- schema check ----------------------------------------------------------------------


def check_schema(cls: type, conn: Connection) -> None:
    """Compare the declared fields of ``cls`` with the server's; SchemaError lists
    every mismatch (missing fields, wrong types, wrong relation targets)."""
    meta = cls._meta  # type: ignore[attr-defined]
    description = conn.fields_get(meta.odoo_model)
    problems: list[str] = []
    for field in meta.fields.values():
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
            target = field.comodel_name
            if desc.get("relation") and desc["relation"] != target:
                problems.append(
                    f"{field.name}: declared to point to {target} but the server's "
                    f"{field.source!r} points to {desc['relation']}"
                )
    if problems:
        raise SchemaError(
            f"{cls.__name__} ({meta.odoo_model}) does not match the server at "
            f"{conn.url} (db {conn.db!r}):\n  " + "\n  ".join(problems)
        )


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
