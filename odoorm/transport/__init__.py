"""Odoo's wire protocols. Each knows nothing of models; see :mod:`odoorm.transport.base`.

``make_transport(protocol, http, db=..., login=..., password=..., api_key=...)``
builds one of the four HTTP transports over an :class:`~odoorm.transport.http.HTTPClient`;
:mod:`odoorm.transport.probe` answers the questions asked before logging in.
"""

from __future__ import annotations

from odoorm.exceptions import ConfigurationError
from odoorm.transport import probe
from odoorm.transport.base import (
    READ_METHODS,
    MockTransport,
    RecordingTransport,
    RPCCall,
    Transport,
)
from odoorm.transport.http import HTTPClient, InsecureTransportWarning, RetryPolicy
from odoorm.transport.json2 import ArgumentMappingError, JSON2Transport
from odoorm.transport.jsonrpc import JSONRPCTransport
from odoorm.transport.session import SessionTransport
from odoorm.transport.xmlrpc import XMLRPCTransport

__all__ = [
    "PROTOCOLS",
    "READ_METHODS",
    "ArgumentMappingError",
    "HTTPClient",
    "InsecureTransportWarning",
    "JSON2Transport",
    "JSONRPCTransport",
    "MockTransport",
    "RPCCall",
    "RecordingTransport",
    "RetryPolicy",
    "SessionTransport",
    "Transport",
    "XMLRPCTransport",
    "make_transport",
    "probe",
]

#: protocol name -> transport class
PROTOCOLS: dict[str, type[Transport]] = {
    "xmlrpc": XMLRPCTransport,
    "jsonrpc": JSONRPCTransport,
    "session": SessionTransport,
    "json2": JSON2Transport,
}


def make_transport(
    protocol: str,
    http: HTTPClient,
    *,
    db: str | None,
    login: str | None,
    password: str | None = None,
    api_key: str | None = None,
) -> Transport:
    """Build the transport for ``protocol`` ("xmlrpc", "jsonrpc", "session" or "json2").

    The secret sent is ``api_key`` when given, else ``password`` (Odoo accepts an
    API key in place of the password on every protocol; JSON-2 needs the key).
    Nothing is sent until :meth:`~odoorm.transport.base.Transport.authenticate`
    or the first call.
    """
    cls = PROTOCOLS.get(protocol)
    if cls is None:
        raise ConfigurationError(
            f"unknown protocol {protocol!r}: choose one of {', '.join(PROTOCOLS)}"
        )
    if protocol == "json2" and not api_key:
        raise ConfigurationError(
            "the json2 protocol authenticates with an API key: pass api_key=... "
            "(Odoo: Preferences > Account Security > New API Key)"
        )
    if protocol != "json2" and not (api_key or password):
        raise ConfigurationError(
            f"the {protocol} protocol needs a password or an API key (password=... or api_key=...)"
        )
    return cls(http, db=db, login=login, password=password, api_key=api_key)  # type: ignore[call-arg]
