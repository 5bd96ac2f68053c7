"""Typed field descriptors: what a model declares, and wire <-> Python conversion.

Each field is a descriptor: on the class it is the :class:`Field` itself (so
``Partner.name.source`` works), on a record it is the record's value.  The
record does the bookkeeping (loading, dirty tracking, relations); a field
knows its Odoo name and type and converts single values both ways.

Odoo sends ``False`` for every empty value; odoorm gives ``None`` instead,
except for :class:`Boolean`.  Dates are :class:`datetime.date`, datetimes are
aware UTC :class:`datetime.datetime`, binaries are ``bytes`` (base64 on the wire).

This module also holds the model registry used to resolve relation targets
lazily (a class, a class name or an Odoo model name); the models layer fills it.
"""

from __future__ import annotations

import base64
import binascii
import builtins
import datetime as dt
import difflib
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from odoorm.exceptions import FieldError

if TYPE_CHECKING:
    from odoorm.relations import RelatedSet

__all__ = [
    "Binary",
    "Boolean",
    "Char",
    "Date",
    "Datetime",
    "Field",
    "Float",
    "Html",
    "Integer",
    "Json",
    "Many2many",
    "Many2one",
    "Monetary",
    "One2many",
    "Properties",
    "Reference",
    "Selection",
    "Text",
    "field_class_for",
    "registry",
]

T = TypeVar("T")
M = TypeVar("M")

_MISSING: Any = object()

#: how a record reads a field (``Field.kind``): see ``Model._field_get``
KIND_PLAIN = 0
KIND_MANY2ONE = 1
KIND_X2MANY = 2
KIND_REFERENCE = 3

# how Field.__get__ serves a fresh loaded value without the record's slow path
_VIA_PY = 0  # the converted value cached in record._py (after the first access)
_PASSTHROUGH = 1  # the wire value itself, False -> None
_AS_BOOL = 2  # bool(wire value)
_TARGET = 3  # a many2one's target, from the targets its prefetch group materialised

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


# -- model registry -----------------------------------------------------------


class ModelRegistry:
    """Declared model classes, by class name and by Odoo model name.

    ``dynamic_factory(odoo_model)`` (set by the models layer) builds a class
    for a model nobody declared.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.by_odoo: dict[str, list[type]] = {}
        self.by_name: dict[str, list[type]] = {}
        self.dynamic_factory: Callable[[str], type] | None = None

    def register(self, cls: type, odoo_model: str) -> None:
        with self._lock:
            self.by_odoo.setdefault(odoo_model, []).append(cls)
            self.by_name.setdefault(cls.__name__, []).append(cls)

    def classes_for(self, odoo_model: str) -> list[type]:
        with self._lock:
            return list(self.by_odoo.get(odoo_model, ()))

    def resolve(self, ref: Any, owner: type | None = None) -> type:
        """The model class ``ref`` names: a class, a class name or an Odoo model name."""
        if isinstance(ref, type):
            return ref
        if not isinstance(ref, str) or not ref:
            raise FieldError(f"a relation target must be a model class or a name, got {ref!r}")
        module = getattr(owner, "__module__", None)
        owner_model = getattr(getattr(owner, "_meta", None), "odoo_model", None)
        if owner is not None and ref in (owner_model, owner.__name__):
            return owner
        with self._lock:
            for table in (self.by_name, self.by_odoo):
                found = table.get(ref)
                if found:
                    same_module = [c for c in found if c.__module__ == module]
                    return (same_module or found)[-1]
        if "." in ref:
            if self.dynamic_factory is None:
                raise FieldError(f"no model class declares {ref!r} and none can be built")
            return self.dynamic_factory(ref)
        raise FieldError(
            f"unknown model {ref!r}: declare a class with that name, or use the Odoo "
            f"model name (e.g. 'res.partner')"
        )


#: the process-wide registry (models register themselves on declaration)
registry = ModelRegistry()


# -- base field ---------------------------------------------------------------


class Field(Generic[T]):
    """Base of every field type.

    Args:
        string: a human label (defaults to the server's).
        source: the Odoo field name when it differs from the Python attribute.
        readonly: refuse assignment (``ReadonlyError``); never sent on save.
        required: a new record must have a value before it is created.
        default: value (or zero-argument callable) for new records.
        help: free text for documentation.
    """

    #: the Odoo field type ("char", "many2one", ...)
    type: ClassVar[str] = "char"
    #: Python types accepted on assignment (besides None)
    python_types: ClassVar[tuple[builtins.type, ...]] = (object,)
    relational: ClassVar[bool] = False
    #: how records read it (KIND_PLAIN, KIND_MANY2ONE, KIND_X2MANY, KIND_REFERENCE)
    kind: ClassVar[int] = KIND_PLAIN
    #: how a fresh loaded value is served (private; see __get__ and __init_subclass__)
    _fast: ClassVar[int] = _PASSTHROUGH

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # a class converting values its own way is served from the converted cache,
        # unless it says how to serve them (Boolean)
        if "to_python" in cls.__dict__ and "_fast" not in cls.__dict__:
            cls._fast = _VIA_PY

    name: str
    source: str

    def __init__(
        self,
        string: str | None = None,
        *,
        source: str | None = None,
        readonly: bool = False,
        required: bool = False,
        default: Any = _MISSING,
        help: str | None = None,
    ) -> None:
        if source is not None and (not isinstance(source, str) or not source):
            raise FieldError(f"source= must be a non-empty Odoo field name, got {source!r}")
        self.string = string
        self._source = source
        self.readonly = readonly
        self.required = required
        self.default = default
        self.help = help
        self.name = source or ""
        self.source = source or ""
        self.model: builtins.type | None = None
        #: False for non-stored (computed) fields of dynamic classes
        self.store = True

    def __set_name__(self, owner: builtins.type, name: str) -> None:
        self.name = name
        self.source = self._source or name
        if self.model is None:
            self.model = owner

    def bind(self, owner: builtins.type, name: str) -> Field[T]:
        """A copy of this field attached to ``owner`` (used for dynamic classes)."""
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        clone.model = None
        clone.__set_name__(owner, name)
        return clone

    # descriptor protocol: the class sees the field, a record sees its value
    @overload
    def __get__(self, instance: None, owner: Any) -> Field[T]: ...
    @overload
    def __get__(self, instance: object, owner: Any) -> T | None: ...
    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self
        # the hot path of attribute access, inlined: a loaded, fresh, unchanged
        # value is served without a call into the record (Model._field_get does
        # the rest: loading, relations, dirty values, first conversion)
        source = self.source
        stamp = instance._stamps.get(source)
        if stamp is not None:
            dirty = instance._dirty
            if not dirty or self.name not in dirty:
                cache = instance._cache
                ttl = cache.ttl
                if stamp[0] == cache.generation and (not ttl or cache.timer() - stamp[1] < ttl):
                    fast = self._fast
                    if fast == _PASSTHROUGH:
                        value = instance._raw.get(source, False)
                        return None if value is False else value
                    if fast == _AS_BOOL:
                        return bool(instance._raw.get(source, False))
                    if fast == _TARGET:
                        raw = instance._raw.get(source, False)
                        if not raw:
                            return None
                        group = instance._group
                        targets = group.targets.get(source) if group is not None else None
                        if targets is not None:
                            target = targets.get(raw[0] if isinstance(raw, (list, tuple)) else raw)
                            if target is not None:
                                return target
                    py = instance._py
                    if py is not None:
                        value = py.get(source, _MISSING)
                        if value is not _MISSING:
                            return value
        return instance._field_get(self)

    def __set__(self, instance: Any, value: T | None) -> None:
        instance._field_set(self, value)

    def __repr__(self) -> str:
        owner = self.model.__name__ if self.model else "?"
        src = f", source={self.source!r}" if self.source != self.name else ""
        return f"<{type(self).__name__} {owner}.{self.name}{src}>"

    # FieldInfo protocol (odoorm.domain)
    @property
    def comodel_info(self) -> Any:
        """The comodel's ``_meta`` for relational fields, else None."""
        return None

    @property
    def has_default(self) -> bool:
        return self.default is not _MISSING

    def get_default(self) -> Any:
        value = self.default
        return value() if callable(value) else value

    # conversions
    def to_python(self, value: Any, conn: Any = None) -> T | None:
        """Convert a value as the server sends it."""
        if value is False or value is None:
            return None
        return value

    def to_wire(self, value: Any) -> Any:
        """Convert a (validated) Python value for ``create``/``write``/domains."""
        return False if value is None else value

    def validate(self, value: Any) -> Any:
        """Check an assigned value; returns the value to store (may be normalised)."""
        if value is None:
            return None
        if not isinstance(value, self.python_types) or (
            isinstance(value, bool) and bool not in self.python_types
        ):
            names = " or ".join(t.__name__ for t in self.python_types)
            raise FieldError(
                f"{self._where()} takes {names} or None, got {type(value).__name__} {value!r}"
            )
        return value

    def _where(self) -> str:
        owner = self.model.__name__ if self.model else "?"
        return f"{owner}.{self.name} ({self.type})"


class Char(Field[str]):
    """A one-line string."""

    type = "char"
    python_types = (str,)


class Text(Char):
    """A multi-line string."""

    type = "text"


class Html(Char):
    """HTML text (sanitised by the server)."""

    type = "html"


class Integer(Field[int]):
    """An integer (Odoo sends 0, not False, for an unset integer)."""

    type = "integer"
    python_types = (int,)


class Float(Field[float]):
    """A float; ``digits=(precision, scale)`` as declared or as the server says."""

    type = "float"
    python_types = (int, float)

    def __init__(
        self, string: str | None = None, *, digits: tuple[int, int] | None = None, **options: Any
    ) -> None:
        super().__init__(string, **options)
        self.digits = digits

    def to_python(self, value: Any, conn: Any = None) -> float | None:
        if value is None or value is False:
            return None
        return float(value)

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        return None if value is None else float(value)


class Monetary(Float):
    """An amount in the currency named by ``currency_field``."""

    type = "monetary"

    def __init__(
        self, string: str | None = None, *, currency_field: str | None = None, **options: Any
    ) -> None:
        super().__init__(string, **options)
        self.currency_field = currency_field


class Boolean(Field[bool]):
    """A boolean: ``False`` stays ``False`` (never None)."""

    type = "boolean"
    python_types = (bool,)
    _fast = _AS_BOOL

    if TYPE_CHECKING:  # typing only: at runtime Field.__get__ serves it (no extra call)

        @overload
        def __get__(self, instance: None, owner: Any) -> Boolean: ...
        @overload
        def __get__(self, instance: object, owner: Any) -> bool: ...
        def __get__(self, instance: Any, owner: Any) -> Any: ...

    def to_python(self, value: Any, conn: Any = None) -> bool:
        return bool(value)

    def to_wire(self, value: Any) -> Any:
        return bool(value)


class Date(Field[dt.date]):
    """A date; ``"YYYY-MM-DD"`` on the wire."""

    type = "date"
    python_types = (dt.date, str)

    def to_python(self, value: Any, conn: Any = None) -> dt.date | None:
        if not value:
            return None
        if isinstance(value, dt.date):
            return value
        return dt.datetime.strptime(value[:10], DATE_FORMAT).date()

    def to_wire(self, value: Any) -> Any:
        if value is None:
            return False
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.strftime(DATE_FORMAT) if isinstance(value, dt.date) else value

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        if isinstance(value, dt.datetime):
            raise FieldError(f"{self._where()} takes a date, got a datetime: use value.date()")
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise FieldError(f"{self._where()}: {value!r} is not a YYYY-MM-DD date") from None
        return value


class Datetime(Field[dt.datetime]):
    """An aware UTC datetime; ``"YYYY-MM-DD HH:MM:SS"`` (UTC) on the wire.

    Naive datetimes assigned by the program are taken as UTC.
    """

    type = "datetime"
    python_types = (dt.datetime, str)

    def to_python(self, value: Any, conn: Any = None) -> dt.datetime | None:
        if not value:
            return None
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return dt.datetime.strptime(value[:19], DATETIME_FORMAT).replace(tzinfo=dt.timezone.utc)

    def to_wire(self, value: Any) -> Any:
        if value is None:
            return False
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
            return value.strftime(DATETIME_FORMAT)
        return value

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                raise FieldError(
                    f"{self._where()}: {value!r} is not a 'YYYY-MM-DD HH:MM:SS' datetime"
                ) from None
        if isinstance(value, dt.datetime):
            value = (
                value.astimezone(dt.timezone.utc)
                if value.tzinfo
                else value.replace(tzinfo=dt.timezone.utc)
            )
        return value


class Selection(Field[str]):
    """One of a set of values; checked against the declared ones, else the server's.

    ``Selection([("draft", "Draft"), ("done", "Done")])`` or ``Selection()``
    (values come from ``fields_get``).
    """

    type = "selection"
    python_types = (str, int)

    def __init__(
        self,
        selection: Sequence[tuple[Any, str]] | Sequence[Any] | None = None,
        string: str | None = None,
        **options: Any,
    ) -> None:
        super().__init__(string, **options)
        self.selection = _selection_values(selection) if selection is not None else None

    def check_choice(self, value: Any, allowed: Iterable[Any] | None) -> None:
        """Raise FieldError when ``value`` is not one of ``allowed``."""
        allowed = self.selection if allowed is None else list(allowed)
        if value is None or allowed is None or value in allowed:
            return
        close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise FieldError(
            f"{self._where()}: {value!r} is not a valid choice; allowed: "
            f"{', '.join(repr(a) for a in allowed)}{hint}"
        )

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        self.check_choice(value, None)
        return value


def _selection_values(selection: Iterable[Any]) -> list[Any]:
    return [item[0] if isinstance(item, (list, tuple)) else item for item in selection]


class Binary(Field[bytes]):
    """Binary content: ``bytes`` in Python, base64 text on the wire."""

    type = "binary"
    python_types = (bytes, bytearray)

    def to_python(self, value: Any, conn: Any = None) -> bytes | None:
        if not value:
            return None
        if isinstance(value, (bytes, bytearray)):
            return bytes(value)
        try:
            return base64.b64decode(value, validate=False)
        except (binascii.Error, ValueError) as exc:
            raise FieldError(f"{self._where()}: the server sent invalid base64") from exc

    def to_wire(self, value: Any) -> Any:
        if value is None:
            return False
        return base64.b64encode(bytes(value)).decode("ascii")

    def validate(self, value: Any) -> Any:
        if isinstance(value, str):
            raise FieldError(
                f"{self._where()} takes bytes (odoorm base64-encodes them), got str; "
                f"use value.encode() or base64.b64decode(value)"
            )
        value = super().validate(value)
        return None if value is None else bytes(value)


class Json(Field[Any]):
    """A JSON value (dict or list), read and written as is."""

    type = "json"
    python_types = (dict, list)


class Properties(Field[dict]):
    """Odoo properties, read as a ``{name: value}`` dict and written back the same way."""

    type = "properties"
    python_types = (dict,)

    def to_python(self, value: Any, conn: Any = None) -> dict[str, Any] | None:
        if not value:
            return {}
        if isinstance(value, Mapping):
            return dict(value)
        return {p["name"]: p.get("value") for p in value if isinstance(p, Mapping)}


# -- relational fields ----------------------------------------------------------


class _Relational(Field[T]):
    relational = True
    _fast = _VIA_PY

    def __init__(self, comodel: Any, string: str | None = None, **options: Any) -> None:
        super().__init__(string, **options)
        self.comodel_ref = comodel
        self._comodel: builtins.type | None = None

    @property
    def comodel(self) -> Any:
        """The target model class (resolved on first use)."""
        if self._comodel is None:
            # a model may resolve its own targets (env classes use their connection's)
            resolver = getattr(self.model, "_resolve_comodel", None)
            ref = self.comodel_ref
            self._comodel = resolver(ref) if resolver else registry.resolve(ref, self.model)
        return self._comodel

    @property
    def comodel_name(self) -> str:
        """The Odoo name of the target model."""
        ref = self.comodel_ref
        if isinstance(ref, str) and "." in ref:
            return ref
        return str(self.comodel._meta.odoo_model)

    @property
    def comodel_info(self) -> Any:
        return self.comodel._meta


class Many2one(_Relational[M]):
    """A link to one record: a lazy related instance (``[id, name]`` on the wire).

    Assign a record, an id or None.
    """

    type = "many2one"
    kind = KIND_MANY2ONE
    _fast = _TARGET

    @overload
    def __init__(
        self: Many2one[M], comodel: builtins.type[M], string: str | None = ..., **o: Any
    ) -> None: ...
    @overload
    def __init__(self: Many2one[Any], comodel: str, string: str | None = ..., **o: Any) -> None: ...
    def __init__(
        self, comodel: Any, string: str | None = None, *, ondelete: str | None = None, **o: Any
    ) -> None:
        super().__init__(comodel, string, **o)
        self.ondelete = ondelete

    def to_wire(self, value: Any) -> Any:
        if value is None or value is False:
            return False
        ident = getattr(value, "id", value)
        if ident is None:
            raise FieldError(f"{self._where()}: the related record is not saved yet")
        return ident


class _X2many(_Relational[M]):
    kind = KIND_X2MANY

    @overload  # type: ignore[override]
    def __get__(self, instance: None, owner: Any) -> _X2many[M]: ...
    @overload
    def __get__(self, instance: object, owner: Any) -> RelatedSet[M]: ...
    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self
        return instance._field_get(self)

    def __set__(self, instance: Any, value: Iterable[Any] | None) -> None:  # type: ignore[override]
        instance._field_set(self, value)

    def to_python(self, value: Any, conn: Any = None) -> Any:
        return list(value) if value else []


class One2many(_X2many[M]):
    """The records pointing back here through ``inverse`` (a related set)."""

    type = "one2many"

    @overload
    def __init__(
        self: One2many[M], comodel: builtins.type[M], inverse: str | None = ..., **o: Any
    ) -> None: ...
    @overload
    def __init__(
        self: One2many[Any], comodel: str, inverse: str | None = ..., **o: Any
    ) -> None: ...
    def __init__(self, comodel: Any, inverse: str | None = None, **o: Any) -> None:
        super().__init__(comodel, **o)
        self.inverse = inverse


class Many2many(_X2many[M]):
    """A set of linked records (a related set)."""

    type = "many2many"

    @overload
    def __init__(
        self: Many2many[M], comodel: builtins.type[M], string: str | None = ..., **o: Any
    ) -> None: ...
    @overload
    def __init__(
        self: Many2many[Any], comodel: str, string: str | None = ..., **o: Any
    ) -> None: ...
    def __init__(self, comodel: Any, string: str | None = None, **o: Any) -> None:
        super().__init__(comodel, string, **o)


class Reference(Field[Any]):
    """A link to a record of any model: ``"res.partner,7"`` on the wire, a record in Python."""

    type = "reference"
    relational = True
    kind = KIND_REFERENCE

    def to_python(self, value: Any, conn: Any = None) -> tuple[str, int] | None:
        if not value:
            return None
        if isinstance(value, str) and "," in value:
            model, _, ident = value.partition(",")
            return (model, int(ident))
        return None

    def to_wire(self, value: Any) -> Any:
        if value is None:
            return False
        if isinstance(value, str):
            return value
        if isinstance(value, tuple):
            return f"{value[0]},{value[1]}"
        meta = getattr(type(value), "_meta", None)
        if meta is None or getattr(value, "id", None) is None:
            raise FieldError(f"{self._where()} takes a saved record, 'model,id' or None")
        return f"{meta.odoo_model},{value.id}"

    def validate(self, value: Any) -> Any:
        self.to_wire(value)
        return value


#: Odoo field type -> field class (dynamic models, schema checks)
FIELD_TYPES: dict[str, type[Field[Any]]] = {
    cls.type: cls
    for cls in (
        Char,
        Text,
        Html,
        Integer,
        Float,
        Monetary,
        Boolean,
        Date,
        Datetime,
        Selection,
        Binary,
        Json,
        Properties,
        Many2one,
        One2many,
        Many2many,
        Reference,
    )
}


def field_class_for(ttype: str) -> type[Field[Any]]:
    """The field class for an Odoo field type (unknown types read as Json)."""
    return FIELD_TYPES.get(ttype, Json)


def field_from_description(desc: Mapping[str, Any]) -> Field[Any]:
    """Build a field from one ``fields_get`` entry (for dynamic classes)."""
    ttype = desc.get("type", "char")
    cls: Any = field_class_for(ttype)
    common: dict[str, Any] = {
        "readonly": bool(desc.get("readonly")),
        "required": bool(desc.get("required")),
    }
    string = desc.get("string")
    field: Field[Any]
    if cls is Many2one or cls is Many2many:
        field = cls(desc.get("relation") or "_unknown", string, **common)
    elif cls is One2many:
        field = One2many(
            desc.get("relation") or "_unknown", desc.get("relation_field"), string=string, **common
        )
    elif cls is Selection:
        sel = desc.get("selection")
        field = Selection(sel if isinstance(sel, list) else None, string, **common)
    elif issubclass(cls, Float):
        digits = desc.get("digits")
        field = cls(string, digits=tuple(digits) if isinstance(digits, list) else None, **common)
    else:
        field = cls(string, **common)
    field.store = bool(desc.get("store", True))
    return field
