"""odoorm: a Django-style declarative ORM over Odoo's external API.

import odoorm
from odoorm import fields, Q

conn = odoorm.connect("https://erp.example.com", db="prod", user="bot", api_key="...")

class Partner(odoorm.Model):
    _name = "res.partner"
    name = fields.Char(required=True)

Partner.objects.filter(Q(name__ilike="acme") | Q(email__iendswith="@acme.com"))
"""

import logging
from typing import Any

from odoorm import fields, notebook, polling, report  # noqa: F401  (registrations: see below)
from odoorm.aggregates import ArrayAgg, Avg, Count, CountDistinct, Max, Min, Sum
from odoorm.commands import Command
from odoorm.domain import Q
from odoorm.domain.expressions import F
from odoorm.exceptions import (
    AccessDenied,
    AccessError,
    AmbiguousResultError,
    BulkCreateError,
    ConfigurationError,
    FieldError,
    LazyLoadError,
    MissingError,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    OdooError,
    OdoormError,
    ReadonlyError,
    ServerError,
    TransportError,
    UserError,
    ValidationError,
)
from odoorm.models import Model, SchemaError
from odoorm.query import QuerySet
from odoorm.session import (
    Connection,
    ServerVersion,
    connect,
    get_default_connection,
    set_default_connection,
)

__version__ = "0.1.0"

# odoorm.report and odoorm.polling (imported above) register the QuerySet's
# notebook and polling methods in odoorm.query.extensions: every `odoorm.*`
# import runs this file first, so those methods always find their work.


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext odoorm``: odoorm errors show your code and the message
    (``%tb`` the full traceback); see :mod:`odoorm.notebook`."""
    notebook.register(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext odoorm``: IPython's full tracebacks again."""
    notebook.unregister(ipython)


# In IPython or Jupyter, importing odoorm is enough (odoorm.notebook): an odoorm
# error shows the user's frames and the message, not odoorm's insides.
notebook.register_if_running()

# A library never configures logging for its users; this keeps Python's
# last-resort handler from printing odoorm's (and the emulator's) log lines.
logging.getLogger("odoorm").addHandler(logging.NullHandler())

__all__ = [
    "AccessDenied",
    "AccessError",
    "AmbiguousResultError",
    "ArrayAgg",
    "Avg",
    "BulkCreateError",
    "Command",
    "ConfigurationError",
    "Connection",
    "Count",
    "CountDistinct",
    "F",
    "FieldError",
    "LazyLoadError",
    "Max",
    "Min",
    "MissingError",
    "Model",
    "MultipleObjectsReturned",
    "ObjectDoesNotExist",
    "OdooError",
    "OdoormError",
    "Q",
    "QuerySet",
    "ReadonlyError",
    "SchemaError",
    "ServerError",
    "ServerVersion",
    "Sum",
    "TransportError",
    "UserError",
    "ValidationError",
    "__version__",
    "connect",
    "fields",
    "get_default_connection",
    "set_default_connection",
]
