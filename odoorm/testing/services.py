"""Odoo's RPC services (``common``, ``db``, ``object``) and the JSON-2 call
path, independent of HTTP: the server turns their results and exceptions into
each protocol's wire shape.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, Protocol

from odoorm.testing import errors
from odoorm.testing.catalogue import Catalogue
from odoorm.testing.protocols import NotFound, OperationalError

COOLDOWN_MESSAGE = "Too many login failures, please wait a bit before trying again."

# methods every model answers; used to list methods for /doc-bearer when the
# store cannot enumerate them itself
STANDARD_METHODS = (
    "check_access_rights",
    "copy",
    "create",
    "default_get",
    "exists",
    "fields_get",
    "formatted_read_group",
    "name_create",
    "name_search",
    "read",
    "read_group",
    "search",
    "search_count",
    "search_fetch",
    "search_read",
    "unlink",
    "web_read",
    "web_search_read",
    "write",
)


class LoginCooldown:
    """Odoo's brute-force guard: after ``after`` failed logins from one address,
    every login from it is refused for ``duration`` seconds; a success resets it.
    """

    def __init__(self, after: int = 5, duration: float = 60.0, enabled: bool = True):
        self.after = after
        self.duration = duration
        self.enabled = enabled
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def active(self, source: str) -> bool:
        if not self.enabled:
            return False
        with self._lock:
            count, last = self._failures.get(source, (0, 0.0))
        return count >= self.after and time.monotonic() < last + self.duration

    def failed(self, source: str) -> None:
        with self._lock:
            count, _ = self._failures.get(source, (0, 0.0))
            self._failures[source] = (count + 1, time.monotonic())

    def succeeded(self, source: str) -> None:
        with self._lock:
            self._failures.pop(source, None)

    def reset(self) -> None:
        """Forget every failure (tests that exercise bad logins call this)."""
        with self._lock:
            self._failures.clear()


#: the db service's methods that take the master password first (Odoo's ``exp_*``)
DB_MANAGEMENT = frozenset(
    {
        "create_database",
        "duplicate_database",
        "drop",
        "dump",
        "restore",
        "rename",
        "change_admin_password",
        "migrate_databases",
        "list_countries",
    }
)


class Host(Protocol):
    """What the services need of the server that hosts them (the Emulator)."""

    db: str
    master_password: str | None
    server_version: dict[str, Any]
    cooldown: LoginCooldown
    database: Any
    catalogue: Catalogue


class Services:
    """The RPC services of one emulated server."""

    def __init__(self, emulator: Host):
        self.emu = emulator
        self._logins: dict[tuple[str, int], str] = {}
        #: the database the current request names (its thread's), else the emulator's own
        self._selected: ContextVar[tuple[str, Any] | None] = ContextVar("selected", default=None)

    # -- helpers ----------------------------------------------------------
    @property
    def database(self) -> Any:
        selected = self._selected.get()
        return self.emu.database if selected is None else selected[1]

    @property
    def db_name(self) -> str:
        selected = self._selected.get()
        return self.emu.db if selected is None else selected[0]

    @contextlib.contextmanager
    def using(self, db: Any) -> Iterator[None]:
        """Serve the request on database ``db`` (a name the catalogue may not hold: the
        call then fails in :meth:`check_db`)."""
        database = self.emu.catalogue.get(db)
        token = self._selected.set(None if database is None else (str(db), database))
        try:
            yield
        finally:
            self._selected.reset(token)

    def check_db(self, db: Any) -> None:
        database = self.emu.catalogue.get(db)
        if database is None:
            raise OperationalError(str(db))
        self._selected.set((str(db), database))

    def login(
        self, login: Any, secret: Any, source: str, *, interactive: bool = False
    ) -> int | None:
        """Password/API-key login with the cooldown; None on bad credentials.
        ``interactive`` (the web login) takes the password only."""
        if self.emu.cooldown.active(source):
            raise errors.AccessDenied(COOLDOWN_MESSAGE)
        if not isinstance(login, str) or not isinstance(secret, str):
            uid = None
        else:
            with self.database.lock:
                uid = self.database.authenticate(login, secret, interactive=interactive)
                stamp = getattr(self.database, "logged_in", None)
                if uid and callable(stamp):
                    stamp(uid)
        if uid:
            self.emu.cooldown.succeeded(source)
            self._logins[(self.db_name, uid)] = login
            return int(uid)
        self.emu.cooldown.failed(source)
        return None

    def check_uid(self, uid: Any, secret: Any) -> int:
        """``object`` calls carry (uid, password): both must match one user."""
        if not isinstance(uid, int) or isinstance(uid, bool) or not isinstance(secret, str):
            raise errors.AccessDenied()
        db = self.database
        check = getattr(db, "check_uid", None)
        if callable(check):
            with db.lock:
                if not check(uid, secret):
                    raise errors.AccessDenied()
            return uid
        login = self._logins.get((self.db_name, uid))
        with db.lock:
            if login is None:
                try:
                    rows = db.execute(uid, "res.users", "read", [[uid]], {"fields": ["login"]})
                except errors.OdooServerError:
                    rows = []
                if not rows:
                    raise errors.AccessDenied()
                login = rows[0]["login"]
            if db.authenticate(login, secret) != uid:
                raise errors.AccessDenied()
        self._logins[(self.db_name, uid)] = login
        return uid

    def model_exists(self, model: str) -> bool:
        db = self.database
        has_model = getattr(db, "has_model", None)
        if callable(has_model):
            return bool(has_model(model))
        for attr in ("tables", "models"):
            registry = getattr(db, attr, None)
            if isinstance(registry, dict):
                return model in registry
        return db.method_signature(model, "fields_get") is not None

    def execute(self, uid: int, model: str, method: str, args: Any, kwargs: Any) -> Any:
        if not isinstance(args, list):
            args = list(args) if isinstance(args, tuple) else [args]
        if kwargs is None:
            kwargs = {}
        if not isinstance(kwargs, dict):
            raise errors.type_error("execute_kw() argument 'kwargs' must be a dict")
        with self.database.lock:
            return self.database.execute(uid, model, method, args, kwargs)

    # -- services ---------------------------------------------------------
    def dispatch(self, service: str, method: str, params: list[Any], source: str) -> Any:
        table: dict[str, Callable[[str, list[Any], str], Any]] = {
            "common": self._common,
            "db": self._db,
            "object": self._object,
        }
        handler = table.get(service)
        if handler is None:
            raise errors.key_error(service)
        token = self._selected.set(None)  # check_db picks the database the call names
        try:
            return handler(method, params, source)
        finally:
            self._selected.reset(token)

    def _common(self, method: str, params: list[Any], source: str) -> Any:
        if method == "version":
            return dict(self.emu.server_version)
        if method == "about":
            info = "See http://openerp.com"
            return (
                [info, self.emu.server_version["server_version"]] if params and params[0] else info
            )
        if method in ("login", "authenticate"):
            if len(params) < 3:
                raise errors.type_error(
                    f"exp_{method}() missing required positional arguments: "
                    "'db', 'login' and 'password'"
                )
            self.check_db(params[0])
            try:
                uid = self.login(params[1], params[2], source)
            except errors.AccessDenied:
                return False
            return uid or False
        raise errors.attribute_error(
            f"module 'odoo.service.common' has no attribute 'exp_{method}'"
        )

    def _db(self, method: str, params: list[Any], source: str) -> Any:
        """Odoo's ``db`` service: four methods answer anyone, the others check the master
        password (``Emulator(master_password=...)``, Odoo's default ``admin``) first. The
        databases live in :attr:`Host.catalogue` (see :mod:`odoorm.testing.catalogue`)."""
        catalogue = self.emu.catalogue
        if method == "list":
            return catalogue.names()
        if method == "db_exist":
            return bool(params) and catalogue.get(params[0]) is not None
        if method == "server_version":
            return self.emu.server_version["server_version"]
        if method == "list_lang":
            return [["en_US", "English (US)"]]
        if method not in DB_MANAGEMENT:
            raise errors.key_error(f"Method not found: {method}")
        master = self.emu.master_password
        if not params or not master or params[0] != master:
            raise errors.AccessDenied()
        args = params[1:]
        if method == "change_admin_password":
            self.emu.master_password = str(args[0]) if args else ""
            return True
        if method == "list_countries":
            with self.database.lock:
                countries = self.database.tables.get("res.country")
                rows = list(countries.rows.values()) if countries is not None else []
                found = [[r.get("code"), r.get("name")] for r in rows]
            return sorted(found, key=lambda c: str(c[1]))
        if not hasattr(self.emu.database, "tables"):
            raise errors.UserError(f"This store cannot be copied: db.{method} is not available.")
        handler = _DB_METHODS.get(method)
        if handler is None:
            raise errors.UserError(f"db.{method} is not emulated.")
        return handler(catalogue, *args)

    def _object(self, method: str, params: list[Any], source: str) -> Any:
        if method not in ("execute", "execute_kw"):
            raise NameError(f"Method not available {method}")
        if len(params) < 5:
            raise errors.type_error(f"{method}() expects at least db, uid, password, model, method")
        db, uid, secret, model, name = params[:5]
        self.check_db(db)
        uid = self.check_uid(uid, secret)
        if method == "execute":
            return self.execute(uid, model, name, list(params[5:]), {})
        args = params[5] if len(params) > 5 else []
        kwargs = params[6] if len(params) > 6 else {}
        return self.execute(uid, model, name, args, kwargs)

    # -- JSON-2 -------------------------------------------------------------
    def call_json2(self, uid: int, model: str, method: str, body: dict[str, Any]) -> Any:
        """Resolve and bind like Odoo's ``/json/2`` controller, then call the store."""
        if not self.model_exists(model):
            raise NotFound(f"the model {model!r} does not exist")
        if method.startswith("_"):
            raise errors.AccessError(
                f"Private methods (such as '{model}.{method}') cannot be called remotely."
            )
        db = self.database
        signature = db.method_signature(model, method)
        if signature is None:
            raise NotFound(f"The method '{model}.{method}' does not exist")
        # Odoo refuses ids on @api.model methods first, then binds the named
        # arguments (a missing one is reported before an unexpected one)
        if signature.get("model_method") and body.get("ids"):
            raise errors.UnprocessableEntity(f"cannot call {model}.{method} with ids")
        for name in signature.get("required") or []:
            if name not in body:
                raise errors.UnprocessableEntity(f"missing a required argument: {name!r}")
        with db.lock:
            try:
                return db.call_json2(uid, model, method, body)
            except errors.UnknownModel as exc:
                raise NotFound(f"the model {model!r} does not exist") from exc
            except errors.PythonError as exc:
                if exc.name == "builtins.AttributeError":
                    raise NotFound(exc.message) from exc
                raise

    def public_methods(self, model: str) -> list[str]:
        db = self.database
        lister = getattr(db, "public_methods", None) or getattr(db, "method_names", None)
        names = list(lister(model)) if callable(lister) else list(STANDARD_METHODS)
        return sorted(
            n for n in names if not n.startswith("_") and db.method_signature(model, n) is not None
        )

    def doc_model(self, uid: int, model: str) -> dict[str, Any]:
        """The ``/doc-bearer/<model>.json`` document (fields and method signatures)."""
        if not self.model_exists(model):
            raise NotFound(NOT_FOUND_TEXT)
        with self.database.lock:
            fields = self.database.execute(uid, model, "fields_get", [], {})
        methods: dict[str, Any] = {}
        method_doc = getattr(self.database, "method_doc", None)
        with self.database.lock:
            for name in self.public_methods(model):
                entry = method_doc(model, name) if callable(method_doc) else None
                if entry is None:
                    entry = describe_signature(model, self.database.method_signature(model, name))
                methods[name] = entry
        describe = getattr(self.database, "model_description", None)
        return {
            "model": model,
            "name": describe(model) if callable(describe) else model,
            "doc": None,
            "fields": {
                fname: {**attrs, "name": fname, "module": attrs.get("module") or "base"}
                for fname, attrs in fields.items()
            },
            "methods": methods,
        }


def _bind_db(func: Callable[..., Any], name: str) -> Callable[..., Any]:
    """A db service method with Odoo's positional signature (a missing argument is the
    TypeError Odoo's ``exp_*`` function raises)."""

    def call(catalogue: Catalogue, *args: Any) -> Any:
        try:
            return func(catalogue, *args)
        except TypeError as exc:
            raise errors.type_error(str(exc).replace(func.__qualname__, f"exp_{name}")) from None

    return call


#: the db service's managing methods, by Odoo's names (master password already checked)
_DB_METHODS: dict[str, Callable[..., Any]] = {
    "create_database": _bind_db(
        lambda c, db, demo, lang, user_password="admin", login="admin", *_: c.create(
            db, demo, lang, user_password, login
        ),
        "create_database",
    ),
    "duplicate_database": _bind_db(
        lambda c, original, db, neutralize_database=False: c.duplicate(original, db),
        "duplicate_database",
    ),
    "drop": _bind_db(lambda c, db: c.drop(db), "drop"),
    "dump": _bind_db(lambda c, db, fmt: c.dump(db, fmt), "dump"),
    "restore": _bind_db(lambda c, db, data, copy=False: c.restore(db, data), "restore"),
    "rename": _bind_db(lambda c, old, new: c.rename(old, new), "rename"),
    "migrate_databases": _bind_db(lambda c, databases: True, "migrate_databases"),
}


NOT_FOUND_TEXT = (
    "The requested URL was not found on the server. If you entered the URL manually "
    "please check your spelling and try again."
)


def describe_signature(model: str, sig: dict[str, Any] | None) -> dict[str, Any]:
    """One method entry of a ``/doc-bearer`` document, for a store that only gives
    signatures (``Database`` describes its methods itself: ``method_doc``)."""
    sig = sig or {}
    params = list(sig.get("params") or [])
    required = set(sig.get("required") or [])
    defaults = sig.get("defaults") or {}
    parts = []
    parameters: dict[str, Any] = {}
    for name in params:
        entry: dict[str, Any] = {}
        if name not in required:
            default = defaults.get(name)
            entry["default"] = default
            parts.append(f"{name}={default!r}")
        else:
            parts.append(name)
        parameters[name] = entry
    if sig.get("varkw"):
        parts.append("**kwargs")
        parameters["kwargs"] = {"kind": "VAR_KEYWORD"}
    doc: dict[str, Any] = {"signature": f"({', '.join(parts)})", "parameters": parameters}
    if sig.get("model_method"):
        doc["api"] = ["model"]
    doc["model"] = sig.get("model") or model
    doc["module"] = sig.get("module") or "base"
    return doc
