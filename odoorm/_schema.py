"""The vocabulary every layer shares: names that mean the same thing everywhere.

* the implicit fields every Odoo model answers to, declared or not (``id``,
  Django's alias ``pk``, ``display_name``) and Odoo's automatic fields
  (``create_date``, ``write_date``, ``create_uid``, ``write_uid``);
* the relational field types;
* relation paths (``country__code``): how they are split, and how one is
  followed from a model through its relations (:func:`walk_path`);
* the "did you mean" end of an unknown-name error (:func:`suggestion`);
* the Python class name of an Odoo model (:func:`class_name`), the same for
  ``odoorm inspect`` and ``conn.env`` classes.

Pure module: it imports nothing of odoorm but the exceptions, so the domain
compiler (the lowest layer) can use it too.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from odoorm.exceptions import FieldError

__all__ = [
    "AUTOMATIC_FIELDS",
    "IMPLICIT_FIELDS",
    "PATH_SEP",
    "RELATIONAL_TYPES",
    "X2MANY_TYPES",
    "ImplicitField",
    "class_name",
    "field_named",
    "field_or_implicit",
    "suggestion",
    "walk_path",
]

#: field types that point to records of another model
RELATIONAL_TYPES = frozenset({"many2one", "one2many", "many2many"})
#: the relational types that hold many records
X2MANY_TYPES = frozenset({"one2many", "many2many"})

#: the separator of relation paths and lookups (``country__code__in``)
PATH_SEP = "__"


@dataclass(frozen=True)
class ImplicitField:
    """A field every model has whether or not a class declares it (``id``,
    ``display_name``): what the domain compiler and the query layer need of it."""

    name: str
    source: str
    type: str
    comodel_info: Any = None


#: ``id`` (and Django's alias ``pk``) and ``display_name``, on every model
IMPLICIT_FIELDS: Mapping[str, ImplicitField] = {
    "id": ImplicitField("id", "id", "integer"),
    "pk": ImplicitField("id", "id", "integer"),  # as in get(pk=...) and values("pk")
    "display_name": ImplicitField("display_name", "display_name", "char"),
}

#: Odoo's automatic fields (every model answers to them, declared or not):
#: name -> (field type, comodel or None); ``id`` is an implicit field of its own
AUTOMATIC_FIELDS: Mapping[str, tuple[str, str | None]] = {
    "create_date": ("datetime", None),
    "write_date": ("datetime", None),
    "create_uid": ("many2one", "res.users"),
    "write_uid": ("many2one", "res.users"),
    "display_name": ("char", None),
}


def class_name(odoo_model: str) -> str:
    """The Python class name of an Odoo model, for generated and ``conn.env`` classes.

    ``sale.order.line`` -> ``SaleOrderLine``; ``res.partner`` -> ``Partner`` (the
    ``res.`` prefix is dropped); a name that would not be an identifier gets a
    ``Model`` prefix (``2fa.log`` -> ``Model2faLog``).
    """
    parts = odoo_model.split(".")
    if parts[0] == "res" and len(parts) > 1:
        parts = parts[1:]
    words = [w for p in parts for w in p.split("_") if w]
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return name if name.isidentifier() and not name[0].isdigit() else f"Model{name}"


def suggestion(name: str, candidates: Iterable[Any], *, sentence: bool = False) -> str:
    """The "did you mean" part of an unknown-name error, from the closest of
    ``candidates`` (each spelling once).

    Inside a sentence (the default) it ends that sentence: ``"; did you mean
    'name'?"``, else ``"."``. With ``sentence=True`` it is a sentence of its own:
    ``" Did you mean 'name'?"``, else ``""``.
    """
    close = difflib.get_close_matches(name, list(dict.fromkeys(candidates)), n=3)
    if sentence:
        return f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
    return f"; did you mean {' or '.join(map(repr, close))}?" if close else "."


def field_named(info: Any, name: str, path: str | None = None) -> Any:
    """The field ``name`` of ``info`` (Python or Odoo name, or an automatic field);
    FieldError naming the model, the closest names and its fields otherwise."""
    path = path or name
    found = info.get_field_info(name)
    if found is not None:
        return found
    if getattr(info, "dynamic", False) and not list(info.field_names()):
        raise FieldError(
            f"{path!r}: odoorm knows no field of {info.odoo_model} yet: declare a class for it,"
            " or give the query its connection first (using(conn) or a default connection)"
            " so the fields can be read from the server"
        )
    names = list(info.field_names())
    # Python and Odoo names are both accepted
    hint = suggestion(name, [*names, *getattr(info, "by_source", ()), *AUTOMATIC_FIELDS])
    shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
    where = f" (in {path!r})" if path != name else ""
    raise FieldError(
        f"{info.odoo_model} has no field {name!r}{where}{hint} Its fields: {shown or 'none'}"
    )


def field_or_implicit(info: Any, name: str, path: str | None = None) -> Any:
    """Like :func:`field_named`, also answering for ``id``/``pk`` and ``display_name``,
    which every model has whether or not a class declares them."""
    return IMPLICIT_FIELDS.get(name) or field_named(info, name, path)


def walk_path(
    info: Any,
    path: str,
    field_of: Callable[[Any, str], Any],
    *,
    follow: Callable[[Any, str, str, Any], Any] | None = None,
) -> list[Any]:
    """The fields along the relation path ``path`` (``"children__country"``),
    starting at the model ``info`` (a ``_meta``, or anything with its shape).

    ``field_of(info, part)`` finds (or refuses) each segment's field; every
    segment but the last must then lead somewhere: ``follow(field, part, next_part,
    info)`` returns the model info of the next segment (or raises); by default a
    relational field's comodel, and a FieldError for any other field.
    """
    parts = path.split(PATH_SEP)
    fields = []
    for i, part in enumerate(parts):
        field = field_of(info, part)
        fields.append(field)
        if i < len(parts) - 1:
            info = (follow or _comodel_of)(field, part, parts[i + 1], info)
    return fields


def _comodel_of(field: Any, part: str, next_part: str, info: Any) -> Any:
    if field.type not in RELATIONAL_TYPES:
        raise FieldError(
            f"{info.odoo_model}.{part} is a {field.type} field, not a relation: "
            f"{next_part!r} cannot follow it"
        )
    return field.comodel_info
