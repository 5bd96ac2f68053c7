"""Connection failures say what went wrong AND what to do, naming the URL."""

from __future__ import annotations

import socket
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from stubserver import StubServer

from odoorm.exceptions import AmbiguousResultError, TransportError
from odoorm.transport import RPCCall, make_transport, probe
from odoorm.transport.http import HTTPClient, RetryPolicy

ONCE = RetryPolicy(attempts=1, backoff=0.0)
FAST = RetryPolicy(attempts=3, backoff=0.0)


def test_refused_port_names_host_port_and_what_to_check() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # bound, not listening: refused
    host, port = sock.getsockname()
    try:
        http = HTTPClient(f"http://{host}:{port}", retry=ONCE)
        with pytest.raises(TransportError) as info:
            http.request("GET", "/web/version", idempotent=True)
    finally:
        sock.close()
    text = str(info.value)
    assert f"http://{host}:{port}/web/version" in text
    assert f"Nothing listens on {host}:{port}" in text and "port" in text


def test_unknown_host_says_the_name_does_not_resolve(monkeypatch) -> None:
    def no_dns(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    http = HTTPClient("https://erp.nowhere.invalid", retry=ONCE)
    with pytest.raises(TransportError) as info:
        http.request("GET", "/web/version", idempotent=True)
    assert "'erp.nowhere.invalid' does not resolve: check the URL" in str(info.value)


def test_slow_server_suggests_a_larger_timeout() -> None:
    with StubServer(["hang"]) as stub:
        stub.hang_seconds = 0.6
        http = HTTPClient(stub.url, retry=ONCE, timeout=(5.0, 0.2))
        with pytest.raises(TransportError) as info:
            http.request("GET", "/web/version", idempotent=True)
    text = str(info.value)
    assert "read timeout" in text and stub.url in text
    assert "read timeout (0.2 s)" in text and "timeout=(10, 600)" in text


def test_https_to_a_plain_http_server_says_use_http() -> None:
    with StubServer() as stub:
        https = stub.url.replace("http://", "https://")
        http = HTTPClient(https, retry=ONCE, timeout=5.0)
        with pytest.raises(TransportError) as info:
            http.request("GET", "/web/version", idempotent=True)
    text = str(info.value)
    assert "does not speak TLS" in text
    assert f"use {stub.url}" in text
    assert "verify=" not in text  # not a certificate problem


class _BadGateway(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self) -> None:
        body = (
            b"<html><head><title>502 Bad Gateway</title></head><body><center>"
            b"<h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
        )
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def bad_gateway():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BadGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_proxy_502_at_connect_is_reported_once_as_a_proxy_answer(bad_gateway) -> None:
    _server, url = bad_gateway
    http = HTTPClient(url, retry=FAST)
    with pytest.raises(TransportError) as info:
        probe.server_version(http)
    text = str(info.value)
    assert info.value.status == 502
    assert f"HTTP 502 from {url}/web/version" in text
    assert "502 Bad Gateway" in text and "proxy" in text and "try again later" in text
    assert "does not look like an Odoo server" not in text
    # the retries of the first endpoint, not every version endpoint in turn
    assert http.request_count == FAST.attempts


def test_ambiguous_write_names_the_call() -> None:
    """/jsonrpc and /xmlrpc/2/object URLs do not say which call had an unknown outcome."""
    with StubServer() as stub:
        http = HTTPClient(stub.url, retry=FAST, timeout=(5.0, 0.2))
        transport = make_transport("jsonrpc", http, db="db", login="admin", password="pw-123")
        assert transport.authenticate() == 2
        stub.hang_seconds = 0.6
        stub.script = ["hang"]
        write = RPCCall("res.partner", "write", ids=[7], kwargs={"vals": {"name": "x"}})
        with pytest.raises(AmbiguousResultError) as info:
            transport.call(write)
    assert str(info.value).startswith("res.partner.write: read timeout")
    assert "may or may not have carried out this call" in str(info.value)


def test_redirect_to_another_host_at_connect_says_where_to() -> None:
    def moved(handler) -> None:
        handler.send_response(301)
        handler.send_header("Location", "https://erp.example.com/web/version")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with StubServer(default=moved) as stub:
        http = HTTPClient(stub.url, retry=FAST)
        with pytest.raises(TransportError) as info:
            probe.server_version(http)
    assert str(info.value) == (
        f"HTTP 301 from {stub.url}/web/version: the server redirects to "
        "https://erp.example.com; connect to that URL instead (odoorm does not follow redirects)"
    )
    assert http.request_count == 1


def test_redirect_on_the_same_host_tries_the_other_version_endpoints() -> None:
    def to_login(handler) -> None:
        handler.send_response(303)
        handler.send_header("Location", "/web/login")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with StubServer(
        [to_login], answer=lambda body: {"server_version_info": [18, 0, 0, "final", 0]}
    ) as stub:
        http = HTTPClient(stub.url, retry=FAST)
        assert probe.server_version(http)["server_version_info"][0] == 18
    assert http.request_count == 2


def test_a_header_refused_by_requests_never_shows_the_key() -> None:
    """requests quotes a bad header's value: with JSON-2 that is 'bearer <key>'."""
    key = "0123456789abcdef\n"
    with StubServer() as stub:
        http = HTTPClient(stub.url, retry=FAST)
        transport = make_transport("json2", http, db="db", login=None, api_key=key)
        with pytest.raises(TransportError) as info:
            transport.authenticate()
        with pytest.raises(TransportError) as again:
            transport.call(RPCCall("res.partner", "search_count", kwargs={"domain": []}))
    for err in (info, again):
        shown = "".join(traceback.format_exception(err.value))  # what a crash prints
        assert "0123456789abcdef" not in shown + repr(err.value)
        assert "stray whitespace" in shown


# What Odoo 18 answers to anything under /odoo/ that is not a GET of a page: its
# web client takes the POST for a browser form without a CSRF token.
_CSRF_PAGE = (
    b"<!doctype html><html><head><title>400 Bad Request</title></head><body>"
    b"<h1>Bad Request</h1><p>Session expired (invalid CSRF token)</p></body></html>"
)


def _odoo18_web_client(handler) -> None:
    if handler.command == "GET":  # /odoo/<anything>: the web client's HTML page
        handler.reply(200, b"<html><title>Odoo</title></html>", "text/html")
    else:
        handler.reply(400, _CSRF_PAGE, "text/html")


def _odoo17_not_found(handler) -> None:
    handler.reply(404, b"<html><title>404: Not Found</title></html>", "text/html")


@pytest.mark.parametrize("answer", [_odoo18_web_client, _odoo17_not_found])
@pytest.mark.parametrize("path", ["/odoo", "/odoo/action-contacts", "/web"])
def test_browser_url_with_a_path_says_to_pass_the_base_url(answer, path: str) -> None:
    with StubServer(default=answer) as stub:
        http = HTTPClient(stub.url + path, retry=ONCE)
        with pytest.raises(TransportError) as info:
            probe.server_version(http)
    text = str(info.value)
    assert text.startswith(f"{stub.url}{path} does not look like an Odoo server"), text
    assert "web-client" in text and "no path such as /odoo" in text
    assert text.endswith(f"pass the server's base URL: {stub.url}"), text
    assert text.count("base URL") == 1


def test_invalid_csrf_400_is_explained_wherever_it_comes_from() -> None:
    with StubServer(default=_odoo18_web_client) as stub:
        http = HTTPClient(stub.url + "/odoo", retry=ONCE)
        transport = make_transport("jsonrpc", http, db="db", login="admin", password="pw-123")
        with pytest.raises(TransportError) as info:
            transport.authenticate()
    text = str(info.value)
    assert "HTTP 400" in text and "invalid CSRF token" in text
    assert f"pass the server's base URL: {stub.url}" in text, text
    assert "pw-123" not in text


def test_a_base_url_without_path_gets_no_web_client_hint() -> None:
    with StubServer(default=_odoo17_not_found) as stub:
        http = HTTPClient(stub.url, retry=ONCE)
        with pytest.raises(TransportError) as info:
            probe.server_version(http)
    assert "does not look like an Odoo server" in str(info.value)
    assert "web-client page" not in str(info.value)
