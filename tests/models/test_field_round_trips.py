"""Field values go out and come back as declared: booleans never None, references
as records, datetimes in UTC, only changed fields sent, server-defaulted required
fields of env classes left to the server."""

from __future__ import annotations

import pytest

from odoorm import FieldError, fields
from odoorm.models import Model

from .demo_models import Partner


def test_boolean_none_is_false(conn, rec):
    p = Partner.objects.get(id=7)
    p.is_company = True
    p.is_company = None
    assert p.is_company is False
    assert Partner(name="x", is_company=None).is_company is False


class _Note(Model):
    _name = "x.review.note"
    name = fields.Char()
    ref = fields.Reference()


def test_reference_validates_and_reads_back_a_record(conn):
    note = _Note(name="n")
    with pytest.raises(FieldError, match="is not a reference; give a saved record"):
        note.ref = "res.partner"
    with pytest.raises(FieldError, match="is not a reference"):
        note.ref = ("res.partner", "seven")
    note.ref = "res.partner,7"
    target = note.ref
    assert isinstance(target, Model) and target.id == 7
    assert target._meta.odoo_model == "res.partner"
    assert note.to_dict()["ref"] == "res.partner,7"  # not the bare id 7
    assert _Note.ref.to_wire(("res.country", 3)) == "res.country,3"


def test_naive_and_aware_datetimes_round_trip_as_utc(conn):
    import datetime as dt

    from .demo_models import SaleOrder

    order = SaleOrder.objects.all().first()
    assert order is not None
    order.date_order = dt.datetime(2024, 1, 1, 12, 0)  # naive: taken as UTC
    order.save()
    assert order.refresh().date_order == dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    order.date_order = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    order.save()
    assert order.refresh().date_order == dt.datetime(2024, 1, 1, 10, 0, tzinfo=dt.timezone.utc)


def test_save_sends_only_changed_fields_and_clear_cache_keeps_unsaved(conn, rec):
    p = Partner.objects.get(id=7)
    conn.execute("res.partner", "write", [7], {"email": "theirs@example.com"})
    p.name = "Mine"
    conn.clear_cache()
    assert p.name == "Mine"  # unsaved change kept
    rec.reset()
    with rec.expect_calls(1) as made:
        p.save()
    assert made[0].kwargs["vals"] == {"name": "Mine"}
    assert p.email == "theirs@example.com"  # their change survives (and is reloaded)


def test_env_class_leaves_server_defaulted_required_fields_to_the_server(conn, rec):
    Order = conn.env["sale.order"]
    assert Order.__name__ == "SaleOrder"
    assert Order._meta.fields["date_order"].required  # as fields_get says
    rec.reset()
    with rec.expect_calls(1) as made:
        order = Order(partner_id=7).save()
    assert made[0].method == "create"
    assert order.id and order.name  # the server filled name, date_order, company_id
