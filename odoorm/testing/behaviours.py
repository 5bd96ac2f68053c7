"""When the per-model business rules run: defaults, derived values after a change,
constraints, unlink guards, loading, and the custom methods models add.

The rules themselves are registered per model (and per version where they differ) in
:mod:`odoorm.testing.models`; this module runs those that apply, plus the few that hold for
every model (``active`` defaults, display names from ``_rec_name``, ``ir.model`` rows,
archiving). More methods can be added with
:meth:`odoorm.testing.orm.Database.register_method`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from odoorm.testing._api import DB, Method, ModelHooks, Row
from odoorm.testing.models import REGISTRY
from odoorm.testing.store import Table


def hooks(db: DB, model: str) -> Iterator[ModelHooks]:
    """The registered behaviours of ``model`` that apply to the database's version."""
    for entry in REGISTRY.get(model, ()):
        if entry.applies_to(db.version):
            yield entry


# -- defaults ------------------------------------------------------------------------------
def defaults(db: DB, table: Table) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if table.has_active:
        out["active"] = True
    for entry in hooks(db, table.name):
        if entry.defaults is not None:
            out.update(entry.defaults(db, table))
    return out


def default_get(db: DB, table: Table, fields: list[str]) -> dict[str, Any]:
    found = {**table.implicit, **defaults(db, table), **table.defaults}
    out: dict[str, Any] = {}
    for f in fields:
        if f in found and f in table.fields:
            v = found[f]
            out[f] = v() if callable(v) else v
    return out


def copy_defaults(db: DB, table: Table, src: Row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entry in hooks(db, table.name):
        if entry.copy_defaults is not None:
            out.update(entry.copy_defaults(db, table, src))
    return out


# -- loading ---------------------------------------------------------------------------------
def after_load(db: DB) -> None:
    """Complete loaded rows: delegated product fields, derived partner values, tax rates..."""
    for model in REGISTRY:
        table = db.tables.get(model)
        if table is None:
            continue
        for entry in hooks(db, model):
            if entry.after_load is not None:
                entry.after_load(db, table)


READONLY_MODELS = {
    "ir.model": "ir.model is read-only in the emulator: it lists the emulated models, "
    "which come from the data the emulator was started with.",
    "ir.module.module": "ir.module.module is read-only in the emulator: it lists the "
    "installed modules; button_immediate_install installs base_automation.",
}


def sync_ir_model(db: DB) -> None:
    """One ``ir.model`` row per table; rows of models already listed keep their id."""
    table = db.tables.get("ir.model")
    if table is None:
        return
    known = {row.get("model"): rid for rid, row in table.rows.items()}
    for name in sorted(db.tables):
        if name in known:
            continue
        desc = db.tables[name].description
        table.insert(
            {"model": name, "name": desc, "state": "base", "transient": False, "display_name": desc}
        )
    table.touch()


def computed_fields(version: int) -> dict[tuple[str, str], Callable[..., Any]]:
    """(model, field) -> ``compute(db, table, row)`` of the fields computed at read time."""
    found: dict[tuple[str, str], Callable[..., Any]] = {}
    for model, entries in REGISTRY.items():
        for entry in entries:
            if entry.computed and entry.applies_to(version):
                for fname, compute in entry.computed.items():
                    found[(model, fname)] = compute
    return found


def company_dependent(db: DB, table: Table) -> frozenset[str]:
    """The fields of ``table`` that the database stores per company (as json)."""
    found: frozenset[str] = frozenset()
    for entry in hooks(db, table.name):
        found |= entry.company_dependent
    return found


# -- create / write hooks -----------------------------------------------------------------------
def inverse_values(db: DB, table: Table, vals: dict[str, Any]) -> dict[str, Any]:
    """The values a create or write stores: writable computed fields turned into what
    they set (``company_type``), stored computed fields that follow a written one
    (an order's addresses follow its ``partner_id`` unless given)."""
    for entry in hooks(db, table.name):
        if entry.inverse_values is not None:
            vals = entry.inverse_values(db, table, vals)
    return vals


def before_create(db: DB, table: Table, row: Row) -> None:
    for entry in hooks(db, table.name):
        if entry.before_create is not None:
            entry.before_create(db, table, row)


def after_change(
    db: DB, table: Table, ids: list[int], created: bool, fields: set[str] | None = None
) -> None:
    """Recompute derived values of records just created or written (``fields``: written)."""
    ran = False
    for entry in hooks(db, table.name):
        if entry.after_change is not None:
            entry.after_change(db, table, ids)
            ran = True
    if not ran:
        # any other model: the display name is the ``_rec_name`` field
        rec = table.rec_name
        if fields is None or rec in fields or created:
            for rid in ids:
                row = table.rows.get(rid)
                if row is not None and isinstance(row.get(rec), str):
                    row["display_name"] = row[rec]
                elif row is not None:
                    row.pop("display_name", None)
    table.touch()


def check_constraints(db: DB, table: Table, ids: list[int]) -> None:
    """Model constraints checked after a create or write (the call is rolled back)."""
    for entry in hooks(db, table.name):
        if entry.check is not None:
            entry.check(db, table, ids)


def before_unlink(db: DB, table: Table, ids: list[int]) -> None:
    for entry in hooks(db, table.name):
        if entry.before_unlink is not None:
            entry.before_unlink(db, table, ids)


def after_unlink(db: DB, table: Table, rows: list[Row]) -> None:
    """Recompute what depended on deleted records: an order's totals once a line is gone."""
    for entry in hooks(db, table.name):
        if entry.after_unlink is not None:
            entry.after_unlink(db, table, rows)


# -- ids and values sent as strings -------------------------------------------------------------
def record_ids(db: DB, table: Table, method: str, ids: Any, bound: dict[str, Any]) -> Any:
    """The ids ``method`` works on: string ids are refused or left out as the version does
    (see :mod:`odoorm.testing.models.ids`)."""
    for entry in hooks(db, "*"):
        if entry.record_ids is not None:
            ids = entry.record_ids(db, table, method, ids, bound)
    return ids


def string_many2one(db: DB, table: Table, fname: str, value: str) -> Any:
    """What a write stores for a string written to a many2one."""
    for entry in hooks(db, "*"):
        if entry.string_many2one is not None:
            return entry.string_many2one(db, table, fname, value)
    return value


# -- methods ----------------------------------------------------------------------------------
def action_archive(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    return db.write_records(table, ids, {"active": False})


def action_unarchive(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    return db.write_records(table, ids, {"active": True})


def builtin_methods(version: int) -> dict[tuple[str, str], tuple[Method, str]]:
    """(model or "*", method) -> (function(db, table, ids, **kwargs), access operation)."""
    found: dict[tuple[str, str], tuple[Method, str]] = {
        ("*", "action_archive"): (action_archive, "write"),
        ("*", "action_unarchive"): (action_unarchive, "write"),
    }
    for model, entries in REGISTRY.items():
        for entry in entries:
            if entry.methods and entry.applies_to(version):
                for name, method in entry.methods.items():
                    found[(model, name)] = method
    return found
