"""Receiving webhooks: a WSGI application that checks the token, coalesces Odoo's
duplicate POSTs and hands :class:`Event` objects on, off the request thread."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import queue
import re
import threading
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import attrs

from odoorm.exceptions import ConfigurationError, OdoormError
from odoorm.models import Model
from odoorm.polling import digest
from odoorm.session import get_default_connection
from odoorm.webhooks.hooks import DELETED, PREFIX

if TYPE_CHECKING:
    from odoorm.session import Connection

__all__ = ["MAX_BODY", "Event", "Receiver", "ServerHandle"]

_logger = logging.getLogger("odoorm.webhooks")

#: a payload bigger than this is refused (413): choose fewer fields, no binaries
MAX_BODY = 8 * 1024 * 1024
_TOKEN = re.compile(r"^[A-Za-z0-9._~-]{16,}$")
_ACTION = re.compile(r"^(?P<name>.*)\(#(?P<id>\d+)\)$")


@attrs.frozen(eq=False)
class Event:
    """One change Odoo announced (duplicates already coalesced).

    Attributes:
        model: the Odoo model, e.g. ``"res.partner"``.
        id: the record's id.
        action: what Odoo put in ``_action``: ``"<action name>(#<action id>)"``.
        values: the fields as sent (Odoo names, many2one as a bare id).
        write_date: the record's ``write_date`` (aware UTC, to the microsecond), if sent.
        record: an instance of the declared model class loaded with ``values``
            (no call made), or None for a model the receiver does not declare.
            Read from :meth:`Receiver.events`, it is the record's live object at
            that moment (the object your ``create()`` returned, for a record you
            created: real Odoo POSTs before the create answers).
    """

    model: str
    id: int
    action: str
    values: Mapping[str, Any] = attrs.field(repr=False)
    write_date: dt.datetime | None
    record: Any = attrs.field(default=None, repr=False)

    @property
    def hook(self) -> str | None:
        """The name of the odoorm hook that sent it (None for other automations)."""
        match = _ACTION.match(self.action)
        name = match["name"] if match else self.action
        if not name.startswith(PREFIX):
            return None
        return name[len(PREFIX) :].removesuffix(DELETED)

    @property
    def deleted(self) -> bool:
        """True when the record is being deleted (a hook installed with ``on`` "unlink")."""
        match = _ACTION.match(self.action)
        return (match["name"] if match else self.action).endswith(DELETED)


_CLOSED = object()


class Receiver:
    """A WSGI application that receives Odoo's webhook POSTs.

    Mount it anywhere WSGI goes (Flask: ``DispatcherMiddleware``; gunicorn;
    Django's WSGI handler), or run it with :meth:`serve`. The token is the
    last path segment of the URL (``.../odoo/<token>``) or ``?token=``; any
    other request gets 403 and nothing is handed on.

    Args:
        token: the secret (at least 16 URL-safe characters, e.g.
            ``secrets.token_urlsafe(32)``), or several while rotating it.
        models: model classes; an event of one of their models carries a
            ``record`` of that class.
        handler: called with each :class:`Event` on a worker thread (the POST
            is answered first); without one, read :meth:`events`.
        conn: the connection records belong to (default: the default connection).
        remember: how many ``(model, id, write_date, values)`` keys are kept to
            drop duplicate POSTs.
    """

    def __init__(
        self,
        token: str | Sequence[str],
        models: Iterable[type[Model]] = (),
        handler: Callable[[Event], Any] | None = None,
        *,
        conn: Connection | None = None,
        remember: int = 10_000,
    ):
        tokens = [token] if isinstance(token, str) else list(token)
        for t in tokens:
            if not isinstance(t, str) or not _TOKEN.match(t):
                raise ConfigurationError(
                    "Receiver(token=...): a token is at least 16 URL-safe characters "
                    "(letters, digits, '-', '_', '.', '~'); make one with "
                    "secrets.token_urlsafe(32)"
                )
        if not tokens:
            raise ConfigurationError("Receiver(token=...): give at least one token")
        self._tokens = [t.encode() for t in tokens]
        self._classes: dict[str, type[Model]] = {}
        for cls in models:
            if not (isinstance(cls, type) and issubclass(cls, Model) and cls._meta.odoo_model):
                raise ConfigurationError(
                    f"Receiver(models=...): give model classes (class Partner(odoorm.Model)), "
                    f"got {cls!r}"
                )
            self._classes[cls._meta.odoo_model] = cls
        if handler is not None and not callable(handler):
            raise ConfigurationError(f"Receiver(handler=...): give a function, got {handler!r}")
        self._handler = handler
        self._conn = conn
        self._seen: OrderedDict[tuple[Any, ...], None] = OrderedDict()
        self._remember = remember
        self._lock = threading.Lock()
        self._inbox: queue.Queue[Any] = queue.Queue()
        self._events: queue.Queue[Any] = queue.Queue(maxsize=remember)
        self._worker: threading.Thread | None = None
        self._warned = False
        #: POSTs received and accepted, and duplicates dropped (for monitoring)
        self.received = 0
        self.duplicates = 0

    def __repr__(self) -> str:
        models = ", ".join(sorted(self._classes)) or "any model"
        return f"<Receiver for {models}: {self.received} received, {self.duplicates} duplicates>"

    # -- WSGI ---------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if not self._authorised(environ):
            return _answer(start_response, "403 Forbidden", {"error": "forbidden"})
        if environ.get("REQUEST_METHOD") != "POST":
            return _answer(start_response, "405 Method Not Allowed", {"error": "POST only"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            return _answer(start_response, "413 Payload Too Large", {"error": "too large"})
        try:
            payload = json.loads(environ["wsgi.input"].read(length) or b"null")
            model, ident = payload["_model"], payload["_id"]
            if not isinstance(model, str) or not isinstance(ident, int):
                raise TypeError
        except (ValueError, TypeError, KeyError):
            return _answer(start_response, "400 Bad Request", {"error": "not an Odoo webhook"})
        if not self._first_time(payload):
            return _answer(start_response, "200 OK", {"ok": True, "duplicate": True})
        self._hand_on(payload)
        return _answer(start_response, "200 OK", {"ok": True})

    def _authorised(self, environ: dict[str, Any]) -> bool:
        path = environ.get("PATH_INFO") or ""
        given = [path.rstrip("/").rsplit("/", 1)[-1]]
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING") or "")
        given.extend(query.get("token", []))
        # every comparison is made, each in constant time
        results = [hmac.compare_digest(g.encode(), t) for g in given for t in self._tokens]
        return any(results)

    def _first_time(self, payload: dict[str, Any]) -> bool:
        values = {k: v for k, v in payload.items() if not k.startswith("_")}
        key = (
            payload["_model"],
            payload["_id"],
            payload.get("write_date"),
            str(payload.get("_action")),  # a deletion repeats the last write's values
            digest(values),
        )
        with self._lock:
            if key in self._seen:
                self._seen.move_to_end(key)
                self.duplicates += 1
                return False
            self._seen[key] = None
            if len(self._seen) > self._remember:
                self._seen.popitem(last=False)
            self.received += 1
            return True

    def _hand_on(self, payload: dict[str, Any]) -> None:
        with self._lock:
            self._inbox.put(payload)
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._run, name="odoorm-webhooks", daemon=True
                )
                self._worker.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                try:
                    payload = self._inbox.get_nowait()
                except queue.Empty:
                    self._worker = None
                    return
            try:
                event = self._event(payload)
                if self._handler is not None:
                    self._handler(event)
                else:
                    self._deliver(event)
            except Exception:
                _logger.exception("webhook handler failed on %s", payload.get("_model"))

    def _deliver(self, event: Any) -> None:
        try:
            self._events.put_nowait(event)
        except queue.Full:
            _logger.warning("webhook events are not being read: dropped %r", event)

    def _event(self, payload: dict[str, Any]) -> Event:
        model, ident = payload["_model"], payload["_id"]
        values = {k: v for k, v in payload.items() if not k.startswith("_")}
        values.pop("id", None)
        stamp = values.get("write_date")
        return Event(
            model=model,
            id=ident,
            action=str(payload.get("_action") or ""),
            values=values,
            write_date=_parse_stamp(stamp),
            record=self._record(model, ident, values),
        )

    def _record(self, model: str, ident: int, values: dict[str, Any]) -> Any:
        cls = self._classes.get(model)
        if cls is None:
            return None
        conn = self._conn
        if conn is None:
            try:
                conn = get_default_connection()
            except OdoormError:
                if not self._warned:
                    self._warned = True
                    _logger.warning(
                        "webhook events carry no record: no connection (pass "
                        "Receiver(conn=...) or call odoorm.connect() first)"
                    )
                return None
        meta = cls._meta
        row = {k: v for k, v in values.items() if meta.get_field_info(k) is not None}
        return cls._from_rows(conn, [{"id": ident, **row}], list(row))[0]

    # -- reading events -------------------------------------------------------------------
    def events(self, timeout: float | None = None) -> Iterator[Event]:
        """The events, as they arrive; the iteration ends after ``timeout`` seconds
        without one (None: never) or when :meth:`close` is called."""
        if self._handler is not None:
            raise TypeError("this Receiver hands its events to handler=; events() gets none")
        while True:
            event = self._next(timeout)
            if event is None:
                return
            yield event

    def _next(self, timeout: float | None) -> Event | None:
        try:
            event = self._events.get(timeout=timeout)
        except queue.Empty:
            return None
        if event is _CLOSED:
            self._events.put_nowait(_CLOSED)  # every reader stops
            return None
        return self._current(event)

    def _current(self, event: Event) -> Event:
        """The event, its ``record`` being the record's live object when it is read.

        Real Odoo POSTs from inside the writing call, before it answers: the record
        of a ``create`` is built here before the client's ``create()`` has its id,
        and the client's object then takes the id's place in the identity map. The
        event read afterwards carries the client's object, not a second copy.
        """
        record = event.record
        if record is None:
            return event
        conn = record._conn
        live = conn.cache.get(type(record)._key(conn, event.id)) if conn is not None else None
        if live is None or live is record:
            return event
        return attrs.evolve(event, record=live)

    def _pending(self) -> list[Event]:
        """The events already waiting, without blocking."""
        out: list[Event] = []
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                return out
            if event is _CLOSED:
                self._events.put_nowait(_CLOSED)
                return out
            out.append(self._current(event))

    def close(self) -> None:
        """End every :meth:`events` iteration (events already queued are dropped)."""
        self._pending()
        self._events.put_nowait(_CLOSED)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> ServerHandle:
        """Serve this receiver from a background thread (scripts and tests; put a real
        WSGI server and HTTPS in front of it in production)."""
        server = make_server(host, port, self, server_class=_Server, handler_class=_Quiet)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="odoorm-webhook-server",
            daemon=True,
        )
        thread.start()
        return ServerHandle(server, thread, self._tokens[0].decode())


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        # the request line holds the token: never logged
        return


class ServerHandle:
    """A running :meth:`Receiver.serve`: ``url`` (token included) and ``stop()``."""

    def __init__(self, server: WSGIServer, thread: threading.Thread, token: str):
        self._server = server
        self._thread = thread
        host, port = server.server_address[:2]
        self.host = host if isinstance(host, str) else host.decode()
        self.port = int(port)
        self._token = token

    @property
    def url(self) -> str:
        """The URL to give :func:`install` (it holds the token)."""
        return f"http://{self.host}:{self.port}/odoo/{self._token}"

    def __repr__(self) -> str:
        return f"<ServerHandle http://{self.host}:{self.port}/odoo/...>"

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _answer(start_response: Callable[..., Any], status: str, body: Any) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def _parse_stamp(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment
