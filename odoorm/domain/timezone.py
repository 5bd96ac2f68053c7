"""The time zone date lookups are compiled in, and local times on the wire.

Odoo stores datetimes in UTC. A day, a month or a year of a datetime field
starts at midnight in *some* zone: UTC, unless the query's connection has a
``tz`` in its context. The query layer compiles filters inside
:func:`compile_timezone`; the lookups read :func:`current_tz`. Pure module.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from odoorm.domain.leaves import format_datetime
from odoorm.exceptions import FieldError

__all__ = ["compile_timezone", "current_tz", "local_to_wire"]

_TZ: contextvars.ContextVar[str | None] = contextvars.ContextVar("odoorm_tz", default=None)


@contextmanager
def compile_timezone(tz: str | None) -> Iterator[None]:
    """Compile date lookups on datetime fields in the time zone ``tz`` (None: UTC)."""
    token = _TZ.set(tz or None)
    try:
        yield
    finally:
        _TZ.reset(token)


def current_tz() -> str | None:
    """The zone set by :func:`compile_timezone` (None: UTC)."""
    return _TZ.get()


def local_to_wire(value: dt.date, key: str) -> str:
    """A naive local datetime (or a date: its midnight) in the current zone, as
    Odoo's UTC ``"YYYY-MM-DD HH:MM:SS"``."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    tz = _TZ.get()
    if tz:
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise FieldError(f"Bad filter {key}: unknown time zone {tz!r} in the context") from None
        return format_datetime(value.replace(tzinfo=zone).astimezone(dt.timezone.utc))
    return format_datetime(value.replace(tzinfo=dt.timezone.utc))
