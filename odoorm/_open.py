"""Opening a connection over HTTP: version, protocol, database, login.

:func:`open_server` runs the steps ``connect()`` takes before the first call,
each at most once, and closes what it opened when one fails. The transport
layer's entry points are reached through the small ``_new_http`` ...
``_make_transport`` functions so that tests can replace them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from odoorm._connect import Options, Target, choose_protocol, pick_database, require_user
from odoorm.exceptions import (
    AccessDenied,
    ConfigurationError,
    OdooError,
    OdoormError,
    TransportError,
)
from odoorm.transport.base import Transport
from odoorm.version import ServerVersion

if TYPE_CHECKING:
    import requests

    from odoorm.transport.http import HTTPClient


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
# tests can replace them (and so that importing odoorm.session stays cheap).


def _new_http(
    url: str, opts: Options, verify: bool | str, session: requests.Session | None
) -> HTTPClient:
    from odoorm.transport.http import HTTPClient, RetryPolicy

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
    from odoorm.transport import probe

    return probe.server_version(http)


def _list_databases(http: HTTPClient) -> list[str]:
    from odoorm.transport import probe

    try:
        return list(probe.list_databases(http))
    except OdooError:
        # some servers answer an error instead of an empty list when listing is off
        return []


def _make_transport(protocol: str, http: HTTPClient, **credentials: Any) -> Transport:
    from odoorm.transport import make_transport

    return make_transport(protocol, http, **credentials)
