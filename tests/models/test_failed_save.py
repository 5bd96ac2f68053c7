"""A failed save() of a saved record (issue 11, item 4).

The record is identity-mapped: every query hands out the same object, so
changes the server refused must not stay pending for unrelated code to send
again. They move aside: reads show the server's values, no later save() sends
them, the error and repr() name them, and restore_changes()/discard_changes()
are the two ways out. A new record is only held by the code creating it: its
values stay as typed.
"""

from __future__ import annotations

import pytest

from odoorm.exceptions import AmbiguousResultError, FieldError
from tests.models.demo_models import Partner


@pytest.fixture
def acme(conn):
    return Partner.objects.create(name="Acme", email="a@acme.com", customer_rank=1)


def _refused(p, **values):
    for name, value in values.items():
        setattr(p, name, value)
    # in process, the emulator's own ValidationError arrives (over HTTP: odoorm's)
    with pytest.raises(Exception, match="Contacts require a name") as info:
        p.save()
    return info.value


def test_the_refused_changes_move_aside_and_the_error_names_them(conn, acme):
    error = _refused(acme, name=None, email="b@acme.com")  # Odoo: contacts need a name
    assert error.rejected == {"name": None, "email": "b@acme.com"}
    assert error.record is acme
    assert "the changes to name, email were not saved" in error.__notes__[0]
    assert "restore_changes()" in error.__notes__[0]
    assert repr(acme) == f"<Partner res.partner({acme.id}) rejected: name, email>"
    assert dict(acme.rejected_changes) == {"name": None, "email": "b@acme.com"}


def test_reads_show_the_server_values_everywhere(conn, acme):
    _refused(acme, name=None)
    same = Partner.objects.filter(id=acme.id).first()
    assert same is acme and same.name == "Acme"
    assert Partner.objects.filter(id=acme.id).values("name")[0]["name"] == "Acme"


def test_unrelated_code_does_not_send_the_refused_change_again(conn, rec, acme):
    _refused(acme, name=None)
    other = Partner.objects.get(id=acme.id)  # elsewhere in the program: the same object
    other.customer_rank = 5
    rec.reset()
    other.save()
    assert rec.calls[-1].kwargs == {"vals": {"customer_rank": 5}}
    assert repr(other) == f"<Partner res.partner({acme.id}) rejected: name>"


def test_restore_changes_puts_them_back_for_the_code_that_made_them(conn, acme):
    _refused(acme, name=None, email="b@acme.com")
    acme.restore_changes()
    assert acme.email == "b@acme.com" and acme.rejected_changes == {}
    acme.name = "Acme 2"  # the fix
    acme.save()
    assert conn.rpc("res.partner", "read", [acme.id], fields=["name", "email"])[0] == {
        "id": acme.id,
        "name": "Acme 2",
        "email": "b@acme.com",
    }


def test_assigning_a_field_again_replaces_its_refused_value(conn, acme):
    _refused(acme, name=None, email="b@acme.com")
    acme.name = "Acme SA"
    assert dict(acme.rejected_changes) == {"email": "b@acme.com"}
    acme.save()
    assert acme.name == "Acme SA" and acme.email == "a@acme.com"


def test_discard_changes_and_refresh_drop_them(conn, acme):
    _refused(acme, name=None)
    acme.discard_changes()
    assert acme.rejected_changes == {} and repr(acme) == f"<Partner res.partner({acme.id})>"
    acme.email = "c@acme.com"
    acme.discard_changes()  # unsaved changes too
    assert acme.email == "a@acme.com"
    _refused(acme, name=None)
    acme.refresh()
    assert acme.rejected_changes == {}


def test_an_invalid_queued_child_sets_the_parent_changes_aside(conn, rec, acme):
    acme.email = "d@acme.com"
    acme.children.create(email="no-name@acme.com")  # Partner.name is required
    rec.reset()
    with pytest.raises(FieldError, match="required") as info:
        acme.save()
    assert rec.count == 0  # refused before sending
    assert set(info.value.rejected) == {"email", "children"}
    assert acme.email == "a@acme.com" and len(acme.children) == 0
    acme.customer_rank = 9
    acme.save()  # unrelated: sends only its own change
    acme.restore_changes()
    assert acme.email == "d@acme.com" and len(acme.children._ops) == 1


def test_an_unknown_outcome_sets_aside_and_reloads(conn, rec, acme, monkeypatch):
    acme.email = "e@acme.com"
    send = conn.transport.call

    def lost(call):
        if call.method == "write":
            send(call)  # it did run
            raise AmbiguousResultError("the answer was lost")
        return send(call)

    monkeypatch.setattr(conn.transport, "call", lost)
    with pytest.raises(AmbiguousResultError) as info:
        acme.save()
    assert "may or may not have been saved" in info.value.__notes__[0]
    monkeypatch.undo()
    assert acme.email == "e@acme.com"  # reloaded: what the server holds


def test_a_failed_create_keeps_the_values_as_typed(conn):
    p = Partner(name="Nameless")
    p.name = None
    with pytest.raises(FieldError):
        p.save()
    assert p.rejected_changes == {} and p.name is None
    p.name = "Named"
    p.save()
    assert p.id is not None
