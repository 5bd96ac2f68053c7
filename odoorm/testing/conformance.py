"""Replay recorded real-Odoo exchanges against the emulator and compare.

A recordings folder holds ``seed.json`` (the records before the first exchange)
and ``NNNN-<protocol>-<scenario>.json`` files (request + real response). The
:class:`Replayer` loads the seed into a fresh :class:`~odoorm.testing.Emulator`
of that version, sends every request in order over real HTTP and compares the
status, the content type and the body with the recorded answer, after
normalising only what legitimately differs between two servers:

* timestamps (``write_date``, ``create_date``, ... and every datetime of a
  record created during the replay),
* traceback text (XML-RPC ``faultCode`` 1 strings and ``debug`` members: only
  their last line, ``Class: message``, is compared),
* per-server secrets and hashes (session ids, API keys, ``registry_hash``,
  ``cache_hashes``, ``web.base.url``, the web client's ``storeData``),
* ``Content-Length`` and other transport headers (never compared).

The replay runs at the moment the exchanges were recorded: the emulator's clock
is frozen at :func:`recorded_at` (the latest timestamp ``seed.json`` holds), so
records created during the replay fall in the same days and months as they did
on the real server, whatever today's date.

Ids generated during the replay are kept identical to the recorded ones by
moving the store's id sequence to the recorded id before each ``create`` /
``copy`` (``Database.set_next_id``), so later requests can be sent unchanged.

Command line: ``python -m odoorm.testing.conformance <folder> [<folder>...]``
prints the pass rate per protocol.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import math
import re
import secrets
import sys
import xmlrpc.client
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from odoorm.testing.server import Emulator

_DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$")
#: keys whose value is a timestamp of when the server did something
VOLATILE_TIME_KEYS = frozenset(
    {"write_date", "create_date", "__last_update", "partner_write_date", "login_date"}
)
#: session-info members that are per-server hashes, URLs or web-client state
VOLATILE_KEYS = frozenset({"cache_hashes", "registry_hash", "web.base.url", "storeData"})
_MASK = "<normalised>"
#: the strict corpus writes its name of 1,000,000 characters as this token
BIG_NAME_TOKEN = "@@X1000000@@"
#: methods whose datetimes are the time of the call
NOW_VALUED_METHODS = frozenset({"default_get"})


@dataclass
class Exchange:
    """One recorded request/response pair."""

    seq: int
    scenario: str
    protocol: str
    request: dict[str, Any]
    response: dict[str, Any]
    name: str

    @classmethod
    def load(cls, path: Path) -> Exchange:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            seq=int(data["seq"]),
            scenario=str(data["scenario"]),
            protocol=str(data["protocol"]),
            request=data["request"],
            response=data["response"],
            name=path.stem,
        )


@dataclass
class Outcome:
    """The comparison of one exchange: ``differences`` empty means it conforms."""

    exchange: Exchange
    status: int = 0
    content_type: str = ""
    body: Any = None
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def load_folder(folder: Path | str) -> tuple[dict[str, Any], list[Exchange]]:
    """(seed, exchanges in recorded order) of one recordings folder."""
    folder = Path(folder)
    seed = json.loads((folder / "seed.json").read_text(encoding="utf-8"))
    exchanges = [Exchange.load(p) for p in sorted(folder.glob("[0-9]*-*.json"))]
    exchanges.sort(key=lambda e: e.seq)
    return seed, exchanges


def recorded_at(seed: dict[str, Any]) -> dt.datetime | None:
    """When a recording was made: the latest ``write_date``/``create_date`` in its seed.

    seed.json is read from the server just before the first exchange, so its newest
    stamp is the server's own clock at that moment (to within the seconds the dump
    took). None for a seed without stamps.
    """
    latest = ""
    for spec in (seed.get("models") or {}).values():
        for row in spec.get("records") or ():
            for key in ("write_date", "create_date"):
                value = row.get(key)
                if isinstance(value, str) and _DATETIME.match(value) and value > latest:
                    latest = value
    if not latest:
        return None
    return dt.datetime.fromisoformat(latest[:19]).replace(tzinfo=dt.timezone.utc)


def folder_version(folder: Path | str, seed: dict[str, Any] | None = None) -> int:
    if seed and isinstance(seed.get("server"), dict):
        return int(seed["server"]["server_version_info"][0])
    digits = re.findall(r"\d+", Path(folder).name)
    if not digits:
        raise ValueError(f"cannot tell the Odoo version of recordings folder {folder}")
    return int(digits[-1])


# ---------------------------------------------------------------------------
# replay
# ---------------------------------------------------------------------------


class Replayer:
    """Replays one folder in order against a fresh emulator (a context manager)."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.seed, self.exchanges = load_folder(self.folder)
        self.version = folder_version(self.folder, self.seed)
        self.emulator = Emulator(
            version=self.version,
            data=self.seed,
            db=str(self.seed.get("db") or "odoorm"),
            now=recorded_at(self.seed),
        )
        self.demo_key = self._demo_key()
        self.cookie: str | None = None
        self.generated: dict[str, set[int]] = {}
        self._conn: http.client.HTTPConnection | None = None

    def _demo_key(self) -> str:
        """An API key of the ``demo`` user, for recordings that call as that user."""
        database = self.emulator.database
        key = "demo-" + secrets.token_hex(20)
        uid = database.uid_for_login("demo") if hasattr(database, "uid_for_login") else None
        if uid is not None:
            database.api_keys[key] = uid
        return key

    def __enter__(self) -> Replayer:
        self.emulator.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._conn is not None:
            self._conn.close()
        self.emulator.stop()

    def run(self) -> Iterator[Outcome]:
        """Replay every exchange in order, yielding each comparison."""
        for exchange in self.exchanges:
            yield self.replay(exchange)

    # -- one exchange --------------------------------------------------------
    def replay(self, ex: Exchange) -> Outcome:
        call = _call_of(ex)
        self._align_ids(ex, call)
        status, headers, raw = self._send(ex)
        outcome = Outcome(ex, status, headers.get("content-type", ""))
        rec = ex.response
        if status != rec["status"]:
            outcome.differences.append(f"status {status} != recorded {rec['status']}")
        rec_type = _header(rec["headers"], "Content-Type")
        if rec_type and outcome.content_type != rec_type:
            outcome.differences.append(f"content type {outcome.content_type!r} != {rec_type!r}")
        cookie = headers.get("set-cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0].split("=", 1)[1]
        got, want = self._bodies(raw, rec["body"], outcome)
        self._learn_generated(call, want)
        if got is not None or want is not None:
            model_ids = self.generated.get(call[0] if call else "", set())
            now_valued = bool(call and call[1] in NOW_VALUED_METHODS)
            outcome.differences.extend(
                compare(
                    normalise(want, model_ids, now_valued), normalise(got, model_ids, now_valued)
                )
            )
        outcome.body = got
        return outcome

    def _send(self, ex: Exchange) -> tuple[int, dict[str, str], bytes]:
        req = ex.request
        headers = {k: self._substitute(v) for k, v in req.get("headers", {}).items()}
        body = req.get("body")
        if body is None:
            data = None
        elif isinstance(body, str):
            data = self._substitute(body).encode("utf-8")
        else:
            data = self._substitute(json.dumps(body)).encode("utf-8")
        if (
            self.cookie
            and req["path"].startswith("/web/")
            and ex.scenario != "call_without_session"
        ):
            headers["Cookie"] = f"session_id={self.cookie}"
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(req["method"], req["path"], body=data, headers=headers)
                resp = conn.getresponse()
                raw = resp.read()
                return resp.status, {k.lower(): v for k, v in resp.getheaders()}, raw
            except (ConnectionError, http.client.HTTPException):
                conn.close()
                self._conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            port = int(self.emulator.url.rsplit(":", 1)[1])
            self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        return self._conn

    def _substitute(self, text: str) -> str:
        text = text.replace("<api-key>", self.emulator.api_key)
        text = text.replace("<demo-api-key>", self.demo_key)
        text = text.replace(BIG_NAME_TOKEN, "x" * 1_000_000)
        if self.cookie:
            text = text.replace("<session-id>", self.cookie)
        return text

    def _align_ids(self, ex: Exchange, call: tuple[str, str] | None) -> None:
        """Make the next created record get the id the real server gave it."""
        if call is None or call[1] not in ("create", "copy"):
            return
        ids = [i for i in _ids_in(_recorded_result(ex)) if i > 0]
        setter = getattr(self.emulator.database, "set_next_id", None)
        if ids and callable(setter):
            with contextlib.suppress(Exception):  # unknown model: the call itself will say
                setter(call[0], min(ids))

    def _learn_generated(self, call: tuple[str, str] | None, recorded: Any) -> None:
        if call is None or call[1] not in ("create", "copy"):
            return
        result = recorded.get("result") if isinstance(recorded, dict) else recorded
        if isinstance(recorded, tuple) and recorded and recorded[0] == "result":
            result = recorded[1]
        self.generated.setdefault(call[0], set()).update(_ids_in(result))

    # -- bodies --------------------------------------------------------------
    def _bodies(self, raw: bytes, recorded: Any, outcome: Outcome) -> tuple[Any, Any]:
        text = raw.decode("utf-8", errors="replace")
        if isinstance(recorded, str) and recorded.startswith("<?xml"):
            if not text.startswith("<?xml"):
                outcome.differences.append(f"expected an XML-RPC document, got {text[:80]!r}")
                return None, None
            if text.split("\n", 1)[0] != recorded.split("\n", 1)[0]:
                outcome.differences.append("XML prolog differs")
            if text.endswith("\n\n</methodResponse>\n") != recorded.endswith(
                "\n\n</methodResponse>\n"
            ):
                outcome.differences.append("XML document framing differs")
            return parse_xmlrpc(text), parse_xmlrpc(recorded)
        if isinstance(recorded, str) or recorded is None:
            if text != (recorded or ""):
                outcome.differences.append(
                    f"body {text[:120]!r} != recorded {str(recorded)[:120]!r}"
                )
            return None, None
        try:
            return json.loads(text), recorded
        except ValueError:
            outcome.differences.append(f"expected JSON, got {text[:120]!r}")
            return None, None


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def parse_xmlrpc(text: str) -> Any:
    """("result", value) or ("fault", code, comparable text)."""
    try:
        (value,), _ = xmlrpc.client.loads(text)
    except xmlrpc.client.Fault as fault:
        return ("fault", fault.faultCode, _fault_text(fault.faultCode, fault.faultString))
    return ("result", value)


def _fault_text(code: Any, text: str) -> str:
    if code == 1 and text.startswith("Traceback"):
        return "<traceback> " + last_line(text)
    return text


def last_line(text: str) -> str:
    lines = [line for line in str(text).splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _call_of(ex: Exchange) -> tuple[str, str] | None:
    """(model, method) of an ORM call, whatever the protocol."""
    req = ex.request
    body = req.get("body")
    path = req["path"]
    try:
        if path.startswith("/xmlrpc/") and isinstance(body, str):
            xparams, method = xmlrpc.client.loads(body.replace("<api-key>", "key"))
            if method in ("execute_kw", "execute") and len(xparams) >= 5:
                return str(xparams[3]), str(xparams[4])
        elif path == "/jsonrpc" and isinstance(body, dict):
            params = body.get("params") or {}
            args = params.get("args") or []
            if params.get("service") == "object" and len(args) >= 5:
                return str(args[3]), str(args[4])
        elif path.startswith("/web/dataset/call_kw") and isinstance(body, dict):
            params = body.get("params") or {}
            return str(params.get("model")), str(params.get("method"))
        elif path.startswith("/json/2/"):
            parts = path.strip("/").split("/")
            if len(parts) == 4:
                return parts[2], parts[3]
    except (ValueError, xmlrpc.client.Error, ExpatError):
        return None
    return None


def _recorded_result(ex: Exchange) -> Any:
    body = ex.response.get("body")
    if isinstance(body, str) and body.startswith("<?xml"):
        parsed = parse_xmlrpc(body)
        return parsed[1] if parsed[0] == "result" else None
    if isinstance(body, dict):
        return body.get("result")
    if ex.response.get("status") == 200:
        return body
    return None


def _ids_in(result: Any) -> list[int]:
    if isinstance(result, bool):
        return []
    if isinstance(result, int):
        return [result]
    if isinstance(result, list):
        return [i for i in result if isinstance(i, int) and not isinstance(i, bool)]
    return []


# ---------------------------------------------------------------------------
# normalising and comparing
# ---------------------------------------------------------------------------


def normalise(value: Any, generated: Iterable[int] = (), all_times: bool = False) -> Any:
    """Mask what legitimately differs between two servers (see module docstring).

    ``all_times``: every datetime is "now" in this answer (``default_get``).
    """
    return _norm(value, frozenset(generated), None, all_times)


def _norm(value: Any, generated: frozenset[int], key: str | None, all_times: bool = False) -> Any:
    if isinstance(value, dict):
        fresh = all_times or (value.get("id") in generated if generated else False)
        out: dict[str, Any] = {}
        for k, v in value.items():
            if k in VOLATILE_KEYS or (k == "debug" and isinstance(v, str)):
                out[k] = _MASK if k != "debug" else "<traceback> " + last_line(v)
            elif isinstance(v, str) and _DATETIME.match(v) and (k in VOLATILE_TIME_KEYS or fresh):
                out[k] = _MASK
            else:
                out[k] = _norm(v, generated, k, all_times)
        return out
    if isinstance(value, (list, tuple)):
        items = [_norm(v, generated, key, all_times) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    return value


def compare(want: Any, got: Any, path: str = "$") -> list[str]:
    """Differences between the recorded (``want``) and emulated (``got``) values."""
    out: list[str] = []
    _compare(want, got, path, out)
    return out


def _compare(want: Any, got: Any, path: str, out: list[str], limit: int = 12) -> None:
    if len(out) >= limit:
        return
    if isinstance(want, dict) and isinstance(got, dict):
        for k in want:
            if k not in got:
                out.append(f"{path}.{k}: missing (recorded {_short(want[k])})")
            else:
                _compare(want[k], got[k], f"{path}.{k}", out, limit)
        for k in got:
            if k not in want:
                out.append(f"{path}.{k}: unexpected {_short(got[k])}")
        return
    if isinstance(want, (list, tuple)) and isinstance(got, (list, tuple)):
        if len(want) != len(got):
            out.append(f"{path}: length {len(got)} != recorded {len(want)}: {_short(got)}")
            return
        for i, (w, g) in enumerate(zip(want, got, strict=True)):
            _compare(w, g, f"{path}[{i}]", out, limit)
        return
    if isinstance(want, float) and isinstance(got, float) and math.isnan(want) and math.isnan(got):
        return
    if (
        type(want) is not type(got)
        and not (
            isinstance(want, (int, float))
            and isinstance(got, (int, float))
            and want == got
            and isinstance(want, bool) == isinstance(got, bool)
        )
    ) or want != got:
        out.append(f"{path}: {_short(got)} != recorded {_short(want)}")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 160 else text[:157] + "..."


# ---------------------------------------------------------------------------
# pass rates
# ---------------------------------------------------------------------------


def pass_rates(outcomes: Iterable[Outcome]) -> dict[str, tuple[int, int]]:
    """protocol -> (passed, total)."""
    rates: dict[str, tuple[int, int]] = {}
    for o in outcomes:
        passed, total = rates.get(o.exchange.protocol, (0, 0))
        rates[o.exchange.protocol] = (passed + o.ok, total + 1)
    return rates


def format_rates(version: int, rates: dict[str, tuple[int, int]]) -> str:
    lines = [f"Odoo {version}:"]
    all_passed = sum(p for p, _ in rates.values())
    all_total = sum(t for _, t in rates.values())
    for proto, (passed, total) in sorted(rates.items()):
        lines.append(f"  {proto:<8} {passed:>4}/{total:<4} {100.0 * passed / max(total, 1):6.1f}%")
    rate = 100.0 * all_passed / max(all_total, 1)
    lines.append(f"  {'all':<8} {all_passed:>4}/{all_total:<4} {rate:6.1f}%")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    folders = (argv if argv is not None else sys.argv[1:]) or []
    if not folders:
        print("usage: python -m odoorm.testing.conformance <recordings folder>...", file=sys.stderr)
        return 2
    failed = 0
    for folder in folders:
        with Replayer(folder) as replayer:
            outcomes = list(replayer.run())
        for o in outcomes:
            if not o.ok:
                failed += 1
                print(f"FAIL {replayer.version}:{o.exchange.name}")
                for diff in o.differences:
                    print(f"     {diff}")
        print(format_rates(replayer.version, pass_rates(outcomes)))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
