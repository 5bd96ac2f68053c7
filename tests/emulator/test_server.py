"""The emulator's HTTP front-ends, against a fake store (protocol shapes only)."""

from __future__ import annotations

import http.client
import json
import logging
import xmlrpc.client
from urllib.parse import urlsplit

import pytest

from odoorm.testing.server import Emulator
from tests.emulator.fake_db import FakeDatabase


def make(version: int = 18, **kw) -> Emulator:
    return Emulator(version=version, db="testdb", database=FakeDatabase("testdb", version), **kw)


@pytest.fixture(params=[17, 18, 19])
def emu(request):
    with make(request.param) as e:
        yield e


def proxy(url: str) -> xmlrpc.client.ServerProxy:
    p = xmlrpc.client.ServerProxy(url)
    PROXIES.append(p)
    return p


PROXIES: list[xmlrpc.client.ServerProxy] = []
CLIENTS: list[Client] = []


@pytest.fixture(autouse=True)
def _close_clients():
    yield
    while PROXIES:
        PROXIES.pop()("close")()
    while CLIENTS:
        CLIENTS.pop().conn.close()


class Client:
    """Raw HTTP/1.1 client on one keep-alive connection, with a cookie."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        self.cookie: str | None = None
        CLIENTS.append(self)

    def request(self, method: str, path: str, body=None, headers=None):
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        if self.cookie:
            headers["Cookie"] = f"session_id={self.cookie}"
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        cookie = resp.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0].split("=", 1)[1]
        return resp, data

    def jsonrpc(self, path: str, params: dict):
        resp, data = self.request(
            "POST", path, {"jsonrpc": "2.0", "method": "call", "params": params, "id": 7}
        )
        return resp, json.loads(data)


def test_lifecycle_and_attributes():
    emu = make()
    with pytest.raises(RuntimeError):
        _ = emu.url
    with emu:
        assert emu.url.startswith("http://127.0.0.1:")
        assert emu.db == "testdb" and emu.login == "admin" and emu.password == "admin"
        assert emu.api_key == "fake-api-key-0123456789"
        assert "fake-api-key" not in repr(emu)
    with pytest.raises(RuntimeError):
        _ = emu.url
    emu.start()
    emu.start()  # idempotent
    emu.stop()
    emu.stop()


def test_bad_version_is_a_clear_error():
    with pytest.raises(ValueError, match="16, 17, 18 and 19"):
        Emulator(version=15, database=FakeDatabase())


def test_plain_xmlrpc_serverproxy(emu):
    common = proxy(f"{emu.url}/xmlrpc/2/common")
    info = common.version()
    assert info["server_version_info"][0] == emu.version
    assert info["protocol_version"] == 1
    uid = common.authenticate(emu.db, "admin", "admin", {})
    assert uid == 2
    assert common.authenticate(emu.db, "admin", "wrong", {}) is False
    assert common.login(emu.db, "admin", emu.api_key) == 2
    models = proxy(f"{emu.url}/xmlrpc/2/object")
    assert models.execute_kw(emu.db, uid, "admin", "res.partner", "search", [[]]) == [1, 3]
    assert models.execute(emu.db, uid, "admin", "res.partner", "search_count", []) == 2
    rows = models.execute_kw(
        emu.db, uid, "admin", "res.partner", "read", [[1]], {"fields": ["name"]}
    )
    assert rows == [{"id": 1, "name": "My Company"}]
    assert proxy(f"{emu.url}/xmlrpc/2/db").list() == ["testdb"]
    assert ("POST", "/xmlrpc/2/object") in emu.request_log


def test_xmlrpc_fault_codes(emu):
    models = proxy(f"{emu.url}/xmlrpc/2/object")
    db = emu.db

    def fault(*args):
        with pytest.raises(xmlrpc.client.Fault) as info:
            models.execute_kw(db, *args)
        return info.value

    f = fault(2, "admin", "res.partner", "read", [[1]], {"fields": ["nope"]})
    assert f.faultCode == 1
    assert f.faultString.startswith("Traceback (most recent call last):")
    assert (
        f.faultString.rstrip("\n").splitlines()[-1]
        == "ValueError: Invalid field 'nope' on model 'res.partner'"
    )
    f = fault(2, "admin", "res.partner", "write", [[999], {"name": "x"}])
    assert (f.faultCode, f.faultString) == (
        2,
        "Record does not exist or has been deleted.\n(Record: res.partner(999,), User: 2)",
    )
    assert fault(2, "wrong", "res.partner", "search", [[]]).faultString == "Access Denied"
    assert fault(2, "wrong", "res.partner", "search", [[]]).faultCode == 3
    assert fault(2, "admin", "res.partner", "_search", [[]]).faultCode == 4
    assert (
        fault(2, "admin", "no.model", "search", [[]]).faultString == "Object no.model doesn't exist"
    )


def test_xmlrpc_document_format_per_version(emu):
    c = Client(emu.url)
    body = xmlrpc.client.dumps(("testdb", "admin", "admin", {}), "authenticate")
    resp, data = c.request("POST", "/xmlrpc/2/common", body, {"Content-Type": "text/xml"})
    assert resp.status == 200
    assert resp.getheader("Content-Type") == "text/xml; charset=utf-8"
    text = data.decode()
    if emu.version == 17:
        assert text.startswith("<?xml version='1.0'?>\n<methodResponse>\n<params>")
        assert text.endswith("</params>\n</methodResponse>\n")
    else:
        assert text.startswith('<?xml version="1.0"?>\n<methodResponse>\n<params>')
        assert text.endswith("</params>\n\n</methodResponse>\n")


def test_xmlrpc_bad_db_is_operational_error(emu):
    common = proxy(f"{emu.url}/xmlrpc/2/common")
    with pytest.raises(xmlrpc.client.Fault) as info:
        common.authenticate("no_such_db", "admin", "admin", {})
    assert info.value.faultCode == 1
    assert info.value.faultString.rstrip().endswith('FATAL:  database "no_such_db" does not exist')


def test_none_result_is_a_fault_like_odoo(emu):
    # Odoo marshals with allow_none=False: a method returning None faults
    models = proxy(f"{emu.url}/xmlrpc/2/object")
    with pytest.raises(xmlrpc.client.Fault) as info:
        models.execute_kw(emu.db, 2, "admin", "res.partner", "echo", [], {})
    assert "cannot marshal None" in info.value.faultString


def test_jsonrpc_envelopes(emu):
    c = Client(emu.url)
    resp, body = c.jsonrpc(
        "/jsonrpc",
        {"service": "common", "method": "authenticate", "args": ["testdb", "admin", "admin", {}]},
    )
    assert resp.getheader("Content-Type") == "application/json; charset=utf-8"
    assert body == {"jsonrpc": "2.0", "id": 7, "result": 2}
    _, body = c.jsonrpc(
        "/jsonrpc",
        {
            "service": "object",
            "method": "execute_kw",
            "args": ["testdb", 2, "admin", "res.partner", "write", [[999], {"name": "x"}]],
        },
    )
    err = body["error"]
    assert err["code"] == (0 if emu.version >= 19 else 200)
    assert err["message"] == "Odoo Server Error"
    assert err["data"]["name"] == "odoo.exceptions.MissingError"
    assert err["data"]["arguments"] == [err["data"]["message"]]
    assert err["data"]["context"] == {}
    assert err["data"]["debug"].rstrip().endswith("(Record: res.partner(999,), User: 2)")
    keys = list(err["data"])
    assert keys[-1] == "debug" if emu.version >= 19 else keys[1] == "debug"
    _, body = c.jsonrpc(
        "/jsonrpc",
        {
            "service": "object",
            "method": "execute_kw",
            "args": ["testdb", 2, "bad", "res.partner", "search", [[]]],
        },
    )
    assert body["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"


def test_session_flow(emu):
    c = Client(emu.url)
    call = {"model": "res.partner", "method": "search_count", "args": [[]], "kwargs": {}}
    resp, data = c.request(
        "POST", "/web/dataset/call_kw/res.partner/search_count", {"jsonrpc": "2.0", "params": call}
    )
    assert resp.status == 404 and resp.getheader("Content-Type") == "text/html; charset=utf-8"
    if emu.version >= 19:
        assert b"No database is selected" in data
    else:
        assert b"The requested URL was not found on the server" in data
    _, body = c.jsonrpc(
        "/web/session/authenticate", {"db": "testdb", "login": "admin", "password": "bad"}
    )
    assert body["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    resp, body = c.jsonrpc(
        "/web/session/authenticate", {"db": "testdb", "login": "admin", "password": "admin"}
    )
    assert resp.getheader("Set-Cookie").startswith("session_id=")
    info = body["result"]
    assert info["uid"] == 2 and info["db"] == "testdb" and info["username"] == "admin"
    assert info["server_version_info"][0] == emu.version
    _, body = c.jsonrpc("/web/dataset/call_kw/res.partner/search_count", call)
    assert body["result"] == 2
    _, body = c.jsonrpc("/web/session/get_session_info", {})
    assert body["result"]["uid"] == 2
    _, body = c.jsonrpc("/web/dataset/call_kw", {**call, "model": "no.such"})
    if emu.version == 17:
        assert body["error"]["data"]["name"] == "builtins.KeyError"
    else:
        assert body["error"]["code"] == 404
        assert body["error"]["data"]["name"] == "werkzeug.exceptions.NotFound"
    _, body = c.jsonrpc("/web/session/destroy", {})
    assert body["result"] is None
    _, body = c.jsonrpc("/web/dataset/call_kw/res.partner/search_count", call)
    assert body["error"]["code"] == 100
    assert body["error"]["data"]["name"] == "odoo.http.SessionExpiredException"


def test_version_endpoints(emu):
    c = Client(emu.url)
    resp, data = c.request("GET", "/web/version")
    if emu.version >= 19:
        assert resp.status == 200
        assert json.loads(data) == {"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}
        resp, data = c.request("GET", "/json/version")
        assert resp.status == 200
    else:
        assert resp.status == 404
    resp, body = c.jsonrpc("/web/webclient/version_info", {})
    assert body["result"]["server_serie"] == f"{emu.version}.0"
    assert resp.getheader("Set-Cookie")


def test_json2(emu):
    c = Client(emu.url)
    headers = {"Authorization": f"bearer {emu.api_key}", "X-Odoo-Database": emu.db}
    resp, data = c.request("POST", "/json/2/res.partner/search", {"domain": []}, headers)
    if emu.version < 19:
        assert resp.status == 404 and b"<title>404 Not Found</title>" in data
        return
    assert resp.status == 200 and json.loads(data) == [1, 3]

    def call(path, body, hdrs=headers):
        resp, data = c.request("POST", path, body, hdrs)
        return resp, json.loads(data)

    resp, body = call("/json/2/res.partner/create", {"vals_list": [{"name": "X"}]})
    assert resp.status == 200 and body == [4]
    resp, body = call("/json/2/res.partner/create", {"vals": {"name": "X"}})
    assert resp.status == 422
    assert body["name"] == "werkzeug.exceptions.UnprocessableEntity"
    assert body["arguments"] == [body["message"], 422]
    resp, body = call("/json/2/res.partner/search", {"ids": [1], "domain": []})
    assert (resp.status, body["message"]) == (422, "cannot call res.partner.search with ids")
    resp, body = call("/json/2/no.such/search", {})
    assert (resp.status, body["message"]) == (404, "the model 'no.such' does not exist")
    resp, body = call("/json/2/res.partner/nope", {})
    assert (resp.status, body["message"]) == (404, "The method 'res.partner.nope' does not exist")
    resp, body = call("/json/2/res.partner/_search", {})
    assert resp.status == 403 and body["name"] == "odoo.exceptions.AccessError"
    resp, body = call("/json/2/res.partner/write", {"ids": [999], "vals": {"name": "g"}})
    assert resp.status == 404 and body["name"] == "odoo.exceptions.MissingError"
    resp, body = call("/json/2/res.partner/read", {"ids": [1], "fields": ["bad"]})
    assert resp.status == 500 and body["debug"].rstrip().endswith(
        "ValueError: Invalid field 'bad' on model 'res.partner'"
    )
    resp, body = call("/json/2/res.partner/search", {}, {**headers, "Authorization": "bearer nope"})
    assert resp.status == 401 and resp.getheader("WWW-Authenticate") == "Bearer "
    assert body["message"] == "Invalid apikey"
    resp, data = c.request(
        "POST", "/json/2/res.partner/search", {}, {"Authorization": headers["Authorization"]}
    )
    assert resp.status == 404 and b"No database is selected" in data
    resp, body = call("/json/2", {})
    assert resp.status == 404 and body["name"] == "werkzeug.exceptions.NotFound"


def test_doc_bearer():
    with make(19) as emu:
        c = Client(emu.url)
        headers = {"Authorization": f"bearer {emu.api_key}", "X-Odoo-Database": emu.db}
        resp, data = c.request("GET", "/doc-bearer/res.partner.json", None, headers)
        assert resp.status == 200
        doc = json.loads(data)
        assert doc["model"] == "res.partner" and doc["doc"] is None
        assert doc["fields"]["name"]["type"] == "char"
        assert (
            doc["methods"]["search"]["signature"] == "(domain, offset=None, limit=None, order=None)"
        )
        assert doc["methods"]["search"]["api"] == ["model"]
        assert "api" not in doc["methods"]["write"]
        resp, _ = c.request(
            "GET", "/doc-bearer/res.partner.json", None, {"X-Odoo-Database": emu.db}
        )
        assert resp.status == 401


def test_unknown_route_pages():
    with make(18) as emu:
        resp, data = Client(emu.url).request("GET", "/nope")
        assert resp.status == 404 and data.startswith(b"<!doctype html>")
    with make(17, monodb=True) as emu:
        resp, _ = Client(emu.url).request("POST", "/json/2/res.partner/search", {})
        assert resp.status == 303 and resp.getheader("Location").startswith("/web/login")


def test_login_cooldown():
    with make(18, cooldown_after=3) as emu:
        common = proxy(f"{emu.url}/xmlrpc/2/common")
        for _ in range(3):
            assert common.authenticate(emu.db, "admin", "bad", {}) is False
        # locked out even with the right password
        assert common.authenticate(emu.db, "admin", "admin", {}) is False
        c = Client(emu.url)
        _, body = c.jsonrpc(
            "/web/session/authenticate", {"db": emu.db, "login": "admin", "password": "admin"}
        )
        assert "Too many login failures" in body["error"]["data"]["message"]
        emu.reset_login_cooldown()
        assert common.authenticate(emu.db, "admin", "admin", {}) == 2


def test_login_cooldown_success_resets():
    with make(18, cooldown_after=2) as emu:
        common = proxy(f"{emu.url}/xmlrpc/2/common")
        assert common.authenticate(emu.db, "admin", "bad", {}) is False
        assert common.authenticate(emu.db, "admin", "admin", {}) == 2
        assert common.authenticate(emu.db, "admin", "bad", {}) is False
        assert common.authenticate(emu.db, "admin", "admin", {}) == 2


def test_login_cooldown_can_be_disabled():
    with make(18, login_cooldown=False, cooldown_after=1) as emu:
        common = proxy(f"{emu.url}/xmlrpc/2/common")
        for _ in range(3):
            assert common.authenticate(emu.db, "admin", "bad", {}) is False
        assert common.authenticate(emu.db, "admin", "admin", {}) == 2


def test_deprecation_logged_on_19(caplog):
    with make(19) as emu, caplog.at_level(logging.WARNING, logger="odoorm.testing.server"):
        proxy(f"{emu.url}/xmlrpc/2/common").version()
    assert any("deprecated" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with make(18) as emu, caplog.at_level(logging.WARNING, logger="odoorm.testing.server"):
        proxy(f"{emu.url}/xmlrpc/2/common").version()
    assert not caplog.records


def test_keep_alive_serves_many_requests_on_one_connection():
    with make(18) as emu:
        c = Client(emu.url)
        for _ in range(5):
            resp, _ = c.jsonrpc("/jsonrpc", {"service": "common", "method": "version", "args": []})
            assert resp.status == 200
        assert len(emu.request_log) == 5


@pytest.mark.parametrize("version", [17, 18, 19])
def test_web_login_refuses_api_keys_that_rpc_accepts(version):
    # real Odoo takes API keys for RPC logins only, never for the web client's login
    with Emulator(version=version, login_cooldown=False) as emu:
        common = proxy(f"{emu.url}/xmlrpc/2/common")
        assert common.authenticate(emu.db, "admin", emu.api_key, {}) == 2
        _, body = Client(emu.url).jsonrpc(
            "/web/session/authenticate", {"db": emu.db, "login": "admin", "password": emu.api_key}
        )
        assert body["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
        _, body = Client(emu.url).jsonrpc(
            "/web/session/authenticate", {"db": emu.db, "login": "admin", "password": "admin"}
        )
        assert body["result"]["uid"] == 2
