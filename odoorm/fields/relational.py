"""Relational field types and the model registry that resolves their targets.

A relation names its target as a class, a class name or an Odoo model name;
the target is resolved on first use through :data:`registry` (filled by the
models layer as classes are declared), so models can point at each other in
any order.
"""

from __future__ import annotations

import builtins
import threading
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from odoorm.exceptions import FieldError
from odoorm.fields.base import (
    _TARGET,
    _VIA_PY,
    KIND_MANY2ONE,
    KIND_REFERENCE,
    KIND_X2MANY,
    Field,
)

if TYPE_CHECKING:
    # The one declared cycle of the fields layer, for type checkers only: an
    # x2many field reads, on a record, as the RelatedSet of the models layer
    # (which sits above fields and imports them). Nothing imports it at run time.
    from odoorm.models.related import RelatedSet

__all__ = [
    "Many2many",
    "Many2one",
    "ModelRegistry",
    "One2many",
    "Reference",
    "registry",
]

T = TypeVar("T")
M = TypeVar("M")


# -- model registry -----------------------------------------------------------


class ModelRegistry:
    """The model classes of the process: the one registry of them.

    Declared classes, by class name and by Odoo model name, are what relation
    targets resolve to; every class mapping an Odoo model (declared, dynamic or
    bound to a connection, held weakly) is what a write invalidates
    (:meth:`classes_of`). ``dynamic_factory(odoo_model)`` (set by the models
    layer) builds a class for a model nobody declared.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.by_odoo: dict[str, list[type]] = {}
        self.by_name: dict[str, list[type]] = {}
        self._all: dict[str, weakref.WeakSet[type]] = {}
        self.dynamic_factory: Callable[[str], type] | None = None

    def register(self, cls: type, odoo_model: str, *, declared: bool = True) -> None:
        """Record ``cls`` as a class of ``odoo_model``; ``declared`` ones (not
        dynamic or env classes) also become relation targets."""
        with self._lock:
            self._all.setdefault(odoo_model, weakref.WeakSet()).add(cls)
            if declared:
                self.by_odoo.setdefault(odoo_model, []).append(cls)
                self.by_name.setdefault(cls.__name__, []).append(cls)

    def classes_of(self, odoo_model: str) -> list[type]:
        """Every live class (declared, dynamic, env) mapping ``odoo_model``."""
        with self._lock:
            return list(self._all.get(odoo_model, ()))

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


# -- relational fields ----------------------------------------------------------


class _Relational(Field[T]):
    relational = True
    _fast = _VIA_PY

    def __init__(self, comodel: Any, string: str | None = None, **options: Any) -> None:
        super().__init__(string, **options)
        if not (isinstance(comodel, str) and comodel) and not (
            isinstance(comodel, builtins.type) and hasattr(comodel, "_meta")
        ):
            shown = comodel.__name__ if isinstance(comodel, builtins.type) else repr(comodel)
            raise FieldError(
                f"{type(self).__name__}({shown}): the target must be a model class "
                "(a subclass of odoorm.Model) or an Odoo model name such as 'res.partner'"
            )
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

    if TYPE_CHECKING:  # typing only: an id is accepted too (Field.__set__ at runtime)

        def __set__(self, instance: Any, value: M | int | None) -> None: ...

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
        if isinstance(value, (str, tuple)):
            model, ident = self._pair(value)
            return f"{model},{ident}"
        meta = getattr(type(value), "_meta", None)
        if meta is None or getattr(value, "id", None) is None:
            raise FieldError(
                f"{self._where()} takes a saved record, 'model,id', (model, id) or None, "
                f"got {value!r}"
            )
        return f"{meta.odoo_model},{value.id}"

    def _pair(self, value: str | tuple[Any, ...]) -> tuple[str, int]:
        """``"res.partner,7"`` or ``("res.partner", 7)`` -> ``("res.partner", 7)``."""
        parts = value.split(",") if isinstance(value, str) else list(value)
        if len(parts) == 2 and isinstance(parts[0], str) and "." in parts[0]:
            try:
                ident = int(parts[1])
            except (TypeError, ValueError):
                ident = 0
            if ident > 0 and not isinstance(parts[1], bool):
                return parts[0].strip(), ident
        raise FieldError(
            f"{self._where()}: {value!r} is not a reference; give a saved record, "
            f"'model,id' (e.g. 'res.partner,7'), (model, id) or None"
        )

    def validate(self, value: Any) -> Any:
        """A record, or the ``(model, id)`` pair of a 'model,id' string or tuple."""
        self.to_wire(value)
        return self._pair(value) if isinstance(value, (str, tuple)) else value
