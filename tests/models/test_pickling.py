"""Records and querysets pickle and copy (issue 11, item 8): a record as its
model, id and loaded values, unpickled *detached*; a queryset as its plan and
its results when evaluated."""

from __future__ import annotations

import copy
import pickle

import pytest

from odoorm import Q
from odoorm.exceptions import LazyLoadError, OdoormError
from tests.models.demo_models import Country, Partner


@pytest.fixture
def page(conn):
    return list(Partner.objects.filter(country__code="BE").order_by("id"))


def test_a_record_pickles_as_its_model_id_and_loaded_values(conn, rec, page):
    p = page[0]
    rec.reset()
    back = pickle.loads(pickle.dumps(p))
    assert type(back) is Partner and back.id == p.id
    assert (back.name, back.email, back.country.display_name) == (
        p.name,
        p.email,
        p.country.display_name,
    )
    assert rec.count == 0  # no call, to pickle or to read what was loaded
    assert back == p and hash(back) == hash(p) and back is not p  # equal, not the live one
    assert repr(back) == f"<Partner res.partner({p.id}) detached>"
    assert Partner.objects.get(id=p.id) is p  # the identity map is untouched


def test_a_detached_record_makes_no_call(conn, rec):
    p = Partner.objects.only("name").order_by("id").first()
    back = pickle.loads(pickle.dumps(p))
    rec.reset()
    assert back.name == p.name
    with pytest.raises(LazyLoadError, match="detached"):
        _ = back.email  # not loaded when pickled
    with pytest.raises(LazyLoadError, match="detached"):
        _ = back.country.name  # a target of a detached record is detached too
    assert rec.count == 0


def test_records_pickled_together_come_back_together(conn, page):
    countries = list(Country.objects.filter(code="BE"))
    partners, belgium = pickle.loads(pickle.dumps((page, countries)))
    assert len({id(p.country) for p in partners}) == 1
    assert partners[0].country is belgium[0] and belgium[0].code == "BE"


def test_changes_and_attributes_travel_and_save_takes_a_connection(conn, page):
    p = page[0]
    p.email = "moved@example.com"
    p.note = "checked"  # an attribute of the program's own
    copied = copy.deepcopy(p)
    assert copied.email == "moved@example.com" and copied.note == "checked"
    assert repr(copied).endswith("changed: email detached>")
    with pytest.raises(OdoormError, match="save\\(using=conn\\)"):
        copied.save()  # a private copy keeps its changes
    assert copied.email == "moved@example.com"
    copied.save(using=conn)  # writes through conn; the live record reloads it
    p.discard_changes()
    assert p.email == "moved@example.com"


def test_copy_makes_a_new_detached_object_each_time(conn, page):
    p = page[0]
    one, two = copy.copy(p), copy.copy(p)
    assert one is not two and one is not p and one == p
    assert one.name == p.name


def test_a_new_record_unpickles_as_a_new_record(conn):
    p = pickle.loads(pickle.dumps(Partner(name="Fresh", customer_rank=2)))
    assert p.id is None and p.name == "Fresh"
    p.save()  # the default connection, as for any new record
    assert Partner.objects.get(id=p.id) is p


def test_a_record_of_a_class_built_from_fields_get_pickles(conn):
    env_partner = conn.env["res.partner"]
    p = env_partner.objects.order_by("id").first()
    back = pickle.loads(pickle.dumps(p))
    assert back.name == p.name and back.id == p.id and back._meta.odoo_model == "res.partner"


def test_a_queryset_pickles_as_its_plan(conn, rec):
    qs = Partner.objects.filter(Q(name__ilike="a") | Q(country__code="BE")).order_by("-id")[:3]
    back = pickle.loads(pickle.dumps(qs))
    assert back.domain == qs.domain and back._result_cache is None
    assert [p.id for p in back] == [p.id for p in qs]


def test_an_evaluated_queryset_pickles_with_its_results(conn, rec):
    qs = Partner.objects.filter(country__code="BE").order_by("id")
    ids = [p.id for p in qs]
    rec.reset()
    back = pickle.loads(pickle.dumps(qs))
    assert [p.id for p in back] == ids and rec.count == 0  # no query: the results came along
    assert all(repr(p).endswith("detached>") for p in back)


def test_a_pinned_queryset_unpickles_on_the_default_connection(conn):
    other = conn.with_context(lang="en_US")
    qs = Partner.objects.using(other).filter(country__code="BE")
    back = pickle.loads(pickle.dumps(qs))
    assert back._plan.conn is None and back.count() == qs.count()
