"""Change polling: the (write_date, id) cursor neither loses nor repeats records."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from odoorm.exceptions import FieldError
from odoorm.polling import Cursor, poll_rows, to_wire_datetime, watch
from odoorm.testing.clock import Clock

T0 = "2026-03-01 10:00:00"
T1 = "2026-03-01 10:00:01"
T2 = "2026-03-01 10:00:02"


# --------------------------------------------------------------------------- a tiny row store


def _match(row: dict, domain: list) -> bool:
    """Evaluate the prefix domains polling builds (&, |, !, comparison leaves)."""

    def term(pos: int) -> tuple[bool, int]:
        item = domain[pos]
        if item == "!":
            value, nxt = term(pos + 1)
            return not value, nxt
        if item in ("&", "|"):
            left, nxt = term(pos + 1)
            right, nxt = term(nxt)
            return (left and right) if item == "&" else (left or right), nxt
        field, op, value = item
        have = row[field]
        result = {
            "=": lambda: have == value,
            ">": lambda: have > value,
            ">=": lambda: have >= value,
            "<": lambda: have < value,
            "in": lambda: have in value,
            "not in": lambda: have not in value,
        }[op]()
        return result, pos + 1

    if not domain:
        return True
    ok, pos = term(0)
    while pos < len(domain):  # implicit AND of a flat list
        more, pos = term(pos)
        ok = ok and more
    return ok


class Store:
    def __init__(self):
        self.rows: dict[int, dict] = {}
        self.calls: list[tuple[list, int]] = []

    def write(self, ident: int, stamp: str) -> None:
        self.rows[ident] = {"id": ident, "write_date": stamp}

    def fetch(self, extra: list, limit: int) -> list[dict]:
        self.calls.append((extra, limit))
        found = [dict(r) for r in self.rows.values() if _match(r, extra)]
        found.sort(key=lambda r: (r["write_date"], r["id"]))
        return found[:limit]


def ids(rows):
    return [r["id"] for r in rows]


# --------------------------------------------------------------------------- cursor


def test_cursor_round_trips_through_json_and_str():
    cursor = Cursor(T1, [(5, T1, "ab"), (3, T1, "cd")])
    text = cursor.to_json()
    assert json.loads(text) == {"v": 1, "write_date": T1, "seen": [[3, T1, "cd"], [5, T1, "ab"]]}
    assert Cursor.from_json(text) == cursor
    assert Cursor.from_json(str(cursor)) == cursor
    assert Cursor.from_json(json.loads(text)) == cursor
    assert cursor.when == dt.datetime(2026, 3, 1, 10, 0, 1, tzinfo=dt.timezone.utc)


def test_cursor_from_garbage_says_so():
    with pytest.raises(FieldError, match="not a saved polling cursor"):
        Cursor.from_json("{nope")


def test_since_accepts_datetimes_dates_and_text():
    paris = dt.timezone(dt.timedelta(hours=1))
    assert Cursor.since(dt.datetime(2026, 3, 1, 11, 0, 0, tzinfo=paris)).write_date == T0
    assert Cursor.since(dt.date(2026, 3, 1)).write_date == "2026-03-01 00:00:00"
    assert Cursor.since("2026-03-01T10:00:01").write_date == T1
    assert Cursor.since(None).write_date is None
    with pytest.raises(FieldError, match="not a date/time"):
        to_wire_datetime("yesterday")


# --------------------------------------------------------------------------- polls


def test_records_written_in_the_same_second_are_neither_lost_nor_repeated():
    store = Store()
    for i in range(1, 6):
        store.write(i, T0)
    rows, cursor = poll_rows(store.fetch, Cursor())
    assert ids(rows) == [1, 2, 3, 4, 5]

    store.write(5, T1)
    store.write(3, T1)
    rows, cursor = poll_rows(store.fetch, cursor)
    assert ids(rows) == [3, 5]
    assert cursor.write_date == T1

    # written later in the SAME second, with a smaller id than already delivered:
    # a plain (write_date, id) > (mark, last_id) keyset would lose it
    store.write(2, T1)
    rows, cursor = poll_rows(store.fetch, cursor)
    assert ids(rows) == [2]

    rows, cursor = poll_rows(store.fetch, cursor)  # nothing new: nothing repeated
    assert rows == []

    store.write(1, T2)
    rows, cursor = poll_rows(store.fetch, Cursor.from_json(cursor.to_json()))  # after a restart
    assert ids(rows) == [1]
    assert [i for i, _, _ in cursor.seen] == [1]  # only the mark's second is remembered


def test_pages_are_walked_by_keyset_not_offset():
    store = Store()
    for i in range(1, 8):
        store.write(i, T0 if i < 5 else T1)
    rows, cursor = poll_rows(store.fetch, Cursor(), page_size=3)
    assert ids(rows) == [1, 2, 3, 4, 5, 6, 7]
    assert len(store.calls) == 3
    assert [limit for _, limit in store.calls] == [3, 3, 3]
    assert cursor.write_date == T1 and {i for i, _, _ in cursor.seen} == {5, 6, 7}


def test_since_delivers_records_at_or_after_the_moment():
    store = Store()
    store.write(1, T0)
    store.write(2, T1)
    rows, _ = poll_rows(store.fetch, Cursor.since(T1))
    assert ids(rows) == [2]


def test_lookback_catches_a_late_commit_with_an_older_stamp():
    store = Store()
    store.write(1, T1)
    store.write(2, T2)
    rows, cursor = poll_rows(store.fetch, Cursor(), lookback=5)
    assert ids(rows) == [1, 2]
    # a transaction that started at T0 commits now
    store.write(3, T0)
    rows, cursor = poll_rows(store.fetch, cursor, lookback=5)
    assert ids(rows) == [3]
    rows, cursor = poll_rows(store.fetch, cursor, lookback=5)
    assert rows == []
    # without lookback it would have been missed
    plain = Store()
    plain.write(2, T2)
    _, cursor = poll_rows(plain.fetch, Cursor())
    plain.write(4, T0)
    rows, _ = poll_rows(plain.fetch, cursor)
    assert rows == []


def test_bad_page_size():
    with pytest.raises(FieldError, match="page_size"):
        poll_rows(Store().fetch, Cursor(), page_size=0)


def test_watch_refuses_since_and_cursor_together():
    with pytest.raises(FieldError, match="not both"):
        next(watch(object(), since=T0, cursor=Cursor(T0)))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- against the emulator


@pytest.fixture(scope="module")
def odoo():
    from odoorm.testing import Emulator

    with Emulator(version=18) as emulator:
        yield emulator


@pytest.fixture
def watched(odoo):
    """A model, a connection, and a settable server clock (to the second, like Odoo)."""
    from odoorm import fields
    from odoorm.models import Model
    from odoorm.session import connect
    from odoorm.transport import RecordingTransport

    class Tag(Model):
        _name = "res.partner.category"

        name = fields.Char()

    conn = connect(odoo.url, db=odoo.db, user=odoo.login, password=odoo.password, default=False)
    conn._state.transport = RecordingTransport(conn.transport)
    machine, clock = odoo.clock, Clock("2030-01-01 09:00:00")
    odoo.database.clock = clock
    yield Tag, conn, clock
    odoo.database.clock = machine
    conn.close()


def test_watch_over_the_emulator_same_second_writes(watched):
    from odoorm.polling import poll

    Tag, conn, clock = watched
    qs = Tag.objects.using(conn).filter(name__startswith="poll-")
    for i in range(3):
        Tag.objects.using(conn).create(name=f"poll-{i}")
    first = poll(qs)
    assert [t.name for t in first] == ["poll-0", "poll-1", "poll-2"]
    assert first.cursor.write_date == "2030-01-01 09:00:00"

    # the same second again: a new record, and an older one rewritten
    newer = Tag.objects.using(conn).create(name="poll-3")
    older = first[0]
    older.name = "poll-0b"
    older.save()
    second = poll(qs, Cursor.from_json(first.cursor.to_json()))
    assert sorted(t.name for t in second) == ["poll-0b", "poll-3"]
    assert newer in second
    assert poll(qs, second.cursor) == []

    clock.set("2030-01-01 09:00:05")
    first[1].name = "poll-1b"
    first[1].save()
    third = poll(qs, second.cursor)
    assert [t.name for t in third] == ["poll-1b"]
    assert [(i, w) for i, w, _ in third.cursor.seen] == [(first[1].id, "2030-01-01 09:00:05")]


def test_watch_yields_non_empty_batches_and_sleeps_between_polls(watched):
    Tag, conn, clock = watched
    qs = Tag.objects.using(conn).filter(name__startswith="watch-")
    Tag.objects.using(conn).create(name="watch-a")
    naps = []

    def fake_sleep(seconds):
        naps.append(seconds)
        if len(naps) == 2:
            clock.set("2030-01-01 09:01:00")
            Tag.objects.using(conn).create(name="watch-b")

    rec = conn.transport
    rec.reset()
    batches = list(watch(qs, interval=7, max_polls=4, sleep=fake_sleep))
    assert naps == [7, 7, 7]
    assert [[t.name for t in b] for b in batches] == [["watch-a"], ["watch-b"]]
    reads = [
        c for c in rec.calls if c.model == "res.partner.category" and c.method == "search_read"
    ]
    assert len(reads) == 4  # one request per poll


def test_watch_pages_by_keyset_inside_a_poll(watched):
    Tag, conn, _clock = watched
    qs = Tag.objects.using(conn).filter(name__startswith="page-")
    for i in range(5):
        Tag.objects.using(conn).create(name=f"page-{i}")
    rec = conn.transport
    rec.reset()
    (batch,) = list(watch(qs, max_polls=1, page_size=2))
    assert len(batch) == 5 and len({t.id for t in batch}) == 5
    reads = [c for c in rec.calls if c.method == "search_read"]
    assert len(reads) == 3 and all(c.kwargs["limit"] == 2 for c in reads)
    assert all("offset" not in c.kwargs for c in reads)


def test_changed_since_is_a_lazy_queryset(watched):
    from odoorm.polling import changed_since

    Tag, conn, clock = watched
    clock.set("2030-01-02 00:00:00")
    Tag.objects.using(conn).create(name="since-x")
    recent = changed_since(Tag.objects.using(conn), dt.datetime(2030, 1, 1, 23, 59, 59))
    assert ("write_date", ">=", "2030-01-01 23:59:59") in recent.domain
    assert [t.name for t in recent] == ["since-x"]


def test_archiving_is_delivered_only_when_archived_records_are_watched(watched):
    """Odoo hides archived records by default, so a watch must ask for them (as documented)."""
    from odoorm import fields
    from odoorm.models import Model
    from odoorm.polling import poll

    class ArchPartner(Model):
        _name = "res.partner"

        name = fields.Char()
        active = fields.Boolean()

    _Tag, conn, clock = watched
    clock.set("2030-01-03 00:00:00")
    a = ArchPartner.objects.using(conn).create(name="arch-a")
    b = ArchPartner.objects.using(conn).create(name="arch-b")
    default = ArchPartner.objects.using(conn).filter(name__startswith="arch-")
    everything = default.with_context(active_test=False)
    start = poll(everything)
    assert [p.name for p in start] == ["arch-a", "arch-b"]

    clock.set("2030-01-03 00:00:07")
    b.active = False
    b.save()
    assert poll(default, start.cursor) == []  # the archive is invisible by default
    (archived,) = poll(everything, start.cursor)
    assert archived.id == b.id and archived.active is False

    a.delete()  # a deletion leaves no row to poll
    assert [p.id for p in poll(everything, start.cursor)] == [b.id]
