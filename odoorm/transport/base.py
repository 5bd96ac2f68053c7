"""The transport seam: one method, ``Transport.call(RPCCall) -> result``.

A transport speaks one of Odoo's wire protocols. It is built with everything
it needs (URL, database, credentials, TLS, timeouts, retry policy) and knows
nothing of models: it moves one ORM call to the server and back, and turns
the server's error shapes into :mod:`odoorm.exceptions`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import attrs

__all__ = [
    "READ_METHODS",
    "MockTransport",
    "RPCCall",
    "RecordingTransport",
    "Transport",
]

#: Methods that never change data: they may be retried and are allowed on a
#: readonly connection.
READ_METHODS: frozenset[str] = frozenset(
    {
        "search",
        "search_read",
        "search_count",
        "read",
        "fields_get",
        "read_group",
        "formatted_read_group",
        "name_search",
        "name_get",
        "default_get",
        "exists",
        "web_search_read",
        "web_read",
        "web_read_group",
        "check_access_rights",
        "check_access",
        "has_access",
        "get_views",
        "get_metadata",
        "search_fetch",
        "version",
    }
)


def _freeze_ids(value: Sequence[int] | int | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    if isinstance(value, int):
        return (value,)
    return tuple(value)


def _freeze_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return dict(value or {})


@attrs.frozen
class RPCCall:
    """One ORM call, protocol-neutral.

    Attributes:
        model: the Odoo model, e.g. ``"res.partner"``.
        method: the model method, e.g. ``"search_read"``.
        ids: the records the method runs on, or ``None`` for a model-level
            (``@api.model``) method such as ``search`` or ``create``.
        kwargs: NAMED arguments. JSON-2 accepts nothing else; ``execute_kw``
            accepts them too.
        args: positional arguments after ``ids``, for ``conn.execute()`` calls
            of arbitrary methods. Transports that need names (JSON-2) map them
            to parameter names from the server's method description.
        context: the Odoo context for this call (already merged by the
            connection).
    """

    model: str
    method: str
    ids: tuple[int, ...] | None = attrs.field(default=None, converter=_freeze_ids)
    kwargs: Mapping[str, Any] = attrs.field(factory=dict, converter=_freeze_mapping)
    context: Mapping[str, Any] = attrs.field(factory=dict, converter=_freeze_mapping)
    args: tuple[Any, ...] = attrs.field(default=(), converter=tuple)

    @property
    def is_read(self) -> bool:
        """True when the method is known not to change data."""
        return self.method in READ_METHODS


class Transport:
    """Base class of the wire protocols.

    Subclasses implement :meth:`call`; :meth:`authenticate` returns the user id
    (``None`` where the protocol authenticates each request by key) and
    :meth:`close` releases the pooled HTTP session.
    """

    #: "xmlrpc", "jsonrpc", "session" or "json2"
    protocol: str = "abstract"

    def call(self, call: RPCCall) -> Any:
        raise NotImplementedError

    def authenticate(self) -> int | None:
        return None

    def close(self) -> None:
        return None


Handler = Callable[[RPCCall], Any]


class MockTransport(Transport):
    """A transport that hands every call to a plain function.

    ``MockTransport(lambda call: [1, 2])`` answers every call with ``[1, 2]``;
    the function may raise any :mod:`odoorm.exceptions` error.
    """

    protocol = "mock"

    def __init__(self, handler: Handler, *, uid: int = 2):
        self._handler = handler
        self._uid = uid

    def call(self, call: RPCCall) -> Any:
        return self._handler(call)

    def authenticate(self) -> int | None:
        return self._uid


class RecordingTransport(Transport):
    """Wraps another transport, keeping every call made through it.

    Used by tests to pin how many calls an operation makes, and which::

        rec = RecordingTransport(inner)
        with rec.expect_calls(1):
            list(Partner.objects.all()[:20])
    """

    def __init__(self, inner: Transport):
        self.inner = inner
        self.calls: list[RPCCall] = []
        self._lock = threading.Lock()

    @property
    def protocol(self) -> str:  # type: ignore[override]
        return self.inner.protocol

    def call(self, call: RPCCall) -> Any:
        with self._lock:
            self.calls.append(call)
        return self.inner.call(call)

    def authenticate(self) -> int | None:
        return self.inner.authenticate()

    def close(self) -> None:
        self.inner.close()

    @property
    def count(self) -> int:
        return len(self.calls)

    def methods(self) -> list[str]:
        """``["res.partner.search_read", ...]`` for every call kept, in order."""
        return [f"{c.model}.{c.method}" for c in self.calls]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()

    @contextmanager
    def expect_calls(self, n: int) -> Iterator[list[RPCCall]]:
        """Fail with AssertionError unless the block makes exactly ``n`` calls."""
        start = len(self.calls)
        made: list[RPCCall] = []
        yield made
        made.extend(self.calls[start:])
        if len(made) != n:
            listing = ", ".join(f"{c.model}.{c.method}" for c in made) or "none"
            raise AssertionError(f"expected {n} RPC call(s), got {len(made)}: {listing}")
