"""Scalar field types: text, numbers, booleans, dates, selections, binaries, JSON.

Odoo sends ``False`` for every empty value; these give ``None`` instead,
except :class:`Boolean`. Dates are :class:`datetime.date`, datetimes aware
UTC :class:`datetime.datetime`, binaries ``bytes`` (base64 on the wire).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from odoorm._values import is_missing
from odoorm.exceptions import FieldError
from odoorm.fields.base import _AS_BOOL, Field

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "Binary",
    "Boolean",
    "Char",
    "Date",
    "Datetime",
    "Float",
    "Html",
    "Integer",
    "Json",
    "Monetary",
    "Properties",
    "Selection",
    "Text",
]

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class Char(Field[str]):
    """A one-line string."""

    type = "char"
    python_types = (str,)


class Text(Char):
    """A multi-line string."""

    type = "text"


class Html(Char):
    """HTML text (sanitised by the server)."""

    type = "html"


#: Odoo stores Integer fields in PostgreSQL's 32-bit ``integer`` column
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


class Integer(Field[int]):
    """An integer (Odoo sends 0, not False, for an unset integer); 32-bit, as Odoo stores it."""

    type = "integer"
    python_types = (int,)

    def validate(self, value: Any) -> Any:
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)  # a pandas int column with gaps is float64: 3.0 means 3
        value = super().validate(value)
        if value is not None and not INT32_MIN <= value <= INT32_MAX:
            raise FieldError(
                f"{self._where()}: {value} is out of range; Odoo stores integers in 32 bits "
                f"({INT32_MIN}..{INT32_MAX}): use a Float field for larger numbers"
            )
        return value


class Float(Field[float]):
    """A float; ``digits=(precision, scale)`` as declared or as the server says."""

    type = "float"
    python_types = (int, float)

    def __init__(
        self, string: str | None = None, *, digits: tuple[int, int] | None = None, **options: Any
    ) -> None:
        super().__init__(string, **options)
        self.digits = digits

    def to_python(self, value: Any, conn: Any = None) -> float | None:
        if value is None or value is False:
            return None
        return float(value)

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        if value is None:
            return None
        if not math.isfinite(value):
            raise FieldError(
                f"{self._where()}: {value!r} cannot be stored: Odoo has no infinity "
                "(NaN, None and pandas' NaT/NA mean 'no value')"
            )
        return float(value)


class Monetary(Float):
    """An amount in the currency named by ``currency_field``."""

    type = "monetary"

    def __init__(
        self, string: str | None = None, *, currency_field: str | None = None, **options: Any
    ) -> None:
        super().__init__(string, **options)
        self.currency_field = currency_field


class Boolean(Field[bool]):
    """A boolean: ``False`` stays ``False`` (never None)."""

    type = "boolean"
    python_types = (bool,)
    _fast = _AS_BOOL

    if TYPE_CHECKING:  # typing only: at runtime Field.__get__ serves it (no extra call)

        @overload
        def __get__(self, instance: None, owner: Any) -> Boolean: ...
        @overload
        def __get__(self, instance: object, owner: Any) -> bool: ...
        def __get__(self, instance: Any, owner: Any) -> Any: ...

    def to_python(self, value: Any, conn: Any = None) -> bool:
        return bool(value)

    def to_wire(self, value: Any) -> Any:
        return bool(value)

    def validate(self, value: Any) -> Any:
        # Odoo has no empty boolean: None (or NaN/NA) is stored (and read back) as False
        return False if value is None or is_missing(value) else super().validate(value)


class Date(Field[dt.date]):
    """A date; ``"YYYY-MM-DD"`` on the wire."""

    type = "date"
    python_types = (dt.date, str)

    def to_python(self, value: Any, conn: Any = None) -> dt.date | None:
        if not value:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.datetime.strptime(value[:10], DATE_FORMAT).date()
        except ValueError:
            return _unpadded(self, value).date()

    def to_wire(self, value: Any) -> Any:
        if value is None:
            return False
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.strftime(DATE_FORMAT) if isinstance(value, dt.date) else value

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        if isinstance(value, dt.datetime):
            if _pandas_midnight(value):
                return value.date()  # pandas holds date columns as midnight Timestamps
            raise FieldError(f"{self._where()} takes a date, got a datetime: use value.date()")
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise FieldError(f"{self._where()}: {value!r} is not a YYYY-MM-DD date") from None
        return value


class Datetime(Field[dt.datetime]):
    """An aware UTC datetime; ``"YYYY-MM-DD HH:MM:SS"`` (UTC) on the wire.

    Naive datetimes assigned by the program are taken as UTC.
    """

    type = "datetime"
    python_types = (dt.datetime, str)

    def to_python(self, value: Any, conn: Any = None) -> dt.datetime | None:
        if not value:
            return None
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        try:
            naive = dt.datetime.strptime(value[:19], DATETIME_FORMAT)
        except ValueError:
            naive = _unpadded(self, value)
        return naive.replace(tzinfo=dt.timezone.utc)

    def to_wire(self, value: Any) -> Any:
        if value is None:
            return False
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
            return value.strftime(DATETIME_FORMAT)
        return value

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                raise FieldError(
                    f"{self._where()}: {value!r} is not a 'YYYY-MM-DD HH:MM:SS' datetime"
                ) from None
        if isinstance(value, dt.datetime):
            value = (
                value.astimezone(dt.timezone.utc)
                if value.tzinfo
                else value.replace(tzinfo=dt.timezone.utc)
            )
        return value


def _pandas_midnight(value: dt.datetime) -> bool:
    return (
        type(value).__module__.startswith("pandas.")
        and value.tzinfo is None
        and value.time() == dt.time(0)
    )


def _unpadded(field: Field[Any], text: Any) -> dt.datetime:
    """A server date(time) the strict formats refuse: Odoo writes ``date.min`` as
    ``'1-01-01'`` (the year is not zero-padded)."""
    try:
        day, _, time = str(text).partition(" ")
        parts = [int(p) for p in day.split("-")] + [int(p) for p in time.split(":") if time]
        year, month, day_, hour, minute, second = [*parts, 0, 0, 0][:6]
        return dt.datetime(year, month, day_, hour, minute, second)
    except (TypeError, ValueError):
        raise FieldError(
            f"{field._where()}: the server sent {text!r}, which is not a date"
        ) from None


class Selection(Field[str]):
    """One of a set of values; checked against the declared ones, else the server's.

    ``Selection([("draft", "Draft"), ("done", "Done")])`` or ``Selection()``
    (values come from ``fields_get``).
    """

    type = "selection"
    python_types = (str, int)

    def __init__(
        self,
        selection: Sequence[tuple[Any, str]] | Sequence[Any] | None = None,
        string: str | None = None,
        **options: Any,
    ) -> None:
        super().__init__(string, **options)
        self.selection = _selection_values(selection) if selection is not None else None

    def check_choice(self, value: Any, allowed: Iterable[Any] | None) -> None:
        """Raise FieldError when ``value`` is not one of ``allowed``."""
        allowed = self.selection if allowed is None else list(allowed)
        if value is None or allowed is None or value in allowed:
            return
        close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise FieldError(
            f"{self._where()}: {value!r} is not a valid choice; allowed: "
            f"{', '.join(repr(a) for a in allowed)}{hint}"
        )

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        self.check_choice(value, None)
        return value


def _selection_values(selection: Iterable[Any]) -> list[Any]:
    return [item[0] if isinstance(item, (list, tuple)) else item for item in selection]


class Binary(Field[bytes]):
    """Binary content: ``bytes`` in Python, base64 text on the wire."""

    type = "binary"
    python_types = (bytes, bytearray)

    def to_python(self, value: Any, conn: Any = None) -> bytes | None:
        if not value:
            return None
        if isinstance(value, (bytes, bytearray)):
            return bytes(value)
        if isinstance(value, (dict, list)):
            # some computed fields are declared binary but carry JSON (sale.order's
            # tax_totals, act_window's views): given as the server sent them
            return value  # type: ignore[return-value]
        try:
            return base64.b64decode(value, validate=False)
        except (binascii.Error, ValueError) as exc:
            raise FieldError(f"{self._where()}: the server sent invalid base64") from exc

    def to_wire(self, value: Any) -> Any:
        if value is None:
            return False
        return base64.b64encode(bytes(value)).decode("ascii")

    def validate(self, value: Any) -> Any:
        if isinstance(value, str):
            raise FieldError(
                f"{self._where()} takes bytes (odoorm base64-encodes them), got str; "
                f"use value.encode() or base64.b64decode(value)"
            )
        value = super().validate(value)
        return None if value is None else bytes(value)


class Json(Field[Any]):
    """A JSON value (dict or list), read and written as is."""

    type = "json"
    python_types = (dict, list)


class Properties(Field[dict]):
    """Odoo properties, read as a ``{name: value}`` dict and written back the same way."""

    type = "properties"
    python_types = (dict,)

    def to_python(self, value: Any, conn: Any = None) -> dict[str, Any] | None:
        if not value:
            return {}
        if isinstance(value, Mapping):
            return dict(value)
        return {p["name"]: p.get("value") for p in value if isinstance(p, Mapping)}
