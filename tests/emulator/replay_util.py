"""Helpers for replaying recorded exchanges against the ORM core (tests only)."""

from __future__ import annotations

import json
import xmlrpc.client
from pathlib import Path
from typing import Any

RECORDINGS = Path(__file__).resolve().parents[2] / ".." / "shared" / "recordings"


def decode(ex: dict[str, Any]) -> tuple[str, list, dict, Any] | None:
    """(model, method, args, kwargs, expected) of an object call, or None for other exchanges.

    ``expected`` is ("ok", result) or ("error", name, message).
    """
    proto = ex["protocol"]
    req, resp = ex["request"], ex["response"]
    if proto == "xmlrpc":
        if not req["path"].endswith("/object"):
            return None
        params, meth = xmlrpc.client.loads(req["body"], use_builtin_types=True)
        if meth != "execute_kw":
            return None
        try:
            result = ("ok", xmlrpc.client.loads(resp["body"], use_builtin_types=True)[0][0])
        except xmlrpc.client.Fault as f:
            result = ("fault", f.faultCode, f.faultString)
        args = list(params)
        return (
            args[1],
            args[3],
            args[4],
            list(args[5]),
            dict(args[6]) if len(args) > 6 else {},
            result,
        )
    body = req.get("body")
    if proto == "jsonrpc":
        p = body.get("params", {})
        if p.get("service") != "object" or p.get("method") != "execute_kw":
            return None
        a = p["args"]
        call = (a[1], a[3], a[4], list(a[5]), dict(a[6]) if len(a) > 6 else {})
    elif proto == "session":
        if "/call_kw" not in req["path"]:
            return None
        p = body.get("params", {})
        call = (2, p["model"], p["method"], list(p.get("args", [])), dict(p.get("kwargs", {})))
    else:
        return None
    rb = resp["body"]
    if isinstance(rb, dict) and "error" in rb:
        d = rb["error"].get("data", {})
        return (*call, ("error", d.get("name"), d.get("message")))
    return (*call, ("ok", rb.get("result") if isinstance(rb, dict) else rb))


def exchanges(version: int) -> list[tuple[str, dict[str, Any]]]:
    folder = RECORDINGS / f"odoo{version}"
    return [(p.name, json.loads(p.read_text())) for p in sorted(folder.glob("[0-9]*.json"))]


def canonical(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def first_created_ids(calls: list[tuple]) -> dict[str, int]:
    """The first id each model's ``create`` returned in the recording (sequences are not in
    seed.json, so the replay starts them there)."""
    out: dict[str, int] = {}
    for _uid, model, method, _args, _kw, expected in calls:
        if method == "create" and expected[0] == "ok" and model not in out:
            res = expected[1]
            rid = res[0] if isinstance(res, list) else res
            if isinstance(rid, int):
                out[model] = rid
    return out


def outcome(db: Any, uid: int, model: str, method: str, args: list, kwargs: dict) -> tuple:
    from odoorm.testing import errors

    try:
        return ("ok", canonical(db.execute(uid, model, method, args, kwargs)))
    except errors.OdooServerError as e:
        return ("error", e.name, e.message)


def matches(expected: tuple, got: tuple) -> bool:
    if expected[0] == "ok":
        return got[0] == "ok" and canonical(expected[1]) == got[1]
    if got[0] != "error":
        return False
    if expected[0] == "error":
        return (expected[1], expected[2]) == (got[1], got[2])
    code, text = expected[1], expected[2]
    if code in (2, 3, 4):
        return text == got[2]
    last = text.rstrip("\n").rsplit("\n", 1)[-1]
    return last == f"{got[1].split('.')[-1]}: {got[2]}" or last.endswith(got[2])
