"""Server-side exceptions of the emulator, mirroring Odoo's own.

The ORM core (``odoorm.testing.orm``) raises these; the protocol front-ends
(``odoorm.testing.server``) turn them into each protocol's error shape
exactly as real Odoo does (XML-RPC fault codes, JSON-RPC ``error.data``,
JSON-2 HTTP status). ``name`` is the dotted class name the real server sends.
"""

from __future__ import annotations


class OdooServerError(Exception):
    """Base: ``name`` is what Odoo puts in ``error.data.name``."""

    name = "builtins.Exception"
    #: XML-RPC faultCode: 1 = traceback, 2 = user-facing message, 3 = AccessDenied, 4 = AccessError
    xmlrpc_code = 1
    #: HTTP status on JSON-2
    json2_status = 500

    def __init__(self, message: str, *arguments: object):
        super().__init__(message, *arguments)
        self.message = message


class UserError(OdooServerError):
    name = "odoo.exceptions.UserError"
    xmlrpc_code = 2
    json2_status = 422


class ValidationError(UserError):
    name = "odoo.exceptions.ValidationError"


class MissingError(UserError):
    name = "odoo.exceptions.MissingError"
    json2_status = 404


class AccessError(OdooServerError):
    name = "odoo.exceptions.AccessError"
    xmlrpc_code = 4
    json2_status = 403


class AccessDenied(OdooServerError):
    name = "odoo.exceptions.AccessDenied"
    xmlrpc_code = 3
    json2_status = 401

    def __init__(self, message: str = "Access Denied", *arguments: object):
        super().__init__(message, *arguments)


class PythonError(OdooServerError):
    """A plain Python exception on the server (ValueError, KeyError, AttributeError, TypeError)."""

    def __init__(self, pyname: str, message: str, *arguments: object):
        super().__init__(message, *arguments)
        self.name = f"builtins.{pyname}"


class DatabaseError(OdooServerError):
    """A PostgreSQL error that reaches the client as psycopg2 raised it (a server error on
    every protocol: XML-RPC fault 1, JSON-2 500). ``message`` ends with a newline, as
    psycopg2's do."""

    def __init__(self, pgname: str, message: str):
        super().__init__(message)
        self.name = f"psycopg2.errors.{pgname}"


def value_error(message: str) -> PythonError:
    return PythonError("ValueError", message)


def attribute_error(message: str) -> PythonError:
    return PythonError("AttributeError", message)


def key_error(message: str) -> PythonError:
    return PythonError("KeyError", message)


def type_error(message: str) -> PythonError:
    return PythonError("TypeError", message)


# --- added by the ORM core (emulator-core helper) ----------------------------------------


class UnknownModel(UserError):
    """The model is not in the registry. XML-RPC/JSON-RPC send it as this UserError; the
    session route and JSON-2 answer 404 (the server maps it by this class)."""

    def __init__(self, model: str):
        super().__init__(f"Object {model} doesn't exist")
        self.model = model


class UnknownMethod(PythonError):
    """No public method of that name (AttributeError on the wire; JSON-2 answers 404)."""

    def __init__(self, model: str, method: str, message: str):
        super().__init__("AttributeError", message)
        self.model = model
        self.method = method


class UnprocessableEntity(OdooServerError):
    """JSON-2 argument binding failed (HTTP 422); ``arguments`` carry the status like Odoo."""

    name = "werkzeug.exceptions.UnprocessableEntity"
    json2_status = 422

    def __init__(self, message: str):
        super().__init__(message, 422)
