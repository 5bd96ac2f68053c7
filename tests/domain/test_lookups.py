"""Validation before any call, value conversion, and the lookup registry."""

from __future__ import annotations

import datetime as dt
import decimal
import enum

import pytest

import odoorm.exceptions
from odoorm.domain import (
    Lookup,
    LookupContext,
    Q,
    SubDomain,
    escape_like,
    get_lookup,
    lookup_names,
    normalize,
    register_lookup,
    to_wire,
    unregister_lookup,
)
from odoorm.exceptions import FieldError

from .fakes import PARTNER


def error_of(model=PARTNER, version=None, **lookups) -> str:
    with pytest.raises(FieldError) as info:
        Q(**lookups).compile(model, version=version)
    return str(info.value)


# ------------------------------------------------------------------ messages


def test_field_error_is_the_public_one():
    assert odoorm.exceptions.FieldError is FieldError
    assert issubclass(FieldError, ValueError)


def test_unknown_field_names_model_field_and_suggestion():
    msg = error_of(nmae__icontains="acme")
    assert msg.startswith("Bad filter nmae__icontains: res.partner has no field 'nmae'.")
    assert "Did you mean 'name'" in msg


def test_unknown_field_without_close_match_lists_the_fields():
    msg = error_of(xyz=1)
    assert "res.partner has no field 'xyz'" in msg
    assert "Its fields: birthday, children, comment, country," in msg


def test_unknown_field_on_a_related_model():
    msg = error_of(country__cod="BE")
    assert "res.country has no field 'cod' and there is no lookup of that name" in msg
    assert "Did you mean 'code'?" in msg


def test_unknown_lookup_suggests_the_closest_and_lists_those_that_fit():
    msg = error_of(name__icontain="acme")
    assert "unknown lookup 'icontain' for res.partner.name (char)" in msg
    assert "Did you mean 'icontains'" in msg
    assert "Lookups for char fields: contains, endswith," in msg


@pytest.mark.parametrize(
    ("lookups", "expected"),
    [
        ({"tags__gt": 1}, "lookup 'gt' does not apply to res.partner.tags (many2many)"),
        ({"name__child_of": 1}, "lookup 'child_of' does not apply to res.partner.name (char)"),
        (
            {"customer_rank__contains": "1"},
            "lookup 'contains' does not apply to res.partner.customer_rank (integer)",
        ),
        ({"is_company__isnull": True}, "lookup 'isnull' does not apply to res.partner.is_company"),
        ({"birthday__any": Q(a=1)}, "lookup 'any' does not apply to res.partner.birthday (date)"),
        ({"customer_rank__child_of": 1}, "lookup 'child_of' does not apply"),
    ],
)
def test_lookup_that_does_not_fit_the_field_type(lookups, expected):
    msg = error_of(**lookups)
    assert expected in msg
    assert "Lookups for " in msg


def test_gt_on_many2many_lists_valid_lookups():
    msg = error_of(tags__gt=1)
    assert "Lookups for many2many fields: any, child_of," in msg
    assert " gt" not in msg.split("Lookups for")[1]


@pytest.mark.parametrize(
    ("lookups", "expected"),
    [
        (
            {"customer_rank__gt": "5"},
            "res.partner.customer_rank (integer) expects an int, got str '5' "
            "(give numbers as numbers, not strings)",
        ),
        ({"customer_rank": True}, "expects an int, got bool True"),
        (
            {"customer_rank__gt": None},
            "cannot compare res.partner.customer_rank (integer) with None",
        ),
        ({"credit_limit__lt": "1.5"}, "expects a number, got str '1.5'"),
        ({"birthday__gt": 5}, "expects a datetime.date or a 'YYYY-MM-DD' str, got int 5"),
        ({"is_company": "yes"}, "expects True or False, got str 'yes'"),
        ({"name": 5}, "res.partner.name (char) expects a str, got int 5"),
        ({"customer_rank__in": 5}, "expects a list, tuple or set of values, got int 5"),
        ({"name__in": "abc"}, "got str 'abc'; write ['abc'] for a single value"),
        ({"name__in": ["a", 1]}, "expects a str, got int 1"),
        ({"email__isnull": "yes"}, "isnull expects True or False, got str 'yes'"),
        ({"email__isnull": 1}, "isnull expects True or False, got int 1"),
        ({"name": ["a", "b"]}, "use name__in=[...] to match any of several values"),
        ({"name__contains": None}, "use name__isnull=True for unset values"),
        ({"name__icontains": 5}, "icontains expects a str, got int 5"),
        ({"credit_limit__range": (1, 2, 3)}, "expects a (low, high) pair, got 3 values"),
        ({"credit_limit__range": 5}, "expects a (low, high) pair, got int 5"),
        ({"credit_limit__range": (None, None)}, "both bounds are None"),
        ({"parent__child_of": "x"}, "child_of expects record ids (int), got 'x'"),
        ({"tags__any": 5}, "any expects a Q, a domain list or a dict of lookups"),
        ({"country__code__in": {"BE": 1}}, "expects a list, tuple or set of values, got dict"),
    ],
)
def test_wrong_value_types(lookups, expected):
    msg = error_of(**lookups)
    assert msg.startswith(f"Bad filter {next(iter(lookups))}: ")
    assert expected in msg


def test_value_checks_without_a_model_still_apply():
    assert "expects a list" in error_of(None, a__in=5)
    assert "isnull expects True or False" in error_of(None, a__isnull=None)
    assert "contains expects a str" in error_of(None, a__contains=3)


def test_following_a_non_relational_field():
    msg = error_of(name__code__in=["x"])
    assert "res.partner.name is a char field, not a relation, so 'code__in' cannot follow it" in msg


def test_error_inside_any_names_the_outer_filter():
    msg = error_of(tags__any=Q(nam="VIP"))
    assert msg.startswith("Bad filter tags__any: in its sub-filter on res.partner.category:")
    assert "Did you mean 'name'?" in msg


def test_any_that_dotted_paths_cannot_express_is_searched_first_before_17():
    """Odoo 16 has no 'any': the leaf carries the sub-domain for the query to search
    first (tests/query/test_odoo16_fallbacks.py counts that call)."""
    for lookups, op in [
        ({"tags__any": Q(name="VIP") & Q(color=1)}, "in"),
        ({"tags__any": ~Q(name="VIP")}, "in"),
        ({"tags__not_any": Q(name__ne="VIP")}, "not in"),
        ({"tags__any": Q(name=None)}, "in"),
    ]:
        ((name, got_op, sub),) = Q(**lookups).compile(PARTNER, version=16)
        assert (name, got_op) == ("category_id", op)
        assert isinstance(sub, SubDomain) and sub.model == "res.partner.category"
        assert sub.ids is None and sub.domain


def test_empty_parts_in_a_key():
    assert "empty name between '__'" in error_of(None, a____b=1)


def test_queryset_on_the_wrong_model():
    sub = SubDomain("res.partner", [("x", "=", 1)])

    class QS:
        def __odoo_domain_value__(self):
            return sub

    msg = error_of(country__in=QS())
    assert "the queryset is on res.partner but res.partner.country (many2one) points to" in msg
    assert "res.country" in msg


def test_queryset_needing_ids_without_a_fallback():
    sub = SubDomain("res.country", [("code", "=", "BE")])

    class QS:
        def __odoo_domain_value__(self):
            return sub

    msg = error_of(version=16, country__in=QS())
    assert "can only be used here as a list of ids" in msg


def test_a_queryset_where_one_value_is_expected():
    class QS:
        def __odoo_domain_value__(self):
            return [1, 2]

    assert "use country__in=... to match any of them" in error_of(country__gt=QS())


def test_malformed_raw_domains():
    with pytest.raises(FieldError, match=r"item #0 \('a', '='\) must be a \(field, operator"):
        normalize([("a", "=")])
    with pytest.raises(FieldError, match="is incomplete: its operators need 1 more term"):
        normalize(["&", ("a", "=", 1)])
    with pytest.raises(FieldError, match=r"unknown operator 'ilke'\. Did you mean 'ilike'"):
        normalize([("a", "ilke", 1)])
    with pytest.raises(FieldError, match="'and' is neither an operator"):
        normalize(["and", ("a", "=", 1)])
    with pytest.raises(FieldError, match="a domain is a list of"):
        normalize(5)
    with pytest.raises(FieldError, match="field name must be a non-empty str"):
        normalize([(None, "=", 1)])
    with pytest.raises(FieldError, match=r"compile a Q with q\.compile"):
        normalize(Q(a=1))
    with pytest.raises(FieldError, match="is incomplete"):
        Q(a=1) | ["|", ("a", "=", 1)]
    with pytest.raises(FieldError, match="Q\\(\\) takes Q objects"):
        Q(5)
    with pytest.raises(TypeError, match="cannot combine a Q with int"):
        Q(a=1) | 5


# ------------------------------------------------------------------- values


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (None, False),
        (True, True),
        (3, 3),
        ("x", "x"),
        (Color.RED, "red"),
        (Level.HIGH, 3),
        (decimal.Decimal("1.5"), 1.5),
        (dt.date(2024, 2, 29), "2024-02-29"),
        (dt.datetime(2024, 2, 29, 13, 5, 9, 123456), "2024-02-29 13:05:09"),
        (
            dt.datetime(2024, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2023-12-31 22:30:00",
        ),
        ((1, None), [1, False]),
        ({"b", "a"}, ["a", "b"]),
        (frozenset({2, 1}), [1, 2]),
        (range(3), [0, 1, 2]),
    ],
)
def test_to_wire(value, wire):
    assert to_wire(value) == wire
    assert type(to_wire(value)) is type(wire)


def test_to_wire_calls_the_domain_value_hook():
    class Rec:
        def __odoo_domain_value__(self):
            return 9

    assert to_wire(Rec()) == 9
    assert to_wire([Rec(), 1]) == [9, 1]


def test_escape_like():
    assert escape_like("100%") == "100\\%"
    assert escape_like("a_b") == "a\\_b"
    assert escape_like("C:\\tmp") == "C:\\\\tmp"
    assert escape_like("plain") == "plain"


# ----------------------------------------------------------------- registry


@pytest.fixture
def scratch():
    """Any lookup registered during the test is removed afterwards."""
    names = ("notempty", "year", "exact", "shout", "bad name")
    with unregister_lookup(names[0]), unregister_lookup(names[1]), unregister_lookup(names[3]):
        yield


def test_builtin_lookups_are_registered():
    expected = {
        "exact", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "icontains",
        "startswith", "istartswith", "endswith", "iendswith", "like", "ilike", "not_like",
        "not_ilike", "eq_like", "eq_ilike", "isnull", "child_of", "parent_of", "any",
        "not_any", "range",
    }  # fmt: skip
    assert expected <= set(lookup_names())
    assert get_lookup("icontains").operator == "ilike"
    assert get_lookup("nope") is None


def test_register_a_lookup_class(scratch):
    @register_lookup
    class NotEmpty(Lookup):
        """``field__notempty=True``: set and not the empty string."""

        lookup_name = "notempty"
        field_types = frozenset({"char", "text"})

        def prepare(self, value, ctx: LookupContext):
            if value is not True:
                raise ctx.error("notempty only takes True")
            return value

        def build(self, value, ctx):
            return ["&", (ctx.path, "!=", False), (ctx.path, "!=", "")]

    assert Q(country__name__notempty=True).compile(PARTNER) == [
        "&",
        ("country_id.name", "!=", False),
        ("country_id.name", "!=", ""),
    ]
    assert Q(a__notempty=True) | Q(b=1) == Q(a__notempty=True) | Q(b=1)
    assert "lookup 'notempty' does not apply to res.partner.customer_rank" in error_of(
        customer_rank__notempty=True
    )
    assert "notempty only takes True" in error_of(name__notempty=1)


def test_register_a_lookup_function(scratch):
    @register_lookup("year", field_types={"date", "datetime"})
    def year(path, value, ctx):
        """``date__year=2024``: the whole year."""
        return ["&", (path, ">=", f"{value}-01-01"), (path, "<", f"{value + 1}-01-01")]

    assert Q(birthday__year=1990).compile(PARTNER) == [
        "&",
        ("birthday", ">=", "1990-01-01"),
        ("birthday", "<", "1991-01-01"),
    ]
    assert "lookup 'year' does not apply to res.partner.name (char)" in error_of(name__year=1)


def test_register_a_lookup_function_with_prepare(scratch):
    def whole_year(value, ctx):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ctx.error(f"year expects an int, got {value!r}")
        return value

    @register_lookup("year", field_types={"date"}, prepare=whole_year)
    def year(path, value, ctx):
        return ["&", (path, ">=", f"{value}-01-01"), (path, "<=", f"{value}-12-31")]

    assert Q(birthday__year=2000).compile(PARTNER)[1] == ("birthday", ">=", "2000-01-01")
    assert "Bad filter birthday__year: year expects an int, got '2000'" in error_of(
        birthday__year="2000"
    )


def test_a_lookup_building_a_bad_domain_is_reported(scratch):
    @register_lookup("shout")
    def shout(path, value, ctx):
        return ["&", (path, "=", value)]

    assert "lookup 'shout' built a bad domain for a__shout" in error_of(None, a__shout=1)


def test_registering_twice_needs_replace(scratch):
    class Exact2(Lookup):
        lookup_name = "exact"
        operator = "=="

    with pytest.raises(ValueError, match="already registered; pass replace=True"):
        register_lookup(Exact2)
    with pytest.raises(ValueError, match="needs a lookup_name"):
        register_lookup(type("Bad", (Lookup,), {"lookup_name": "bad name"}))
    with pytest.raises(ValueError, match="needs a lookup_name"):
        register_lookup(type("Bad", (Lookup,), {"lookup_name": "a__b"}))


def test_unregister_lookup_is_scoped():
    assert Q(a__icontains="x").compile() == [("a", "ilike", "x")]
    with unregister_lookup("icontains"):
        assert get_lookup("icontains") is None
        # without a model the unknown lookup is just another path part
        assert Q(a__icontains="x").compile() == [("a.icontains", "=", "x")]
        assert "unknown lookup 'icontains'" in error_of(name__icontains="x")
    assert Q(a__icontains="x").compile() == [("a", "ilike", "x")]


def test_replace_a_builtin_for_a_block():
    class LoudExact(Lookup):
        lookup_name = "exact"
        operator = "=ilike"

    with unregister_lookup("exact"):
        register_lookup(LoudExact)
        assert Q(name="x").compile() == [("name", "=ilike", "x")]
    assert Q(name="x").compile() == [("name", "=", "x")]
