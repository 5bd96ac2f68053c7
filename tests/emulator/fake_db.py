"""A tiny stand-in for ``odoorm.testing.orm.Database`` with the same methods,
so the server's tests do not depend on the ORM core's behaviour."""

from __future__ import annotations

import threading
from typing import Any

from odoorm.testing import errors

SIGNATURES = {
    "search": {
        "params": ["domain", "offset", "limit", "order"],
        "required": ["domain"],
        "model_method": True,
    },
    "search_count": {"params": ["domain", "limit"], "required": ["domain"], "model_method": True},
    "search_read": {
        "params": ["domain", "fields", "offset", "limit", "order"],
        "required": [],
        "model_method": True,
    },
    "read": {"params": ["fields", "load"], "required": [], "model_method": False},
    "create": {"params": ["vals_list"], "required": ["vals_list"], "model_method": True},
    "write": {"params": ["vals"], "required": ["vals"], "model_method": False},
    "unlink": {"params": [], "required": [], "model_method": False},
    "fields_get": {"params": ["allfields", "attributes"], "required": [], "model_method": True},
    "echo": {"params": ["value"], "required": [], "model_method": True},
}


class FakeDatabase:
    def __init__(self, name: str = "odoorm", version: int = 18, data: Any = None):
        self.name = name
        self.version = version
        self.lock = threading.RLock()
        self.api_key = "fake-api-key-0123456789"
        self.calls: list[tuple[int, str, str, list, dict]] = []
        self.users = {"admin": (2, "admin"), "demo": (6, "demo")}
        self.records: dict[str, dict[int, dict[str, Any]]] = {
            "res.partner": {
                1: {"id": 1, "name": "My Company", "email": False, "is_company": True},
                3: {
                    "id": 3,
                    "name": "Mitchell Admin",
                    "email": "admin@example.com",
                    "is_company": False,
                },
            },
            "res.users": {2: {"id": 2, "login": "admin", "name": "Mitchell Admin"}},
        }

    def authenticate(self, login: str, secret: str, *, interactive: bool = False) -> int | None:
        uid, password = self.users.get(login, (None, None))
        key = self.api_key if uid == 2 and not interactive else None
        if uid is not None and secret in (password, key):
            return uid
        return None

    def uid_for_api_key(self, key: str) -> int | None:
        return 2 if key == self.api_key else None

    def method_signature(self, model: str, method: str) -> dict | None:
        if model not in self.records or method not in SIGNATURES:
            return None
        return SIGNATURES[method]

    def execute(self, uid: int, model: str, method: str, args: list, kwargs: dict) -> Any:
        self.calls.append((uid, model, method, args, kwargs))
        if model not in self.records:
            raise errors.UserError(f"Object {model} doesn't exist")
        if method.startswith("_"):
            raise errors.AccessError(
                f"Private methods (such as {method}) cannot be called remotely."
            )
        table = self.records[model]
        if method == "search":
            return sorted(table)
        if method == "search_count":
            return len(table)
        if method in ("read", "search_read"):
            ids = args[0] if method == "read" and args else sorted(table)
            fields = kwargs.get("fields")
            for name in fields or []:
                if name not in ("id", "name", "email", "is_company", "login"):
                    raise errors.value_error(f"Invalid field {name!r} on model {model!r}")
            rows = [dict(table[i]) for i in ids if i in table]
            if fields:
                rows = [{k: r.get(k, False) for k in ["id", *fields]} for r in rows]
            return rows
        if method == "fields_get":
            names = ("name", "email", "login", "is_company")
            return {n: {"type": "char", "string": n.title()} for n in names}
        if method == "create":
            vals = args[0] if args else kwargs.get("vals_list")
            new_id = max(table) + 1
            table[new_id] = {"id": new_id, **vals}
            return new_id
        if method == "write":
            for i in args[0]:
                if i not in table:
                    raise errors.MissingError(
                        "Record does not exist or has been deleted.\n"
                        f"(Record: {model}({i},), User: {uid})"
                    )
            return True
        if method == "echo":
            return args[0] if args else kwargs.get("value")
        raise errors.attribute_error(f"The method '{method}' does not exist on the model '{model}'")

    def call_json2(self, uid: int, model: str, method: str, body: dict) -> Any:
        body = dict(body)
        ids = body.pop("ids", [])
        body.pop("context", None)
        sig = SIGNATURES[method]
        if sig["model_method"] and ids:
            raise errors.UnprocessableEntity(f"cannot call {model}.{method} with ids")
        for name in sig["required"]:
            if name not in body:
                raise errors.UnprocessableEntity(f"missing a required argument: {name!r}")
        if method == "create":
            return [self.execute(uid, model, method, [v], {}) for v in body["vals_list"]]
        args = [ids] if ids else []
        return self.execute(uid, model, method, args, body)
