"""Every exception odoorm raises.

::

    OdoormError
    ├── ConfigurationError        bad arguments to connect(), missing env vars
    ├── FieldError                unknown field / lookup / bad value, raised before any call
    ├── ReadonlyError             a write on a readonly connection or to a readonly field
    ├── LazyLoadError             a lazy load on a connection opened with lazy="raise"
    ├── ObjectDoesNotExist        base of every Model.DoesNotExist
    ├── MultipleObjectsReturned   base of every Model.MultipleObjectsReturned
    ├── BulkCreateError           a bulk_create batch failed (earlier batches were created)
    ├── TransportError            network, TLS, timeout, non-Odoo HTTP answers
    │   └── AmbiguousResultError  a non-read call whose outcome is unknown
    └── OdooError                 the server answered with an error
        ├── AccessDenied          bad login, password or API key
        ├── AccessError           the user may not do this
        ├── MissingError          the record does not exist (any more)
        ├── ValidationError       a constraint or a required field failed
        ├── UserError             a business rule refused the operation
        └── ServerError           anything else (ValueError, KeyError, ...)

Server errors keep what the server said: ``message`` is the human message a
user should see, ``name`` the server's exception class (``odoo.exceptions.
MissingError``), ``debug`` the server traceback when it sent one (never in
``str()``), ``arguments`` the exception arguments.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccessDenied",
    "AccessError",
    "AmbiguousResultError",
    "BulkCreateError",
    "ConfigurationError",
    "FieldError",
    "LazyLoadError",
    "MissingError",
    "MultipleObjectsReturned",
    "ObjectDoesNotExist",
    "OdooError",
    "OdoormError",
    "ReadonlyError",
    "ServerError",
    "TransportError",
    "UserError",
    "ValidationError",
]


class OdoormError(Exception):
    """Base class of everything odoorm raises."""


class ConfigurationError(OdoormError, ValueError):
    """The connection was configured wrongly (missing URL, database, credentials...)."""


class FieldError(OdoormError, ValueError):
    """A filter, ordering or assignment names a field or lookup that does not exist,
    or gives a value of the wrong type. Raised before anything is sent."""


class ReadonlyError(OdoormError):
    """A write was attempted on a readonly connection, or to a readonly field."""


class LazyLoadError(OdoormError):
    """A field had to be loaded lazily on a connection opened with ``lazy="raise"``."""


class ObjectDoesNotExist(OdoormError):
    """Base class of every ``Model.DoesNotExist``."""


class MultipleObjectsReturned(OdoormError):
    """Base class of every ``Model.MultipleObjectsReturned``."""


class BulkCreateError(OdoormError):
    """A ``bulk_create`` batch failed; earlier batches were created.

    Attributes:
        batch: index (0-based) of the batch that failed.
        created_ids: ids created by the batches before it, in order.
        error: the underlying exception (also the ``__cause__``).
    """

    def __init__(self, message: str, *, batch: int, created_ids: list[int], error: Exception):
        super().__init__(message)
        self.batch = batch
        self.created_ids = created_ids
        self.error = error


class TransportError(OdoormError):
    """The server could not be reached, or answered something that is not Odoo.

    ``status`` is the HTTP status when there was an answer, ``url`` the URL called.
    """

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.url = url
        self.status = status


class AmbiguousResultError(TransportError):
    """A call that changes data may or may not have been carried out by the server.

    odoorm never re-sends such a call: check the server's state before retrying.
    """


class OdooError(OdoormError):
    """The Odoo server answered with an error.

    Attributes:
        message: the server's human message (what ``str()`` shows).
        name: the server-side exception class, e.g. ``"odoo.exceptions.UserError"``.
        arguments: the exception's arguments as the server sent them.
        debug: the server traceback, when sent; kept out of ``str()``.
        model, method: the call that failed, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        name: str | None = None,
        arguments: list[Any] | tuple[Any, ...] | None = None,
        debug: str | None = None,
        model: str | None = None,
        method: str | None = None,
        status: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.name = name
        self.arguments = list(arguments) if arguments is not None else [message]
        self.debug = debug
        self.model = model
        self.method = method
        self.status = status

    def __str__(self) -> str:
        where = f" [{self.model}.{self.method}]" if self.model and self.method else ""
        return f"{self.message}{where}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, name={self.name!r})"


class AccessDenied(OdooError):
    """Authentication failed: wrong login, password, API key or database."""


class AccessError(OdooError):
    """The authenticated user is not allowed to do this."""


class MissingError(OdooError):
    """The record does not exist or has been deleted."""


class ValidationError(OdooError):
    """A constraint failed: a required field is missing, a value is refused..."""


class UserError(OdooError):
    """A business rule refused the operation (e.g. deleting a confirmed order)."""


class ServerError(OdooError):
    """Any other server-side error (``ValueError``, ``KeyError``, an unknown method...)."""
