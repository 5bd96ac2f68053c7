"""The emulator's clock: what "now" is for ``create_date``, ``write_date`` and defaults.

By default it follows the machine's clock, like a real server. Tests that look at
timestamps (change polling, date filters, month groups of records they create)
pin it instead, so they pass on any day they run::

    with Emulator(version=18, now="2026-11-29 13:39:21") as odoo:   # frozen there
        ...
        odoo.clock.advance(minutes=5)                                 # and moved by hand

``Clock(start, tick=True)`` starts at ``start`` and then runs with real time.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import TypeAlias

UTC = dt.timezone.utc
#: what a clock can be set to: an aware or naive-UTC datetime, a date (midnight UTC) or
#: Odoo's ``"YYYY-MM-DD HH:MM:SS"`` / ``"YYYY-MM-DD"`` text
When: TypeAlias = dt.datetime | dt.date | str


def as_utc(when: When) -> dt.datetime:
    """``when`` as an aware UTC datetime (a naive one is taken as UTC, as Odoo stores it)."""
    if isinstance(when, str):
        try:
            parsed = dt.datetime.fromisoformat(when.strip())
        except ValueError:
            raise ValueError(
                f"emulator clock: {when!r} is not a date or datetime; "
                "write it as 'YYYY-MM-DD HH:MM:SS' (UTC) or pass a datetime"
            ) from None
        when = parsed
    if isinstance(when, dt.datetime):
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    if isinstance(when, dt.date):
        return dt.datetime(when.year, when.month, when.day, tzinfo=UTC)
    raise TypeError(
        f"emulator clock: expected a datetime, a date or a 'YYYY-MM-DD HH:MM:SS' string, "
        f"got {type(when).__name__}"
    )


class Clock:
    """The emulator's "now": the machine's clock, or pinned (frozen or ticking from a start).

    ``Clock()`` follows the machine. ``Clock(start)`` is frozen at ``start`` until
    :meth:`set` or :meth:`advance` moves it; ``Clock(start, tick=True)`` runs from
    ``start`` at the speed of real time. Thread-safe: the emulator serves requests
    from several threads.
    """

    def __init__(self, start: When | None = None, *, tick: bool = False):
        if start is None and tick:
            raise ValueError("Clock(tick=True) needs a start: the machine's clock always ticks")
        self._lock = threading.Lock()
        self._start = None if start is None else as_utc(start)
        self._tick = tick
        self._since = time.monotonic()

    def __repr__(self) -> str:
        if self._start is None:
            return "<Clock: the machine's clock>"
        mode = "ticking from" if self._tick else "frozen at"
        return f"<Clock {mode} {self._start:%Y-%m-%d %H:%M:%S} UTC>"

    @property
    def pinned(self) -> bool:
        """False when the clock follows the machine's clock."""
        return self._start is not None

    def now(self) -> dt.datetime:
        """The current instant, aware, in UTC, to the microsecond."""
        with self._lock:
            if self._start is None:
                return dt.datetime.now(UTC)
            if not self._tick:
                return self._start
            return self._start + dt.timedelta(seconds=time.monotonic() - self._since)

    def odoo_now(self) -> str:
        """Now as Odoo writes a stored datetime: ``"YYYY-MM-DD HH:MM:SS"``, UTC, no fraction."""
        return self.now().strftime("%Y-%m-%d %H:%M:%S")

    def today(self) -> dt.date:
        """The current date in UTC (what a server in UTC calls today)."""
        return self.now().date()

    def set(self, when: When, *, tick: bool | None = None) -> None:
        """Pin the clock at ``when`` (frozen, or ticking from there with ``tick=True``)."""
        start = as_utc(when)
        with self._lock:
            self._start = start
            self._since = time.monotonic()
            if tick is not None:
                self._tick = tick

    def advance(
        self,
        delta: dt.timedelta | None = None,
        *,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
    ) -> dt.datetime:
        """Move a pinned clock forward (or back, with negative amounts); returns the new now."""
        step = (delta or dt.timedelta()) + dt.timedelta(
            days=days, hours=hours, minutes=minutes, seconds=seconds
        )
        with self._lock:
            if self._start is None:
                raise RuntimeError(
                    "the emulator's clock follows the machine's clock and cannot be advanced: "
                    "pin it first with Emulator(now=...) or clock.set(...)"
                )
            self._start += step
            return self._start

    def release(self) -> None:
        """Follow the machine's clock again."""
        with self._lock:
            self._start = None
            self._tick = False


def make_clock(now: Clock | When | None) -> Clock:
    """The clock an ``Emulator(now=...)`` / ``Database(now=...)`` argument names."""
    if isinstance(now, Clock):
        return now
    return Clock(now)
