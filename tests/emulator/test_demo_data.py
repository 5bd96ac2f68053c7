"""The built-in demo data, seed loading, and the generator (with benchmark figures printed)."""

from __future__ import annotations

import time

import pytest

from odoorm.testing.demo import demo_data
from odoorm.testing.orm import Database

from .replay_util import RECORDINGS, seed


def test_demo_models_and_shape() -> None:
    data = demo_data()
    models = data["models"]
    for m in (
        "res.country",
        "res.currency",
        "res.company",
        "res.users",
        "res.partner",
        "res.partner.category",
        "res.partner.industry",
        "product.template",
        "product.product",
        "uom.uom",
        "sale.order",
        "sale.order.line",
        "ir.attachment",
        "ir.config_parameter",
    ):
        assert models[m]["fields"] and "type" in models[m]["fields"]["id"], m
    assert len(models["res.country"]["records"]) == 20
    assert len(models["res.company"]["records"]) == 3
    assert len(models["product.product"]["records"]) == 15
    assert len(models["sale.order"]["records"]) == 20
    pf = models["res.partner"]["fields"]
    assert pf["parent_id"]["relation"] == "res.partner"
    assert pf["child_ids"]["relation_field"] == "parent_id"
    assert ["contact", "Contact"] in pf["type"]["selection"]


def test_demo_database() -> None:
    db = Database()
    assert db.authenticate("admin", "admin") == 2 and db.authenticate("demo", "demo") == 6
    states = {
        r["state"] for r in db.execute(2, "sale.order", "search_read", [[]], {"fields": ["state"]})
    }
    assert {"draft", "sent", "sale", "cancel"} <= states
    # a three-level hierarchy: company > contact > invoice address
    deep = db.execute(
        2,
        "res.partner",
        "search_read",
        [[("type", "=", "invoice")]],
        {"fields": ["parent_id", "commercial_partner_id", "display_name"], "limit": 1},
    )[0]
    parent = db.execute(
        2, "res.partner", "read", [[deep["parent_id"][0]]], {"fields": ["parent_id"]}
    )[0]
    assert parent["parent_id"] and deep["commercial_partner_id"][0] == parent["parent_id"][0]
    assert Database(data=None).execute(2, "sale.order", "search_count", [[]]) == 0


@pytest.mark.parametrize("version", [17, 18, 19])
def test_seed_loads(version: int) -> None:
    if not (RECORDINGS / f"odoo{version}" / "seed.json").exists():
        pytest.skip("recordings absent")
    data = seed(version)
    db = Database(version=version, data=data)
    for model, spec in data["models"].items():
        assert db.execute(
            2, model, "search_count", [[]], {"context": {"active_test": False}}
        ) == len(spec["records"])
    row = db.execute(2, "res.partner", "read", [[1]], {"fields": ["display_name"]})[0]
    assert row["display_name"]


def test_generate_is_deterministic_and_fast_enough() -> None:
    a, b = Database(), Database()
    a.generate(partners=300, orders=50, seed=7)
    b.generate(partners=300, orders=50, seed=7)
    fields = ["name", "email", "parent_id", "country_id", "category_id", "display_name"]
    rows_a = a.execute(2, "res.partner", "search_read", [[]], {"fields": fields, "order": "id"})
    assert rows_a == b.execute(
        2, "res.partner", "search_read", [[]], {"fields": fields, "order": "id"}
    )
    assert a.execute(2, "sale.order", "search_count", [[]]) == 70

    big = Database()
    big.generate(partners=20_000, orders=1_000, seed=0)
    t0 = time.perf_counter()
    rows = big.execute(
        2,
        "res.partner",
        "search_read",
        [[("is_company", "=", False)]],
        {"fields": fields, "limit": 1000, "order": "id"},
    )
    t1 = time.perf_counter()
    n = big.execute(
        2,
        "res.partner",
        "search_count",
        [["|", ("email", "ilike", "example"), ("country_id.code", "=", "BE")]],
    )
    t2 = time.perf_counter()
    assert len(rows) == 1000 and n > 0
    print(
        f"\nsearch_read 1000x6 over 20k partners: {(t1 - t0) * 1000:.1f} ms; "
        f"domain over 20k: {(t2 - t1) * 1000:.1f} ms"
    )
