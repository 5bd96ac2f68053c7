"""JSON-RPC: ``POST /jsonrpc`` with ``{"service", "method", "args"}``.

``common.authenticate(db, login, secret, {})`` gives the uid (``false`` for bad
credentials); every model call is ``object.execute_kw(db, uid, secret, model,
method, args, kwargs)``. Errors come back with HTTP 200 as
``{"error": {"code", "message", "data": {"name", "message", "arguments", "debug"}}}``.
"""

from __future__ import annotations

from typing import Any

import requests

from odoorm.exceptions import TransportError
from odoorm.transport._common import JSON_HEADERS, ServiceTransport, dumps, not_odoo, parse_json
from odoorm.transport.errors import exception_from_jsonrpc

__all__ = ["JSONRPCTransport", "jsonrpc_request", "read_jsonrpc_response"]


def jsonrpc_request(params: dict[str, Any], where: str = "the call") -> bytes:
    """The body of a JSON-RPC 2.0 ``call`` with ``params``."""
    return dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": 1}, where)


def read_jsonrpc_response(
    response: requests.Response,
    url: str,
    *,
    model: str | None = None,
    method: str | None = None,
) -> tuple[Any, int]:
    """``(result, size)`` of a JSON-RPC answer; raises the mapped error.

    Anything that is not a JSON-RPC envelope (an HTML 404 page, a proxy's 502
    page, a redirect to /web/login) is a :class:`TransportError` with a hint.
    """
    payload = parse_json(response, url, "a JSON-RPC answer")
    size = len(response.content)
    if not isinstance(payload, dict) or ("result" not in payload and "error" not in payload):
        raise not_odoo(response, url, "a JSON-RPC answer")
    error = payload.get("error")
    if error is not None:
        if not isinstance(error, dict):
            raise TransportError(f"malformed JSON-RPC error from {url}: {error!r}"[:300], url=url)
        raise exception_from_jsonrpc(error, model=model, method=method)
    return payload.get("result"), size


class JSONRPCTransport(ServiceTransport):
    """Odoo's ``/jsonrpc`` endpoint (every version; deprecated on 19)."""

    protocol = "jsonrpc"
    path = "/jsonrpc"

    def _rpc(
        self,
        service: str,
        method: str,
        args: list[Any],
        *,
        idempotent: bool,
        credentials: bool,
        model: str | None = None,
        model_method: str | None = None,
    ) -> tuple[Any, int]:
        body = jsonrpc_request(
            {"service": service, "method": method, "args": args},
            f"the arguments of {model}.{model_method}" if model else "the call",
        )
        response = self._post(
            self.path,
            body,
            headers=JSON_HEADERS,
            idempotent=idempotent,
            credentials=credentials,
        )
        return read_jsonrpc_response(
            response, self.http.safe_url + self.path, model=model, method=model_method
        )
