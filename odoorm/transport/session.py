"""The web-session protocol: the routes Odoo's own web client uses.

``POST /web/session/authenticate`` with ``{db, login, password}`` answers the
user's session info and sets a ``session_id`` cookie; every model call is then
``POST /web/dataset/call_kw/<model>/<method>`` with ``{model, method, args,
kwargs}`` and that cookie. Errors have the JSON-RPC shape.

Session expiry. When the server no longer knows the session it answers either
``error.code == 100`` (``odoo.http.SessionExpiredException``) or, on a server
with several databases, an HTML 404 page (the session names no database, so
the route is not found: recordings ``*-session-call_without_session``). Both
are produced while routing / authenticating the request, before any model code
runs, so the call was certainly NOT executed: the transport logs in again once
and re-sends the call, reads and writes alike. A second failure is raised.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import requests

from odoorm.exceptions import AccessDenied, ConfigurationError, OdooError, TransportError
from odoorm.transport._common import JSON_HEADERS, HTTPTransport, is_json
from odoorm.transport.base import RPCCall
from odoorm.transport.errors import SESSION_EXPIRED
from odoorm.transport.http import HTTPClient
from odoorm.transport.jsonrpc import jsonrpc_request, read_jsonrpc_response
from odoorm.transport.signatures import execute_kw_arguments

__all__ = ["SESSION_NEEDS_PASSWORD", "SessionTransport"]

#: Odoo's interactive web login refuses API keys on every version; refused before
#: sending, as each refusal counts among the 5 failures before Odoo blocks the address
SESSION_NEEDS_PASSWORD = (
    "protocol 'session' logs in like the web client, and Odoo's web login refuses API "
    "keys: pass password=... for it, or use protocol='jsonrpc' or 'xmlrpc' with the "
    "API key (or 'json2' on Odoo 19 and later)"
)

_COOKIE = re.compile(r"session_id=([^;,\s]+)")


class _Expired(Exception):
    """Internal: the server does not know our session any more."""

    def __init__(self, error: BaseException):
        super().__init__(str(error))
        self.error = error


class SessionTransport(HTTPTransport):
    """Odoo's web-client routes with a session cookie (every version)."""

    protocol = "session"

    def __init__(
        self,
        http: HTTPClient,
        *,
        db: str | None,
        login: str | None,
        password: str | None = None,
        api_key: str | None = None,
    ):
        if password is None and api_key is not None:
            raise ConfigurationError(SESSION_NEEDS_PASSWORD)
        super().__init__(http, db=db, login=login, password=password, api_key=api_key)
        # the web login takes the password only: it refuses API keys on every version
        self._secret = password
        self._sid: str | None = None
        self._generation = 0  # bumped at each login, so concurrent expiries re-login once
        self._sid_lock = threading.Lock()
        #: user context and other session info returned at login
        self.session_info: dict[str, Any] = {}

    def _secrets(self) -> tuple[str | None, ...]:
        return (self._secret, self._sid)

    def _remember_cookie(self, response: requests.Response) -> None:
        sid = None
        try:
            sid = response.cookies.get("session_id")
        except requests.cookies.CookieConflictError:
            sid = None
        if not sid:
            match = _COOKIE.search(response.headers.get("Set-Cookie", ""))
            sid = match.group(1) if match else None
        if sid:
            with self._sid_lock:
                self._sid = sid

    def _login(self) -> int | None:
        db, login, secret = self._require("db"), self._require("login"), self._require("secret")
        path = "/web/session/authenticate"
        body = jsonrpc_request({"db": db, "login": login, "password": secret})
        response = self._post(
            path,
            body,
            headers=JSON_HEADERS,
            idempotent=True,
            credentials=True,
        )
        info, _ = read_jsonrpc_response(response, self.http.safe_url + path)
        if not isinstance(info, dict) or not info.get("uid"):
            raise AccessDenied(
                f"Access Denied: wrong login, password/API key or database for {login!r} on {db!r}",
                name="odoo.exceptions.AccessDenied",
            )
        self._remember_cookie(response)
        if not self._sid:
            raise TransportError(
                f"{self.http.safe_url}{path} accepted the login but set no session cookie",
                url=self.http.safe_url + path,
            )
        self._generation += 1
        self.session_info = info
        return int(info["uid"])

    def _call_once(self, call: RPCCall) -> tuple[Any, int]:
        generation = self._generation
        try:
            return self._send(call)
        except _Expired:
            with self._login_lock:
                if self._generation == generation:  # nobody logged in again meanwhile
                    self._uid = self._login()
            try:
                return self._send(call)
            except _Expired as again:
                raise again.error from None

    def _send(self, call: RPCCall) -> tuple[Any, int]:
        args, kwargs = execute_kw_arguments(call)
        path = f"/web/dataset/call_kw/{call.model}/{call.method}"
        url = self.http.safe_url + path
        body = jsonrpc_request(
            {"model": call.model, "method": call.method, "args": args, "kwargs": kwargs},
            f"the arguments of {call.model}.{call.method}",
        )
        headers = dict(JSON_HEADERS)
        if self._sid:
            headers["Cookie"] = f"session_id={self._sid}"
        response = self._post(
            path, body, headers=headers, idempotent=call.is_read, credentials=True
        )
        if response.status_code == 404 and not is_json(response):
            # the session lost its database: the route was not even found
            raise _Expired(
                TransportError(
                    f"HTTP 404 from {url}: the server does not know this session's database "
                    "(session expired, or wrong db): logging in again did not help",
                    url=url,
                    status=404,
                )
            )
        try:
            result = read_jsonrpc_response(response, url, model=call.model, method=call.method)
        except OdooError as exc:
            if exc.name == SESSION_EXPIRED:
                raise _Expired(exc) from None
            if _unknown_model(exc, call.model):
                exc.message = (
                    f"the model {call.model!r} does not exist on this server (or its module is "
                    f"not installed): check the model name (server said: {exc.name})"
                )
                exc.args = (exc.message,)
            raise
        if "Set-Cookie" in response.headers:
            self._remember_cookie(response)
        return result


def _unknown_model(exc: OdooError, model: str) -> bool:
    """The web routes report an unknown model as a bare ``KeyError: 'model'``
    (Odoo 17/18) or a 404 NotFound page text (19), which say nothing useful."""
    if exc.name == "werkzeug.exceptions.NotFound":
        return True
    return exc.name == "builtins.KeyError" and exc.message.strip("'\"") == model
