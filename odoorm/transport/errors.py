"""Server error shapes -> :mod:`odoorm.exceptions`, shared by the four transports.

Each protocol reports a server-side exception differently:

* XML-RPC: a ``<fault>`` with ``faultCode`` 1 (traceback whose last line is
  ``Class: message``), 2 (user-facing message only), 3 (AccessDenied) or
  4 (AccessError);
* JSON-RPC and the web session: ``error.data = {name, message, arguments, debug}``
  (``code`` 100 for an expired session, 404 for ``werkzeug.exceptions.NotFound``);
* JSON-2: an HTTP status with ``{name, message, arguments, context, debug}``.

Everything ends in :func:`exception_from_name`, so one server class maps to one
odoorm class whatever the protocol. An answer that is not Odoo at all (a
proxy's HTML error page, a 404 page) becomes a :class:`TransportError` built by
:func:`non_odoo_answer`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from odoorm.exceptions import (
    AccessDenied,
    AccessError,
    MissingError,
    OdooError,
    ServerError,
    TransportError,
    UserError,
    ValidationError,
)

__all__ = [
    "SESSION_EXPIRED",
    "base_url",
    "exception_from_fault",
    "exception_from_json2",
    "exception_from_jsonrpc",
    "exception_from_name",
    "is_serialization_failure",
    "is_session_expired",
    "non_odoo_answer",
    "scrub",
]

SESSION_EXPIRED = "odoo.http.SessionExpiredException"

# Server class name -> odoorm class. Names not listed fall back on the
# ``odoo.exceptions.`` suffix table below, then on ServerError.
_BY_NAME: dict[str, type[OdooError]] = {
    "odoo.exceptions.AccessDenied": AccessDenied,
    "odoo.exceptions.AccessError": AccessError,
    "odoo.exceptions.MissingError": MissingError,
    "odoo.exceptions.ValidationError": ValidationError,
    "odoo.exceptions.UserError": UserError,
    "odoo.exceptions.RedirectWarning": UserError,
    "odoo.exceptions.Warning": UserError,
    "odoo.exceptions.except_orm": UserError,
    SESSION_EXPIRED: AccessDenied,
    "werkzeug.exceptions.Unauthorized": AccessDenied,
    "werkzeug.exceptions.Forbidden": AccessError,
}

# XML-RPC fault code 1 tracebacks name odoo exceptions without their module
_SHORT_ODOO_NAMES = {
    "AccessDenied",
    "AccessError",
    "MissingError",
    "ValidationError",
    "UserError",
    "RedirectWarning",
}

_MISSING_PREFIX = "Record does not exist or has been deleted"
_INTEGRITY_PREFIX = "The operation cannot be completed"

# Odoo's own "retry me" errors: PostgreSQL serialization failures and deadlocks
_SERIALIZATION_MARKERS = (
    "SerializationFailure",
    "could not serialize access",
    "DeadlockDetected",
    "deadlock detected",
    "LockNotAvailable",
)


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every secret in ``text`` by ``***`` (servers may echo them)."""
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, "***")
    return text


def exception_from_name(
    name: str | None,
    message: str,
    *,
    arguments: list[Any] | tuple[Any, ...] | None = None,
    debug: str | None = None,
    model: str | None = None,
    method: str | None = None,
    status: int | None = None,
) -> OdooError:
    """The odoorm exception for the server exception class ``name``.

    ``builtins.*``, ``psycopg2.*``, ``werkzeug.exceptions.NotFound`` and any
    unknown class give :class:`ServerError`; ``name`` is kept on the exception.
    """
    cls = _class_for_name(name)
    return cls(
        message or (name or "Odoo server error"),
        name=name,
        arguments=arguments,
        debug=debug,
        model=model,
        method=method,
        status=status,
    )


def _class_for_name(name: str | None) -> type[OdooError]:
    if not name:
        return ServerError
    if name in _BY_NAME:
        return _BY_NAME[name]
    short = name.rsplit(".", 1)[-1]
    # odoo.addons.x.models.y.SomeUserError subclasses keep their base's meaning only
    # when they say so in their name; exact odoo.exceptions names are handled above.
    if name.startswith("odoo.exceptions.") or ("." not in name and short in _SHORT_ODOO_NAMES):
        return _BY_NAME.get(f"odoo.exceptions.{short}", ServerError)
    return ServerError


def exception_from_jsonrpc(
    error: Mapping[str, Any], *, model: str | None = None, method: str | None = None
) -> OdooError:
    """Map a JSON-RPC / web-session ``error`` member to an exception."""
    data = error.get("data")
    if not isinstance(data, Mapping):
        data = {}
    name = data.get("name")
    if not name and error.get("code") == 100:
        name = SESSION_EXPIRED
    message = data.get("message") or error.get("message") or "Odoo server error"
    arguments = data.get("arguments")
    return exception_from_name(
        name,
        str(message),
        arguments=arguments if isinstance(arguments, (list, tuple)) else None,
        debug=data.get("debug") or None,
        model=model,
        method=method,
    )


def is_session_expired(error: Mapping[str, Any]) -> bool:
    """True for the JSON-RPC error the web routes send once the session is gone."""
    data = error.get("data")
    name = data.get("name") if isinstance(data, Mapping) else None
    return error.get("code") == 100 or name == SESSION_EXPIRED


def exception_from_fault(
    code: int, fault_string: str, *, model: str | None = None, method: str | None = None
) -> OdooError:
    """Map an XML-RPC fault to an exception (see ODOO-FACTS: codes 1 to 4)."""
    text = fault_string.strip()
    if code == 3:
        return AccessDenied(
            text or "Access Denied", name="odoo.exceptions.AccessDenied", model=model, method=method
        )
    if code == 4:
        return AccessError(text, name="odoo.exceptions.AccessError", model=model, method=method)
    if code == 2:
        if text.startswith(_MISSING_PREFIX):
            name = "odoo.exceptions.MissingError"
        elif text.startswith(_INTEGRITY_PREFIX):
            name = "odoo.exceptions.ValidationError"
        else:
            name = "odoo.exceptions.UserError"
        return exception_from_name(name, text, model=model, method=method)
    cls_name, message = _parse_traceback(fault_string)
    return exception_from_name(
        cls_name, message, debug=fault_string or None, model=model, method=method
    )


_FRAME = re.compile(r'^\s+File "')
_EXC_LINE = re.compile(r"^([A-Za-z_][\w.]*)(?::\s?(.*))?$")


def _parse_traceback(text: str) -> tuple[str | None, str]:
    """``(class name, message)`` from a Python traceback's final exception."""
    lines = text.rstrip().splitlines()
    if not lines:
        return None, ""
    last_frame = max((i for i, line in enumerate(lines) if _FRAME.match(line)), default=-1)
    start = last_frame + 1
    # skip the source line and caret markers of the last frame: they are indented
    while start < len(lines) and (not lines[start].strip() or lines[start][:1].isspace()):
        start += 1
    if start >= len(lines):
        return None, lines[-1].strip()
    match = _EXC_LINE.match(lines[start])
    if not match:
        return None, "\n".join(lines[start:]).strip()
    cls, first = match.group(1), match.group(2) or ""
    message = "\n".join([first, *lines[start + 1 :]]).strip()
    if "." not in cls and cls not in _SHORT_ODOO_NAMES:
        cls = f"builtins.{cls}"
    elif "." not in cls:
        cls = f"odoo.exceptions.{cls}"
    return cls, message


def exception_from_json2(
    status: int,
    body: Mapping[str, Any],
    *,
    model: str | None = None,
    method: str | None = None,
) -> OdooError:
    """Map a JSON-2 error answer (HTTP status + JSON body) to an exception.

    401 -> AccessDenied, 403 -> AccessError, 404 -> MissingError when the server
    says so else ServerError (unknown model or method), 422 -> ValidationError or
    UserError when the server says so else ServerError (bad arguments), anything
    else -> by name, falling back on ServerError.
    """
    name = body.get("name")
    name = name if isinstance(name, str) else None
    message = str(body.get("message") or f"HTTP {status}")
    arguments = body.get("arguments")
    debug = body.get("debug") or None
    kwargs: dict[str, Any] = {
        "arguments": arguments if isinstance(arguments, (list, tuple)) else None,
        "debug": debug,
        "model": model,
        "method": method,
        "status": status,
    }
    by_name = _class_for_name(name)
    if status == 401:
        cls: type[OdooError] = AccessDenied
    elif status == 403:
        cls = AccessError if by_name is ServerError else by_name
    else:
        cls = by_name
    return cls(message, name=name, **kwargs)


def is_serialization_failure(exc: BaseException) -> bool:
    """True for the concurrency errors Odoo itself retries (safe to retry a read)."""
    if not isinstance(exc, ServerError):
        return False
    text = f"{exc.name or ''} {exc.message}"
    return any(marker in text for marker in _SERIALIZATION_MARKERS)


def base_url(url: str) -> str:
    """``http://host:8069/odoo/action-x`` -> ``http://host:8069`` (scheme, host and port only)."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]  # never a user:password@ part in text
    return f"{parts.scheme}://{netloc}"


_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def non_odoo_answer(
    status: int,
    content_type: str,
    text: str,
    *,
    url: str,
    expected: str,
) -> TransportError:
    """A :class:`TransportError` for an HTTP answer that is not the expected Odoo shape.

    ``expected`` names what was expected ("an XML-RPC response", "JSON"...). The
    message carries the status, a short excerpt and a hint; never a parse crash.
    """
    hint = _hint(status, text, url)
    excerpt = _excerpt(text)
    kind = content_type.split(";")[0].strip() or "no content type"
    message = f"HTTP {status} from {url}: expected {expected}, got {kind}"
    if excerpt:
        message += f" ({excerpt})"
    if hint:
        message += f". {hint}"
    return TransportError(message, url=url, status=status)


def _excerpt(text: str) -> str:
    match = _TITLE.search(text)
    raw = match.group(1) if match else _TAGS.sub(" ", text)
    words = " ".join(raw.split())
    return words[:120] + ("..." if len(words) > 120 else "")


def _hint(status: int, text: str, url: str) -> str:
    lowered = text.lower()
    if "no database is selected" in lowered:
        return (
            "No database is selected: the server hosts several databases and this request "
            "named none, or one it does not have: pass the right db=... (the "
            "X-Odoo-Database header / session database)"
        )
    if status == 404 and "/json/2/" in url:
        return (
            "JSON-2 (/json/2) exists only on Odoo 19 and later: use protocol='jsonrpc' "
            "or 'xmlrpc' for older servers"
        )
    if status == 400 and "csrf" in lowered:
        # Odoo 17.2+ serves the web client under /odoo/...: a POST there is taken for
        # a browser form without its CSRF token. Seen when a browser URL is passed.
        return (
            "The server took this request for a web-client form (invalid CSRF token): "
            "the URL has a web-client path (no path such as /odoo or /web): pass the "
            f"server's base URL: {base_url(url)}"
        )
    if status == 404:
        return "Check the server URL (no path such as /odoo or /web) and the protocol"
    if status in (502, 503, 504):
        return (
            "A proxy or load balancer answered for the Odoo server, which is down, busy or "
            "restarting: try again later, or ask the server's administrator"
        )
    if status in (301, 302, 303, 307, 308):
        return "The server redirected (often to /web/login): check the URL and database name"
    if status == 429:
        return (
            "The server is rate limiting and still refused after waiting for its "
            "Retry-After on every attempt: lower max_rps, or allow more attempts with "
            "retry=RetryPolicy(attempts=...)"
        )
    return ""
