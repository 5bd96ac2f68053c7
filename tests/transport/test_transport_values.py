"""The same Python arguments reach Odoo the same way on every protocol, or are refused
with the same clear error before anything is sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import odoorm
from odoorm.exceptions import FieldError
from odoorm.testing import Emulator
from odoorm.transport.values import wire_value

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

UTC = dt.timezone.utc
PARIS = dt.timezone(dt.timedelta(hours=1))


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (dt.datetime(2027, 1, 1, 0, 30, tzinfo=PARIS), "2026-12-31 23:30:00"),
        (dt.datetime(2027, 1, 1, 0, 30, 59, 999999), "2027-01-01 00:30:59"),  # naive = UTC
        (dt.date(2028, 2, 29), "2028-02-29"),
        (pd.Timestamp("2027-03-01 10:00", tz="UTC"), "2027-03-01 10:00:00"),
        ({3, 1}, [1, 3]),
        ((1, (2, 3)), [1, [2, 3]]),
        (range(2), [0, 1]),
        (np.int64(7), 7),
        (np.float32(0.5), 0.5),
        (np.bool_(True), True),
        (np.array([1, 2]), [1, 2]),
        (Decimal("12.50"), 12.5),
        (
            {"a": [np.int32(1)], "b": {"c": dt.date(2027, 1, 2)}},
            {"a": [1], "b": {"c": "2027-01-02"}},
        ),
    ],
)
def test_python_values_become_one_wire_form(value, wire):
    got = wire_value(value)
    assert got == wire
    assert type(got) is type(wire) or isinstance(wire, list)


def test_plain_values_are_passed_through_without_copies():
    domain = [["name", "ilike", "a"], ["id", "in", [1, 2]]]
    values = {"name": "x", "rank": 1, "ratio": 0.5, "ok": True, "none": None}
    assert wire_value(domain) is domain
    assert wire_value(values) is values


@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), -np.inf, np.float64("nan"), pd.NaT, pd.NA, Decimal("NaN")]
)
def test_no_value_markers_are_refused_with_the_fix(bad):
    with pytest.raises(FieldError, match=r"Odoo has no NaN, infinity or NaT; send None"):
        wire_value({"x": [bad]}, "the arguments of res.partner.write")


def test_bytes_and_unknown_objects_are_refused_with_the_fix():
    with pytest.raises(FieldError, match=r"base64\.b64encode\(data\)\.decode\(\)"):
        wire_value(b"\x89PNG")
    with pytest.raises(FieldError, match="cannot send a object in the call"):
        wire_value(object())


@pytest.fixture(scope="module")
def odoo19():
    with Emulator(version=19, now="2026-11-29 13:00:00") as odoo:
        yield odoo


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc", "session", "json2"])
def test_every_protocol_takes_the_same_python_arguments(odoo19, protocol):
    key = {"api_key": odoo19.api_key} if protocol == "json2" else {"password": odoo19.password}
    conn = odoorm.connect(
        odoo19.url, db=odoo19.db, user=odoo19.login, protocol=protocol, default=False, **key
    )
    try:
        ids = conn.execute("res.partner", "search", [("is_company", "=", True)])
        expected = len(ids)
        domain = [
            ("id", "in", {*ids}),  # a set
            ("write_date", "<", dt.datetime(2100, 1, 1, tzinfo=UTC)),
            ("create_date", ">", dt.date(2000, 1, 1)),
            ("id", "not in", np.array([0, -1])),
            ("customer_rank", ">=", Decimal("0")),
        ]
        assert conn.execute("res.partner", "search_count", domain) == expected
        assert conn.execute("res.partner", "read", np.array(ids[:2]), ["id"]) == [
            {"id": i} for i in ids[:2]
        ]
        sent = len(odoo19.request_log)
        with pytest.raises(FieldError, match="Odoo has no NaN"):
            conn.execute("res.partner", "write", [ids[0]], {"credit_limit": float("nan")})
        with pytest.raises(FieldError, match=r"lone surrogate \('\\ud83d'\)"):
            conn.execute("res.partner", "write", [ids[0]], {"name": "smile \ud83d"})
        assert len(odoo19.request_log) == sent  # refused before anything was sent
    finally:
        conn.close()
