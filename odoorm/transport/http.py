"""One pooled HTTP client per connection: timeouts, TLS, retries, throttling.

:class:`HTTPClient` wraps a single :class:`requests.Session` (keep-alive, one
TCP connection reused for successive calls) and is what every transport sends
through. It owns the robustness rules:

* a default timeout (connect, read) on every request;
* TLS verification on by default (``verify=`` takes ``False`` or a CA bundle path);
* retries with exponential backoff and jitter (:class:`RetryPolicy`): an
  *idempotent* request is re-sent after a connection error, a connect timeout
  or a 502/503/504 answer; a non-idempotent one only when it certainly never
  reached the server (connection refused, DNS failure, connect timeout),
  otherwise :class:`~odoorm.exceptions.AmbiguousResultError`;
* a request whose answer did not come within the read timeout is not re-sent
  (unless :attr:`RetryPolicy.read_timeouts` says so): Odoo goes on working on
  it after the client gave up, so a second copy would double the load that
  made it slow, and the caller would wait up to ``attempts`` times the timeout;
* a ``429 Too Many Requests`` answer means the call did not run: every request,
  writes included, waits for ``Retry-After`` (capped by
  :attr:`RetryPolicy.max_retry_after`) and is sent again within the same budget;
* an optional overall ``deadline`` per request (connection probes use one, so a
  server that accepts connections and never answers fails in seconds, not minutes);
* a client-side throttle: ``max_rps`` (token bucket) and ``max_concurrency``
  (semaphore on in-flight requests);
* a one-time :class:`InsecureTransportWarning` when credentials travel over
  plain http to a host that is not the local machine.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import logging
import random
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import attrs
import requests
from requests.adapters import HTTPAdapter

from odoorm.exceptions import AmbiguousResultError, ConfigurationError, TransportError

__all__ = [
    "RETRY_STATUSES",
    "HTTPClient",
    "InsecureTransportWarning",
    "RetryPolicy",
    "TokenBucket",
]

logger = logging.getLogger("odoorm.transport")

#: HTTP statuses a proxy sends when Odoo is down, busy or restarting.
RETRY_STATUSES = frozenset({502, 503, 504})


def _version() -> str:
    try:
        return metadata.version("odoorm")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "0"


USER_AGENT = f"odoorm/{_version()}"


class InsecureTransportWarning(UserWarning):
    """Credentials are being sent over plain http to a host that is not this machine."""


@attrs.frozen
class RetryPolicy:
    """How transient failures are retried.

    Attributes:
        attempts: total tries of one request (1 = never retry).
        backoff: first delay in seconds; doubled on each retry.
        max_backoff: ceiling of one delay.
        jitter: fraction of random spread added to each delay, so that many
            clients do not retry in lock-step.
        max_retry_after: the longest wait a ``429``'s ``Retry-After`` may impose
            before the request is sent again.
        read_timeouts: re-send an idempotent request whose answer did not come
            within the read timeout (off by default: the server is still
            working on the first copy).
    """

    attempts: int = attrs.field(default=3, validator=attrs.validators.ge(1))
    backoff: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    max_backoff: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    jitter: float = attrs.field(default=0.1, validator=attrs.validators.ge(0))
    max_retry_after: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))
    read_timeouts: bool = False

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first retry)."""
        base = min(self.max_backoff, self.backoff * (2 ** (retry - 1)))
        return base * (1.0 + random.uniform(0.0, self.jitter))


class TokenBucket:
    """A thread-safe token bucket: at most ``rate`` acquisitions per second.

    ``burst`` tokens may be taken at once after an idle period. ``clock`` and
    ``sleep`` are injectable so tests need no real time.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if rate <= 0:
            raise ValueError(f"max_rps must be > 0, got {rate!r}")
        self.rate = float(rate)
        self.burst = max(1.0, float(burst))
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.burst
        self._last = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping until one is available; returns the time slept."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1.0
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
        return wait


def _loopback(host: str) -> bool:
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def strip_userinfo(url: str) -> str:
    """The URL without any ``user:password@`` part."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


class HTTPClient:
    """The pooled HTTP client every transport sends through.

    Args:
        url: the server's base URL, e.g. ``"https://erp.example.com"``.
        timeout: seconds, either one number for both or ``(connect, read)``.
        verify: ``True`` (default), ``False`` or the path of a CA bundle.
        retry: the :class:`RetryPolicy`.
        max_rps: client-side cap on requests per second (token bucket).
        max_concurrency: cap on requests in flight at once (across threads).
        session: a ready :class:`requests.Session` (tests mount adapters on it);
            by default one is created. :meth:`close` closes it either way (its
            pooled connections; a requests session stays usable after that).
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float | tuple[float, float] = (10.0, 120.0),
        verify: bool | str = True,
        retry: RetryPolicy | None = None,
        max_rps: float | None = None,
        max_concurrency: int | None = None,
        session: requests.Session | None = None,
    ):
        if not isinstance(url, str) or not url.strip():
            raise ValueError("HTTPClient needs the server URL, e.g. 'https://erp.example.com'")
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"invalid Odoo URL {strip_userinfo(url)!r}: expected http(s)://host[:port][/prefix]"
            )
        _check_port(parts, url)
        self.url = url.strip().rstrip("/")
        self._host = parts.hostname
        self._scheme = parts.scheme
        self.timeout = _check_timeout(timeout)
        if not isinstance(verify, (bool, str)):
            raise ValueError(f"verify must be True, False or a CA bundle path, got {verify!r}")
        self.verify = verify
        self.retry = retry if retry is not None else RetryPolicy()
        if max_concurrency is not None and max_concurrency < 1:
            raise ValueError(f"max_concurrency must be >= 1, got {max_concurrency!r}")
        self.max_rps = max_rps
        self.max_concurrency = max_concurrency
        self._bucket = TokenBucket(max_rps) if max_rps else None
        self._slots = threading.BoundedSemaphore(max_concurrency) if max_concurrency else None
        if session is None:
            session = requests.Session()
            pool = max(10, max_concurrency or 0)
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        self.session = session
        self._count = 0
        self._count_lock = threading.Lock()
        self._warned = False
        self._sleep: Callable[[float], None] = time.sleep
        self._clock: Callable[[], float] = time.monotonic

    def __repr__(self) -> str:
        return f"HTTPClient(url={strip_userinfo(self.url)!r}, requests={self._count})"

    @property
    def safe_url(self) -> str:
        """The base URL without credentials, for messages."""
        return strip_userinfo(self.url)

    @property
    def request_count(self) -> int:
        """HTTP requests attempted so far (retries included)."""
        return self._count

    def close(self) -> None:
        """Release the pooled connections."""
        self.session.close()

    def __enter__(self) -> HTTPClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def note_credentials(self) -> None:
        """Called by transports before sending a password, key or session cookie.

        Warns once per client when that happens over plain http to a remote host.
        """
        if self._warned or self._scheme != "http" or _loopback(self._host):
            return
        self._warned = True
        warnings.warn(
            InsecureTransportWarning(
                f"credentials are sent unencrypted to {self._host} over http: use an https:// URL"
            ),
            stacklevel=3,
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool,
        within: float | None = None,
    ) -> requests.Response:
        """Send one request with the retry, throttle and timeout rules.

        Returns the response whatever its status (except 502/503/504, retried
        when allowed, and 429, always retried after ``Retry-After``); raises
        :class:`TransportError` (or :class:`AmbiguousResultError` for a
        non-idempotent request that may have reached the server).

        ``within``: seconds for the whole request, retries included; each attempt's
        timeouts shrink to what is left (used to open connections quickly).
        """
        url = self.url + path
        safe = strip_userinfo(url)
        all_headers = {"User-Agent": USER_AGENT}
        if headers:
            all_headers.update(headers)
        deadline = None if within is None else self._clock() + within
        attempts = self.retry.attempts
        for attempt in range(1, attempts + 1):
            last = attempt == attempts or self._out_of_time(deadline, attempt)
            try:
                response = self._send(method, url, data, all_headers, self._timeout_left(deadline))
            except requests.exceptions.SSLError as exc:
                raise TransportError(
                    f"TLS error talking to {safe}: {_reason(exc)}. {self._tls_advice(exc)}",
                    url=safe,
                ) from exc
            except (
                requests.exceptions.ConnectionError,
                requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError,  # dropped mid-response
            ) as exc:
                never_sent = _never_reached_server(exc)
                if not idempotent and not never_sent:
                    raise AmbiguousResultError(
                        f"{_describe(exc)} while calling {safe}: the server may or may not "
                        "have carried out this call, which changes data; it was not re-sent. "
                        "Check the server's state before trying again",
                        url=safe,
                    ) from exc
                gave_up = isinstance(exc, requests.exceptions.ReadTimeout) and not (
                    self.retry.read_timeouts
                )
                if last or gave_up:
                    raise TransportError(
                        f"{_describe(exc)} while calling {safe} "
                        f"(gave up after {attempt} attempt(s)). {self._advice(exc, within)}",
                        url=safe,
                    ) from exc
                self._backoff(attempt, safe, _describe(exc))
                continue
            except requests.exceptions.InvalidHeader:
                # requests quotes the header value, which may be a key or a cookie
                raise TransportError(
                    f"cannot call {safe}: a request header holds a newline or another "
                    "character HTTP forbids; check the API key or password for stray "
                    "whitespace (copied with a line break?)",
                    url=safe,
                ) from None
            except requests.exceptions.RequestException as exc:
                raise TransportError(f"cannot call {safe}: {_reason(exc)}", url=safe) from exc
            if response.status_code == 429 and not last:
                # rate limited: the call was refused before it ran, so even a write is
                # safe to send again once the server's Retry-After has passed
                wait = _retry_after(response.headers.get("Retry-After"))
                response.close()
                self._wait_for_rate_limit(attempt, safe, wait, deadline)
                continue
            if response.status_code in RETRY_STATUSES:
                if not idempotent:
                    response.close()
                    raise AmbiguousResultError(
                        f"HTTP {response.status_code} from {safe}: a proxy answered for the "
                        "server, which may or may not have carried out this call; it was not "
                        "re-sent. Check the server's state before trying again",
                        url=safe,
                        status=response.status_code,
                    )
                if not last:
                    response.close()
                    self._backoff(attempt, safe, f"HTTP {response.status_code}")
                    continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _out_of_time(self, deadline: float | None, attempt: int) -> bool:
        """True when no retry fits before ``deadline`` (the next wait would pass it)."""
        if deadline is None:
            return False
        base = min(self.retry.max_backoff, self.retry.backoff * (2 ** (attempt - 1)))
        return self._clock() + base >= deadline

    def _timeout_left(self, deadline: float | None) -> float | tuple[float, float]:
        if deadline is None:
            return self.timeout
        left = max(0.05, deadline - self._clock())
        if isinstance(self.timeout, tuple):
            return (min(self.timeout[0], left), min(self.timeout[1], left))
        return min(self.timeout, left)

    def _wait_for_rate_limit(
        self, attempt: int, url: str, asked: float | None, deadline: float | None
    ) -> None:
        wait = self.retry.delay(attempt) if asked is None else asked
        wait = min(wait, self.retry.max_retry_after)
        if deadline is not None:
            wait = max(0.0, min(wait, deadline - self._clock()))
        logger.info("HTTP 429 from %s: rate limited, sending again in %.1fs", url, wait)
        self._sleep(wait)

    def _send(
        self,
        method: str,
        url: str,
        data: bytes | None,
        headers: Mapping[str, str],
        timeout: float | tuple[float, float] | None = None,
    ) -> requests.Response:
        if self._bucket is not None:
            self._bucket.acquire()
        if self._slots is not None:
            self._slots.acquire()
        try:
            with self._count_lock:
                self._count += 1
            return self.session.request(
                method,
                url,
                data=data,
                headers=dict(headers),
                timeout=self.timeout if timeout is None else timeout,
                verify=self.verify,
                allow_redirects=False,
            )
        finally:
            if self._slots is not None:
                self._slots.release()

    def _where(self) -> str:
        parts = urlsplit(self.url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return f"{self._host}:{port}"

    def _advice(self, exc: BaseException, within: float | None = None) -> str:
        """What to do about a connection failure."""
        if within is not None and isinstance(exc, requests.exceptions.Timeout):
            return (
                f"{self._where()} did not answer within {within:.2g} s: something accepts "
                "connections there but does not answer like an Odoo server (a stopped "
                "worker, a firewall, the wrong port?); check the URL and the server"
            )
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return (
                f"Nothing answered at {self._where()}: check the URL's host and port, "
                "and any firewall or VPN in between"
            )
        if isinstance(exc, requests.exceptions.Timeout):
            read = self.timeout[1] if isinstance(self.timeout, tuple) else self.timeout
            again = (
                ""
                if self.retry.read_timeouts
                else "; it was not sent again, as the server may still be working on it"
            )
            return (
                f"The server took longer than the read timeout ({read:g} s){again}. If it "
                "is just slow, pass a larger timeout, e.g. connect(..., timeout=(10, 600))"
            )
        text = repr(exc.args[0]) if exc.args else repr(exc)
        if any(m in text for m in _DNS_MARKERS):
            return f"The host name {self._host!r} does not resolve: check the URL"
        if "refused" in text.lower():
            return (
                f"Nothing listens on {self._where()}: check the URL's port and that the "
                "Odoo server is running"
            )
        return "Check the URL and that the server is running, then try again"

    def _tls_advice(self, exc: BaseException) -> str:
        text = str(exc).lower()
        if any(m in text for m in _NOT_TLS_MARKERS):
            plain = "http://" + self.safe_url.split("://", 1)[1]
            return (
                f"{self._where()} does not speak TLS (https): if the server serves plain "
                f"http there, use {plain}"
            )
        return (
            "Check the server's certificate, or pass verify='/path/to/ca-bundle.pem' "
            "for a private certificate authority"
        )

    def _backoff(self, attempt: int, url: str, why: str) -> None:
        delay = self.retry.delay(attempt)
        logger.debug("retrying %s after %s (attempt %d), in %.2fs", url, why, attempt + 1, delay)
        self._sleep(delay)

    def retry_delay(self, attempt: int) -> None:
        """Sleep before retry ``attempt`` (used by transports for server-side retry errors)."""
        self._sleep(self.retry.delay(attempt))


def _check_timeout(timeout: Any) -> float | tuple[float, float]:
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0:
        return float(timeout)
    if (
        isinstance(timeout, tuple)
        and len(timeout) == 2
        and all(isinstance(t, (int, float)) and t > 0 for t in timeout)
    ):
        return (float(timeout[0]), float(timeout[1]))
    raise ValueError(
        f"timeout must be seconds > 0 or a (connect, read) pair of them, got {timeout!r}"
    )


def _check_port(parts: Any, url: str) -> None:
    """A URL's port must be 1..65535 (``:0`` would silently dial the default port)."""
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is None and not parts.netloc.rsplit("@", 1)[-1].endswith(":"):
        return
    if port is not None and 1 <= port <= 65535:
        return
    raise ConfigurationError(
        f"invalid Odoo URL {strip_userinfo(url)!r}: the port must be a number from 1 to "
        "65535 (or leave it out for 80/443), e.g. http://localhost:8069"
    )


def _retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def _never_reached_server(exc: BaseException) -> bool:
    """True when the request certainly never left this machine (safe to re-send)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return False
    text = repr(exc.args[0]) if exc.args else repr(exc)
    return any(m in text for m in ("NewConnectionError", "Connection refused", *_DNS_MARKERS))


_DNS_MARKERS = (
    "NameResolutionError",
    "Failed to resolve",
    "Name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
)
# what OpenSSL says when the other end answers a TLS hello in plain http
_NOT_TLS_MARKERS = (
    "wrong version number",
    "record layer failure",
    "unknown protocol",
    "http request",
)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connect timeout"
    if isinstance(exc, requests.exceptions.Timeout):
        return "read timeout (the server did not answer in time)"
    if _never_reached_server(exc):
        return f"cannot connect ({_reason(exc)})"
    return f"connection lost ({_reason(exc)})"


def _reason(exc: BaseException) -> str:
    """A short reason from a requests/urllib3 exception chain, without URLs' secrets."""
    inner: Any = exc.args[0] if exc.args else exc
    reason = getattr(inner, "reason", None) or inner
    text = str(reason)
    # urllib3 wraps as "<urllib3.connection.HTTPConnection object at 0x..>: Failed to ..."
    if ">: " in text:
        text = text.split(">: ", 1)[1]
    return text[:200]
