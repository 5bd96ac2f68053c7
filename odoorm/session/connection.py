"""The connection to one Odoo database: :class:`Connection`, ``conn.env``, the default one.

A connection is opened once by ``odoorm.connect()`` (:mod:`odoorm.session.opening`:
version detected, protocol chosen, user authenticated) and then moves ORM calls
through its transport::

    conn = connect("https://erp.example.com", db="prod", user="bot", api_key=key)
    conn.execute("res.partner", "search_count", [("is_company", "=", True)])  # *args
    conn.rpc("res.partner", "search_read", domain=[], fields=["name"], limit=5)

``conn.with_context(lang="fr_FR")`` is a view of the same connection (same
transport, caches and credentials) with another context.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from cachetools import Cache, LRUCache, TTLCache

from odoorm.exceptions import ConfigurationError, OdoormError, ReadonlyError
from odoorm.session.cache import RecordCache
from odoorm.transport.base import READ_METHODS, RPCCall, Transport
from odoorm.transport.signatures import JSON2_SIGNATURES
from odoorm.version import ServerVersion

if TYPE_CHECKING:
    from odoorm.transport.http import HTTPClient

__all__ = [
    "FIELDS_GET_ATTRIBUTES",
    "Connection",
    "ConnectionClosedError",
    "Env",
    "get_default_connection",
    "set_default_connection",
    "set_env_factory",
]

#: The field attributes ``Connection.fields_get`` asks for (everything the
#: models layer needs, not the 30-odd attributes Odoo sends by default).
FIELDS_GET_ATTRIBUTES: tuple[str, ...] = (
    "type",
    "string",
    "relation",
    "selection",
    "required",
    "readonly",
    "store",
    "digits",
)


class ConnectionClosedError(OdoormError):
    """A call was made through a connection after ``close()``."""


# --------------------------------------------------------------------------
# Env: conn.env["res.partner"] -> a model class built by the models layer
# --------------------------------------------------------------------------

EnvFactory = Callable[["Connection", str], type]
_env_factory: EnvFactory | None = None


def set_env_factory(factory: EnvFactory | None) -> None:
    """Register the function that builds ``conn.env[model]`` classes.

    The models layer registers it when imported; the session layer cannot
    import models itself (models sit above it).
    """
    global _env_factory
    _env_factory = factory


class Env:
    """``conn.env["res.partner"]``: a model class for any Odoo model, built from
    its ``fields_get`` by the models layer."""

    __slots__ = ("_conn",)

    def __init__(self, conn: Connection):
        self._conn = conn

    def __getitem__(self, model: str) -> type:
        if not isinstance(model, str) or not model:
            raise TypeError(
                f"conn.env[...] takes an Odoo model name such as 'res.partner', not {model!r}"
            )
        factory = _env_factory
        if factory is None:
            raise ConfigurationError(
                "conn.env needs the models layer, which is not loaded: `import odoorm` "
                "(or odoorm.models) before using conn.env[...]"
            )
        return factory(self._conn, model)

    def __repr__(self) -> str:
        return f"<Env of {self._conn!r}>"


# --------------------------------------------------------------------------
# Default connection
# --------------------------------------------------------------------------

_default_lock = threading.Lock()
_default: Connection | None = None


def get_default_connection() -> Connection:
    """The connection used when none is given (the first one ``connect()`` opened).

    Raises:
        ConfigurationError: no connection has been opened yet.
    """
    conn = _default
    if conn is None:
        raise ConfigurationError(
            "no default connection: call odoorm.connect(...) first, or pass a connection "
            "explicitly (e.g. Model.objects.using(conn))"
        )
    return conn


def set_default_connection(conn: Connection | None) -> None:
    """Make ``conn`` the default connection (``None`` forgets the current one)."""
    global _default
    if conn is not None and not isinstance(conn, Connection):
        raise TypeError(f"set_default_connection() takes a Connection or None, not {conn!r}")
    with _default_lock:
        _default = conn


def _offer_default(conn: Connection) -> None:
    # The first connection opened becomes the default; a closed default is
    # replaced so that successive `with connect(...)` blocks each get one.
    global _default
    with _default_lock:
        if _default is None or _default.closed:
            _default = conn


def _forget_default(state: _State) -> None:
    global _default
    with _default_lock:
        if _default is not None and _default._state is state:
            _default = None


# --------------------------------------------------------------------------
# Connection
# --------------------------------------------------------------------------


class _State:
    """What every ``with_context`` view of one connection shares."""

    def __init__(
        self,
        *,
        transport: Transport,
        http: HTTPClient | None,
        url: str,
        db: str,
        login: str | None,
        uid: int | None,
        protocol: str,
        version: ServerVersion,
        readonly: bool,
        lazy: str,
        check_schema: bool,
        cache_ttl: float | None,
        cache_size: int,
    ):
        self.transport = transport
        self.http = http
        self.url = url
        self.db = db
        self.login = login
        self.uid = uid
        self.protocol = protocol
        self.version = version
        self.readonly = readonly
        self.lazy = lazy
        self.check_schema = check_schema
        self.cache = RecordCache(maxsize=cache_size, ttl=cache_ttl)
        # fields_get answers change only when modules are (un)installed: they
        # expire after a positive cache_ttl, else (None, or 0 which is about
        # record values) they are kept until clear_cache()
        self.fields: Cache[str, dict[str, dict[str, Any]]] = (
            TTLCache(maxsize=4096, ttl=cache_ttl) if cache_ttl else LRUCache(maxsize=4096)
        )
        self.fields_lock = threading.Lock()
        self.model_locks: dict[str, threading.Lock] = {}
        self.closed = False
        self.close_lock = threading.Lock()

    def model_lock(self, model: str) -> threading.Lock:
        with self.fields_lock:
            lock = self.model_locks.get(model)
            if lock is None:
                lock = self.model_locks[model] = threading.Lock()
            return lock


class Connection:
    """An authenticated connection to one Odoo database.

    Open one with :func:`connect`. Views made by :meth:`with_context` share
    everything but the context. A connection is safe to use from several
    threads at once.
    """

    __slots__ = ("_context", "_env", "_state")

    def __init__(self, state: _State, context: Mapping[str, Any] | None = None):
        self._state = state
        self._context: Mapping[str, Any] = MappingProxyType(dict(context or {}))
        self._env: Env | None = None

    # -- what the connection is ---------------------------------------------

    @property
    def url(self) -> str:
        return self._state.url

    @property
    def db(self) -> str:
        return self._state.db

    @property
    def login(self) -> str | None:
        return self._state.login

    @property
    def uid(self) -> int | None:
        """The user id; ``None`` on JSON-2 when the server did not tell it."""
        return self._state.uid

    @property
    def protocol(self) -> str:
        """``"xmlrpc"``, ``"jsonrpc"``, ``"session"`` or ``"json2"``."""
        return self._state.protocol

    @property
    def version(self) -> ServerVersion:
        return self._state.version

    @property
    def context(self) -> Mapping[str, Any]:
        """The context sent with every call (read-only; see :meth:`with_context`)."""
        return self._context

    @property
    def readonly(self) -> bool:
        return self._state.readonly

    @property
    def lazy(self) -> str:
        """``"load"`` (lazy loads allowed) or ``"raise"`` (they raise LazyLoadError)."""
        return self._state.lazy

    @property
    def check_schema(self) -> bool:
        return self._state.check_schema

    @property
    def transport(self) -> Transport:
        return self._state.transport

    @property
    def http(self) -> HTTPClient | None:
        """The HTTP client (``None`` when a transport was injected)."""
        return self._state.http

    @property
    def cache(self) -> RecordCache:
        """Identity map and read cache, shared by every view of this connection."""
        return self._state.cache

    @property
    def closed(self) -> bool:
        return self._state.closed

    @property
    def identity_token(self) -> tuple[Any, ...]:
        """``(url, db, uid, lang, company)``: records loaded under different
        tokens are different objects in the identity map."""
        ctx = self._context
        companies = ctx.get("allowed_company_ids")
        if isinstance(companies, (list, tuple)) and companies:
            company = companies[0]
        else:
            company = ctx.get("company_id")
        return (self.url, self.db, self.uid, ctx.get("lang"), company)

    @property
    def env(self) -> Env:
        """``conn.env["res.partner"]`` gives a model class built from fields_get."""
        if self._env is None:
            self._env = Env(self)
        return self._env

    # -- calls ----------------------------------------------------------------

    def execute(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call any model method, ``execute_kw``-style.

        ``args`` are the positional arguments themselves (record ids first for
        record methods), not ``execute_kw``'s single list of them: a domain
        wrapped in an extra list (``[[("is_company", "=", True)]]``) raises
        TypeError before sending. ``kwargs`` are named; a ``context=`` keyword is
        merged over the connection's context::

            conn.execute("res.partner", "search_count", [("is_company", "=", True)])
            conn.execute("sale.order", "action_confirm", [7], context={"lang": "fr_FR"})
        """
        context = kwargs.pop("context", None)
        call = RPCCall(
            model=_check_name("model", model),
            method=_check_name("method", method),
            kwargs=kwargs,
            context=self._merged(context),
            args=_check_execute_args(model, method, args),
        )
        return self._send(call)

    def rpc(
        self, model: str, method: str, ids: Sequence[int] | int | None = None, /, **kwargs: Any
    ) -> Any:
        """Call a method with NAMED arguments (what queries and models use).

        ``ids`` are the records the method runs on (``None`` for model-level
        methods), given first or as ``ids=`` (as JSON-2 names them); a
        ``context=`` keyword is merged over the connection's context::

            conn.rpc("res.partner", "read", [1, 2], fields=["name"])
            conn.rpc("res.partner", "unlink", ids=[7])
        """
        context = kwargs.pop("context", None)
        if "ids" in kwargs:
            # otherwise XML-RPC and JSON-RPC would send it as a named argument,
            # which Odoo refuses ("missing 1 required positional argument: 'ids'")
            if ids is not None:
                raise TypeError("rpc() got the ids twice: first and as ids=")
            ids = kwargs.pop("ids")
        if ids is not None and not isinstance(ids, int):
            ids = list(ids)
            if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
                raise TypeError(f"ids must be integers, got {ids!r}")
        call = RPCCall(
            model=_check_name("model", model),
            method=_check_name("method", method),
            ids=ids,
            kwargs=kwargs,
            context=self._merged(context),
        )
        return self._send(call)

    def with_context(self, **context: Any) -> Connection:
        """A view of this connection whose context is updated with ``context``."""
        return Connection(self._state, {**self._context, **context})

    def fields_get(self, model: str) -> dict[str, dict[str, Any]]:
        """``fields_get`` of ``model`` (the attributes in ``FIELDS_GET_ATTRIBUTES``),
        cached for ``cache_ttl`` seconds (until :meth:`clear_cache` when it is
        ``None`` or ``0``: a schema is not record data) and shared by every view.
        Do not mutate it."""
        state = self._state
        with state.fields_lock:
            found = state.fields.get(model)
        if found is not None:
            return found
        # one fetch per model even when several threads ask at once
        with state.model_lock(model):
            with state.fields_lock:
                found = state.fields.get(model)
            if found is not None:
                return found
            result = self.rpc(model, "fields_get", attributes=list(FIELDS_GET_ATTRIBUTES))
            with state.fields_lock:
                state.fields[model] = result
            return result

    def clear_cache(self) -> None:
        """Forget cached records and ``fields_get`` answers."""
        self._state.cache.clear()
        with self._state.fields_lock:
            self._state.fields.clear()

    def close(self) -> None:
        """Close the pooled HTTP session; later calls raise ConnectionClosedError.

        Closing any view closes the connection it belongs to.
        """
        state = self._state
        with state.close_lock:
            if state.closed:
                return
            state.closed = True
        _forget_default(state)
        try:
            state.transport.close()
        finally:
            if state.http is not None:
                state.http.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        # never the password, API key or session id
        state = self._state
        closed = " closed" if state.closed else ""
        readonly = " readonly" if state.readonly else ""
        ctx = f" context={dict(self._context)!r}" if self._context else ""
        return (
            f"<Connection url={state.url!r} db={state.db!r} login={state.login!r} "
            f"protocol={state.protocol!r} version={str(state.version)!r}{readonly}{ctx}{closed}>"
        )

    # -- internals --------------------------------------------------------------

    def _merged(self, context: Mapping[str, Any] | None) -> dict[str, Any]:
        if context is None:
            return dict(self._context)
        if not isinstance(context, Mapping):
            raise TypeError(f"context must be a mapping, got {context!r}")
        return {**self._context, **context}

    def _send(self, call: RPCCall) -> Any:
        state = self._state
        if state.closed:
            raise ConnectionClosedError(
                f"this connection to {state.url} (db {state.db!r}) is closed; "
                "open a new one with odoorm.connect(...)"
            )
        if state.readonly and call.method not in READ_METHODS:
            raise ReadonlyError(
                f"{call.model}.{call.method} was not sent: this connection is readonly and "
                f"{call.method!r} is not a known read-only method. Open a writable connection "
                "with odoorm.connect(..., readonly=False) to change data."
            )
        return state.transport.call(call)


#: Methods whose first parameter is a domain.
_DOMAIN_FIRST = frozenset(
    {
        "search",
        "search_read",
        "search_count",
        "search_fetch",
        "read_group",
        "formatted_read_group",
        "web_search_read",
        "web_read_group",
    }
)


#: Standard methods that run on records (their first argument is the ids).
_RECORD_METHODS = frozenset(name for name, sig in JSON2_SIGNATURES.items() if not sig.model_method)


#: the prefix operators a domain may hold besides its leaves
_DOMAIN_OPERATORS = frozenset({"&", "|", "!"})


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_leaf(value: object) -> bool:
    # ("name", "=", x), and Odoo's (1, "=", 1) / (0, "=", 1) constant leaves
    return isinstance(value, (list, tuple)) and len(value) == 3 and isinstance(value[1], str)


def _check_execute_args(model: str, method: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Refuse the ``execute_kw`` habit of wrapping all arguments in one list.

    ``conn.execute`` takes the arguments themselves (``*args``); given
    ``execute_kw``'s single list, ``[[domain]]`` would reach Odoo as a domain
    whose "leaf" is a whole domain and fail with a cryptic "Invalid leaf".
    A domain holds only leaves and operator strings, so a list in it that is
    not a leaf is that mistake.
    """
    if not args:
        return args
    first = args[0]
    if not isinstance(first, (list, tuple)):
        return args
    if method in _RECORD_METHODS and not all(_is_id(i) for i in first):
        raise TypeError(
            f"conn.execute({model!r}, {method!r}, {_short(first)}, ...): {method} runs on "
            "records, so its first argument is the record ids, e.g. [7, 8]; conn.execute "
            "takes the arguments themselves (*args), not execute_kw's single list: write "
            f"conn.execute({model!r}, {method!r}, [7, 8], ...)"
        )
    if method not in _DOMAIN_FIRST:
        return args
    if _is_leaf(first) and isinstance(first[0], str) and first[0] not in _DOMAIN_OPERATORS:
        raise TypeError(
            f"conn.execute({model!r}, {method!r}, {_short(first)}): the first argument of "
            f"{method} is a domain, a list of leaves, and this is one bare leaf: write "
            f"conn.execute({model!r}, {method!r}, [{_short(tuple(first))}])"
        )
    if any(isinstance(item, (list, tuple)) and not _is_leaf(item) for item in first):
        shown = _short(first)
        fixed = _short(first[0]) + (", ..." if len(first) > 1 else "")
        raise TypeError(
            f"conn.execute({model!r}, {method!r}, {shown}): the first argument of {method} "
            "is a domain, and this one is wrapped in an extra list as execute_kw expects. "
            "conn.execute takes the arguments themselves (*args): write "
            f"conn.execute({model!r}, {method!r}, {fixed}), or use conn.rpc(..., domain=...)"
        )
    return args


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _check_name(what: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{what} must be a non-empty string such as 'res.partner', got {value!r}")
    return value
