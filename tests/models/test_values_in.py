"""What goes in is what the user meant: pandas' missing markers mean "no value",
numpy numbers are numbers, and values the server would refuse (or silently store
wrong, or silently match nothing with) are refused before anything is sent."""

from __future__ import annotations

import datetime as dt

import pytest

from odoorm import fields
from odoorm.exceptions import BulkCreateError, FieldError, ReadonlyError, ValidationError
from odoorm.models import Model
from odoorm.session import connect
from odoorm.transport.base import MockTransport, RecordingTransport

from .conftest import in_process
from .demo_models import Partner, Tag

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")


class Place(Model):
    _name = "res.partner"
    name = fields.Char(required=True)
    latitude = fields.Float(source="partner_latitude")
    customer_rank = fields.Integer()
    is_company = fields.Boolean()
    country = fields.Many2one("res.country", source="country_id")


class Order(Model):
    _name = "sale.order"
    state = fields.Selection()  # values learned from the server
    date_order = fields.Datetime()


class Quote(Model):
    _name = "sale.order"
    state = fields.Selection([("draft", "Quotation"), ("sale", "Sales Order")])


MISSING = [float("nan"), np.nan, np.float32("nan"), pd.NaT, pd.NA, None]


# -- values that go in ---------------------------------------------------------------


def test_a_dataframe_with_gaps_creates_records_with_no_value(conn, db):
    frame = pd.DataFrame(
        {
            "name": ["a", "b", "c"],
            "latitude": [1.5, np.nan, 2.5],
            "customer_rank": [1, None, 3],  # float64 with a NaN: 1.0, nan, 3.0
            "is_company": [True, None, False],
        }
    )
    made = Place.objects.bulk_create(frame.to_dict("records"))
    rows = db.execute(
        2, "res.partner", "read", [[p.id for p in made]], {"fields": ["partner_latitude"]}
    )
    assert [r["partner_latitude"] for r in rows] == [1.5, False, 2.5]  # never NaN
    assert [p.customer_rank for p in made] == [1, None, 3]
    assert type(made[0].customer_rank) is int
    assert Place.objects.filter(name__in=["a", "b", "c"], latitude__isnull=True).count() == 1


@pytest.mark.parametrize("missing", MISSING, ids=repr)
def test_every_missing_marker_saves_as_no_value(conn, missing):
    place = Place.objects.create(name="gap", latitude=4.0, customer_rank=2)
    place.latitude = missing
    place.customer_rank = missing
    place.save()
    fresh = Place.objects.get(id=place.id)
    fresh.refresh()
    # Odoo reads an empty float back as 0.0 and an empty integer as 0: never NaN
    assert fresh.latitude in (None, 0.0) and fresh.customer_rank in (None, 0)


def test_numpy_numbers_are_numbers_and_impossible_numbers_are_refused(conn, rec):
    place = Place(name="np", customer_rank=np.int64(4), latitude=np.float32(0.5))
    assert place.customer_rank == 4 and type(place.customer_rank) is int
    rec.reset()
    with pytest.raises(FieldError, match=r"out of range; Odoo stores integers in 32 bits"):
        place.customer_rank = 2**40
    with pytest.raises(FieldError, match="Odoo has no infinity"):
        place.latitude = -np.inf
    with pytest.raises(FieldError, match=r"takes int or None, got float 3\.5"):
        place.customer_rank = 3.5
    assert rec.calls == []


@pytest.mark.parametrize("bad", [0, -3, np.int64(-1)])
def test_ids_that_cannot_exist_are_refused(conn, rec, bad):
    place = Place(name="x")
    with pytest.raises(FieldError, match="is not a record id"):
        place.country = bad
    with pytest.raises(FieldError, match="is not a record id"):
        Partner(name="y").tags.add(bad)
    with pytest.raises(FieldError, match="is not a record id"):
        Place.objects.filter(country=bad)
    assert rec.calls == []


def test_one_record_for_an_x2many_says_to_use_a_list(conn):
    tag = Tag.objects.create(name="vip")
    partner = Partner(name="z")
    with pytest.raises(FieldError, match=r"assign a list \(partner\.tags = \[<Tag"):
        partner.tags = tag


# -- filters -------------------------------------------------------------------------


def test_filters_take_numpy_and_pandas_values(conn):
    ids = [p.id for p in Place.objects.order_by("id")[:3]]
    assert Place.objects.filter(id__in=np.array(ids)).count() == 3
    assert Place.objects.filter(id__in=pd.Index(ids)).count() == 3
    assert Place.objects.filter(id=np.int64(ids[0])).count() == 1
    assert set(Place.objects.in_bulk(pd.Series(ids))) == set(ids)
    no_country = Place.objects.filter(country__isnull=True).count()
    assert Place.objects.filter(country=pd.NaT).count() == no_country
    assert Place.objects.filter(country=np.nan).count() == no_country


def test_a_declared_selection_value_is_checked_when_the_filter_is_built(conn, rec):
    with pytest.raises(FieldError, match=r"'done' is not a value of .*'draft', 'sale'"):
        Quote.objects.filter(state="done")
    with pytest.raises(FieldError, match="'bogus' is not a value"):
        Quote.objects.filter(state__in=["sale", "bogus"])
    assert rec.calls == []


def test_a_server_selection_value_is_checked_before_any_search(db):
    rec = RecordingTransport(in_process(db))
    checked = connect(transport=rec, check_schema=True, default=False)
    qs = Order.objects.using(checked).filter(state__in=["sale", "done"])  # built: no call
    assert rec.calls == []
    with pytest.raises(FieldError, match=r"'done' is not a value of sale.order.state .*Odoo 18"):
        qs.count()
    assert all(c.method == "fields_get" for c in rec.calls)
    assert Order.objects.using(checked).filter(state="sale").count() > 0
    checked.close()


@pytest.mark.parametrize("text", ["yesterday", "2024-13-01", "now"])
def test_a_date_string_that_is_not_a_date_is_refused(conn, rec, text):
    with pytest.raises(FieldError, match=r"is not a datetime .*write 'YYYY-MM-DD HH:MM:SS'"):
        Order.objects.filter(date_order__gte=text)
    assert Order.objects.filter(date_order__gte="2024-01-01").domain
    assert rec.calls == []


# -- bulk_create ---------------------------------------------------------------------


def test_a_bad_row_is_named_and_nothing_is_created(conn, rec):
    rows = [{"name": f"ok {i}"} for i in range(500)] + [{"name": "bad", "customer_rank": "x"}]
    rec.reset()
    with pytest.raises(FieldError, match=r"bulk_create of res.partner: row 500: .*customer_rank"):
        Place.objects.bulk_create(rows, batch_size=100)
    assert rec.calls == []


def test_a_refused_batch_names_the_row_with_a_dangling_id(db):
    inner = in_process(db)

    def handler(call):
        if call.method == "create":
            raise ValidationError("another model requires the record being deleted")
        return inner.call(call)

    conn = connect(transport=MockTransport(handler), check_schema=False, default=False)
    rows = [{"name": "a", "country": 1}, {"name": "b", "country": 10**9}, {"name": "c"}]
    with pytest.raises(BulkCreateError) as info:
        Place.objects.using(conn).bulk_create(rows)
    message = str(info.value)
    assert "row 1 names res.country id(s) [1000000000] in country_id, which do not exist" in message
    assert info.value.created_ids == [] and "nothing was created" in message
    conn.close()


def test_bulk_create_shows_progress(conn, capsys):
    pytest.importorskip("tqdm")
    made = Place.objects.bulk_create(
        [{"name": f"p{i}"} for i in range(30)], batch_size=10, progress=True
    )
    assert len({p.id for p in made}) == 30
    assert "30/30" in capsys.readouterr().err


def test_datetimes_from_pandas_are_utc(conn):
    order = Order.objects.first()
    order.date_order = pd.Timestamp("2027-01-01 00:30", tz="Europe/Paris")
    order.save()
    order.refresh()
    assert order.date_order == dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.timezone.utc)


def test_plain_mistakes_in_declarations_and_ids_get_plain_errors(conn):
    with pytest.raises(FieldError, match=r"Many2one\(int\): the target must be a model class"):
        fields.Many2one(int)
    with pytest.raises(FieldError, match=r"Odoo model name such as 'res\.partner'"):
        fields.Many2many("")
    place = Place.objects.first()
    with pytest.raises(ReadonlyError, match=r"use Place.objects.get\(id=5\)"):
        place.id = 5
    with pytest.raises(ReadonlyError, match="given by the server"):
        place.pk = 5
