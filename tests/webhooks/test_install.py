"""webhooks.install(), Hook.remove(), installed(): automation rules on the emulator."""

from __future__ import annotations

import attrs
import pytest

import odoorm
from odoorm import webhooks
from odoorm.exceptions import AccessError, FieldError
from odoorm.testing import Emulator

from .conftest import NOW, Partner, offline, sent

URL = "http://127.0.0.1:9/odoo/a-token-that-nobody-checks"


def _rules(conn):
    return conn.execute(
        "base.automation",
        "search_read",
        [],
        fields=["name", "trigger", "filter_domain", "action_server_ids", "model_name"],
        context={"active_test": False},
    )


def _actions(conn):
    return conn.execute(
        "ir.actions.server",
        "search_read",
        [],
        fields=["name", "state", "webhook_url", "webhook_field_ids", "base_automation_id"],
    )


def test_install_creates_a_rule_and_its_webhook_action(conn):
    hook = webhooks.install(Partner.objects.using(conn).filter(is_company=True), URL, name="crm")
    (rule,) = _rules(conn)
    assert rule["name"] == "odoorm: crm"
    assert rule["trigger"] == "on_create_or_write"
    assert rule["filter_domain"] == "[('is_company', '=', True)]"
    assert rule["model_name"] == "res.partner"
    (action,) = _actions(conn)
    assert action["state"] == "webhook" and action["webhook_url"] == URL
    assert action["base_automation_id"][0] == rule["id"]
    names = conn.execute("ir.model.fields", "read", action["webhook_field_ids"], fields=["name"])
    assert sorted(f["name"] for f in names) == ["country_id", "is_company", "name", "write_date"]
    assert hook.automation_ids == (rule["id"],) and hook.action_ids == (action["id"],)
    assert hook.on == ("create", "write") and hook.model == "res.partner"
    assert URL not in repr(hook)  # the URL holds the receiver's token


@pytest.mark.parametrize("version", [17, 18, 19])
def test_the_action_carries_the_hooks_name_where_odoo_names_it_itself(version):
    # real Odoo 17/18 rename a rule's webhook action "Send Webhook Notification" on
    # create (the POST's "_action" is that name): install() writes the name back
    with Emulator(version=version, now=NOW) as odoo:
        conn = odoorm.connect(
            odoo.url, db=odoo.db, user=odoo.login, password=odoo.password, default=False
        )
        webhooks.install_base_automation(conn)
        hook = webhooks.install(Partner, URL, name="crm", conn=conn)
        assert [a["name"] for a in _actions(conn)] == ["odoorm: crm"]
        Partner.objects.using(conn).create(name="Announced")
        (payload,) = sent(odoo)
        assert payload["_action"] == f"odoorm: crm(#{hook.action_ids[0]})"
        conn.close()


def test_fields_are_python_names_and_write_date_is_always_sent(conn):
    hook = webhooks.install(Partner, URL, fields=["country"], conn=conn)
    assert hook.fields == ("country_id", "write_date")


def test_same_name_updates_in_place(conn):
    first = webhooks.install(Partner, URL, conn=conn)
    again = webhooks.install(Partner, URL + "-rotated", on="create", conn=conn)
    assert again.automation_ids == first.automation_ids
    assert again.action_ids == first.action_ids
    (rule,) = _rules(conn)
    assert rule["trigger"] == "on_create"
    assert _actions(conn)[0]["webhook_url"] == URL + "-rotated"
    # deletions get a rule of their own, which goes when no longer asked for
    webhooks.install(Partner, URL, on=("write", "unlink"), conn=conn)
    assert sorted(r["trigger"] for r in _rules(conn)) == ["on_unlink", "on_write"]
    webhooks.install(Partner, URL, on="write", conn=conn)
    assert [r["trigger"] for r in _rules(conn)] == ["on_write"]
    assert len(_actions(conn)) == 1


def test_installed_lists_the_hooks_odoorm_made(conn):
    webhooks.install(Partner, URL, on=("create", "unlink"), name="a", conn=conn)
    webhooks.install(Partner.objects.filter(name="x"), URL, name="b", conn=conn)
    model_id = conn.execute("ir.model", "search", [("model", "=", "res.partner")])[0]
    conn.execute(  # somebody else's rule is not ours
        "base.automation",
        "create",
        {"name": "Manual rule", "model_id": model_id, "trigger": "on_create"},
    )
    found = {hook.name: hook for hook in webhooks.installed(conn)}
    assert sorted(found) == ["a", "b"]
    assert found["a"].on == ("create", "unlink") and len(found["a"].automation_ids) == 2
    assert found["a"].url == URL and "write_date" in found["a"].fields
    assert found["b"].filter_domain == "[('name', '=', 'x')]"


def test_remove_leaves_nothing_behind(odoo, conn):
    hook = webhooks.install(Partner, URL, on=("create", "write", "unlink"), conn=conn)
    hook.remove()
    assert _rules(conn) == [] and _actions(conn) == []
    assert webhooks.installed(conn) == []
    Partner.objects.using(conn).create(name="After")
    assert sent(odoo) == []
    hook.remove()  # again: nothing left to delete, no error


def test_without_base_automation_the_error_says_how_to_install_it():
    with Emulator(version=18, now=NOW) as odoo:
        conn = odoorm.connect(
            odoo.url, db=odoo.db, user=odoo.login, password=odoo.password, default=False
        )
        with pytest.raises(webhooks.WebhooksUnavailable) as exc:
            webhooks.install(Partner, URL, conn=conn)
        assert "base_automation" in str(exc.value)
        assert "install_base_automation" in str(exc.value)
        assert webhooks.installed(conn) == []
        assert webhooks.install_base_automation(conn) is True
        assert webhooks.install_base_automation(conn) is False
        webhooks.install(Partner, URL, conn=conn)
        conn.close()


def test_odoo_16_cannot_send_webhooks_and_nothing_is_sent():
    conn, rec = offline(version=16)
    with pytest.raises(webhooks.WebhooksUnavailable) as exc:
        webhooks.install(Partner, URL, conn=conn)
    message = str(exc.value)
    assert "Odoo 16.0 cannot send webhooks" in message
    assert "IMPORT_NAME" in message and "odoorm.polling.watch" in message
    assert rec.calls == []
    assert webhooks.installed(conn) == []


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"on": "delete"}, "choose one or more of 'create', 'write' and 'unlink'"),
        ({"on": ()}, "choose one or more"),
        ({"url": "ftp://example.com/x"}, "absolute URL"),
        ({"url": "/odoo/token"}, "absolute URL"),
        ({"url": "https://u:p@example.com/x"}, "put the token in the path"),
        ({"fields": ["emial"]}, "has no field 'emial'"),
        ({"fields": "name"}, "give a list of field names"),
        ({"name": " "}, "a hook's name is a short text"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_sent(kwargs, expected):
    conn, rec = offline()
    args = {"url": URL, **kwargs}
    with pytest.raises(FieldError, match=expected):
        webhooks.install(Partner, args.pop("url"), conn=conn, **args)
    assert rec.calls == []


def test_a_slice_or_a_non_model_is_refused():
    conn, rec = offline()
    with pytest.raises(FieldError, match="not a slice"):
        webhooks.install(Partner.objects.using(conn).all()[:5], URL)
    with pytest.raises(FieldError, match="takes a model class"):
        webhooks.install("res.partner", URL, conn=conn)  # type: ignore[arg-type]
    assert rec.calls == []


def test_a_user_without_settings_rights_gets_a_clear_error(odoo, conn):
    demo = odoorm.connect(odoo.url, db=odoo.db, user="demo", password="demo", default=False)
    with pytest.raises(AccessError, match="Administration / Settings"):
        webhooks.install(Partner, URL, conn=demo)
    hook = webhooks.install(Partner, URL, conn=conn)
    with pytest.raises(AccessError, match="may not delete automation rules"):
        attrs.evolve(hook, conn=demo).remove()
    demo.close()
