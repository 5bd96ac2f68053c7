"""Resolving ``connect()`` arguments: environment fallbacks, validation, protocol choice.

Pure functions (no network), so every rule here is testable on its own.

Environment rule: an explicit argument always beats the environment. The
``ODOO_*`` variables describe ONE server: when ``url=`` names another server
than ``ODOO_URL``, the database, login and secrets of the environment are not
used for it (they would be sent to a server they were not meant for).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import attrs

from odoorm.exceptions import ConfigurationError
from odoorm.transport.http import strip_userinfo
from odoorm.transport.session import SESSION_NEEDS_PASSWORD
from odoorm.version import ServerVersion

ENV_VARS: Mapping[str, str] = {
    "url": "ODOO_URL",
    "db": "ODOO_DB",
    "user": "ODOO_USER",
    "password": "ODOO_PASSWORD",
    "api_key": "ODOO_API_KEY",
    "protocol": "ODOO_PROTOCOL",
}
PROTOCOLS: tuple[str, ...] = ("xmlrpc", "jsonrpc", "session", "json2")
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 120.0)
LAZY_MODES: tuple[str, ...] = ("load", "raise")
#: the first Odoo version with the JSON-2 API
JSON2_SINCE = 19


@attrs.frozen(repr=False)
class Target:
    """Where to connect and as whom (secrets kept out of repr)."""

    url: str
    db: str | None
    user: str | None
    password: str | None
    api_key: str | None
    protocol: str  # "auto" or one of PROTOCOLS
    env_used: bool  # whether ODOO_* db/user/secrets could apply

    @property
    def safe_url(self) -> str:
        """The URL for messages: without a ``user:password@`` part."""
        return strip_userinfo(self.url)

    def __repr__(self) -> str:
        return (
            f"Target(url={self.safe_url!r}, db={self.db!r}, user={self.user!r}, "
            f"protocol={self.protocol!r})"
        )


def _env(environ: Mapping[str, str], key: str) -> str | None:
    value = environ.get(ENV_VARS[key], "").strip()
    return value or None


def normalize_url(url: str, *, origin: str = "url") -> str:
    """``https://erp.example.com/`` -> ``https://erp.example.com``; clear error otherwise."""
    if not isinstance(url, str) or not url.strip():
        raise ConfigurationError(f"{origin} must be an URL such as 'https://erp.example.com'")
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(
            f"{origin} {strip_userinfo(url)!r} is not an http(s) URL: write it like "
            "'https://erp.example.com'"
        )
    return url


def resolve_target(
    url: str | None,
    db: str | None,
    user: str | None,
    password: str | None,
    api_key: str | None,
    protocol: str | None,
    environ: Mapping[str, str] | None = None,
) -> Target:
    """Apply the ``ODOO_*`` fallbacks and check what can be checked before any request."""
    environ = os.environ if environ is None else environ
    env_url = _env(environ, "url")
    if url is None:
        if env_url is None:
            raise ConfigurationError(
                "no Odoo URL: pass connect('https://erp.example.com', ...) or set ODOO_URL"
            )
        url = normalize_url(env_url, origin="ODOO_URL")
        env_used = True
    else:
        url = normalize_url(url)
        env_used = env_url is None or _same_server(env_url, url)

    if env_used:
        db = db if db is not None else _env(environ, "db")
        user = user if user is not None else _env(environ, "user")
        if password is None and api_key is None:
            password = _env(environ, "password")
            api_key = _env(environ, "api_key")

    if protocol is None:
        protocol = _env(environ, "protocol") or "auto"
        origin = "ODOO_PROTOCOL"
    else:
        origin = "protocol"
    protocol = protocol.strip().lower() if isinstance(protocol, str) else protocol
    if protocol != "auto" and protocol not in PROTOCOLS:
        raise ConfigurationError(
            f"{origin}={protocol!r} is not a protocol odoorm speaks: use 'auto' or one of "
            + ", ".join(repr(p) for p in PROTOCOLS)
        )
    for name, value in (("db", db), ("user", user), ("password", password), ("api_key", api_key)):
        if value is not None and not isinstance(value, str):
            raise ConfigurationError(f"{name} must be a string, got {type(value).__name__}")
    if api_key is not None:
        # keys are printable tokens: surrounding whitespace is a copy-paste accident
        api_key = api_key.strip()
        if any(c.isspace() or not c.isprintable() for c in api_key):
            raise ConfigurationError(
                "api_key contains whitespace or control characters: paste the key alone, "
                "as Odoo showed it"
            )
    if password is not None and any(c in password for c in "\r\n\0"):
        raise ConfigurationError(
            "password contains a line break or NUL character: remove it (copied with "
            "the end of the line?)"
        )

    target = Target(
        url, db or None, user or None, password or None, api_key or None, protocol, env_used
    )
    if target.password is None and target.api_key is None:
        hint = ""
        if env_url is not None and not env_used:
            hint = f" (the ODOO_* credentials apply only to ODOO_URL={strip_userinfo(env_url)})"
        raise ConfigurationError(
            f"no password or API key for {target.safe_url}: pass password=... or api_key=..., "
            f"or set ODOO_PASSWORD or ODOO_API_KEY{hint}"
        )
    if protocol == "json2" and target.api_key is None:
        raise ConfigurationError(
            "protocol 'json2' authenticates with an API key only: pass api_key=... "
            "or set ODOO_API_KEY (create one in Odoo: Preferences > Account Security)"
        )
    if protocol == "session" and target.password is None:
        raise ConfigurationError(SESSION_NEEDS_PASSWORD)
    if protocol in ("xmlrpc", "jsonrpc", "session") or (
        protocol == "auto" and target.api_key is None
    ):
        require_user(target, "jsonrpc" if protocol == "auto" else protocol)
    return target


def _same_server(a: str, b: str) -> bool:
    try:
        return strip_userinfo(normalize_url(a)).lower() == strip_userinfo(normalize_url(b)).lower()
    except ConfigurationError:
        return False


def require_user(target: Target, protocol: str) -> None:
    """Every protocol but JSON-2 logs in with a login name."""
    if target.user is None and protocol != "json2":
        raise ConfigurationError(
            f"no user for {target.safe_url}: pass user='...' or set ODOO_USER "
            f"(protocol {protocol!r} logs in with a login; only JSON-2 on Odoo 19+ "
            "works with an API key alone)"
        )


def choose_protocol(requested: str, version: ServerVersion, *, has_api_key: bool, url: str) -> str:
    """``auto``: JSON-2 on Odoo 19+ when an API key is given, else JSON-RPC."""
    if requested == "auto":
        return "json2" if version.major >= JSON2_SINCE and has_api_key else "jsonrpc"
    if requested == "json2" and version.major < JSON2_SINCE:
        raise ConfigurationError(
            f"{url} runs Odoo {version}; JSON-2 exists only on Odoo {JSON2_SINCE} and later: "
            "use protocol='auto', 'jsonrpc', 'xmlrpc' or 'session'"
        )
    return requested


def pick_database(databases: list[str], url: str) -> str:
    """The only database of a server, or a clear error saying what to pass."""
    if len(databases) == 1:
        return databases[0]
    if not databases:
        raise ConfigurationError(
            f"no database given and {url} does not list its databases: pass db='...' or set ODOO_DB"
        )
    listed = ", ".join(repr(d) for d in sorted(databases))
    raise ConfigurationError(
        f"no database given and {url} hosts several ({listed}): pass db='...' or set ODOO_DB"
    )


@attrs.frozen
class Options:
    """Validated connection options that do not depend on the server."""

    timeout: float | tuple[float, float]
    max_rps: float | None
    max_concurrency: int | None
    retries: int
    cache_ttl: float | None
    cache_size: int
    lazy: str
    context: dict[str, Any]


def check_options(
    *,
    timeout: Any,
    max_rps: Any,
    max_concurrency: Any,
    retries: Any,
    cache_ttl: Any,
    cache_size: Any,
    lazy: Any,
    context: Any,
) -> Options:
    """Validate the options, each failure naming the argument and what it accepts."""
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        if timeout <= 0:
            raise ConfigurationError(f"timeout must be > 0 seconds, got {timeout!r}")
        timeout = float(timeout)
    elif (
        isinstance(timeout, tuple)
        and len(timeout) == 2
        and all(_positive_number(t) for t in timeout)
    ):
        timeout = (float(timeout[0]), float(timeout[1]))
    else:
        raise ConfigurationError(
            f"timeout must be seconds (e.g. 30) or a (connect, read) pair such as (10, 120), "
            f"got {timeout!r}"
        )
    if max_rps is not None and not _positive_number(max_rps):
        raise ConfigurationError(
            f"max_rps must be a number of requests per second > 0, got {max_rps!r}"
        )
    if max_concurrency is not None and not (_int(max_concurrency) and max_concurrency >= 1):
        raise ConfigurationError(
            f"max_concurrency must be an integer >= 1, got {max_concurrency!r}"
        )
    if not (_int(retries) and retries >= 0):
        raise ConfigurationError(
            f"retries must be an integer >= 0 (how often a failed read is retried), got {retries!r}"
        )
    if cache_ttl is not None and not (_number(cache_ttl) and cache_ttl >= 0):
        raise ConfigurationError(
            f"cache_ttl must be seconds >= 0 (0: do not cache) or None (never expire), "
            f"got {cache_ttl!r}"
        )
    if not (_int(cache_size) and cache_size >= 0):
        raise ConfigurationError(f"cache_size must be an integer >= 0, got {cache_size!r}")
    if lazy not in LAZY_MODES:
        raise ConfigurationError(
            f"lazy must be 'load' (load missing fields on access) or 'raise' "
            f"(make such loads an error), got {lazy!r}"
        )
    if context is None:
        context = {}
    elif not isinstance(context, Mapping):
        raise ConfigurationError(
            f"context must be a mapping such as {{'lang': 'fr_FR'}}, got {context!r}"
        )
    return Options(
        timeout=timeout,
        max_rps=float(max_rps) if max_rps is not None else None,
        max_concurrency=max_concurrency,
        retries=retries,
        cache_ttl=float(cache_ttl) if cache_ttl is not None else None,
        cache_size=cache_size,
        lazy=lazy,
        context=dict(context),
    )


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _positive_number(value: Any) -> bool:
    return _number(value) and value > 0


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
