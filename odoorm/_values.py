"""Values as data people really have: pandas' missing markers and numpy numbers.

A DataFrame row says "no value" with ``NaN`` (floats, and strings in an object
column), ``NaT`` (dates), ``pd.NA`` (nullable columns) or ``None``; its numbers are
numpy scalars and its id columns numpy arrays or pandas Index objects. Odoo's "no
value" is ``False``. Fields and filters read values through :func:`is_missing` and
:func:`plain` so that all of these mean what they mean in pandas, without importing
numpy or pandas (they are optional extras).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

__all__ = ["is_missing", "plain"]

_MISSING_TYPES = frozenset({"NaTType", "NAType"})  # pandas.NaT, pandas.NA


def is_missing(value: Any) -> bool:
    """True for None, NaN (float, numpy or Decimal), ``pd.NaT`` and ``pd.NA``."""
    if value is None:
        return True
    if isinstance(value, float):  # numpy.float64 is a float subclass
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    kind = type(value)
    if kind.__name__ in _MISSING_TYPES:
        return True
    if _from_numpy(kind) and getattr(value, "ndim", None) == 0:
        try:
            return bool(value != value)  # a numpy NaN scalar (float32, float16, datetime64)
        except (TypeError, ValueError):
            return False
    return False


def plain(value: Any) -> Any:
    """numpy scalars as Python ``int``/``float``/``bool``; numpy arrays, pandas Index
    and Series as lists; anything else unchanged."""
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return value
    if _from_numpy(kind) or kind.__module__.startswith("pandas."):
        tolist = getattr(value, "tolist", None)
        if callable(tolist):
            return tolist()
    return value


def _from_numpy(kind: type) -> bool:
    module = kind.__module__
    return module == "numpy" or module.startswith("numpy.")
