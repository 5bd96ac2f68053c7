"""Replaying recorded Odoo exchanges through a ``requests`` transport adapter.

:class:`ReplayAdapter` is mounted on the ``requests.Session`` given to an
``HTTPClient``. It holds the exchanges expected, in order; for each request it
checks that the request is the recorded one and answers the recorded response.
Any difference fails the test (``AssertionError`` raised inside ``send``).

Compared: method, path, the headers that matter (Content-Type, Authorization,
X-Odoo-Database; the session cookie once a session was issued), and the body:
JSON structurally (with ``bool``/``int``/``float`` kept apart), XML-RPC through
``xmlrpc.client.loads``. Differences that do not matter and are normalised: a
missing trailing ``{}`` kwargs of ``execute_kw``; dict key order.

Placeholders: ``<api-key>`` in recorded requests is the key the test passes;
``<session-id>`` in recorded ``Set-Cookie`` headers is replaced by a fresh id
per login (``sid-1``, ``sid-2``...) and later requests must carry the latest.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import xmlrpc.client
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

REPO = Path(__file__).resolve().parents[2]
RECORDINGS = REPO / ".." / "shared" / "recordings"
VERSIONS = ("odoo17", "odoo18", "odoo19")
API_KEY = "replay-api-key-0123456789"
COMPARED_HEADERS = ("Content-Type", "Authorization", "X-Odoo-Database")


def available() -> bool:
    return RECORDINGS.is_dir() and any((RECORDINGS / v).is_dir() for v in VERSIONS)


@functools.cache
def _load(version: str) -> tuple[dict[str, Any], ...]:
    folder = RECORDINGS / version
    out = []
    for path in sorted(folder.glob("0*.json")):
        data = json.loads(path.read_text())
        data["file"] = path.name
        out.append(data)
    return tuple(out)


def load(version: str) -> list[dict[str, Any]]:
    """Every exchange of ``version`` ("odoo18"), in order, with its file name under ``file``."""
    return copy.deepcopy(list(_load(version)))


def find(version: str, protocol: str, scenario: str) -> dict[str, Any]:
    for ex in _load(version):
        if ex["protocol"] == protocol and ex["scenario"] == scenario:
            return copy.deepcopy(ex)
    raise LookupError(f"no {protocol}-{scenario} in {version}")


def strict_diff(a: Any, b: Any, where: str = "$") -> list[str]:
    """Differences between two decoded bodies; ``True`` != ``1`` != ``1.0``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return [] if type(a) is type(b) and a == b else [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return [] if type(a) is type(b) and a == b else [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{where}: keys {sorted(a)} != {sorted(b)}"]
        return [d for k in a for d in strict_diff(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return [f"{where}: length {len(a)} != {len(b)}: {a!r} != {b!r}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in strict_diff(x, y, f"{where}[{i}]")
        ]
    return [] if a == b and type(a) is type(b) else [f"{where}: {a!r} != {b!r}"]


def _normalise_execute_kw(args: list[Any]) -> list[Any]:
    # db, uid, secret, model, method, args[, kwargs]: an absent kwargs is {}
    return [*args, {}] if len(args) == 6 else list(args)


def decode_body(body: Any, content_type: str) -> Any:
    """Decode a request body (recorded or sent) for comparison."""
    if body is None or body == b"" or body == "":
        return None
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    if isinstance(body, (dict, list)):
        decoded = copy.deepcopy(body)
    elif "xml" in content_type:
        params, method = xmlrpc.client.loads(body, use_builtin_types=True)
        params = list(params)
        if method == "execute_kw":
            params = _normalise_execute_kw(params)
        return {"xmlrpc": method, "params": params}
    else:
        decoded = json.loads(body)
    if isinstance(decoded, dict):
        params = decoded.get("params")
        if isinstance(params, dict) and params.get("method") == "execute_kw":
            params["args"] = _normalise_execute_kw(params["args"])
    return decoded


def _substitute(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, repl in mapping.items():
            value = value.replace(key, repl)
        return value
    if isinstance(value, dict):
        return {k: _substitute(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, mapping) for v in value]
    return value


class ReplayAdapter(BaseAdapter):
    """Serves ``exchanges`` in order; fails on any request that differs."""

    def __init__(self, exchanges: Iterable[dict[str, Any]], *, api_key: str = API_KEY):
        super().__init__()
        self.expected = list(exchanges)
        self.api_key = api_key
        self.sent: list[requests.PreparedRequest] = []
        self.session_id: str | None = None
        self._issued = 0

    # -- requests API ------------------------------------------------------------

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append(request)
        if not self.expected:
            raise AssertionError(f"unexpected extra request {request.method} {request.path_url}")
        exchange = self.expected.pop(0)
        self.check(request, exchange)
        return self.respond(request, exchange)

    def close(self) -> None:
        pass

    # -- checking ----------------------------------------------------------------

    def check(self, request: requests.PreparedRequest, exchange: dict[str, Any]) -> None:
        name = exchange.get("file", exchange.get("scenario"))
        rec = _substitute(exchange["request"], {"<api-key>": self.api_key})
        problems = []
        if request.method != rec["method"]:
            problems.append(f"method {request.method} != {rec['method']}")
        if request.path_url != rec["path"]:
            problems.append(f"path {request.path_url} != {rec['path']}")
        rec_headers = CaseInsensitiveDict(rec["headers"])
        for header in COMPARED_HEADERS:
            got, want = request.headers.get(header), rec_headers.get(header)
            if got != want:
                problems.append(f"header {header}: {got!r} != {want!r}")
        cookie = request.headers.get("Cookie", "")
        if rec["path"].startswith("/web/dataset/"):
            want_cookie = f"session_id={self.session_id}" if self.session_id else None
            if want_cookie is None and "session_id=" in cookie:
                problems.append(f"unexpected cookie {cookie!r}")
            if want_cookie is not None and want_cookie not in cookie:
                problems.append(f"cookie {cookie!r} lacks {want_cookie!r}")
        content_type = rec_headers.get("Content-Type", "")
        try:
            got_body = decode_body(request.body, content_type)
        except Exception as exc:
            problems.append(f"cannot decode sent body: {exc}")
            got_body = None
        want_body = decode_body(rec["body"], content_type)
        problems += strict_diff(got_body, want_body, "body")
        if problems:
            raise AssertionError(f"request differs from {name}:\n  " + "\n  ".join(problems))

    # -- answering ---------------------------------------------------------------

    def respond(
        self, request: requests.PreparedRequest, exchange: dict[str, Any]
    ) -> requests.Response:
        rec = exchange["response"]
        headers = CaseInsensitiveDict(
            {k: v for k, v in rec["headers"].items() if k.lower() != "content-length"}
        )
        cookie = headers.get("Set-Cookie")
        response = requests.Response()
        if cookie and "<session-id>" in cookie:
            self._issued += 1
            self.session_id = f"sid-{self._issued}"
            headers["Set-Cookie"] = cookie.replace("<session-id>", self.session_id)
            response.cookies.set("session_id", self.session_id)
        body = rec["body"]
        if body is None:
            content = b""
        elif isinstance(body, str):
            content = body.encode("utf-8")
        else:
            content = json.dumps(body).encode("utf-8")
        response.status_code = rec["status"]
        response.headers = headers
        response._content = content
        response.url = request.url or ""
        response.request = request
        match = re.search(r"charset=([\w-]+)", headers.get("Content-Type", ""))
        response.encoding = match.group(1) if match else "utf-8"
        return response

    def assert_done(self) -> None:
        if self.expected:
            names = [e.get("file", e.get("scenario")) for e in self.expected]
            raise AssertionError(f"expected requests never sent: {names}")


def session_with(adapter: ReplayAdapter) -> requests.Session:
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
