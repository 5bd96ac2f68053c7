"""``cache_ttl``: seconds, ``0`` (do not cache: per query) and ``None`` (never expire),
pinned with call counts against the in-process emulator."""

from __future__ import annotations

from typing import Any

import pytest

import odoorm.models
from odoorm import fields
from odoorm.session import connect
from odoorm.transport.base import MockTransport, RecordingTransport, RPCCall


class TtlCountry(odoorm.models.Model):
    _name = "res.country"
    name = fields.Char()
    code = fields.Char()


class TtlPartner(odoorm.models.Model):
    _name = "res.partner"
    name = fields.Char()
    email = fields.Char()
    is_company = fields.Boolean()
    country = fields.Many2one(TtlCountry, source="country_id")


@pytest.fixture(scope="module")
def db() -> Any:
    orm = pytest.importorskip("odoorm.testing.orm")
    return orm.Database(version=18, data="demo")


def _open(db: Any, ttl: float | None) -> tuple[Any, RecordingTransport]:
    def handler(call: RPCCall) -> Any:
        args: list[Any] = list(call.args)
        if call.ids is not None:
            args.insert(0, list(call.ids))
        kwargs = dict(call.kwargs)
        if call.context:
            kwargs["context"] = dict(call.context)
        return db.execute(db.uid, call.model, call.method, args, kwargs)

    rec = RecordingTransport(MockTransport(handler, uid=db.uid))
    conn = connect(transport=rec, check_schema=False, cache_ttl=ttl, default=False)
    return conn, rec


def _page(conn: Any) -> list[TtlPartner]:
    qs = TtlPartner.objects.using(conn).filter(country_id__ne=False).order_by("id")[:10]
    return list(qs)


def test_ttl_zero_a_loop_over_a_page_reads_once(db):
    conn, rec = _open(db, 0)
    rec.reset()
    with rec.expect_calls(2):  # the page, then its countries
        page = _page(conn)
        for _ in range(3):
            for p in page:
                assert p.name and (p.email or p.is_company is not None)
                assert p.country.name and p.country.display_name
    assert rec.methods() == ["res.partner.search_read", "res.country.read"]


def test_ttl_zero_a_later_query_reads_again(db):
    conn, rec = _open(db, 0)
    first = _page(conn)
    [p.country.name for p in first]
    rec.reset()
    again = _page(conn)
    assert again == first and again[0] is first[0]  # identity holds
    with rec.expect_calls(1):  # countries read earlier are not served to the new query
        [p.country.name for p in again]
    rec.reset()
    with rec.expect_calls(1):  # nor is a record to get()
        TtlPartner.objects.using(conn).get(id=first[0].id)


def test_ttl_zero_a_change_made_elsewhere_shows_in_the_next_query(db):
    conn, _rec = _open(db, 0)
    p = TtlPartner.objects.using(conn).get(id=7)
    assert p.country is not None
    code = p.country.code
    country_id = p.country.id
    db.execute(db.uid, "res.country", "write", [[country_id], {"code": "ZZ"}], {})
    try:
        assert p.country.code == code  # the same query's records: what it read
        p = TtlPartner.objects.using(conn).get(id=7)
        assert p.country.code == "ZZ"  # a later query: read again
    finally:
        db.execute(db.uid, "res.country", "write", [[country_id], {"code": code}], {})


def test_ttl_zero_a_query_inside_the_loop_does_not_reload_the_page(db):
    conn, rec = _open(db, 0)
    page = _page(conn)
    [p.country.name for p in page]
    rec.reset()
    for p in page:
        list(TtlCountry.objects.using(conn).filter(id=p.country.id))  # other records
        assert p.name and p.country.name
    assert rec.methods() == ["res.country.search_read"] * len(page)


def test_ttl_zero_prefetch_reads_what_an_earlier_query_loaded(db):
    conn, rec = _open(db, 0)
    [p.country.name for p in _page(conn)]
    rec.reset()
    qs = TtlPartner.objects.using(conn).filter(country_id__ne=False).order_by("id")[:10]
    page = list(qs.prefetch("country"))
    assert rec.methods() == ["res.partner.search_read", "res.country.read"]
    with rec.expect_calls(0):
        [p.country.code for p in page]


@pytest.mark.parametrize("ttl", [300.0, None])
def test_cached_values_serve_later_queries_unless_ttl_zero(db, ttl):
    conn, rec = _open(db, ttl)
    now = [1000.0]
    conn.cache.timer = lambda: now[0]
    first = _page(conn)
    [p.country.name for p in first]
    now[0] += 200  # within 300 s
    rec.reset()
    with rec.expect_calls(1):  # the page only: countries served from the cache
        [p.country.name for p in _page(conn)]
    rec.reset()
    with rec.expect_calls(0):
        TtlPartner.objects.using(conn).get(id=first[0].id)
    now[0] += 10_000  # None never expires; 300 s has
    rec.reset()
    with rec.expect_calls(0 if ttl is None else 1):
        assert first[0].name
