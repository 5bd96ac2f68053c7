"""The web session logs in with the password only: Odoo's web login refuses API keys.

Each refused login counts among the 5 failures after which Odoo blocks the
address for a minute, so an API key alone is refused before anything is sent.
"""

from __future__ import annotations

import json

import pytest
from stubserver import StubServer

from odoorm.exceptions import ConfigurationError
from odoorm.transport import make_transport
from odoorm.transport.http import HTTPClient, RetryPolicy

ONCE = RetryPolicy(attempts=1, backoff=0.0)
KEY = "0123456789abcdef0123456789abcdef01234567"


def _web_login(handler) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "result": {"uid": 2}}).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Set-Cookie", "session_id=s1d; Path=/; HttpOnly")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def test_an_api_key_alone_is_refused_before_any_request() -> None:
    with StubServer(default=_web_login) as stub:
        http = HTTPClient(stub.url, retry=ONCE)
        with pytest.raises(ConfigurationError) as info:
            make_transport("session", http, db="db", login="admin", api_key=KEY)
    text = str(info.value)
    assert "password" in text and "protocol='jsonrpc'" in text and "json2" in text
    assert KEY not in text
    assert stub.requests == []


def test_with_a_password_and_an_api_key_the_web_login_sends_the_password() -> None:
    with StubServer(default=_web_login) as stub:
        http = HTTPClient(stub.url, retry=ONCE)
        transport = make_transport(
            "session", http, db="db", login="admin", password="pw-123", api_key=KEY
        )
        assert transport.authenticate() == 2
    [(_method, path, raw, _headers)] = stub.requests
    assert path == "/web/session/authenticate"
    assert json.loads(raw)["params"]["password"] == "pw-123"
    assert KEY.encode() not in raw
