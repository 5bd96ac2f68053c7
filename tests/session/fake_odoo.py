"""A tiny fake Odoo for connect() tests over real HTTP code: a requests adapter
mounted on an injected session, answering the JSON-RPC and version routes."""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter


class FakeOdoo(BaseAdapter):
    """Answers ``GET /web/version`` (19+ only) and ``POST /jsonrpc``
    (``common.version``, ``common.authenticate``, ``db.list``, ``object.execute_kw``,
    the latter echoing what it was asked)."""

    def __init__(
        self,
        version: int = 18,
        databases: tuple[str, ...] = ("odoo",),
        login: str = "admin",
        password: str = "admin",
    ):
        super().__init__()
        self.version = version
        self.databases = list(databases)
        self.login = login
        self.password = password
        self.log: list[tuple[str, str, str]] = []  # (http method, path, rpc service.method)
        self.closed = 0
        self._lock = threading.Lock()

    def session(self) -> requests.Session:
        s = requests.Session()
        s.mount("https://", self)
        s.mount("http://", self)
        return s

    def count(self, what: str) -> int:
        return sum(1 for entry in self.log if what in entry)

    # -- requests adapter API --------------------------------------------------

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        path = urlsplit(request.url).path
        if request.method == "GET" and path == "/web/version":
            self._note(request.method, path, "web_version")
            if self.version < 19:
                return self._reply(request, 404, "<html><body>Not Found</body></html>", "text/html")
            info = {
                "version_info": [self.version, 0, 0, "final", 0, ""],
                "version": f"{self.version}.0",
            }
            return self._reply(request, 200, json.dumps(info))
        if request.method == "POST" and path == "/jsonrpc":
            body = json.loads(request.body or b"{}")
            params = body["params"]
            what = f"{params['service']}.{params['method']}"
            self._note(request.method, path, what)
            try:
                result = self._dispatch(params["service"], params["method"], params["args"])
            except PermissionError as exc:
                error = {
                    "code": 200,
                    "message": "Odoo Server Error",
                    "data": {
                        "name": "odoo.exceptions.AccessDenied",
                        "message": str(exc),
                        "arguments": [str(exc)],
                        "debug": "Traceback...",
                    },
                }
                return self._reply(
                    request,
                    200,
                    json.dumps({"jsonrpc": "2.0", "id": body.get("id"), "error": error}),
                )
            payload = {"jsonrpc": "2.0", "id": body.get("id"), "result": result}
            return self._reply(request, 200, json.dumps(payload))
        self._note(request.method or "", path, "")
        return self._reply(request, 404, "<html>Not Found</html>", "text/html")

    def close(self) -> None:
        self.closed += 1

    # -- fake server -----------------------------------------------------------------

    def _note(self, method: str, path: str, what: str) -> None:
        with self._lock:
            self.log.append((method, path, what))

    def _dispatch(self, service: str, method: str, args: list[Any]) -> Any:
        if (service, method) == ("common", "version"):
            v = self.version
            return {
                "server_version": f"{v}.0+e-20241005",
                "server_version_info": [v, 0, 0, "final", 0, ""],
                "server_serie": f"{v}.0",
                "protocol_version": 1,
            }
        if (service, method) == ("common", "authenticate"):
            db, login, secret = args[0], args[1], args[2]
            ok = db in self.databases and login == self.login and secret == self.password
            return 2 if ok else False
        if (service, method) == ("db", "list"):
            return list(self.databases)
        if (service, method) == ("object", "execute_kw"):
            _db, _uid, secret, model, meth = args[:5]
            if secret != self.password:
                raise PermissionError("Access Denied")
            rest = args[5] if len(args) > 5 else []
            kw = args[6] if len(args) > 6 else {}
            return {"model": model, "method": meth, "args": rest, "kwargs": kw}
        raise AssertionError(f"unexpected {service}.{method}")

    @staticmethod
    def _reply(
        request: requests.PreparedRequest, status: int, text: str, ctype: str = "application/json"
    ) -> requests.Response:
        response = requests.Response()
        response.status_code = status
        response._content = text.encode()
        response.headers["Content-Type"] = f"{ctype}; charset=utf-8"
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        return response
