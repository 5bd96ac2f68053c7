"""The models and routes real clients touch: res.users through its partner (``_inherits``),
res.groups, ir.model.data (env.ref), ir.module.module, menus, crons, reports, the API-key
wizard, the db service with the master password, the company logo and call_button."""

from __future__ import annotations

import json
import urllib.request
import xmlrpc.client
from pathlib import Path
from typing import Any

import pytest

from odoorm.testing import Emulator, errors
from odoorm.testing.orm import Database

SEED17 = Path(__file__).resolve().parents[3] / "shared" / "recordings" / "odoo17" / "seed.json"


@pytest.fixture(params=[16, 17, 18, 19])
def db(request: pytest.FixtureRequest) -> Database:
    return Database(version=request.param)


def call(db: Database, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
    return db.execute(2, model, method, list(args), kwargs)


def groups_field(db: Database) -> str:
    return "group_ids" if db.version >= 19 else "groups_id"


# -- res.users delegates to res.partner ---------------------------------------------------------
def test_users_have_every_partner_field(db: Database) -> None:
    users = call(db, "res.users", "fields_get", attributes=["type", "store"])
    partners = call(db, "res.partner", "fields_get", attributes=["type"])
    assert set(partners) <= set(users)
    for fname in ("child_ids", "state_id", "comment", "image_1920", "email", "name"):
        assert users[fname]["store"] is False  # held by the partner, as fields_get says
    assert users["login"]["store"] is True and groups_field(db) in users


def test_partner_fields_read_and_write_through_the_user(db: Database) -> None:
    admin = call(db, "res.users", "read", [2], ["name", "partner_id", "email", "tz"])[0]
    partner_id = admin["partner_id"][0]
    assert admin["name"] == "Mitchell Admin" and admin["email"]
    contact = call(db, "res.partner", "create", {"name": "Assistant", "parent_id": partner_id})
    state = call(db, "res.country.state", "search", [], limit=1)[0]
    call(
        db,
        "res.users",
        "write",
        [2],
        {"comment": "<p>boss</p>", "state_id": state, "name": "M. Admin", "phone": "+32 1"},
    )
    user = call(db, "res.users", "read", [2], ["child_ids", "state_id", "comment", "name"])[0]
    assert user["child_ids"] == [contact]
    assert user["state_id"][0] == state and user["comment"] == "<p>boss</p>"
    partner = call(db, "res.partner", "read", [partner_id], ["name", "phone", "comment"])[0]
    assert partner["name"] == "M. Admin" and partner["phone"] == "+32 1"
    assert call(db, "res.users", "read", [2], ["display_name"])[0]["display_name"] == "M. Admin"


def test_search_and_order_by_partner_fields(db: Database) -> None:
    assert call(db, "res.users", "search", [("name", "ilike", "marc")]) == [6]
    assert call(db, "res.users", "search", [("email", "=like", "admin@%")]) == [2]
    assert call(db, "res.users", "search", [("partner_id.name", "=", "Marc Demo")]) == [6]
    names = call(db, "res.users", "search_read", [], fields=["name"], order="name desc")
    assert [u["name"] for u in names] == ["Mitchell Admin", "Marc Demo"]


def test_create_user_creates_its_partner(db: Database) -> None:
    uid = call(db, "res.users", "create", {"name": "New Hire", "login": "hire", "city": "Gent"})
    user = call(db, "res.users", "read", [uid], ["partner_id", "city", groups_field(db)])[0]
    partner = call(db, "res.partner", "read", [user["partner_id"][0]], ["name", "city"])[0]
    assert partner["name"] == "New Hire" and partner["city"] == user["city"] == "Gent"
    assert user[groups_field(db)] == [1]  # base.group_user by default
    # a password given at create logs in
    call(db, "res.users", "write", [uid], {"password": "s3cret"})
    assert db.authenticate("hire", "s3cret") == uid
    assert call(db, "res.users", "read", [uid], ["password"])[0]["password"] == ""


def test_a_second_user_with_the_same_login_is_refused(db: Database) -> None:
    before = call(db, "res.partner", "search_count", [])
    with pytest.raises(errors.ValidationError, match="two users with the same login!"):
        call(db, "res.users", "create", {"name": "Twin", "login": "demo"})
    assert call(db, "res.partner", "search_count", []) == before  # rolled back, partner too
    with pytest.raises(errors.ValidationError, match="The operation cannot be completed"):
        call(db, "res.users", "write", [6], {"login": "admin"})


@pytest.mark.skipif(not SEED17.exists(), reason="recordings not available")
@pytest.mark.parametrize(("now", "offset"), [("2026-01-15", "+0100"), ("2026-07-15", "+0200")])
def test_tz_offset_follows_the_emulator_clock(now: str, offset: str) -> None:
    db = Database(version=18, now=now)
    call(db, "res.users", "write", [2], {"tz": "Europe/Brussels"})
    assert call(db, "res.users", "read", [2], ["tz_offset"])[0]["tz_offset"] == offset


def test_recorded_seed_users_read_their_partner() -> None:
    db = Database(version=17, data=str(SEED17))
    seed = json.loads(SEED17.read_text())["models"]["res.users"]["fields"]
    fields = call(db, "res.users", "fields_get", attributes=["type"])
    assert set(seed) <= set(fields) and len(fields) >= 230
    admin = call(db, "res.users", "read", [2], ["name", "email", "child_ids", "login"])[0]
    pid = call(db, "res.users", "read", [2], ["partner_id"])[0]["partner_id"][0]
    partner = call(db, "res.partner", "read", [pid], ["name", "email", "child_ids"])[0]
    assert admin == {**partner, "id": 2, "login": "admin"}


# -- groups, external ids, modules, menus, crons, reports ------------------------------------
def test_groups_and_their_users(db: Database) -> None:
    users = "user_ids" if db.version >= 19 else "users"
    group = call(db, "res.groups", "search_read", [("name", "=", "Settings")], fields=[users])
    assert group[0][users] == [2]
    call(db, "res.users", "write", [6], {groups_field(db): [(4, group[0]["id"])]})
    again = call(db, "res.groups", "read", [group[0]["id"]], [users])[0][users]
    assert sorted(again) == [2, 6]


def test_external_ids_like_env_ref(db: Database) -> None:
    found = call(
        db,
        "ir.model.data",
        "search_read",
        [("module", "=", "base"), ("name", "=", "user_admin")],
        fields=["model", "res_id", "complete_name"],
    )
    assert [(r["model"], r["res_id"], r["complete_name"]) for r in found] == [
        ("res.users", 2, "base.user_admin")
    ]
    assert call(db, "ir.model.data", "check_object_reference", "base", "main_company") == [
        "res.company",
        1,
    ]
    model, gid = call(db, "ir.model.data", "check_object_reference", "base", "group_system")
    assert call(db, model, "read", [gid], ["name"])[0]["name"] == "Settings"
    with pytest.raises(errors.OdooServerError, match="External ID not found in the system"):
        call(db, "ir.model.data", "check_object_reference", "base", "nope")


def test_installed_modules_are_listed_read_only(db: Database) -> None:
    installed = call(
        db, "ir.module.module", "search_read", [("state", "=", "installed")], fields=["name"]
    )
    names = {m["name"] for m in installed}
    assert {"base", "web", "contacts", "sale"} <= names
    assert ("rpc" in names) == (db.version >= 19)
    with pytest.raises(errors.UserError, match="read-only"):
        call(db, "ir.module.module", "write", [installed[0]["id"]], {"state": "uninstalled"})
    with pytest.raises(errors.UserError, match="read-only"):
        call(db, "ir.module.module", "create", {"name": "x"})


def test_menus_crons_reports(db: Database) -> None:
    users_menu = call(db, "ir.ui.menu", "search_read", [("name", "=", "Users")], fields=[])
    assert (
        call(db, "ir.ui.menu", "read", [users_menu[0]["id"]], ["complete_name"])[0]["complete_name"]
        == "Settings/Users & Companies/Users"
    )
    crons = call(db, "ir.cron", "search_read", [], fields=["cron_name", "model_id", "active"])
    assert crons and all(c["model_id"] for c in crons if c["cron_name"].startswith("Sales"))
    reports = call(
        db, "ir.actions.report", "search_read", [("model", "=", "sale.order")], fields=[]
    )
    assert {r["report_name"] for r in reports} >= {"sale.report_saleorder"}


# -- over the wire: API keys, db service, logo, call_button -------------------------------------
@pytest.fixture(scope="module", params=[16, 17, 18, 19])
def emu(request: pytest.FixtureRequest) -> Any:
    with Emulator(version=request.param, login_cooldown=False) as server:
        yield server


def test_api_key_wizard_makes_a_working_key(emu: Emulator) -> None:
    with xmlrpc.client.ServerProxy(f"{emu.url}/xmlrpc/2/object", allow_none=True) as models:

        def run(model: str, method: str, *args: Any, **kw: Any) -> Any:
            return models.execute_kw(emu.db, 2, "admin", model, method, list(args), kw)

        wizard = run("res.users.apikeys.description", "create", {"name": "ci key"})
        check = run("res.users.apikeys.description", "make_key", [wizard])
        assert check["res_model"] == "res.users.identitycheck"  # @check_identity over RPC
        with pytest.raises(xmlrpc.client.Fault, match="Incorrect Password"):
            run("res.users.identitycheck", "run_check", [check["res_id"]], context={})
        ready = run(
            "res.users.identitycheck", "run_check", [check["res_id"]], context={"password": "admin"}
        )
        key = ready["context"]["default_key"]
        assert ready["res_model"] == "res.users.apikeys.show" and len(key) == 40
        assert models.execute_kw(emu.db, 2, key, "res.users", "search", [[("id", "=", 2)]]) == [2]
        keys = run("res.users.apikeys", "search_read", [("name", "=", "ci key")], fields=[])
        assert keys[0]["user_id"][0] == 2


def test_db_service_with_the_master_password(emu: Emulator) -> None:
    with xmlrpc.client.ServerProxy(f"{emu.url}/xmlrpc/2/db") as db:
        assert db.list() == [emu.db]
        assert db.db_exist(emu.db) is True and db.db_exist("other") is False
        assert db.server_version() == emu.server_version["server_version"]
        assert db.drop("admin", "missing") is False  # Odoo: nothing to drop
        with pytest.raises(xmlrpc.client.Fault) as refused:
            db.drop("wrong", "missing")
        assert refused.value.faultCode == 3
        with pytest.raises(xmlrpc.client.Fault, match="Method not found: exist"):
            db.exist(emu.db)
        assert ["BE", "Belgium"] in db.list_countries("admin")


def test_company_logo_is_a_png(emu: Emulator) -> None:
    with urllib.request.urlopen(f"{emu.url}/web/binary/company_logo?company=1") as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "image/png"
        assert answer.read().startswith(b"\x89PNG\r\n\x1a\n")


def test_call_button(emu: Emulator) -> None:
    def post(path: str, params: dict[str, Any], cookie: str | None = None) -> Any:
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
        headers = {"Content-Type": "application/json", **({"Cookie": cookie} if cookie else {})}
        req = urllib.request.Request(f"{emu.url}{path}", body.encode(), headers)
        with urllib.request.urlopen(req) as answer:
            return answer.headers.get("Set-Cookie"), json.loads(answer.read())

    cookie, _ = post(
        "/web/session/authenticate", {"db": emu.db, "login": "admin", "password": "admin"}
    )
    sid = cookie.split(";")[0]
    order = emu.database.execute(2, "sale.order", "search", [[("state", "=", "draft")]])[0]
    _, answer = post(
        "/web/dataset/call_button",
        {"model": "sale.order", "method": "action_confirm", "args": [[order]], "kwargs": {}},
        sid,
    )
    assert answer["result"] is False  # True is no action
    state = emu.database.execute(2, "sale.order", "read", [[order], ["state"]])[0]["state"]
    assert state == "sale"
