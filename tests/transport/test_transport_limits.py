"""Time limits and rate limits: a hung server fails connect() quickly, a 429 is waited
out and re-sent (writes too: the call did not run), and impossible ports are refused."""

from __future__ import annotations

import pytest
from stubserver import StubServer

import odoorm
from odoorm.exceptions import ConfigurationError, TransportError
from odoorm.transport import RPCCall, make_transport
from odoorm.transport.http import HTTPClient, RetryPolicy, _retry_after
from odoorm.transport.probe import server_version

WRITE = RPCCall("res.partner", "write", ids=[1], kwargs={"vals": {"name": "x"}})


def too_many(retry_after: str | None):
    def act(handler) -> None:
        body = b"<html><title>429 Too Many Requests</title></html>"
        handler.send_response(429)
        if retry_after is not None:
            handler.send_header("Retry-After", retry_after)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return act


def logged_in(stub: StubServer, **http_kwargs):
    http = HTTPClient(stub.url, retry=RetryPolicy(attempts=3, backoff=0.0), **http_kwargs)
    slept: list[float] = []
    http._sleep = slept.append
    t = make_transport("jsonrpc", http, db="db", login="admin", password="pw")
    assert t.authenticate() == 2
    return t, slept


def test_a_write_refused_with_429_waits_for_retry_after_and_is_sent_again():
    with StubServer() as stub:
        t, slept = logged_in(stub)
        stub.script = [too_many("7"), "ok"]
        assert t.call(WRITE)["echo"][4] == "write"
        assert slept == [7.0]
        writes = [b for b in stub.bodies if b["params"].get("args", [None] * 5)[4:5] == ["write"]]
        assert len(writes) == 2  # refused once, then carried out once


def test_retry_after_is_capped_and_the_budget_ends_in_a_clear_error():
    with StubServer() as stub:
        t, slept = logged_in(stub)
        t.http.retry = RetryPolicy(attempts=3, backoff=0.0, max_retry_after=5.0)
        stub.script = [too_many("3600"), too_many(None), too_many("1")]
        with pytest.raises(TransportError, match="rate limiting") as info:
            t.call(WRITE)
        assert info.value.status == 429
        assert slept[0] == 5.0 and len(slept) == 2  # capped, then backoff; third is the last
        assert len(stub.requests) == 1 + 3


@pytest.mark.parametrize(
    ("header", "seconds"), [("12", 12.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("soon", None)]
)
def test_retry_after_forms(header, seconds):
    assert _retry_after(header) == seconds


def test_a_server_that_never_answers_fails_the_probe_within_its_budget():
    with StubServer(default="hang") as stub:
        stub.hang_seconds = 3.0
        http = HTTPClient(stub.url, timeout=(5.0, 120.0))
        with pytest.raises(TransportError, match=r"did not answer within 0\.4 s") as info:
            server_version(http, within=0.4)
        assert "read timeout" in str(info.value)
        assert len(stub.requests) == 1  # no retry past the budget, no second endpoint
        http.close()


@pytest.mark.parametrize("url", ["http://localhost:0", "http://localhost:70000", "http://h:"])
def test_impossible_ports_are_configuration_errors(url):
    with pytest.raises(ConfigurationError, match="port must be a number from 1 to 65535"):
        HTTPClient(url)
    with pytest.raises(ConfigurationError, match="port must be"):
        odoorm.connect(url, db="x", user="u", password="p", default=False)
