"""QuerySet (and record) features whose work lives above the query layer.

``qs.to_dataframe()``, ``qs.pivot()``, ``qs._repr_html_()`` and a record's
``_repr_html_()`` (:mod:`odoorm.report`), ``qs.changed_since()`` and
``qs.watch()`` (:mod:`odoorm.polling`) read as methods of the QuerySet and of
records, declared there with their signatures, but their work needs layers
that sit above this one (the models layer, pandas). Those modules register
their functions here when they are imported (``import odoorm`` imports them,
and every ``odoorm.*`` import runs ``odoorm/__init__`` first), so no layer
below them ever imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from odoorm.exceptions import ConfigurationError

__all__ = ["extend", "extension"]

#: name -> the module that provides it (for the error when it is not loaded)
_PROVIDERS = {
    "to_dataframe": "odoorm.report",
    "pivot": "odoorm.report",
    "html_table": "odoorm.report",
    "record_html": "odoorm.report",
    "changed_since": "odoorm.polling",
    "watch": "odoorm.polling",
}

_registered: dict[str, Callable[..., Any]] = {}


def extend(name: str, function: Callable[..., Any]) -> None:
    """Register ``function`` as the work of the feature ``name`` (see ``_PROVIDERS``)."""
    if name not in _PROVIDERS:
        raise ValueError(f"unknown extension {name!r}; known: {', '.join(sorted(_PROVIDERS))}")
    _registered[name] = function


def extension(name: str) -> Callable[..., Any]:
    """The function registered for ``name``; ConfigurationError when its module is not loaded."""
    function = _registered.get(name)
    if function is None:
        raise ConfigurationError(
            f"{name}() needs {_PROVIDERS[name]}, which is not loaded: `import odoorm` "
            f"(or {_PROVIDERS[name]}) first"
        )
    return function
