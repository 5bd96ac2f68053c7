"""Webhooks and polling together: each event wakes an immediate poll with the saved cursor."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

from odoorm.exceptions import FieldError
from odoorm.polling import Batch, Cursor, poll
from odoorm.query import QuerySet
from odoorm.webhooks.receiver import Receiver

__all__ = ["watch"]


def watch(
    qs: QuerySet[Any],
    receiver: Receiver,
    *,
    interval: float = 300,
    since: dt.datetime | dt.date | str | None = None,
    cursor: Cursor | str | None = None,
    page_size: int = 1000,
    lookback: float = 10,
    settle: float = 1.0,
    retries: int = 3,
    max_polls: int | None = None,
) -> Iterator[Batch]:
    """:func:`odoorm.polling.watch`, woken by webhooks: each :class:`Batch` once.

    Polls at once, then every time ``receiver`` gets an event of ``qs``'s model
    (a burst of events makes one poll), and every ``interval`` seconds without
    one. The poll uses the saved cursor, so a record is delivered once, by
    whichever poll sees it first; an event that arrived before its change was
    committed is polled again after ``settle`` seconds (``retries`` times), and
    one Odoo never sent is caught by the ``interval`` poll. Save
    ``batch.cursor.to_json()`` after each batch, as with polling.

    ``receiver`` must have no ``handler`` (this reads its :meth:`~Receiver.events`);
    events of other models are dropped.
    """
    if receiver._handler is not None:
        raise TypeError("webhooks.watch() reads the receiver's events: create it without handler=")
    if cursor is not None and since is not None:
        raise FieldError("watch(): give since= or cursor=, not both")
    if isinstance(cursor, str):
        cursor = Cursor.from_json(cursor)
    current = cursor if cursor is not None else Cursor.since(since)
    model = qs.model._meta.odoo_model
    owed: dict[int, str] = {}  # id -> write_date of events the last poll did not show
    tries = 0
    polls = 0
    due = time.monotonic()
    while max_polls is None or polls < max_polls:
        if polls:
            wait = max(0.0, due - time.monotonic())
            event = receiver._next(min(wait, settle) if owed else wait)
            events = [] if event is None else [event, *receiver._pending()]
            mine = [e for e in events if e.model == model]
            if events and not mine:
                continue  # another model's event: no reason to poll
            if mine:
                tries = 0
                for e in mine:
                    if not e.deleted and e.write_date is not None:
                        owed[e.id] = e.write_date.strftime("%Y-%m-%d %H:%M:%S")
            elif owed and time.monotonic() < due:
                tries += 1
        polls += 1
        due = time.monotonic() + interval
        batch = poll(qs, current, page_size=page_size, lookback=lookback)
        current = batch.cursor
        delivered = {(i, w) for i, w, _ in current.seen}
        owed = {i: w for i, w in owed.items() if (i, w) not in delivered}
        if tries >= retries:
            owed, tries = {}, 0
        if batch:
            yield batch
