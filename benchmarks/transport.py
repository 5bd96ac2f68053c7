"""Round-trip overhead of odoorm's transports vs bare ``requests`` on the same payloads.

Run: ``python benchmarks/transport.py [--calls 300]``. Uses the embedded emulator
(``odoorm.testing.Emulator``) when it is importable and starts, else a local stub
server answering fixed ``search_read`` rows on every protocol. Prints one row per
protocol: mean milliseconds per call for ``requests.post`` (new connection each
time), a ``requests.Session`` (keep-alive) and odoorm (keep-alive + marshalling,
error mapping, retries and throttle bookkeeping), and odoorm's overhead over the
keep-alive session.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import xmlrpc.client
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

from odoorm.transport import RPCCall, make_transport
from odoorm.transport.http import HTTPClient

ROWS = [
    {"id": i, "name": f"Partner {i}", "email": f"p{i}@example.com", "country_id": [21, "Belgium"]}
    for i in range(1, 21)
]
DOMAIN = [["is_company", "=", True]]
FIELDS = ["name", "email", "country_id"]


class _StubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {}
        if self.path.startswith("/xmlrpc/"):
            _, method = xmlrpc.client.loads(raw)
            result: Any = 2 if method == "authenticate" else ROWS
            body = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=True).encode()
            ctype = "text/xml"
        elif self.path.startswith("/json/2/"):
            body, ctype = json.dumps(ROWS).encode(), "application/json"
        else:
            params = json.loads(raw)["params"]
            if self.path == "/web/session/authenticate":
                result = {"uid": 2}
                headers["Set-Cookie"] = "session_id=bench; Path=/"
            elif params.get("method") == "authenticate":
                result = 2
            else:
                result = ROWS
            payload = {"jsonrpc": "2.0", "id": 1, "result": result}
            body, ctype = json.dumps(payload).encode(), "application/json"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


class _Stub:
    db, login, password, api_key = "bench", "admin", "admin", "bench-api-key"

    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _StubHandler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host}:{port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _server(version: int) -> tuple[Any, str]:
    """The emulator when available, else the stub; returns (server, label)."""
    try:
        from odoorm.testing import Emulator  # type: ignore[attr-defined]

        emulator = Emulator(version=version)
        emulator.start()
        return emulator, f"odoorm.testing.Emulator (Odoo {version})"
    except Exception:  # any failure: fall back on the stub
        return _Stub(), "local stub server"


def _bare_payload(protocol: str, server: Any, uid: int) -> tuple[str, bytes, dict[str, str]]:
    """The exact request odoorm sends for one search_read, built by hand."""
    args = [DOMAIN]
    kwargs = {"fields": FIELDS, "limit": 20}
    if protocol == "xmlrpc":
        params = (server.db, uid, server.password, "res.partner", "search_read", args, kwargs)
        body = xmlrpc.client.dumps(params, "execute_kw", allow_none=True).encode()
        return "/xmlrpc/2/object", body, {"Content-Type": "text/xml"}
    if protocol == "jsonrpc":
        call = {
            "service": "object",
            "method": "execute_kw",
            "args": [server.db, uid, server.password, "res.partner", "search_read", args, kwargs],
        }
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": call, "id": 1}).encode()
        return "/jsonrpc", body, {"Content-Type": "application/json"}
    if protocol == "session":
        call = {"model": "res.partner", "method": "search_read", "args": args, "kwargs": kwargs}
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": call, "id": 1}).encode()
        return (
            "/web/dataset/call_kw/res.partner/search_read",
            body,
            {"Content-Type": "application/json"},
        )
    body = json.dumps({"domain": DOMAIN, **kwargs}).encode()
    return (
        "/json/2/res.partner/search_read",
        body,
        {
            "Content-Type": "application/json",
            "Authorization": f"bearer {server.api_key}",
            "X-Odoo-Database": server.db,
        },
    )


def _time(fn: Callable[[], Any], calls: int) -> float:
    fn()  # warm up (connection, login)
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) * 1000 / calls


def _measure(protocol: str, server: Any, calls: int) -> tuple[float, float, float]:
    http = HTTPClient(server.url)
    transport = make_transport(
        protocol,
        http,
        db=server.db,
        login=server.login,
        password=server.password,
        api_key=server.api_key if protocol == "json2" else None,
    )
    uid = transport.authenticate() or 2
    call = RPCCall(
        "res.partner", "search_read", kwargs={"domain": DOMAIN, "fields": FIELDS, "limit": 20}
    )
    path, body, headers = _bare_payload(protocol, server, uid)
    if protocol == "session":
        headers = {**headers, "Cookie": f"session_id={transport._sid}"}
    url = server.url + path
    kw: dict[str, Any] = {"data": body, "headers": headers, "timeout": 30}
    with requests.Session() as session:
        bare = _time(lambda: requests.post(url, **kw), calls)
        pooled = _time(lambda: session.post(url, **kw), calls)
        ours = _time(lambda: transport.call(call), calls)
    transport.close()
    return bare, pooled, ours


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="round trips per measurement")
    opts = parser.parse_args(argv)
    print(f"{opts.calls} search_read calls of 20 rows each; mean per call\n")
    print(
        f"{'protocol':<9} {'requests.post':>14} {'Session.post':>13} {'odoorm':>9} {'overhead':>9}"
    )
    labels = set()
    for protocol in ("xmlrpc", "jsonrpc", "session", "json2"):
        # Odoo 19 deprecates xmlrpc/jsonrpc and logs every such call: measure them on 18
        server, label = _server(19 if protocol == "json2" else 18)
        labels.add(label)
        try:
            bare, pooled, ours = _measure(protocol, server, opts.calls)
        finally:
            server.stop()
        print(
            f"{protocol:<9} {bare:>11.3f} ms {pooled:>10.3f} ms {ours:>6.3f} ms "
            f"{ours - pooled:>+6.3f} ms"
        )
    print(f"\nservers: {', '.join(sorted(labels))}")


if __name__ == "__main__":
    main()
