"""Classes built from ``fields_get``: relation targets nobody declared, and ``conn.env[...]``.

Both are dynamic classes (their fields come from the server on first use);
``conn.env`` classes are also bound to their connection. This module registers
the builders with the fields layer's registry and with the session layer,
which cannot import models (they sit above both).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, cast

from odoorm._schema import class_name
from odoorm.fields.relational import registry
from odoorm.models.meta import ModelBase
from odoorm.models.model import Model
from odoorm.session.connection import set_env_factory

if TYPE_CHECKING:
    from odoorm.session.connection import Connection

__all__ = ["dynamic_class", "env_class"]


_dynamic_lock = threading.Lock()
_dynamic: dict[str, type[Model]] = {}


def _make_class(odoo_model: str, bound_conn: Connection | None) -> type[Model]:
    return cast(
        "type[Model]",
        ModelBase(
            class_name(odoo_model),  # the name `odoorm inspect` gives it
            (Model,),
            {"_name": odoo_model, "__module__": "odoorm.dynamic"},
            dynamic=True,
            bound_conn=bound_conn,
        ),
    )


def dynamic_class(odoo_model: str) -> type[Model]:
    """The class used for a relation target nobody declared (fields from fields_get)."""
    with _dynamic_lock:
        cls = _dynamic.get(odoo_model)
        if cls is None:
            cls = _dynamic[odoo_model] = _make_class(odoo_model, None)
        return cls


def env_class(conn: Connection, odoo_model: str) -> type[Model]:
    """``conn.env[odoo_model]``: a class built from ``fields_get``, bound to ``conn``
    (its queries use it), cached per connection."""
    memo = conn.cache.memo
    key = ("env", odoo_model, conn.identity_token)
    with conn.cache.lock:
        cls = memo.get(key)
        if cls is None:
            cls = memo[key] = _make_class(odoo_model, conn)
    cls._meta.ensure_fields(conn)
    return cast("type[Model]", cls)


registry.dynamic_factory = dynamic_class
set_env_factory(env_class)
