"""mail.followers and ``message_follower_ids`` (mail.thread) on the models that have them.

Creating a record of such a model subscribes the creating user's partner (as Odoo does
unless ``mail_create_nosubscribe`` is in the context); the field lists the followers whose
``res_model`` is the record's model and ``res_id`` its id.
"""

from __future__ import annotations

from typing import Any

from odoorm.testing._api import DB, ModelHooks, Row
from odoorm.testing.store import Table, m2o_id


def followers(db: DB, table: Table, row: Row) -> list[int]:
    rows = db.tables.get("mail.followers")
    if rows is None:
        return []
    return sorted(
        fid
        for fid, f in rows.rows.items()
        if f.get("res_model") == table.name and f.get("res_id") == row["id"]
    )


def subscribe_creator(db: DB, table: Table, ids: list[int]) -> None:
    """The creating user's partner follows the records just created."""
    field = table.fields.get("message_follower_ids")
    target = db.tables.get("mail.followers")
    if field is None or target is None or field.get("store") is False:
        return
    if db._ctx.get("mail_create_nosubscribe") or db._ctx.get("tracking_disable"):
        return
    users = db.tables.get("res.users")
    user = (users.rows.get(db.uid) if users is not None else None) or {}
    partner = m2o_id(user.get("partner_id"))
    if partner is None:
        return
    rows = [{"res_model": table.name, "res_id": rid, "partner_id": partner} for rid in ids]
    db.create_records(target, rows)


def _partner(db: DB, row: Row) -> Row:
    partners = db.tables.get("res.partner")
    return (partners.rows.get(m2o_id(row.get("partner_id")) or 0) if partners else None) or {}


def _after_change(db: DB, table: Table, ids: list[int]) -> None:
    partners = db.tables.get("res.partner")
    for rid in ids:
        row = table.rows.get(rid)
        pid = m2o_id(row.get("partner_id")) if row else None
        if row is not None and partners is not None and pid in partners.rows:
            row["display_name"] = db.display_name(partners, partners.rows[pid])


def _computed(field: str) -> Any:
    return lambda db, table, row: _partner(db, row).get(field) or False


FOLLOWERS = ModelHooks(
    after_change=_after_change,
    computed={
        "name": _computed("name"),
        "email": _computed("email"),
        "is_active": lambda db, table, row: True,
    },
)
FOLLOWED = ModelHooks(computed={"message_follower_ids": followers})
