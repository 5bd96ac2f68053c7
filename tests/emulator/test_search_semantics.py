"""Search semantics checked against Odoo's source where the recordings have no case: empty
and False like patterns, escapes, False on numbers, explicit NULLS placement, order errors,
limit/offset edges, web_search_read length, child_of and archived children."""

from __future__ import annotations

import re
from typing import Any

import pytest

from odoorm.testing import errors
from odoorm.testing.orm import Database


@pytest.fixture(scope="module", params=[17, 18, 19])
def db(request: pytest.FixtureRequest) -> Database:
    return Database(version=request.param)


def search(db: Database, domain: list, **kw: Any) -> list[int]:
    return db.execute(2, "res.partner", "search", [domain], {"order": "id", **kw})


def test_empty_like_pattern_matches_everything(db: Database) -> None:
    everyone = search(db, [])
    no_email = search(db, [("email", "=", False)])
    assert no_email  # the demo data has partners without an email
    # ('f', 'ilike', '') is TRUE on every version (17: ILIKE '%%' OR IS NULL)
    assert search(db, [("email", "ilike", "")]) == everyone
    assert search(db, [("email", "like", "")]) == everyone
    # 17 keeps the NULLs of "NOT ILIKE '%%' OR IS NULL"; 18+ make it FALSE
    expected = no_email if db.version == 17 else []
    assert search(db, [("email", "not ilike", "")]) == expected


def test_like_false_pattern(db: Database) -> None:
    everyone = search(db, [])
    no_email = search(db, [("email", "=", False)])
    if db.version >= 18:
        assert search(db, [("email", "ilike", False)]) == everyone
        assert search(db, [("email", "not ilike", False)]) == []
        # =ilike with an empty pattern is "not set"
        assert search(db, [("email", "=ilike", "")]) == no_email
    else:
        # 17 searches the text 'False' plus the NULLs
        assert search(db, [("email", "ilike", False)]) == no_email
        assert search(db, [("email", "not ilike", False)]) == everyone
        assert search(db, [("email", "=ilike", "")]) == []


def test_like_escapes_and_anchoring(db: Database) -> None:
    assert search(db, [("name", "=like", "Deco%")]) == search(db, [("name", "=", "Deco Addict")])
    assert search(db, [("name", "=like", "Deco")]) == []  # anchored: no implicit %
    assert search(db, [("name", "like", "D_co")]) == search(db, [("name", "=", "Deco Addict")])
    assert search(db, [("name", "like", "D\\_co")]) == []  # escaped: a literal underscore


def test_like_wraps_before_reading_escapes() -> None:
    db = Database(version=18)
    pct = db.execute(2, "res.partner", "create", [{"name": "Ends abc%"}])
    slash = db.execute(2, "res.partner", "create", [{"name": "Ends abc\\ here"}])
    street = db.execute(2, "res.partner", "create", [{"name": "Hauptstraße 1"}])

    def find(op: str, value: str) -> list[int]:
        return db.execute(2, "res.partner", "search", [[("name", op, value)]], {"order": "id"})

    # Odoo sends '%abc\%': the trailing backslash escapes the closing wildcard
    assert find("like", "abc\\") == [pct]
    assert find("like", "abc\\\\") == [slash]  # an escaped backslash is a backslash
    # ILIKE lower-cases; it does not fold ß into ss
    assert find("ilike", "STRASSE") == []
    assert find("ilike", "straße") == [street]


def test_false_on_numbers_is_zero_from_18(db: Database) -> None:
    zero = search(db, [("customer_rank", "=", 0)])
    ranked = search(db, [("customer_rank", ">", 0)])
    assert zero and ranked
    if db.version >= 18:
        # Odoo 18+: (f = 0 OR f IS NULL), and its negation f != 0
        assert search(db, [("customer_rank", "=", False)]) == zero
        assert search(db, [("customer_rank", "in", [False])]) == zero
        assert search(db, [("customer_rank", "!=", False)]) == ranked
        assert search(db, [("customer_rank", "not in", [False])]) == ranked
    else:
        # 17: IS NULL, and an integer column is never NULL
        assert search(db, [("customer_rank", "=", False)]) == []
        assert search(db, [("customer_rank", "!=", False)]) == sorted(zero + ranked)


def test_explicit_nulls_placement(db: Database) -> None:
    def emails(order: str) -> list[Any]:
        rows = db.execute(
            2, "res.partner", "search_read", [[]], {"fields": ["email"], "order": order}
        )
        return [r["email"] for r in rows]

    default_asc, default_desc = emails("email"), emails("email desc")
    assert default_asc[-1] is False and default_asc[0] is not False
    assert default_desc[0] is False
    first = emails("email asc nulls first")
    assert first[0] is False and first[-1] is not False
    assert [e for e in first if e] == [e for e in default_asc if e]
    last = emails("email desc NULLS LAST")
    assert last[-1] is False and last[0] is not False
    assert [e for e in last if e] == [e for e in default_desc if e]


def test_order_errors_say_what_is_wrong(db: Database) -> None:
    with pytest.raises(
        errors.PythonError, match=re.escape("Invalid field 'nope' on model 'res.partner'")
    ):
        search(db, [], order="nope desc")
    with pytest.raises(
        errors.UserError, match=re.escape('Invalid "order" specified (name sideways)')
    ):
        search(db, [], order="name sideways")
    with pytest.raises(errors.UserError, match=re.escape('Invalid "order" specified (name,)')):
        search(db, [], order="name,")  # Odoo's pattern refuses an empty term


def test_limit_zero_and_offset_past_the_end(db: Database) -> None:
    everyone = search(db, [])
    assert search(db, [], limit=0) == everyone  # LIMIT is only added when truthy
    assert db.execute(2, "res.partner", "search_count", [[]], {"limit": 0}) == len(everyone)
    assert search(db, [], offset=len(everyone) + 5) == []
    # web_search_read answers length 0 for an empty page, past the end included
    page = db.execute(
        2,
        "res.partner",
        "web_search_read",
        [[]],
        {"specification": {"name": {}}, "offset": len(everyone) + 5, "limit": 10},
    )
    assert page == {"length": 0, "records": []}


def test_web_search_read_count_limit(db: Database) -> None:
    total = len(search(db, []))
    spec = {"specification": {"name": {}}}
    full = db.execute(2, "res.partner", "web_search_read", [[]], {**spec, "limit": 10})
    assert full["length"] == total
    capped = db.execute(
        2, "res.partner", "web_search_read", [[]], {**spec, "limit": 10, "count_limit": 20}
    )
    assert capped["length"] == 20
    # count_limit already reached by the page: no count, the page's end is the length
    reached = db.execute(
        2, "res.partner", "web_search_read", [[]], {**spec, "limit": 10, "count_limit": 5}
    )
    assert reached["length"] == 10


def test_child_of_through_the_field_itself(db: Database) -> None:
    # a many2one to the same model is the hierarchy link, and the result is "id in ...":
    # the record named in the condition is part of it, like ('id', 'child_of', 15)
    family = search(db, [("id", "child_of", 15)])
    assert 15 in family and len(family) > 1
    assert search(db, [("parent_id", "child_of", 15)]) == family
    leaf = max(family)
    ancestors = search(db, [("id", "parent_of", leaf)])
    assert 15 in ancestors and leaf in ancestors
    assert search(db, [("parent_id", "parent_of", leaf)]) == ancestors
    # through another model, the comodel's hierarchy: orders of the company or its contacts
    orders = db.execute(2, "sale.order", "search", [[("partner_id", "child_of", 15)]])
    in_family = db.execute(2, "sale.order", "search", [[("partner_id", "in", family)]])
    assert sorted(orders) == sorted(in_family)


def test_child_of_names_are_name_searched_each(db: Database) -> None:
    by_name = search(db, [("id", "child_of", "deco addict")])
    assert by_name == search(db, [("id", "child_of", 15)])
    # a list of names is an ilike per name, not an exact match
    both = search(db, [("id", "child_of", ["deco", "yourcompany"])])
    assert set(both) == set(by_name) | set(search(db, [("id", "child_of", "YourCompany")]))


@pytest.mark.parametrize("version", [17, 18, 19])
def test_child_ids_and_archived_contacts(version: int) -> None:
    """res.partner.child_ids has domain [('active', '=', True)]. Odoo applies it to ids given
    to 'in' (17+) and to 'any' and paths (18+); '= False' looks for lines with the context's
    active_test on 18+ and with active_test=False on 17; reads always apply it."""
    db = Database(version=version)
    company = db.execute(2, "res.partner", "create", [{"name": "Holding", "is_company": True}])
    kid = db.execute(2, "res.partner", "create", [{"name": "Zed Only", "parent_id": company}])
    assert db.execute(2, "res.partner", "search", [[("child_ids", "=", kid)]]) == [company]
    db.execute(2, "res.partner", "write", [[kid], {"active": False}])
    no_test = {"context": {"active_test": False}}

    def search(domain: list, **kw: Any) -> list[int]:
        return db.execute(2, "res.partner", "search", [domain], kw)

    for kw in ({}, no_test):
        assert search([("child_ids", "in", [kid])], **kw) == []
        read = db.execute(2, "res.partner", "read", [[company], ["child_ids"]], kw)
        assert read[0]["child_ids"] == []
    assert search([("child_ids.name", "=", "Zed Only")]) == []
    through_path = search([("child_ids.name", "=", "Zed Only")], **no_test)
    through_any = search([("child_ids", "any", [("name", "=", "Zed Only")])], **no_test)
    assert through_path == through_any == ([] if version >= 18 else [company])
    assert (company in search([("child_ids", "=", False)])) == (version >= 18)
    assert company not in search([("child_ids", "=", False)], **no_test)
    # the contact itself is still found with active_test=False
    assert search([("id", "=", kid)], **no_test) == [kid]
