"""odoorm: a Django-style declarative ORM over Odoo's external API."""

from odoorm.exceptions import (
    AccessDenied,
    AccessError,
    AmbiguousResultError,
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

__version__ = "0.1.0"

__all__ = [
    "AccessDenied",
    "AccessError",
    "AmbiguousResultError",
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
    "__version__",
]
