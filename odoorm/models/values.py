"""A record's values in the forms other code takes them: ``create``/``write`` values
for the server (x2many as commands, declared selections checked, required fields
refused when missing) and plain Python (``to_dict()``).

The model's ``_create_vals``/``_write_vals``/``to_dict`` delegate here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from odoorm.exceptions import FieldError, MissingError
from odoorm.fields import Many2one, Reference, Selection
from odoorm.fields.base import KIND_MANY2ONE, KIND_REFERENCE, Field
from odoorm.models.related import RelatedSet

if TYPE_CHECKING:
    from odoorm.session import Connection

__all__ = ["check_selections", "create_vals", "plain_dict", "to_wire", "write_vals"]

_NOTHING: Mapping[str, Any] = MappingProxyType({})


def to_wire(cls: Any, values: Mapping[str, Any]) -> dict[str, Any]:
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


def create_vals(record: Any, skip: str | None = None) -> dict[str, Any]:
    """Values of a new record for ``create`` (x2many as nested commands)."""
    meta = record._meta
    state = record._state
    dirty = state.dirty or _NOTHING
    x2m = state.x2m or _NOTHING
    # dynamic (env) classes copy 'required' from fields_get, which does not say
    # whether the server fills a default (sale.order's name, date_order,
    # company_id): the server checks those; declared classes say what they mean
    missing = [
        f.name
        for f in meta.fields.values()
        if f.required
        and not meta.dynamic
        and f.source != skip
        and dirty.get(f.name) is None
        # an x2many holds its value in its related set: required = not empty
        and not (f.name in x2m and len(x2m[f.name]))
    ]
    if missing:
        raise FieldError(
            f"{type(record).__name__}: required field(s) {', '.join(missing)} have no value; "
            f"set them before save()"
        )
    vals: dict[str, Any] = {}
    for name, value in dirty.items():
        field = meta.fields[name]
        if field.source != skip:
            vals[field.source] = field.to_wire(value)
    for name, related in x2m.items():
        if related._pending():
            vals[meta.fields[name].source] = related._commands()
    return vals


def write_vals(record: Any) -> dict[str, Any]:
    """Values of a saved record's changes for ``write`` (x2many as commands)."""
    fields = record._meta.fields
    state = record._state
    dirty = state.dirty or _NOTHING
    vals = {fields[n].source: fields[n].to_wire(v) for n, v in dirty.items()}
    for name, related in (state.x2m or _NOTHING).items():
        if related._pending():
            vals[fields[name].source] = related._commands()
    return vals


def check_selections(record: Any, conn: Connection) -> None:
    """Selection values the class does not declare, checked against the server's."""
    for name, value in (record._state.dirty or _NOTHING).items():
        field = record._meta.fields[name]
        if isinstance(field, Selection) and field.selection is None and value is not None:
            desc = conn.fields_get(record._meta.odoo_model).get(field.source, {})
            sel = desc.get("selection")
            if isinstance(sel, list):
                field.check_choice(value, [s[0] for s in sel])


def plain_dict(record: Any) -> dict[str, Any]:
    """``{"id": ..., field: value}`` with many2one as ids, references as
    ``"model,id"`` and x2many as id lists (binaries only when loaded).

    The fields not loaded yet are read in one call for the record's whole
    prefetch group (one per 2,000 records), not one call per field.
    """
    state = record._state
    if state.deleted:
        raise MissingError(f"{record!r} was deleted", model=record._meta.odoo_model)
    record._load_declared("to_dict()")
    if state.deleted:  # the read found no such record
        raise MissingError(
            f"{record!r} does not exist on the server (deleted?)", model=record._meta.odoo_model
        )
    out: dict[str, Any] = {"id": state.id}
    dirty = state.dirty or _NOTHING
    for name, field in record._meta.fields.items():
        if field.type == "binary" and name not in dirty and field.source not in state.raw:
            continue  # binaries are not part of a normal load
        if field.kind in (KIND_MANY2ONE, KIND_REFERENCE) and name not in dirty:
            # from the loaded value: making the target records could cost a
            # fields_get per target model of a conn.env class
            out[name] = _plain_target(record, field)
            continue
        value = getattr(record, name)
        if isinstance(field, Many2one):
            value = value.id if hasattr(value, "_meta") else value
        elif isinstance(field, Reference) and hasattr(value, "_meta"):
            value = f"{value._meta.odoo_model},{value.id}"  # an id alone would be ambiguous
        elif isinstance(value, RelatedSet):
            value = value.ids
        out[name] = value
    return out


def _plain_target(record: Any, field: Field[Any]) -> Any:
    """A loaded many2one as its id, a reference as ``"model,id"`` (or None)."""
    state = record._state
    if state.id is None:
        return None
    raw = state.raw.get(field.source, False)
    if field.kind == KIND_MANY2ONE:
        return (raw[0] if isinstance(raw, (list, tuple)) else raw) or None
    value = field.to_python(raw, state.conn)
    return None if value is None else f"{value[0]},{value[1]}"
