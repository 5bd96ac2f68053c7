"""Queries refuse what cannot work with an error a new user can act on (stepped
slices, unknown fields, records of another model, writes to grouped rows, wrong
builder arguments), and follow paths through classes built from ``fields_get`` on
the query's own connection; against the emulator core with declared models."""

from __future__ import annotations

import pytest

from odoorm import fields
from odoorm.aggregates import Count
from odoorm.exceptions import FieldError
from odoorm.models import Model

from .conftest import make_conn


class RvCountry(Model):
    _name = "res.country"
    name = fields.Char()
    code = fields.Char()


class RvCategory(Model):
    _name = "res.partner.category"
    name = fields.Char()


class RvPartner(Model):
    _name = "res.partner"
    name = fields.Char()
    email = fields.Char()
    is_company = fields.Boolean()
    country = fields.Many2one(RvCountry, source="country_id")
    tags = fields.Many2many(RvCategory, source="category_id")


class RvOrder(Model):
    _name = "sale.order"
    name = fields.Char()
    state = fields.Selection()
    date_order = fields.Datetime()


# first in the file: later tests teach res.users its fields
def test_a_path_through_an_undeclared_model_without_any_connection_says_what_to_do():
    from odoorm.query import QuerySet

    qs = QuerySet(RvPartner)  # no using(), no default connection
    users = qs._meta.get_field_info("write_uid").comodel_info
    if list(users.field_names()):
        pytest.skip("another test already taught res.users its fields in this process")
    with pytest.raises(FieldError, match=r"knows no field of res.users yet.*using\(conn\)"):
        qs.filter(write_uid__login="admin")
    with pytest.raises(FieldError, match=r"knows no field of res\.users yet"):
        qs.values("create_uid__login")


@pytest.fixture(params=[17, 18, 19])
def emu(request):
    conn, rec, _db = make_conn(request.param)  # NOT the default connection
    yield conn, rec
    conn.close()


def test_a_stepped_slice_is_refused_before_any_call(emu):
    conn, rec = emu
    qs = RvPartner.objects.using(conn).order_by("id")
    rec.reset()
    with pytest.raises(TypeError, match=r"no step .*list\(qs\[0:10\]\)\[::2\]"):
        qs[:10:2]
    with pytest.raises(TypeError, match="no step"):
        qs[::2]
    assert rec.calls == []
    assert [p.id for p in qs[2:4:1]] == [p.id for p in qs[2:4]]  # step 1 is a plain slice
    assert qs[5:5].count() == 0


def test_a_cached_query_slices_its_cache(emu):
    conn, rec = emu
    qs = RvPartner.objects.using(conn).order_by("id")
    everything = list(qs)
    rec.reset()
    assert qs[1:3] == everything[1:3]
    assert rec.calls == []


def test_paths_through_an_undeclared_model_use_the_query_connection(emu):
    # create_uid/write_uid point to res.users, which no class here declares: odoorm
    # builds a class from fields_get; with using(conn) and no default connection it
    # must read those fields on conn instead of failing with "no field 'login'"
    conn, _rec = emu
    qs = RvPartner.objects.using(conn).filter(write_uid__login="admin")
    assert qs.domain == [("write_uid.login", "=", "admin")]
    assert qs.count() >= 0
    rows = list(
        RvPartner.objects.using(conn).order_by("id").values("name", "create_uid__login")[:1]
    )
    assert set(rows[0]) == {"name", "create_uid__login"}


@pytest.mark.parametrize(
    "call",
    [
        lambda qs: qs.only("nmae"),
        lambda qs: qs.defer("nmae"),
        lambda qs: qs.values("nmae"),
        lambda qs: qs.values_list("country__nmae"),
        lambda qs: qs.order_by("nmae"),
        lambda qs: qs.in_bulk([1], field_name="nmae"),
    ],
)
def test_an_unknown_field_suggests_each_name_once(emu, call):
    conn, _rec = emu
    with pytest.raises(FieldError) as err:
        call(RvPartner.objects.using(conn))
    text = str(err.value)
    assert "did you mean 'name'?" in text
    assert "'name', 'name'" not in text and "'name' or 'name'" not in text
    assert "has no field 'nmae'" in text


def test_an_unknown_field_without_a_close_name_ends_its_sentence(emu):
    conn, _rec = emu
    with pytest.raises(FieldError, match=r"has no field 'zzz'\. Its fields: name, email"):
        RvPartner.objects.using(conn).values("zzz")


def test_a_record_of_another_model_is_refused_as_a_relation_value(emu):
    # a partner given where a country is expected used to be sent as a country id
    conn, rec = emu
    partners = RvPartner.objects.using(conn)
    partner = partners.order_by("id").first()
    belgium = RvCountry.objects.using(conn).get(code="BE")
    rec.reset()
    bad = [
        {"country": partner},
        {"country__ne": partner},
        {"country__in": [partner]},
        {"country__in": partners.order_by("id")[:2]},  # sliced: would send partner ids
        {"country__any": partners.filter(is_company=True)},
        {"id__child_of": belgium},
        {"id": belgium},
    ]
    for kwargs in bad:
        with pytest.raises(FieldError, match=r"of model res\.(partner|country), but .* holds"):
            partners.filter(**kwargs)
    assert rec.calls == []  # refused before anything was sent
    assert partners.filter(country=belgium).domain == [("country_id", "=", belgium.id)]
    assert partners.filter(id=partner).domain == [("id", "=", partner.id)]


def test_pk_is_the_id_in_filters_too(emu):
    conn, _rec = emu
    partners = RvPartner.objects.using(conn)
    assert partners.filter(pk=3).domain == [("id", "=", 3)]
    assert partners.filter(pk__in=[3, 1]).domain == [("id", "in", [3, 1])]
    assert partners.exclude(pk=1).filter(pk__in=[1]).count() == 0


def test_update_checks_relation_values_and_sends_x2many_records_as_ids(emu):
    conn, rec = emu
    partners = RvPartner.objects.using(conn)
    one = partners.filter(id=3)
    first, second = list(RvCategory.objects.using(conn).order_by("id")[:2])
    rec.reset()
    for bad in ({"country": partners.get(id=1)}, {"tags": [partners.get(id=1)]}, {"tags": "x"}):
        with pytest.raises(FieldError, match=r"update\(\): RvPartner\.\w+ takes"):
            one.update(**bad)
    assert not [c for c in rec.calls if c.method in ("search", "write")]  # refused first
    rec.reset()
    assert one.update(tags=[second, first.id]) == 1
    write = next(c for c in rec.calls if c.method == "write")
    assert write.kwargs["vals"] == {"category_id": [(6, 0, [second.id, first.id])]}
    assert sorted(t.id for t in partners.get(id=3).tags) == sorted([first.id, second.id])
    assert one.update(tags=[(3, first.id)]) == 1  # Odoo commands pass through
    assert [t.id for t in partners.get(id=3).tags] == [second.id]


def test_update_and_delete_refuse_grouped_rows(emu):
    # the having-style filter runs in Python: a write would reach every group
    conn, rec = emu
    grouped = RvOrder.objects.using(conn).values("state").annotate(n=Count()).filter(n__gt=3)
    rec.reset()
    with pytest.raises(TypeError, match=r"update\(\) on grouped rows"):
        grouped.update(name="renamed")
    with pytest.raises(TypeError, match=r"delete\(\) on grouped rows"):
        grouped.delete()
    assert rec.calls == []


def test_grouped_rows_order_only_by_their_keys_or_annotations(emu):
    conn, rec = emu
    grouped = RvOrder.objects.using(conn).values("state").annotate(n=Count())
    rec.reset()
    with pytest.raises(
        FieldError,
        match=r"by '-nn': order by a values\(\) field \(state\) or an "
        r"annotation \(n\)\. Did you mean 'n'\?",
    ):
        grouped.order_by("-nn")
    with pytest.raises(FieldError, match=r"grouped rows by 'name'"):
        grouped.order_by("name")  # a field of the model, but not a group
    assert rec.calls == []  # refused when written, not when evaluated
    rows = list(grouped.order_by("-n", "state"))
    assert [r["n"] for r in rows] == sorted((r["n"] for r in rows), reverse=True)


def test_named_rows_name_a_date_group_after_its_field(emu):
    conn, _rec = emu
    grouped = RvOrder.objects.using(conn).values_list("state", "date_order:month", named=True)
    row = next(iter(grouped.annotate(n=Count())))
    assert row._fields == ("state", "date_order_month", "n")
    assert row.date_order_month.day == 1


def test_get_or_create_creates_with_exact_lookups_too(emu):
    conn, _rec = emu
    partners = RvPartner.objects.using(conn)
    made, created = partners.get_or_create(name__exact="Review Exact", defaults={"email": "r@x"})
    assert created and (made.name, made.email) == ("Review Exact", "r@x")
    again, created = partners.get_or_create(name__exact="Review Exact")
    assert (again, created) == (made, False)


def test_wrong_arguments_to_builders_say_what_they_take(emu):
    conn, rec = emu
    partners = RvPartner.objects.using(conn)
    rec.reset()
    with pytest.raises(TypeError, match=r"got int 1; for one record by id write get\(id=1\)"):
        partners.get(1)
    with pytest.raises(TypeError, match="take Q objects, raw Odoo domains"):
        partners.filter("name")
    with pytest.raises(TypeError, match=r"using\(\) takes a connection"):
        partners.using("prod")
    assert rec.calls == []
    # Odoo's own spelling: a dict of context keys
    qs = partners.with_context({"active_test": False}, lang="en_US")
    assert qs._plan.context == {"active_test": False, "lang": "en_US"}
    assert qs.filter(is_company=True).count() >= 1
