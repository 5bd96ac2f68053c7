"""Behaviours OdooRPC's own live suite relies on, which real Odoo 16-19 have (measured with
``benchmarks/peer_suite.py``); asserted here without OdooRPC."""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import pytest

from odoorm.testing import Emulator


@pytest.mark.parametrize("version", [16, 17, 18, 19])
def test_a_login_stamps_login_date_and_makes_the_user_active(
    make_emulator: Any, version: int
) -> None:
    emu: Emulator = make_emulator(version=version, now="2025-03-04 05:06:07")
    demo = emu.database.uid_for_login("demo")
    read = ("res.users", "read", [[demo], ["login_date", "state"]])
    before = emu.database.execute(2, *read)[0]
    assert before["login_date"] is False and before["state"] == "new"
    with xmlrpc.client.ServerProxy(f"{emu.url}/xmlrpc/2/common") as common:
        assert common.authenticate(emu.db, "demo", "demo", {})
    after = emu.database.execute(2, *read)[0]
    assert after["login_date"] == "2025-03-04 05:06:07" and after["state"] == "active"


def test_partner_date_field_up_to_17(make_emulator: Any) -> None:
    db = make_emulator(version=17).database
    db.execute(2, "res.partner", "write", [[3], {"date": "2025-01-31"}])
    assert db.execute(2, "res.partner", "read", [[3], ["date"]])[0]["date"] == "2025-01-31"
    assert "date" not in make_emulator(version=18).database.tables["res.partner"].fields


def test_reports_of_web_and_account_are_listed(make_emulator: Any) -> None:
    db = make_emulator(version=17).database
    rows = db.execute(
        2, "ir.actions.report", "search_read", [[]], {"fields": ["model", "report_name"]}
    )
    names = {(r["model"], r["report_name"]) for r in rows}
    assert ("res.company", "web.preview_internalreport") in names
    assert ("account.move", "account.report_invoice") in names
