"""XML-RPC: ``/xmlrpc/2/common`` (version, authenticate) and ``/xmlrpc/2/object`` (execute_kw).

Bodies are marshalled by the standard library (:func:`xmlrpc.client.dumps` /
:func:`~xmlrpc.client.loads`, ``allow_none``) but sent through the pooled
:class:`~odoorm.transport.http.HTTPClient`, so keep-alive, timeouts, retries
and throttling apply as on every other protocol. Faults map to exceptions with
:func:`odoorm.transport.errors.exception_from_fault`.
"""

from __future__ import annotations

import xmlrpc.client
from typing import Any
from xml.parsers.expat import ExpatError

from odoorm.exceptions import FieldError
from odoorm.transport._common import ServiceTransport
from odoorm.transport.errors import exception_from_fault, non_odoo_answer
from odoorm.transport.values import wire_value

__all__ = ["XMLRPCTransport"]

XML_HEADERS = {"Content-Type": "text/xml"}


class XMLRPCTransport(ServiceTransport):
    """Odoo's XML-RPC endpoints (every version; deprecated on 19)."""

    protocol = "xmlrpc"

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
        path = f"/xmlrpc/2/{service}"
        url = self.http.safe_url + path
        try:
            where = f"the arguments of {model}.{model_method}" if model else "the call"
            args = wire_value(args, where)  # the rules the JSON protocols encode with
            body = xmlrpc.client.dumps(tuple(args), method, allow_none=True).encode("utf-8")
        except (TypeError, OverflowError) as exc:
            raise FieldError(
                f"cannot send {model}.{model_method} over XML-RPC: {exc} "
                "(XML-RPC integers are 32-bit; values must be plain JSON-like types)"
            ) from exc
        response = self._post(
            path, body, headers=XML_HEADERS, idempotent=idempotent, credentials=credentials
        )
        content_type = response.headers.get("Content-Type", "")
        text = response.text
        if response.status_code != 200 or "xml" not in content_type.lower():
            raise non_odoo_answer(
                response.status_code, content_type, text, url=url, expected="an XML-RPC response"
            )
        try:
            (result,), _ = xmlrpc.client.loads(response.content, use_builtin_types=True)
        except xmlrpc.client.Fault as fault:
            raise exception_from_fault(
                fault.faultCode, str(fault.faultString), model=model, method=model_method
            ) from None
        except (ExpatError, ValueError, TypeError):
            raise non_odoo_answer(
                response.status_code, content_type, text, url=url, expected="an XML-RPC response"
            ) from None
        return result, len(response.content)
