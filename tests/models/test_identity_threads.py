"""Threads sharing one connection (and so one identity map) lose no update.

Each thread increments and saves only its own record, while reading random
records of the set (``get()``, a page, a lazy load of the page's group): rows
read before another thread's save must never be applied over it (issue 11,
item 1). Against the HTTP emulator, so requests really overlap; randomised
with a fixed seed and bounded so it runs in a few seconds.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import odoorm
from odoorm.models import prefetch
from tests.models.demo_models import Partner

THREADS = 8
ROUNDS = 100  # per thread: about half of them saves
SEED = 20240611


@pytest.fixture(scope="module")
def odoo():
    server = pytest.importorskip("odoorm.testing.server")
    with server.Emulator(version=18) as emulator:
        yield emulator


@pytest.fixture
def http_conn(odoo):
    c = odoorm.connect(odoo.url, db=odoo.db, user=odoo.login, password=odoo.password, default=False)
    yield c
    c.close()


def _work(conn, ids: list[int], n: int, start: threading.Barrier) -> tuple[int, list[str]]:
    """Thread ``n``: saves of its own record, reads of anybody's; returns how many
    saves it made and the stale values it read back."""
    rng = random.Random(SEED + n)
    objects = Partner.objects.using(conn)
    mine = ids[n]
    saves = last = 0
    seen: list[str] = []
    start.wait()
    for _ in range(ROUNDS):
        op = rng.random()
        if op < 0.5:  # read-increment-save of my record, as a user would write it
            p = objects.get(id=mine)
            value = p.customer_rank
            if value != last:
                seen.append(f"record {mine}: read {value} right after saving {last}")
            p.customer_rank = value + 1
            p.save()
            last = value + 1
            saves += 1
        elif op < 0.7:  # get() of a random record (a search_read unless fresh in the map)
            objects.filter(id=rng.choice(ids)).get()
        elif op < 0.85:  # a page of the set
            list(objects.filter(id__in=rng.sample(ids, 4)).order_by("id"))
        else:  # a page without the counter, then a lazy load of it for the page's group
            page = list(objects.filter(id__in=rng.sample(ids, 4)).only("name"))
            if rng.random() < 0.5:
                [p.customer_rank for p in page]
            else:
                prefetch(page, ["country"])
                [p.customer_rank for p in page]
    return saves, seen


def test_threads_sharing_a_connection_lose_no_save(http_conn):
    conn = http_conn
    ids = [
        conn.execute("res.partner", "create", {"name": f"counter {n}", "customer_rank": 0})
        for n in range(THREADS)
    ]
    start = threading.Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda n: _work(conn, ids, n, start), range(THREADS)))
    rows = conn.rpc("res.partner", "read", ids, fields=["customer_rank"])
    stored = {row["id"]: row["customer_rank"] for row in rows}
    saves = {ids[n]: results[n][0] for n in range(THREADS)}
    lost = sum(saves[i] - stored[i] for i in ids)
    problems = [p for _, seen in results for p in seen]
    assert sum(saves.values()) > THREADS * ROUNDS // 3  # the test did exercise saves
    assert lost == 0 and not problems, (
        f"{lost} of {sum(saves.values())} saves lost; {len(problems)} stale values read back: "
        f"{problems[:5]}"
    )
    conn.execute("res.partner", "unlink", ids)


# -- the rule, one step at a time (in process, no threads) ---------------------------


def _rows(conn, ids, fields=("name", "customer_rank")):
    return conn.rpc("res.partner", "read", ids, fields=list(fields))


def test_a_row_requested_before_a_save_is_not_applied_over_it(conn):
    p = Partner.objects.create(name="Counter", customer_rank=1)
    ticket = conn.cache.ticket()  # a read is sent...
    old = _rows(conn, [p.id])  # ...and answered with the values before the save
    p.customer_rank = 2
    p.save()
    [same] = Partner._from_rows(conn, old, ["name", "customer_rank"], ticket)
    assert same is p and p.customer_rank == 2  # the row did not take it back
    assert p._state.floors["customer_rank"] > ticket  # the save's floor
    # the row's other fields were applied, and a row requested after the save is
    newer = conn.cache.ticket()
    conn.execute("res.partner", "write", [p.id], {"customer_rank": 7})  # elsewhere
    Partner._from_rows(conn, _rows(conn, [p.id]), ["name", "customer_rank"], newer)
    assert p.customer_rank == 7


def test_a_row_requested_before_an_update_leaves_the_field_stale(conn, rec):
    p = Partner.objects.create(name="Counter", customer_rank=1)
    ticket = conn.cache.ticket()
    old = _rows(conn, [p.id])
    Partner.objects.filter(id=p.id).update(customer_rank=5)
    Partner._from_rows(conn, old, ["name", "customer_rank"], ticket)
    rec.reset()
    assert p.customer_rank == 5  # not the row's 1: the field stayed stale and reloads
    assert rec.methods() == ["res.partner.read"]


def test_a_row_requested_before_an_unlink_or_a_method_call_is_ignored(conn):
    p = Partner.objects.create(name="Counter", customer_rank=1)
    ticket = conn.cache.ticket()
    old = _rows(conn, [p.id])
    p.call("write", {"customer_rank": 3})  # any method: the whole record may have changed
    Partner._from_rows(conn, old, ["name", "customer_rank"], ticket)
    assert p.customer_rank == 3
    q = Partner.objects.create(name="Gone")
    ticket = conn.cache.ticket()
    old = _rows(conn, [q.id])
    q.delete()
    assert q._state.deleted
    Partner._apply_rows(conn, old, ["name", "customer_rank"], None, ticket)
    assert q._state.deleted  # the old row did not bring it back


def test_refresh_and_lazy_loads_take_their_ticket_before_the_read(conn):
    p = Partner.objects.create(name="Counter", customer_rank=1)
    floor = conn.cache.ticket()
    p.refresh()
    assert p.customer_rank == 1 and p._state.stamps["customer_rank"] is not None
    p._state.invalidate(["customer_rank"], floor)  # a floor below the next read's ticket
    assert p.customer_rank == 1  # the lazy load was applied


def test_a_many2one_name_read_before_a_rename_is_not_taken(conn, rec):
    parent = Partner.objects.create(name="Old name")
    child = Partner.objects.create(name="Child", parent=parent)
    ticket = conn.cache.ticket()
    old = _rows(conn, [child.id], ["name", "parent_id"])  # carries [id, "Old name"]
    parent.name = "New name"
    parent.save()
    [same] = Partner._from_rows(conn, old, ["name", "parent_id"], ticket)
    assert same.parent is parent
    rec.reset()
    assert parent.display_name == "New name" and rec.count == 1  # reloaded, not the old pair
    # a page read after the rename brings the new name for free
    parent._state.invalidate(["display_name"])
    list(Partner.objects.filter(id=child.id))
    rec.reset()
    assert child.parent.display_name == "New name" and rec.count == 0
