"""Languages and translations, window actions, currency rates, followers and module
fields, as the lab's Odoo 16-19 answer them (the gaps OdooRPC's suite found)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from odoorm.testing import errors
from odoorm.testing.orm import Database

VERSIONS = [16, 17, 18, 19]


def _ref(db: Database, xmlid: str) -> list[Any]:
    module, name = xmlid.split(".")
    found: list[Any] = db.execute(2, "ir.model.data", "check_object_reference", [module, name])
    return found


def _install_french(db: Database) -> Any:
    """What OdooRPC's suite does on 16+: the wizard with ``lang_ids``, then ``lang_install``."""
    ctx = {"context": {"active_test": False}}
    fr = db.execute(2, "res.lang", "search", [[["code", "=", "fr_FR"]]], ctx)
    wizard = db.execute(2, "base.language.install", "create", [{"lang_ids": [(6, 0, fr)]}])
    return db.execute(2, "base.language.install", "lang_install", [[wizard]])


@pytest.mark.parametrize("version", VERSIONS)
def test_languages_english_installed_the_others_installable(version: int) -> None:
    db = Database(version=version)
    model, rid = _ref(db, "base.lang_en")
    assert model == "res.lang"
    en = db.execute(2, "res.lang", "read", [[rid], ["code", "active", "date_format"]])[0]
    assert en["code"] == "en_US" and en["active"] and en["date_format"] == "%m/%d/%Y"
    every = db.execute(2, "res.lang", "search_count", [[]], {"context": {"active_test": False}})
    assert every == {16: 88, 17: 91, 18: 92, 19: 93}[version]
    assert db.execute(2, "res.lang", "get_installed", []) == [["en_US", "English (US)"]]


@pytest.mark.parametrize("version", VERSIONS)
def test_installing_french_translates_countries(version: int) -> None:
    db = Database(version=version)
    de = db.execute(2, "res.country", "search", [[["code", "=", "DE"]]])
    fr = {"context": {"lang": "fr_FR"}}
    if version >= 18:  # before it is installed, 18+ refuse the language
        with pytest.raises(errors.UserError, match="Invalid language code: fr_FR"):
            db.execute(2, "res.country", "read", [de, ["name"]], fr)
    action = _install_french(db)
    assert action["res_model"] == "base.language.install" and action["target"] == "new"
    assert db.execute(2, "res.country", "read", [de, ["name"]])[0]["name"] == "Germany"
    got = db.execute(2, "res.country", "read", [de, ["name", "display_name"]], fr)[0]
    assert got["name"] == got["display_name"] == "Allemagne"
    selection = db.execute(
        2, "res.partner", "fields_get", [["lang"]], {"attributes": ["selection"]}
    )
    assert ["fr_FR", "French / Français"] in selection["lang"]["selection"]


@pytest.mark.parametrize("version", VERSIONS)
def test_translated_writes_keep_one_value_per_language(version: int) -> None:
    db = Database(version=version)
    _install_french(db)
    fr = {"context": {"lang": "fr_FR"}}

    def name(rid: int, **kw: Any) -> str:
        return str(db.execute(2, "product.template", "read", [[rid], ["name"]], kw)[0]["name"])

    tid = db.execute(2, "product.template", "create", [{"name": "Chair"}])
    db.execute(2, "product.template", "write", [[tid], {"name": "Chaise"}], fr)
    assert (name(tid), name(tid, **fr)) == ("Chair", "Chaise")
    db.execute(2, "product.template", "write", [[tid], {"name": "Armchair"}])
    assert (name(tid), name(tid, **fr)) == ("Armchair", "Chaise")
    created = db.execute(2, "product.template", "create", [{"name": "Table"}], fr)
    db.execute(2, "product.template", "write", [[created], {"name": "Desk"}])
    assert (name(created), name(created, **fr)) == ("Desk", "Table")
    fields = db.execute(2, "product.template", "fields_get", [["name", "default_code"]])
    assert fields["name"]["translate"] is True and "translate" not in fields["default_code"]


@pytest.mark.parametrize("version", VERSIONS)
def test_window_actions_are_actions(version: int) -> None:
    db = Database(version=version)
    model, rid = _ref(db, "base.action_partner_form")
    assert model == "ir.actions.act_window"
    window = db.execute(2, model, "read", [[rid], ["res_model", "view_mode", "views", "xml_id"]])
    assert window[0]["res_model"] == "res.partner"
    assert window[0]["xml_id"] == "base.action_partner_form"
    assert [m for _, m in window[0]["views"]] == window[0]["view_mode"].split(",")
    common = db.execute(2, "ir.actions.actions", "read", [[rid], ["name", "type"]])[0]
    assert common == {"id": rid, "name": "Customers", "type": "ir.actions.act_window"}
    db.execute(2, "res.users", "write", [[2], {"action_id": rid}])
    assert db.execute(2, "res.users", "read", [[2], ["action_id"]])[0]["action_id"][0] == rid
    menu = db.execute(2, "ir.ui.menu", "create", [{"name": "M", "action": f"{model},{rid}"}])
    assert db.execute(2, "ir.ui.menu", "read", [[menu], ["action"]])[0]["action"] == (
        f"{model},{rid}"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_currency_rate_usd(version: int) -> None:
    db = Database(version=version)
    model, rid = _ref(db, "base.rateUSD")
    assert model == "res.currency.rate"
    db.execute(2, model, "write", [[rid], {"name": "2012-01-01"}])
    rate = db.execute(2, model, "read", [[rid], ["name", "rate", "company_rate"]])[0]
    assert rate == {"id": rid, "name": "2012-01-01", "rate": 1.0, "company_rate": 1.0}


@pytest.mark.parametrize("version", VERSIONS)
def test_followers(version: int) -> None:
    db = Database(version=version)
    assert db.execute(2, "res.users", "read", [[2], ["message_follower_ids"]])[0] == {
        "id": 2,
        "message_follower_ids": [],
    }
    pid = db.execute(2, "res.partner", "create", [{"name": "Followed"}])
    followers = db.execute(2, "res.partner", "read", [[pid], ["message_follower_ids"]])[0]
    rows = db.execute(2, "mail.followers", "read", [followers["message_follower_ids"]])
    assert [(r["res_model"], r["res_id"], r["name"]) for r in rows] == [
        ("res.partner", pid, "Mitchell Admin")
    ]
    quiet = db.execute(
        2,
        "res.partner",
        "create",
        [{"name": "Quiet"}],
        {"context": {"mail_create_nosubscribe": True}},
    )
    assert (
        db.execute(2, "res.partner", "read", [[quiet], ["message_follower_ids"]])[0][
            "message_follower_ids"
        ]
        == []
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_module_icon_and_listings(version: int) -> None:
    db = Database(version=version)
    sale = db.execute(2, "ir.module.module", "search", [[["name", "=", "sale"]]])
    row = db.execute(
        2,
        "ir.module.module",
        "read",
        [sale, ["icon", "icon_image", "views_by_module", "reports_by_module"]],
    )[0]
    assert base64.b64decode(row["icon_image"]).startswith(b"\x89PNG")
    assert row["icon"] == "/sale/static/description/icon.png"
    assert row["views_by_module"] == ""
    assert row["reports_by_module"] == "PRO-FORMA Invoice\nQuotation / Order"
