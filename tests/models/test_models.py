"""Declaring models and using records."""

from __future__ import annotations

import pytest

import odoorm.models
from odoorm import FieldError, ReadonlyError, fields
from odoorm.commands import Command
from odoorm.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from odoorm.models import Model, SchemaError

from .demo_models import Country, Partner, SaleOrder, Tag


def test_declaration_collects_fields_in_order_and_inherits():
    class Company(Partner):
        vat = fields.Char()

    assert list(Partner._meta.fields)[:3] == ["name", "email", "is_company"]
    assert list(Company._meta.fields)[-1] == "vat" and "country" in Company._meta.fields
    assert Company._meta.odoo_model == "res.partner"
    assert Partner._meta.get_field("country_id") is Partner.country
    assert "country_id" in Partner._meta.read_fields() and "image_1920" not in (
        Partner._meta.read_fields()
    )


def test_unknown_field_suggests():
    with pytest.raises(FieldError, match="did you mean 'email'"):
        Partner._meta.get_field("emial")
    with pytest.raises(FieldError, match="did you mean"):
        Partner(emial="x")
    # a field whose Python and Odoo names are equal is suggested once; the
    # sentence ends before the list of known fields
    with pytest.raises(FieldError) as info:
        Partner._meta.get_field("nam")
    suggestion = str(info.value).split(" Known fields")[0]
    assert suggestion.count("'name'") == 1
    with pytest.raises(FieldError, match=r"has no field 'zzz'\. Known fields"):
        Partner._meta.get_field("zzz")


def test_reserved_names_are_refused():
    with pytest.raises(FieldError, match="taken by the Model API"):

        class Bad(Model):
            _name = "res.partner"
            save = fields.Char()


def test_per_class_exceptions():
    assert issubclass(Partner.DoesNotExist, ObjectDoesNotExist)
    assert issubclass(Partner.MultipleObjectsReturned, MultipleObjectsReturned)
    assert Partner.DoesNotExist is not Country.DoesNotExist


def test_repr_eq_hash(conn):
    p = Partner.objects.get(id=7)
    assert repr(p) == "<Partner res.partner(7)>"
    assert repr(Partner(name="x")) == "<Partner res.partner(new)>"
    other = conn.env["res.partner"].objects.get(id=7)
    assert other == p and hash(other) == hash(p) and other is not p
    assert Partner(name="x") != Partner(name="x")


def test_readonly_and_required(conn):
    p = Partner.objects.get(id=7)
    with pytest.raises(ReadonlyError, match="write_date is readonly"):
        p.write_date = None
    with pytest.raises(FieldError, match="required field"):
        Partner(email="a@b.c").save()


def test_create_write_refresh_delete(conn, rec):
    p = Partner(name="Created", email="c@x.com", is_company=True).save()
    assert isinstance(p.id, int) and rec.methods()[-1] == "res.partner.create"
    assert Partner.objects.get(id=p.id) is p
    p.email = "d@x.com"
    p.save()
    assert p.refresh().email == "d@x.com"
    p.delete()
    with pytest.raises(Partner.DoesNotExist):
        Partner.objects.get(id=p.id)


def test_many2one_assignment(conn):
    p = Partner.objects.get(id=7)
    be = Country.objects.get(code="BE")
    p.country = be
    assert p.country is be
    p.country = be.id
    assert p.country is be
    p.save()
    assert p.refresh().country is be
    with pytest.raises(FieldError, match=r"res\.country record"):
        p.country = Tag.objects.all()[0]
    p.country = None
    assert p.country is None


def test_raw_commands_and_related_set_api(conn):
    p = Partner.objects.get(id=7)
    tags = list(Tag.objects.all()[:3])
    p.tags = [Command.set([t.id for t in tags[:2]])]
    p.save()
    assert set(p.tags.ids) == {tags[0].id, tags[1].id}
    assert len(p.tags) == 2 and tags[0] in p.tags and p.tags.count() == 2
    assert list(p.tags.filter(id=tags[0].id)) == [tags[0]]
    p.tags.update(tags[0], color=5)
    p.tags.clear()
    p.save()
    assert tags[0].color == 5 and len(p.tags) == 0
    new = p.tags.create(name="Brand new tag")
    p.save()
    assert new.id is None and "Brand new tag" in [t.name for t in p.tags]


def test_call_and_to_dict(conn):
    order = SaleOrder.objects.filter(state="draft").order_by("id")[0]
    order.call("action_confirm")
    assert order.state == "sale"
    data = Partner.objects.get(id=7).to_dict()
    assert data["id"] == 7 and isinstance(data["tags"], list)
    assert data["country"] is None or isinstance(data["country"], int)


def test_selection_checked_against_server_on_save(conn):
    class Contact(Model):
        _name = "res.partner"
        name = fields.Char()
        type = fields.Selection()

    c = Contact.objects.get(id=7)
    c.type = "nonsense"
    with pytest.raises(FieldError, match="not a valid choice"):
        c.save()


def test_env_class_from_fields_get(conn):
    Env = conn.env["res.partner"]
    assert conn.env["res.partner"] is Env
    p = Env.objects.get(id=7)
    assert isinstance(p.name, str) and p.country_id.display_name
    assert p.country_id._meta.odoo_model == "res.country"


def test_undeclared_comodel_gets_a_dynamic_class(conn):
    class Lead(Model):
        _name = "res.partner"
        name = fields.Char()
        industry = fields.Many2one("res.partner.industry", source="industry_id")

    assert Lead.industry.comodel._meta.dynamic
    assert Lead.industry.comodel is odoorm.models.dynamic_class("res.partner.industry")


def test_check_schema_lists_every_mismatch(conn):
    class Wrong(Model):
        _name = "res.partner"
        name = fields.Integer()
        nope = fields.Char()
        country = fields.Many2one("res.partner", source="country_id")

    with pytest.raises(SchemaError) as err:
        Wrong.check_schema(conn)
    text = str(err.value)
    assert "name: declared Integer" in text
    assert "nope: no field 'nope'" in text
    assert "points to res.country" in text
    Country.check_schema(conn)  # matching declarations pass
    SaleOrder.check_schema(conn)


class Customer(Model):
    """res.partner as the emulator describes it (demo Partner's image_1920 is not there)."""

    _name = "res.partner"
    name = fields.Char()
    country = fields.Many2one(Country, source="country_id")


def _checked_conn(db):
    from odoorm.session import connect

    from .conftest import RecordingTransport, in_process

    rec = RecordingTransport(in_process(db))
    return connect(transport=rec, default=False), rec


def test_schema_checked_once_per_class_and_connection(db):
    c, rec = _checked_conn(db)
    partners = Customer.objects.using(c).filter(id__in=[7, 9])
    assert next(iter(partners)).country.name  # the query checks Customer, the lazy load Country
    assert rec.methods()[:2] == ["res.partner.fields_get", "res.partner.search_read"]
    assert next(iter(Customer.objects.using(c).filter(id__in=[10, 11]))).country.code
    assert Customer.objects.using(c).count() > 0
    assert rec.methods().count("res.partner.fields_get") == 1
    assert rec.methods().count("res.country.fields_get") == 1
    c.close()


def test_schema_check_opt_out_sends_the_query_alone(db):
    from odoorm.session import connect

    from .conftest import RecordingTransport, in_process

    rec = RecordingTransport(in_process(db))
    c = connect(transport=rec, default=False, check_schema=False)
    with rec.expect_calls(1):
        list(Customer.objects.using(c).filter(id__in=[7, 9]))
    c.close()


def test_wrong_declaration_fails_before_the_query_is_sent(db):
    class Misdeclared(Model):
        _name = "res.partner"
        name = fields.Integer()
        nope = fields.Char()
        country = fields.Many2one("res.partner", source="country_id")

    c, rec = _checked_conn(db)
    with pytest.raises(SchemaError) as err:
        list(Misdeclared.objects.using(c).filter(name=3))
    text = str(err.value)
    assert "name: declared Integer" in text and "nope: no field 'nope'" in text
    assert "country: declared to point to res.partner" in text
    assert rec.methods() == ["res.partner.fields_get"]  # the search_read never left
    with pytest.raises(SchemaError):
        Misdeclared.objects.using(c).count()  # still refused (and still no search sent)
    assert "res.partner.search_count" not in rec.methods()
    c.close()
