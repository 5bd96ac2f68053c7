"""res.users (delegating to res.partner through ``partner_id``), res.groups and API keys.

The partner fields of a user (``name``, ``email``, ``child_ids``, ``state_id``,
``image_1920``...) are the ``_inherits`` machinery of the ORM core
(``Database.link_inherits``); here are the users' own computed fields, the unique login
and the API-key description wizard (``make_key``).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from odoorm.testing import errors
from odoorm.testing._api import DB, ModelHooks, Row
from odoorm.testing.store import Table, m2o_id


def _groups_field(table: Table) -> str:
    return "group_ids" if "group_ids" in table.fields else "groups_id"


def _user_groups(db: DB, table: Table, row: Row) -> list[int]:
    fname = _groups_field(table)
    return db.x2many_ids(table, row, fname) if fname in table.fields else []


def _partner(db: DB, table: Table, row: Row) -> Row:
    partners = db.tables.get("res.partner")
    return (partners.rows.get(m2o_id(row.get("partner_id")) or 0) if partners else None) or {}


def _tz_offset(db: DB, table: Table, row: Row) -> str:
    return zone_offset(db, _partner(db, table, row).get("tz"))


def zone_offset(db: DB, tz: Any) -> str:
    """``+0100``: the offset of time zone ``tz`` (UTC when unset) now."""
    tz = tz or "UTC"
    try:  # the emulator's clock: the offset of a zone with summer time depends on it
        now = db.clock.now().astimezone(ZoneInfo(tz))
    except Exception:  # an unknown zone (or no tz database) reads as UTC
        return "+0000"
    return now.strftime("%z")


COMPUTED_USERS: dict[str, Callable[[DB, Table, Row], Any]] = {
    "password": lambda db, table, row: "",
    "new_password": lambda db, table, row: "",
    "active_partner": lambda db, table, row: bool(_partner(db, table, row).get("active")),
    "state": lambda db, table, row: "active" if row.get("login_date") else "new",
    "companies_count": lambda db, table, row: len(row.get("company_ids") or []),
    "groups_count": lambda db, table, row: len(_user_groups(db, table, row)),
    "accesses_count": lambda db, table, row: 0,
    "rules_count": lambda db, table, row: 0,
    "tz_offset": _tz_offset,
}


def _unique_login(db: DB, table: Table, ids: list[int]) -> None:
    """Odoo's ``UNIQUE (login)`` constraint on res_users (a ValidationError over RPC)."""
    logins = {table.rows[i].get("login") for i in ids if i in table.rows}
    seen: dict[Any, int] = {}
    for row in table.rows.values():
        login = row.get("login")
        if login in logins:
            if login in seen:
                raise errors.ValidationError(
                    "The operation cannot be completed: "
                    "You can not have two users with the same login!"
                )
            seen[login] = row["id"]


def _user_defaults(db: DB, table: Table) -> dict[str, Any]:
    out: dict[str, Any] = {"share": False, "company_id": 1, "company_ids": [1]}
    groups = db.tables.get("res.groups")
    if groups is not None and 1 in groups.rows:
        out[_groups_field(table)] = [1]  # base.group_user
    return out


def _full_name(db: DB, table: Table, row: Row) -> str:
    return str(row.get("name") or "")


def _passwords(db: DB, table: Table, ids: list[int]) -> None:
    """``password`` / ``new_password`` set the login's password (never stored or read)."""
    for rid in ids:
        row = table.rows.get(rid)
        if row is None:
            continue
        for fname in ("password", "new_password"):
            secret = row.pop(fname, None)
            if secret:
                db.passwords[str(row.get("login"))] = str(secret)


USERS = ModelHooks(
    defaults=_user_defaults,
    check=_unique_login,
    after_change=_passwords,
    computed=COMPUTED_USERS,
)
GROUPS = ModelHooks(computed={"full_name": _full_name})


# -- API keys ---------------------------------------------------------------------------------
def _identity_check(db: DB, model: str, ids: list[int], method: str) -> dict[str, Any]:
    """What Odoo's ``@check_identity`` answers outside a web session that re-checked the
    password in the last 10 minutes (always, over RPC): the password wizard's action."""
    wizard = db.table("res.users.identitycheck")
    wid = db.create_records(wizard, [{"request": json.dumps([model, ids, method])}])[0]
    action: dict[str, Any] = {
        "type": "ir.actions.act_window",
        "res_model": "res.users.identitycheck",
        "res_id": wid,
        "name": "Access Control" if db.version >= 18 else "Security Control",
        "target": "new",
        "views": [[False, "form"]],
    }
    if db.version >= 18:
        action["context"] = {"dialog_size": "medium"}
    return action


def make_key(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    """``res.users.apikeys.description.make_key``: over RPC, first the identity check."""
    return _identity_check(db, table.name, db.existing(table, ids), "make_key")


def _generate_key(db: DB, table: Table, ids: list[int]) -> dict[str, Any]:
    row = table.rows[ids[0]]
    key = secrets.token_hex(20)
    keys = db.table("res.users.apikeys")
    vals: dict[str, Any] = {"name": row.get("name"), "user_id": db.uid, "scope": False}
    if "expiration_date" in keys.fields:
        vals["expiration_date"] = row.get("expiration_date") or False
    db.create_records(keys, [vals])
    db.api_keys[key] = db.uid
    db.unlink_records(table, ids)
    return {
        "type": "ir.actions.act_window",
        "res_model": "res.users.apikeys.show",
        "name": "API Key Ready",
        "views": [[False, "form"]],
        "target": "new",
        "context": {"default_key": key},
    }


def run_check(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    """``res.users.identitycheck.run_check``: the password comes in the context."""
    ids = db.existing(table, ids)
    users = db.table("res.users")
    login = str(users.rows.get(db.uid, {}).get("login"))
    if not db._ctx.get("password") or db.passwords.get(login) != db._ctx.get("password"):
        raise errors.UserError(
            "Incorrect Password, try again or click on Forgot Password to reset your password."
        )
    model, target, method = json.loads(table.rows[ids[0]]["request"])
    if (model, method) != ("res.users.apikeys.description", "make_key"):
        raise errors.UserError(f"The emulator cannot run {model}.{method} after a check.")
    return _generate_key(db, db.table(model), db.existing(db.table(model), target))


def _wizard_defaults(db: DB, table: Table) -> dict[str, Any]:
    return {"duration": "0"} if "duration" in table.fields else {}


def _expiration(db: DB, table: Table, row: Row) -> None:
    duration = row.get("duration")
    if duration not in (None, False, "-1") and not row.get("expiration_date"):
        days = int(duration)
        if days:
            day = dt.date.fromisoformat(db.now()[:10]) + dt.timedelta(days=days)
            row["expiration_date"] = f"{day.isoformat()} 00:00:00"


APIKEY_WIZARD = ModelHooks(methods={"make_key": (make_key, "write")}, before_create=_expiration)
APIKEY_WIZARD_18 = ModelHooks(defaults=_wizard_defaults, since=18)
IDENTITY_CHECK = ModelHooks(methods={"run_check": (run_check, "write")})
