"""The db service manages databases in memory: created, copied, dumped, restored, dropped.

The refusals carry the shapes a real Odoo 17 answered over JSON-RPC (``error.data.name`` and
``message``), recorded while running OdooRPC's own test suite against it.
"""

from __future__ import annotations

import base64
import io
import json
import urllib.error
import urllib.request
import zipfile
from typing import Any

import pytest

from odoorm.testing import Emulator


def rpc(emu: Emulator, service: str, method: str, *args: Any) -> dict[str, Any]:
    body = {"service": service, "method": method, "args": list(args)}
    payload = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": body})
    request = urllib.request.Request(
        f"{emu.url}/jsonrpc", payload.encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as answer:
        found: dict[str, Any] = json.load(answer)
    return found


def refusal(answer: dict[str, Any]) -> tuple[str, str]:
    return answer["error"]["data"]["name"], answer["error"]["data"]["message"]


@pytest.fixture
def emu(make_emulator: Any) -> Emulator:
    emulator: Emulator = make_emulator(version=17)
    return emulator


def test_a_created_database_is_listed_and_usable(emu: Emulator) -> None:
    assert rpc(emu, "db", "create_database", "admin", "o17_new", False, "en_US", "pw")["result"]
    assert rpc(emu, "db", "list")["result"] == ["o17_new", emu.db]
    assert rpc(emu, "db", "db_exist", "o17_new")["result"] is True
    uid = rpc(emu, "common", "login", "o17_new", "admin", "pw")["result"]
    assert uid == 2
    args = ["o17_new", uid, "pw", "res.partner", "create", [{"name": "Only here"}]]
    new_id = rpc(emu, "object", "execute_kw", *args)["result"]
    count = ["res.partner", "search_count", [[("name", "=", "Only here")]]]
    assert rpc(emu, "object", "execute_kw", "o17_new", uid, "pw", *count)["result"] == 1
    assert rpc(emu, "object", "execute_kw", emu.db, 2, "admin", *count)["result"] == 0
    assert isinstance(new_id, int)


def test_create_refusals(emu: Emulator) -> None:
    assert refusal(rpc(emu, "db", "create_database", "admin", emu.db, False, "en_US")) == (
        "odoo.service.db.DatabaseExists",
        f"database '{emu.db}' already exists!",
    )
    assert refusal(rpc(emu, "db", "create_database", "wrong", "o17_x", False, "en_US")) == (
        "odoo.exceptions.AccessDenied",
        "Access Denied",
    )


def test_duplicate_copies_the_records_and_drop_forgets_the_copy(emu: Emulator) -> None:
    rpc(emu, "object", "execute_kw", emu.db, 2, "admin", "res.partner", "create", [{"name": "Z"}])
    assert rpc(emu, "db", "duplicate_database", "admin", emu.db, "o17_copy")["result"] is True
    count = ["res.partner", "search_count", [[("name", "=", "Z")]]]
    assert rpc(emu, "object", "execute_kw", "o17_copy", 2, "admin", *count)["result"] == 1
    # the copy is independent of its original
    rpc(
        emu,
        "object",
        "execute_kw",
        "o17_copy",
        2,
        "admin",
        "res.partner",
        "create",
        [{"name": "Z"}],
    )
    assert rpc(emu, "object", "execute_kw", emu.db, 2, "admin", *count)["result"] == 1
    assert refusal(rpc(emu, "db", "duplicate_database", "admin", emu.db, "o17_copy")) == (
        "psycopg2.errors.DuplicateDatabase",
        'database "o17_copy" already exists\n',
    )
    assert refusal(rpc(emu, "db", "duplicate_database", "admin", "nope", "o17_x")) == (
        "psycopg2.errors.InvalidCatalogName",
        'template database "nope" does not exist\n',
    )
    assert rpc(emu, "db", "drop", "admin", "o17_copy")["result"] is True
    assert rpc(emu, "db", "list")["result"] == [emu.db]
    gone = rpc(emu, "object", "execute_kw", "o17_copy", 2, "admin", *count)
    assert refusal(gone)[0] == "psycopg2.OperationalError"
    assert rpc(emu, "db", "drop", "admin", "o17_copy")["result"] is False


def test_a_session_on_a_dropped_database_ends(emu: Emulator) -> None:
    rpc(emu, "db", "duplicate_database", "admin", emu.db, "o17_web")
    login = {"jsonrpc": "2.0", "params": {"db": "o17_web", "login": "admin", "password": "admin"}}
    request = urllib.request.Request(
        f"{emu.url}/web/session/authenticate",
        json.dumps(login).encode(),
        {"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        cookie = answer.headers["Set-Cookie"].split(";")[0]
        assert json.load(answer)["result"]["db"] == "o17_web"
    call = {
        "jsonrpc": "2.0",
        "params": {"model": "res.partner", "method": "search_count", "args": [[]], "kwargs": {}},
    }
    request = urllib.request.Request(
        f"{emu.url}/web/dataset/call_kw",
        json.dumps(call).encode(),
        {"Content-Type": "application/json", "Cookie": cookie},
    )
    with urllib.request.urlopen(request) as answer:
        assert json.load(answer)["result"] > 0
    rpc(emu, "db", "drop", "admin", "o17_web")
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(request)
    assert gone.value.code == 404
    gone.value.close()


def test_dump_and_restore(emu: Emulator) -> None:
    dump = rpc(emu, "db", "dump", "admin", emu.db, "zip")["result"]
    names = zipfile.ZipFile(io.BytesIO(base64.b64decode(dump))).namelist()
    assert {"dump.sql", "manifest.json"} <= set(names)
    assert rpc(emu, "db", "restore", "admin", "o17_back", dump)["result"] is True
    count = ["res.partner", "search_count", [[]]]
    assert (
        rpc(emu, "object", "execute_kw", "o17_back", 2, "admin", *count)["result"]
        == rpc(emu, "object", "execute_kw", emu.db, 2, "admin", *count)["result"]
    )
    assert refusal(rpc(emu, "db", "restore", "admin", emu.db, dump)) == (
        "builtins.Exception",
        "Database already exists",
    )
    empty_zip = base64.b64encode(b"PK\x05\x06" + b"\x00" * 18).decode()
    assert refusal(rpc(emu, "db", "restore", "admin", "o17_bad", empty_zip)) == (
        "builtins.KeyError",
        "There is no item named 'dump.sql' in the archive",
    )
    wrong = rpc(emu, "db", "dump", "admin", "wrong_db", "zip")
    assert refusal(wrong)[0] == "psycopg2.OperationalError"
    assert 'database "wrong_db" does not exist' in refusal(wrong)[1]
    assert refusal(rpc(emu, "db", "dump", "wrong", emu.db, "zip"))[0] == (
        "odoo.exceptions.AccessDenied"
    )


def test_the_served_database_cannot_be_dropped(emu: Emulator) -> None:
    assert refusal(rpc(emu, "db", "drop", "admin", emu.db))[0] == "odoo.exceptions.UserError"
