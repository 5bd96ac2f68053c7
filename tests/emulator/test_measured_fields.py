"""res.partner and res.users carry the fields measured on the lab's real 16-19 (issue #12):
counts, attributes and values as the real servers answered (facts kept here, offline)."""

from __future__ import annotations

from typing import Any

import pytest

from odoorm.testing import errors
from odoorm.testing.measured import LEFT_OUT
from odoorm.testing.orm import Database

#: (real fields_get, emulator) per version, measured with contacts + sale_management + demo
#: (the emulator leaves out what measured.LEFT_OUT lists and relations to models it lacks)
COUNTS = {
    16: {"res.partner": (143, 119), "res.users": (204, 140)},
    17: {"res.partner": (150, 117), "res.users": (211, 138)},
    18: {"res.partner": (154, 117), "res.users": (219, 139)},
    19: {"res.partner": (163, 111), "res.users": (211, 140)},
}


@pytest.fixture(params=[16, 17, 18, 19])
def db(request: pytest.FixtureRequest) -> Database:
    return Database(version=request.param)


def call(db: Database, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
    return db.execute(2, model, method, list(args), kwargs)


@pytest.mark.parametrize("model", ["res.partner", "res.users"])
def test_field_counts(db: Database, model: str) -> None:
    real, emulated = COUNTS[db.version][model]
    assert len(call(db, model, "fields_get")) == emulated < real


def test_attributes_as_fields_get_answers(db: Database) -> None:
    fields = call(db, "res.partner", "fields_get")
    assert fields["trust"]["selection"] == [
        ["good", "Good Debtor"],
        ["normal", "Normal Debtor"],
        ["bad", "Bad Debtor"],
    ]
    assert fields["total_invoiced"]["type"] == "monetary"
    assert fields["total_invoiced"]["store"] is False
    assert fields["message_bounce"]["string"] == "Bounce"
    assert fields["ref_company_ids"]["relation"] == "res.company"
    assert fields["ref_company_ids"]["relation_field"] == "partner_id"
    assert ("sale_warn" in fields) is (db.version <= 18)  # 19 dropped the warning selection
    users = call(db, "res.users", "fields_get")
    assert users["notification_type"]["required"] is True
    label = "By Emails" if db.version >= 19 else "Handle by Emails"
    assert users["notification_type"]["selection"][0] == ["email", label]
    assert users["trust"]["store"] is False  # the partner's, through _inherits


def test_values_of_a_database_without_invoices_or_activities(db: Database) -> None:
    fields = ["trust", "total_invoiced", "credit", "activity_state", "message_bounce", "self"]
    fields += ["currency_id", "active_lang_count", "bank_account_count", "tz_offset"]
    row = call(db, "res.partner", "read", [3], fields)[0]
    assert row["trust"] == "normal" and row["total_invoiced"] == 0.0 and row["credit"] == 0.0
    assert row["activity_state"] is False and row["message_bounce"] == 0
    assert row["self"][0] == 3 and row["currency_id"][1] == "USD"
    assert row["active_lang_count"] == 1 and row["bank_account_count"] == 0
    assert row["tz_offset"] == "+0000"  # no tz: UTC
    user = call(db, "res.users", "read", [2], ["notification_type", "trust", "self"])[0]
    assert user["notification_type"] == "email" and user["trust"] == "normal"
    assert user["self"][0] == call(db, "res.users", "read", [2], ["partner_id"])[0]["partner_id"][0]


def test_defaults_are_kept_once_not_per_row(db: Database) -> None:
    """A default that is not the empty value is read, searched, grouped and answered by
    default_get from the table, never copied into the rows."""
    partners = db.table("res.partner")
    assert partners.implicit["trust"] == "normal"
    assert not any("trust" in row for row in partners.rows.values())
    everyone = call(db, "res.partner", "search_count", [])
    assert call(db, "res.partner", "search_count", [["trust", "=", "normal"]]) == everyone
    assert call(db, "res.partner", "default_get", ["trust"]) == {"trust": "normal"}
    new = call(db, "res.partner", "create", {"name": "Bad payer", "trust": "bad"})
    assert call(db, "res.partner", "search", [["trust", "=", "bad"]]) == [new]
    groups = call(db, "res.partner", "read_group", [], ["trust"], ["trust"])
    assert {g["trust"]: g["trust_count"] for g in groups} == {"normal": everyone, "bad": 1}


def test_left_out_fields_are_unknown(db: Database) -> None:
    """A field the emulator cannot value honestly is refused as on a server without it."""
    for fname in ("partner_share", "im_status", "property_account_receivable_id"):
        assert fname not in call(db, "res.partner", "fields_get")
        with pytest.raises(errors.PythonError, match="Invalid field"):
            call(db, "res.partner", "read", [3], [fname])
    assert all(reason for reason in LEFT_OUT.values())
