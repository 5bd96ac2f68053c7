"""In-memory tables: one :class:`Table` per model, holding its ``fields_get`` schema and rows.

Rows are plain dicts keyed by field name. Internal representation (what rows hold):
scalars as Odoo sends them on the wire (``False`` for empty), many2one as an ``int`` id or
``False``, many2many/one2many as lists of ids. One2many fields whose comodel is loaded and
which name a ``relation_field`` are computed from the inverse many2one at read time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from odoorm.testing.modelinfo import ModelInfo, info_for

RELATIONAL = frozenset({"many2one", "one2many", "many2many"})
X2MANY = frozenset({"one2many", "many2many"})
NUMERIC = frozenset({"integer", "float", "monetary"})


def empty_value(ftype: str) -> Any:
    """What Odoo sends for an unset field of type ``ftype``."""
    if ftype in X2MANY:
        return []
    if ftype in ("integer", "many2one_reference"):
        return 0
    if ftype in ("float", "monetary"):
        return 0.0
    return False


def m2o_id(value: Any) -> int | None:
    """The id of a many2one value in any of its shapes (int, [id, name], False)."""
    if value is False or value is None:
        return None
    if isinstance(value, (list, tuple)):
        return int(value[0]) if value else None
    if isinstance(value, bool):
        return None
    return int(value)


_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=200_000)
def collate_key(text: str) -> tuple[str, str, str]:
    """Sort key approximating PostgreSQL's ``en_US.UTF-8`` collation: accents, case and
    punctuation are ignored at the first level, then accents, then case decides."""
    folded = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return (_NON_ALNUM.sub("", base), base, text.swapcase())


class Table:
    """One model: schema (``fields``), meta facts (``info``), rows and the id sequence."""

    def __init__(self, name: str, fields: dict[str, dict[str, Any]], info: ModelInfo | None = None):
        self.name = name
        self.fields: dict[str, dict[str, Any]] = dict(fields)
        self.info = info or info_for(name)
        self.rows: dict[int, dict[str, Any]] = {}
        self.next_id = 1
        #: bumped on every change; caches (inverse indexes, sort ranks) key on it
        self.version = 0
        self.defaults: dict[str, Any | Callable[[], Any]] = {}
        #: what a row lacking a field holds when that field's default is not its type's empty
        #: value (measured fields: ``trust`` "normal"...): kept once here, not in every row
        self.implicit: dict[str, Any] = {}
        #: fields held by a parent model (``_inherits``): field -> the many2one to the parent
        self.delegated: dict[str, str] = {}
        #: fields a child keeps itself that its ``_inherits`` parent also has (the demo
        #: variants' name, prices...): given on the child, they are copied to the parent
        self.mirrored: dict[str, str] = {}
        #: whether ``rows`` iterates in ascending id order
        self.id_ordered = True
        #: the ids in ascending order, kept while only appends happen (see sorted_ids)
        self._sorted_ids: list[int] | None = None
        if "id" not in self.fields:
            self.fields = {
                "id": {
                    "type": "integer",
                    "string": "ID",
                    "readonly": True,
                    "required": False,
                    "store": True,
                },
                **self.fields,
            }

    @property
    def description(self) -> str:
        return self.info.description

    @property
    def order(self) -> str:
        return self.info.order

    @property
    def rec_name(self) -> str:
        if self.info.rec_name in self.fields:
            return self.info.rec_name
        return "name" if "name" in self.fields else "id"

    @property
    def parent_name(self) -> str | None:
        p = self.info.parent_name or "parent_id"
        f = self.fields.get(p)
        if f and f.get("type") == "many2one" and f.get("relation") == self.name:
            return p
        return None

    @property
    def has_active(self) -> bool:
        return self.fields.get("active", {}).get("type") == "boolean"

    def ftype(self, fname: str) -> str:
        return str(self.fields[fname].get("type", "char"))

    def touch(self) -> None:
        self.version += 1

    def insert(self, row: dict[str, Any]) -> int:
        rid = row.get("id")
        if not isinstance(rid, int) or rid <= 0:
            rid = self.next_id
        row["id"] = rid
        self.put(rid, row)
        self.next_id = max(self.next_id, rid + 1)
        self.touch()
        return rid

    def put(self, rid: int, row: dict[str, Any]) -> None:
        """Store ``row`` under ``rid`` (a new id, or a row replacing the one stored)."""
        if rid not in self.rows:
            known = self._sorted_ids
            if self.rows and rid < max(self.next_id - 1, known[-1] if known else 0):
                self.id_ordered = False  # dict order no longer follows ids
                self._sorted_ids = None
            elif known is not None:
                known.append(rid)
        self.rows[rid] = row

    def drop(self, rid: int) -> None:
        """Forget row ``rid`` (if stored)."""
        if self.rows.pop(rid, None) is not None:
            self._sorted_ids = None

    def delete(self, ids: Iterable[int]) -> None:
        for rid in ids:
            self.drop(rid)
        self.touch()

    def sorted_ids(self) -> list[int]:
        """Every id in ascending order (cached until a record is deleted or inserted below
        the highest id; appending keeps it), for bisecting ``id`` ranges."""
        if self._sorted_ids is None:
            ids = list(self.rows)
            if not self.id_ordered:
                ids.sort()
            self._sorted_ids = ids
        return self._sorted_ids

    def ids(self) -> list[int]:
        return list(self.rows)
