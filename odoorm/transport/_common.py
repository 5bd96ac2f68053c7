"""What the four HTTP transports share: credentials, lazy login, retries, logging."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

import requests

from odoorm.exceptions import AccessDenied, ConfigurationError, OdooError, TransportError
from odoorm.transport.base import RPCCall, Transport
from odoorm.transport.errors import is_serialization_failure, non_odoo_answer, scrub
from odoorm.transport.http import HTTPClient
from odoorm.transport.signatures import execute_kw_arguments
from odoorm.transport.values import encode_json

logger = logging.getLogger("odoorm.transport")

JSON_HEADERS = {"Content-Type": "application/json"}


def dumps(payload: Any, where: str = "the call") -> bytes:
    """Compact UTF-8 JSON of a request body, values converted as on every protocol."""
    return encode_json(payload, where)


def not_odoo(response: requests.Response, url: str, expected: str) -> TransportError:
    """The TransportError for an answer that is not ``expected`` (status, excerpt, hint)."""
    return non_odoo_answer(
        response.status_code,
        response.headers.get("Content-Type", ""),
        response.text,
        url=url,
        expected=expected,
    )


def is_json(response: requests.Response) -> bool:
    return "json" in response.headers.get("Content-Type", "").lower()


def parse_json(response: requests.Response, url: str, expected: str) -> Any:
    """The JSON body, or a TransportError explaining what came instead."""
    text = response.text
    if is_json(response) or text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except ValueError:
            pass
    raise not_odoo(response, url, expected)


class HTTPTransport(Transport):
    """Base of the transports that speak HTTP through an :class:`HTTPClient`.

    Subclasses implement :meth:`_login` (returns the uid) and :meth:`_call_once`.
    :meth:`call` logs in lazily on first use, retries reads on Odoo's
    serialization-failure errors, scrubs secrets out of errors and logs one
    debug line per call.
    """

    protocol = "abstract"

    def __init__(
        self,
        http: HTTPClient,
        *,
        db: str | None,
        login: str | None,
        password: str | None = None,
        api_key: str | None = None,
    ):
        if not isinstance(http, HTTPClient):
            raise ConfigurationError(
                f"{type(self).__name__} needs an odoorm.transport.http.HTTPClient, "
                f"got {type(http).__name__}"
            )
        self.http = http
        self.db = db
        self.login = login
        # the API key wins: Odoo accepts it wherever a password is expected
        self._secret = api_key or password
        self._uid: int | None = None
        self._login_lock = threading.Lock()
        self._logged_in = False

    # -- identity --------------------------------------------------------------

    @property
    def uid(self) -> int | None:
        """The user id once authenticated."""
        return self._uid

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(url={self.http.safe_url!r}, db={self.db!r}, "
            f"login={self.login!r}, uid={self._uid!r})"
        )

    def _require(self, what: str) -> str:
        value = {"db": self.db, "login": self.login, "secret": self._secret}[what]
        if not value:
            label = {"db": "a database (db=...)", "login": "a login (user=...)"}.get(
                what, "a password or an API key"
            )
            raise ConfigurationError(f"the {self.protocol} protocol needs {label}")
        return value

    # -- calls -----------------------------------------------------------------

    def authenticate(self) -> int | None:
        """Log in (again) and return the uid; raises AccessDenied on bad credentials."""
        with self._login_lock:
            return self._login_now()

    def _ensure_login(self) -> None:
        if not self._logged_in:
            with self._login_lock:
                if not self._logged_in:  # another thread may have logged in meanwhile
                    self._login_now()

    def _login_now(self) -> int | None:
        # called with _login_lock held
        try:
            self._uid = self._login()
        except OdooError as exc:
            raise self._clean(exc) from None
        except TransportError as exc:
            exc.message = scrub(exc.message, self._secrets())
            exc.args = (exc.message,)
            raise
        self._logged_in = True
        return self._uid

    def call(self, call: RPCCall) -> Any:
        if not isinstance(call, RPCCall):
            raise TypeError(f"Transport.call() takes an RPCCall, got {type(call).__name__}")
        self._ensure_login()
        attempts = self.http.retry.attempts
        for attempt in range(1, attempts + 1):
            start = time.perf_counter()
            try:
                result, size = self._call_once(call)
            except OdooError as exc:
                exc = self._clean(exc)
                if call.is_read and attempt < attempts and is_serialization_failure(exc):
                    logger.debug("%s.%s: serialization failure, retrying", call.model, call.method)
                    self.http.retry_delay(attempt)
                    continue
                logger.debug(
                    "%s %s.%s -> %s (%.1f ms)",
                    self.protocol,
                    call.model,
                    call.method,
                    type(exc).__name__,
                    (time.perf_counter() - start) * 1000,
                )
                raise exc from None
            except TransportError as exc:
                raise self._clean_transport(exc, call) from exc.__cause__
            logger.debug(
                "%s %s.%s %.1f ms %d bytes",
                self.protocol,
                call.model,
                call.method,
                (time.perf_counter() - start) * 1000,
                size,
            )
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self.http.close()

    # -- for subclasses --------------------------------------------------------

    def _login(self) -> int | None:
        raise NotImplementedError

    def _call_once(self, call: RPCCall) -> tuple[Any, int]:
        """Send ``call`` once; return ``(result, response size in bytes)``."""
        raise NotImplementedError

    def _secrets(self) -> tuple[str | None, ...]:
        return (self._secret,)

    def _clean(self, exc: OdooError) -> OdooError:
        """The same error with every secret scrubbed out of its text."""
        secrets = self._secrets()
        exc.message = scrub(exc.message, secrets)
        exc.args = (exc.message,)
        if exc.debug:
            exc.debug = scrub(exc.debug, secrets)
        exc.arguments = [scrub(a, secrets) if isinstance(a, str) else a for a in exc.arguments]
        return exc

    def _clean_transport(self, exc: TransportError, call: RPCCall) -> TransportError:
        """Secrets scrubbed, and the call named: XML-RPC and JSON-RPC URLs do not say
        which method an AmbiguousResultError is about."""
        exc.message = f"{call.model}.{call.method}: {scrub(exc.message, self._secrets())}"
        exc.args = (exc.message,)
        return exc

    def _post(
        self,
        path: str,
        body: bytes,
        *,
        headers: Mapping[str, str],
        idempotent: bool,
        credentials: bool,
    ) -> requests.Response:
        if credentials:
            self.http.note_credentials()
        return self.http.request("POST", path, data=body, headers=headers, idempotent=idempotent)


class ServiceTransport(HTTPTransport):
    """The two ``execute_kw`` protocols (XML-RPC, JSON-RPC): Odoo's ``common``
    and ``object`` services, differing only in how one service call is encoded.

    Subclasses implement :meth:`_rpc`.
    """

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
        """Call ``service.method(*args)``; returns (result, response size in bytes)."""
        raise NotImplementedError

    def version(self) -> dict[str, Any]:
        """``common.version()``: the server's version dict."""
        result, _ = self._rpc("common", "version", [], idempotent=True, credentials=False)
        return dict(result)

    def _login(self) -> int | None:
        db, login, secret = self._require("db"), self._require("login"), self._require("secret")
        uid, _ = self._rpc(
            "common", "authenticate", [db, login, secret, {}], idempotent=True, credentials=True
        )
        if not uid:
            raise AccessDenied(
                f"Access Denied: wrong login, password/API key or database for {login!r} on {db!r}",
                name="odoo.exceptions.AccessDenied",
            )
        return int(uid)

    def _call_once(self, call: RPCCall) -> tuple[Any, int]:
        args, kwargs = execute_kw_arguments(call)
        return self._rpc(
            "object",
            "execute_kw",
            [self.db, self._uid, self._secret, call.model, call.method, args, kwargs],
            idempotent=call.is_read,
            credentials=True,
            model=call.model,
            model_method=call.method,
        )
