# ruff: noqa: E501  (golden tables read best one case per line)
"""Golden tests: Q expressions and raw domains -> the exact Odoo domain they compile to."""

from __future__ import annotations

import datetime as dt
import enum

import pytest

from odoorm.domain import AND, OR, Q, SubDomain, normalize, to_domain

from .fakes import PARTNER, Record


class State(enum.Enum):
    DRAFT = "draft"


UTC = dt.timezone.utc
CET = dt.timezone(dt.timedelta(hours=1))

# (Q, expected domain) compiled without a model: names pass through, `__` -> `.`
NO_MODEL = [
    (Q(), []),
    (Q(name="Acme"), [("name", "=", "Acme")]),
    (Q(name__exact="Acme"), [("name", "=", "Acme")]),
    (Q(b=2, a=1), ["&", ("a", "=", 1), ("b", "=", 2)]),  # kwargs sorted
    (Q(a=1) | Q(b=2), ["|", ("a", "=", 1), ("b", "=", 2)]),
    (Q(a=1) & Q(b=2), ["&", ("a", "=", 1), ("b", "=", 2)]),
    (~Q(a=1), ["!", ("a", "=", 1)]),
    (~~Q(a=1), [("a", "=", 1)]),
    (~Q(a=1, b=2), ["!", "&", ("a", "=", 1), ("b", "=", 2)]),
    (Q(a=1) | Q(b=2) | Q(c=3), ["|", "|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)]),
    (Q(a=1) | (Q(b=2) | Q(c=3)), ["|", "|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)]),
    (
        (Q(a=1) | Q(b=2)) & Q(c=3),
        ["&", "|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)],
    ),
    (
        Q(a=1) & ~(Q(b=2) | Q(c=3)),
        ["&", ("a", "=", 1), "!", "|", ("b", "=", 2), ("c", "=", 3)],
    ),
    (Q(a=1) & Q(), [("a", "=", 1)]),
    (Q() | Q(a=1), [("a", "=", 1)]),
    (~Q(), []),
    (
        Q(name__ilike="acme") | ~Q(active=False),
        ["|", ("name", "ilike", "acme"), "!", ("active", "=", False)],
    ),
    # lookups
    (Q(a__ne=1), [("a", "!=", 1)]),
    (Q(a__gt=1), [("a", ">", 1)]),
    (Q(a__gte=1), [("a", ">=", 1)]),
    (Q(a__lt=1), [("a", "<", 1)]),
    (Q(a__lte=1), [("a", "<=", 1)]),
    (Q(a__in=[1, 2]), [("a", "in", [1, 2])]),
    (Q(a__in=(1, 2)), [("a", "in", [1, 2])]),
    (Q(a__in={3, 1, 2}), [("a", "in", [1, 2, 3])]),
    (Q(a__not_in=[1]), [("a", "not in", [1])]),
    (Q(a__in=[]), [("a", "in", [])]),
    (Q(name__contains="50%_off"), [("name", "like", "50\\%\\_off")]),
    (Q(name__icontains="acme"), [("name", "ilike", "acme")]),
    (Q(name__icontains="a\\b"), [("name", "ilike", "a\\\\b")]),
    (Q(name__startswith="Ac_"), [("name", "=like", "Ac\\_%")]),
    (Q(name__istartswith="ac"), [("name", "=ilike", "ac%")]),
    (Q(email__endswith=".com"), [("email", "=like", "%.com")]),
    (Q(email__iendswith="@acme.com"), [("email", "=ilike", "%@acme.com")]),
    (Q(name__like="a%b"), [("name", "like", "a%b")]),
    (Q(name__ilike="a%b"), [("name", "ilike", "a%b")]),
    (Q(name__not_like="x"), [("name", "not like", "x")]),
    (Q(name__not_ilike="x"), [("name", "not ilike", "x")]),
    (Q(name__eq_like="D_co%"), [("name", "=like", "D_co%")]),
    (Q(name__eq_ilike="d_co%"), [("name", "=ilike", "d_co%")]),
    (Q(email__isnull=True), [("email", "=", False)]),
    (Q(email__isnull=False), [("email", "!=", False)]),
    (Q(parent_id__child_of=3), [("parent_id", "child_of", 3)]),
    (Q(parent_id__parent_of=[3, 4]), [("parent_id", "parent_of", [3, 4])]),
    (Q(n__range=(1, 5)), ["&", ("n", ">=", 1), ("n", "<=", 5)]),
    (Q(n__range=(None, 5)), [("n", "<=", 5)]),
    (Q(n__range=(1, None)), [("n", ">=", 1)]),
    (Q(country_id__code="BE"), [("country_id.code", "=", "BE")]),
    (Q(country_id__code__in=["BE"]), [("country_id.code", "in", ["BE"])]),
    (Q(child_ids__any=Q(email__isnull=False)), [("child_ids", "any", [("email", "!=", False)])]),
    (
        Q(child_ids__not_any={"email__isnull": False}),
        [("child_ids", "not any", [("email", "!=", False)])],
    ),
    (Q(child_ids__any=[("email", "!=", False)]), [("child_ids", "any", [("email", "!=", False)])]),
    (Q(child_ids__any=Q()), [("child_ids", "any", [])]),
    # values
    (Q(d=dt.date(2024, 2, 29)), [("d", "=", "2024-02-29")]),
    (Q(t=dt.datetime(2024, 1, 2, 3, 4, 5, 999)), [("t", "=", "2024-01-02 03:04:05")]),
    (Q(t=dt.datetime(2024, 1, 2, 3, 0, tzinfo=CET)), [("t", "=", "2024-01-02 02:00:00")]),
    (Q(t__gt=dt.datetime(2024, 1, 1, tzinfo=UTC)), [("t", ">", "2024-01-01 00:00:00")]),
    (Q(state=State.DRAFT), [("state", "=", "draft")]),
    (Q(email=None), [("email", "=", False)]),
    (Q(email__ne=None), [("email", "!=", False)]),
    (Q(partner_id=Record(7)), [("partner_id", "=", 7)]),
    (Q(partner_id__in=[Record(7), 8]), [("partner_id", "in", [7, 8])]),
    (Q(state__in=[State.DRAFT]), [("state", "in", ["draft"])]),
    # raw domains and mixing
    (Q([("x", "=", 1)]), [("x", "=", 1)]),
    (Q([["x", "=", 1], ["y", "=", 2]]), ["&", ("x", "=", 1), ("y", "=", 2)]),
    (Q(("x", "=", 1)), [("x", "=", 1)]),
    (Q(name="a") | [("x", "=", 1)], ["|", ("name", "=", "a"), ("x", "=", 1)]),
    ([("x", "=", 1)] | Q(name="a"), ["|", ("x", "=", 1), ("name", "=", "a")]),
    ([("x", "=", 1)] & ~Q(name="a"), ["&", ("x", "=", 1), "!", ("name", "=", "a")]),
    (
        Q(["|", ("a", "=", 1), ("b", "=", 2)], c=3),
        ["&", "|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)],
    ),
    (Q({"b": 2, "a": 1}), ["&", ("a", "=", 1), ("b", "=", 2)]),
    (Q([]), []),
    (Q(["!", "!", ("a", "=", 1)]), [("a", "=", 1)]),
    (
        Q(["&", "&", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)]) & Q(d=4),
        ["&", "&", "&", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3), ("d", "=", 4)],
    ),
    (
        Q(["&", ("a", "=", 1), "&", ("b", "=", 2), ("c", "=", 3)]),
        ["&", "&", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)],
    ),
    (Q([("d", ">", dt.date(2024, 1, 1))]), [("d", ">", "2024-01-01")]),
    (Q([("a", "<>", 1)]), [("a", "!=", 1)]),
]


@pytest.mark.parametrize(("q", "expected"), NO_MODEL, ids=[repr(q) for q, _ in NO_MODEL])
def test_compile_without_model(q, expected):
    assert q.compile() == expected
    assert to_domain(q) == expected


# (Q, expected) compiled against the fake res.partner: python names -> odoo names
WITH_MODEL = [
    (Q(name="Acme"), [("name", "=", "Acme")]),
    (Q(country__code="BE"), [("country_id.code", "=", "BE")]),
    (Q(country__code__in=["BE", "FR"]), [("country_id.code", "in", ["BE", "FR"])]),
    (Q(country_id__code="BE"), [("country_id.code", "=", "BE")]),  # odoo names work too
    (Q(parent__country__name__icontains="bel"), [("parent_id.country_id.name", "ilike", "bel")]),
    (Q(country=5), [("country_id", "=", 5)]),
    (Q(country=Record(5)), [("country_id", "=", 5)]),
    (Q(country=None), [("country_id", "=", False)]),
    (Q(country__isnull=True), [("country_id", "=", False)]),
    (Q(country__ilike="belg"), [("country_id", "ilike", "belg")]),
    (Q(country__in=["Belgium"]), [("country_id", "in", ["Belgium"])]),
    (Q(tags__isnull=True), [("category_id", "=", False)]),
    (Q(tags__isnull=False), [("category_id", "!=", False)]),
    (Q(tags=7), [("category_id", "=", 7)]),
    (Q(tags__in=[7, 8]), [("category_id", "in", [7, 8])]),
    (Q(tags__name="VIP"), [("category_id.name", "=", "VIP")]),
    (Q(children__email__iendswith="@acme.com"), [("child_ids.email", "=ilike", "%@acme.com")]),
    (Q(image__isnull=False), [("image_1920", "!=", False)]),
    (Q(id=42), [("id", "=", 42)]),
    (Q(id__in=[1, 2]), [("id", "in", [1, 2])]),
    (Q(id__child_of=3), [("id", "child_of", 3)]),
    (Q(parent__child_of=3), [("parent_id", "child_of", 3)]),
    (Q(display_name__ilike="acme"), [("display_name", "ilike", "acme")]),
    (Q(customer_rank__gt=0), [("customer_rank", ">", 0)]),
    (Q(credit_limit__range=(0, 1000.5)), ["&", ("credit_limit", ">=", 0), ("credit_limit", "<=", 1000.5)]),
    (Q(birthday__lt=dt.date(2000, 1, 1)), [("birthday", "<", "2000-01-01")]),
    (Q(birthday=dt.datetime(2000, 1, 1, 23, 0)), [("birthday", "=", "2000-01-01")]),
    (Q(write_date__gte=dt.date(2024, 1, 1)), [("write_date", ">=", "2024-01-01 00:00:00")]),
    (Q(write_date__gte="2024-01-01 10:00:00"), [("write_date", ">=", "2024-01-01 10:00:00")]),
    (Q(is_company=True), [("is_company", "=", True)]),
    (Q(is_company=False), [("is_company", "=", False)]),
    (Q(is_company=None), [("is_company", "=", False)]),
    (Q(type__in=["contact", "invoice"]), [("type", "in", ["contact", "invoice"])]),
    (Q(tags__any=Q(name="VIP")), [("category_id", "any", [("name", "=", "VIP")])]),
    (Q(tags__any={"name__icontains": "vip"}), [("category_id", "any", [("name", "ilike", "vip")])]),
    (
        Q(children__any=Q(country__code="BE") & Q(email__isnull=False)),
        [("child_ids", "any", ["&", ("country_id.code", "=", "BE"), ("email", "!=", False)])],
    ),
    (Q(children__not_any=Q(email__isnull=False)), [("child_ids", "not any", [("email", "!=", False)])]),
    # raw parts pass through untranslated
    (Q(country__code="BE") | [("country_id", "=", False)], ["|", ("country_id.code", "=", "BE"), ("country_id", "=", False)]),
    # the DESIGN.md example
    (
        Q(is_company=True, customer_rank__gt=0)
        & ~Q(country__code="US")
        & (Q(name__ilike="acme") | Q(email__iendswith="@acme.com")),
        [
            "&", "&", "&",
            ("customer_rank", ">", 0),
            ("is_company", "=", True),
            "!", ("country_id.code", "=", "US"),
            "|", ("name", "ilike", "acme"), ("email", "=ilike", "%@acme.com"),
        ],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("q", "expected"), WITH_MODEL, ids=[repr(q) for q, _ in WITH_MODEL])
def test_compile_with_model(q, expected):
    assert q.compile(PARTNER) == expected
    assert to_domain(q, PARTNER, version=18) == expected


# `any` before Odoo 17: rewritten as dotted paths when that means the same
BEFORE_17 = [
    (Q(tags__any=Q(name="VIP")), [("category_id.name", "=", "VIP")]),
    (
        Q(tags__any=Q(name="VIP") | Q(color=3)),
        ["|", ("category_id.name", "=", "VIP"), ("category_id.color", "=", 3)],
    ),
    (  # a many2one relates one record: '&' distributes too
        Q(parent__any=Q(name="A", is_company=True)),
        ["&", ("parent_id.is_company", "=", True), ("parent_id.name", "=", "A")],
    ),
    (Q(tags__not_any=Q(name="VIP")), ["!", ("category_id.name", "=", "VIP")]),
    (Q(tags__any=Q()), [("category_id", "!=", False)]),
    (Q(tags__not_any=Q()), ["!", ("category_id", "!=", False)]),
    (Q(children__any=Q(tags__any=Q(name="VIP"))), [("child_ids.category_id.name", "=", "VIP")]),
]


@pytest.mark.parametrize(("q", "expected"), BEFORE_17, ids=[repr(q) for q, _ in BEFORE_17])
def test_any_before_17_uses_dotted_paths(q, expected):
    assert q.compile(PARTNER, version=16) == expected


def test_version_accepts_server_version_objects():
    class ServerVersion:
        major = 16

    q = Q(tags__any=Q(name="VIP"))
    assert q.compile(PARTNER, version=ServerVersion()) == [("category_id.name", "=", "VIP")]
    assert q.compile(PARTNER, version=(17, 0)) == [("category_id", "any", [("name", "=", "VIP")])]


class FakeQuerySet:
    """What a QuerySet gives: a SubDomain, with ids as a fallback."""

    def __init__(self, model, domain, ids=None):
        self.calls = 0
        self._sub = SubDomain(model, domain, ids=self._ids if ids is not None else None)
        self._id_list = ids

    def _ids(self):
        self.calls += 1
        return self._id_list

    def __odoo_domain_value__(self):
        return self._sub


def test_queryset_values_become_any_on_17():
    qs = FakeQuerySet("res.country", [("code", "=", "BE")], ids=[20])
    assert Q(country__in=qs).compile(PARTNER, version=17) == [
        ("country_id", "any", [("code", "=", "BE")])
    ]
    assert Q(country=qs).compile(PARTNER) == [("country_id", "any", [("code", "=", "BE")])]
    assert Q(country__not_in=qs).compile(PARTNER) == [
        ("country_id", "not any", [("code", "=", "BE")])
    ]
    assert qs.calls == 0


def test_queryset_values_become_ids_before_17():
    qs = FakeQuerySet("res.country", [("code", "=", "BE")], ids=[20, 21])
    assert Q(country__in=qs).compile(PARTNER, version=16) == [("country_id", "in", [20, 21])]
    assert qs.calls == 1


def test_queryset_of_the_same_model_on_id_inlines_its_domain():
    qs = FakeQuerySet("res.partner", [("is_company", "=", True)])
    assert Q(id__in=qs).compile(PARTNER, version=16) == [("is_company", "=", True)]
    assert Q(id__not_in=qs).compile(PARTNER) == ["!", ("is_company", "=", True)]
    everything = FakeQuerySet("res.partner", [])
    assert Q(id__in=everything).compile(PARTNER) == [("id", "!=", False)]
    assert Q(id__not_in=everything).compile(PARTNER) == [("id", "in", [])]


def test_queryset_giving_ids():
    class IdsQuerySet:
        def __odoo_domain_value__(self):
            return [3, 4]

    assert Q(country__in=IdsQuerySet()).compile(PARTNER) == [("country_id", "in", [3, 4])]
    assert Q(country=IdsQuerySet()).compile(PARTNER) == [("country_id", "in", [3, 4])]
    assert Q(country__ne=IdsQuerySet()).compile(PARTNER) == [("country_id", "not in", [3, 4])]


def test_any_takes_a_queryset():
    qs = FakeQuerySet("res.partner.category", [("name", "=", "VIP")])
    assert Q(tags__any=qs).compile(PARTNER) == [("category_id", "any", [("name", "=", "VIP")])]


NORMALIZE = [
    ([], []),
    ([("a", "=", 1)], [("a", "=", 1)]),
    ([["a", "=", 1]], [("a", "=", 1)]),
    (("a", "=", 1), [("a", "=", 1)]),
    ([("a", "=", 1), ("b", "=", 2)], ["&", ("a", "=", 1), ("b", "=", 2)]),
    ([("a", "=", 1), ("b", "=", 2), ("c", "=", 3)], ["&", "&", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)]),
    (["|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)], ["&", "|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)]),
    (["!", ("a", "=", 1)], ["!", ("a", "=", 1)]),
    ([(1, "=", 1)], [(1, "=", 1)]),
    ([("a", "any", [("b", "=", 1), ("c", "=", 2)])], [("a", "any", ["&", ("b", "=", 1), ("c", "=", 2)])]),
    ([("a", "==", None)], [("a", "=", False)]),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_and_or_helpers():
    assert AND([[("a", "=", 1)], Q(b=2), None, []]) == ["&", ("a", "=", 1), ("b", "=", 2)]
    assert OR([[("a", "=", 1)], Q(b=2)]) == ["|", ("a", "=", 1), ("b", "=", 2)]
    assert AND([]) == []
    assert to_domain(None) == []
    assert to_domain({"a": 1}) == [("a", "=", 1)]


def test_compiled_domain_is_a_fresh_copy():
    q = Q(a__in=[1, 2])
    first = q.compile()
    first[0][2].append(3)
    assert q.compile() == [("a", "in", [1, 2])]
    raw = [("a", "in", [1])]
    q2 = Q(raw)
    raw[0][2].append(2)
    assert q2.compile() == [("a", "in", [1])]


def test_q_is_immutable_hashable_copyable_and_picklable():
    import copy
    import pickle

    q = (Q(name__in=["a", "b"]) | ~Q(x=1)) & [("y", "=", 2)]
    with pytest.raises(AttributeError, match="immutable"):
        q.negated = True
    assert q == pickle.loads(pickle.dumps(q))
    assert copy.deepcopy(q) is q
    assert {q: 1}[(Q(name__in=["a", "b"]) | ~Q(x=1)) & [("y", "=", 2)]] == 1
    assert Q(a=1, b=2) == Q(b=2, a=1)
    assert Q(a=1) != Q(a=2)
    assert not Q()
    assert Q(a=1)


def test_repr_reads_like_the_expression():
    assert repr(Q()) == "Q()"
    assert repr(Q(b=2, a=1)) == "Q(a=1, b=2)"
    assert repr(~Q(a=1)) == "~Q(a=1)"
    assert repr(Q(a=1) | ~Q(b=2)) == "Q(a=1) | ~Q(b=2)"
    assert repr((Q(a=1) | Q(b=2)) & Q(c=3)) == "(Q(a=1) | Q(b=2)) & Q(c=3)"
    assert repr(Q(a=1) | [("x", "=", 1)]) == "Q(a=1) | Q([('x', '=', 1)])"
