"""Installing webhooks: an automation rule and its ``state='webhook'`` server action.

Odoo 17+ only; the rules are named ``"odoorm: <hook name>"`` (and
``"odoorm: <hook name> (deleted)"`` for deletions) so :func:`installed` finds them.
"""

from __future__ import annotations

import ast
import ipaddress
import logging
import urllib.parse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from odoorm.exceptions import AccessError, ConfigurationError, FieldError
from odoorm.models import Model
from odoorm.query import QuerySet
from odoorm.session import get_default_connection

if TYPE_CHECKING:
    from odoorm.session import Connection

__all__ = ["Hook", "WebhooksUnavailable", "install", "install_base_automation", "installed"]

_logger = logging.getLogger("odoorm.webhooks")

#: automation rules odoorm made are named "odoorm: <hook name>" (so installed() finds them)
PREFIX = "odoorm: "
#: the rule that announces deletions is "odoorm: <hook name> (deleted)"
DELETED = " (deleted)"
KINDS = ("create", "write", "unlink")


class WebhooksUnavailable(ConfigurationError):
    """The server cannot send webhooks: Odoo 16, or the ``base_automation`` module is
    not installed. The message says what to do."""


# --------------------------------------------------------------------------- installing


@attrs.frozen(eq=False)
class Hook:
    """A webhook odoorm installed: one automation rule per trigger and its action.

    Attributes:
        name: the hook's name (the rules are named ``"odoorm: <name>"``).
        model: the Odoo model, e.g. ``"res.partner"``.
        url: where Odoo POSTs (holds the token: kept out of ``repr()``).
        on: the changes announced, from ``"create"``, ``"write"``, ``"unlink"``.
        fields: the Odoo names of the fields each POST carries.
        filter_domain: the rule's domain as Odoo stores it (a Python literal).
        automation_ids, action_ids: the server records behind the hook.
    """

    name: str
    model: str
    url: str = attrs.field(repr=False)
    on: tuple[str, ...]
    fields: tuple[str, ...]
    filter_domain: str
    automation_ids: tuple[int, ...]
    action_ids: tuple[int, ...]
    conn: Connection | None = attrs.field(default=None, repr=False)

    def remove(self) -> None:
        """Delete the hook's automation rules and actions (what is already gone is skipped).

        Three to four calls: find what still exists, then one unlink per model.
        """
        conn = _connection(self.conn)
        everything = {"active_test": False}
        rules = conn.rpc(
            "base.automation",
            "search",
            domain=[("id", "in", list(self.automation_ids))],
            context=everything,
        )
        try:
            if rules:
                conn.rpc("base.automation", "unlink", list(rules))
            # deleting a rule deletes its actions (ondelete cascade); older ones may remain
            actions = conn.rpc(
                "ir.actions.server", "search", domain=[("id", "in", list(self.action_ids))]
            )
            if actions:
                conn.rpc("ir.actions.server", "unlink", list(actions))
        except AccessError as exc:
            raise _rights(exc, conn, "delete automation rules") from exc


def install(
    model_or_queryset: type[Model] | QuerySet[Any],
    url: str,
    *,
    on: Sequence[str] | str = ("create", "write"),
    fields: Sequence[str] | None = None,
    name: str | None = None,
    conn: Connection | None = None,
) -> Hook:
    """Make Odoo POST to ``url`` when records of a model change; returns the :class:`Hook`.

    Args:
        model_or_queryset: a model class, or a QuerySet whose filters become the
            rule's ``filter_domain`` (only matching records are announced).
        url: the receiver's URL, token included (``https://`` unless on this machine).
        on: any of ``"create"``, ``"write"``, ``"unlink"`` (deletions get a rule of their own).
        fields: Python field names each POST carries (default: the fields a query
            reads, binaries left out); ``write_date`` is always added.
        name: the hook's name (default: the Odoo model); installing again with
            the same name updates that hook in place.
        conn: the connection (default: the QuerySet's, else the default one).

    Raises:
        WebhooksUnavailable: Odoo 16, or ``base_automation`` not installed.
        AccessError: the user may not create automation rules (Settings rights).
        FieldError: a bad argument, raised before anything is sent.
    """
    qs = _queryset(model_or_queryset, "install()")
    kinds = _kinds(on)
    _check_url(url)
    meta = qs.model._meta
    hook_name = _check_name(meta.odoo_model if name is None else name)
    sources = _sources(qs.model, fields)
    if conn is not None:
        qs = qs.using(conn)
    _check_version(_connection(conn if conn is not None else _query_connection(qs)))
    conn = qs._connection()
    _require_automation(conn)
    domain = _domain_text(qs)
    model_id = _model_id(conn, meta.odoo_model)
    field_ids = _field_ids(conn, meta.odoo_model, sources)
    wanted: dict[str, str] = {}
    changes = [k for k in kinds if k != "unlink"]
    if changes:
        trigger = "on_create_or_write" if len(changes) == 2 else f"on_{changes[0]}"
        wanted[PREFIX + hook_name] = trigger
    if "unlink" in kinds:
        wanted[PREFIX + hook_name + DELETED] = "on_unlink"
    ours = [PREFIX + hook_name, PREFIX + hook_name + DELETED]
    existing = {row["name"]: row for row in _rules(conn, ours)}
    rule_ids: list[int] = []
    action_ids: list[int] = []
    try:
        for rule_name, trigger in wanted.items():
            action = {
                "name": rule_name,
                "model_id": model_id,
                "state": "webhook",
                "usage": "base_automation",
                "webhook_url": url,
                "webhook_field_ids": [(6, 0, field_ids)],
            }
            rule = {
                "name": rule_name,
                "model_id": model_id,
                "trigger": trigger,
                "filter_domain": domain,
                "active": True,
            }
            old = existing.pop(rule_name, None)
            if old is None:
                rule["action_server_ids"] = [(0, 0, action)]
                rid = conn.rpc("base.automation", "create", vals_list=[rule])[0]
            else:
                rid = old["id"]
                first = (old.get("action_server_ids") or [None])[0]
                command = (0, 0, action) if first is None else (1, first, action)
                rule["action_server_ids"] = [command]
                conn.rpc("base.automation", "write", [rid], vals=rule)
            rule_ids.append(rid)
            read = conn.rpc("base.automation", "read", [rid], fields=["action_server_ids"])
            mine = read[0]["action_server_ids"] if read else []
            if mine:
                # Odoo 17/18 name a rule's action themselves ("Send Webhook Notification",
                # recomputed on every write of its URL or state); the name is what the
                # POST's "_action" carries, so the receiver's Event.hook needs ours. A
                # write of the name alone sticks (19 keeps the given name anyway).
                conn.rpc("ir.actions.server", "write", mine, vals={"name": rule_name})
            action_ids.extend(mine)
        for stale in existing.values():  # e.g. "unlink" no longer wanted
            conn.rpc("base.automation", "unlink", [stale["id"]])
    except AccessError as exc:
        raise _rights(exc, conn, "create automation rules") from exc
    return Hook(
        name=hook_name,
        model=meta.odoo_model,
        url=url,
        on=kinds,
        fields=tuple(sources),
        filter_domain=domain,
        automation_ids=tuple(rule_ids),
        action_ids=tuple(action_ids),
        conn=conn,
    )


def installed(conn: Connection | None = None) -> list[Hook]:
    """The hooks odoorm installed on the server (rules named ``"odoorm: ..."``), by name.

    Three to four calls; an empty list on Odoo 16 or without ``base_automation``.
    """
    conn = _connection(conn)
    if conn.version.major < 17 or not _has_automation(conn):
        return []
    rules = conn.rpc(
        "base.automation",
        "search_read",
        domain=[("name", "=like", PREFIX + "%")],
        fields=["name", "model_name", "trigger", "filter_domain", "action_server_ids"],
        order="id",
        context={"active_test": False},
    )
    action_ids = [i for rule in rules for i in rule["action_server_ids"]]
    actions = {
        a["id"]: a
        for a in conn.rpc(
            "ir.actions.server", "read", action_ids, fields=["webhook_url", "webhook_field_ids"]
        )
    }
    field_ids = {i for a in actions.values() for i in a.get("webhook_field_ids") or []}
    names = {
        f["id"]: f["name"]
        for f in conn.rpc("ir.model.fields", "read", sorted(field_ids), fields=["name"])
    }
    hooks: dict[str, dict[str, Any]] = {}
    for rule in rules:
        hook_name = rule["name"][len(PREFIX) :].removesuffix(DELETED)
        hook = hooks.setdefault(
            hook_name,
            {"model": rule["model_name"], "on": [], "rules": [], "actions": [], "url": ""},
        )
        hook["on"].extend(_TRIGGERKINDS.get(rule["trigger"], ()))
        hook["rules"].append(rule["id"])
        hook["domain"] = rule.get("filter_domain") or "[]"
        for aid in rule["action_server_ids"]:
            action = actions.get(aid, {})
            hook["actions"].append(aid)
            hook["url"] = hook["url"] or action.get("webhook_url") or ""
            hook["fields"] = [names[i] for i in action.get("webhook_field_ids") or [] if i in names]
    return [
        Hook(
            name=n,
            model=h["model"],
            url=h["url"],
            on=tuple(k for k in KINDS if k in h["on"]),
            fields=tuple(h.get("fields", ())),
            filter_domain=h["domain"],
            automation_ids=tuple(h["rules"]),
            action_ids=tuple(h["actions"]),
            conn=conn,
        )
        for n, h in sorted(hooks.items())
    ]


def install_base_automation(conn: Connection | None = None) -> bool:
    """Install Odoo's ``base_automation`` module if needed (Settings administrators only;
    a real server takes a few seconds). Returns True when it installed it now."""
    conn = _connection(conn)
    rows = conn.rpc(
        "ir.module.module",
        "search_read",
        domain=[("name", "=", "base_automation")],
        fields=["state"],
    )
    if not rows:
        raise WebhooksUnavailable(f"{conn.url} has no base_automation module to install")
    if rows[0]["state"] == "installed":
        return False
    try:
        conn.rpc("ir.module.module", "button_immediate_install", [rows[0]["id"]])
    except AccessError as exc:
        raise _rights(exc, conn, "install modules") from exc
    return True


_TRIGGERKINDS = {
    "on_create_or_write": ("create", "write"),
    "on_create": ("create",),
    "on_write": ("write",),
    "on_unlink": ("unlink",),
}


def _connection(conn: Connection | None) -> Connection:
    return conn if conn is not None else get_default_connection()


def _queryset(target: Any, where: str) -> QuerySet[Any]:
    if isinstance(target, QuerySet):
        plan = getattr(target, "_plan", None)
        if getattr(plan, "sliced", False) or getattr(plan, "aggregates", None):
            raise FieldError(
                f"{where} takes the filters of a query, not a slice or an aggregation: "
                "pass Model.objects.filter(...) without [..] or annotate()"
            )
        return target
    if isinstance(target, type) and issubclass(target, Model) and target._meta.odoo_model:
        return target.objects.all()
    raise FieldError(
        f"{where} takes a model class (class Partner(odoorm.Model)) or a query "
        f"(Partner.objects.filter(...)), got {target!r}"
    )


def _kinds(on: Sequence[str] | str) -> tuple[str, ...]:
    chosen = (on,) if isinstance(on, str) else tuple(on)
    bad = [k for k in chosen if k not in KINDS]
    if bad or not chosen:
        raise FieldError(
            f"on={on!r}: choose one or more of 'create', 'write' and 'unlink', "
            "e.g. on=('create', 'write')"
        )
    return tuple(k for k in KINDS if k in chosen)


def _check_url(url: Any) -> None:
    parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise FieldError(
            f"url={url!r}: give the receiver's absolute URL with its token, "
            "e.g. 'https://hooks.example.com/odoo/<token>'"
        )
    if parts.username or parts.password:
        raise FieldError("url: Odoo sends no credentials from a URL; put the token in the path")
    if parts.scheme == "http" and not _is_local(parts.hostname):
        _logger.warning(
            "webhook URL on %s is plain http: the token in it travels in clear; use https",
            parts.hostname,
        )


def _is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > 100 or "(#" in name:
        raise FieldError(
            f"name={name!r}: a hook's name is a short text (up to 100 characters, no '(#'), "
            "e.g. name='crm-sync'"
        )
    return name.strip()


def _sources(model: type[Model], fields: Sequence[str] | None) -> list[str]:
    meta = model._meta
    if isinstance(fields, str):
        raise FieldError(f"fields={fields!r}: give a list of field names, e.g. fields=['name']")
    names = meta.read_fields() if fields is None else [meta.get_field(f).source for f in fields]
    if "write_date" not in names:  # coalescing and the polling cursor need it
        names.append("write_date")
    return list(dict.fromkeys(names))


def _domain_text(qs: QuerySet[Any]) -> str:
    """The query's domain as Odoo stores ``filter_domain``: a Python literal."""
    domain = [tuple(t) if isinstance(t, list) else t for t in qs.domain]
    text = repr(domain)
    try:
        same = ast.literal_eval(text) == domain
    except (ValueError, SyntaxError):
        same = False
    if not same:
        raise FieldError(
            f"the query's domain {domain!r} holds values Odoo cannot store in a rule's "
            "filter_domain: filter with plain values (text, numbers, dates as text, ids)"
        )
    return text


def _query_connection(qs: QuerySet[Any]) -> Connection | None:
    """The connection a query was bound to with ``using()`` (None: the default one)."""
    conn: Connection | None = getattr(getattr(qs, "_plan", None), "conn", None)
    return conn


def _check_version(conn: Connection) -> None:
    if conn.version.major < 17:
        raise WebhooksUnavailable(
            f"Odoo {conn.version.text} cannot send webhooks: the 'Send Webhook Notification' "
            "server action came with Odoo 17, and a server action's Python code cannot "
            "import an HTTP library (forbidden opcode IMPORT_NAME). Poll for changes "
            "instead with odoorm.polling.watch(Model.objects.all()), or install a custom "
            "module that sends them."
        )


def _require_automation(conn: Connection) -> None:
    if not _has_automation(conn):
        raise WebhooksUnavailable(
            f"the base_automation module ('Automation Rules') is not installed on {conn.url}: "
            "install it in Settings > Apps (search 'Automation Rules'), or as an "
            "administrator with odoorm.webhooks.install_base_automation(conn)"
        )


def _has_automation(conn: Connection) -> bool:
    found = conn.rpc("ir.model", "search_count", domain=[("model", "=", "base.automation")])
    return bool(found)


def _model_id(conn: Connection, model: str) -> int:
    ids = conn.rpc("ir.model", "search", domain=[("model", "=", model)], limit=1)
    if not ids:
        raise FieldError(f"{conn.url} has no model {model!r}: is its module installed?")
    return int(ids[0])


def _field_ids(conn: Connection, model: str, names: list[str]) -> list[int]:
    rows = conn.rpc(
        "ir.model.fields",
        "search_read",
        domain=[("model", "=", model), ("name", "in", names)],
        fields=["name"],
    )
    by_name = {row["name"]: row["id"] for row in rows}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise FieldError(
            f"{model} on {conn.url} has no field {', '.join(map(repr, missing))}: "
            "leave it out of fields= (or check the model class against the server)"
        )
    return [by_name[n] for n in names]


def _rules(conn: Connection, names: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = conn.rpc(
        "base.automation",
        "search_read",
        domain=[("name", "in", sorted(set(names)))],
        fields=["name", "action_server_ids"],
        order="id",
        context={"active_test": False},
    )
    return rows


def _rights(exc: AccessError, conn: Connection, what: str) -> AccessError:
    return AccessError(
        f"{conn.login or 'this user'} may not {what} on {conn.url}: webhooks need a user "
        "with the Administration / Settings rights (or ask an administrator to install "
        f"the hook). Odoo said: {exc.message}",
        name=exc.name,
        model=exc.model,
        method=exc.method,
    )
