"""Typed field descriptors: what a model declares, and wire <-> Python conversion.

Each field is a descriptor: on the class it is the :class:`Field` itself (so
``Partner.name.source`` works), on a record it is the record's value.  The
record does the bookkeeping (loading, dirty tracking, relations); a field
knows its Odoo name and type and converts single values both ways.

Odoo sends ``False`` for every empty value; odoorm gives ``None`` instead,
except for :class:`Boolean`.  Dates are :class:`datetime.date`, datetimes are
aware UTC :class:`datetime.datetime`, binaries are ``bytes`` (base64 on the wire).

This module is the public face; the work is split by concern:
:mod:`odoorm._fields_base` (the :class:`Field` descriptor),
:mod:`odoorm._fields_scalar` (text, numbers, dates, selections, binaries, JSON)
and :mod:`odoorm._fields_relational` (many2one, x2many, reference, and the model
registry that resolves relation targets lazily). It also builds fields from
``fields_get`` descriptions (dynamic models).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from odoorm._fields_base import Field
from odoorm._fields_relational import (
    Many2many,
    Many2one,
    ModelRegistry,
    One2many,
    Reference,
    registry,
)
from odoorm._fields_scalar import (
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

# the field classes' public home is this module (repr, pickling, documentation)
for _cls in (Field, *_FIELD_CLASSES, ModelRegistry):
    _cls.__module__ = __name__
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
