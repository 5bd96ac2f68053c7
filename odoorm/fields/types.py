"""Every field class by Odoo type, and fields built from ``fields_get`` descriptions.

Dynamic classes (``conn.env[...]``, relation targets nobody declared) and the
schema check ask this module which field class an Odoo field type maps to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from odoorm.fields.base import Field
from odoorm.fields.relational import Many2many, Many2one, ModelRegistry, One2many, Reference
from odoorm.fields.scalar import (
    Binary,
    Boolean,
    Char,
    Date,
    Datetime,
    Float,
    Html,
    Integer,
    Json,
    Monetary,
    Properties,
    Selection,
    Text,
)

__all__ = ["FIELD_TYPES", "field_class_for", "field_from_description"]

#: every concrete field class
_FIELD_CLASSES: tuple[type[Field[Any]], ...] = (
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

# the field classes' public home is the package (repr, pickling, documentation)
for _cls in (Field, *_FIELD_CLASSES, ModelRegistry):
    _cls.__module__ = "odoorm.fields"
del _cls


#: Odoo field type -> field class (dynamic models, schema checks)
FIELD_TYPES: dict[str, type[Field[Any]]] = {cls.type: cls for cls in _FIELD_CLASSES}


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
