"""The connection to one Odoo database: ``odoorm.connect()`` and :class:`Connection`.

A connection is opened once (version detected, protocol chosen, user
authenticated) and then moves ORM calls through its transport::

    conn = connect("https://erp.example.com", db="prod", user="bot", api_key=key)
    conn.execute("res.partner", "search_count", [("is_company", "=", True)])  # *args
    conn.rpc("res.partner", "search_read", domain=[], fields=["name"], limit=5)

The package's modules: :mod:`~odoorm.session.options` (``connect()``'s
arguments and the environment), :mod:`~odoorm.session.opening` (``connect()``
itself: version, protocol, database, login), :mod:`~odoorm.session.connection`
(:class:`Connection`, ``conn.env``, the default connection) and
:mod:`~odoorm.session.cache` (the identity map and read cache).
"""

from odoorm.session.cache import RecordCache
from odoorm.session.connection import (
    FIELDS_GET_ATTRIBUTES,
    Connection,
    ConnectionClosedError,
    Env,
    get_default_connection,
    set_default_connection,
    set_env_factory,
)
from odoorm.session.opening import connect
from odoorm.version import ServerVersion

__all__ = [
    "FIELDS_GET_ATTRIBUTES",
    "Connection",
    "ConnectionClosedError",
    "Env",
    "RecordCache",
    "ServerVersion",
    "connect",
    "get_default_connection",
    "set_default_connection",
    "set_env_factory",
]
