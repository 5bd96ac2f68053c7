"""The emulator's HTTP server: Odoo's external endpoints on a loopback port.

    from odoorm.testing import Emulator
    with Emulator(version=18) as odoo:
        proxy = xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/common")
        uid = proxy.authenticate(odoo.db, odoo.login, odoo.password, {})

A stdlib ``ThreadingHTTPServer`` (HTTP/1.1 keep-alive) in front of the
in-memory store :class:`odoorm.testing.orm.Database`. Routing, sessions and
protocol shapes follow real Odoo 17/18/19 as recorded (see docs/emulator.md).
"""

from __future__ import annotations

import base64
import contextlib
import email.utils
import json
import logging
import secrets
import socket
import threading
import time
import xmlrpc.client
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from odoorm.testing import errors, protocols
from odoorm.testing.catalogue import Catalogue
from odoorm.testing.clock import Clock, When, make_clock
from odoorm.testing.orm import Database
from odoorm.testing.protocols import HTTPError, NotFound, SessionExpired, Unauthorized
from odoorm.testing.services import LoginCooldown, Services
from odoorm.testing.webclient import session_info

__all__ = ["Emulator"]

_logger = logging.getLogger("odoorm.testing.server")

#: what Odoo 19 logs on every XML-RPC / JSON-RPC call
RPC_DEPRECATION_NOTICE = (
    "The /xmlrpc, /xmlrpc/2 and /jsonrpc endpoints are deprecated in Odoo 19 and "
    "scheduled for removal in Odoo 22; use the JSON-2 API (/json/2) instead."
)

SESSION_MAX_AGE = 604800  # one week, as Odoo
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


def default_server_version(version: int) -> dict[str, Any]:
    return {
        "server_version": f"{version}.0",
        "server_version_info": [version, 0, 0, "final", 0, ""],
        "server_serie": f"{version}.0",
        "protocol_version": 1,
    }


class _Server(ThreadingHTTPServer):
    """Tracks open connections so that ``stop()`` can close idle keep-alive ones."""

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver prints a traceback to stderr; a client dropping its connection
        # mid-request is routine in tests, so it only goes to the debug log
        _logger.debug("request from %s failed", client_address, exc_info=True)

    def close_connections(self) -> None:
        with self.connections_lock:
            live = list(self.connections)
        for conn in live:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class Response:
    """What a route answers: status, headers and body bytes."""

    def __init__(
        self,
        status: int,
        body: bytes | str,
        content_type: str,
        headers: dict[str, str] | None = None,
    ):
        self.status = status
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.headers = {"Content-Type": content_type, **(headers or {})}


class Session:
    __slots__ = ("context", "db", "login", "sid", "uid")

    def __init__(self, sid: str):
        self.sid = sid
        self.db: str | None = None
        self.uid: int | None = None
        self.login: str | None = None
        self.context: dict[str, Any] = {}


class Emulator:
    """An Odoo server stand-in on ``http://127.0.0.1:<ephemeral port>``.

    ``version``: 17, 18 or 19 (JSON-2, ``/web/version`` and ``/json/version``
    only on 19). ``data``: ``"demo"``, a seed.json path or dict, or None (see
    :class:`odoorm.testing.orm.Database`). ``database``: an existing store to
    serve instead of building one. ``monodb``: behave like a server hosting a
    single database (web routes then need no cookie to pick it); the default
    mirrors the recorded multi-database servers. ``login_cooldown``: Odoo's
    5-failures/60-seconds login guard, on by default (``reset_login_cooldown()``).
    ``now``: the emulator's clock (:attr:`clock`), which stamps ``create_date``,
    ``write_date`` and date defaults: None follows the machine's clock; a datetime,
    a date or ``"YYYY-MM-DD HH:MM:SS"`` (UTC) freezes it there; a
    :class:`~odoorm.testing.clock.Clock` is used as given (``Clock(start, tick=True)``
    runs from ``start``). Pin it in tests that look at timestamps.
    """

    def __init__(
        self,
        version: int = 18,
        data: Any = "demo",
        db: str = "odoorm",
        port: int = 0,
        host: str = "127.0.0.1",
        login: str = "admin",
        password: str = "admin",
        *,
        database: Any = None,
        server_version: dict[str, Any] | None = None,
        monodb: bool = False,
        login_cooldown: bool = True,
        cooldown_after: int = 5,
        cooldown_duration: float = 60.0,
        now: Clock | When | None = None,
        master_password: str | None = "admin",
    ):
        if version not in (16, 17, 18, 19):
            raise ValueError(
                f"Emulator(version={version!r}): supported versions are 16, 17, 18 and 19"
            )
        self.version = version
        self.db = db
        self.host = host
        self.port = port
        self.login = login
        self.password = password
        self.monodb = monodb
        #: the db service's master password (Odoo's ``admin_passwd``); None refuses all
        self.master_password = master_password
        self.cooldown = LoginCooldown(cooldown_after, cooldown_duration, login_cooldown)
        self.request_log: list[tuple[str, str]] = []
        self.server_version = server_version or _server_from_data(data, version)
        if database is None:
            database = Database(name=db, version=version, data=data, now=now)
        elif now is not None:
            database.clock = make_clock(now)
        self.database = database
        #: every database the server hosts (the db service creates, copies and drops them)
        self.catalogue = Catalogue(db, database, version, self.server_version)
        self.services = Services(self)
        self._sessions: dict[str, Session] = {}
        self._sessions_lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        state = self.url if self._httpd else "stopped"
        return f"<Emulator odoo {self.version} db={self.db!r} {state}>"

    @property
    def clock(self) -> Clock:
        """The emulator's clock: ``clock.set(when)``, ``clock.advance(minutes=5)``, ``now()``."""
        clock: Clock = self.database.clock
        return clock

    # -- lifecycle ---------------------------------------------------------
    @property
    def api_key(self) -> str:
        return self.database.api_key

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError(
                "Emulator is not running: call start() or use it as a context manager"
            )
        host, port = self._httpd.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}"

    def start(self) -> Emulator:
        if self._httpd is not None:
            return self
        handler = type("Handler", (_Handler,), {"emulator": self})
        self._httpd = _Server((self.host, self.port), handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"odoo-emulator-{self.version}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset_login_cooldown(self) -> None:
        """Forget failed logins (the cooldown guard)."""
        self.cooldown.reset()

    # -- sessions ------------------------------------------------------------
    def new_session(self) -> Session:
        session = Session(secrets.token_urlsafe(54)[:72])
        with self._sessions_lock:
            self._sessions[session.sid] = session
        return session

    def get_session(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._sessions_lock:
            return self._sessions.get(sid)

    def drop_session(self, sid: str) -> None:
        with self._sessions_lock:
            self._sessions.pop(sid, None)


def _server_from_data(data: Any, version: int) -> dict[str, Any]:
    """A seed.json carries the recorded server's version block; reuse it."""
    blob = data
    if isinstance(data, (str, Path)) and str(data) != "demo" and Path(data).is_file():
        try:
            blob = json.loads(Path(data).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            blob = None
    if isinstance(blob, dict):
        server = blob.get("server")
        if isinstance(server, dict) and server.get("server_version_info", [None])[0] == version:
            return dict(server)
    return default_server_version(version)


def _cookie(sid: str) -> str:
    expires = email.utils.formatdate(time.time() + SESSION_MAX_AGE, usegmt=True)
    return f"session_id={sid}; Expires={expires}; Max-Age={SESSION_MAX_AGE}; HttpOnly; Path=/"


class _Handler(BaseHTTPRequestHandler):
    emulator: Emulator
    protocol_version = "HTTP/1.1"
    # one write per response and no Nagle: otherwise delayed ACKs add ~40 ms a call
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    server_version = "Werkzeug/3.0.1"
    sys_version = "Python/3"

    def log_message(self, format: str, *args: Any) -> None:
        _logger.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    do_PUT = do_DELETE = do_PATCH = do_GET

    # -- plumbing ------------------------------------------------------------
    def _handle(self) -> None:
        emu = self.emulator
        path = self.path.split("?", 1)[0]
        emu.request_log.append((self.command, path))
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        self.rotated_session: Session | None = None
        self.cookie_sid = self._cookie_sid()
        try:
            response = route(self, path)
        except Exception:  # a bug in the emulator: answer like a crashed Odoo
            _logger.exception("emulator failed on %s %s", self.command, path)
            response = Response(500, "Internal Server Error", HTML_TYPE)
        self.send_response(response.status)
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _cookie_sid(self) -> str | None:
        raw = self.headers.get("Cookie") or ""
        for part in raw.split(";"):
            name, _, value = part.strip().partition("=")
            if name == "session_id" and value:
                return value
        return None

    @property
    def source(self) -> str:
        return self.client_address[0]


# ---------------------------------------------------------------------------
# routing
# ---------------------------------------------------------------------------


def route(req: _Handler, path: str) -> Response:
    emu = req.emulator
    if path.startswith("/xmlrpc/"):
        return xmlrpc_route(req, path)
    if path == "/jsonrpc":
        return jsonrpc_route(req)
    if path in ("/web/version", "/json/version") and emu.version >= 19:
        return json_response(
            {
                "version_info": emu.server_version["server_version_info"],
                "version": emu.server_version["server_serie"],
            }
        )
    if path == "/web/webclient/version_info":
        return web_json(req, lambda _s, _p: dict(emu.server_version), auth=False)
    if path == "/web/session/authenticate":
        return web_json(req, lambda s, p: session_authenticate(req, s, p), auth=False)
    if path == "/web/session/get_session_info":
        return web_json(req, lambda s, _p: _session_info(emu, s))
    if path == "/web/session/destroy":
        return web_json(req, lambda s, _p: session_destroy(emu, s))
    if path == "/web/dataset/call_kw" or path.startswith("/web/dataset/call_kw/"):
        return web_json(req, lambda s, p: call_kw(req, s, p))
    if path == "/web/dataset/call_button" or path.startswith("/web/dataset/call_button/"):
        return web_json(req, lambda s, p: call_button(req, s, p))
    if path in ("/web/binary/company_logo", "/logo", "/logo.png"):
        return company_logo(req)
    if emu.version >= 19 and (path == "/json/2" or path.startswith("/json/2/")):
        return json2_route(req, path)
    if emu.version >= 19 and path.startswith("/doc-bearer/") and path.endswith(".json"):
        return doc_bearer_route(req, path[len("/doc-bearer/") : -len(".json")])
    return not_found(req)


def db_selected(req: _Handler) -> bool:
    emu = req.emulator
    named = req.headers.get("X-Odoo-Database") if emu.version >= 19 else None
    if named is not None and named != emu.db:
        return False  # an unknown database, even on a single-database server
    if emu.monodb:
        return True
    session = emu.get_session(req.cookie_sid)
    if session is not None and session.db and emu.catalogue.get(session.db) is not None:
        return True
    return emu.version >= 19 and req.headers.get("X-Odoo-Database") == emu.db


def not_found(req: _Handler) -> Response:
    emu = req.emulator
    path = req.path.split("?", 1)[0]
    if emu.monodb and emu.version < 19 and path.startswith("/json/2"):
        location = f"/web/login?redirect={quote(path, safe='')}"
        return Response(303, protocols.html_redirect(location), HTML_TYPE, {"Location": location})
    if emu.version >= 19 and not db_selected(req):
        return Response(404, protocols.HTML_404_NODB, HTML_TYPE)
    return Response(404, protocols.html_404(emu.version), HTML_TYPE)


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(status, protocols.dumps_json(value), JSON_TYPE, headers)


def _deprecated(emu: Emulator) -> None:
    if emu.version >= 19:
        _logger.warning(RPC_DEPRECATION_NOTICE)


# -- XML-RPC -------------------------------------------------------------------


def xmlrpc_route(req: _Handler, path: str) -> Response:
    emu = req.emulator
    parts = path.strip("/").split("/")
    if req.command != "POST" or len(parts) not in (2, 3) or (len(parts) == 3 and parts[1] != "2"):
        return not_found(req)
    legacy = len(parts) == 2
    service = parts[-1]
    _deprecated(emu)
    where = f"xmlrpc {service}"
    try:
        params, method = xmlrpc.client.loads(req.body, use_datetime=True)
        where = f"{service}.{method}{_short(params[3:5]) if service == 'object' else ''}"
        result = emu.services.dispatch(service, method or "", list(params), req.source)
        body = protocols.xmlrpc_response(emu.version, result)
    except Exception as exc:
        fault = protocols.xmlrpc_fault_string_for if legacy else protocols.xmlrpc_fault_for
        body = fault(emu.version, exc, where)
    return Response(200, body, XML_TYPE)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 120 else text[:117] + "..."


# -- JSON-RPC ------------------------------------------------------------------


def _parse_jsonrpc(req: _Handler) -> tuple[Any, dict[str, Any]]:
    try:
        payload = json.loads(req.body or b"{}")
    except ValueError as exc:
        raise errors.value_error(f"Invalid JSON data: {exc}") from exc
    if not isinstance(payload, dict):
        raise errors.value_error("Invalid JSON-RPC data: a JSON object is expected")
    params = payload.get("params") or {}
    if not isinstance(params, dict):
        raise errors.value_error("Invalid JSON-RPC data: 'params' must be an object")
    return payload.get("id"), params


def jsonrpc_envelope(req_id: Any, *, result: Any = None, error: Any = None) -> dict[str, Any]:
    if error is not None:
        return {"jsonrpc": "2.0", "id": req_id, "error": error}
    return {"jsonrpc": "2.0", "id": req_id, "result": result}


def jsonrpc_route(req: _Handler) -> Response:
    emu = req.emulator
    _deprecated(emu)
    req_id = None
    where = "jsonrpc"
    try:
        req_id, params = _parse_jsonrpc(req)
        service, method = params.get("service"), params.get("method")
        args = params.get("args") or []
        where = f"{service}.{method}{_short(args[3:5]) if service == 'object' else ''}"
        result = emu.services.dispatch(str(service), str(method), list(args), req.source)
        return json_response(jsonrpc_envelope(req_id, result=result))
    except Exception as exc:
        return json_response(
            jsonrpc_envelope(req_id, error=protocols.jsonrpc_error(emu.version, exc, where))
        )


# -- web (session) routes ----------------------------------------------------------


def web_json(req: _Handler, handler: Any, *, auth: bool = True) -> Response:
    """A ``type='json'`` web route: session lookup, JSON-RPC envelope, cookie."""
    emu = req.emulator
    session = emu.get_session(req.cookie_sid)
    if auth and not db_selected(req):
        return not_found(req)
    headers: dict[str, str] = {}
    if session is None:
        session = emu.new_session()
        if emu.monodb:
            session.db = emu.db
    req_id = None
    where = req.path
    try:
        req_id, params = _parse_jsonrpc(req)
        if auth and session.uid is None:
            raise SessionExpired()
        with emu.services.using(session.db):
            result = handler(session, params)
        if req.rotated_session is not None:
            session = req.rotated_session
        body = jsonrpc_envelope(req_id, result=result)
    except Exception as exc:
        if isinstance(exc, NotFound):
            req_id = None  # werkzeug's 404 is raised before Odoo reads the request id
        body = jsonrpc_envelope(req_id, error=protocols.jsonrpc_error(emu.version, exc, where))
    if session.sid != req.cookie_sid and emu.get_session(session.sid) is not None:
        headers["Set-Cookie"] = _cookie(session.sid)
    return json_response(body, headers=headers)


def session_authenticate(req: _Handler, session: Session, params: dict[str, Any]) -> Any:
    emu = req.emulator
    db, login, password = params.get("db"), params.get("login"), params.get("password")
    if db is None and emu.monodb:
        db = emu.db
    emu.services.check_db(db)
    uid = emu.services.login(login, password, req.source, interactive=True)
    if uid is None:
        raise errors.AccessDenied()
    # a successful login rotates the session id, as Odoo does
    emu.drop_session(session.sid)
    fresh = emu.new_session()
    fresh.db, fresh.uid, fresh.login = str(db), uid, str(login)
    req.rotated_session = fresh
    return _session_info(emu, fresh)


def _session_info(emu: Emulator, session: Session) -> Any:
    assert session.uid is not None
    database = emu.services.database
    with database.lock:
        return session_info(database, emu.version, emu.server_version, session.uid, emu.url)


def session_destroy(emu: Emulator, session: Session) -> Any:
    session.uid = None
    session.login = None
    return None


def call_kw(req: _Handler, session: Session, params: dict[str, Any]) -> Any:
    emu = req.emulator
    model, method = params.get("model"), params.get("method")
    if not isinstance(model, str) or not isinstance(method, str):
        raise errors.type_error("call_kw() missing required arguments: 'model' and 'method'")
    if not emu.services.model_exists(model):
        if emu.version <= 17:
            raise errors.key_error(model)
        raise NotFound(protocols.NOT_FOUND_MESSAGE)
    assert session.uid is not None
    return emu.services.execute(
        session.uid, model, method, params.get("args") or [], params.get("kwargs") or {}
    )


def call_button(req: _Handler, session: Session, params: dict[str, Any]) -> Any:
    """A form button: the method's action (its ``type`` defaulting to closing the window),
    or False when it returns anything else."""
    action = call_kw(req, session, params)
    if isinstance(action, dict) and action.get("type") != "":
        return {"type": "ir.actions.act_window_close", **action}
    return False


def company_logo(req: _Handler) -> Response:
    """``/web/binary/company_logo``: the company's logo (its partner's image) as stored, else
    Odoo's placeholder; a PNG either way, also without a session."""
    emu = req.emulator
    query = parse_qs(urlsplit(req.path).query)
    session = emu.get_session(req.cookie_sid)
    with emu.database.lock:
        db = emu.database
        company = _int(query.get("company", [None])[0])
        if company is None and session is not None and session.uid is not None:
            users = db.tables.get("res.users")
            user = users.rows.get(session.uid) if users is not None else None
            company = _int((user or {}).get("company_id"))
        companies, partners = db.tables.get("res.company"), db.tables.get("res.partner")
        row = companies.rows.get(company or 1) if companies is not None else None
        partner = _int((row or {}).get("partner_id"))
        image = (partners.rows.get(partner or 0) or {}).get("image_1920") if partners else None
    body = protocols.PLACEHOLDER_LOGO
    if isinstance(image, str) and image:
        with contextlib.suppress(ValueError):
            body = base64.b64decode(image)
    mimetype = "image/svg+xml" if body.lstrip().startswith(b"<") else "image/png"
    return Response(200, body, mimetype, {"Cache-Control": "public, max-age=604800"})


def _int(value: Any) -> int | None:
    if isinstance(value, (list, tuple)) and value:
        value = value[0]
    try:
        return int(value) if value not in (None, False, "") else None
    except (TypeError, ValueError):
        return None


# -- JSON-2 and /doc-bearer ---------------------------------------------------------


def _bearer_uid(req: _Handler) -> int:
    header = req.headers.get("Authorization") or ""
    scheme, _, key = header.partition(" ")
    uid = None
    if scheme.lower() == "bearer" and key.strip():
        with req.emulator.database.lock:
            uid = req.emulator.database.uid_for_api_key(key.strip())
    if not uid:
        raise Unauthorized("Invalid apikey")
    return int(uid)


def _json2_failure(exc: BaseException, where: str) -> Response:
    status, body = protocols.json2_error(exc, where)
    headers = {"WWW-Authenticate": "Bearer "} if isinstance(exc, Unauthorized) else None
    return json_response(body, status, headers)


def json2_route(req: _Handler, path: str) -> Response:
    if not db_selected(req):
        return not_found(req)
    parts = path.strip("/").split("/")
    where = f"POST {path}"
    if len(parts) != 4 or req.command != "POST":
        return _json2_failure(NotFound("Did you mean POST /json/2/<model>/<method>?"), where)
    model, method = parts[2], parts[3]
    try:
        uid = _bearer_uid(req)
        try:
            body = json.loads(req.body or b"{}")
        except ValueError as exc:
            raise protocols.UnprocessableEntity(f"Invalid JSON data: {exc}") from exc
        if not isinstance(body, dict):
            raise protocols.UnprocessableEntity("the request body must be a JSON object")
        result = req.emulator.services.call_json2(uid, model, method, body)
    except Exception as exc:
        return _json2_failure(exc, where)
    return json_response(result)


def doc_bearer_route(req: _Handler, model: str) -> Response:
    if not db_selected(req):
        return not_found(req)
    where = f"GET /doc-bearer/{model}.json"
    try:
        uid = _bearer_uid(req)
        return json_response(req.emulator.services.doc_model(uid, model))
    except HTTPError as exc:
        if isinstance(exc, NotFound):
            return Response(404, protocols.HTML_404, HTML_TYPE)
        return _json2_failure(exc, where)
    except Exception as exc:
        return _json2_failure(exc, where)
