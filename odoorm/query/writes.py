"""Writes from a QuerySet: ``create``, ``bulk_create``, and the values of ``update``.

Single records go through the model's own ``save()`` (so defaults, x2many
commands and the identity map behave as everywhere else). ``bulk_create``
sends ONE ``create`` with a list per batch; when a batch fails, the error says
which batch it was and which ids the earlier batches created, so the caller
can clean up or resume.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from odoorm._schema import field_named
from odoorm.exceptions import BulkCreateError, FieldError, ReadonlyError

if TYPE_CHECKING:
    from odoorm.query.plan import QueryBuilder

__all__ = [
    "BulkCreateError",
    "bulk_create",
    "create",
    "split_lookups",
    "update_values",
]


def _save(obj: Any, conn: Any) -> None:
    if conn is not None:
        obj.save(using=conn)
    else:
        obj.save()


def _explicit_conn(qs: QueryBuilder[Any]) -> Any:
    """The connection to create on: the QuerySet's own (with its context) if it has one."""
    if qs._plan.conn is None and not qs._plan.context:
        return None  # let the model pick (records it was given, else the default)
    return qs._connection()


def create(qs: QueryBuilder[Any], values: Mapping[str, Any]) -> Any:
    obj = qs.model(**values)
    _save(obj, _explicit_conn(qs))
    return obj


def _create_values(qs: QueryBuilder[Any], obj: Any) -> dict[str, Any]:
    """Wire values for creating ``obj`` (a dict of field values or an unsaved record)."""
    if isinstance(obj, Mapping):
        obj = qs.model(**obj)
    if not isinstance(obj, qs.model):
        raise TypeError(
            f"bulk_create() takes {qs.model.__name__} instances or dicts of field values, "
            f"got {obj!r}"
        )
    if getattr(obj, "id", None):
        raise ValueError(f"bulk_create(): {obj!r} is already saved (id {obj.id})")
    return dict(obj._create_vals())


def bulk_create(qs: QueryBuilder[Any], objs: Sequence[Any], batch_size: int | None) -> list[Any]:
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise ValueError(f"batch_size must be a positive integer or None, got {batch_size!r}")
    objs = list(objs)
    if not objs:
        return []
    records = [qs.model(**o) if isinstance(o, Mapping) else o for o in objs]
    vals = [_create_values(qs, r) for r in records]  # every value checked before any call
    conn = qs._connection()
    size = batch_size or len(vals)
    created: list[int] = []
    for batch, start in enumerate(range(0, len(vals), size)):
        chunk = vals[start : start + size]
        try:
            ids = conn.rpc(qs._meta.odoo_model, "create", vals_list=chunk)
        except Exception as exc:
            total = (len(vals) + size - 1) // size
            done = _created_so_far(created)
            raise BulkCreateError(
                f"bulk_create of {qs._meta.odoo_model}: batch {batch + 1} of {total} "
                f"(records {start}..{start + len(chunk) - 1}) failed: {exc}; {done}",
                batch=batch,
                created_ids=list(created),
                error=exc,
            ) from exc
        ids = [ids] if isinstance(ids, int) else list(ids)
        for record, new_id in zip(records[start : start + size], ids, strict=True):
            _adopt_created(record, conn, int(new_id))
        created.extend(ids)
    return records


def _created_so_far(created: list[int]) -> str:
    """What earlier batches created, short enough for an exception message."""
    if not created:
        return "nothing was created"
    if len(created) <= 10:
        return f"earlier batches created ids {created} (in .created_ids)"
    return (
        f"earlier batches created {len(created)} records, ids {created[0]}..{created[-1]} "
        "(all of them in .created_ids)"
    )


def _adopt_created(record: Any, conn: Any, new_id: int) -> None:
    """Make an unsaved record the live object of the id the server just gave it,
    as ``save()`` does (the models layer's own hook when it has one)."""
    mark = getattr(record, "_mark_created", None)
    if mark is not None:
        mark(conn, new_id)
        return
    record._conn = conn
    record._id = new_id
    conn.cache.add(type(record)._key(conn, new_id), record)
    settle = getattr(record, "_settle", None)
    if settle is not None:
        settle()  # what was sent is what the server holds now


def split_lookups(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The plain ``field=value`` (or ``field__exact=value``) terms of a get(): what a
    created record must hold to match it (``__gt``, paths and ``id`` are skipped)."""
    plain: dict[str, Any] = {}
    for key, value in kwargs.items():
        name = key[: -len("__exact")] if key.endswith("__exact") else key
        if "__" not in name and name not in ("id", "pk"):
            plain[name] = value
    return plain


def update_values(qs: QueryBuilder[Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """update() values on the wire, each checked against its field first."""
    wire: dict[str, Any] = {}
    for name, value in values.items():
        field = field_named(qs._meta, name)
        if getattr(field, "readonly", False):
            raise ReadonlyError(
                f"{qs._meta.odoo_model}.{field.name} is declared readonly; "
                "drop it from update() or declare the field without readonly=True"
            )
        if field.type in ("many2one", "one2many", "many2many"):
            wire[field.source] = _relation_wire(qs.model, field, value)
            continue
        validate = getattr(field, "validate", None)
        if validate is not None:
            value = validate(value)
        wire[field.source] = field.to_wire(value)
    return wire


def _related_id(model: Any, field: Any, value: Any) -> int:
    """The id of a record or id given for ``field``, once it is of the right model."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    got = getattr(getattr(value, "_meta", None), "odoo_model", None)
    if got == field.comodel_name and isinstance(getattr(value, "id", None), int):
        return int(value.id)
    what = "an unsaved record" if got == field.comodel_name else repr(value)
    raise FieldError(
        f"update(): {model.__name__}.{field.name} takes {field.comodel_name} records or ids, "
        f"got {what}"
    )


def _relation_wire(model: Any, field: Any, value: Any) -> Any:
    """update() value of a relation: a checked id (many2one), or for an x2many the
    Odoo commands given as such, else the records/ids as one 'replace' command."""
    if value is None or value is False:
        return False
    if field.type == "many2one":
        return _related_id(model, field, value)
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        raise FieldError(
            f"update(): {model.__name__}.{field.name} takes a list of records or ids "
            f"(or Odoo x2many commands), got {value!r}"
        )
    items = list(value)
    if items and all(isinstance(i, (list, tuple)) for i in items):
        return items  # Odoo commands, e.g. [(4, 7)] to add without replacing
    return [(6, 0, [_related_id(model, field, i) for i in items])]
