"""Field conversions and Command values (pure, no connection)."""

from __future__ import annotations

import datetime as dt

import pytest

from odoorm import FieldError
from odoorm import fields as f
from odoorm.commands import Command, is_command

from .demo_models import Partner


def test_false_becomes_none_except_boolean():
    assert f.Char().to_python(False) is None
    assert f.Integer().to_python(False) is None
    assert f.Integer().to_python(0) == 0
    assert f.Boolean().to_python(False) is False
    assert f.Char().to_wire(None) is False


def test_dates_and_datetimes():
    assert f.Date().to_python("2024-10-05") == dt.date(2024, 10, 5)
    value = f.Datetime().to_python("2024-10-05 13:14:15")
    assert value == dt.datetime(2024, 10, 5, 13, 14, 15, tzinfo=dt.timezone.utc)
    paris = dt.timezone(dt.timedelta(hours=2))
    assert f.Datetime().to_wire(dt.datetime(2024, 10, 5, 15, 0, tzinfo=paris)) == (
        "2024-10-05 13:00:00"
    )
    assert f.Date().to_wire(dt.date(2024, 1, 2)) == "2024-01-02"
    with pytest.raises(FieldError, match="datetime"):
        f.Date().validate(dt.datetime(2024, 1, 1))


def test_binary_is_bytes_on_python_side():
    assert f.Binary().to_python("aGVsbG8=") == b"hello"
    assert f.Binary().to_wire(b"hello") == "aGVsbG8="
    with pytest.raises(FieldError, match="bytes"):
        f.Binary().validate("hello")


def test_float_and_monetary():
    assert f.Float(digits=(16, 2)).digits == (16, 2)
    assert f.Monetary().to_python(3) == 3.0
    assert isinstance(f.Float().validate(2), float)


def test_selection_is_checked_with_a_suggestion():
    sel = f.Selection([("draft", "Draft"), ("sale", "Sales Order")])
    assert sel.validate("draft") == "draft"
    with pytest.raises(FieldError, match="did you mean 'draft'"):
        sel.validate("drafts")


def test_properties_read_as_dict():
    wire = [{"name": "a", "type": "char", "value": "x"}, {"name": "b", "value": 2}]
    assert f.Properties().to_python(wire) == {"a": "x", "b": 2}
    assert f.Properties().to_python(False) == {}


def test_reference_wire():
    assert f.Reference().to_python("res.partner,7") == ("res.partner", 7)
    assert f.Reference().to_wire(("res.partner", 7)) == "res.partner,7"


def test_wrong_type_is_a_clear_error():
    with pytest.raises(FieldError, match=r"Partner.customer_rank \(integer\) takes int"):
        Partner(customer_rank="3")


def test_field_on_class_is_the_descriptor():
    assert Partner.country.source == "country_id"
    assert Partner.country.comodel_name == "res.country"
    assert Partner.name.type == "char" and Partner.name.required
    assert Partner.country.comodel_info.odoo_model == "res.country"


def test_commands_mirror_odoo():
    assert Command.create({"name": "B"}) == (0, 0, {"name": "B"})
    assert Command.update(7, {"name": "B"}) == (1, 7, {"name": "B"})
    assert Command.delete(7) == (2, 7, 0)
    assert Command.unlink(7) == (3, 7, 0)
    assert Command.link(7) == (4, 7, 0)
    assert Command.clear() == (5, 0, 0)
    assert Command.set([1, 2]) == (6, 0, [1, 2])
    assert Command.LINK == 4 and is_command((4, 1, 0)) and not is_command(("x",))
    with pytest.raises(TypeError, match="record id"):
        Command.link("7")


def test_server_quirks_date_min_unpadded_and_json_in_binary():
    # Odoo writes date.min as '1-01-01'; some binary fields carry JSON (tax_totals)
    assert f.Date().to_python("1-01-01") == dt.date(1, 1, 1)
    assert f.Datetime().to_python("1-01-01 00:00:00") == dt.datetime(
        1, 1, 1, tzinfo=dt.timezone.utc
    )
    assert f.Binary().to_python({"amount_total": 1.0}) == {"amount_total": 1.0}
    assert f.Binary().to_python([[1, "list"]]) == [[1, "list"]]
    with pytest.raises(FieldError, match="the server sent 'soon', which is not a date"):
        f.Date().to_python("soon")
