"""HTTPClient robustness against a real local HTTP server: retries, ambiguity, keep-alive,
throttling, thread safety, TLS errors, secrets."""

from __future__ import annotations

import logging
import socket
import threading
import warnings

import pytest
import requests
from stubserver import StubServer

from odoorm.exceptions import AccessDenied, AmbiguousResultError, ServerError, TransportError
from odoorm.transport import RPCCall, make_transport
from odoorm.transport.http import HTTPClient, InsecureTransportWarning, RetryPolicy, TokenBucket

FAST = RetryPolicy(attempts=3, backoff=0.0)
SECRET = "s3cr3t-pa55word"
READ = RPCCall("res.partner", "search_count", kwargs={"domain": []})
WRITE = RPCCall("res.partner", "write", ids=[1], kwargs={"vals": {"name": "x"}})


@pytest.fixture
def stub():
    with StubServer() as server:
        yield server


def jsonrpc(url: str, **http_kwargs):
    http_kwargs.setdefault("retry", FAST)
    http = HTTPClient(url, **http_kwargs)
    return make_transport("jsonrpc", http, db="db", login="admin", password=SECRET)


def logged_in(stub: StubServer, **http_kwargs):
    t = jsonrpc(stub.url, **http_kwargs)
    assert t.authenticate() == 2
    return t


# -- retries -------------------------------------------------------------------------


def test_read_retried_after_503(stub: StubServer) -> None:
    t = logged_in(stub)
    stub.script = ["503", "ok"]
    assert t.call(READ) == {"echo": ["db", 2, SECRET, "res.partner", "search_count", [[]], {}]}
    assert len(stub.requests) == 3  # login + 503 + retry
    assert t.http.request_count == 3


def test_write_after_503_is_ambiguous_and_not_resent(stub: StubServer) -> None:
    t = logged_in(stub)
    stub.script = ["503", "ok"]
    with pytest.raises(AmbiguousResultError, match="may or may not") as info:
        t.call(WRITE)
    assert info.value.status == 503
    assert len(stub.requests) == 2


def test_read_retried_after_a_drop_mid_response(stub: StubServer) -> None:
    t = logged_in(stub)
    stub.script = ["drop", "ok"]
    assert t.call(READ)["echo"][4] == "search_count"
    assert len(stub.requests) == 3


@pytest.mark.parametrize("action", ["drop", "close"])
def test_write_after_a_dropped_connection_is_ambiguous(stub: StubServer, action: str) -> None:
    t = logged_in(stub)
    stub.script = [action, "ok"]
    with pytest.raises(AmbiguousResultError) as info:
        t.call(WRITE)
    assert SECRET not in str(info.value)
    assert len(stub.requests) == 2


def test_read_not_sent_again_after_a_read_timeout(stub: StubServer) -> None:
    # the server goes on with the first copy: a second one doubles its load
    t = logged_in(stub, timeout=(5.0, 0.2))
    stub.hang_seconds = 0.6
    stub.script = ["hang", "ok"]
    with pytest.raises(TransportError, match="not sent again") as info:
        t.call(READ)
    assert "AmbiguousResultError" not in type(info.value).__name__
    assert len(stub.requests) == 2  # login + the read


def test_read_retried_after_a_read_timeout_when_the_policy_says_so(stub: StubServer) -> None:
    t = logged_in(stub, timeout=(5.0, 0.2), retry=RetryPolicy(read_timeouts=True))
    stub.hang_seconds = 0.6
    stub.script = ["hang", "ok"]
    assert t.call(READ)["echo"][4] == "search_count"
    assert len(stub.requests) == 3


def test_write_after_a_read_timeout_is_ambiguous(stub: StubServer) -> None:
    t = logged_in(stub, timeout=(5.0, 0.2))
    stub.hang_seconds = 0.6
    stub.script = ["hang"]
    with pytest.raises(AmbiguousResultError, match="read timeout"):
        t.call(WRITE)


def test_read_gives_up_after_the_attempts(stub: StubServer) -> None:
    t = logged_in(stub)
    stub.script = ["502", "502", "502"]
    with pytest.raises(TransportError) as info:
        t.call(READ)
    assert not isinstance(info.value, AmbiguousResultError)
    assert info.value.status == 502
    assert "proxy" in str(info.value)
    assert len(stub.requests) == 4


def _free_port_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
    return sock


def test_write_retried_when_the_connection_was_refused() -> None:
    """A refused connection never reached the server: re-sending a write is safe."""
    sock = _free_port_socket()
    host, port = sock.getsockname()
    servers: list[StubServer] = []
    http = HTTPClient(f"http://{host}:{port}", retry=FAST)
    http._sleep = lambda _delay: servers.append(StubServer(sock=sock)) if not servers else None
    t = make_transport("jsonrpc", http, db="db", login="admin", password=SECRET)
    try:
        assert t.authenticate() == 2  # first attempt refused, server started during backoff
        assert t.call(WRITE)["echo"][4] == "write"
        assert len(servers[0].requests) == 2
        assert http.request_count == 3
    finally:
        for server in servers:
            server.close()


def test_refused_everywhere_is_a_transport_error_not_ambiguous() -> None:
    sock = _free_port_socket()
    host, port = sock.getsockname()
    http = HTTPClient(f"http://{host}:{port}", retry=FAST)
    with pytest.raises(TransportError, match="cannot connect") as info:
        http.request("POST", "/jsonrpc", data=b"{}", idempotent=False)
    assert not isinstance(info.value, AmbiguousResultError)
    assert http.request_count == 3
    sock.close()


def test_serialization_failure_retried_for_reads_only(stub: StubServer) -> None:
    def conflict(handler) -> None:
        error = {
            "code": 200,
            "message": "Odoo Server Error",
            "data": {
                "name": "psycopg2.errors.SerializationFailure",
                "message": "could not serialize access due to concurrent update",
                "arguments": [],
                "debug": "",
            },
        }
        body = b'{"jsonrpc": "2.0", "id": 1, "error": ' + __import__("json").dumps(error).encode()
        handler.reply(200, body + b"}", "application/json")

    t = logged_in(stub)
    stub.script = [conflict, "ok"]
    assert t.call(READ)["echo"][4] == "search_count"
    stub.script = [conflict, "ok"]
    with pytest.raises(ServerError, match="could not serialize"):
        t.call(WRITE)
    assert len(stub.requests) == 4


# -- non-Odoo answers, TLS ---------------------------------------------------------


def test_html_answer_is_a_transport_error_with_status(stub: StubServer) -> None:
    t = logged_in(stub)
    stub.script = [lambda h: h.reply(200, b"<html><title>Login</title></html>", "text/html")]
    with pytest.raises(TransportError, match="expected a JSON-RPC answer, got text/html") as info:
        t.call(READ)
    assert info.value.status == 200


def test_tls_error_is_clear(stub: StubServer) -> None:
    https = stub.url.replace("http://", "https://")
    http = HTTPClient(https, retry=FAST, timeout=5.0)
    with pytest.raises(TransportError, match="TLS error") as info:
        http.request("GET", "/web/version", idempotent=True)
    assert "does not speak TLS" in str(info.value)


def test_certificate_error_points_at_verify() -> None:
    http = HTTPClient("https://erp.example.com")
    error = requests.exceptions.SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] self-signed certificate")
    assert "verify='/path/to/ca-bundle.pem'" in http._tls_advice(error)


def test_bad_arguments_are_explained() -> None:
    with pytest.raises(ValueError, match="invalid Odoo URL"):
        HTTPClient("erp.example.com")
    with pytest.raises(ValueError, match="timeout"):
        HTTPClient("http://localhost", timeout=(1.0,))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_concurrency"):
        HTTPClient("http://localhost", max_concurrency=0)


# -- keep-alive, threads, throttling -------------------------------------------------


def test_keep_alive_one_connection_for_many_calls(stub: StubServer) -> None:
    t = logged_in(stub)
    for _ in range(10):
        t.call(READ)
    assert len(stub.requests) == 11
    assert t.http.request_count == 11
    assert stub.connections == 1


def test_eight_threads_get_their_own_results(stub: StubServer) -> None:
    t = logged_in(stub)
    results: dict[int, list[object]] = {}
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            got = []
            for i in range(20):
                call = RPCCall(
                    "res.partner", "search", kwargs={"domain": [["id", "=", n * 100 + i]]}
                )
                got.append(t.call(call)["echo"][5][0][0][2])
            results[n] = got
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert results == {n: [n * 100 + i for i in range(20)] for n in range(8)}
    assert t.http.request_count == 1 + 8 * 20


def test_max_concurrency_caps_requests_in_flight(stub: StubServer) -> None:
    t = logged_in(stub, max_concurrency=2)
    stub.delay = 0.02
    threads = [threading.Thread(target=t.call, args=(READ,)) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(stub.requests) == 9
    assert stub.max_in_flight <= 2


def test_token_bucket_spaces_requests_without_real_time() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(10.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        bucket.acquire()
    assert slept == pytest.approx([0.1, 0.1, 0.1, 0.1])
    now[0] += 10.0  # idle: one token again, no wait
    assert bucket.acquire() == 0.0


def test_throttled_client_sends_every_request_in_order(stub: StubServer) -> None:
    t = logged_in(stub, max_rps=1000.0)
    for i in range(10):
        t.call(RPCCall("res.partner", "search", kwargs={"domain": [["id", "=", i]]}))
    sent = [b["params"]["args"][5][0][0][2] for b in stub.bodies[1:]]
    assert sent == list(range(10))


def test_max_rps_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_rps"):
        HTTPClient("http://localhost", max_rps=-1)


# -- secrets and warnings --------------------------------------------------------------


def test_no_secret_in_repr_logs_or_errors(
    stub: StubServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="odoorm")
    t = logged_in(stub)
    t.call(READ)
    assert "search_count" in caplog.text
    assert SECRET not in caplog.text
    assert SECRET not in repr(t) and SECRET not in repr(t.http)
    stub.default = "ok"
    stub.answer = lambda body: False  # authenticate answers false
    with pytest.raises(AccessDenied) as info:
        t.authenticate()
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)


def test_password_echoed_by_the_server_is_scrubbed(stub: StubServer) -> None:
    t = logged_in(stub)

    def echo_error(handler) -> None:
        import json

        data = {
            "name": "builtins.ValueError",
            "message": f"bad value {SECRET}",
            "arguments": [f"bad value {SECRET}"],
            "debug": f"trace {SECRET}",
        }
        error = {"code": 200, "message": "Odoo Server Error", "data": data}
        payload = json.dumps({"jsonrpc": "2.0", "id": 1, "error": error}).encode()
        handler.reply(200, payload, "application/json")

    stub.script = [echo_error]
    with pytest.raises(ServerError) as info:
        t.call(READ)
    exc = info.value
    assert SECRET not in str(exc) and SECRET not in (exc.debug or "")
    assert all(SECRET not in str(a) for a in exc.arguments)


def test_url_credentials_never_shown() -> None:
    http = HTTPClient("https://bob:hunter22@erp.example.com/")
    assert "hunter22" not in repr(http)
    assert http.safe_url == "https://erp.example.com"
    assert http.url == "https://bob:hunter22@erp.example.com"


def test_insecure_warning_once_for_remote_http() -> None:
    http = HTTPClient("http://erp.example.com")
    with pytest.warns(InsecureTransportWarning, match="erp.example.com"):
        http.note_credentials()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        http.note_credentials()  # only once


@pytest.mark.parametrize(
    "url",
    ["http://localhost:8069", "http://127.0.0.1", "http://[::1]:8069", "https://erp.example.com"],
)
def test_no_insecure_warning_for_loopback_or_https(url: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        HTTPClient(url).note_credentials()


def test_user_agent_and_timeout_sent(stub: StubServer) -> None:
    t = logged_in(stub)
    headers = stub.requests[0][3]
    assert headers["User-Agent"].startswith("odoorm/")
    assert t.http.timeout == (10.0, 120.0)
