"""The base of every field descriptor: :class:`Field`, and how records read values.

A field is a descriptor: on the class it is the field itself (so
``Partner.name.source`` works), on a record it is the record's value. The hot
path of attribute access (a loaded, fresh, unchanged value) is served here
without calling into the record; the record does the rest (loading, relations,
dirty tracking). Scalar types live in :mod:`odoorm.fields.scalar`, relational
ones in :mod:`odoorm.fields.relational`; :mod:`odoorm.fields` is the public face.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from odoorm._values import is_missing, plain
from odoorm.exceptions import FieldError

if TYPE_CHECKING:
    # typing only: a record's state is defined by the models layer, above this one
    from odoorm.models.state import RecordState

__all__ = [
    "KIND_MANY2ONE",
    "KIND_PLAIN",
    "KIND_REFERENCE",
    "KIND_X2MANY",
    "Field",
]

T = TypeVar("T")

_MISSING: Any = object()

#: how a record reads a field (``Field.kind``): see ``Model._field_get``
KIND_PLAIN = 0
KIND_MANY2ONE = 1
KIND_X2MANY = 2
KIND_REFERENCE = 3

# how Field.__get__ serves a fresh loaded value without the record's slow path
_VIA_PY = 0  # the converted value cached in the record state's py (after the first access)
_PASSTHROUGH = 1  # the wire value itself, False -> None
_AS_BOOL = 2  # bool(wire value)
_TARGET = 3  # a many2one's target, from the targets its prefetch group materialised

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


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
        # value is served from the record's state without a call into the record
        # (Model._field_get does the rest: loading, relations, dirty values, first
        # conversion)
        state: RecordState = instance._state
        source = self.source
        stamp = state.stamps.get(source)
        if stamp is not None:
            dirty = state.dirty
            if not dirty or self.name not in dirty:
                cache = state.cache
                ttl = cache.ttl
                # ttl None: never expires; 0 (per query): judged by Model._field_get
                if stamp[0] == cache.generation and (
                    ttl is None or (ttl and cache.timer() - stamp[1] < ttl)
                ):
                    fast = self._fast
                    if fast == _PASSTHROUGH:
                        value = state.raw.get(source, False)
                        return None if value is False else value
                    if fast == _AS_BOOL:
                        return bool(state.raw.get(source, False))
                    if fast == _TARGET:
                        raw = state.raw.get(source, False)
                        if not raw:
                            return None
                        group = state.group
                        targets = group.targets.get(source) if group is not None else None
                        if targets is not None:
                            target = targets.get(raw[0] if isinstance(raw, (list, tuple)) else raw)
                            if target is not None:
                                return target
                    py = state.py
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
        """Check an assigned value; returns the value to store (may be normalised).

        pandas' missing markers (NaN, NaT, NA) mean "no value", like None; numpy
        scalars are taken as the Python numbers they hold.
        """
        if value is None or is_missing(value):
            return None
        value = plain(value)
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
