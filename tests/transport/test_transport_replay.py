"""Every recorded model call of Odoo 17, 18 and 19, replayed through each transport.

For each recording the RPCCall is rebuilt from the recorded request (named
arguments, as odoorm's upper layers build them); the transport must send
exactly the recorded request (checked by the replay adapter) and return the
recorded result or raise the right exception with the server's message.
"""

from __future__ import annotations

import copy
import json
import xmlrpc.client
from typing import Any

import pytest
import replay
from replay import API_KEY, ReplayAdapter, session_with

from odoorm.exceptions import (
    AccessDenied,
    AccessError,
    MissingError,
    OdooError,
    ServerError,
    TransportError,
    UserError,
    ValidationError,
)
from odoorm.transport import RPCCall, make_transport
from odoorm.transport.http import HTTPClient, RetryPolicy

pytestmark = pytest.mark.skipif(not replay.available(), reason="no ../shared/recordings")

URL = "http://127.0.0.1:8069"

NAME_TO_CLASS: dict[str, type[OdooError]] = {
    "odoo.exceptions.AccessDenied": AccessDenied,
    "odoo.exceptions.AccessError": AccessError,
    "odoo.exceptions.MissingError": MissingError,
    "odoo.exceptions.ValidationError": ValidationError,
    "odoo.exceptions.UserError": UserError,
    "odoo.http.SessionExpiredException": AccessDenied,
    "werkzeug.exceptions.Unauthorized": AccessDenied,
}

# how a caller (odoorm's query/model layers) names the leading arguments
RECORD_METHODS = {"read", "write", "unlink", "copy", "exists", "web_read", "action_confirm",
                  "action_cancel"}  # fmt: skip
LEADS = {
    "search": ["domain"],
    "search_read": ["domain"],
    "search_count": ["domain"],
    "create": ["vals_list"],
    "write": ["vals"],
    "read_group": ["domain", "fields", "groupby"],
    "formatted_read_group": ["domain", "groupby", "aggregates"],
    "default_get": ["fields_list"],
}


def db_of(version: str) -> str:
    return f"o{version[-2:]}_rec"


def call_from_execute_kw(model: str, method: str, args: list, kwargs: dict | None) -> RPCCall:
    args, kwargs = list(args), dict(kwargs or {})
    context = kwargs.pop("context", {})
    ids = args.pop(0) if method in RECORD_METHODS else None
    for name in LEADS.get(method, []):
        if args:
            kwargs[name] = args.pop(0)
    return RPCCall(model, method, ids=ids, kwargs=kwargs, context=context, args=tuple(args))


def request_of(exchange: dict) -> tuple[RPCCall, dict]:
    """The RPCCall and credentials behind a recorded model call."""
    req = exchange["request"]
    if exchange["protocol"] == "xmlrpc":
        params, _ = xmlrpc.client.loads(req["body"].replace("<api-key>", API_KEY))
        _, uid, secret, model, method, *rest = params
        kwargs = rest[1] if len(rest) > 1 else {}
        return call_from_execute_kw(model, method, rest[0], kwargs), {"uid": uid, "secret": secret}
    if exchange["protocol"] == "jsonrpc":
        _, uid, secret, model, method, *rest = req["body"]["params"]["args"]
        kwargs = rest[1] if len(rest) > 1 else {}
        return call_from_execute_kw(model, method, rest[0], kwargs), {"uid": uid, "secret": secret}
    if exchange["protocol"] == "session":
        p = req["body"]["params"]
        return call_from_execute_kw(p["model"], p["method"], p["args"], p["kwargs"]), {}
    body = dict(req["body"] or {})
    model, method = req["path"].split("/")[3:5]
    ids = body.pop("ids", None)
    context = body.pop("context", {})
    key = req["headers"].get("Authorization", "").split(" ", 1)[-1]
    return RPCCall(model, method, ids=ids, kwargs=body, context=context), {"secret": key}


def auth_exchange(version: str, protocol: str, login: str, secret: str, uid: int) -> dict:
    """The recorded login, adapted to other credentials when the call used others."""
    scenario = "authenticate_password"
    ex = copy.deepcopy(replay.find(version, protocol, scenario))
    if (login, secret, uid) == ("admin", "admin", 2):
        return ex
    args = (db_of(version), login, secret, {})
    if protocol == "xmlrpc":
        ex["request"]["body"] = xmlrpc.client.dumps(args, "authenticate", allow_none=True)
        ex["response"]["body"] = xmlrpc.client.dumps((uid,), methodresponse=True)
    else:
        ex["request"]["body"]["params"]["args"] = list(args)
        ex["response"]["body"]["result"] = uid
    return ex


def model_calls(protocols: tuple[str, ...]) -> list[Any]:
    if not replay.available():
        return []
    out = []
    for version in replay.VERSIONS:
        for ex in replay.load(version):
            if ex["protocol"] not in protocols:
                continue
            req = ex["request"]
            if (
                ex["protocol"] in ("xmlrpc", "jsonrpc")
                and req["path"] != "/xmlrpc/2/object"
                and (ex["protocol"] == "xmlrpc" or req["body"]["params"]["service"] != "object")
            ):
                continue
            if ex["protocol"] == "session" and not req["path"].startswith("/web/dataset/"):
                continue
            if ex["protocol"] == "json2" and req["path"].count("/") != 4:
                continue  # GET /json/2: not a model call
            if ex["scenario"] == "call_without_session":
                continue  # tested with the session-expiry rule below
            out.append(pytest.param(version, ex, id=f"{version}-{ex['file'][:-5]}"))
    return out


def build(version: str, protocol: str, exchanges: list[dict], **creds: Any):
    adapter = ReplayAdapter(exchanges)
    http = HTTPClient(URL, session=session_with(adapter), retry=RetryPolicy(attempts=1))
    creds.setdefault("db", db_of(version))
    creds.setdefault("login", "admin")
    transport = make_transport(protocol, http, **creds)
    return transport, adapter


def decoded_result(exchange: dict) -> Any:
    body = exchange["response"]["body"]
    if exchange["protocol"] == "xmlrpc":
        return xmlrpc.client.loads(body, use_builtin_types=True)[0][0]
    if exchange["protocol"] == "json2":
        return body
    return body["result"]


def twin_error(version: str, exchange: dict) -> dict | None:
    """The JSON-RPC recording of the same scenario, when it is an error."""
    try:
        twin = replay.find(version, "jsonrpc", exchange["scenario"])
    except LookupError:
        return None
    return twin["response"]["body"].get("error", {}).get("data")


def expected_fault(version: str, exchange: dict) -> tuple[type[Exception], str, str | None]:
    try:
        xmlrpc.client.loads(exchange["response"]["body"])
    except xmlrpc.client.Fault as fault:
        code, text = fault.faultCode, fault.faultString
    twin = twin_error(version, exchange)
    if code == 1:
        if twin:
            return ServerError, twin["message"], twin["name"]
        return ServerError, text.strip().splitlines()[-1].split(": ", 1)[1], None
    if twin:
        return NAME_TO_CLASS.get(twin["name"], ServerError), text.strip(), twin["name"]
    cls = {3: AccessDenied, 4: AccessError}.get(code, UserError)
    return cls, text.strip(), None


def expected_json2(exchange: dict) -> tuple[type[Exception], str | None]:
    response = exchange["response"]
    body, status = response["body"], response["status"]
    if not isinstance(body, dict):
        return TransportError, None
    name = body["name"]
    table: dict[int, type[Exception]] = {401: AccessDenied, 403: AccessError, 500: ServerError}
    if status in table:
        return table[status], body["message"]
    if status == 404:
        return (MissingError if name.endswith("MissingError") else ServerError), body["message"]
    if status == 422:
        return NAME_TO_CLASS.get(name, ServerError), body["message"]
    raise AssertionError(f"unexpected status {status}")


@pytest.mark.parametrize(("version", "exchange"), model_calls(("xmlrpc", "jsonrpc", "session")))
def test_execute_kw_protocols(version: str, exchange: dict) -> None:
    protocol = exchange["protocol"]
    call, creds = request_of(exchange)
    secret = creds.get("secret", "admin")
    login = "demo" if secret == "demo" else "admin"
    auth = auth_exchange(version, protocol, login, secret, creds.get("uid", 2))
    transport, adapter = build(version, protocol, [auth, exchange], login=login, password=secret)
    response = exchange["response"]
    body = response["body"]
    is_fault = protocol == "xmlrpc" and "<fault>" in body
    is_error = isinstance(body, dict) and "error" in body
    if not is_fault and not is_error:
        assert replay.strict_diff(transport.call(call), decoded_result(exchange)) == []
        adapter.assert_done()
        return
    with pytest.raises(OdooError) as info:
        transport.call(call)
    adapter.assert_done()
    exc = info.value
    if is_fault:
        cls, message, name = expected_fault(version, exchange)
        assert type(exc) is cls
        assert exc.message.strip("'") == message.strip("'")
        if name:
            assert exc.name == name
    else:
        data = body["error"]["data"]
        assert type(exc) is NAME_TO_CLASS.get(data["name"], ServerError)
        message = data["message"]
        if protocol == "session" and exchange["scenario"] == "unknown_model":
            # a bare "KeyError: 'x'" or a 404 page text is replaced by what it means
            message = (
                f"the model {call.model!r} does not exist on this server (or its module is "
                f"not installed): check the model name (server said: {data['name']})"
            )
        assert (exc.name, exc.message, exc.debug) == (data["name"], message, data["debug"])
    assert "Traceback" not in str(exc)
    assert (exc.model, exc.method) == (call.model, call.method)
    assert "admin" not in str(exc).replace("Administration", "") or secret != "admin"


@pytest.mark.parametrize(("version", "exchange"), model_calls(("json2",)))
def test_json2(version: str, exchange: dict) -> None:
    call, creds = request_of(exchange)
    key = API_KEY if creds["secret"] == "<api-key>" else creds["secret"]
    has_db = "X-Odoo-Database" in exchange["request"]["headers"]
    adapter = ReplayAdapter([exchange], api_key=API_KEY)
    http = HTTPClient(URL, session=session_with(adapter), retry=RetryPolicy(attempts=1))
    transport = make_transport(
        "json2", http, db=db_of(version) if has_db else None, login=None, api_key=key
    )
    if exchange["response"]["status"] == 200:
        assert replay.strict_diff(transport.call(call), decoded_result(exchange)) == []
        adapter.assert_done()
        return
    cls, message = expected_json2(exchange)
    with pytest.raises(cls) as info:
        transport.call(call)
    adapter.assert_done()
    exc = info.value
    assert type(exc) is cls
    assert exc.status == exchange["response"]["status"]
    if message is not None:
        assert exc.message == message
        assert "Traceback" not in str(exc)
    elif version == "odoo19":
        assert "No database is selected" in str(exc) and "db=" in str(exc)
    else:
        assert "Odoo 19" in str(exc)
    assert key not in str(exc)


def test_json2_keeps_the_missing_argument_message() -> None:
    ex = replay.find("odoo19", "json2", "create_positional_name_wrong")
    transport, _ = build("odoo19", "json2", [ex], login=None, api_key=API_KEY)
    with pytest.raises(ServerError, match="missing a required argument: 'vals_list'"):
        transport.call(
            RPCCall("res.partner", "create", kwargs={"vals": {"name": "Wrong arg name"}})
        )


# -- logins ------------------------------------------------------------------------


@pytest.mark.parametrize("version", replay.VERSIONS)
@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc", "session"])
def test_authenticate(version: str, protocol: str) -> None:
    ex = replay.find(version, protocol, "authenticate_password")
    transport, adapter = build(version, protocol, [ex], password="admin")
    assert transport.authenticate() == 2
    adapter.assert_done()


@pytest.mark.parametrize("version", replay.VERSIONS)
@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc", "session"])
def test_bad_password_is_access_denied(version: str, protocol: str) -> None:
    ex = replay.find(version, protocol, "authenticate_bad_password")
    transport, _ = build(version, protocol, [ex], password="wrong-password")
    with pytest.raises(AccessDenied) as info:
        transport.authenticate()
    assert "wrong-password" not in str(info.value)
    assert "wrong-password" not in (info.value.debug or "")
    assert "wrong-password" not in repr(transport)


@pytest.mark.parametrize("version", replay.VERSIONS)
def test_api_key_login(version: str) -> None:
    ex = replay.find(version, "xmlrpc", "authenticate_apikey")
    transport, adapter = build(version, "xmlrpc", [ex], password="ignored", api_key=API_KEY)
    assert transport.authenticate() == 2
    adapter.assert_done()
    assert API_KEY not in repr(transport)


@pytest.mark.parametrize("version", replay.VERSIONS)
def test_bad_database_is_a_server_error(version: str) -> None:
    ex = replay.find(version, "xmlrpc", "authenticate_bad_db")
    transport, _ = build(version, "xmlrpc", [ex], db="no_such_db", password="admin")
    with pytest.raises(ServerError) as info:
        transport.authenticate()
    assert info.value.name == "psycopg2.OperationalError"
    assert 'database "no_such_db" does not exist' in str(info.value)
    assert "Traceback" in (info.value.debug or "")


@pytest.mark.parametrize("version", replay.VERSIONS)
@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc", "session"])
def test_login_happens_once_before_the_first_call(version: str, protocol: str) -> None:
    auth = replay.find(version, protocol, "authenticate_password")
    calls = [replay.find(version, protocol, s) for s in ("search_companies", "search_count")]
    transport, adapter = build(version, protocol, [auth, *calls], password="admin")
    for ex in calls:
        call, _ = request_of(ex)
        transport.call(call)
    adapter.assert_done()
    assert transport.http.request_count == 3


# -- session expiry ----------------------------------------------------------------


@pytest.mark.parametrize("version", replay.VERSIONS)
def test_session_expiry_logs_in_again_and_replays(version: str) -> None:
    """The HTML 404 of a call without a valid session: the call never ran, so it is replayed."""
    auth = replay.find(version, "session", "authenticate_password")
    lost = replay.find(version, "session", "call_without_session")
    ok = copy.deepcopy(lost)
    ok["response"] = replay.find(version, "session", "search_count")["response"]
    transport, adapter = build(version, "session", [auth, lost, auth, ok], password="admin")
    result = transport.call(RPCCall("res.partner", "search_count", kwargs={"domain": []}))
    assert result == ok["response"]["body"]["result"]
    adapter.assert_done()
    assert adapter.session_id == "sid-2"  # the replayed call carried the new cookie


def _expired(template: dict) -> dict:
    ex = copy.deepcopy(template)
    ex["response"] = {
        "status": 200,
        "headers": {"Content-Type": "application/json"},
        "body": {
            "jsonrpc": "2.0",
            "id": 1,
            "error": {
                "code": 100,
                "message": "Odoo Session Expired",
                "data": {
                    "name": "odoo.http.SessionExpiredException",
                    "message": "Session expired",
                    "arguments": ["Session expired"],
                    "debug": "Traceback ...",
                },
            },
        },
    }
    return ex


def test_session_expired_error_replays_a_write_once() -> None:
    auth = replay.find("odoo18", "session", "authenticate_password")
    write = replay.find("odoo18", "session", "write_scalar")
    transport, adapter = build(
        "odoo18", "session", [auth, _expired(write), auth, write], password="admin"
    )
    call, _ = request_of(write)
    assert transport.call(call) is True
    adapter.assert_done()


def test_session_expired_twice_raises() -> None:
    auth = replay.find("odoo18", "session", "authenticate_password")
    count = replay.find("odoo18", "session", "search_count")
    transport, _ = build(
        "odoo18", "session", [auth, _expired(count), auth, _expired(count)], password="admin"
    )
    call, _ = request_of(count)
    with pytest.raises(AccessDenied, match="Session expired"):
        transport.call(call)


# -- version probes ----------------------------------------------------------------


@pytest.mark.parametrize("version", replay.VERSIONS)
def test_server_version(version: str) -> None:
    from odoorm.transport import probe

    web = replay.find(version, "web", "web_version_get")
    exchanges = [web]
    if web["response"]["status"] != 200:
        exchanges.append(replay.find(version, "jsonrpc", "version"))
    adapter = ReplayAdapter(exchanges)
    http = HTTPClient(URL, session=session_with(adapter))
    info = probe.server_version(http)
    adapter.assert_done()
    major = int(version[-2:])
    assert info["server_version_info"][0] == major
    assert info["server_serie"] == f"{major}.0"
    assert http.request_count == len(exchanges)


def test_server_version_falls_back_on_version_info() -> None:
    from odoorm.transport import probe

    web = replay.find("odoo17", "web", "web_version_get")
    no_rpc = copy.deepcopy(replay.find("odoo17", "jsonrpc", "version"))
    no_rpc["response"] = copy.deepcopy(web["response"])  # as if the rpc route were missing
    info_ex = replay.find("odoo17", "web", "version_info")
    adapter = ReplayAdapter([web, no_rpc, info_ex])
    info = probe.server_version(HTTPClient(URL, session=session_with(adapter)))
    adapter.assert_done()
    assert info["server_version_info"][:2] == [17, 0]


def test_replay_adapter_fails_on_a_different_request() -> None:
    ex = replay.find("odoo18", "jsonrpc", "search_count")
    auth = replay.find("odoo18", "jsonrpc", "authenticate_password")
    transport, _ = build("odoo18", "jsonrpc", [auth, ex], password="admin")
    with pytest.raises(AssertionError, match="request differs"):
        transport.call(RPCCall("res.partner", "search_count", kwargs={"domain": [["id", "=", 1]]}))


def test_json_bodies_are_compact_and_deterministic() -> None:
    ex = replay.find("odoo18", "jsonrpc", "search_count")
    auth = replay.find("odoo18", "jsonrpc", "authenticate_password")
    transport, adapter = build("odoo18", "jsonrpc", [auth, ex], password="admin")
    call, _ = request_of(ex)
    transport.call(call)
    sent = json.loads(adapter.sent[-1].body)
    assert sent["params"]["args"][5:] == [[[["is_company", "=", True]]], {}]
