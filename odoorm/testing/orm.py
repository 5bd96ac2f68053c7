"""The emulator's ORM core: :class:`Database`, an in-memory Odoo database.

    db = Database(version=18)                      # built-in demo data
    db.execute(2, "res.partner", "search_read", [[["is_company", "=", True]]], {"fields": ["name"]})

``execute`` has ``execute_kw`` semantics and raises :mod:`odoorm.testing.errors` exceptions
that the protocol front-ends turn into each protocol's error shape.
"""

from __future__ import annotations

import copy
import json
import secrets
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from odoorm.testing import automation, behaviours, errors
from odoorm.testing._api import is_model_method
from odoorm.testing.apidoc import (
    BUILTIN,
    MODULES,
    STANDARD,
    describe,
    describe_function,
    function_signature,
)
from odoorm.testing.clock import Clock, When, make_clock
from odoorm.testing.demo import base_data, demo_data
from odoorm.testing.demo_schema import schemas
from odoorm.testing.generate import generate
from odoorm.testing.measured import MEASURED_INHERITS, implicit_values
from odoorm.testing.methods import (
    IMPLEMENTATIONS,
    ONLY_ON,
    QUALIFIED_16,
    SIGNATURES,
    signature_of,
)
from odoorm.testing.modelinfo import access_group, info_for, m2m_pairs
from odoorm.testing.models import system
from odoorm.testing.store import Table
from odoorm.testing.writes import WritesMixin

_VERBS = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}
PERMS = ("read", "write", "create", "unlink")
# methods that are private on some versions although public before
_PRIVATE_FROM = {"exists": 19}


#: fields every model has of its own, never delegated to an ``_inherits`` parent
_OWN_FIELDS = frozenset(
    {"id", "display_name", "create_date", "create_uid", "write_date", "write_uid", "__last_update"}
)


class Database(WritesMixin):
    """An in-memory Odoo database with real ORM semantics (see module docstring)."""

    def __init__(
        self,
        name: str = "odoorm",
        version: int = 18,
        data: Any = "demo",
        now: Clock | When | None = None,
    ):
        if version not in (16, 17, 18, 19):
            raise ValueError(f"version must be 16, 17, 18 or 19, not {version!r}")
        super().__init__()
        self.name = name
        self.version = version
        self.lock = threading.RLock()
        self.uid = 2
        self._ctx: dict[str, Any] = {}
        self._journal = None
        self.languages: set[str] = {"en_US"}
        self.passwords: dict[str, str] = {"admin": "admin", "demo": "demo"}
        self.api_key = secrets.token_hex(20)
        self.api_keys: dict[str, int] = {}
        #: (model, uid) -> allowed operations; missing entries use :meth:`_default_perms`
        self.access: dict[tuple[str, int], frozenset[str]] = {}
        self.methods: dict[tuple[str, str], tuple[Callable[..., Any], str]] = (
            behaviours.builtin_methods(version)
        )
        self.read_computed = behaviours.computed_fields(version)
        #: what "now" is for create_date/write_date and defaults (see odoorm.testing.clock)
        self.clock = make_clock(now)
        if data == "demo":
            self.load(demo_data(version), recompute=True)
        elif data is None:
            self.load(base_data(version), recompute=True)
        elif isinstance(data, (str, Path)):
            self.load(json.loads(Path(data).read_text(encoding="utf-8")))
            self._ensure_models()
        elif isinstance(data, dict):
            self.load(data)
            self._ensure_models()
        else:
            raise TypeError("data must be 'demo', None, a path to a seed.json file or a dict")
        admin = self.uid_for_login("admin")
        self.api_keys[self.api_key] = admin or 2

    def __repr__(self) -> str:
        return f"<Database {self.name!r} v{self.version} ({len(self.tables)} models)>"

    # -- loading -----------------------------------------------------------------------------
    def load(self, data: dict[str, Any], recompute: bool = False) -> None:
        """Add models and records in seed.json shape ``{"models": {m: {"fields", "records"}}}``.

        Rows are taken as given (a seed holds computed values too); ``recompute=True`` fills
        computed fields (display names, hierarchy names, order totals) from the data.
        """
        models = data.get("models")
        if not isinstance(models, dict):
            raise ValueError(
                'data must look like {"models": {model: {"fields": ..., "records": [...]}}}'
            )
        for model, spec in models.items():
            fields = spec.get("fields") or {}
            table = self.tables.get(model)
            if table is None:
                info = info_for(model, self.version)
                table = self.tables[model] = Table(model, fields, info)
            else:
                table.fields.update(fields)
            table.implicit = implicit_values(model, self.version, table.fields)
        for model, spec in models.items():
            table = self.tables[model]
            for rec in spec.get("records") or []:
                table.insert(self._row_in(table, rec))
            seq = spec.get("next_id")
            if isinstance(seq, int):
                table.next_id = max(table.next_id, seq)
        self.link_relations()
        for t in self.tables.values():
            t.touch()
        behaviours.after_load(self)
        behaviours.sync_ir_model(self)
        automation.setup(self)
        system.sync_xmlids(self)
        if recompute:
            for model in sorted(models, key=lambda m: m != "res.partner"):
                table = self.tables[model]
                behaviours.after_change(self, table, list(table.rows), created=True)

    def _ensure_models(self) -> None:
        """Models a seed may lack but every Odoo has (attachments, system parameters)."""
        for model, fields in schemas(self.version).items():
            if model not in self.tables and model.startswith("ir."):
                self.tables[model] = Table(model, fields, info_for(model, self.version))
        self.link_relations()
        behaviours.sync_ir_model(self)
        automation.setup(self)
        system.sync_xmlids(self)

    def link_relations(self) -> None:
        """Find the many2many pairs that share a relation table and keep one side only: the
        values stored on the other side are merged into the owner's rows, then computed."""
        self.m2m_pairs = m2m_pairs({m: t.fields for m, t in self.tables.items()})
        for (model, fname), (omodel, ofield) in self.m2m_pairs.items():
            table, owner = self.tables[model], self.tables[omodel]
            for rid, row in table.rows.items():
                for oid in row.pop(fname, None) or ():
                    orow = owner.rows.get(oid)
                    if orow is not None and rid not in (orow.get(ofield) or []):
                        orow[ofield] = [*(orow.get(ofield) or []), rid]
            owner.touch()
        self.link_inherits()

    def link_inherits(self) -> None:
        """Delegation inheritance (``_inherits``, e.g. ``res.users`` on ``res.partner``): the
        parent's fields that the model does not store itself become fields of the model,
        held by the parent record its many2one names (``fields_get`` says ``store: False``,
        as Odoo does)."""
        for table in self.tables.values():
            table.delegated = {}
            for parent_model, link in table.info.inherits:
                parent = self.tables.get(parent_model)
                if parent is None or link not in table.fields:
                    continue
                for fname, field in parent.fields.items():
                    if fname in _OWN_FIELDS or fname == link:
                        continue
                    own = table.fields.get(fname)
                    if own is None:
                        table.fields[fname] = {**field, "store": False}
                    elif own.get("store", True) is not False:
                        continue  # the model stores its own (active, company_id...)
                    table.delegated[fname] = link
        # the demo variants: only the template fields they lack (those they have stay theirs,
        # and a seed's product.product, which has them all, is left as recorded)
        for model, (parent_model, link) in MEASURED_INHERITS.items():
            child, parent = self.tables.get(model), self.tables.get(parent_model)
            if child is None or parent is None or link not in child.fields or child.delegated:
                continue
            for fname, field in parent.fields.items():
                if fname in _OWN_FIELDS or fname == link:
                    continue
                inherited = {**field, "store": False}
                own = child.fields.get(fname)
                if own is None:
                    child.fields[fname] = inherited
                elif own != inherited:
                    # the variant keeps its own value; the template gets it too, as on a
                    # real server where the field is the template's (its name is required)
                    child.mirrored[fname] = link
                    continue
                child.delegated[fname] = link

    def _row_in(self, table: Table, rec: dict[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for f, v in rec.items():
            ftype = table.fields.get(f, {}).get("type")
            if ftype == "many2one" and isinstance(v, (list, tuple)) and v:
                rel = table.fields[f].get("relation", "")
                self.ext_names[(rel, int(v[0]))] = str(v[1]) if len(v) > 1 else ""
                row[f] = int(v[0])
            else:
                row[f] = copy.deepcopy(v) if isinstance(v, (list, dict)) else v
        return row

    def set_next_id(self, model: str, next_id: int) -> None:
        """Make the next record created in ``model`` get ``next_id`` (ids are never reused)."""
        self.table(model).next_id = int(next_id)

    def generate(self, partners: int = 1000, orders: int = 0, seed: int = 0) -> None:
        """Add ``partners`` companies/contacts and ``orders`` sale orders, deterministically."""
        with self.lock:
            generate(self, partners=partners, orders=orders, seed=seed)

    # -- users, authentication, access ----------------------------------------------------------
    def uid_for_login(self, login: str) -> int | None:
        users = self.tables.get("res.users")
        if users is None:
            return None
        for rid, row in users.rows.items():
            if row.get("login") == login and row.get("active", True):
                return rid
        return None

    def authenticate(self, login: str, secret: str, *, interactive: bool = False) -> int | None:
        """uid when ``secret`` is the user's password or one of their API keys, else None.

        An interactive login (the web client's ``/web/session/authenticate``)
        takes the password only: Odoo accepts API keys for RPC, never there.
        """
        uid = self.uid_for_login(login)
        if uid is None or not secret:
            return None
        if self.passwords.get(login) == secret:
            return uid
        if not interactive and self.api_keys.get(secret) == uid:
            return uid
        return None

    def logged_in(self, uid: int) -> None:
        """Stamp a successful login: ``login_date`` (Odoo logs it in ``res.users.log`` on
        every login, RPC included), which makes the user's ``state`` "active"."""
        users = self.tables.get("res.users")
        if users is None or "login_date" not in users.fields or uid not in users.rows:
            return
        users.rows[uid]["login_date"] = self.now()
        users.touch()

    def uid_for_api_key(self, key: str) -> int | None:
        return self.api_keys.get(key)

    def check_uid(self, uid: int, secret: str) -> bool:
        """Whether ``secret`` (password or API key) belongs to ``uid`` (execute_kw checks)."""
        users = self.tables.get("res.users")
        row = users.rows.get(uid) if users else None
        if row is None:
            return False
        return self.authenticate(str(row.get("login")), secret) == uid

    def set_access(self, model: str, user: int | str, perms: Iterable[str] | str) -> None:
        """Set what ``user`` (uid or login) may do on ``model``: any of read/write/create/unlink,
        or a string like ``"rw"``; ``""`` forbids everything."""
        uid = user if isinstance(user, int) else self.uid_for_login(user)
        if uid is None:
            raise ValueError(f"unknown user {user!r}")
        if isinstance(perms, str):
            letters = {"r": "read", "w": "write", "c": "create", "u": "unlink", "d": "unlink"}
            chosen = frozenset(letters[c] for c in perms if c in letters)
        else:
            chosen = frozenset(perms)
        bad = chosen - set(PERMS)
        if bad:
            raise ValueError(f"unknown permissions {sorted(bad)}; use {PERMS}")
        self.access[(model, uid)] = chosen

    def is_admin(self, uid: int) -> bool:
        users = self.tables.get("res.users")
        row = users.rows.get(uid) if users else None
        return uid == 1 or (row is not None and row.get("login") in ("admin", "__system__"))

    def _default_perms(self, model: str, uid: int) -> frozenset[str]:
        if self.is_admin(uid):
            return frozenset(PERMS)
        if model == "ir.config_parameter":
            return frozenset()
        if model in automation.SETTINGS_MODELS:
            return frozenset({"read"})
        if model in ("res.users", "res.company", "res.country", "res.currency", "uom.uom"):
            return frozenset({"read"})
        return frozenset(PERMS)

    def allowed(self, model: str, operation: str) -> bool:
        perms = self.access.get((model, self.uid))
        if perms is None:
            perms = self._default_perms(model, self.uid)
        return operation in perms

    def access_error(self, table: Table, operation: str) -> errors.AccessError:
        verb = _VERBS.get(operation, "access")
        return errors.AccessError(
            f"You are not allowed to {verb} '{table.description}' ({table.name}) records.\n\n"
            "This operation is allowed for the following groups:\n"
            f"\t- {access_group(table.name, self.version)}\n\n"
            "Contact your administrator to request access if necessary."
        )

    # -- methods ----------------------------------------------------------------------------
    def register_method(
        self, model: str, name: str, func: Callable[..., Any], operation: str = "write"
    ) -> None:
        """Add a record method: ``func(db, table, ids, *args, **kwargs)``; ``model`` may be "*"."""
        self.methods[(model, name)] = (func, operation)

    def method_signature(self, model: str, method: str) -> dict[str, Any] | None:
        """``{"params", "required", "model_method", "defaults"}`` of a method of ``model``,
        or None when the model has no such method (private ones included)."""
        custom = self.methods.get((model, method))
        if method in SIGNATURES and custom is None and ONLY_ON.get(method, model) == model:
            params, required, model_method, _ = signature_of(method, self.version)
            return {
                "params": list(params),
                "required": list(required),
                "model_method": model_method,
            }
        custom = custom or self.methods.get(("*", method))
        if custom is not None:
            return function_signature(custom[0])
        return None

    def _available(self, model: str, method: str) -> bool:
        """Whether ``model.method`` can be called remotely on this version."""
        if method.startswith("_") or _PRIVATE_FROM.get(method, 99) <= self.version:
            return False
        custom = (model, method) in self.methods or ("*", method) in self.methods
        return not (
            (method not in SIGNATURES and not custom)
            or ONLY_ON.get(method, model) != model
            or (method == "formatted_read_group" and self.version < 19)
            or (method == "name_get" and self.version >= 18)
            or (method == "web_read" and self.version <= 16)
        )

    def public_methods(self, model: str) -> list[str]:
        """Names of the methods of ``model`` callable over RPC (``/doc-bearer`` lists them)."""
        names = set(SIGNATURES) | {m for (owner, m) in self.methods if owner in (model, "*")}
        return sorted(m for m in names if self._available(model, m))

    def method_doc(self, model: str, method: str) -> dict[str, Any] | None:
        """The ``/doc-bearer`` entry of ``model.method`` (see :mod:`odoorm.testing.apidoc`)."""
        sig = self.method_signature(model, method)
        if sig is None:
            return None
        custom = self.methods.get((model, method)) or self.methods.get(("*", method))
        if custom is not None and method not in STANDARD:
            # a method added to every model lives on Odoo's abstract "base" model
            owner = model if (model, method) in self.methods else "base"
            module = MODULES.get(owner, "base")
            builtin = behaviours.builtin_methods(self.version).get((owner, method))
            info = (
                BUILTIN.get((owner, method))
                if builtin is not None and builtin[0] is custom[0]
                else None
            ) or describe_function(custom[0])
            return describe(model, sig, info, introduced_by=(owner, module))
        return describe(model, sig, STANDARD.get(method))

    def _resolve(self, model: str, method: str) -> tuple[Table, str]:
        table = self.table(model)
        if method.startswith("_") or _PRIVATE_FROM.get(method, 99) <= self.version:
            if self.version >= 19:
                raise errors.AccessError(
                    f"Private methods (such as '{model}.{method}') cannot be called remotely."
                )
            raise errors.AccessError(
                f"Private methods (such as {method}) cannot be called remotely."
            )
        if not self._available(model, method):
            if self.version >= 19:
                msg = f"The method '{model}.{method}' does not exist"
            else:
                msg = f"The method '{method}' does not exist on the model '{model}'"
            raise errors.UnknownMethod(model, method, msg)
        return table, method

    def execute(
        self,
        uid: int,
        model: str,
        method: str,
        args: list | tuple | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        """Call ``model.method(*args, **kwargs)`` as user ``uid`` (execute_kw semantics)."""
        args = list(args or [])
        kwargs = dict(kwargs or {})
        with self.lock:
            ctx = kwargs.pop("context", None) or {}
            table, method = self._resolve(model, method)
            custom = self.methods.get((model, method)) or self.methods.get(("*", method))
            if method in SIGNATURES and not (custom and (model, method) in self.methods):
                params, _, model_method, _op = signature_of(method, self.version)
                ids = None
                if not model_method:
                    if not args:
                        raise errors.type_error(
                            f"{method}() missing 1 required positional argument: 'ids'"
                        )
                    ids, args = args[0], args[1:]
                bound = self._bind(method, params, args, kwargs)
                return self._run(uid, ctx, table, method, ids, bound, not model_method)
            if custom is not None and is_model_method(custom[0]):
                return self._run(uid, ctx, table, method, [], {"_args": args, **kwargs}, True)
            if not args:
                raise errors.type_error(f"{method}() missing 1 required positional argument: 'ids'")
            return self._run(uid, ctx, table, method, args[0], {"_args": args[1:], **kwargs}, True)

    def call_json2(self, uid: int, model: str, method: str, body: dict[str, Any]) -> Any:
        """JSON-2 call: named parameters only, ``ids`` and ``context`` in the body."""
        body = dict(body or {})
        with self.lock:
            ctx = body.pop("context", None) or {}
            ids = body.pop("ids", None)
            table, method = self._resolve(model, method)
            custom = (model, method) in self.methods or ("*", method) in self.methods
            if method in SIGNATURES and (model, method) not in self.methods:
                params, required, model_method, _ = signature_of(method, self.version)
                if model_method and ids:
                    raise errors.UnprocessableEntity(f"cannot call {model}.{method} with ids")
                for p in required:
                    if p not in body:
                        raise errors.UnprocessableEntity(f"missing a required argument: '{p}'")
                for p in body:
                    if p not in params and not (method == "search_read" and p == "load"):
                        raise errors.UnprocessableEntity(
                            f"got an unexpected keyword argument '{p}'"
                        )
                return self._run(
                    uid,
                    ctx,
                    table,
                    method,
                    None if model_method else (ids or []),
                    body,
                    not model_method,
                )
            assert custom
            return self._run(uid, ctx, table, method, ids or [], {"_args": [], **body}, True)

    def _bind(
        self, method: str, params: tuple[str, ...], args: list, kwargs: dict
    ) -> dict[str, Any]:
        if method == "name_search" and "args" in kwargs and "domain" not in kwargs:
            kwargs["domain"] = kwargs.pop("args")
        if method == "create" and "vals" in kwargs and "vals_list" not in kwargs:
            kwargs["vals_list"] = kwargs.pop("vals")
        if len(args) > len(params):
            raise errors.type_error(
                f"{method}() takes {len(params) + 1} positional arguments "
                f"but {len(args) + 1} were given"
            )
        bound = dict(zip(params, args, strict=False))
        for k, v in kwargs.items():
            if k in bound:
                raise errors.type_error(f"{method}() got multiple values for argument '{k}'")
            if k not in params and not (method in ("search_read",) and k == "load"):
                name = f"Base.{method}" if self.version <= 16 and method in QUALIFIED_16 else method
                raise errors.type_error(f"{name}() got an unexpected keyword argument '{k}'")
            bound[k] = v
        required = signature_of(method, self.version)[1]
        missing = [p for p in required if p not in bound]
        if missing:
            raise errors.type_error(
                f"{method}() missing {len(missing)} required positional argument"
                f"{'s' if len(missing) > 1 else ''}: " + " and ".join(f"'{m}'" for m in missing)
            )
        return bound

    def _run(
        self,
        uid: int,
        ctx: dict[str, Any],
        table: Table,
        method: str,
        ids: Any,
        bound: dict[str, Any],
        record_method: bool,
    ) -> Any:
        lang = ctx.get("lang")
        if lang and lang not in self.languages and self.version >= 18:
            raise errors.UserError(f"Invalid language code: {lang}")
        prev = (self.uid, self._ctx, self._journal)
        self.uid, self._ctx, self._journal = uid, dict(ctx), []
        journal = self._journal
        try:
            op = SIGNATURES[method][3] if method in SIGNATURES else None
            custom = self.methods.get((table.name, method)) or self.methods.get(("*", method))
            if custom is not None and (
                method not in SIGNATURES or (table.name, method) in self.methods
            ):
                op = custom[1]
            if op and not self.allowed(table.name, op):
                raise self.access_error(table, op)
            own = custom is not None and (table.name, method) in self.methods
            if (
                op in ("write", "create", "unlink")
                and table.name in behaviours.READONLY_MODELS
                and not own
            ):
                raise errors.UserError(behaviours.READONLY_MODELS[table.name])
            if record_method and ids is not None:
                ids = behaviours.record_ids(self, table, method, ids, bound)
            if custom is not None and (
                method not in SIGNATURES or (table.name, method) in self.methods
            ):
                extra = bound.pop("_args", [])
                return custom[0](self, table, self.as_ids(ids), *extra, **bound)
            func = IMPLEMENTATIONS[method]
            if record_method:
                return func(self, table, self.as_ids(ids), **bound)
            return func(self, table, **bound)
        except BaseException:
            self._rollback(journal)
            raise
        finally:
            self.uid, self._ctx, self._journal = prev
