"""to_dataframe() and the notebook table: the query chooses the columns, dtypes are honest."""

from __future__ import annotations

import pytest

from odoorm import fields
from odoorm.models import Model
from odoorm.session import connect
from odoorm.transport import RecordingTransport

pd = pytest.importorskip("pandas")


class DCountry(Model):
    _name = "res.country"

    name = fields.Char()
    code = fields.Char()


class DPartner(Model):
    _name = "res.partner"

    name = fields.Char()
    email = fields.Char()
    is_company = fields.Boolean()
    customer_rank = fields.Integer()
    country = fields.Many2one(DCountry, source="country_id")
    parent = fields.Many2one("res.partner", source="parent_id")
    tags = fields.Many2many("res.partner.category", source="category_id")
    write_date = fields.Datetime(readonly=True)


class DOrder(Model):
    _name = "sale.order"

    name = fields.Char()
    partner = fields.Many2one(DPartner, source="partner_id")
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


def test_values_choose_the_columns_in_their_order_with_paths(conn):
    qs = DPartner.objects.using(conn).values("name", "country__code", "parent")
    df = qs.to_dataframe()
    assert list(df.columns) == ["name", "country__code", "parent"]
    assert df.index.name == "id"
    row = DPartner.objects.using(conn).get(name="Marc Demo")
    assert df.loc[row.id, "country__code"] == row.country.code
    assert df.loc[row.id, "parent"] == row.parent.display_name


def test_values_list_and_only_choose_the_columns(conn):
    partners = DPartner.objects.using(conn).order_by("id")
    assert list(partners.values_list("email", "name").to_dataframe().columns) == ["email", "name"]
    assert list(partners.values_list("name", flat=True).to_dataframe().columns) == ["name"]
    assert list(partners.only("parent", "name").to_dataframe().columns) == ["parent", "name"]
    assert "email" not in partners.defer("email").to_dataframe().columns
    # explicit fields win over the query's own
    assert list(partners.values("name").to_dataframe("email").columns) == ["email"]


def test_html_table_follows_only_and_values(conn):
    partners = DPartner.objects.using(conn).order_by("id")
    page = partners.only("parent", "name")._repr_html_()
    head = page.split("</thead>")[0]
    assert head.index("<th>parent</th>") < head.index("<th>name</th>")
    assert "<th>email</th>" not in head
    page = partners.values("name", "country__code")._repr_html_()
    assert "<th>country__code</th>" in page.split("</thead>")[0]


def test_dtypes_follow_one_mapping(conn):
    df = DPartner.objects.using(conn).order_by("id").to_dataframe()
    assert {c: str(t) for c, t in df.dtypes.items()} == {
        "name": "string",
        "email": "string",
        "is_company": "boolean",
        "customer_rank": "Int64",
        "country": "string",
        "parent": "string",
        "tags": "object",
        "write_date": "datetime64[ns, UTC]"
        if df["write_date"].dtype.unit == "ns"
        else f"datetime64[{df['write_date'].dtype.unit}, UTC]",
    }
    company = DPartner.objects.using(conn).filter(parent=None).first()
    assert df.loc[company.id, "parent"] is pd.NA  # a missing many2one is <NA>, never False
    by_id = DPartner.objects.using(conn).order_by("id").to_dataframe("parent", m2o="id")
    assert str(by_id["parent"].dtype) == "Int64"
    assert by_id.loc[company.id, "parent"] is pd.NA


def test_paths_and_missing_values_are_null_not_false(conn):
    df = DPartner.objects.using(conn).to_dataframe("country__code", "parent__name", "tags__name")
    assert str(df["country__code"].dtype) == "string"
    company = DPartner.objects.using(conn).filter(parent=None).first()
    assert df.loc[company.id, "parent__name"] is pd.NA
    assert all(isinstance(v, list) for v in df["tags__name"])  # through an x2many: lists
    assert not (df == False).any().any()  # noqa: E712 - no Odoo False leaks into a frame


def test_dates_are_datetime64(conn):
    df = DOrder.objects.using(conn).to_dataframe("date_order", "amount_total", "partner__id")
    assert str(df["date_order"].dtype).startswith("datetime64")
    assert str(df["date_order"].dt.tz) == "UTC"
    assert df["amount_total"].dtype == "float64"
    assert str(df["partner__id"].dtype) == "Int64"


def test_fields_of_the_model_are_one_search_read_per_chunk(conn):
    rec = conn.transport
    qs = DPartner.objects.using(conn).filter(is_company=True)
    total = qs.count()
    rec.reset()
    df = qs.to_dataframe("name", "country", "parent", "customer_rank", chunk_size=total + 1)
    assert len(df) == total
    assert [c.method for c in rec.calls] == ["search_read"]
    assert set(rec.calls[0].kwargs["fields"]) == {
        "name",
        "country_id",
        "parent_id",
        "customer_rank",
    }


def test_workers_read_chunks_in_parallel_and_keep_the_order(conn):
    qs = DPartner.objects.using(conn).order_by("name")
    plain = qs.to_dataframe("name", "parent")
    threaded = qs.to_dataframe("name", "parent", chunk_size=7, workers=2)
    pd.testing.assert_frame_equal(plain, threaded)
    assert list(plain["name"]) == sorted(plain["name"], key=lambda n: n)  # server order kept
