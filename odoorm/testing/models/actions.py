"""ir.actions.actions and ir.actions.act_window.

Odoo keeps every action type in a table of its own that shares ``ir.actions.actions``'
columns and id sequence; browsing ``ir.actions.actions`` shows any action's common fields.
The emulator mirrors its window actions there (same ids), so ``res.users.action_id`` and
``ir.actions.actions.browse(id)`` name them; its reports and server actions keep ids of
their own and are not mirrored.
"""

from __future__ import annotations

from typing import Any

from odoorm.testing._api import DB, ModelHooks, Row
from odoorm.testing.store import Table

#: the fields every action type has, copied to ir.actions.actions
_COMMON = (
    *("name", "type", "path", "help", "binding_model_id", "binding_type", "binding_view_types"),
    *("create_uid", "create_date", "write_uid", "write_date"),
)


def _mirror(db: DB, table: Table, ids: list[int]) -> None:
    actions = db.tables.get("ir.actions.actions")
    for rid in ids:
        row = table.rows.get(rid)
        if row is None:
            continue
        row["display_name"] = row.get("name") or ""
        if actions is None:
            continue
        common = {f: row.get(f, False) for f in _COMMON if f in actions.fields}
        if rid in actions.rows:
            actions.rows[rid].update(common, display_name=row["display_name"])
        else:
            actions.insert({"id": rid, **common, "display_name": row["display_name"]})
            actions.next_id = max(actions.next_id, table.next_id)
    if actions is not None:
        actions.touch()


def _forget(db: DB, table: Table, rows: list[Row]) -> None:
    actions = db.tables.get("ir.actions.actions")
    if actions is not None:
        actions.delete([r["id"] for r in rows if r["id"] in actions.rows])
        actions.touch()


def _xml_id(db: DB, table: Table, row: Row) -> str:
    data = db.tables.get("ir.model.data")
    for d in data.rows.values() if data is not None else ():
        if d.get("res_id") == row["id"] and d.get("model") in (table.name, row.get("type")):
            return f"{d.get('module')}.{d.get('name')}"
    return ""


def _views(db: DB, table: Table, row: Row) -> Any:
    """``[view id, mode]`` per mode: the emulator holds no views, so every id is False."""
    modes = str(row.get("view_mode") or "").split(",")
    return [[False, m.strip()] for m in modes if m.strip()]


def _window_defaults(db: DB, table: Table) -> dict[str, Any]:
    return {
        "type": "ir.actions.act_window",
        "binding_type": "action",
        "binding_view_types": "list,form",
        "context": "{}",
        "target": "current",
        "limit": 80,
        "res_id": 0,
        "view_mode": "tree,form" if db.version <= 17 else "list,form",
    }


ACTION = ModelHooks(
    defaults=lambda db, table: {"binding_type": "action", "binding_view_types": "list,form"},
    computed={"xml_id": _xml_id},
)
WINDOW = ModelHooks(
    defaults=_window_defaults,
    after_change=_mirror,
    after_load=lambda db, table: _mirror(db, table, list(table.rows)),
    after_unlink=_forget,
    computed={"xml_id": _xml_id, "views": _views},
)
