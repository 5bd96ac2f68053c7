"""webhooks.watch(): each event wakes a poll with the saved cursor; every change once."""

from __future__ import annotations

import threading

import pytest

from odoorm import webhooks
from odoorm.polling import Cursor

from .conftest import NOW, Partner


def next_batch(iterator):
    """``next(iterator)`` on a thread, so a broken wake-up fails instead of hanging."""
    box = []
    worker = threading.Thread(target=lambda: box.append(next(iterator)), daemon=True)
    worker.start()
    worker.join(30)
    assert box, "no batch: the event did not wake a poll"
    return box[0]


def test_each_event_wakes_a_poll_and_nothing_is_delivered_twice(conn, receiver, served):
    webhooks.install(Partner, served.url, conn=conn)
    qs = Partner.objects.using(conn)
    first = qs.create(name="First")
    # no periodic poll: only the first poll and the events make it poll
    batches = webhooks.watch(qs, receiver, since=NOW, interval=3600)
    assert [p.name for p in next_batch(batches)] == ["First"]
    second = qs.create(name="Second")  # same second as First: the cursor tells them apart
    assert [p.name for p in next_batch(batches)] == ["Second"]
    first.name = "First again"
    first.save()
    batch = next_batch(batches)
    assert [p.id for p in batch] == [first.id]
    assert batch.cursor.write_date == NOW and second.id in {i for i, _, _ in batch.cursor.seen}


def test_a_change_nobody_announced_is_still_delivered_by_a_poll(odoo, conn, receiver):
    qs = Partner.objects.using(conn)
    start = Cursor.since(NOW)
    qs.create(name="Nobody told")  # no hook installed: Odoo sends nothing
    batches = webhooks.watch(qs, receiver, cursor=start.to_json(), interval=0, max_polls=2)
    assert [[p.name for p in batch] for batch in batches] == [["Nobody told"]]


def test_watch_refuses_a_receiver_with_a_handler(token):
    receiver = webhooks.Receiver(token, handler=print)
    with pytest.raises(TypeError, match="without handler"):
        next(webhooks.watch(Partner.objects.all(), receiver))
