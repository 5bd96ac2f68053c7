"""The identity map and record plumbing that the hot path relies on."""

from __future__ import annotations

import gc
import weakref

import pytest

from odoorm import fields
from odoorm.models import Model
from odoorm.session.cache import RecordCache

from .demo_models import Partner


class _Obj:
    pass


def test_identity_map_is_weak_and_swept():
    cache = RecordCache(maxsize=0)
    objs = cache.get_or_create_many("ns", list(range(5000)), lambda i: _Obj())
    assert cache.get(("ns", 7)) is objs[7]
    del objs
    # no keep-alive: the objects are gone, and so are their entries once swept
    assert cache.get(("ns", 7)) is None
    assert len(cache) == 0


def test_keep_alive_holds_the_newest_maxsize():
    cache = RecordCache(maxsize=3)
    cache.get_or_create_many("ns", [1, 2, 3, 4, 5], lambda i: _Obj())
    assert [cache.get(("ns", i)) is not None for i in (1, 2, 3, 4, 5)] == [
        False,
        False,
        True,
        True,
        True,
    ]
    obj = cache.get(("ns", 3))  # touched: now the most recent
    cache.get_or_create_many("ns", [6, 7], lambda i: _Obj())
    assert cache.get(("ns", 3)) is obj and cache.get(("ns", 4)) is None
    cache.discard(("ns", 3))
    assert cache.get(("ns", 3)) is None


def test_existing_objects_are_updated_not_rebuilt():
    cache = RecordCache()
    first = cache.get_or_create_many("ns", [1, 2], lambda i: _Obj())
    seen = []
    again = cache.get_or_create_many("ns", [2, 3], lambda i: _Obj(), lambda o, i: seen.append(i))
    assert again[0] is first[1] and seen == [0]


def test_dropped_records_are_freed_without_the_cycle_collector(conn):
    gc.disable()
    try:
        conn.cache.clear()  # empties the keep-alive
        c = conn.with_context()
        records = Partner.objects.using(c).filter(id__in=[1, 2, 3, 7]).order_by("id")
        found = list(records)
        assert len(found) >= 2
        ref = weakref.ref(found[0])
        c.cache.clear()
        del found, records
        assert ref() is None  # refcount alone freed it: no record <-> group cycle
    finally:
        gc.enable()


def test_group_members_are_the_live_records(conn, rec):
    partners = list(Partner.objects.filter(id__in=[1, 2, 3, 7]).order_by("id"))
    group = partners[0]._state.group
    assert group is partners[1]._state.group and len(group) == len(partners)


def test_a_field_with_its_own_conversion_is_not_served_raw(conn):
    class Upper(fields.Char):
        def to_python(self, value, conn=None):
            return value.upper() if value else None

    class LoudCurrency(Model):  # a model no other test declares
        _name = "res.currency"
        name = Upper()

    cur = LoudCurrency.objects.filter(name="eur".upper())[0]
    assert cur.name == "EUR" and cur.name == cur.name  # first access, then the fast path
    cur._state.raw["name"] = "chf"  # what a reload would bring: the converted cache is what counts
    cur._state.py.clear()
    assert cur.name == "CHF"
    assert fields.Char._fast != Upper._fast


@pytest.mark.parametrize("ttl", [None, 10.0])
def test_values_stay_fresh_until_clear(conn, rec, ttl):
    conn.cache.ttl = ttl
    p = Partner.objects.get(id=7)
    rec.reset()
    with rec.expect_calls(0):
        assert p.name and p.name == p.name
    conn.cache.clear()
    with rec.expect_calls(1):
        assert p.name


def test_a_page_shares_stamps_until_one_record_changes(conn, rec, db):
    first, second, third = list(Partner.objects.filter(id__in=[1, 3, 7]).order_by("id"))
    assert first._state.stamps is second._state.stamps  # one stamps dict for the page
    Partner.objects.filter(id=first.id).update(email="cow@example.com")  # invalidates first
    second.email = "second@example.com"
    second.save()
    rec.reset()
    with rec.expect_calls(0):
        assert second.email == "second@example.com" and third.name
    with rec.expect_calls(1):
        assert first.email == "cow@example.com"
    assert (
        first._state.stamps is not third._state.stamps
        and second._state.stamps is not third._state.stamps
    )
