"""ORM methods of the emulator core, called through ``Database.execute`` / ``call_json2``."""

from __future__ import annotations

import re
import threading

import pytest

from odoorm.testing import errors
from odoorm.testing.orm import Database


@pytest.fixture
def db() -> Database:
    return Database(version=18)


def ex(db: Database, model: str, method: str, *args: object, uid: int = 2, **kw: object) -> object:
    return db.execute(uid, model, method, list(args), dict(kw))


def test_read_shapes(db: Database) -> None:
    [row] = ex(
        db, "res.partner", "read", [16], fields=["name", "parent_id", "category_id", "display_name"]
    )
    assert row == {
        "id": 16,
        "name": "Addison Olson",
        "parent_id": [15, "Deco Addict"],
        "category_id": [],
        "display_name": "Deco Addict, Addison Olson",
    }
    [row] = ex(db, "res.partner", "read", [16], fields=["parent_id"], load=None)
    assert row["parent_id"] == 15
    assert ex(db, "res.partner", "read", [99999999], fields=["name"]) == []
    full = ex(db, "res.country", "read", [1])
    assert full[0]["code"] == "AR" and "create_date" in full[0]


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (18, "Invalid field 'nope' on model 'res.partner'"),
        (19, "Invalid field 'nope' on 'res.partner'"),
    ],
)
def test_read_unknown_field(version: int, message: str) -> None:
    with pytest.raises(errors.PythonError) as exc:
        Database(version=version).execute(2, "res.partner", "read", [[1]], {"fields": ["nope"]})
    assert exc.value.message == message


def test_create_dict_and_list(db: Database) -> None:
    rid = ex(db, "res.partner", "create", {"name": "Solo", "category_id": [(6, 0, [1, 2])]})
    assert isinstance(rid, int)
    many = ex(db, "res.partner", "create", [{"name": "A"}, {"name": "B", "parent_id": rid}])
    assert many == [rid + 1, rid + 2]
    [b] = ex(
        db,
        "res.partner",
        "read",
        [rid + 2],
        fields=["display_name", "create_date", "create_uid", "active"],
    )
    assert b["display_name"] == "Solo, B" and b["active"] is True
    assert b["create_uid"][0] == 2 and len(b["create_date"]) == 19


def test_required_and_selection_errors() -> None:
    for version, start in (
        (18, "The operation cannot be completed:\n- Create/update"),
        (
            19,
            "The operation cannot be completed: Missing required value for the field "
            "'Customer' (partner_id).",
        ),
    ):
        db = Database(version=version)
        with pytest.raises(errors.ValidationError) as exc:
            db.execute(2, "sale.order", "create", [{"note": "x"}], {})
        assert exc.value.message.startswith(start)
    db = Database(version=18)
    with pytest.raises(errors.ValidationError) as exc:
        db.execute(2, "sale.order", "create", [{"note": "x"}], {})
    assert exc.value.message.endswith(
        "Model: Sales Order (sale.order)\nField: Customer (partner_id)\n"
    )
    with pytest.raises(
        errors.PythonError, match=re.escape("Wrong value for res.partner.type: 'not-a-type'")
    ):
        db.execute(2, "res.partner", "write", [[1], {"type": "not-a-type"}], {})


def test_write_missing_and_unknown_field(db: Database) -> None:
    with pytest.raises(errors.MissingError) as exc:
        ex(db, "res.partner", "write", [99999999], {"name": "ghost"})
    assert exc.value.message == (
        "Record does not exist or has been deleted.\n(Record: res.partner(99999999,), User: 2)"
    )
    with pytest.raises(
        errors.PythonError, match=re.escape("Invalid field 'nope' on model 'res.partner'")
    ):
        ex(db, "res.partner", "write", [1], {"nope": 1})
    with pytest.raises(errors.PythonError) as exc19:
        Database(version=19).execute(2, "res.partner", "write", [[1], {"nope": 1}], {})
    assert exc19.value.name == "builtins.KeyError"


def test_x2many_commands(db: Database) -> None:
    pid = ex(
        db,
        "res.partner",
        "create",
        {"name": "Cmd Co", "is_company": True, "category_id": [[6, 0, [1, 2]]]},
    )
    ex(db, "res.partner", "write", [pid], {"category_id": [(4, 3), (3, 1)]})
    assert ex(db, "res.partner", "read", [pid], fields=["category_id"])[0]["category_id"] == [3, 2]
    ex(
        db,
        "res.partner",
        "write",
        [pid],
        {"child_ids": [[0, 0, {"name": "Kid"}], (0, 0, {"name": "Ann"})]},
    )
    kids = ex(db, "res.partner", "read", [pid], fields=["child_ids"])[0]["child_ids"]
    assert len(kids) == 2
    assert [r["name"] for r in ex(db, "res.partner", "read", kids, fields=["name"])] == [
        "Ann",
        "Kid",
    ]
    ex(db, "res.partner", "write", [pid], {"child_ids": [(1, kids[0], {"email": "ann@x.example"})]})
    assert ex(db, "res.partner", "read", [kids[0]], fields=["email"])[0]["email"] == "ann@x.example"
    ex(db, "res.partner", "write", [pid], {"child_ids": [(2, kids[1])]})
    assert ex(db, "res.partner", "read", [kids[1]], fields=["name"]) == []
    ex(db, "res.partner", "write", [pid], {"category_id": [(5, 0, 0)]})
    assert ex(db, "res.partner", "read", [pid], fields=["category_id"])[0]["category_id"] == []
    ex(
        db,
        "res.partner",
        "write",
        [pid],
        {"category_id": [(6, 0, [7, 5])], "child_ids": [(3, kids[0])]},
    )
    row = ex(db, "res.partner", "read", [pid], fields=["category_id", "child_ids"])[0]
    assert row["category_id"] == [7, 5] and row["child_ids"] == []  # tags in name order


def test_failed_call_rolls_back(db: Database) -> None:
    before = ex(db, "res.partner", "search_count", [])
    with pytest.raises(errors.PythonError):
        ex(db, "res.partner", "create", [{"name": "ok"}, {"name": "bad", "type": "nope"}])
    assert ex(db, "res.partner", "search_count", []) == before


def test_unlink_copy_exists(db: Database) -> None:
    pid = ex(db, "res.partner", "create", {"name": "Temp"})
    assert ex(db, "res.partner", "unlink", [pid]) is True
    with pytest.raises(errors.MissingError):
        ex(db, "res.partner", "unlink", [pid])
    assert ex(db, "res.partner", "exists", [1, pid]) == [1]
    new = ex(db, "res.partner", "copy", [15])
    assert (
        isinstance(new, list)
        and ex(db, "res.partner", "read", new, fields=["name"])[0]["name"] == "Deco Addict (copy)"
    )
    assert isinstance(Database(version=17).execute(2, "res.partner", "copy", [[15]], {}), int)
    with pytest.raises(
        errors.AccessError, match=r"Private methods \(such as 'res.partner.exists'\)"
    ):
        Database(version=19).execute(2, "res.partner", "exists", [[1]], {})


def test_unknown_and_private(db: Database) -> None:
    with pytest.raises(errors.UnknownModel, match=re.escape("Object no.such doesn't exist")):
        ex(db, "no.such", "search", [])
    with pytest.raises(
        errors.UnknownMethod,
        match=re.escape("The method 'nope' does not exist on the model 'res.partner'"),
    ):
        ex(db, "res.partner", "nope", [])
    with pytest.raises(
        errors.UnknownMethod, match=re.escape("The method 'res.partner.nope' does not exist")
    ):
        Database(version=19).execute(2, "res.partner", "nope", [[]], {})
    with pytest.raises(
        errors.AccessError, match=r"Private methods \(such as _search\) cannot be called remotely."
    ):
        ex(db, "res.partner", "_search", [])


def test_name_search_default_get_check_access(db: Database) -> None:
    found = ex(db, "res.partner", "name_search", name="deco", limit=5)
    assert found[0] == [15, "Deco Addict"] and all("Deco Addict" in n for _, n in found)
    got = ex(db, "sale.order", "default_get", ["state", "date_order"])
    assert got["state"] == "draft" and len(got["date_order"]) == 19
    assert ex(db, "res.partner", "check_access_rights", "write", raise_exception=False) is True
    assert (
        ex(db, "ir.config_parameter", "check_access_rights", "read", uid=6, raise_exception=False)
        is False
    )


def test_web_search_read_and_web_read(db: Database) -> None:
    spec = {
        "name": {},
        "country_id": {"fields": {"code": {}}},
        "category_id": {"fields": {"name": {}}},
        "child_ids": {"fields": {"name": {}}},
        "parent_id": {},
    }
    res = ex(
        db, "res.partner", "web_search_read", [("is_company", "=", True)], spec, limit=2, order="id"
    )
    assert res["length"] == ex(db, "res.partner", "search_count", [("is_company", "=", True)])
    first = res["records"][0]
    assert first["country_id"] == {"id": 20, "code": "US"} and first["parent_id"] is False
    assert all(set(c) == {"id", "name"} for c in first["child_ids"])
    [one] = ex(db, "res.partner", "web_read", [16], {"parent_id": {}, "category_id": {}})
    assert one == {"id": 16, "parent_id": 15, "category_id": []}


def test_access_rules(db: Database) -> None:
    msg = (
        "You are not allowed to access 'System Parameter' (ir.config_parameter) records.\n\n"
        "This operation is allowed for the following groups:\n\t- Administration/Settings\n\n"
        "Contact your administrator to request access if necessary."
    )
    with pytest.raises(errors.AccessError) as exc:
        ex(db, "ir.config_parameter", "search_read", [], fields=["key"], uid=6)
    assert exc.value.message == msg
    with pytest.raises(errors.AccessError, match=r"not allowed to modify 'User' \(res.users\)"):
        ex(db, "res.users", "write", [1], {"name": "x"}, uid=6)
    db.set_access("res.partner", "demo", "r")
    with pytest.raises(errors.AccessError, match=re.escape("not allowed to create 'Contact'")):
        ex(db, "res.partner", "create", {"name": "x"}, uid=6)
    assert ex(db, "res.partner", "search_count", [], uid=6) > 0


def test_sale_order_flow(db: Database) -> None:
    oid = ex(
        db,
        "sale.order",
        "create",
        {
            "partner_id": 15,
            "order_line": [
                (0, 0, {"product_id": 1, "product_uom_qty": 5, "price_unit": 100.0}),
                (0, 0, {"product_id": 2, "product_uom_qty": 10, "price_unit": 25.5}),
            ],
        },
    )
    [order] = ex(
        db, "sale.order", "read", [oid], fields=["name", "amount_total", "state", "order_line"]
    )
    assert (
        order["amount_total"] == 755.0
        and order["state"] == "draft"
        and order["name"] == f"S{oid:05d}"
    )
    assert ex(db, "sale.order", "action_confirm", [oid]) is True
    with pytest.raises(
        errors.UserError, match=re.escape("Some orders are not in a state requiring confirmation.")
    ):
        ex(db, "sale.order", "action_confirm", [oid])
    with pytest.raises(errors.UserError, match=re.escape("You can not delete a sent quotation")):
        ex(db, "sale.order", "unlink", [oid])
    wizard = ex(db, "sale.order", "action_cancel", [oid])
    assert isinstance(wizard, dict) and wizard["res_model"] == "sale.order.cancel"
    assert (
        ex(db, "sale.order", "action_cancel", [oid], context={"disable_cancel_warning": True})
        is True
    )
    assert ex(db, "sale.order", "unlink", [oid]) is True
    assert ex(db, "sale.order.line", "search", [("order_id", "=", oid)]) == []


def test_registered_method(db: Database) -> None:
    db.register_method(
        "res.partner", "shout", lambda db_, table, ids, word="hi": [f"{word}!"] * len(ids)
    )
    assert ex(db, "res.partner", "shout", [1, 2], word="yo") == ["yo!", "yo!"]


def test_authenticate_and_api_key(db: Database) -> None:
    assert db.authenticate("admin", "admin") == 2
    assert db.authenticate("demo", "demo") == 6
    assert db.authenticate("admin", db.api_key) == 2 and db.uid_for_api_key(db.api_key) == 2
    assert db.authenticate("admin", "wrong") is None and db.authenticate("nobody", "x") is None
    assert db.api_key not in repr(db)


def test_json2_binding(db: Database) -> None:
    assert (
        db.call_json2(2, "res.partner", "search_count", {"domain": [("is_company", "=", True)]}) > 0
    )
    with pytest.raises(
        errors.UnprocessableEntity, match=re.escape("missing a required argument: 'vals_list'")
    ):
        db.call_json2(2, "res.partner", "create", {"vals": {"name": "x"}})
    with pytest.raises(
        errors.UnprocessableEntity, match=re.escape("cannot call res.partner.search with ids")
    ):
        db.call_json2(2, "res.partner", "search", {"ids": [1], "domain": []})
    assert db.call_json2(2, "res.partner", "read", {"ids": [1], "fields": ["name"]})[0]["id"] == 1
    sig = db.method_signature("res.partner", "create")
    assert sig == {"params": ["vals_list"], "required": ["vals_list"], "model_method": True}


def test_context_lang() -> None:
    with pytest.raises(errors.UserError, match=re.escape("Invalid language code: fr_FR")):
        Database(version=18).execute(
            2, "res.country", "search", [[]], {"context": {"lang": "fr_FR"}}
        )
    assert Database(version=17).execute(
        2, "res.country", "search", [[]], {"context": {"lang": "fr_FR"}}
    )


def test_display_name_follows_parent_rename(db: Database) -> None:
    ex(db, "res.partner", "write", [15], {"name": "Deco Addicts"})
    assert (
        ex(db, "res.partner", "read", [16], fields=["display_name"])[0]["display_name"]
        == "Deco Addicts, Addison Olson"
    )


def test_concurrent_creates(db: Database) -> None:
    out: list[int] = []

    def work() -> None:
        for i in range(50):
            out.append(ex(db, "res.partner", "create", {"name": f"T{i}"}))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(out)) == 200
