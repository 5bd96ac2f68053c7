"""Replaying recorded exchanges against the ORM core (tests only; no HTTP involved)."""

from __future__ import annotations

import json
import re
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odoorm.testing.conformance import recorded_at

RECORDINGS = Path(__file__).resolve().parents[2] / ".." / "shared" / "recordings"
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


@dataclass
class Call:
    """One recorded object call: who, what, and what the real server answered.

    ``expected`` is ("ok", result), ("error", class name, message) or
    ("fault", faultCode, faultString) for XML-RPC.
    """

    name: str
    protocol: str
    uid: int
    secret: str | None
    model: str
    method: str
    args: list
    kwargs: dict
    expected: tuple


def _xmlrpc(name: str, req: dict, resp: dict) -> Call | None:
    if not req["path"].endswith("/object"):
        return None
    params, meth = xmlrpc.client.loads(req["body"], use_builtin_types=True)
    if meth != "execute_kw":
        return None
    try:
        expected: tuple = ("ok", xmlrpc.client.loads(resp["body"], use_builtin_types=True)[0][0])
    except xmlrpc.client.Fault as f:
        expected = ("fault", f.faultCode, f.faultString)
    a = list(params)
    kwargs = dict(a[6]) if len(a) > 6 else {}
    return Call(name, "xmlrpc", a[1], a[2], a[3], a[4], list(a[5]), kwargs, expected)


def decode(name: str, ex: dict[str, Any]) -> Call | None:
    """The object call of one exchange, or None for version/auth/web exchanges."""
    proto, req, resp = ex["protocol"], ex["request"], ex["response"]
    if proto == "xmlrpc":
        return _xmlrpc(name, req, resp)
    body = req.get("body")
    if proto == "jsonrpc":
        p = body.get("params", {})
        if p.get("service") != "object" or p.get("method") != "execute_kw":
            return None
        a = p["args"]
        kwargs = dict(a[6]) if len(a) > 6 else {}
        call = Call(name, proto, a[1], a[2], a[3], a[4], list(a[5]), kwargs, ())
    elif proto == "session" and "/call_kw" in req["path"] and resp["status"] == 200:
        p = body.get("params", {})
        args, kwargs = list(p.get("args", [])), dict(p.get("kwargs", {}))
        call = Call(name, proto, 2, None, p["model"], p["method"], args, kwargs, ())
    else:
        return None
    rb = resp["body"]
    if not isinstance(rb, dict):
        return None
    if "error" in rb:
        d = rb["error"].get("data", {})
        call.expected = ("error", d.get("name"), d.get("message"))
    else:
        call.expected = ("ok", rb.get("result"))
    return call


def calls(version: int) -> list[Call]:
    folder = RECORDINGS / f"odoo{version}"
    out = []
    for p in sorted(folder.glob("[0-9]*.json")):
        c = decode(p.name, json.loads(p.read_text(encoding="utf-8")))
        if c is not None:
            out.append(c)
    return out


def seed(version: int) -> dict[str, Any]:
    return json.loads((RECORDINGS / f"odoo{version}" / "seed.json").read_text(encoding="utf-8"))


def canonical(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def first_created_ids(recorded: list[Call]) -> dict[str, int]:
    """The first id each model's ``create`` returned in the recording: sequences are not in
    seed.json, so the replay starts them there (generated ids mapped consistently)."""
    out: dict[str, int] = {}
    for c in recorded:
        if c.method == "create" and c.expected[0] == "ok" and c.model not in out:
            res = c.expected[1]
            rid = res[0] if isinstance(res, list) else res
            if isinstance(rid, int):
                out[c.model] = rid
    return out


def seed_horizon(data: dict[str, Any]) -> str:
    """The moment of the recording (the seed's latest stamp): later ones are "now" stamps."""
    when = recorded_at(data)
    return when.strftime("%Y-%m-%d %H:%M:%S") if when else ""


def outcome(db: Any, call: Call) -> tuple:
    from odoorm.testing import errors

    try:
        if call.secret is not None and not db.check_uid(call.uid, call.secret):
            raise errors.AccessDenied()
        return (
            "ok",
            canonical(db.execute(call.uid, call.model, call.method, call.args, call.kwargs)),
        )
    except errors.OdooServerError as e:
        return ("error", e.name, e.message)


def _same(expected: Any, got: Any, horizon: str) -> bool:
    if isinstance(expected, dict) and isinstance(got, dict):
        return expected.keys() == got.keys() and all(
            _same(v, got[k], horizon) for k, v in expected.items()
        )
    if isinstance(expected, list) and isinstance(got, list):
        return len(expected) == len(got) and all(
            _same(a, b, horizon) for a, b in zip(expected, got, strict=True)
        )
    if (
        isinstance(expected, str)
        and isinstance(got, str)
        and _DATETIME.match(expected)
        and _DATETIME.match(got)
        and expected > horizon
        and got >= horizon  # the emulator's clock is frozen at the horizon
    ):
        return True  # both stamped "now" by their server
    return expected == got


def matches(expected: tuple, got: tuple, horizon: str = "9999") -> bool:
    if expected[0] == "ok":
        return got[0] == "ok" and _same(canonical(expected[1]), got[1], horizon)
    if got[0] != "error":
        return False
    if expected[0] == "error":
        return (expected[1], expected[2]) == (got[1], got[2])
    code, text = expected[1], expected[2]
    if code in (2, 3, 4):
        return text == got[2]
    last = text.rstrip("\n").rsplit("\n", 1)[-1]
    cls = got[1].split(".")[-1]
    return last in (f"{cls}: {got[2]}", f"{cls}: {got[2]!r}")
