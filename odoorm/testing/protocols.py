"""Wire shapes of the emulator: XML-RPC documents, JSON-RPC envelopes, JSON-2
error bodies and the HTML pages real Odoo 17/18/19 servers answer.

Everything here is a pure function of (version, value or exception); the HTTP
plumbing lives in :mod:`odoorm.testing.server`. The shapes were read off real
recorded exchanges (see ``docs/emulator.md``): fault codes, the order of the
keys in ``error.data``, the ``code`` of JSON-RPC errors (200 up to 18, 0 on 19),
the XML prolog (stdlib style on 17, Odoo's own on 18+).
"""

from __future__ import annotations

import datetime as _dt
import json
import struct
import xmlrpc.client
import zlib
from typing import Any

from odoorm.testing import errors


def _png(width: int, height: int, rgba: tuple[int, int, int, int]) -> bytes:
    """A PNG of one colour (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgba) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


#: ``/web/binary/company_logo`` of a company without a logo (Odoo serves a placeholder PNG)
PLACEHOLDER_LOGO = _png(180, 46, (0, 0, 0, 0))

# XML 1.0 forbids control characters; Odoo 18+ strips them before marshalling
_CONTROL_CHARACTERS = dict.fromkeys(set(range(32)) - {9, 10, 13})

NOT_FOUND_MESSAGE = (
    "The requested URL was not found on the server. If you entered the URL manually "
    "please check your spelling and try again."
)

#: werkzeug's 404 page (17, 18, and 19 when a database is selected)
HTML_404 = (
    "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    f"<p>{NOT_FOUND_MESSAGE}</p>\n"
)

#: the same page from the older werkzeug of Odoo 16
HTML_404_16 = (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found</title>\n'
    "<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the "
    "URL manually please check your spelling and try again.</p>\n"
)


def html_404(version: int) -> str:
    return HTML_404_16 if version <= 16 else HTML_404


#: Odoo 19's 404 page when no database is selected for a web route
HTML_404_NODB = (
    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>No database is selected and the requested URL was not found in the server-wide "
    "controllers.</p>\n"
    "<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n"
    "<!-- Alternatively, use the X-Odoo-Database header. -->\n"
)


HTTP_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
}


def html_redirect(location: str) -> str:
    """werkzeug's body for a 303 redirect."""
    return (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
        "<p>You should be redirected automatically to the target URL: "
        f'<a href="{location}">{location}</a>. If not, click the link.\n'
    )


# ---------------------------------------------------------------------------
# Errors that the front-ends raise themselves (werkzeug / odoo.http classes)
# ---------------------------------------------------------------------------


class HTTPError(errors.OdooServerError):
    """A werkzeug HTTP exception: its ``arguments`` carry the status too."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.json2_status = self.status

    @property
    def arguments(self) -> list[Any]:
        return [self.message, self.status]

    @property
    def full_text(self) -> str:
        return f"{self.status} {self.title}: {self.message}"


class NotFound(HTTPError):
    name = "werkzeug.exceptions.NotFound"
    status = 404
    title = "Not Found"


class Unauthorized(HTTPError):
    name = "werkzeug.exceptions.Unauthorized"
    status = 401
    title = "Unauthorized"


class UnprocessableEntity(HTTPError):
    name = "werkzeug.exceptions.UnprocessableEntity"
    status = 422
    title = "Unprocessable Entity"


class SessionExpired(errors.OdooServerError):
    name = "odoo.http.SessionExpiredException"

    def __init__(self, message: str = "Session expired"):
        super().__init__(message)


class OperationalError(errors.OdooServerError):
    """What psycopg2 raises when a client names a database that does not exist."""

    name = "psycopg2.OperationalError"

    def __init__(self, db: str):
        super().__init__(
            f'connection to server at "127.0.0.1", port 5432 failed: '
            f'FATAL:  database "{db}" does not exist'
        )


def exc_name(exc: BaseException) -> str:
    """The dotted class name Odoo puts in ``error.data.name``."""
    if isinstance(exc, errors.OdooServerError):
        return exc.name
    cls = type(exc)
    module = "builtins" if cls.__module__ == "builtins" else cls.__module__
    return f"{module}.{cls.__qualname__}"


def exc_message(exc: BaseException) -> str:
    if isinstance(exc, errors.OdooServerError):
        return exc.message
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    return str(exc)


def exc_arguments(exc: BaseException) -> list[Any]:
    if isinstance(exc, HTTPError):
        return exc.arguments
    return [_jsonable(a) for a in exc.args]


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


def exception_line(exc: BaseException, *, short_builtins: bool) -> str:
    """The last line of a Python traceback for ``exc``: ``Class: message``.

    ``short_builtins``: Python prints builtins without their module
    (``ValueError: ...``) but odoo classes dotted (``odoo.exceptions.UserError``).
    """
    name = exc_name(exc)
    if short_builtins and name.startswith("builtins."):
        name = name[len("builtins.") :]
    if isinstance(exc, HTTPError):
        return f"{name}: {exc.full_text}"
    message = exc_message(exc)
    status = getattr(exc, "json2_status", None)
    if name.startswith("werkzeug.exceptions.") and status in HTTP_TITLES:
        return f"{name}: {status} {HTTP_TITLES[status]}: {message}"
    if name.endswith("KeyError"):
        message = repr(message)
    return f"{name}: {message}" if message else name


def synthetic_traceback(exc: BaseException, where: str) -> str:
    """A readable stand-in for the server traceback; ends ``Class: message\\n``.

    Real tracebacks point into Odoo's source; the emulator has none to show, so
    it names the emulated call instead. Only the last line carries meaning.
    """
    return (
        "Traceback (most recent call last):\n"
        '  File "odoorm/testing/server.py", line 0, in dispatch\n'
        f"    {where}\n"
        f"{exception_line(exc, short_builtins=True)}\n"
    )


# ---------------------------------------------------------------------------
# XML-RPC
# ---------------------------------------------------------------------------


class _OdooMarshaller(xmlrpc.client.Marshaller):
    """Odoo's marshalling rules: dates as strings, bytes as text, no control chars."""

    dispatch: dict[Any, Any] = dict(xmlrpc.client.Marshaller.dispatch)

    def _dump_str(self, value, write):
        xmlrpc.client.Marshaller.dump_unicode(self, value.translate(_CONTROL_CHARACTERS), write)

    def _dump_bytes(self, value, write):
        self._dump_str(value.decode(), write)

    def _dump_datetime(self, value, write):
        self._dump_str(value.strftime("%Y-%m-%d %H:%M:%S"), write)

    def _dump_date(self, value, write):
        self._dump_str(value.strftime("%Y-%m-%d"), write)

    dispatch[str] = _dump_str
    dispatch[bytes] = _dump_bytes
    dispatch[_dt.datetime] = _dump_datetime
    dispatch[_dt.date] = _dump_date


def xmlrpc_response(version: int, value: Any) -> str:
    """A methodResponse document for ``value`` as the given version writes it.

    Raises ``TypeError`` for values XML-RPC cannot carry (None: Odoo marshals
    with ``allow_none=False``), which the caller turns into a fault like Odoo.
    """
    return _document(version, (value,))


def xmlrpc_fault(version: int, code: int, text: str) -> str:
    return _document(version, xmlrpc.client.Fault(code, text))


def _document(version: int, params: Any) -> str:
    if version <= 17:
        return xmlrpc.client.dumps(params, methodresponse=True, allow_none=False)
    body = _OdooMarshaller(allow_none=False).dumps(params)
    return f'<?xml version="1.0"?>\n<methodResponse>\n{body}\n</methodResponse>\n'


def xmlrpc_fault_for(version: int, exc: BaseException, where: str) -> str:
    """Map an exception to Odoo's integer fault codes (``/xmlrpc/2``)."""
    if isinstance(exc, errors.AccessError):
        return xmlrpc_fault(version, 4, exc_message(exc))
    if isinstance(exc, errors.AccessDenied):
        return xmlrpc_fault(version, 3, exc_message(exc))
    if isinstance(exc, errors.UserError):
        return xmlrpc_fault(version, 2, exc_message(exc))
    return xmlrpc_fault(version, 1, synthetic_traceback(exc, where))


def xmlrpc_fault_string_for(version: int, exc: BaseException, where: str) -> str:
    """The legacy ``/xmlrpc/<service>`` endpoint: string fault codes."""
    message = exc_message(exc)
    if isinstance(exc, errors.MissingError):
        return xmlrpc_fault(version, f"warning -- MissingError\n\n{message}", "")  # type: ignore[arg-type]
    if isinstance(exc, errors.AccessError):
        return xmlrpc_fault(version, f"warning -- AccessError\n\n{message}", "")  # type: ignore[arg-type]
    if isinstance(exc, errors.AccessDenied):
        return xmlrpc_fault(version, "AccessDenied", message)  # type: ignore[arg-type]
    if isinstance(exc, errors.UserError):
        return xmlrpc_fault(version, f"warning -- UserError\n\n{message}", "")  # type: ignore[arg-type]
    return xmlrpc_fault(version, message, synthetic_traceback(exc, where))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# JSON-RPC (/jsonrpc, /web/*) and JSON-2
# ---------------------------------------------------------------------------


def error_data(version: int, exc: BaseException, where: str) -> dict[str, Any]:
    """``error.data`` of a JSON-RPC error, keys in the order the version sends them."""
    name = exc_name(exc)
    message = exc.full_text if isinstance(exc, HTTPError) else exc_message(exc)
    arguments = [] if isinstance(exc, HTTPError) else exc_arguments(exc)
    if version >= 19 and isinstance(exc, errors.AccessDenied):
        debug = exception_line(exc, short_builtins=True) + "\n"
    else:
        debug = synthetic_traceback(exc, where)
    if version >= 19:
        return {
            "name": name,
            "message": message,
            "arguments": arguments,
            "context": {},
            "debug": debug,
        }
    return {"name": name, "debug": debug, "message": message, "arguments": arguments, "context": {}}


def jsonrpc_error(version: int, exc: BaseException, where: str) -> dict[str, Any]:
    """The ``error`` member of a JSON-RPC response."""
    data = error_data(version, exc, where)
    if isinstance(exc, SessionExpired):
        return {"code": 100, "message": "Odoo Session Expired", "data": data}
    if isinstance(exc, HTTPError):
        return {"code": exc.status, "message": f"{exc.status}: {exc.title}", "data": data}
    return {"code": 0 if version >= 19 else 200, "message": "Odoo Server Error", "data": data}


def json2_error(exc: BaseException, where: str) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) of a failed JSON-2 call."""
    status = getattr(exc, "json2_status", 500)
    message = exc_message(exc)
    debug = synthetic_traceback(exc, where)
    body = {
        "name": exc_name(exc),
        "message": message,
        "arguments": exc_arguments(exc),
        "context": {},
        "debug": debug,
    }
    return status, body


def dumps_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=_json_default).encode("utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, _dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
