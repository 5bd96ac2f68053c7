"""Golden tests: what a QuerySet sends (model, method, named arguments), and
that nothing is sent before evaluation or when a filter is wrong."""

from __future__ import annotations

import pytest

from odoorm.exceptions import FieldError
from odoorm.query import QuerySet

from .fakes import Partner, SaleOrder


def test_chaining_sends_nothing_and_clones(scripted):
    conn, rec = scripted()
    base = QuerySet(Partner, conn)
    qs = (
        base.filter(is_company=True, customer_rank__gt=0)
        .exclude(country__code="US")
        .order_by("-customer_rank", "name")[:20]
    )
    assert rec.count == 0
    assert base.domain == []  # the original is untouched
    assert qs.domain == [
        "&",
        "&",
        ("customer_rank", ">", 0),
        ("is_company", "=", True),
        "!",
        ("country_id.code", "=", "US"),
    ]


def test_list_of_a_slice_is_one_search_read_with_declared_fields(scripted):
    conn, rec = scripted({"search_read": [{"id": 7, "name": "A"}]})
    qs = QuerySet(Partner, conn).filter(is_company=True).order_by("-customer_rank", "name")
    with rec.expect_calls(1) as calls:
        found = list(qs[10:30])
    call = calls[0]
    assert (call.model, call.method, call.ids) == ("res.partner", "search_read", None)
    assert dict(call.kwargs) == {
        "domain": [("is_company", "=", True)],
        "fields": Partner._meta.read_fields(),
        "order": "customer_rank desc, name",
        "offset": 10,
        "limit": 20,
    }
    assert [p.id for p in found] == [7]


def test_bad_filters_fail_before_any_call(scripted):
    conn, rec = scripted()
    qs = QuerySet(Partner, conn)
    with pytest.raises(FieldError, match=r"nme|name"):
        qs.filter(nme="x")
    with pytest.raises(FieldError):
        qs.filter(name__nosuchlookup=1)
    with pytest.raises(FieldError, match="colour"):
        qs.order_by("colour")
    with pytest.raises(FieldError):
        qs.values("country__nope")
    with pytest.raises(FieldError):
        qs.only("nope")
    assert rec.count == 0


def test_raw_domains_and_q_mix(scripted):
    from odoorm.domain import Q

    conn, _ = scripted()
    qs = QuerySet(Partner, conn).filter(
        [("name", "ilike", "a")], Q(email__iendswith="@acme.com") | Q(is_company=True)
    )
    assert qs.domain[0] == "&"
    assert ("name", "ilike", "a") in qs.domain
    assert "|" in qs.domain


def test_slicing_rules(scripted):
    conn, rec = scripted()
    qs = QuerySet(Partner, conn)
    with pytest.raises(ValueError):
        qs[-1]
    with pytest.raises(ValueError):
        qs[-5:]
    sliced = qs[5:15]
    with pytest.raises(TypeError, match="slice"):
        sliced.filter(name="x")
    with pytest.raises(TypeError, match="slice"):
        sliced.order_by("name")
    with pytest.raises(TypeError, match="slice"):
        sliced.exclude(name="x")
    inner = sliced[2:4]  # slices compose
    assert (inner._plan.offset, inner._plan.limit) == (7, 2)
    assert (sliced[8:20]._plan.offset, sliced[8:20]._plan.limit) == (13, 2)
    assert list(qs[:0]) == []  # empty slice: no call
    assert rec.count == 0


def test_index_is_one_call_limit_one(scripted):
    conn, rec = scripted({"search_read": [{"id": 3}]})
    with rec.expect_calls(1) as calls:
        assert QuerySet(Partner, conn).order_by("name")[4].id == 3
    assert calls[0].kwargs["offset"] == 4 and calls[0].kwargs["limit"] == 1


def test_order_translation_and_reverse(scripted):
    conn, _ = scripted()
    qs = QuerySet(Partner, conn)
    assert qs.order_by("country", "-id")._order_string() == "country_id, id desc"
    assert qs.order_by("name desc nulls last")._order_string() == "name desc nulls last"
    assert qs.order_by("name").reverse()._order_string() == "name desc"
    assert qs.reverse()._order_string() == "id desc"
    assert qs.order_by()._order_string() is None
    with pytest.raises(FieldError):
        qs.order_by("tags")  # many2many has no order
    with pytest.raises(FieldError):
        qs.order_by("?")


def test_count_is_one_search_count_and_reuses_cache(scripted):
    conn, rec = scripted({"search_count": 42, "search_read": [{"id": 1}, {"id": 2}]})
    qs = QuerySet(Partner, conn).filter(is_company=True)
    with rec.expect_calls(1) as calls:
        assert qs.count() == 42
    assert calls[0].method == "search_count"
    assert dict(calls[0].kwargs) == {"domain": [("is_company", "=", True)]}
    list(qs)
    with rec.expect_calls(0):
        assert qs.count() == 2
        assert len(qs) == 2 and bool(qs)


def test_count_of_a_slice_caps_on_the_server(scripted):
    conn, rec = scripted({"search_count": 25})
    assert QuerySet(Partner, conn)[20:40].count() == 5
    assert rec.calls[-1].kwargs["limit"] == 40


def test_exists_first_last(scripted):
    conn, rec = scripted({"search": [9], "search_read": [{"id": 9}]})
    qs = QuerySet(Partner, conn).filter(name="x")
    with rec.expect_calls(1) as calls:
        assert qs.exists() is True
    assert calls[0].method == "search" and calls[0].kwargs["limit"] == 1
    with rec.expect_calls(1) as calls:
        assert qs.first().id == 9
    assert calls[0].kwargs["order"] == "id" and calls[0].kwargs["limit"] == 1
    with rec.expect_calls(1) as calls:
        qs.last()
    assert calls[0].kwargs["order"] == "id desc"
    with rec.expect_calls(1) as calls:
        qs.order_by("name").last()
    assert calls[0].kwargs["order"] == "name desc"


def test_get_is_one_call_limit_two_and_raises_model_errors(scripted):
    rows = {"search_read": [{"id": 1}, {"id": 2}]}
    conn, rec = scripted(rows)
    with (
        rec.expect_calls(1) as calls,
        pytest.raises(Partner.MultipleObjectsReturned, match="more than one"),
    ):
        QuerySet(Partner, conn).get(name="x")
    assert calls[0].kwargs["limit"] == 2
    rows["search_read"] = []
    with pytest.raises(Partner.DoesNotExist, match="does not exist"):
        QuerySet(Partner, conn).get(id=5)
    rows["search_read"] = [{"id": 5, "name": "Five"}]
    assert QuerySet(Partner, conn).get(id=5).name == "Five"


def test_only_defer_with_context_using(scripted):
    conn, rec = scripted({"search_read": []})
    list(QuerySet(Partner, conn).only("name", "country"))
    assert rec.calls[-1].kwargs["fields"] == ["name", "country_id"]
    list(QuerySet(Partner, conn).defer("email", "children"))
    assert "email" not in rec.calls[-1].kwargs["fields"]
    assert "child_ids" not in rec.calls[-1].kwargs["fields"]
    list(QuerySet(Partner, conn).with_context(lang="fr_FR", active_test=False))
    assert rec.calls[-1].context == {"lang": "fr_FR", "active_test": False}
    other, other_rec = scripted({"search_read": []})
    list(QuerySet(Partner, conn).using(other))
    assert other_rec.count == 1


def test_default_connection_is_resolved_at_evaluation(scripted):
    from odoorm import session

    qs = QuerySet(Partner).filter(name="x")  # no connection yet: still compiles
    conn, rec = scripted({"search_read": []})
    session.set_default_connection(conn)
    assert list(qs) == []
    assert rec.count == 1


def test_none_never_calls(scripted):
    conn, rec = scripted()
    qs = QuerySet(Partner, conn).none()
    assert list(qs) == [] and qs.count() == 0 and not qs.exists()
    assert rec.count == 0


def test_describe_is_short_and_sends_nothing(scripted):
    conn, rec = scripted()
    text = QuerySet(Partner, conn).filter(name="x").order_by("name")[:5].describe()
    assert text.startswith("<QuerySet res.partner")
    assert "limit=5" in text and "order='name'" in text
    assert rec.count == 0


def test_queryset_as_filter_value_is_a_subdomain(scripted):
    from odoorm.domain import SubDomain

    conn, rec = scripted({"search": [1, 2]})
    countries = QuerySet(Partner, conn).filter(name="x")
    value = countries.__odoo_domain_value__()
    assert isinstance(value, SubDomain) and value.model == "res.partner"
    assert rec.count == 0
    assert countries[:2].__odoo_domain_value__() == [1, 2]


def test_values_on_old_server_reads_each_relation_once(scripted):
    answers = {
        "search_read": [
            {"id": 1, "name": "A", "country_id": [20, "Belgium"]},
            {"id": 2, "name": "B", "country_id": False},
            {"id": 3, "name": "C", "country_id": [20, "Belgium"]},
        ],
        "read": [{"id": 20, "code": "BE"}],
    }
    conn, rec = scripted(answers, version=16)
    rows = list(QuerySet(Partner, conn).values("name", "country__code", "country"))
    assert rows == [
        {"name": "A", "country__code": "BE", "country": 20},
        {"name": "B", "country__code": None, "country": None},
        {"name": "C", "country__code": "BE", "country": 20},
    ]
    assert rec.methods() == ["res.partner.search_read", "res.country.read"]
    assert rec.calls[0].kwargs["fields"] == ["name", "country_id"]
    assert rec.calls[1].ids == (20,) and rec.calls[1].kwargs["fields"] == ["code"]


def test_values_on_17_uses_one_web_search_read(scripted):
    row = {"id": 1, "name": "A", "country_id": {"id": 2, "code": "US"}}
    answer = {"length": 1, "records": [row]}
    conn, rec = scripted({"web_search_read": answer}, version=17)
    with rec.expect_calls(1) as calls:
        rows = list(QuerySet(Partner, conn).values_list("name", "country__code"))
    assert rows == [("A", "US")]
    assert dict(calls[0].kwargs)["specification"] == {
        "name": {},
        "country_id": {"fields": {"code": {}}},
    }


def test_values_list_flat_and_named(scripted):
    conn, _ = scripted({"search_read": [{"id": 1, "name": "A"}, {"id": 2, "name": "B"}]})
    qs = QuerySet(Partner, conn)
    assert list(qs.values_list("id", flat=True)) == [1, 2]
    named = list(qs.values_list("id", "name", named=True))
    assert named[1].name == "B" and named[1].id == 2
    with pytest.raises(TypeError):
        qs.values_list("id", "name", flat=True)


def test_update_and_delete_are_search_then_one_call(scripted):
    conn, rec = scripted({"search": [3, 4, 5], "write": True, "unlink": True})
    qs = QuerySet(Partner, conn).filter(is_company=True)
    with rec.expect_calls(2) as calls:
        assert qs.update(customer_rank=1, country=None) == 3
    assert calls[1].method == "write" and calls[1].ids == (3, 4, 5)
    assert dict(calls[1].kwargs) == {"vals": {"customer_rank": 1, "country_id": False}}
    with rec.expect_calls(2) as calls:
        assert qs.delete() == 3
    assert calls[1].method == "unlink" and calls[1].ids == (3, 4, 5)


def test_update_refuses_readonly_and_unknown_fields_before_any_call(scripted):
    from odoorm.exceptions import ReadonlyError

    conn, rec = scripted({"search": [1]})
    with pytest.raises(ReadonlyError):
        QuerySet(Partner, conn).update(write_date=None)
    with pytest.raises(FieldError):
        QuerySet(Partner, conn).update(nope=1)
    assert rec.count == 0


def test_update_with_no_match_sends_no_write(scripted):
    conn, rec = scripted({"search": []})
    assert QuerySet(Partner, conn).update(name="x") == 0
    assert rec.methods() == ["res.partner.search"]


def test_in_bulk(scripted):
    conn, rec = scripted({"search_read": [{"id": 1}, {"id": 4}]})
    assert QuerySet(Partner, conn).in_bulk([]) == {}
    assert rec.count == 0
    found = QuerySet(Partner, conn).in_bulk([1, 4])
    assert sorted(found) == [1, 4]
    assert rec.calls[0].kwargs["domain"] == [("id", "in", [1, 4])]


def test_iterator_argument_errors(scripted, monkeypatch):
    import builtins

    conn, _ = scripted()
    with pytest.raises(ValueError):
        QuerySet(Partner, conn).iterator(chunk_size=0)
    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    with pytest.raises(ImportError, match=r"pip install 'odoorm\[tqdm\]'"):
        QuerySet(Partner, conn).iterator(progress=True)


def test_bulk_create_reports_the_failing_batch(scripted):
    from odoorm.exceptions import ValidationError
    from odoorm.query.writes import BulkCreateError

    created = iter([[10, 11], [12, 13]])

    def create(call):
        try:
            return next(created)
        except StopIteration:
            raise ValidationError("name is required") from None

    conn, rec = scripted({"create": create})
    objs = [Partner(name=f"P{i}") for i in range(6)]
    with pytest.raises(BulkCreateError, match=r"batch 3 of 3") as info:
        QuerySet(Partner, conn).bulk_create(objs, batch_size=2)
    assert info.value.created_ids == [10, 11, 12, 13]
    assert info.value.batch == 2
    assert [o.id for o in objs[:4]] == [10, 11, 12, 13] and objs[4].id is None
    assert rec.calls[0].kwargs["vals_list"] == [{"name": "P0"}, {"name": "P1"}]


def test_aggregate_names_are_checked_before_any_call(scripted):
    from odoorm.aggregates import Count, Sum

    conn, rec = scripted()
    qs = QuerySet(SaleOrder, conn)
    with pytest.raises(FieldError):
        qs.aggregate(Sum("amount_totl"))
    with pytest.raises(FieldError, match="Sum"):
        qs.aggregate(Sum("name"))  # not numeric
    with pytest.raises(TypeError, match="values"):
        qs.annotate(n=Count())
    with pytest.raises(FieldError, match="granularity"):
        qs.values("date_order:fortnight")
    assert rec.count == 0


def test_bulk_create_error_message_stays_short_for_big_imports(scripted):
    from odoorm.exceptions import ValidationError
    from odoorm.query.writes import BulkCreateError

    batches = iter([list(range(1000, 1500)), list(range(1500, 2000))])

    def create(call):
        try:
            return next(batches)
        except StopIteration:
            raise ValidationError("bad row") from None

    conn, _rec = scripted({"create": create})
    objs = [Partner(name=f"P{i}") for i in range(1200)]
    with pytest.raises(BulkCreateError) as info:
        QuerySet(Partner, conn).bulk_create(objs, batch_size=500)
    text = str(info.value)
    assert "batch 3 of 3 (records 1000..1199)" in text
    assert "1000 records, ids 1000..1999 (all of them in .created_ids)" in text
    assert len(text) < 400 and len(info.value.created_ids) == 1000
