"""Opening a connection: ``connect()``, and over HTTP its version, protocol, database, login.

:func:`connect` checks its arguments (:mod:`odoorm.session.options`) and builds
a :class:`~odoorm.session.connection.Connection` on a given transport or on
one it opens. :func:`open_server` runs the steps ``connect()`` takes before the first call,
each at most once, and closes what it opened when one fails. The transport
layer's entry points are reached through the small ``_new_http`` ...
``_make_transport`` functions so that tests can replace them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from odoorm.exceptions import (
    AccessDenied,
    ConfigurationError,
    OdooError,
    OdoormError,
    TransportError,
)
from odoorm.session.connection import Connection, _offer_default, _State
from odoorm.session.options import (
    DEFAULT_TIMEOUT,
    Options,
    Target,
    check_options,
    choose_protocol,
    pick_database,
    require_user,
    resolve_target,
)
from odoorm.transport import make_transport, probe
from odoorm.transport.base import Transport
from odoorm.transport.http import HTTPClient, RetryPolicy, strip_userinfo
from odoorm.version import ServerVersion

if TYPE_CHECKING:
    import requests

__all__ = ["Opened", "connect", "open_server"]


@attrs.frozen
class Opened:
    """What the opening steps produced (no secret in it)."""

    transport: Transport
    http: HTTPClient
    db: str
    uid: int | None
    protocol: str
    version: ServerVersion


def open_server(
    target: Target,
    opts: Options,
    verify: bool | str,
    version: ServerVersion | int | str | tuple[int, ...] | None,
    http_session: requests.Session | None,
) -> Opened:
    """Detect the version (unless given), choose the protocol, find the database
    when not given, build the transport and log in once."""
    http = _new_http(target.url, opts, verify, http_session)
    transport: Transport | None = None
    try:
        found = (
            ServerVersion.from_probe(_probe_version(http))
            if version is None
            else ServerVersion.coerce(version)
        )
        protocol = choose_protocol(
            target.protocol, found, has_api_key=target.api_key is not None, url=target.safe_url
        )
        require_user(target, protocol)
        db = target.db or pick_database(_list_databases(http), target.safe_url)
        transport = _make_transport(
            protocol,
            http,
            db=db,
            login=target.user,
            password=target.password,
            api_key=target.api_key,
        )
        uid = _authenticate(transport, http, target, db, protocol)
        return Opened(transport, http, db, uid, protocol, found)
    except BaseException:
        if transport is not None:
            transport.close()
        http.close()
        raise


def _authenticate(
    transport: Transport, http: HTTPClient, target: Target, db: str, protocol: str
) -> int | None:
    """Log in once; failures say which database and login (never the secret)."""
    try:
        uid = transport.authenticate()
    except AccessDenied as exc:
        _raise_if_unknown_db(http, target, db, exc)
        who = "the API key" if target.user is None else f"login {target.user!r}"
        if protocol == "json2" and target.user is not None:
            advice = (
                "check the API key, and the login: JSON-2 knows the user from the key, "
                "so user= may be left out"
            )
        else:
            secret = "password" if protocol == "session" else "password or API key"
            advice = (
                f"check the user and the {secret} (after 5 failures Odoo blocks "
                "logins from this address for a minute)"
            )
        raise AccessDenied(
            f"{target.safe_url} refused {who} on database {db!r} ({protocol}): {advice}",
            name=exc.name,
            arguments=exc.arguments,
            status=exc.status,
        ) from None
    except OdooError as exc:
        _raise_if_unknown_db(http, target, db, exc)
        raise
    except TransportError as exc:
        # JSON-2 with an unknown X-Odoo-Database: the "No database is selected" 404 page
        if exc.status == 404:
            _raise_if_unknown_db(http, target, db, exc)
        raise
    if (uid is None and protocol != "json2") or uid is False:
        raise AccessDenied(
            f"{target.safe_url} refused login {target.user!r} on database {db!r} ({protocol}): "
            "check the user and the password or API key"
        )
    return uid


def _raise_if_unknown_db(http: HTTPClient, target: Target, db: str, exc: Exception) -> None:
    # A wrong database name makes Odoo answer with a KeyError trace or an
    # access error; one extra request (only on failure) tells the user why.
    try:
        databases = _list_databases(http)
    except OdoormError:
        return
    if databases and db not in databases:
        listed = ", ".join(repr(d) for d in sorted(databases))
        raise ConfigurationError(
            f"database {db!r} does not exist on {target.safe_url} (it has {listed}): "
            "pass db='...' or set ODOO_DB"
        ) from None


# The transport layer's entry points, reached through these functions so that
# tests can replace them.


def _new_http(
    url: str, opts: Options, verify: bool | str, session: requests.Session | None
) -> HTTPClient:
    return HTTPClient(
        url,
        timeout=opts.timeout,
        verify=verify,
        retry=RetryPolicy(attempts=opts.retries + 1),
        max_rps=opts.max_rps,
        max_concurrency=opts.max_concurrency,
        session=session,
    )


def _probe_version(http: HTTPClient) -> Mapping[str, Any]:
    return probe.server_version(http)


def _list_databases(http: HTTPClient) -> list[str]:
    try:
        return list(probe.list_databases(http))
    except OdooError:
        # some servers answer an error instead of an empty list when listing is off
        return []


def _make_transport(protocol: str, http: HTTPClient, **credentials: Any) -> Transport:
    return make_transport(protocol, http, **credentials)


# --------------------------------------------------------------------------
# connect()
# --------------------------------------------------------------------------


def connect(
    url: str | None = None,
    *,
    db: str | None = None,
    user: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    protocol: str | None = None,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    verify: bool | str = True,
    context: Mapping[str, Any] | None = None,
    readonly: bool = False,
    max_rps: float | None = None,
    max_concurrency: int | None = None,
    retries: int = 3,
    cache_ttl: float | None = 300.0,
    cache_size: int = 10_000,
    lazy: str = "load",
    check_schema: bool = True,
    default: bool = True,
    transport: Transport | None = None,
    version: ServerVersion | int | str | tuple[int, ...] | None = None,
    http_session: requests.Session | None = None,
) -> Connection:
    """Open a connection to an Odoo database.

    Detects the server version (one request), picks the protocol, finds the
    database when the server has only one, and authenticates once.

    Args:
        url: the server, e.g. ``"https://erp.example.com"`` (env ``ODOO_URL``).
        db: the database (env ``ODOO_DB``); optional when the server lists one.
        user: the login (env ``ODOO_USER``); not needed for JSON-2.
        password: the password (env ``ODOO_PASSWORD``).
        api_key: an API key (env ``ODOO_API_KEY``), usable in place of a password
            except with ``protocol="session"`` (Odoo's web login refuses keys).
        protocol: ``"auto"`` (env ``ODOO_PROTOCOL``, else auto: JSON-2 on Odoo 19+
            with an API key, else JSON-RPC), ``"xmlrpc"``, ``"jsonrpc"``,
            ``"session"`` or ``"json2"``.
        timeout: seconds, or a ``(connect, read)`` pair.
        verify: TLS verification: ``True``, ``False`` or a CA bundle path.
        context: the Odoo context sent with every call (e.g. ``{"lang": "fr_FR"}``).
        readonly: refuse every method not known to be read-only, before sending.
        max_rps, max_concurrency: client-side throttling of requests.
        retries: how many times a failed read is retried (with backoff).
        cache_ttl: seconds a value read from the server is served again
            (default 300). ``0``: do not cache: a query's records serve what
            it read, a later query or ``get()`` reads again. ``None``: never
            expire (only ``refresh()`` and ``clear_cache()`` renew values).
            See docs/caching.md.
        cache_size: how many recently used records the cache keeps alive.
        lazy: ``"load"`` or ``"raise"`` (lazy field loads become errors).
        check_schema: let declared models check their fields against the server.
        default: make this the default connection if there is none yet.
        transport: a ready Transport (tests): no HTTP at all, nothing read from
            the environment; ``version`` gives the server version (default 18).
        version: skip version detection and assume this version.
        http_session: a ``requests.Session`` to send through (tests mount adapters).

    Raises:
        ConfigurationError: a missing or bad argument (the message names it and
            the environment variable to set).
        AccessDenied: the server refused the login.
        TransportError: the server could not be reached.
    """
    opts = check_options(
        timeout=timeout,
        max_rps=max_rps,
        max_concurrency=max_concurrency,
        retries=retries,
        cache_ttl=cache_ttl,
        cache_size=cache_size,
        lazy=lazy,
        context=context,
    )
    settings: dict[str, Any] = {
        "readonly": bool(readonly),
        "lazy": opts.lazy,
        "check_schema": bool(check_schema),
        "cache_ttl": opts.cache_ttl,
        "cache_size": opts.cache_size,
    }
    if transport is not None:
        state = _injected_state(transport, url, db, user, protocol, version, settings)
    else:
        target = resolve_target(url, db, user, password, api_key, protocol)
        state = _open_state(target, opts, verify, version, http_session, settings)
    conn = Connection(state, opts.context)
    if default:
        _offer_default(conn)
    return conn


def _injected_state(
    transport: Transport,
    url: str | None,
    db: str | None,
    user: str | None,
    protocol: str | None,
    version: Any,
    settings: dict[str, Any],
) -> _State:
    if not isinstance(transport, Transport):
        raise ConfigurationError(f"transport must be an odoorm Transport, got {transport!r}")
    uid = transport.authenticate()
    return _State(
        transport=transport,
        http=None,
        url=strip_userinfo(url.rstrip("/")) if url else "memory://",
        db=db or "odoorm",
        login=user or "admin",
        uid=uid,
        protocol=protocol if protocol and protocol != "auto" else transport.protocol,
        version=ServerVersion.coerce(18 if version is None else version),
        **settings,
    )


def _open_state(
    target: Target,
    opts: Options,
    verify: bool | str,
    version: Any,
    http_session: requests.Session | None,
    settings: dict[str, Any],
) -> _State:
    opened = open_server(target, opts, verify, version, http_session)
    return _State(
        transport=opened.transport,
        http=opened.http,
        url=target.safe_url,
        db=opened.db,
        login=target.user,
        uid=opened.uid,
        protocol=opened.protocol,
        version=opened.version,
        **settings,
    )
