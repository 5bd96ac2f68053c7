"""Change polling: what changed since last time, without losing or repeating records.

::

    from odoorm.polling import Cursor, changed_since, watch

    recent = changed_since(Partner.objects.filter(is_company=True), yesterday)

    cursor = Cursor.from_json(saved) if saved else None
    for batch in watch(Partner.objects.all(), interval=30, cursor=cursor):
        push_somewhere(batch)
        save(batch.cursor.to_json())          # resume here after a restart

Odoo stamps every write with ``write_date``, to the second. A cursor on
``write_date`` alone loses records written in the same second after a poll
(``>``) or repeats them (``>=``). The cursor here keeps the high-water
``write_date`` AND a fingerprint of each row delivered at that second: the
next poll asks for ``write_date >= mark`` and drops the rows it already
delivered unchanged. So a record written later in the same second (even one
with a smaller id, or one delivered a moment ago and rewritten since) is
found, and no row is sent twice. Within one poll, pages are walked by the
``(write_date, id)`` keyset, never by offset.

Odoo sets ``write_date`` when the writing transaction *starts*; a long
transaction can commit after a poll with an older stamp. ``lookback=`` widens
the window re-examined on each poll (the cursor then remembers every
row delivered inside it), so such late commits are caught too.

Polling cannot see deletions: archive records (``active=False``) instead, or
compare id sets from time to time. Odoo hides archived records by default: watch
``qs.with_context(active_test=False)`` to receive the archiving writes too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from odoorm.exceptions import FieldError
from odoorm.query.extensions import extend

if TYPE_CHECKING:
    from odoorm.query import QuerySet
    from odoorm.session import Connection

__all__ = ["Batch", "Cursor", "changed_since", "poll", "poll_rows", "watch"]

WIRE_FORMAT = "%Y-%m-%d %H:%M:%S"
_ORDER = "write_date asc, id asc"


def to_wire_datetime(when: dt.datetime | dt.date | str) -> str:
    """``"YYYY-MM-DD HH:MM:SS"`` in UTC, as Odoo stores ``write_date``.

    Naive datetimes are taken as UTC (what Odoo sends); aware ones are converted.
    """
    if isinstance(when, str):
        text = when.strip().replace("T", " ")
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise FieldError(
                f"{when!r} is not a date/time: use a datetime or 'YYYY-MM-DD HH:MM:SS' (UTC)"
            ) from None
        return to_wire_datetime(parsed)
    if isinstance(when, dt.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return when.strftime(WIRE_FORMAT)
    if isinstance(when, dt.date):
        return when.strftime("%Y-%m-%d 00:00:00")
    raise FieldError(f"expected a datetime, date or string, got {type(when).__name__}")


def _shift(wire: str, seconds: float) -> str:
    moment = dt.datetime.strptime(wire, WIRE_FORMAT) - dt.timedelta(seconds=seconds)
    return moment.strftime(WIRE_FORMAT)


Seen = tuple[tuple[int, str, str], ...]


def _seen(items: Any) -> Seen:
    return tuple(sorted((int(i), str(w), str(d)) for i, w, d in items))


def digest(row: Mapping[str, Any]) -> str:
    """A short fingerprint of a row's values (to tell a same-second rewrite apart)."""
    text = json.dumps(row, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@attrs.frozen
class Cursor:
    """Where a sync job stands: serialisable with :meth:`to_json` (``str()`` too).

    Attributes:
        write_date: the newest ``write_date`` delivered (UTC, Odoo's text form),
            or None before the first record.
        seen: ``(id, write_date, digest)`` of the rows delivered at (or, with a
            lookback, shortly before) that mark; the same row is not delivered again.
    """

    write_date: str | None = None
    seen: Seen = attrs.field(default=(), converter=_seen)

    @classmethod
    def since(cls, when: dt.datetime | dt.date | str | None) -> Cursor:
        """A cursor that delivers what was written at or after ``when`` (None: everything)."""
        return cls(None if when is None else to_wire_datetime(when))

    @property
    def when(self) -> dt.datetime | None:
        """The mark as an aware UTC datetime."""
        if self.write_date is None:
            return None
        return dt.datetime.strptime(self.write_date, WIRE_FORMAT).replace(tzinfo=dt.timezone.utc)

    def to_json(self) -> str:
        seen = [list(item) for item in self.seen]
        return json.dumps({"v": 1, "write_date": self.write_date, "seen": seen})

    @classmethod
    def from_json(cls, text: str | bytes | Mapping[str, Any]) -> Cursor:
        """The cursor :meth:`to_json` wrote (a JSON text or the decoded dict)."""
        try:
            data = json.loads(text) if isinstance(text, (str, bytes)) else dict(text)
            mark = data.get("write_date")
            return cls(None if mark is None else to_wire_datetime(mark), data.get("seen", ()))
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            raise FieldError(f"not a saved polling cursor: {exc}") from None

    def __str__(self) -> str:
        return self.to_json()

    def is_new(self, row: Mapping[str, Any]) -> bool:
        """False when this exact row (same id, write_date and values) was delivered."""
        stamp = row.get("write_date") or ""
        return (int(row["id"]), stamp, digest(row)) not in set(self.seen)

    def advance(self, rows: Sequence[Mapping[str, Any]], lookback: float = 0.0) -> Cursor:
        """The cursor after delivering ``rows`` (each with ``id`` and ``write_date``)."""
        latest = {i: (w, d) for i, w, d in self.seen}
        mark = self.write_date
        for row in rows:
            stamp = row.get("write_date")
            if not stamp:
                continue
            latest[int(row["id"])] = (stamp, digest(row))
            if mark is None or stamp > mark:
                mark = stamp
        if mark is None:
            return self
        floor = _shift(mark, lookback) if lookback else mark
        return Cursor(mark, [(i, w, d) for i, (w, d) in latest.items() if w >= floor])

    def domain(self, lookback: float = 0.0) -> list[Any]:
        """The Odoo domain of records that may not have been delivered yet.

        Rows at the mark (or inside the lookback window) come back and are
        told apart client-side by :meth:`is_new`: a record rewritten in the
        same second keeps its ``write_date`` but not its values.
        """
        if self.write_date is None:
            return []
        floor = _shift(self.write_date, lookback) if lookback else self.write_date
        return [("write_date", ">=", floor)]


class Batch(list[Any]):
    """The records of one poll (a list), with the :class:`Cursor` to save after it."""

    cursor: Cursor

    def __init__(self, records: Sequence[Any], cursor: Cursor):
        super().__init__(records)
        self.cursor = cursor


# --------------------------------------------------------------------------- queryset access


def _and(*domains: Sequence[Any]) -> list[Any]:
    parts = [list(d) for d in domains if d]
    if not parts:
        return []
    out: list[Any] = ["&"] * (len(parts) - 1)
    for part in parts:
        out.extend(_one_term(part))
    return out


def _one_term(domain: list[Any]) -> list[Any]:
    """``domain`` as one prefix expression (an implicit AND made explicit)."""
    arity = {"&": 2, "|": 2, "!": 1}
    need, terms = 1, 0
    for item in domain:
        need -= 1
        if isinstance(item, str) and item in arity:
            need += arity[item]
        if need == 0:
            terms += 1
            need = 1
    # a normalised domain is already one term; a flat list of leaves is not
    return domain if terms <= 1 else ["&"] * (terms - 1) + domain


def _fetcher(qs: QuerySet[Any]) -> tuple[Callable[[list[Any], int], list[Any]], Callable[..., Any]]:
    """(fetch rows for an extra domain, turn rows into records) for a QuerySet."""
    model = qs.model
    meta = model._meta
    conn: Connection = qs._connection()
    fields = list(meta.read_fields())
    if "write_date" not in fields:
        fields.append("write_date")
    base = list(qs.domain)

    first: list[int] = []  # the ticket taken before the first page not built yet

    def fetch(extra: list[Any], limit: int) -> list[Any]:
        if not first:
            first.append(conn.cache.ticket())
        rows = conn.rpc(
            meta.odoo_model,
            "search_read",
            domain=_and(base, extra),
            fields=fields,
            order=_ORDER,
            limit=limit,
        )
        return list(rows)

    def build(rows: list[Any]) -> list[Any]:
        # pages read before a save of this connection are not applied over it
        ticket = first.pop() if first else None
        return list(model._from_rows(conn, rows, fields, ticket))

    return fetch, build


def poll_rows(
    fetch: Callable[[list[Any], int], list[Any]],
    cursor: Cursor,
    *,
    page_size: int = 1000,
    lookback: float = 0.0,
) -> tuple[list[Any], Cursor]:
    """One poll over a row source: every row not delivered yet, and the next cursor.

    ``fetch(extra_domain, limit)`` returns rows ordered by ``(write_date, id)``.
    Pages are walked by keyset on ``(write_date, id)``.
    """
    if page_size < 1:
        raise FieldError(f"page_size must be at least 1, got {page_size}")
    rows: list[Any] = []
    base = cursor.domain(lookback)
    extra = base
    while True:
        page = fetch(extra, page_size)
        rows.extend(row for row in page if cursor.is_new(row))
        if len(page) < page_size:
            break
        last = page[-1]
        stamp, ident = last["write_date"], last["id"]
        after = ["|", ("write_date", ">", stamp), "&", ("write_date", "=", stamp)]
        after.append(("id", ">", ident))
        extra = _and(base, after)
    return rows, cursor.advance(rows, lookback)


def poll(
    qs: QuerySet[Any], cursor: Cursor | None = None, *, page_size: int = 1000, lookback: float = 0
) -> Batch:
    """One poll: the records of ``qs`` changed since ``cursor`` (all of them when None)."""
    fetch, build = _fetcher(qs)
    rows, after = poll_rows(fetch, cursor or Cursor(), page_size=page_size, lookback=lookback)
    return Batch(build(rows) if rows else [], after)


def changed_since(qs: QuerySet[Any], when: dt.datetime | dt.date | str) -> QuerySet[Any]:
    """``qs`` narrowed to records written at or after ``when``, oldest change first.

    A lazy QuerySet like any other; for a job that runs again and again use
    :func:`watch`, whose cursor neither loses nor repeats records.
    """
    stamp = to_wire_datetime(when)
    # write_date is one of Odoo's automatic fields: order_by() takes it undeclared
    return qs.filter([("write_date", ">=", stamp)]).order_by("write_date", "id")


def watch(
    qs: QuerySet[Any],
    interval: float = 30,
    since: dt.datetime | dt.date | str | None = None,
    cursor: Cursor | str | None = None,
    *,
    page_size: int = 1000,
    lookback: float = 0,
    max_polls: int | None = None,
    sleep: Callable[[float], Any] = time.sleep,
) -> Iterator[Batch]:
    """Poll ``qs`` every ``interval`` seconds, yielding each non-empty :class:`Batch`.

    Args:
        qs: what to watch (its filters apply to every poll).
        interval: seconds between polls.
        since: start with records written at or after this moment; None (and no
            cursor): start with every record of ``qs``, then follow changes.
        cursor: resume from a saved :class:`Cursor` (or its JSON text).
        page_size: rows per request inside one poll.
        lookback: seconds re-examined behind the mark on each poll (late commits).
        max_polls: stop after this many polls (None: run forever).
        sleep: the waiting function (tests pass a fake).

    Save ``batch.cursor.to_json()`` after handling a batch to resume there.
    """
    if cursor is not None and since is not None:
        raise FieldError("watch(): give since= or cursor=, not both")
    if isinstance(cursor, str):
        cursor = Cursor.from_json(cursor)
    current = cursor if cursor is not None else Cursor.since(since)
    polls = 0
    while max_polls is None or polls < max_polls:
        if polls:
            sleep(interval)
        polls += 1
        batch = poll(qs, current, page_size=page_size, lookback=lookback)
        current = batch.cursor
        if batch:
            yield batch


# qs.changed_since() and qs.watch() (odoorm.query.extensions)
extend("changed_since", changed_since)
extend("watch", watch)
