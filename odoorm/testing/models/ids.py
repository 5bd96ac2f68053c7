"""Record ids sent as strings (``read(["1"])``), as each Odoo version treats them.

Odoo's ORM keeps such an id as the string it got: the database answers with the integer,
which is not the record asked for. What the client sees (measured on the lab's 16-19, every
protocol alike):

* 16: reading or writing a string id that exists is an AccessError ("Database fetch misses
  ids ..."); one that does not exist is left out of a read, and MissingError elsewhere.
* 17-19: a read leaves the string ids out (the first stored field read for them fails and
  the row is skipped), except when it asks only for ``has_message``, which Odoo computes
  with SQL over the ids themselves (a psycopg2 error when all of them are strings); a write,
  an unlink, a copy or a custom method is a MissingError naming the first string id.
* a string in a many2one value: 16-18 write an empty value (``True`` is answered, the link
  is gone), 19 refuses with MissingError on the target; ``create`` and domains convert it.
"""

from __future__ import annotations

from typing import Any

from odoorm.testing import errors
from odoorm.testing._api import DB, ModelHooks
from odoorm.testing.store import Table

#: methods that read the records they get, and leave out those they cannot find
READING = frozenset({"read", "exists", "web_read", "name_get"})
#: non-stored fields Odoo computes with SQL over the record ids (mail.thread)
SQL_COMPUTED = frozenset({"has_message"})


def _as_list(ids: Any) -> list[Any]:
    if ids is None or ids is False:
        return []
    return [ids] if isinstance(ids, (int, str)) else list(ids)


def _missing(table: Table, sid: str, uid: int) -> errors.MissingError:
    return errors.MissingError(
        f"Record does not exist or has been deleted.\n(Record: {table.name}({sid!r},), User: {uid})"
    )


def _fetch_mismatch(found: list[str]) -> errors.AccessError:
    asked = tuple(found)
    got = tuple(int(s) for s in found)
    return errors.AccessError(
        f"Database fetch misses ids ({asked!r}) and has extra ids ({got!r}), "
        "may be caused by a type incoherence in a previous request"
    )


def _exists(table: Table, sid: str) -> bool:
    return sid.isdigit() and int(sid) in table.rows


def record_ids_16(db: DB, table: Table, method: str, ids: Any, bound: dict[str, Any]) -> Any:
    given = _as_list(ids)
    strings = [i for i in given if isinstance(i, str)]
    if not strings:
        return ids
    existing = [s for s in strings if _exists(table, s)]
    if method == "exists":
        return [i for i in given if not isinstance(i, str)]
    if existing:
        raise _fetch_mismatch(existing)
    if method in READING:
        return [i for i in given if not isinstance(i, str)]
    raise _missing(table, strings[0], db.uid)


def _computes_first(table: Table, bound: dict[str, Any]) -> bool:
    """Whether Odoo computes a SQL field for the string ids before it reads a stored field
    (which makes it skip them): fields are read in the order asked (all: ``fields_get``'s)."""
    for fname in bound.get("fields") or list(table.fields):
        if fname in SQL_COMPUTED and table.fields.get(fname, {}).get("store") is False:
            return True
        if table.fields.get(fname, {}).get("store", True) is not False or fname == "display_name":
            return False  # display_name is computed from stored fields: it skips them too
    return False


def record_ids_17(db: DB, table: Table, method: str, ids: Any, bound: dict[str, Any]) -> Any:
    given = _as_list(ids)
    strings = [i for i in given if isinstance(i, str)]
    if not strings:
        return ids
    if method not in READING:
        raise _missing(table, strings[0], db.uid)
    if method == "read" and len(strings) == len(given) and _computes_first(table, bound):
        listed = ",".join(f"'{s}'" for s in strings)
        raise errors.DatabaseError(
            "UndefinedFunction",
            "operator does not exist: integer = text\n"
            f"LINE 4:              WHERE res_id = any(ARRAY[{listed}])\n"
            "                                  ^\n"
            "HINT:  No operator matches the given name and argument types. "
            "You might need to add explicit type casts.\n",
        )
    return [i for i in given if not isinstance(i, str)]


def many2one_16(db: DB, table: Table, fname: str, value: str) -> Any:
    return False


def many2one_19(db: DB, table: Table, fname: str, value: str) -> Any:
    comodel = db.tables.get(str(table.fields[fname].get("relation")))
    if comodel is None:
        return False
    raise _missing(comodel, value, db.uid)


IDS_16 = ModelHooks(record_ids=record_ids_16, string_many2one=many2one_16, until=16)
IDS_17_18 = ModelHooks(record_ids=record_ids_17, string_many2one=many2one_16, since=17, until=18)
IDS_19 = ModelHooks(record_ids=record_ids_17, string_many2one=many2one_19, since=19)
