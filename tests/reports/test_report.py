"""Notebook reports: DataFrames, pivots and HTML, against the emulator."""

from __future__ import annotations

import builtins
import html

import pytest

from odoorm import fields
from odoorm.aggregates import Count, Sum
from odoorm.exceptions import FieldError
from odoorm.models import Model
from odoorm.report import html_table, pivot, record_html, require_pandas, to_dataframe
from odoorm.session import connect
from odoorm.transport import RecordingTransport

pd = pytest.importorskip("pandas")


class RCountry(Model):
    _name = "res.country"

    name = fields.Char()
    code = fields.Char()


class RPartner(Model):
    _name = "res.partner"

    name = fields.Char()
    is_company = fields.Boolean()
    country = fields.Many2one(RCountry, source="country_id")
    tags = fields.Many2many("res.partner.category", source="category_id")
    write_date = fields.Datetime(readonly=True)


class ROrder(Model):
    _name = "sale.order"

    name = fields.Char()
    partner = fields.Many2one(RPartner, source="partner_id")
    state = fields.Selection()
    date_order = fields.Datetime()
    amount_total = fields.Monetary()


@pytest.fixture(scope="module")
def conn():
    from odoorm.testing import Emulator

    with Emulator(version=18) as odoo:
        c = connect(odoo.url, db=odoo.db, user=odoo.login, password=odoo.password, default=False)
        c._state.transport = RecordingTransport(c.transport)
        yield c
        c.close()


def test_dataframe_columns_dtypes_and_index(conn):
    qs = RPartner.objects.using(conn).filter(is_company=True).order_by("id")
    df = to_dataframe(qs, "name", "country", "country__code", "tags", "write_date")
    assert df.index.name == "id"
    assert list(df.columns) == ["name", "country", "country__code", "tags", "write_date"]
    assert len(df) == qs.count()
    assert str(df["write_date"].dtype).startswith("datetime64")
    assert all(isinstance(v, list) for v in df["tags"])
    first = qs.first()
    assert df.loc[first.id, "name"] == first.name
    assert df.loc[first.id, "country"] == (first.country.display_name if first.country else None)


def test_many2one_as_ids(conn):
    qs = RPartner.objects.using(conn).filter(country__code="US")
    df = to_dataframe(qs, "name", "country", m2o="id")
    assert str(df["country"].dtype) == "Int64"
    assert df["country"].nunique() == 1


def test_default_columns_are_the_declared_fields(conn):
    df = to_dataframe(ROrder.objects.using(conn).all())
    assert list(df.columns) == ["name", "partner", "state", "date_order", "amount_total"]
    assert df["amount_total"].dtype == "float64"


def test_dataframe_streams_in_chunks(conn):
    rec = conn.transport
    qs = RPartner.objects.using(conn).all()
    total = qs.count()
    rec.reset()
    df = to_dataframe(qs, "name", chunk_size=10)
    assert len(df) == total
    pages = -(-total // 10)
    assert total > 10 and pages <= rec.count <= pages + 1  # one request per chunk


def test_bad_options(conn):
    qs = RPartner.objects.using(conn).all()
    with pytest.raises(FieldError, match="m2o= takes 'name' or 'id'"):
        to_dataframe(qs, "name", m2o="display")
    with pytest.raises(FieldError, match="no field 'nmae'"):
        to_dataframe(qs, "nmae")


def test_annotate_results_become_a_frame(conn):
    qs = (
        ROrder.objects.using(conn)
        .values("partner")
        .annotate(total=Sum("amount_total"), n=Count())
        .order_by("-total")
    )
    df = to_dataframe(qs)
    assert list(df.columns) == ["partner", "total", "n"]
    assert isinstance(df.loc[0, "partner"], str)


def test_pivot_is_one_read_group(conn):
    rec = conn.transport
    rec.reset()
    table = pivot(
        ROrder.objects.using(conn).all(),
        rows="partner",
        columns="state",
        values=Sum("amount_total"),
    )
    assert rec.count == 1 and rec.calls[0].method in ("read_group", "formatted_read_group")
    assert table.columns.name == "state"
    total = ROrder.objects.using(conn).aggregate(t=Sum("amount_total"))["t"]
    assert table.to_numpy().sum() == pytest.approx(total)
    counts = pivot(ROrder.objects.using(conn).all(), rows="state")
    assert counts["value"].sum() == ROrder.objects.using(conn).count()


def test_html_table_shows_count_domain_and_first_rows(conn):
    rec = conn.transport
    qs = RPartner.objects.using(conn).filter(is_company=True)
    rec.reset()
    page = html_table(qs, limit=3)
    assert rec.count == 2  # one count, one read of 3 rows
    assert "<table>" in page and page.split("<tbody>")[1].count("<tr>") == 3
    assert f"{qs.count()} records (first 3 shown)" in page
    assert "is_company" in page and "&#x27;" in page  # the domain, escaped


def test_html_table_of_values_and_groups_shows_their_rows(conn):
    """values(), values_list() and annotate() query sets render (they used to raise)."""
    objects = ROrder.objects.using(conn)
    page = html_table(objects.values("name", "partner").order_by("name"), limit=2)
    assert "<th>name</th><th>partner</th>" in page and "20 rows (first 2 shown)" in page
    assert "<td>S00001</td>" in page and "(2," not in page  # the partner by name

    page = html_table(objects.values_list("id", "name").order_by("id"), limit=1)
    assert "<tr><td>1</td><td>S00001</td></tr>" in page  # two columns, not a many2one

    page = html_table(objects.values_list("name", flat=True).order_by("name"), limit=1)
    assert "<th>name</th>" in page and "<tr><td>S00001</td></tr>" in page

    groups = objects.values("state").annotate(total=Sum("amount_total")).order_by("state")
    page = groups._repr_html_()
    assert "<th>state</th><th>total</th>" in page and "4 groups" in page
    assert "<td>cancel</td>" in page


def test_empty_queryset_gives_an_empty_frame_with_the_columns(conn):
    df = to_dataframe(ROrder.objects.using(conn).filter(name="no such order"))
    assert df.empty and df.index.name == "id"
    assert list(df.columns) == ["name", "partner", "state", "date_order", "amount_total"]
    assert str(df["date_order"].dtype).startswith("datetime64")


def test_record_html_escapes_values(conn):
    partner = RPartner.objects.using(conn).create(name="<b>Bold & Co</b>")
    page = record_html(partner)
    assert "&lt;b&gt;Bold &amp; Co&lt;/b&gt;" in page and "<b>Bold" not in page
    assert f"RPartner({partner.id})" in page


def test_missing_pandas_names_the_extra(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=r"pip install odoorm\[pandas\]"):
        require_pandas()


def test_record_html_of_a_fields_get_class_reads_its_fields_in_one_call(conn):
    partner = conn.env["res.partner"].objects.filter(is_company=True).first()
    rec = conn.transport
    start = rec.count
    page = record_html(partner)
    assert "<table>" in page and html.escape(partner.name) in page
    made = rec.methods()[start:]
    # one read for the data; the rest are the related models' schemas, read once
    # per connection to build their classes
    assert [m for m in made if not m.endswith(".fields_get")] == ["res.partner.read"], made
    again = rec.count
    record_html(partner)
    assert rec.count == again
