"""Automation rules and webhook actions: ``base.automation`` and ``ir.actions.server``.

What real Odoo does, measured on 17, 18 and 19 (``docs/webhooks.md``):

- ``ir.actions.server`` with ``state='webhook'`` (17+; Odoo 16 has no such state)
  POSTs ``json.dumps(vals, sort_keys=True, default=str)`` to ``webhook_url``:
  ``_action`` (``"<name>(#<id>)"``), ``_id``, ``_model``, then the fields of
  ``webhook_field_ids`` read with ``load=None`` plus ``id``; datetimes are
  ``str(datetime)``, with microseconds.
- a ``base.automation`` rule (module ``base_automation``, not installed by
  default: ``ir.module.module.button_immediate_install`` installs it) runs its
  actions on ``on_create`` / ``on_write`` / ``on_create_or_write`` /
  ``on_unlink`` of the records that match its ``filter_domain``.
- the POST has a 1 s timeout and its failure is only logged ("send and forget").

The emulator sends ONE POST per change (real Odoo repeats it: 13-14 identical
POSTs for one create). POSTs leave from a background thread, never under the
database lock, so a receiver that calls back into the emulator cannot
deadlock it; they are queued while the writing call runs, so like real Odoo a
change that is then rolled back may still have been announced.

The database calls :func:`setup` when its tables are loaded and :func:`trigger`
after each successful create/write and before each unlink.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import logging
import queue
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any, Protocol

from odoorm.testing import errors
from odoorm.testing.behaviours import sync_ir_model
from odoorm.testing.settings_schema import FOLLOWED, FOLLOWERS_FIELD
from odoorm.testing.store import Table, m2o_id
from odoorm.testing.translations import mark_translated

__all__ = ["SETTINGS_MODELS", "TRIGGERS", "Outbox", "install_module", "outbox", "setup", "trigger"]

_logger = logging.getLogger("odoorm.testing.automation")

#: what Odoo gives the webhook request before it gives up on the receiver
SEND_TIMEOUT = 1.0
#: the triggers that run on each kind of change
TRIGGERS: dict[str, frozenset[str]] = {
    "create": frozenset({"on_create", "on_create_or_write"}),
    "write": frozenset({"on_write", "on_create_or_write"}),
    "unlink": frozenset({"on_unlink"}),
}
_OWN = ("ir.actions.server", "base.automation")
#: models only Settings administrators may change (other users read them)
SETTINGS_MODELS = frozenset({"ir.module.module", "ir.model.fields", *_OWN})
_WIRE = "%Y-%m-%d %H:%M:%S"


class Store(Protocol):
    """What this module needs of the emulator's database."""

    tables: dict[str, Table]
    version: int
    uid: int

    @property
    def clock(self) -> Any: ...
    def search_ids(self, model: str, domain: list, active_test: bool = True) -> set[int]: ...
    def read_rows(
        self, table: Table, rows: list[dict[str, Any]], fnames: list[str], load: str | None = ...
    ) -> list[dict[str, Any]]: ...


# --------------------------------------------------------------------------- schemas


def _f(ftype: str, string: str, **extra: Any) -> dict[str, Any]:
    field = {
        "type": ftype,
        "string": string,
        "required": False,
        "readonly": False,
        "store": True,
        "sortable": ftype not in ("one2many", "many2many"),
        "groupable": ftype not in ("text", "one2many"),
    }
    field.update(extra)
    return field


def _stamps() -> dict[str, dict[str, Any]]:
    return {
        "display_name": _f("char", "Display Name", readonly=True, store=False),
        "create_uid": _f("many2one", "Created by", readonly=True, relation="res.users"),
        "create_date": _f("datetime", "Created on", readonly=True),
        "write_uid": _f("many2one", "Last Updated by", readonly=True, relation="res.users"),
        "write_date": _f("datetime", "Last Updated on", readonly=True),
    }


def _states(version: int) -> list[list[str]]:
    states = [
        ["object_write", "Update Record"],
        ["object_create", "Create Record"],
        ["code", "Execute Code"],
    ]
    if version >= 17:
        states.append(["webhook", "Send Webhook Notification"])
    states.append(["multi", "Execute Existing Actions"])
    return states


_TRIGGER_CHOICES = [
    ["on_create_or_write", "On save"],
    ["on_create", "On creation"],
    ["on_write", "On update"],
    ["on_unlink", "On deletion"],
    ["on_change", "On UI change"],
    ["on_time", "Based on date field"],
]


def _module_schema() -> dict[str, dict[str, Any]]:
    states = [
        ["uninstallable", "Uninstallable"],
        ["uninstalled", "Not Installed"],
        ["installed", "Installed"],
        ["to upgrade", "To be upgraded"],
        ["to remove", "To be removed"],
        ["to install", "To be installed"],
    ]
    return {
        "name": _f("char", "Technical Name", required=True, readonly=True),
        "shortdesc": _f("char", "Module Name", readonly=True),
        "summary": _f("char", "Summary", readonly=True),
        "state": _f("selection", "Status", readonly=True, selection=states),
        "application": _f("boolean", "Application", readonly=True),
        "author": _f("char", "Author", readonly=True),
        "license": _f("char", "License", readonly=True),
        "latest_version": _f("char", "Installed Version", readonly=True),
        "installed_version": _f("char", "Latest Version", readonly=True, store=False),
        "auto_install": _f("boolean", "Automatic Installation", readonly=True),
        "icon": _f("char", "Icon URL"),
        "icon_image": _f("binary", "Icon", readonly=True, store=False),
        "reports_by_module": _f("text", "Reports", readonly=True),
        "views_by_module": _f("text", "Views", readonly=True),
        "menus_by_module": _f("text", "Menus", readonly=True),
        **_stamps(),
    }


def _fields_schema() -> dict[str, dict[str, Any]]:
    return {
        "name": _f("char", "Field Name", required=True),
        "model": _f("char", "Model Name", required=True),
        "model_id": _f("many2one", "Model", required=True, relation="ir.model"),
        "field_description": _f("char", "Field Label", required=True),
        "ttype": _f("char", "Field Type", required=True),
        "relation": _f("char", "Related Model"),
        "required": _f("boolean", "Required"),
        "readonly": _f("boolean", "Readonly"),
        "store": _f("boolean", "Stored"),
        **_stamps(),
    }


def _action_schema(version: int, automation: bool) -> dict[str, dict[str, Any]]:
    usage = [["ir_actions_server", "Server Action"], ["ir_cron", "Scheduled Action"]]
    fields: dict[str, dict[str, Any]] = {
        "name": _f("char", "Action Name", required=True),
        "type": _f("char", "Action Type", required=True),
        "model_id": _f("many2one", "Model", required=True, relation="ir.model"),
        "model_name": _f("char", "Model Name", readonly=True),
        "state": _f("selection", "Type", required=True, selection=_states(version)),
        "usage": _f("selection", "Usage", required=True, selection=usage),
        "sequence": _f("integer", "Sequence"),
        "code": _f("text", "Python Code"),
    }
    if version >= 17:
        fields["webhook_url"] = _f("char", "Webhook URL")
        fields["webhook_field_ids"] = _f("many2many", "Webhook Fields", relation="ir.model.fields")
    if automation:
        usage.append(["base_automation", "Automation Rule"])
        fields["base_automation_id"] = _f(
            "many2one", "Automation Rule", relation="base.automation", ondelete="cascade"
        )
    return {**fields, **_stamps()}


def _automation_schema(version: int) -> dict[str, dict[str, Any]]:
    fields: dict[str, dict[str, Any]] = {
        "name": _f("char", "Automation Rule Name", required=True),
        "model_id": _f("many2one", "Model", required=True, relation="ir.model"),
        "model_name": _f("char", "Model Name", readonly=True),
        "trigger": _f("selection", "Trigger", required=True, selection=_TRIGGER_CHOICES),
        "filter_domain": _f("char", "Apply on"),
        "filter_pre_domain": _f("char", "Before Update Domain"),
        "active": _f("boolean", "Active"),
    }
    if version >= 17:
        fields["action_server_ids"] = _f(
            "one2many",
            "Actions",
            relation="ir.actions.server",
            relation_field="base_automation_id",
        )
    else:
        # Odoo 16: the rule IS a server action (_inherits), with the action's own states
        fields["action_server_id"] = _f(
            "many2one", "Server Actions", relation="ir.actions.server", ondelete="restrict"
        )
        fields["state"] = _f("selection", "Type", selection=_states(version))
        fields["code"] = _f("text", "Python Code")
    return {**fields, **_stamps()}


#: modules the emulated database lists (name, title, installed on the emulator's start)
MODULES = (
    ("base", "Base", True),
    ("web", "Web", True),
    ("base_setup", "Initial Setup Tools", True),
    ("contacts", "Contacts", True),
    ("uom", "Units of measure", True),
    ("product", "Products & Pricelists", True),
    ("sales_team", "Sales Teams", True),
    ("sale", "Sales", True),
    ("sale_management", "Sales", True),
    ("base_automation", "Automation Rules", False),
)
#: modules whose icon is their own (the others show base's)
_OWN_ICONS = frozenset({"base", "contacts", "sale", "sale_management"})
#: modules shown as applications in the Apps menu
_APPLICATIONS = frozenset({"contacts", "sale_management"})


# --------------------------------------------------------------------------- setup


def _translated(db: Any, model: str, fields: dict[str, Any]) -> dict[str, Any]:
    mark_translated(model, fields, db.version)
    if model in FOLLOWED:
        fields["message_follower_ids"] = dict(FOLLOWERS_FIELD)
    return fields


def setup(db: Any) -> None:
    """Add the server-action models every Odoo has (idempotent; run after each load)."""
    added = False
    if "ir.module.module" not in db.tables:
        modules = db.tables["ir.module.module"] = Table(
            "ir.module.module", _translated(db, "ir.module.module", _module_schema())
        )
        listed = [*MODULES, *([("rpc", "RPC endpoints", True)] if db.version >= 19 else [])]
        for name, title, installed in listed:
            modules.insert(
                {
                    "name": name,
                    "shortdesc": title,
                    "state": "installed" if installed else "uninstalled",
                    "application": name in _APPLICATIONS,
                    "author": "Odoo S.A.",
                    "license": "LGPL-3",
                    "latest_version": f"{db.version}.0.1.0" if installed else False,
                    "auto_install": name in ("base_setup", "rpc"),
                    # modules without an icon of their own show base's
                    "icon": f"/{name if name in _OWN_ICONS else 'base'}"
                    "/static/description/icon.png",
                    "views_by_module": "",  # the emulator holds no views...
                    "menus_by_module": "",  # ...nor menus of a module
                }
            )
        db.register_method("ir.module.module", "button_immediate_install", _immediate_install)
        added = True
    if "ir.model.fields" not in db.tables:
        db.tables["ir.model.fields"] = Table(
            "ir.model.fields", _translated(db, "ir.model.fields", _fields_schema())
        )
        added = True
    if "ir.actions.server" not in db.tables:
        automation = "base.automation" in db.tables
        fields = _action_schema(db.version, automation)
        table = Table("ir.actions.server", _translated(db, "ir.actions.server", fields))
        table.defaults.update(
            type="ir.actions.server", state="code", usage="ir_actions_server", sequence=5
        )
        db.tables["ir.actions.server"] = table
        added = True
    if added:
        sync_ir_model(db)
    _sync_fields(db)


def _sync_fields(db: Any) -> None:
    """One ``ir.model.fields`` row per field of every table (new ones only)."""
    table, models = db.tables.get("ir.model.fields"), db.tables.get("ir.model")
    if table is None or models is None:
        return
    model_ids = {row.get("model"): rid for rid, row in models.rows.items()}
    known = {(row.get("model"), row.get("name")) for row in table.rows.values()}
    for name in sorted(db.tables):
        for fname, field in db.tables[name].fields.items():
            if (name, fname) in known or name not in model_ids:
                continue
            table.insert(
                {
                    "name": fname,
                    "model": name,
                    "model_id": model_ids[name],
                    "field_description": field.get("string") or fname,
                    "ttype": field.get("type"),
                    "relation": field.get("relation") or False,
                    "required": bool(field.get("required")),
                    "readonly": bool(field.get("readonly")),
                    "store": field.get("store", True) is not False,
                    "display_name": field.get("string") or fname,
                }
            )
    table.touch()


def install_module(db: Any, name: str) -> None:
    """Install a module the emulator knows how to add (``base_automation``)."""
    modules = db.tables["ir.module.module"]
    row = next((r for r in modules.rows.values() if r.get("name") == name), None)
    if row is None:
        raise errors.UserError(f"The module {name!r} is not available on this emulated server.")
    if row.get("state") == "installed":
        return
    if name != "base_automation":
        raise errors.UserError(f"The emulator cannot install {name!r}.")
    db.tables["base.automation"] = Table("base.automation", _automation_schema(db.version))
    actions = db.tables["ir.actions.server"]
    actions.fields.update(_action_schema(db.version, automation=True))
    actions.touch()
    row["state"] = "installed"
    modules.touch()
    sync_ir_model(db)
    _sync_fields(db)


def _immediate_install(db: Any, table: Table, ids: list[int]) -> dict[str, Any]:
    """Install the modules now (what Settings > Apps > Install does)."""
    for rid in ids:
        row = table.rows.get(rid)
        if row is None:
            raise errors.MissingError(
                f"Record does not exist or has been deleted.\n(Record: {table.name}({rid},), "
                f"User: {db.uid})"
            )
        install_module(db, str(row.get("name")))
    return {"type": "ir.actions.client", "tag": "reload", "params": {"menu_id": False}}


# --------------------------------------------------------------------------- running rules


def trigger(db: Store, table: Table, ids: list[int], change: str) -> None:
    """Run the automation rules of ``table`` for a change (create, write, unlink) of ``ids``.

    Called after a successful create or write and before an unlink (the rows still exist).
    """
    if table.name in _OWN and change != "unlink":
        _derive(db, table, ids, change)
    rules_table = db.tables.get("base.automation")
    if rules_table is None or not rules_table.rows or not ids or db.version < 17:
        return
    model_id = _model_id(db, table.name)
    wanted = TRIGGERS[change]
    rules = [
        row
        for _, row in sorted(rules_table.rows.items())
        if row.get("active", True) is not False
        and m2o_id(row.get("model_id")) == model_id
        and row.get("trigger") in wanted
    ]
    for rule in rules:
        matched = _matching(db, table, ids, rule)
        for action in _actions(db, rule):
            if action.get("state") == "webhook" and action.get("webhook_url"):
                for rid in matched:
                    body = _payload(db, table, rid, action)
                    outbox(db).put(str(action["webhook_url"]), body)


def _model_id(db: Store, model: str) -> int | None:
    models = db.tables.get("ir.model")
    if models is None:
        return None
    return next((rid for rid, r in models.rows.items() if r.get("model") == model), None)


def _derive(db: Store, table: Table, ids: list[int], change: str) -> None:
    """``model_name`` (a related field) and the checks Odoo makes on save.

    Odoo 17 and 18 name a rule's webhook action themselves when it is created
    (``_compute_name``: "Send Webhook Notification", whatever name was given; a
    later write of the name alone sticks); 19 keeps the given name.
    """
    models = db.tables.get("ir.model")
    for rid in ids:
        row = table.rows.get(rid)
        if row is None:
            continue
        mrow = models.rows.get(m2o_id(row.get("model_id")) or 0) if models else None
        row["model_name"] = (mrow or {}).get("model") or False
        if (
            change == "create"
            and table.name == "ir.actions.server"
            and db.version in (17, 18)
            and row.get("base_automation_id")
            and row.get("state") == "webhook"
        ):
            row["name"] = "Send Webhook Notification"
        if table.name == "base.automation":
            parse_domain(row.get("filter_domain"))


def parse_domain(text: Any) -> list[Any]:
    """A rule's ``filter_domain`` (a Python literal, as Odoo stores it) as a list."""
    if not text:
        return []
    try:
        value = ast.literal_eval(str(text))
    except (ValueError, SyntaxError) as exc:
        raise errors.value_error(
            f"Invalid domain {text!r}: the emulator evaluates filter_domain as a Python "
            f"literal (no variables such as uid): {exc}"
        ) from None
    if not isinstance(value, (list, tuple)):
        raise errors.value_error(f"Invalid domain {text!r}: expected a list")
    return list(value)


def _matching(db: Store, table: Table, ids: list[int], rule: dict[str, Any]) -> list[int]:
    domain = parse_domain(rule.get("filter_domain"))
    if not domain:
        return [rid for rid in ids if rid in table.rows]
    # Odoo filters the changed records with filtered_domain: archived ones included
    found = db.search_ids(table.name, [("id", "in", list(ids)), *domain], active_test=False)
    return [rid for rid in ids if rid in found]


def _actions(db: Store, rule: dict[str, Any]) -> list[dict[str, Any]]:
    actions = db.tables.get("ir.actions.server")
    if actions is None:
        return []
    mine = [r for r in actions.rows.values() if m2o_id(r.get("base_automation_id")) == rule["id"]]
    return sorted(mine, key=lambda r: (r.get("sequence") or 0, r["id"]))


def _payload(db: Store, table: Table, rid: int, action: dict[str, Any]) -> dict[str, Any]:
    vals: dict[str, Any] = {
        "_model": table.name,
        "_id": rid,
        "_action": f"{action.get('name')}(#{action['id']})",
    }
    field_rows = db.tables.get("ir.model.fields")
    names = [
        str(field_rows.rows[fid]["name"])
        for fid in action.get("webhook_field_ids") or []
        if field_rows is not None and fid in field_rows.rows
    ]
    names = [n for n in names if n in table.fields]
    if names:
        read = db.read_rows(table, [table.rows[rid]], names, None)[0]
        now = _naive(db.clock.now())
        for name in names:
            if table.fields[name].get("type") == "datetime" and read.get(name):
                read[name] = _precise(str(read[name]), now)
        vals.update(read)
    return vals


def _naive(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def _precise(stored: str, now: dt.datetime) -> str:
    """``str(datetime)`` as Odoo's payload has it: the stamp of this change keeps its
    microseconds (Odoo reads it from the transaction's cache), others have none."""
    if now.strftime(_WIRE) == stored:
        return str(now)
    try:
        return str(dt.datetime.strptime(stored, _WIRE))
    except ValueError:
        return stored


# --------------------------------------------------------------------------- sending


class Outbox:
    """The webhook POSTs of one database, sent in order from a background thread.

    ``sent`` lists ``(url, payload)`` of every POST queued (for tests: what the
    emulator announced); ``join()`` waits until the queue is empty.
    """

    def __init__(self, send: Callable[[str, bytes], None] | None = None):
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self._queue: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._send = send or _post

    def put(self, url: str, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, sort_keys=True, default=str).encode()
        with self._lock:
            self.sent.append((url, json.loads(body)))
            self._queue.put((url, body))
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._run, name="odoo-emulator-webhooks", daemon=True
                )
                self._worker.start()

    def join(self) -> None:
        """Wait until every queued POST was made (or failed)."""
        self._queue.join()

    def _run(self) -> None:
        while True:
            with self._lock:
                try:
                    url, body = self._queue.get_nowait()
                except queue.Empty:
                    self._worker = None
                    return
            try:
                self._send(url, body)
            except Exception as exc:  # send and forget, as Odoo: the error is only logged
                _logger.warning("webhook POST to %s failed: %s", _where(url), exc)
            finally:
                self._queue.task_done()


def _post(url: str, body: bytes) -> None:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=SEND_TIMEOUT) as answer:
        answer.read()


def _where(url: str) -> str:
    """The URL without its path and query (where the receiver's secret travels)."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/..."


_OUTBOXES_LOCK = threading.Lock()


def outbox(db: Any) -> Outbox:
    """The :class:`Outbox` of a database (created on first use)."""
    with _OUTBOXES_LOCK:
        box = db.__dict__.get("webhook_outbox")
        if box is None:
            box = db.__dict__["webhook_outbox"] = Outbox()
        found: Outbox = box
        return found
