"""Related sets of records not saved yet: linked ids, queued creations dropped by
remove/delete, required x2many, command order, finding new records after save()."""

from __future__ import annotations

import pytest

from odoorm import FieldError, fields
from odoorm.commands import Command

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


def test_a_new_record_in_a_set_is_still_found_after_save(conn):
    p = Partner(name="Hashed before save")
    held = {p}
    lookup = {p: "value"}
    p.save()
    assert p in held and lookup[p] == "value"
    assert Partner.objects.get(id=p.id) is p
    loaded = Partner.objects.get(id=7)
    assert hash(loaded) == hash(Partner.objects.get(id=7))
