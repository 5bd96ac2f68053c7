"""A scriptable local HTTP server (127.0.0.1, ephemeral port, own thread) for transport tests.

Each request takes the next action of ``script`` (then ``default``):

* ``"ok"``: 200 with a JSON-RPC result computed by ``answer(body)``;
* ``"503"`` / ``"502"``: a proxy-like HTML error page;
* ``"drop"``: promises 1000 bytes, sends 10 and closes the connection;
* ``"close"``: closes the connection without answering;
* ``"hang"``: waits ``hang_seconds`` before answering (longer than the client's read timeout);
* a callable: called with the handler, answers itself.

``requests`` keeps (method, path, body) of each request; ``connections`` counts
TCP connections accepted; ``max_in_flight`` the most requests handled at once.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def default_answer(body: dict[str, Any]) -> Any:
    params = body.get("params", {})
    if params.get("method") == "authenticate":
        return 2
    return {"echo": params.get("args")}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.stub.lock:
            self.server.stub.connections += 1

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        stub = self.server.stub
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        with stub.lock:
            stub.requests.append((self.command, self.path, raw, dict(self.headers)))
            action = stub.script.pop(0) if stub.script else stub.default
            stub.in_flight += 1
            stub.max_in_flight = max(stub.max_in_flight, stub.in_flight)
        try:
            if stub.delay:
                time.sleep(stub.delay)
            self._act(action, raw)
        finally:
            with stub.lock:
                stub.in_flight -= 1

    def _act(self, action: Any, raw: bytes) -> None:
        stub = self.server.stub
        if callable(action):
            action(self)
        elif action in ("502", "503"):
            self.reply(int(action), b"<html><title>Service Unavailable</title></html>", "text/html")
        elif action == "drop":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"jsonrpc"')
            self.wfile.flush()
            self._cut()
        elif action == "close":
            self._cut()
        elif action == "hang":
            time.sleep(stub.hang_seconds)
            self._act("ok", raw)
        else:
            body = json.loads(raw or b"{}")
            payload = {"jsonrpc": "2.0", "id": 1, "result": stub.answer(body)}
            self.reply(200, json.dumps(payload).encode(), "application/json")

    def reply(self, status: int, content: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def _cut(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stub: StubServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # the timeout and dropped-connection tests hang up on purpose: a
        # broken pipe on the server side is expected, not worth a traceback
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class StubServer:
    def __init__(
        self,
        script: list[Any] | None = None,
        *,
        default: Any = "ok",
        answer: Callable[[dict[str, Any]], Any] = default_answer,
        sock: socket.socket | None = None,
    ):
        self.script = list(script or [])
        self.default = default
        self.answer = answer
        self.requests: list[tuple[str, str, bytes, dict[str, str]]] = []
        self.connections = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.delay = 0.0
        self.hang_seconds = 1.0
        self.lock = threading.Lock()
        if sock is None:
            self.httpd = _Server(("127.0.0.1", 0), _Handler)
        else:  # a socket bound earlier (connect-refused tests): start listening now
            self.httpd = _Server(("127.0.0.1", 0), _Handler, bind_and_activate=False)
            self.httpd.socket.close()
            self.httpd.socket = sock
            self.httpd.server_address = sock.getsockname()
            self.httpd.server_activate()
        self.httpd.stub = self
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(raw) for _, _, raw, _ in self.requests if raw]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> StubServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
