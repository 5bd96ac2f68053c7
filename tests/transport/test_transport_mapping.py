"""Error-shape mapping, argument layout per protocol, JSON-2 names from /doc-bearer."""

from __future__ import annotations

import json

import pytest
from stubserver import StubServer

from odoorm.exceptions import (
    AccessDenied,
    AccessError,
    ConfigurationError,
    MissingError,
    ServerError,
    UserError,
    ValidationError,
)
from odoorm.transport import ArgumentMappingError, RPCCall, make_transport
from odoorm.transport.errors import (
    exception_from_fault,
    exception_from_json2,
    exception_from_jsonrpc,
    non_odoo_answer,
)
from odoorm.transport.http import HTTPClient, RetryPolicy
from odoorm.transport.json2 import parse_doc_bearer
from odoorm.transport.signatures import (
    JSON2_SIGNATURES,
    PRIVATE_ON_19,
    STANDARD_JSON2_METHODS,
    execute_kw_arguments,
)

TRACE = """Traceback (most recent call last):
  File "/opt/odoo/odoo/http.py", line 1, in f
    return g()
           ^^^
psycopg2.OperationalError: connection failed: FATAL:  database "x" does not exist
second line
"""


def test_fault_1_keeps_the_last_exception_and_its_multiline_message() -> None:
    exc = exception_from_fault(1, TRACE, model="res.partner", method="search")
    assert type(exc) is ServerError
    assert exc.name == "psycopg2.OperationalError"
    assert exc.message == 'connection failed: FATAL:  database "x" does not exist\nsecond line'
    assert exc.debug == TRACE
    assert str(exc) == f"{exc.message} [res.partner.search]"


@pytest.mark.parametrize(
    ("last_line", "cls", "name"),
    [
        ("ValueError: Invalid leaf", ServerError, "builtins.ValueError"),
        ("KeyError: 'x'", ServerError, "builtins.KeyError"),
        ("odoo.exceptions.UserError: nope", UserError, "odoo.exceptions.UserError"),
        ("AccessError: nope", AccessError, "odoo.exceptions.AccessError"),
    ],
)
def test_fault_1_class_names(last_line: str, cls: type, name: str) -> None:
    exc = exception_from_fault(1, f'Traceback:\n  File "x", line 1\n    y()\n{last_line}\n')
    assert (type(exc), exc.name) == (cls, name)


@pytest.mark.parametrize(
    ("code", "text", "cls"),
    [
        (2, "Record does not exist or has been deleted.\n(Record: x)", MissingError),
        (2, "The operation cannot be completed: missing field", ValidationError),
        (2, "You can not delete a confirmed order", UserError),
        (3, "Access Denied", AccessDenied),
        (4, "You are not allowed", AccessError),
    ],
)
def test_fault_codes(code: int, text: str, cls: type) -> None:
    exc = exception_from_fault(code, text)
    assert type(exc) is cls and exc.message == text


@pytest.mark.parametrize(
    ("status", "name", "cls"),
    [
        (401, "werkzeug.exceptions.Unauthorized", AccessDenied),
        (403, "odoo.exceptions.AccessError", AccessError),
        (404, "odoo.exceptions.MissingError", MissingError),
        (404, "werkzeug.exceptions.NotFound", ServerError),
        (422, "odoo.exceptions.ValidationError", ValidationError),
        (422, "odoo.exceptions.UserError", UserError),
        (422, "werkzeug.exceptions.UnprocessableEntity", ServerError),
        (500, "builtins.ValueError", ServerError),
    ],
)
def test_json2_statuses(status: int, name: str, cls: type) -> None:
    body = {"name": name, "message": "m", "arguments": ["m"], "context": {}, "debug": "tb"}
    exc = exception_from_json2(status, body)
    assert type(exc) is cls and exc.status == status and exc.debug == "tb"


def test_jsonrpc_session_expired_code_100_without_name() -> None:
    exc = exception_from_jsonrpc({"code": 100, "message": "Odoo Session Expired", "data": {}})
    assert type(exc) is AccessDenied and exc.name == "odoo.http.SessionExpiredException"


def test_non_odoo_answers_get_hints() -> None:
    page = "<html><title>502 Bad Gateway</title><body>nginx</body></html>"
    exc = non_odoo_answer(502, "text/html", page, url="https://x/jsonrpc", expected="JSON")
    assert exc.status == 502 and "502 Bad Gateway" in str(exc) and "proxy" in str(exc)
    exc = non_odoo_answer(404, "text/html", "<p>nope</p>", url="https://x/json/2/a/b", expected="J")
    assert "Odoo 19" in str(exc)


# -- argument layout -------------------------------------------------------------------


def test_execute_kw_sends_leading_parameters_positionally() -> None:
    call = RPCCall(
        "sale.order",
        "read_group",
        kwargs={"domain": [], "fields": ["a:sum"], "groupby": ["state"], "lazy": False},
        context={"lang": "fr_FR"},
    )
    assert execute_kw_arguments(call) == (
        [[], ["a:sum"], ["state"]],
        {"lazy": False, "context": {"lang": "fr_FR"}},
    )


def test_execute_kw_keeps_caller_positionals_and_merges_context() -> None:
    call = RPCCall(
        "res.partner",
        "check_access_rights",
        args=("write",),
        kwargs={"raise_exception": False, "context": {"a": 1}},
        context={"b": 2},
    )
    assert execute_kw_arguments(call) == (
        ["write"],
        {"raise_exception": False, "context": {"a": 1, "b": 2}},
    )


def test_execute_kw_record_method_ids_first() -> None:
    call = RPCCall("res.partner", "write", ids=[7], kwargs={"vals": {"name": "x"}})
    assert execute_kw_arguments(call) == ([[7], {"name": "x"}], {})


def json2(url: str = "http://127.0.0.1:1"):
    http = HTTPClient(url, retry=RetryPolicy(attempts=1))
    return make_transport("json2", http, db="db", login=None, api_key="k" * 20)


def test_json2_names_positional_arguments_of_standard_methods() -> None:
    t = json2()
    body = t.body(RPCCall("res.partner", "search", args=([["x", "=", 1]], 0, 5)))
    assert body == {"domain": [["x", "=", 1]], "offset": 0, "limit": 5}
    body = t.body(RPCCall("res.partner", "write", args=([3], {"name": "n"}), context={"a": 1}))
    assert body == {"ids": [3], "vals": {"name": "n"}, "context": {"a": 1}}


def test_private_methods_of_19_are_not_advertised_as_standard() -> None:
    assert {"search_fetch", "exists", "check_access"} == PRIVATE_ON_19
    assert not PRIVATE_ON_19 & STANDARD_JSON2_METHODS
    assert {"search", "read", "write", "default_get"} <= STANDARD_JSON2_METHODS
    # still named, so that a call is sent and the server answers it
    assert set(JSON2_SIGNATURES) == STANDARD_JSON2_METHODS | PRIVATE_ON_19
    assert JSON2_SIGNATURES["search_fetch"].params[:2] == ("domain", "field_names")


def test_json2_private_method_is_sent_and_the_server_refuses_it() -> None:
    message = "Private methods (such as 'res.partner.exists') cannot be called remotely."

    def refuse(handler) -> None:
        body = {
            "name": "odoo.exceptions.AccessError",
            "message": message,
            "arguments": [message],
            "context": {},
            "debug": "Traceback (most recent call last):\nodoo.exceptions.AccessError: " + message,
        }
        handler.reply(403, json.dumps(body).encode(), "application/json; charset=utf-8")

    with StubServer([refuse]) as stub:
        with pytest.raises(AccessError, match="cannot be called remotely") as info:
            json2(stub.url).call(RPCCall("res.partner", "exists", args=([1, 2],)))
        assert info.value.status == 403
        assert [(m, p) for m, p, _, _ in stub.requests] == [("POST", "/json/2/res.partner/exists")]
        assert stub.bodies == [{"ids": [1, 2]}]


def test_json2_argument_errors_are_clear() -> None:
    t = json2()
    with pytest.raises(ArgumentMappingError, match="takes 2 argument"):
        t.body(RPCCall("res.partner", "search_count", args=([], 1, 2)))
    with pytest.raises(ArgumentMappingError, match="both positionally and by name"):
        t.body(RPCCall("res.partner", "search_count", args=([],), kwargs={"domain": []}))


DOC = {
    "model": "sale.order",
    "methods": {
        "action_quotation_send": {"signature": "()", "parameters": {}},
        "message_post": {
            "signature": "(*, body='', **kwargs)",
            "parameters": {
                "body": {"kind": "KEYWORD_ONLY", "default": ""},
                "kwargs": {"kind": "VAR_KEYWORD"},
            },
        },
        "get_report": {
            "signature": "(report_name, lang=None)",
            "parameters": {"report_name": {}, "lang": {"default": None}},
            "api": ["model", "readonly"],
        },
    },
}


def test_parse_doc_bearer() -> None:
    sigs = parse_doc_bearer(DOC)
    assert sigs["get_report"].params == ("report_name", "lang")
    assert sigs["get_report"].model_method
    assert sigs["message_post"].params == ()
    assert not sigs["action_quotation_send"].model_method


def test_json2_doc_bearer_fetched_once_per_model() -> None:
    def doc(handler) -> None:
        handler.reply(200, json.dumps(DOC).encode(), "application/json")

    with StubServer([doc], default=lambda h: h.reply(200, b"true", "application/json")) as stub:
        t = json2(stub.url)
        assert t.call(RPCCall("sale.order", "get_report", args=("r",))) is True
        assert t.call(RPCCall("sale.order", "get_report", args=("r", "fr_FR"))) is True
        assert t.call(RPCCall("sale.order", "action_quotation_send", args=([4],))) is True
        paths = [(m, p) for m, p, _, _ in stub.requests]
        assert paths == [
            ("GET", "/doc-bearer/sale.order.json"),
            ("POST", "/json/2/sale.order/get_report"),
            ("POST", "/json/2/sale.order/get_report"),
            ("POST", "/json/2/sale.order/action_quotation_send"),
        ]
        assert stub.requests[0][3]["Authorization"] == "bearer " + "k" * 20
        assert stub.bodies == [{"report_name": "r"}, {"report_name": "r", "lang": "fr_FR"},
                               {"ids": [4]}]  # fmt: skip
        with pytest.raises(ArgumentMappingError, match="not a public method"):
            t.call(RPCCall("sale.order", "no_such", args=(1,)))


def test_json2_without_doc_bearer_says_what_to_do() -> None:
    def missing(handler) -> None:
        handler.reply(404, b"<html><title>404 Not Found</title></html>", "text/html")

    with (
        StubServer([missing]) as stub,
        pytest.raises(ArgumentMappingError, match="pass them as keywords"),
    ):
        json2(stub.url).call(RPCCall("sale.order", "action_x", args=([1], 2)))


def test_make_transport_checks_its_arguments() -> None:
    http = HTTPClient("http://127.0.0.1:1")
    with pytest.raises(ConfigurationError, match="unknown protocol 'soap'"):
        make_transport("soap", http, db="d", login="a", password="p")
    with pytest.raises(ConfigurationError, match="API key"):
        make_transport("json2", http, db="d", login="a", password="p")
    with pytest.raises(ConfigurationError, match="password or an API key"):
        make_transport("xmlrpc", http, db="d", login="a")
    t = make_transport("xmlrpc", http, db=None, login="a", password="p")
    with pytest.raises(ConfigurationError, match="database"):
        t.authenticate()
