"""JSON-2 (Odoo 19+): ``POST /json/2/<model>/<method>`` with named arguments.

Headers ``Authorization: bearer <api key>`` and ``X-Odoo-Database: <db>``; the
body is the method's named arguments plus ``ids`` and ``context``; the answer
is the bare result, or an HTTP error status with ``{name, message, arguments,
context, debug}`` (:func:`odoorm.transport.errors.exception_from_json2`).

JSON-2 accepts no positional arguments. Positional ``RPCCall.args`` are given
names from :data:`~odoorm.transport.signatures.JSON2_SIGNATURES` for standard
methods, else from the server's ``/doc-bearer/<model>.json`` description
(module ``api_doc``), fetched once per model and cached.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from odoorm.exceptions import AccessDenied, OdoormError, TransportError
from odoorm.transport._common import HTTPTransport, dumps, is_json, not_odoo, parse_json
from odoorm.transport.base import RPCCall
from odoorm.transport.errors import exception_from_json2
from odoorm.transport.http import HTTPClient
from odoorm.transport.signatures import JSON2_SIGNATURES, MethodSignature

__all__ = ["ArgumentMappingError", "JSON2Transport", "parse_doc_bearer"]


class ArgumentMappingError(OdoormError, TypeError):
    """Positional arguments could not be given names for a JSON-2 call."""


def parse_doc_bearer(doc: Mapping[str, Any]) -> dict[str, MethodSignature]:
    """``{method: MethodSignature}`` from a ``/doc-bearer/<model>.json`` document.

    The document's ``methods`` maps each public method to ``{"signature",
    "parameters": {name: {"kind"?, "default"?, ...}}, "api"?: ["model", ...]}``
    with parameters in declaration order (``self`` stripped).
    """
    methods = doc.get("methods")
    if not isinstance(methods, Mapping):
        raise ValueError("no 'methods' object in the /doc-bearer document")
    out: dict[str, MethodSignature] = {}
    for name, info in methods.items():
        if not isinstance(info, Mapping):
            continue
        params = info.get("parameters") or {}
        names = tuple(
            pname
            for pname, pinfo in params.items()
            if not (
                isinstance(pinfo, Mapping)
                and pinfo.get("kind") in ("VAR_POSITIONAL", "VAR_KEYWORD", "KEYWORD_ONLY")
            )
        )
        out[name] = MethodSignature(params=names, model_method="model" in (info.get("api") or ()))
    return out


class JSON2Transport(HTTPTransport):
    """Odoo 19's ``/json/2`` API, authenticated by API key on every request."""

    protocol = "json2"

    def __init__(
        self,
        http: HTTPClient,
        *,
        db: str | None,
        login: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
    ):
        super().__init__(http, db=db, login=login, password=password, api_key=api_key)
        self._docs: dict[str, dict[str, MethodSignature]] = {}
        self._docs_lock = threading.Lock()

    def _headers(self) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"bearer {self._require('secret')}",
        }
        if self.db:
            headers["X-Odoo-Database"] = self.db
        return headers

    def _login(self) -> int | None:
        """Check the key with one cheap call; the uid when the login is known."""
        if self.login:
            rows = self._send(
                RPCCall(
                    "res.users",
                    "search_read",
                    kwargs={"domain": [["login", "=", self.login]], "fields": ["id"], "limit": 1},
                )
            )[0]
            if not rows:
                # the key authenticated (or the call would have failed with 401),
                # but the login names no user this key can see
                raise AccessDenied(
                    f"no user with login {self.login!r} visible to this API key: the key "
                    "identifies its user by itself, so leave user= out or fix it",
                    name="odoo.exceptions.AccessDenied",
                )
            return int(rows[0]["id"])
        info = self._send(RPCCall("res.users", "context_get"))[0]
        uid = info.get("uid") if isinstance(info, Mapping) else None
        return int(uid) if isinstance(uid, int) else None

    def _ensure_login(self) -> None:
        """Nothing to do: every JSON-2 request carries the key."""

    def _call_once(self, call: RPCCall) -> tuple[Any, int]:
        return self._send(call)

    def _send(self, call: RPCCall) -> tuple[Any, int]:
        path = f"/json/2/{call.model}/{call.method}"
        url = self.http.safe_url + path
        body = dumps(self.body(call), f"the arguments of {call.model}.{call.method}")
        response = self._post(
            path, body, headers=self._headers(), idempotent=call.is_read, credentials=True
        )
        if response.status_code == 200:
            return parse_json(response, url, "a JSON-2 answer"), len(response.content)
        if is_json(response):
            payload = parse_json(response, url, "a JSON-2 answer")
            if isinstance(payload, Mapping) and ("name" in payload or "message" in payload):
                raise exception_from_json2(
                    response.status_code, payload, model=call.model, method=call.method
                )
        raise not_odoo(response, url, "a JSON-2 answer")

    # -- arguments ---------------------------------------------------------------

    def body(self, call: RPCCall) -> dict[str, Any]:
        """The JSON body for ``call``: ``ids``, named arguments and ``context``."""
        named: dict[str, Any] = {}
        ids: Any = list(call.ids) if call.ids is not None else None
        if call.args:
            sig = self.signature(call.model, call.method)
            args = list(call.args)
            if ids is None and not sig.model_method:
                first = args.pop(0)
                ids = [first] if isinstance(first, int) else list(first)
            if len(args) > len(sig.params):
                raise ArgumentMappingError(
                    f"{call.model}.{call.method} takes {len(sig.params)} argument(s) "
                    f"({', '.join(sig.params) or 'none'}) after ids; {len(args)} given"
                )
            for name, value in zip(sig.params, args, strict=False):
                if name in call.kwargs:
                    raise ArgumentMappingError(
                        f"{call.model}.{call.method} got {name!r} both positionally and by name"
                    )
                named[name] = value
        body: dict[str, Any] = {"ids": ids} if ids is not None else {}
        body.update(named)
        body.update(call.kwargs)
        if call.context:
            given = body.get("context")
            body["context"] = {**(given if isinstance(given, Mapping) else {}), **call.context}
        return body

    def signature(self, model: str, method: str) -> MethodSignature:
        """The parameter names of ``model.method`` (built-in table, else /doc-bearer)."""
        if method in JSON2_SIGNATURES:
            return JSON2_SIGNATURES[method]
        with self._docs_lock:
            if model not in self._docs:
                self._docs[model] = self._fetch_doc(model)
            methods = self._docs[model]
        if method not in methods:
            raise ArgumentMappingError(
                f"{model}.{method} is not a public method according to the server's "
                f"/doc-bearer/{model}.json: check the name, or pass arguments by name"
            )
        return methods[method]

    def _fetch_doc(self, model: str) -> dict[str, MethodSignature]:
        path = f"/doc-bearer/{model}.json"
        url = self.http.safe_url + path
        hint = (
            "JSON-2 needs argument NAMES: pass them as keywords "
            f"(conn.execute({model!r}, method, name=value)), or install the api_doc "
            "module and give the user the 'API documentation' access so odoorm can look them up"
        )
        self.http.note_credentials()
        headers = {k: v for k, v in self._headers().items() if k != "Content-Type"}
        try:
            response = self.http.request("GET", path, headers=headers, idempotent=True)
        except TransportError as exc:
            raise ArgumentMappingError(f"cannot read {url} ({exc.message}). {hint}") from exc
        if response.status_code != 200 or not is_json(response):
            raise ArgumentMappingError(f"cannot read {url}: HTTP {response.status_code}. {hint}")
        try:
            return parse_doc_bearer(parse_json(response, url, "a /doc-bearer document"))
        except (ValueError, TransportError) as exc:
            raise ArgumentMappingError(f"cannot understand {url}: {exc}. {hint}") from exc
