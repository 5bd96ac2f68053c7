"""read_group / formatted_read_group of the emulator core."""

from __future__ import annotations

from typing import Any

import pytest

from odoorm.testing import errors
from odoorm.testing.orm import Database
from odoorm.testing.read_group import and_domains, bucket


def test_bucket_labels() -> None:
    assert bucket("2026-10-28 10:00:00", "month")[2] == "October 2026"
    start, end, label = bucket("2026-10-28 10:00:00", "week")
    assert (str(start), str(end), label) == ("2026-10-25", "2026-11-01", "W44 2026")
    assert bucket("2026-11-02", "quarter")[2] == "Q4 2026"
    assert bucket("2026-11-02", "day")[2] == "02 Nov 2026"
    assert bucket("2026-11-02", "year")[2] == "2026"
    assert bucket("2026-12-29", "week")[2] == "W1 2027"  # the week holding Jan 1 is week 1


def test_and_domains_per_version() -> None:
    g1, g2 = ["&", ["d", ">=", "a"], ["d", "<", "b"]], ["&", ["d", ">=", "c"], ["d", "<", "e"]]
    assert and_domains(18, [[], g1, g2]) == ["&", *g1, *g2]
    assert and_domains(19, [[], g1, g2]) == ["&", "&", "&", g1[1], g1[2], g2[1], g2[2]]
    assert and_domains(18, [[["x", "=", 1]], [["y", "=", 2]]]) == [
        "&",
        ["x", "=", 1],
        ["y", "=", 2],
    ]


def test_group_by_m2o_non_lazy() -> None:
    db = Database(version=18)
    groups = db.execute(
        2,
        "res.partner",
        "read_group",
        [[("is_company", "=", True)], ["customer_rank:sum"], ["country_id"]],
        {"lazy": False, "orderby": "country_id"},
    )
    labels = [g["country_id"][1] for g in groups if g["country_id"]]
    assert labels == sorted(labels)
    be = next(g for g in groups if g["country_id"] and g["country_id"][1] == "Belgium")
    assert be["__count"] == 2 and isinstance(be["customer_rank"], int)
    assert be["__domain"] == [
        "&",
        ["is_company", "=", True],
        ["country_id", "=", be["country_id"][0]],
    ]
    assert sum(g["__count"] for g in groups) == db.execute(
        2, "res.partner", "search_count", [[("is_company", "=", True)]]
    )


def test_lazy_and_dates() -> None:
    db = Database(version=18)
    lazy = db.execute(
        2, "sale.order", "read_group", [[], ["amount_total:sum"], ["partner_id", "state"]], {}
    )
    assert "partner_id_count" in lazy[0] and lazy[0]["__context"] == {"group_by": ["state"]}
    assert lazy[0]["__domain"] == [["partner_id", "=", lazy[0]["partner_id"][0]]]
    months = db.execute(
        2,
        "sale.order",
        "read_group",
        [[], ["amount_total:sum", "partner_id:count_distinct"], ["date_order:month"]],
        {"lazy": False},
    )
    assert [g["date_order:month"] for g in months] == [
        "July 2024",
        "August 2024",
        "September 2024",
        "October 2024",
        "November 2024",
    ]
    assert months[0]["__range"]["date_order:month"] == {
        "from": "2024-07-01 00:00:00",
        "to": "2024-08-01 00:00:00",
    }
    total = sum(
        r["amount_total"]
        for r in db.execute(2, "sale.order", "search_read", [[]], {"fields": ["amount_total"]})
    )
    assert round(sum(g["amount_total"] for g in months), 2) == round(total, 2)
    states = db.execute(
        2, "sale.order", "read_group", [[], ["amount_total:sum"], ["state"]], {"lazy": False}
    )
    assert [g["state"] for g in states] == sorted(g["state"] for g in states)


def test_formatted_read_group_19_only() -> None:
    db = Database(version=19)
    rows = db.execute(
        2,
        "sale.order",
        "formatted_read_group",
        [],
        {"domain": [], "groupby": ["state"], "aggregates": ["amount_total:sum", "__count"]},
    )
    assert list(rows[0]) == ["state", "__extra_domain", "amount_total:sum", "__count"]
    assert rows[0]["__extra_domain"] == [["state", "=", rows[0]["state"]]]
    with pytest.raises(errors.UnknownMethod):
        Database(version=18).execute(2, "sale.order", "formatted_read_group", [], {"domain": []})


@pytest.fixture(scope="module")
def sales() -> Database:
    db = Database(version=18)
    db.generate(partners=100, orders=30, seed=1)
    return db


def test_read_group_orders_by_aggregate_with_limit(sales: Database) -> None:
    def call(**kw: Any) -> Any:
        return sales.execute(
            2, "sale.order", "read_group", [[], ["amount_total:sum"], ["partner_id"]], kw
        )

    everyone = call()
    best = sorted(everyone, key=lambda g: -g["amount_total"])[:3]
    top = call(orderby="amount_total desc", limit=3)
    assert [g["amount_total"] for g in top] == [g["amount_total"] for g in best]
    assert call(orderby="__count desc", limit=1)[0]["partner_id_count"] == max(
        g["partner_id_count"] for g in everyone
    )


def test_read_group_refuses_an_order_it_cannot_sort_by(sales: Database) -> None:
    with pytest.raises(errors.PythonError) as caught:
        sales.execute(
            2, "sale.order", "read_group", [[], ["amount_total:sum"], ["state"]],
            {"orderby": "amount_untaxed desc"},
        )  # fmt: skip
    assert str(caught.value) == (
        "Order term 'amount_untaxed desc' is not a valid aggregate nor valid groupby"
    )
