"""Methods and schema as each Odoo version has them: parameter names per version,
the full /doc-bearer method list, the contact name constraint, the partner schema,
ir.model, the JSON-2 database checks (first seen against real servers by tests/live)."""

from __future__ import annotations

import base64
import http.client
import json
import xmlrpc.client
from typing import Any
from urllib.parse import urlsplit

import pytest

import odoorm
from odoorm.testing import Emulator, errors
from odoorm.testing.orm import Database


def _request(
    emu: Emulator, method: str, path: str, body: Any = None, headers: dict | None = None
) -> tuple[int, Any, str]:
    parts = urlsplit(emu.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=payload, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        ctype = resp.getheader("Content-Type") or ""
        return resp.status, json.loads(data) if "json" in ctype else data.decode(), ctype
    finally:
        conn.close()


def json2(emu: Emulator, model: str, method: str, body: dict) -> tuple[int, Any]:
    headers = {
        "Authorization": f"bearer {emu.api_key}",
        "X-Odoo-Database": emu.db,
        "Content-Type": "application/json",
    }
    status, data, _ = _request(emu, "POST", f"/json/2/{model}/{method}", body, headers)
    return status, data


def doc_bearer(emu: Emulator, model: str) -> dict:
    headers = {"Authorization": f"bearer {emu.api_key}", "X-Odoo-Database": emu.db}
    status, data, _ = _request(emu, "GET", f"/doc-bearer/{model}.json", None, headers)
    assert status == 200, data
    return data


@pytest.fixture(scope="module")
def odoo19():
    with Emulator(version=19) as emu:
        yield emu


# -- 1. default_get's parameter: fields_list up to 18, fields on 19 -------------------------------


def test_json2_default_get_takes_fields_on_19(odoo19: Emulator) -> None:
    status, body = json2(odoo19, "sale.order", "default_get", {"fields": ["state"]})
    assert (status, body) == (200, {"state": "draft"})
    status, body = json2(odoo19, "sale.order", "default_get", {"fields_list": ["state"]})
    assert status == 422
    assert body["message"] == "missing a required argument: 'fields'"


@pytest.mark.parametrize(
    ("version", "good", "bad"),
    [(17, "fields_list", "fields"), (18, "fields_list", "fields"), (19, "fields", "fields_list")],
)
def test_execute_kw_default_get_parameter_name(version: int, good: str, bad: str) -> None:
    db = Database(version=version)
    assert db.execute(2, "sale.order", "default_get", [], {good: ["state"]}) == {"state": "draft"}
    # positionally, as recorded on every version
    assert db.execute(2, "sale.order", "default_get", [["state"]]) == {"state": "draft"}
    with pytest.raises(errors.PythonError, match=f"unexpected keyword argument '{bad}'"):
        db.execute(2, "sale.order", "default_get", [], {bad: ["state"]})


# -- 2. /doc-bearer lists every public method, described like Odoo's api_doc ----------------------


def test_doc_bearer_lists_registered_and_custom_methods() -> None:
    with Emulator(version=19) as emu:

        def action_stamp(db, table, ids, note: str, urgent: bool = False):
            """Stamp the orders.

            Adds a note to each order."""
            return True

        emu.database.register_method("sale.order", "action_stamp", action_stamp)
        doc = doc_bearer(emu, "sale.order")
        methods = doc["methods"]
        for name in (
            "action_confirm",
            "action_cancel",
            "action_draft",
            "action_stamp",
            "action_archive",
            "search_read",
            "write",
            "default_get",
        ):
            assert name in methods, name
        assert "exists" not in methods  # private on 19
        assert "name_get" not in methods  # gone since 18
        assert "search_fetch" not in methods
        assert len(methods) > 18

        confirm = methods["action_confirm"]
        assert confirm["signature"] == "() -> bool" and confirm["parameters"] == {}
        assert "api" not in confirm
        assert (confirm["model"], confirm["module"]) == ("sale.order", "sale")
        assert confirm["doc"].startswith("<p>")
        stamp = methods["action_stamp"]
        assert stamp["signature"] == "(note, urgent=False)"
        assert stamp["parameters"] == {"note": {}, "urgent": {"default": False}}
        assert stamp["doc"] == "<p>Stamp the orders.</p><p>Adds a note to each order.</p>"

        assert methods["default_get"]["signature"] == "(fields) -> ValuesType"
        assert methods["default_get"]["parameters"] == {"fields": {"annotation": "Sequence[str]"}}
        search = methods["search"]
        assert search["signature"] == "(domain, offset=0, limit=None, order=None) -> list[int]"
        assert search["api"] == ["model", "readonly"]
        assert search["parameters"]["offset"]["default"] == 0
        assert search["parameters"]["domain"]["annotation"] == "DomainType"
        assert search["return"]["annotation"] == "list[int]"
        assert "AccessError" in search["raise"]
        assert (search["model"], search["module"]) == ("core", "core")
        assert "api" not in methods["write"]
        sread = methods["search_read"]["parameters"]["read_kwargs"]
        assert sread["kind"] == "VAR_KEYWORD"
        for entry in methods.values():
            assert set(entry) >= {"signature", "parameters", "model", "module"}
            assert list(entry)[:2] == ["signature", "parameters"]
            assert list(entry)[-2:] == ["model", "module"]


def test_doc_bearer_context_get_only_on_users(odoo19: Emulator) -> None:
    assert "context_get" in doc_bearer(odoo19, "res.users")["methods"]
    assert "context_get" not in doc_bearer(odoo19, "res.partner")["methods"]


def test_odoorm_calls_custom_methods_positionally_over_json2() -> None:
    with Emulator(version=19) as emu:
        conn = odoorm.connect(
            emu.url, db=emu.db, user=emu.login, api_key=emu.api_key, default=False
        )
        with conn:
            assert conn.protocol == "json2"
            [order] = conn.execute("sale.order", "search", [("state", "=", "draft")], limit=1)
            assert conn.execute("sale.order", "action_confirm", [order]) is True
            [row] = conn.execute("sale.order", "read", [order], ["state"])
            assert row["state"] == "sale"


# -- 3. contacts require a name (Odoo's SQL check on res.partner) ---------------------------------

NAMELESS = "The operation cannot be completed: Contacts require a name"


@pytest.mark.parametrize("version", [17, 18, 19])
def test_nameless_contact_is_refused_over_xmlrpc(version: int) -> None:
    with Emulator(version=version) as emu:
        models = xmlrpc.client.ServerProxy(f"{emu.url}/xmlrpc/2/object")
        with models:

            def call(method: str, *args: Any) -> Any:
                return models.execute_kw(emu.db, 2, emu.password, "res.partner", method, *args)

            before = call("search_count", [[]])
            with pytest.raises(xmlrpc.client.Fault) as info:
                call("create", [{"email": "noname@example.com"}])
            assert (info.value.faultCode, info.value.faultString) == (2, NAMELESS)
            with pytest.raises(xmlrpc.client.Fault) as info:
                call("create", [{"name": False, "is_company": True}])
            assert info.value.faultCode == 2
            assert call("search_count", [[]]) == before  # nothing kept
            # another address type needs no name; a contact's name cannot be emptied
            addr = call("create", [{"type": "invoice", "parent_id": 1}])
            with pytest.raises(xmlrpc.client.Fault) as info:
                call("write", [[addr], {"type": "contact"}])
            assert info.value.faultString == NAMELESS
            with pytest.raises(xmlrpc.client.Fault) as info:
                call("write", [[3], {"name": False}])
            assert info.value.faultCode == 2
            [row] = call("read", [[3], ["name", "display_name"]])
            assert row["name"] and row["display_name"]  # rolled back


def test_nameless_contact_is_422_over_json2(odoo19: Emulator) -> None:
    status, body = json2(odoo19, "res.partner", "create", {"vals_list": [{"email": "x@y.z"}]})
    assert status == 422
    assert (body["name"], body["message"]) == ("odoo.exceptions.ValidationError", NAMELESS)
    status, body = json2(odoo19, "res.partner", "write", {"ids": [3], "vals": {"name": False}})
    assert (status, body["message"]) == (422, NAMELESS)


# -- 4. res.partner carries the fields real demo partners have -----------------------------------


class Country(odoorm.Model):
    _name = "res.country"
    name = odoorm.fields.Char()
    code = odoorm.fields.Char()


class Partner(odoorm.Model):  # exactly DESIGN.md's
    _name = "res.partner"
    name = odoorm.fields.Char(required=True)
    email = odoorm.fields.Char()
    is_company = odoorm.fields.Boolean()
    customer_rank = odoorm.fields.Integer()
    country = odoorm.fields.Many2one(Country, source="country_id")
    parent = odoorm.fields.Many2one("res.partner", source="parent_id")
    children = odoorm.fields.One2many("res.partner", source="child_ids", inverse="parent_id")
    tags = odoorm.fields.Many2many("res.partner.category", source="category_id")
    image = odoorm.fields.Binary(source="image_1920")
    write_date = odoorm.fields.Datetime(readonly=True)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


@pytest.mark.parametrize("version", [17, 18, 19])
def test_design_partner_passes_the_schema_check(version: int) -> None:
    with Emulator(version=version) as emu:
        conn = odoorm.connect(
            emu.url,
            db=emu.db,
            user=emu.login,
            password=emu.password,
            protocol="jsonrpc",
            check_schema=True,
            default=False,
        )
        with conn:
            Partner.check_schema(conn)  # raises SchemaError listing any mismatch
            companies = list(
                Partner.objects.using(conn).filter(is_company=True).order_by("name")[:5]
            )
            assert companies and all(p.is_company for p in companies)
            pid = conn.execute("res.partner", "create", {"name": "Pictured", "is_company": True})
            conn.execute(
                "res.partner", "write", [pid], {"image_1920": base64.b64encode(PNG).decode()}
            )
            assert Partner.objects.using(conn).get(id=pid).image == PNG


@pytest.mark.parametrize("version", [17, 18, 19])
def test_partner_schema_follows_the_recorded_servers(version: int) -> None:
    fields = Database(version=version).execute(2, "res.partner", "fields_get", [], {})
    for name in (
        "image_1920",
        "image_1024",
        "image_512",
        "image_256",
        "image_128",
        "avatar_128",
        "company_type",
        "commercial_partner_id",
        "display_name",
        "country_code",
        "phone",
        "street2",
        "zip",
        "state_id",
    ):
        assert name in fields, name
    assert fields["image_1920"] == {**fields["image_1920"], "type": "binary", "readonly": False}
    assert fields["image_128"]["readonly"] and fields["image_128"]["store"]
    assert not fields["avatar_128"]["store"]
    assert fields["state_id"]["relation"] == "res.country.state"
    # mobile and title left res.partner in 19; company_type's "Individual" became "Person"
    assert ("mobile" in fields, "title" in fields) == (
        (True, True) if version <= 18 else (False,) * 2
    )
    assert fields["company_type"]["selection"][0] == (
        ["person", "Person"] if version >= 19 else ["person", "Individual"]
    )


def test_partner_derived_values() -> None:
    db = Database(version=19)
    encoded = base64.b64encode(PNG).decode()
    pid = db.execute(
        2,
        "res.partner",
        "create",
        [
            [
                {
                    "name": 'Ann "A" Lee',
                    "email": " Ann@Example.COM ",
                    "country_id": 20,
                    "parent_id": 1,
                    "image_1920": encoded,
                }
            ]
        ],
    )[0]
    fields = [
        "image_128",
        "image_512",
        "avatar_128",
        "country_code",
        "parent_name",
        "email_normalized",
        "email_formatted",
        "company_type",
        "commercial_partner_id",
    ]
    [row] = db.execute(2, "res.partner", "read", [[pid], fields])
    assert row["image_128"] == row["image_512"] == row["avatar_128"] == encoded
    assert row["country_code"] == "US" and row["parent_name"] == "YourCompany"
    assert row["email_normalized"] == "ann@example.com"
    assert row["email_formatted"] == '"Ann \\"A\\" Lee" <ann@example.com>'
    assert row["company_type"] == "person" and row["commercial_partner_id"][0] == 1
    # company_type is writable: it sets is_company
    db.execute(2, "res.partner", "write", [[pid], {"company_type": "company", "image_1920": False}])
    [row] = db.execute(2, "res.partner", "read", [[pid], ["is_company", "image_128", "avatar_128"]])
    assert row == {"id": pid, "is_company": True, "image_128": False, "avatar_128": False}
    [state] = db.execute(
        2,
        "res.country.state",
        "search_read",
        [[("code", "=", "CA")]],
        {"fields": ["display_name"], "limit": 1},
    )
    assert state["display_name"] == "California (US)"


# -- 5. minor: action_quotation_send, ir.model, monodb and an unknown database --------------------


@pytest.mark.parametrize("version", [17, 19])
def test_action_quotation_send_returns_the_composer_action(version: int) -> None:
    db = Database(version=version)
    [order] = db.execute(2, "sale.order", "search", [[("state", "=", "draft")]], {"limit": 1})
    action = db.execute(2, "sale.order", "action_quotation_send", [[order]])
    assert action["type"] == "ir.actions.act_window"
    assert (action["res_model"], action["target"], action["views"]) == (
        "mail.compose.message",
        "new",
        [[False, "form"]],
    )
    ctx = action["context"]
    assert ctx["default_model"] == "sale.order" and ctx["default_res_ids"] == [order]
    assert ctx["mark_so_as_sent"] is True and ctx["default_composition_mode"] == "comment"
    # nothing is sent by opening the composer
    [row] = db.execute(2, "sale.order", "read", [[order], ["state"]])
    assert row["state"] == "draft"


def test_action_quotation_send_over_xmlrpc(odoo19: Emulator) -> None:
    with xmlrpc.client.ServerProxy(f"{odoo19.url}/xmlrpc/2/object", allow_none=True) as models:
        action = models.execute_kw(
            odoo19.db, 2, odoo19.password, "sale.order", "action_quotation_send", [[1]]
        )
    assert action["res_model"] == "mail.compose.message"


@pytest.mark.parametrize("version", [17, 18, 19])
def test_ir_model_lists_the_emulated_models(version: int) -> None:
    with Emulator(version=version) as emu:
        conn = odoorm.connect(
            emu.url, db=emu.db, user=emu.login, password=emu.password, default=False
        )
        with conn:
            rows = conn.execute(
                "ir.model", "search_read", [], fields=["model", "name", "state"], order="model"
            )
            by_model = {r["model"]: r for r in rows}
            assert set(by_model) == set(emu.database.tables)
            assert by_model["res.partner"]["name"] == "Contact"
            assert by_model["sale.order"]["state"] == "base"
            with pytest.raises(odoorm.exceptions.UserError, match="read-only"):
                conn.execute("ir.model", "create", {"model": "x_thing", "name": "Thing"})
    with_seed = Database(version=18, data={"models": {"x.ticket": {"fields": {}, "records": []}}})
    models = with_seed.execute(2, "ir.model", "search_read", [[]], {"fields": ["model"]})
    assert "x.ticket" in {r["model"] for r in models}


@pytest.mark.parametrize("monodb", [False, True])
def test_json2_unknown_database_is_the_html_404(monodb: bool) -> None:
    with Emulator(version=19, monodb=monodb) as emu:
        headers = {"Authorization": f"bearer {emu.api_key}", "Content-Type": "application/json"}
        status, body, ctype = _request(
            emu,
            "POST",
            "/json/2/res.partner/search",
            {"domain": []},
            {**headers, "X-Odoo-Database": "nope"},
        )
        assert (status, ctype) == (404, "text/html; charset=utf-8")
        assert "No database is selected" in body
        status, body, _ = _request(
            emu,
            "POST",
            "/json/2/res.partner/search",
            {"domain": []},
            {**headers, "X-Odoo-Database": emu.db},
        )
        assert status == 200 and body
        if monodb:  # a single-database server needs no header
            status, body, _ = _request(
                emu, "POST", "/json/2/res.partner/search", {"domain": []}, headers
            )
            assert status == 200 and body
