"""Ids sent as strings, answered as the lab's real Odoo 16-19 answered them (the same on
XML-RPC, JSON-RPC, the session route and JSON-2; the messages are the observed ones)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import xmlrpc.client
from typing import Any

import pytest

from odoorm.testing import Emulator, errors
from odoorm.testing.orm import Database

MISMATCH_1 = (
    "Database fetch misses ids (('1',)) and has extra ids ((1,)), "
    "may be caused by a type incoherence in a previous request"
)


def missing(model: str, sid: str) -> str:
    return f"Record does not exist or has been deleted.\n(Record: {model}({sid!r},), User: 2)"


@pytest.fixture(scope="module")
def dbs() -> dict[int, Database]:
    return {v: Database(version=v) for v in (16, 17, 18, 19)}


def call(db: Database, method: str, *args: Any, **kwargs: Any) -> Any:
    return db.execute(2, "res.partner", method, list(args), kwargs)


def test_read_16_refuses_a_string_id_that_exists(dbs: dict[int, Database]) -> None:
    with pytest.raises(errors.AccessError) as refused:
        call(dbs[16], "read", ["1"], ["name"])
    assert refused.value.message == MISMATCH_1
    with pytest.raises(errors.AccessError, match=r"misses ids \(\('1', '3'\)\) and has extra"):
        call(dbs[16], "read", ["1", "3"], ["name"])
    assert call(dbs[16], "read", ["999999"], ["name"]) == []


@pytest.mark.parametrize("version", [17, 18, 19])
def test_read_17_leaves_string_ids_out(dbs: dict[int, Database], version: int) -> None:
    db = dbs[version]
    assert call(db, "read", ["1"], ["name"]) == []
    assert call(db, "read", "1", ["name"]) == []
    assert [r["id"] for r in call(db, "read", [1, "3"], ["name"])] == [1]
    assert call(db, "read", ["1"], ["name", "has_message"], load="_classic_write") == []


@pytest.mark.parametrize("version", [17, 18, 19])
def test_has_message_is_computed_with_sql_over_string_ids(
    dbs: dict[int, Database], version: int
) -> None:
    with pytest.raises(errors.DatabaseError) as refused:
        call(dbs[version], "read", ["1", "3"], ["has_message"])
    assert refused.value.name == "psycopg2.errors.UndefinedFunction"
    assert refused.value.message.startswith(
        "operator does not exist: integer = text\n"
        "LINE 4:              WHERE res_id = any(ARRAY['1','3'])\n"
    )


def test_every_field_read_in_fields_get_order(dbs: dict[int, Database]) -> None:
    # OdooRPC's browse("1") reads its non-relational fields: mail's come first up to 18
    for version, refused in ((17, True), (18, True), (19, False)):
        db = dbs[version]
        fields = [f for f, d in call(db, "fields_get").items() if not d.get("relation")]
        fields.remove("id")  # OdooRPC leaves it out
        if refused:
            with pytest.raises(errors.DatabaseError):
                call(db, "read", ["1"], fields, load="_classic_write")
        else:
            assert call(db, "read", ["1"], fields, load="_classic_write") == []


@pytest.mark.parametrize("version", [17, 18, 19])
@pytest.mark.parametrize("method", ["write", "unlink", "copy"])
def test_writes_17_are_missing_errors(dbs: dict[int, Database], version: int, method: str) -> None:
    args: list[Any] = [{"comment": "x"}] if method == "write" else []
    with pytest.raises(errors.MissingError) as refused:
        call(dbs[version], method, ["3", "999999"], *args)
    assert refused.value.message == missing("res.partner", "3")


def test_writes_16(dbs: dict[int, Database]) -> None:
    with pytest.raises(errors.AccessError, match=r"misses ids \(\('3',\)\)"):
        call(dbs[16], "write", ["3", "999999"], {"comment": "x"})
    with pytest.raises(errors.MissingError) as refused:
        call(dbs[16], "unlink", [3, "999999"])
    assert refused.value.message == missing("res.partner", "999999")


def test_domains_convert_string_ids(dbs: dict[int, Database]) -> None:
    for db in dbs.values():
        assert call(db, "search", [("id", "=", "1")]) == [1]
        assert call(db, "search", [("id", "in", ["1", "3"])]) == [1, 3]


@pytest.mark.parametrize("version", [16, 17, 18])
def test_many2one_string_is_written_empty_up_to_18(version: int) -> None:
    db = Database(version=version)
    pid = call(db, "create", {"name": "probe", "parent_id": "1"})
    assert call(db, "read", [pid], ["parent_id"])[0]["parent_id"][0] == 1  # create converts
    assert call(db, "write", [pid], {"parent_id": "3", "comment": "c"}) is True
    row = call(db, "read", [pid], ["parent_id", "comment"])[0]
    assert row["parent_id"] is False and row["comment"]


def test_many2one_string_is_refused_on_19() -> None:
    db = Database(version=19)
    pid = call(db, "create", {"name": "probe"})
    with pytest.raises(errors.MissingError) as refused:
        call(db, "write", [pid], {"parent_id": "1"})
    assert refused.value.message == missing("res.partner", "1")


def test_over_xmlrpc_and_json2(make_emulator: Any) -> None:
    emu: Emulator = make_emulator(version=19)
    models = xmlrpc.client.ServerProxy(f"{emu.url}/xmlrpc/2/object")
    with models, pytest.raises(xmlrpc.client.Fault) as refused:
        models.execute_kw(emu.db, 2, "admin", "res.partner", "unlink", [["3"]])
    assert refused.value.faultCode == 2
    assert refused.value.faultString == missing("res.partner", "3")
    request = urllib.request.Request(
        f"{emu.url}/json/2/res.partner/write",
        json.dumps({"ids": ["3"], "vals": {"comment": "x"}}).encode(),
        {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {emu.api_key}",
            "X-Odoo-Database": emu.db,
        },
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request)
    assert answer.value.code == 404
    body = json.load(answer.value)
    answer.value.close()
    assert body["name"] == "odoo.exceptions.MissingError"
    assert body["message"] == missing("res.partner", "3")
