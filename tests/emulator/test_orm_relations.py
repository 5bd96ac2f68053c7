"""Relations kept consistent from both sides, attachments, and grouping options of the core."""

from __future__ import annotations

import base64
import hashlib

import pytest

from odoorm.testing import errors
from odoorm.testing.orm import Database


@pytest.fixture
def db() -> Database:
    return Database(version=18)


def ex(db: Database, model: str, method: str, *args: object, **kw: object) -> object:
    return db.execute(2, model, method, list(args), dict(kw))


def tags_of(db: Database, pid: int) -> list[int]:
    return ex(db, "res.partner", "read", [pid], fields=["category_id"])[0]["category_id"]


def partners_of(db: Database, tag: int) -> list[int]:
    rows = ex(db, "res.partner.category", "read", [tag], fields=["partner_ids"])
    return sorted(rows[0]["partner_ids"])


def test_many2many_pair_follows_the_partner_side(db: Database) -> None:
    assert 10 not in partners_of(db, 3)
    ex(db, "res.partner", "write", [10], {"category_id": [(4, 3)]})
    assert 10 in partners_of(db, 3)
    ex(db, "res.partner", "write", [10], {"category_id": [(3, 3)]})
    assert 10 not in partners_of(db, 3)
    assert ex(db, "res.partner", "search", [["category_id", "=", 3], ["id", "=", 10]]) == []


def test_many2many_pair_follows_the_tag_side(db: Database) -> None:
    ex(db, "res.partner.category", "write", [3], {"partner_ids": [(6, 0, [16, 17])]})
    assert partners_of(db, 3) == [16, 17]
    assert 3 in tags_of(db, 16) and 3 in tags_of(db, 17)
    ex(db, "res.partner.category", "write", [3], {"partner_ids": [(3, 16)]})
    assert 3 not in tags_of(db, 16)
    found = ex(db, "res.partner.category", "search", [["partner_ids", "in", [17]]])
    assert 3 in found
    tag = ex(
        db,
        "res.partner.category",
        "create",
        {"name": "New tag", "partner_ids": [(0, 0, {"name": "Fresh"}), (4, 17)]},
    )
    [fresh] = ex(db, "res.partner", "search", [["name", "=", "Fresh"]])
    assert partners_of(db, tag) == sorted([17, fresh])
    assert tags_of(db, fresh) == [tag]


def test_unlink_drops_many2many_links_and_a_failed_call_changes_nothing(db: Database) -> None:
    tag = ex(db, "res.partner.category", "create", {"name": "Temp", "partner_ids": [(4, 16)]})
    ex(db, "res.partner.category", "unlink", [tag])
    assert tag not in tags_of(db, 16)
    before = partners_of(db, 2)
    with pytest.raises(errors.OdooServerError):
        ex(db, "res.partner.category", "write", [2], {"partner_ids": [(5,)], "nope": 1})
    assert partners_of(db, 2) == before


def test_seed_values_of_both_sides_are_merged() -> None:
    schema = Database(version=18, data=None)
    data = {
        "models": {
            m: {"fields": schema.tables[m].fields, "records": []}
            for m in ("res.partner", "res.partner.category")
        }
    }
    data["models"]["res.partner"]["records"] = [{"id": 1, "name": "A", "category_id": [1]}]
    data["models"]["res.partner.category"]["records"] = [
        {"id": 1, "name": "T1", "partner_ids": [1]},
        {"id": 2, "name": "T2", "partner_ids": [1]},
    ]
    db = Database(version=18, data=data)
    assert sorted(tags_of(db, 1)) == [1, 2]
    assert partners_of(db, 2) == [1]


def test_one2many_removal_deletes_lines_whose_parent_is_required(db: Database) -> None:
    [order] = ex(
        db, "sale.order", "search_read", [["state", "=", "draft"]], ["order_line"], limit=1
    )
    first = order["order_line"][0]
    ex(db, "sale.order", "write", [order["id"]], {"order_line": [(3, first)]})
    assert ex(db, "sale.order.line", "exists", [first]) == []
    [child] = ex(db, "res.partner", "search", [["parent_id", "!=", False]], limit=1)
    parent = ex(db, "res.partner", "read", [child], fields=["parent_id"])[0]["parent_id"][0]
    ex(db, "res.partner", "write", [parent], {"child_ids": [(3, child)]})
    assert ex(db, "res.partner", "read", [child], fields=["parent_id"])[0]["parent_id"] is False


def test_x2many_set_or_not_and_any_with_an_empty_domain(db: Database) -> None:
    total = ex(db, "res.partner", "search_count", [])
    tagged = ex(db, "res.partner", "search_count", [["category_id", "!=", False]])
    untagged = ex(db, "res.partner", "search_count", [["category_id", "=", False]])
    assert 0 < tagged < total and tagged + untagged == total
    assert ex(db, "res.partner", "search_count", [["category_id", "any", []]]) == tagged
    assert ex(db, "res.partner", "search_count", [["category_id", "not any", []]]) == untagged
    with_children = ex(db, "res.partner", "search_count", [["child_ids", "!=", False]])
    assert ex(db, "res.partner", "search_count", [["child_ids", "any", []]]) == with_children


def test_attachment_create_read(db: Database) -> None:
    payload = b"%PDF-1.4 test\n"
    aid = ex(
        db,
        "ir.attachment",
        "create",
        {
            "name": "t.pdf",
            "datas": base64.b64encode(payload).decode(),
            "res_model": "res.partner",
            "res_id": 10,
        },
    )
    [att] = ex(
        db,
        "ir.attachment",
        "read",
        [aid],
        fields=["datas", "file_size", "checksum", "mimetype", "res_id", "res_name", "type"],
    )
    assert att["file_size"] == len(payload)
    assert att["checksum"] == hashlib.sha1(payload).hexdigest()
    assert att["mimetype"] == "application/pdf" and att["type"] == "binary"
    assert att["res_id"] == 10 and att["res_name"] == "Azure Interior"
    raw = ex(db, "ir.attachment", "create", {"name": "n", "raw": b"\x00\xffbin"})
    [att] = ex(db, "ir.attachment", "read", [raw], fields=["datas", "file_size", "mimetype"])
    assert base64.b64decode(att["datas"]) == b"\x00\xffbin" and att["file_size"] == 5
    assert att["mimetype"] == "application/octet-stream"
    meta = ex(db, "ir.attachment", "fields_get", ["res_id"], ["type"])
    assert meta == {"res_id": {"type": "many2one_reference"}}
    assert ex(
        db, "ir.attachment", "search", [["res_id", "=", 10], ["res_model", "=", "res.partner"]]
    )


def test_read_group_datetime_buckets_follow_the_context_tz(db: Database) -> None:
    ids = ex(db, "sale.order", "search", [], limit=2)
    ex(db, "sale.order", "write", ids, {"date_order": "2026-03-31 23:30:00"})
    dom = [["id", "in", ids]]

    def months(tz: str | None) -> list[tuple[str, dict]]:
        ctx = {"tz": tz} if tz else {}
        rows = ex(
            db, "sale.order", "read_group", dom, [], ["date_order:month"], lazy=False, context=ctx
        )
        return [(g["date_order:month"], g["__range"]["date_order:month"]) for g in rows]

    assert months(None) == [
        ("March 2026", {"from": "2026-03-01 00:00:00", "to": "2026-04-01 00:00:00"})
    ]
    assert months("Europe/Brussels") == [
        ("April 2026", {"from": "2026-03-31 22:00:00", "to": "2026-04-30 22:00:00"})
    ]
    assert months("Not/AZone") == months(None)


def test_read_group_many2one_path(db: Database) -> None:
    rows = ex(db, "sale.order", "read_group", [], [], ["partner_id.country_id"], lazy=False)
    assert sum(r["__count"] for r in rows) == ex(db, "sale.order", "search_count", [])
    first = rows[0]
    cid = first["partner_id.country_id"][0]
    assert first["__domain"] == [["partner_id.country_id", "=", cid]]
    assert ex(db, "sale.order", "search_count", first["__domain"]) == first["__count"]
    with pytest.raises(errors.OdooServerError, match="Only many2one path"):
        ex(db, "sale.order", "read_group", [], [], ["order_line.name"], lazy=False)
    old = Database(version=17)
    with pytest.raises(errors.OdooServerError, match=r"Invalid field 'partner_id\.country_id'"):
        ex(old, "sale.order", "read_group", [], [], ["partner_id.country_id"], lazy=False)


def test_country_group_codes_derived_when_groups_are_loaded() -> None:
    base = Database(version=19, data=None)
    country_fields = dict(base.tables["res.country"].fields)
    country_fields["country_group_ids"] = {
        "type": "many2many",
        "string": "Country Groups",
        "relation": "res.country.group",
    }
    country_fields["country_group_codes"] = {"type": "json", "string": "Codes", "store": False}
    data = {
        "models": {
            "res.country.group": {
                "fields": {"name": {"type": "char"}, "code": {"type": "char"}},
                "records": [{"id": 4, "name": "SEPA", "code": "SEPA"}, {"id": 5, "name": "X"}],
            },
            "res.country": {
                "fields": country_fields,
                "records": [
                    {"id": 1, "name": "Andorra", "code": "AD", "country_group_ids": [4, 5]},
                    {"id": 2, "name": "Nowhere", "code": "NW", "country_group_ids": []},
                ],
            },
        }
    }
    db = Database(version=19, data=data)
    rows = ex(db, "res.country", "read", [1, 2], fields=["country_group_codes"])
    assert [r["country_group_codes"] for r in rows] == [["SEPA"], False]
