"""``bulk_update()``: the writes of many records, one call per distinct set of values.

Odoo's ``write(ids, vals)`` gives every id the same values. Records whose
``fields`` hold the same values are written together; each distinct set of
values is one ``write`` (its ids chunked by ``batch_size``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from odoorm.domain.expressions import F_IN_WRITE, F
from odoorm.exceptions import FieldError

__all__ = ["bulk_update", "refuse_expressions"]


def refuse_expressions(values: Mapping[str, Any], what: str) -> None:
    """TypeError for Django expressions (``F("qty") + 1``) among written values."""
    for value in values.values():
        if isinstance(value, F):
            raise TypeError(F_IN_WRITE.format(what=what, name=value.name))


def bulk_update(qs: Any, objs: Sequence[Any], fields: Sequence[str], batch_size: int | None) -> int:
    if isinstance(fields, str) or not fields:
        raise TypeError("bulk_update() needs a list of field names, e.g. ['email', 'phone']")
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise ValueError(f"batch_size must be a positive integer or None, got {batch_size!r}")
    model = qs.model
    meta = qs._meta
    names = [meta.get_field(name).name for name in fields]  # FieldError when unknown
    groups: dict[str, tuple[dict[str, Any], list[int]]] = {}
    for obj in objs:
        if not isinstance(obj, model):
            raise TypeError(f"bulk_update() on {model.__name__} got {obj!r}")
        if obj.id is None:
            raise FieldError(f"bulk_update(): {obj!r} is not saved; create it first")
        values = {name: getattr(obj, name) for name in names}
        refuse_expressions(values, "bulk_update")
        wire = model._vals_to_wire(values)
        key = repr(sorted(wire.items()))
        groups.setdefault(key, (wire, []))[1].append(obj.id)
    if not groups:
        return 0
    conn = qs._connection()
    odoo_model = meta.odoo_model
    written = 0
    for wire, ids in groups.values():
        ids = list(dict.fromkeys(ids))
        size = batch_size or len(ids)
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            conn.rpc(odoo_model, "write", chunk, vals=wire)
            written += len(chunk)
        hook = getattr(model, "_after_write", None)
        if hook is not None:
            hook(conn, ids, wire)
    return written
