"""The emulator runs base.automation rules whose action sends a webhook, like Odoo 17-19."""

from __future__ import annotations

import pytest

from odoorm.testing import automation, errors
from odoorm.testing.orm import Database

URL = "http://127.0.0.1:9/odoo/not-listening"  # nothing listens: sends fail quietly


def _db(version=18, **kwargs):
    db = Database(version=version, now="2030-01-01 09:00:00.123456", **kwargs)
    db.execute(2, "ir.module.module", "button_immediate_install", [_module(db)])
    return db


def _module(db, name="base_automation"):
    return db.execute(2, "ir.module.module", "search", [[("name", "=", name)]])


def _rule(db, trigger="on_create_or_write", domain="", fields=("name", "write_date"), **extra):
    model_id = db.execute(2, "ir.model", "search", [[("model", "=", "res.partner")]])[0]
    field_ids = db.execute(
        2, "ir.model.fields", "search", [[("model", "=", "res.partner"), ("name", "in", fields)]]
    )
    action = {
        "name": "Notify",
        "model_id": model_id,
        "state": "webhook",
        "webhook_url": URL,
        "webhook_field_ids": [(6, 0, field_ids)],
    }
    vals = {"name": "Rule", "model_id": model_id, "trigger": trigger, "filter_domain": domain}
    vals.update(extra, action_server_ids=[(0, 0, action)])
    return db.execute(2, "base.automation", "create", [vals])


def _sent(db):
    box = automation.outbox(db)
    box.join()
    return [payload for _, payload in box.sent]


def test_base_automation_is_not_installed_until_asked():
    db = Database(version=18)
    rows = db.execute(2, "ir.module.module", "read", [_module(db)], {"fields": ["state"]})
    assert rows[0]["state"] == "uninstalled"
    assert "base.automation" not in db.tables
    db.execute(2, "ir.module.module", "button_immediate_install", [_module(db)])
    assert db.execute(2, "ir.model", "search_count", [[("model", "=", "base.automation")]]) == 1
    assert "base_automation_id" in db.tables["ir.actions.server"].fields


def test_only_administrators_install_modules_and_edit_automations():
    db = _db()
    with pytest.raises(errors.AccessError):
        db.execute(6, "ir.module.module", "button_immediate_install", [_module(db, "sale")])
    with pytest.raises(errors.AccessError):
        _rule_as(db, uid=6)
    assert db.execute(6, "base.automation", "search", [[]]) == []  # reading is allowed


def _rule_as(db, uid):
    model_id = db.execute(2, "ir.model", "search", [[("model", "=", "res.partner")]])[0]
    vals = {"name": "Rule", "model_id": model_id, "trigger": "on_create"}
    return db.execute(uid, "base.automation", "create", [vals])


def test_payload_has_the_real_shape():
    db = _db()
    _rule(db, fields=("name", "country_id", "category_id", "write_date"))
    vals = {"name": "Acme", "country_id": 2, "category_id": [(6, 0, [1])]}
    pid = db.execute(2, "res.partner", "create", [vals])
    (payload,) = _sent(db)
    assert payload == {
        "_action": "Send Webhook Notification(#1)",  # Odoo 17/18 name the action themselves
        "_id": pid,
        "_model": "res.partner",
        "id": pid,
        "name": "Acme",
        "country_id": 2,  # read with load=None: a bare id
        "category_id": [1],
        # str(datetime): the change's own stamp keeps its microseconds (RPC reads do not)
        "write_date": "2030-01-01 09:00:00.123456",
    }
    read = db.execute(2, "res.partner", "read", [[pid]], {"fields": ["write_date"]})
    assert read[0]["write_date"] == "2030-01-01 09:00:00"


def test_triggers_create_write_and_unlink():
    db = _db()
    _rule(db, trigger="on_create")
    _rule(db, trigger="on_write", name="Updates")
    _rule(db, trigger="on_unlink", name="Deletions")
    pid = db.execute(2, "res.partner", "create", [{"name": "A"}])
    db.execute(2, "res.partner", "write", [[pid], {"name": "B"}])
    db.execute(2, "res.partner", "unlink", [[pid]])
    sent = _sent(db)
    assert [(p["_action"], p["name"]) for p in sent] == [
        ("Send Webhook Notification(#1)", "A"),
        ("Send Webhook Notification(#2)", "B"),
        ("Send Webhook Notification(#3)", "B"),  # sent before the record goes: its last values
    ]


@pytest.mark.parametrize(("version", "named"), [(17, False), (18, False), (19, True)])
def test_17_and_18_name_a_rules_webhook_action_themselves(version, named):
    # real 17/18: _compute_name gives "Send Webhook Notification" on create, whatever
    # the name given; a later write of the name alone sticks. 19 keeps the given name.
    db = _db(version)
    rule = _rule(db)
    (row,) = db.execute(2, "base.automation", "read", [[rule]], {"fields": ["action_server_ids"]})
    (aid,) = row["action_server_ids"]
    name = db.execute(2, "ir.actions.server", "read", [[aid]], {"fields": ["name"]})[0]["name"]
    assert name == ("Notify" if named else "Send Webhook Notification")
    db.execute(2, "ir.actions.server", "write", [[aid], {"name": "Mine"}])
    db.execute(2, "res.partner", "create", [{"name": "A"}])
    assert [p["_action"] for p in _sent(db)] == [f"Mine(#{aid})"]


def test_filter_domain_is_honoured():
    db = _db()
    _rule(db, domain="[('is_company', '=', True)]")
    db.execute(2, "res.partner", "create", [{"name": "Person"}])
    company = db.execute(2, "res.partner", "create", [{"name": "Company", "is_company": True}])
    assert [p["_id"] for p in _sent(db)] == [company]


def test_inactive_rules_and_other_models_send_nothing():
    db = _db()
    _rule(db, active=False)
    db.execute(2, "res.partner", "create", [{"name": "A"}])
    db.execute(2, "res.partner.category", "create", [{"name": "Tag"}])
    assert _sent(db) == []


def test_a_filter_domain_that_is_not_a_literal_is_refused():
    db = _db()
    with pytest.raises(errors.PythonError, match="Invalid domain"):
        _rule(db, domain="[('user_id', '=', uid)]")


def test_a_failing_receiver_does_not_fail_the_write(caplog):
    db = _db()
    _rule(db)
    pid = db.execute(2, "res.partner", "create", [{"name": "A"}])
    _sent(db)
    assert db.execute(2, "res.partner", "search_count", [[("id", "=", pid)]]) == 1
    assert "webhook POST to http://127.0.0.1:9/... failed" in caplog.text
    assert "not-listening" not in caplog.text  # the path (the receiver's secret) stays out


def test_odoo_16_has_no_webhook_action():
    db = Database(version=16)
    model_id = db.execute(2, "ir.model", "search", [[("model", "=", "res.partner")]])[0]
    assert "webhook_url" not in db.tables["ir.actions.server"].fields
    with pytest.raises(errors.PythonError, match=r"Wrong value for ir\.actions\.server\.state"):
        vals = {"name": "x", "model_id": model_id, "state": "webhook"}
        db.execute(2, "ir.actions.server", "create", [vals])
