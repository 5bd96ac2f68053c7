"""One marshalling of Python values for every protocol.

XML-RPC, JSON-RPC, the web session and JSON-2 each had their own idea of a
``datetime``, a ``set`` or a numpy integer (one sent it, another raised a raw
``TypeError``). The JSON protocols encode with :func:`encode_json` (the C encoder
handles plain values, :func:`json_default` the rest) and XML-RPC walks the arguments
with :func:`wire_value`, both to the same rules, so the same Python arguments reach
Odoo the same way on all four, or are refused with the same clear error before the
call is sent:

* ``datetime`` → ``"YYYY-MM-DD HH:MM:SS"`` in UTC (naive means UTC, as Odoo stores
  it), ``date`` → ``"YYYY-MM-DD"``;
* ``tuple``, ``set``, ``frozenset``, ``range`` and numpy arrays → lists;
  numpy scalars → ``int``/``float``/``bool``; ``Decimal`` → ``float``;
* NaN, ±Infinity, ``pd.NaT`` and ``pd.NA`` → refused (Odoo would store them, or
  fail, differently per version); ``bytes`` → refused (binary fields take base64 text);
  a string holding a lone surrogate (half of an emoji) → refused.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from odoorm._values import is_missing
from odoorm.exceptions import FieldError

__all__ = ["encode_json", "json_default", "wire_value"]

_PLAIN = (str, int, bool, type(None))
_UTC = dt.timezone.utc


def wire_value(value: Any, where: str = "the call") -> Any:
    """``value`` as the JSON-like structure every protocol sends (see module docstring).

    Returns ``value`` itself (not a copy) when nothing needs converting, so the
    common case costs one walk and no allocation.
    """
    kind = type(value)
    if kind is str:
        return _utf8(value, where)
    if kind in _PLAIN:
        return value
    if kind is float:
        return _finite(value, where)
    if kind is list:
        converted = [wire_value(v, where) for v in value]
        return value if all(a is b for a, b in zip(converted, value, strict=True)) else converted
    if kind is dict:
        pairs = {k: wire_value(v, where) for k, v in value.items()}
        return value if all(pairs[k] is v for k, v in value.items()) else pairs
    return _convert(value, where)


def encode_json(payload: Any, where: str = "the call") -> bytes:
    """``payload`` as compact UTF-8 JSON, converted by the rules above."""
    try:
        text = json.dumps(
            payload,
            separators=(",", ":"),
            ensure_ascii=False,
            allow_nan=False,
            default=lambda value: json_default(value, where),
        )
    except ValueError as exc:
        if "Out of range float" not in str(exc):
            raise
        raise FieldError(
            f"cannot send NaN or infinity in {where}: Odoo has no NaN, infinity or NaT; "
            "send None (False in Odoo) for 'no value', or a finite number"
        ) from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _surrogate(exc, where) from None


def json_default(value: Any, where: str = "the call") -> Any:
    """The JSON form of what the encoder does not know (``json.dumps(default=...)``)."""
    converted = _convert(value, where)
    if converted is value:  # pragma: no cover - _convert returns new values for these
        raise FieldError(f"cannot send a {type(value).__name__} in {where}")
    return converted


def _surrogate(exc: UnicodeEncodeError, where: str) -> FieldError:
    bad = exc.object[exc.start : exc.end] if isinstance(exc.object, str) else "?"
    return FieldError(
        f"cannot send text holding a lone surrogate ({bad!r}) in {where}: it is half of a "
        "character (often an emoji cut in two, or text decoded with errors='surrogateescape'); "
        "fix the text, e.g. text.encode('utf-8', 'replace').decode()"
    )


def _convert(value: Any, where: str) -> Any:
    """The slower path: subclasses and the types that need converting."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dt.datetime):
        if value != value:  # pandas.NaT is a datetime that is not equal to itself
            raise _no_value(value, where)
        if value.tzinfo is not None:
            value = value.astimezone(_UTC)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, str):
        return _utf8(str(value), where)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _finite(float(value), where)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _no_value(value, where)
        return float(value)
    if isinstance(value, Mapping):
        return {
            str(k) if not isinstance(k, str) else k: wire_value(v, where) for k, v in value.items()
        }
    if isinstance(value, (list, tuple, set, frozenset, range)):
        return [wire_value(v, where) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise FieldError(
            f"cannot send bytes in {where}: Odoo takes binary values as base64 text; "
            "send base64.b64encode(data).decode() (model fields.Binary does this for you)"
        )
    if type(value).__module__ == "numpy" or type(value).__module__.startswith("numpy."):
        # numpy scalars and arrays, without importing numpy: .tolist() gives Python values
        return wire_value(value.tolist(), where)
    if is_missing(value):  # pandas.NA / pandas.NaT
        raise _no_value(value, where)
    raise FieldError(
        f"cannot send a {type(value).__name__} in {where}: Odoo's external API takes "
        "str, int, float, bool, None, lists, dicts, dates and datetimes"
    )


def _utf8(text: str, where: str) -> str:
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _surrogate(exc, where) from None
    return text


def _finite(value: float, where: str) -> float:
    if math.isfinite(value):
        return value
    raise _no_value(value, where)


def _no_value(value: Any, where: str) -> FieldError:
    return FieldError(
        f"cannot send {value!r} in {where}: Odoo has no NaN, infinity or NaT; "
        "send None (False in Odoo) for 'no value', or a finite number"
    )
