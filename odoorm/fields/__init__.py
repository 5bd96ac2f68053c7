"""Typed field descriptors: what a model declares, and wire <-> Python conversion.

Each field is a descriptor: on the class it is the :class:`Field` itself (so
``Partner.name.source`` works), on a record it is the record's value.  The
record does the bookkeeping (loading, dirty tracking, relations); a field
knows its Odoo name and type and converts single values both ways.

Odoo sends ``False`` for every empty value; odoorm gives ``None`` instead,
except for :class:`Boolean`.  Dates are :class:`datetime.date`, datetimes are
aware UTC :class:`datetime.datetime`, binaries are ``bytes`` (base64 on the wire).

This package's face; the work is split by concern: :mod:`odoorm.fields.base`
(the :class:`Field` descriptor), :mod:`odoorm.fields.scalar` (text, numbers,
dates, selections, binaries, JSON), :mod:`odoorm.fields.relational` (many2one,
x2many, reference, and the one registry of model classes) and
:mod:`odoorm.fields.types` (field classes by Odoo type, fields built from
``fields_get`` descriptions).
"""

from odoorm.fields.base import Field
from odoorm.fields.relational import Many2many, Many2one, One2many, Reference, registry
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
from odoorm.fields.types import field_class_for

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
