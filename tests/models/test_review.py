"""Review-round regressions: unsaved records in related sets, booleans, typing."""

from __future__ import annotations

import textwrap

import pytest

from odoorm import FieldError, fields
from odoorm.commands import Command
from odoorm.models import Model

from .demo_models import Partner, Tag


def test_related_set_of_a_new_parent_lists_linked_ids(conn, rec):
    tag = Tag.objects.all().first()
    assert tag is not None
    rec.reset()
    p = Partner(name="New")
    p.tags.add(tag.id)
    with rec.expect_calls(0):
        assert [t.id for t in p.tags] == [tag.id]
    assert next(iter(p.tags)) is tag  # the same live object as the one loaded before
    with rec.expect_calls(1) as made:
        p.save()
    assert made[0].method == "create"
    assert made[0].kwargs["vals_list"][0]["category_id"] == [(Command.LINK, tag.id, 0)]


def test_removing_an_unsaved_child_drops_its_creation(conn, rec):
    p = Partner.objects.get(id=7)
    rec.reset()
    keep = p.children.create(name="Keep")
    gone = p.children.create(name="Gone")
    p.children.remove(gone)
    assert gone not in p.children and keep in p.children
    with rec.expect_calls(1) as made:
        p.save()
    assert made[0].kwargs["vals"]["child_ids"] == [(Command.CREATE, 0, {"name": "Keep"})]
    assert "Gone" not in [c.name for c in p.children]


def test_deleting_an_unsaved_child_drops_its_creation(conn, rec):
    p = Partner.objects.get(id=7)
    gone = p.children.create(name="Gone")
    p.children.delete(gone)
    rec.reset()
    with rec.expect_calls(0):
        p.save()  # nothing left to send


def test_removing_an_unsaved_record_not_in_the_set_says_so(conn):
    p = Partner.objects.get(id=7)
    with pytest.raises(FieldError, match="not saved and not queued in this set"):
        p.children.remove(Partner(name="Stranger"))


def test_boolean_none_is_false(conn, rec):
    p = Partner.objects.get(id=7)
    p.is_company = True
    p.is_company = None
    assert p.is_company is False
    assert Partner(name="x", is_company=None).is_company is False


TYPED = textwrap.dedent(
    """
    from odoorm import fields
    from odoorm.models import Model

    class Partner(Model):
        _name = "res.partner"
        name = fields.Char(required=True)

    class Checked(Model):
        _name = "res.partner"
        name: fields.Char = fields.Char(required=True)

    p = Partner.objects.filter(name="x").first()
    reveal_type(p)
    reveal_type(Partner.objects.exclude(name="x").order_by("name"))
    reveal_type(Partner(name="x").save())
    reveal_type(Partner.objects.get(id=1).refresh())
    Checked(name=1)
    """
)


def test_mypy_types_manager_queries_and_checks_annotated_fields(tmp_path):
    api = pytest.importorskip("mypy.api")
    path = tmp_path / "typed.py"
    path.write_text(TYPED, encoding="utf-8")
    out, _err, _status = api.run([str(path), "--no-incremental", "--python-version", "3.10"])
    revealed = [
        line.split("Revealed type is ")[1] for line in out.splitlines() if "Revealed" in line
    ]
    assert revealed[0] == '"typed.Partner | None"', out
    assert "QuerySet[typed.Partner]" in revealed[1], out
    assert revealed[2:] == ['"typed.Partner"', '"typed.Partner"'], out
    errors = [line for line in out.splitlines() if "error:" in line]
    assert len(errors) == 1 and 'Argument "name" to "Checked"' in errors[0], out


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


def test_required_x2many_counts_the_records_given(conn, rec):
    from .demo_models import Product, SaleOrder, SaleOrderLine

    class StrictOrder(SaleOrder):
        lines = fields.One2many(
            SaleOrderLine, source="order_line", inverse="order_id", required=True
        )

    prod = Product.objects.all().first()
    partner = Partner.objects.get(id=7)
    with pytest.raises(FieldError, match=r"required field.* lines"):
        StrictOrder(partner=partner).save()
    rec.reset()
    with rec.expect_calls(1):
        StrictOrder(partner=partner, lines=[SaleOrderLine(product=prod, qty=2)]).save()
    order = StrictOrder(partner=partner)
    order.lines.add(SaleOrderLine(product=prod, qty=1))
    assert order.save().id


def test_env_class_leaves_server_defaulted_required_fields_to_the_server(conn, rec):
    Order = conn.env["sale.order"]
    assert Order.__name__ == "SaleOrder"
    assert Order._meta.fields["date_order"].required  # as fields_get says
    rec.reset()
    with rec.expect_calls(1) as made:
        order = Order(partner_id=7).save()
    assert made[0].method == "create"
    assert order.id and order.name  # the server filled name, date_order, company_id


def test_queued_commands_keep_call_order_and_refresh_drops_them(conn, rec):
    p = Partner.objects.get(id=7)
    tags = [t.id for t in Tag.objects.all()[:2]]
    p.tags.clear()
    p.tags.add(tags[0])
    p.tags.add(tags[1])
    p.tags.set([tags[1]])
    assert p.tags.ids == [tags[1]]
    rec.reset()
    with rec.expect_calls(1) as made:
        p.save()
    assert made[0].kwargs["vals"]["category_id"] == [
        (Command.CLEAR, 0, 0),
        (Command.LINK, tags[0], 0),
        (Command.LINK, tags[1], 0),
        (Command.SET, 0, [tags[1]]),
    ]
    p.tags.clear()
    p.email = "unsaved@example.com"
    p.refresh()
    assert p.tags.ids == [tags[1]] and p.email != "unsaved@example.com"
    rec.reset()
    with rec.expect_calls(0):
        p.save()


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


def test_a_new_record_in_a_set_is_still_found_after_save(conn):
    p = Partner(name="Hashed before save")
    held = {p}
    lookup = {p: "value"}
    p.save()
    assert p in held and lookup[p] == "value"
    assert Partner.objects.get(id=p.id) is p
    loaded = Partner.objects.get(id=7)
    assert hash(loaded) == hash(Partner.objects.get(id=7))


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
