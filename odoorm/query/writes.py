"""Writes from a QuerySet: ``create``, ``bulk_create``, and the values of ``update``.

Single records go through the model's own ``save()`` (so defaults, x2many
commands and the identity map behave as everywhere else). ``bulk_create``
checks every row first (a bad row is an error naming its index, and nothing is
created), then sends ONE ``create`` with a list per batch; when the server
refuses a batch anyway, the error says which batch it was, which row is at
fault when reading can tell (ids that do not exist), and which ids the earlier
batches created, so the caller can clean up or resume.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from odoorm._schema import RELATIONAL_TYPES, field_named
from odoorm.exceptions import BulkCreateError, FieldError, ReadonlyError
from odoorm.query.progress import progress_bar

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


def bulk_create(
    qs: QueryBuilder[Any],
    objs: Sequence[Any],
    batch_size: int | None,
    *,
    progress: bool = False,
) -> list[Any]:
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise ValueError(f"batch_size must be a positive integer or None, got {batch_size!r}")
    objs = list(objs)
    if not objs:
        return []
    model = qs._meta.odoo_model
    records: list[Any] = []
    vals: list[dict[str, Any]] = []
    for index, obj in enumerate(objs):  # every row checked before the first call
        with _row(model, index):
            record = qs.model(**obj) if isinstance(obj, Mapping) else obj
            vals.append(_create_values(qs, record))
            records.append(record)
    conn = qs._connection()
    check = getattr(qs.model, "_check_selections", None)
    if check is not None:
        for index, record in enumerate(records):
            with _row(model, index):
                record._check_selections(conn)  # values the server's schema refuses
    size = batch_size or len(vals)
    total = (len(vals) + size - 1) // size
    bar = progress_bar(model, "bulk_create", total=len(vals)) if progress else None
    created: list[int] = []
    try:
        for batch, start in enumerate(range(0, len(vals), size)):
            chunk = vals[start : start + size]
            try:
                ids = conn.rpc(model, "create", vals_list=chunk)
            except Exception as exc:
                culprit = find_failing_row(conn, qs._meta, chunk, start) if len(chunk) > 1 else ""
                raise BulkCreateError(
                    f"bulk_create of {model}: batch {batch + 1} of {total} "
                    f"(records {start}..{start + len(chunk) - 1}) failed: {exc}; "
                    f"{culprit}{_created_so_far(created)}",
                    batch=batch,
                    created_ids=list(created),
                    error=exc,
                ) from exc
            ids = [ids] if isinstance(ids, int) else list(ids)
            for record, new_id in zip(records[start : start + size], ids, strict=True):
                _adopt_created(record, conn, int(new_id))
            created.extend(ids)
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return records


@contextmanager
def _row(model: str, index: int) -> Iterator[None]:
    """Name the row of a bad value (same exception class), before anything is sent."""
    try:
        yield
    except (FieldError, ReadonlyError, TypeError, ValueError) as exc:
        raise type(exc)(f"bulk_create of {model}: row {index}: {exc}; nothing was created") from exc


def find_failing_row(conn: Any, meta: Any, rows: Sequence[Mapping[str, Any]], start: int) -> str:
    """Which row of a refused batch is at fault, found by reading only: the ids its
    relational values name that do not exist (the commonest refusal: a foreign key).

    Returns a sentence for the error message, or "" when reading cannot tell.
    """
    targets = {
        f.source: f.comodel_name
        for f in meta.fields.values()
        if f.type in RELATIONAL_TYPES and getattr(f, "comodel_name", None)
    }
    wanted: dict[str, set[int]] = {}
    for row in rows:
        for source, value in row.items():
            if source in targets:
                wanted.setdefault(targets[source], set()).update(_ids_named(value))
    missing: dict[str, set[int]] = {}
    for comodel, ids in wanted.items():
        try:
            found = conn.rpc(
                comodel,
                "search",
                domain=[("id", "in", sorted(ids))],
                context={"active_test": False},
            )
        except Exception:
            return ""
        gone = ids - set(found)
        if gone:
            missing[comodel] = gone
    for index, row in enumerate(rows):
        for source, value in row.items():
            gone = missing.get(targets.get(source, ""), set()) & set(_ids_named(value))
            if gone:
                return (
                    f"row {start + index} names {targets[source]} id(s) {sorted(gone)} in "
                    f"{source}, which do not exist; "
                )
    return ""


def _ids_named(value: Any) -> list[int]:
    """The record ids a wire value of a relational field names (x2many commands too)."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int):
        return [value]
    ids: list[int] = []
    if isinstance(value, list):
        for command in value:
            if isinstance(command, int) and not isinstance(command, bool):
                ids.append(command)
            elif isinstance(command, (list, tuple)) and command:
                code = command[0]
                if code in (1, 2, 3, 4) and len(command) > 1 and isinstance(command[1], int):
                    ids.append(command[1])
                elif code == 6 and len(command) > 2 and isinstance(command[2], list):
                    ids.extend(i for i in command[2] if isinstance(i, int))
    return ids


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
    """Make an unsaved record the live object of the id the server just gave it, as
    ``save()`` does: the models layer's ``_mark_created`` hook (the query layer does
    not touch a record's state itself)."""
    record._mark_created(conn, new_id)


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
