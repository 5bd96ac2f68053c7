"""Domain evaluation against the demo data: every operator, prefix logic, paths, NULLs."""

from __future__ import annotations

from typing import Any

import pytest

from odoorm.testing import errors
from odoorm.testing.orm import Database


@pytest.fixture(scope="module")
def db() -> Database:
    return Database(version=18)


def names(db: Database, domain: list, model: str = "res.partner", **kw: Any) -> list[str]:
    rows = db.execute(2, model, "search_read", [domain], {"fields": ["name"], "order": "id", **kw})
    return [r["name"] for r in rows]


def ids(db: Database, domain: list, model: str = "res.partner", **kw: Any) -> list[int]:
    return db.execute(2, model, "search", [domain], {"order": "id", **kw})


def test_eq_ne_and_implicit_and(db: Database) -> None:
    assert names(db, [("name", "=", "Deco Addict")]) == ["Deco Addict"]
    companies = ids(db, [("is_company", "=", True)])
    people = ids(db, [("is_company", "!=", True)])
    assert companies and people and not set(companies) & set(people)
    both = ids(db, [("is_company", "=", True), ("country_id.code", "=", "BE")])
    assert names(db, [("id", "in", both)]) == ["YourCompany Europe", "Bruxelles Design"]


def test_comparisons(db: Database) -> None:
    ranked = ids(db, [("customer_rank", ">", 0)])
    assert ranked and all(
        r["customer_rank"] > 0
        for r in db.execute(2, "res.partner", "read", [ranked], {"fields": ["customer_rank"]})
    )
    assert ids(db, [("id", ">=", 2), ("id", "<=", 4)]) == [2, 3]  # 4 (OdooBot) is archived


def test_in_not_in_with_false(db: Database) -> None:
    top = ids(db, [("parent_id", "=", False)])
    under_1 = ids(db, [("parent_id", "=", 1)])
    assert sorted(ids(db, [("parent_id", "in", [False, 1])])) == sorted(top + under_1)
    assert set(ids(db, [("parent_id", "not in", [False])])).isdisjoint(top)
    # not in without False keeps the NULLs (Odoo adds "OR IS NULL")
    assert set(top) - {1} <= set(ids(db, [("parent_id", "not in", [1])]))
    assert ids(db, [("id", "in", [])]) == []
    assert len(ids(db, ["!", ("id", "in", [])])) == len(ids(db, []))


def test_false_means_not_set(db: Database) -> None:
    unset = ids(db, [("email", "=", False)])
    isset = ids(db, [("email", "!=", False)])
    assert unset and isset and not set(unset) & set(isset)
    assert len(unset) + len(isset) == len(ids(db, []))


def test_like_family(db: Database) -> None:
    assert names(db, [("name", "like", "Deco")]) == ["Deco Addict"]
    assert names(db, [("name", "like", "deco")]) == []
    assert names(db, [("name", "ilike", "deco")]) == ["Deco Addict"]
    assert names(db, [("name", "=like", "D_co%")]) == ["Deco Addict"]
    assert names(db, [("name", "=ilike", "d%")]) == ["Deco Addict", "Douglas Fletcher"]
    assert names(db, [("name", "ilike", "100%")]) == []
    assert names(db, [("name", "ilike", "100\\%")]) == []
    no_a = names(db, [("name", "not ilike", "a")])
    assert no_a and all("a" not in n.lower() for n in no_a)
    # not like keeps NULL emails
    assert set(ids(db, [("email", "=", False)])) <= set(ids(db, [("email", "not like", "@")]))


def test_like_escape_backslash() -> None:
    db = Database(version=18)
    db.execute(2, "res.partner", "create", [{"name": "Growth 100% Ltd"}])
    db.execute(2, "res.partner", "create", [{"name": "Growth 1000 Ltd"}])
    assert names(db, [("name", "ilike", "100\\%")]) == ["Growth 100% Ltd"]
    assert names(db, [("name", "ilike", "100%")]) == ["Growth 100% Ltd", "Growth 1000 Ltd"]


def test_prefix_operators(db: Database) -> None:
    us_or_be = ids(db, ["|", ("country_id.code", "=", "US"), ("country_id.code", "=", "BE")])
    assert set(ids(db, [("country_id.code", "=", "BE")])) < set(us_or_be)
    assert ids(db, ["!", ("is_company", "=", True)]) == ids(db, [("is_company", "=", False)])
    nested = ids(
        db,
        [
            "&",
            "|",
            ("is_company", "=", True),
            ("customer_rank", ">", 0),
            "!",
            ("email", "=", False),
        ],
    )
    assert nested and set(nested) <= set(ids(db, [("email", "!=", False)]))
    assert ids(db, [(1, "=", 1)]) == ids(db, [])
    assert ids(db, [(0, "=", 1)]) == []


def test_paths_and_any(db: Database) -> None:
    with_kids = ids(db, [("child_ids.email", "ilike", "example")])
    assert 15 in with_kids  # Deco Addict's contacts have emails
    any_ = ids(db, [("child_ids", "any", [("email", "!=", False)])])
    not_any = ids(db, [("child_ids", "not any", [("email", "!=", False)])])
    assert set(any_) == set(with_kids) and not set(any_) & set(not_any)
    assert ids(db, [("category_id", "in", [6])]) == ids(
        db, [("category_id.name", "=", "Office Supplies")]
    )


def test_many2one_by_name(db: Database) -> None:
    belgians = ids(db, [("country_id", "ilike", "belg")])
    assert belgians == ids(db, [("country_id.code", "=", "BE")])
    assert set(ids(db, [("country_id", "in", ["Belgium", "United States"])])) == set(
        ids(db, [("country_id.code", "in", ["BE", "US"])])
    )
    assert ids(db, [("country_id", "=", 4)]) == belgians


def test_hierarchy(db: Database) -> None:
    tree = ids(db, [("id", "child_of", 1)])
    assert 1 in tree and 3 in tree  # YourCompany Services is a child company
    assert {r for r in tree} >= set(ids(db, [("parent_id", "=", 1)]))
    assert ids(db, [("id", "parent_of", [9])]) == [1, 3, 9]


def test_active_test(db: Database) -> None:
    archived = db.execute(
        2,
        "res.partner",
        "search_count",
        [[("active", "=", False)]],
        {"context": {"active_test": False}},
    )
    assert archived == 3
    assert db.execute(2, "res.partner", "search_count", [[("name", "=", "Former Contact")]]) == 0
    assert (
        db.execute(
            2,
            "res.partner",
            "search_count",
            [[("name", "=", "Former Contact")]],
            {"context": {"active_test": False}},
        )
        == 1
    )


def test_datetime_vs_date_string(db: Database) -> None:
    total = len(ids(db, [], model="sale.order"))
    assert len(ids(db, [("date_order", ">=", "2024-01-01")], model="sale.order")) == total
    day = db.execute(2, "sale.order", "read", [[1]], {"fields": ["date_order"]})[0]["date_order"][
        :10
    ]
    assert 1 in ids(db, [("date_order", "<=", day)], model="sale.order")
    assert 1 not in ids(db, [("date_order", "<", day)], model="sale.order")


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (18, "Invalid field res.partner.nope in leaf ('nope', '=', 1)"),
        (19, "Invalid field res.partner.nope in condition ('nope', '=', 1)"),
    ],
)
def test_bad_field(version: int, message: str) -> None:
    with pytest.raises(errors.PythonError) as exc:
        Database(version=version).execute(2, "res.partner", "search", [[["nope", "=", 1]]])
    assert exc.value.name == "builtins.ValueError" and exc.value.message == message


def test_bad_operator(db: Database) -> None:
    with pytest.raises(errors.PythonError, match=r"Invalid leaf \('name', '~~', 'x'\)"):
        db.execute(2, "res.partner", "search", [[["name", "~~", "x"]]])
    with pytest.raises(errors.PythonError, match="Invalid operator in condition"):
        Database(version=19).execute(2, "res.partner", "search", [[["name", "~~", "x"]]])


def test_order_nulls_and_m2o(db: Database) -> None:
    asc = db.execute(
        2, "res.partner", "search_read", [[]], {"fields": ["email"], "order": "email, id"}
    )
    desc = db.execute(
        2, "res.partner", "search_read", [[]], {"fields": ["email"], "order": "email desc, id"}
    )
    assert asc[-1]["email"] is False and asc[0]["email"]  # NULLS LAST on ASC
    assert desc[0]["email"] is False and desc[-1]["email"]  # NULLS FIRST on DESC
    by_country = db.execute(
        2,
        "res.partner",
        "search_read",
        [[("is_company", "=", True)]],
        {"fields": ["country_id"], "order": "country_id, id"},
    )
    countries = [r["country_id"][1] for r in by_country if r["country_id"]]
    assert countries == sorted(countries)
    page = ids(db, [], limit=3, offset=2)
    assert page == ids(db, [])[2:5]
