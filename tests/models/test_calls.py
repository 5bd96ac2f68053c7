"""Call-count guarantees of the models layer, pinned with a RecordingTransport."""

from __future__ import annotations

import threading

import pytest

from odoorm import LazyLoadError
from odoorm.commands import Command
from odoorm.models import prefetch
from odoorm.session import connect

from .conftest import in_process
from .demo_models import Country, Partner, Product, SaleOrder, SaleOrderLine, Tag


@pytest.fixture
def many(db):
    """At least 50 partners, most with a country and some with tags."""
    countries = db.execute(db.uid, "res.country", "search", [[]], {"limit": 5})
    tags = db.execute(db.uid, "res.partner.category", "search", [[]], {"limit": 3})
    vals = [
        {
            "name": f"Bulk {i:03d}",
            "country_id": countries[i % len(countries)],
            "category_id": [(6, 0, tags[: i % 3])],
        }
        for i in range(60)
    ]
    return db.execute(db.uid, "res.partner", "create", [vals])


def test_n_plus_one_names_and_countries_is_two_calls(conn, rec, many):
    with rec.expect_calls(2) as made:
        for p in Partner.objects.filter(name__startswith="Bulk").order_by("id")[:50]:
            print(p.name, p.country.name if p.country else None)
    assert [c.method for c in made] == ["search_read", "read"]
    assert made[1].model == "res.country"
    assert made[1].kwargs["fields"] == ["name", "code"]


def test_n_plus_one_with_tags_is_three_calls(conn, rec, many):
    names = []
    with rec.expect_calls(3):
        for p in Partner.objects.filter(name__startswith="Bulk").order_by("id")[:50]:
            names.append((p.name, p.country.name, [t.name for t in p.tags]))
    assert len(names) == 50 and any(tags for _, _, tags in names)


def test_many2one_display_name_is_free(conn, rec, many):
    partners = list(Partner.objects.filter(id__in=many[:10]))
    with rec.expect_calls(0):
        shown = {p.country.display_name for p in partners}
    assert all(shown)


def test_get_twice_is_one_call_and_same_object(conn, rec):
    with rec.expect_calls(1):
        a = Partner.objects.get(id=7)
        b = Partner.objects.get(id=7)
    assert a is b


def test_queryset_get_by_id_uses_the_identity_map_when_unconstrained(conn, rec):
    with rec.expect_calls(1):
        a = Partner.objects.all().get(id=7)
        assert Partner.objects.all().get(id=7) is a
        assert Partner.objects.using(conn).get(pk=7) is a
        assert Partner.objects.order_by("-id").get(id=7) is a  # an order changes nothing
    # any other condition may exclude it: the query runs, and still finds the same object
    with rec.expect_calls(2):
        assert Partner.objects.filter(name=a.name).get(id=7) is a
        assert Partner.objects.with_context(active_test=False).get(id=7) is a
    conn.clear_cache()  # stale values: the identity map no longer answers
    with rec.expect_calls(1):
        assert Partner.objects.get(id=7) is a


def test_get_by_id_of_an_unloaded_record_queries(conn, rec):
    (browsed,) = Partner.objects.browse([7])  # live but nothing loaded
    with rec.expect_calls(1):
        assert Partner.objects.get(id=7) is browsed
    with pytest.raises(Partner.DoesNotExist), rec.expect_calls(1):
        Partner.objects.get(id=999_999)


def test_identity_map_across_queries(conn, rec, many):
    first = Partner.objects.filter(id__in=many[:5]).order_by("id")[0]
    again = list(Partner.objects.filter(id__in=many[:5]).order_by("id"))
    assert again[0] is first


def test_save_three_fields_and_two_tag_changes_is_one_write(conn, rec, many):
    p = Partner.objects.get(id=many[2])
    tags = list(Tag.objects.all())
    current = list(p.tags)
    rec.reset()
    with rec.expect_calls(1) as made:
        p.email = "x@acme.com"
        p.customer_rank = 3
        p.name = "Renamed"
        p.tags.add(next(t for t in tags if t not in current))
        p.tags.remove(current[0])
        assert p.save() is p
    call = made[0]
    assert call.method == "write" and list(call.ids or ()) == [p.id]
    vals = call.kwargs["vals"]
    assert {k: vals[k] for k in ("email", "customer_rank", "name")} == {
        "email": "x@acme.com",
        "customer_rank": 3,
        "name": "Renamed",
    }
    assert len(vals["category_id"]) == 2
    assert sorted(c[0] for c in vals["category_id"]) == [Command.UNLINK, Command.LINK]
    # the written values are served without a call; the tag list reloads once
    with rec.expect_calls(0):
        assert (p.email, p.customer_rank, p.name) == ("x@acme.com", 3, "Renamed")
    with rec.expect_calls(1):
        assert current[0] not in list(p.tags)


def test_save_without_changes_sends_nothing(conn, rec):
    p = Partner.objects.get(id=7)
    with rec.expect_calls(0):
        p.name = p.name
        p.save()


def test_order_with_three_lines_is_one_create(conn, rec):
    p = Partner.objects.get(id=7)
    products = list(Product.objects.all()[:3])
    rec.reset()
    order = SaleOrder(
        partner=p, lines=[SaleOrderLine(product=prod, qty=i + 1) for i, prod in enumerate(products)]
    )
    with rec.expect_calls(1) as made:
        order.save()
    assert made[0].method == "create"
    (vals,) = made[0].kwargs["vals_list"]
    assert vals["partner_id"] == p.id
    assert [c[:2] for c in vals["order_line"]] == [(0, 0)] * 3
    assert vals["order_line"][0][2] == {"product_id": products[0].id, "product_uom_qty": 1.0}
    assert order.id and len(order.lines) == 3
    assert sorted(line.qty for line in order.lines) == [1.0, 2.0, 3.0]


def test_children_create_is_flushed_with_parent_write(conn, rec):
    p = Partner.objects.get(id=many_id(conn))
    rec.reset()
    with rec.expect_calls(1) as made:
        bob = p.children.create(name="Bob")
        p.email = "p@example.com"
        p.save()
    assert made[0].kwargs["vals"]["child_ids"] == [(0, 0, {"name": "Bob"})]
    assert bob.id is None  # created through the parent: reload it from there
    assert "Bob" in [c.name for c in p.children]


def many_id(conn) -> int:
    return Partner.objects.filter(is_company=True).order_by("id")[0].id


def test_lazy_load_covers_the_whole_group_in_chunks(conn, rec, many, monkeypatch):
    import odoorm.models.prefetching as relations

    monkeypatch.setattr(relations, "CHUNK_SIZE", 25)
    partners = list(Partner.objects.filter(id__in=many).only("name"))
    rec.reset()
    with rec.expect_calls(3) as made:  # 60 records, 25 per read
        emails = [p.email for p in partners]
    assert all(c.method == "read" for c in made)
    assert len(emails) == 60
    with rec.expect_calls(0):
        [p.customer_rank for p in partners]


def test_lazy_raise_refuses_lazy_loads_but_not_prefetch(db, many):
    from .conftest import RecordingTransport

    rec = RecordingTransport(in_process(db))
    strict = connect(transport=rec, check_schema=False, lazy="raise", default=False)
    partners = list(Partner.objects.using(strict).filter(id__in=many[:10]))
    with pytest.raises(LazyLoadError, match="lazy='raise'"):
        _ = partners[0].country.name
    assert partners[0].country.display_name  # from [id, name]: not a load
    rec.reset()
    assert prefetch(partners, ["country", "tags"]) == 2
    assert partners[0].country.name
    assert all(t.name for t in partners[1].tags)
    assert rec.count == 2


def test_queryset_prefetch_loads_ahead(conn, rec, many):
    with rec.expect_calls(3):
        partners = list(Partner.objects.filter(id__in=many[:20]).prefetch("country", "tags"))
    with rec.expect_calls(0):
        [(p.country.code, [t.name for t in p.tags]) for p in partners]


def test_prefetch_nested_path(conn, rec):
    companies = list(Partner.objects.filter(is_company=True, child_ids__ne=False))
    rec.reset()
    calls = prefetch(companies, ["children__country"])
    assert calls <= 2
    with rec.expect_calls(0):
        [c.country.name for p in companies for c in p.children if c.country]


def test_ttl_expiry_reloads(db):
    from .conftest import RecordingTransport

    rec = RecordingTransport(in_process(db))
    c = connect(transport=rec, check_schema=False, cache_ttl=10, default=False)
    now = [1000.0]
    c.cache.timer = lambda: now[0]
    p = Partner.objects.using(c).filter(id=7)[0]
    rec.reset()
    with rec.expect_calls(0):
        assert p.name
    now[0] += 11
    with rec.expect_calls(1):
        assert p.name
    c.close()


def test_clear_cache_and_refresh(conn, rec, db):
    p = Partner.objects.get(id=7)
    db.execute(db.uid, "res.partner", "write", [[7], {"email": "changed@x.com"}])
    assert p.email != "changed@x.com"  # cached
    conn.clear_cache()
    assert p.email == "changed@x.com"
    db.execute(db.uid, "res.partner", "write", [[7], {"email": "again@x.com"}])
    rec.reset()
    with rec.expect_calls(1):
        p.refresh()
    assert p.email == "again@x.com"
    assert Partner.objects.get(id=7) is p


def test_queryset_update_and_delete_invalidate(conn, rec, many):
    p = Partner.objects.get(id=many[0])
    Partner.objects.filter(id=many[0]).update(customer_rank=9)
    assert p.customer_rank == 9
    q = Partner.objects.get(id=many[1])
    Partner.objects.filter(id=many[1]).delete()
    assert q._state.deleted
    with pytest.raises(Partner.DoesNotExist):
        Partner.objects.get(id=many[1])


def test_delete_record(conn, many):
    p = Partner.objects.get(id=many[3])
    p.delete()
    with pytest.raises(Partner.DoesNotExist):
        Partner.objects.get(id=many[3])


def test_identity_holds_under_eight_threads(conn, many):
    results: list[list[Partner]] = []
    barrier = threading.Barrier(8)

    def worker():
        barrier.wait()
        results.append(list(Partner.objects.filter(id__in=many[:30]).order_by("id")))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    for i in range(30):
        assert len({id(r[i]) for r in results}) == 1


def test_country_targets_form_one_group(conn, rec, many):
    partners = list(Partner.objects.filter(id__in=many[:40]))
    countries = {p.country for p in partners}
    assert len(countries) > 1
    rec.reset()
    with rec.expect_calls(1):
        codes = {c.code for c in countries}
    assert all(codes)
    assert isinstance(next(iter(countries)), Country)
