"""The query examples of DESIGN.md, unchanged, with real declared models against
the embedded emulator over HTTP, with the promised call counts."""

from __future__ import annotations

import pytest

from odoorm import fields
from odoorm.aggregates import Count, Sum
from odoorm.domain import Q
from odoorm.models import Model
from odoorm.session import connect
from odoorm.transport.base import RecordingTransport


class Country(Model):
    _name = "res.country"
    name = fields.Char()
    code = fields.Char()


class Partner(Model):
    _name = "res.partner"
    name = fields.Char(required=True)
    email = fields.Char()
    is_company = fields.Boolean()
    customer_rank = fields.Integer()
    country = fields.Many2one(Country, source="country_id")
    parent = fields.Many2one("res.partner", source="parent_id")
    children = fields.One2many("res.partner", source="child_ids", inverse="parent_id")
    tags = fields.Many2many("res.partner.category", source="category_id")
    image = fields.Binary(source="image_1920")
    write_date = fields.Datetime(readonly=True)


class SaleOrder(Model):
    _name = "sale.order"
    name = fields.Char()
    state = fields.Selection()
    amount_total = fields.Monetary()
    partner = fields.Many2one(Partner, source="partner_id")


@pytest.fixture
def rec(make_emulator):
    emu = make_emulator(version=18)
    conn = connect(emu.url, db=emu.db, user=emu.login, password=emu.password, check_schema=False)
    recorder = RecordingTransport(conn.transport)
    conn._state.transport = recorder  # count what the queries send
    yield recorder
    conn.close()


def test_design_query_examples(rec):
    qs = (
        Partner.objects.filter(is_company=True, customer_rank__gt=0)
        .exclude(country__code="US")
        .filter(Q(name__ilike="acme") | Q(email__iendswith="@acme.com"))
        .order_by("-customer_rank", "name")[:20]
    )  # nothing sent yet
    assert rec.count == 0
    assert qs.domain[:3] == ["&", "&", "&"]
    with rec.expect_calls(1):
        list(qs)

    page = Partner.objects.filter(is_company=True).order_by("name")[:20]
    with rec.expect_calls(2):  # one search_read, then ONE read for the countries of the page
        names = [(p.name, p.country.name if p.country else None) for p in page]
    assert names and any(country for _, country in names)

    with rec.expect_calls(1):
        total = Partner.objects.count()
    assert total > 0
    assert Partner.objects.exists()
    first = Partner.objects.first()
    assert Partner.objects.get(id=first.id) is first
    with pytest.raises(Partner.DoesNotExist):
        Partner.objects.get(id=999_999)
    with rec.expect_calls(1):
        rows = list(Partner.objects.values("name", "country__code"))
    assert len(rows) == total
    ids = list(Partner.objects.values_list("id", flat=True))
    assert len(ids) == total and all(isinstance(i, int) for i in ids)

    with rec.expect_calls(2):
        assert Partner.objects.filter(name__startswith="Deco").update(customer_rank=1) == 1
    acme = Partner.objects.create(name="Acme")
    assert acme.id
    with rec.expect_calls(1):
        made = Partner.objects.bulk_create([Partner(name="B1"), Partner(name="B2")])
    assert all(p.id for p in made)
    assert Partner.objects.filter(name__in=["Acme", "B1", "B2"]).delete() == 3
    streamed = sum(1 for _ in Partner.objects.iterator(chunk_size=2000, progress=True))
    assert streamed == Partner.objects.count()
    groups = list(SaleOrder.objects.values("state").annotate(total=Sum("amount_total"), n=Count()))
    assert sum(g["n"] for g in groups) == SaleOrder.objects.count()
    assert Partner.objects.with_context(active_test=False).count() >= Partner.objects.count()
    before = rec.count
    listed = list(Partner.objects.filter(is_company=True).prefetch("country", "tags")[:5])
    assert rec.count - before <= 3  # partners, then at most one read per relation
    with rec.expect_calls(0):
        [(p.country.name if p.country else None, [t.id for t in p.tags]) for p in listed]


def test_design_notebook_examples(rec):
    pytest.importorskip("pandas")
    qs = Partner.objects.filter(is_company=True)
    df = qs.to_dataframe("name", "country__name", "customer_rank")
    assert list(df.columns) == ["name", "country__name", "customer_rank"]
    assert len(df) == qs.count()
    assert "<table" in qs._repr_html_()
