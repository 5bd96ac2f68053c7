"""The public model methods as Odoo exposes them over RPC (``search``, ``read``, ...).

Each function takes the database, the table, the ids (record methods) and the named
parameters of the real Odoo method; :data:`IMPLEMENTATIONS` maps method names to them and
:data:`SIGNATURES` lists their parameters for binding and ``/doc-bearer``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from odoorm.testing import behaviours, errors
from odoorm.testing import read_group as grouping
from odoorm.testing._api import Service
from odoorm.testing.store import X2MANY, Table, m2o_id


def _limit(limit: Any) -> int | None:
    if limit in (None, False):
        return None
    return int(limit)


def _paging(db: Service, offset: Any, limit: Any) -> tuple[int, int | None]:
    """(offset, limit) as the database takes them: negative values are PostgreSQL errors;
    Odoo 16 formats them into the SQL with ``%d`` (a string is a TypeError)."""
    if db.version <= 16:
        for value in (limit, offset):
            if isinstance(value, str):
                raise errors.type_error("%d format: a real number is required, not str")
    start, lim = int(offset or 0), _limit(limit)
    if lim is not None and lim < 0:
        raise errors.DatabaseError("InvalidRowCountInLimitClause", "LIMIT must not be negative\n")
    if start < 0:
        raise errors.DatabaseError(
            "InvalidRowCountInResultOffsetClause", "OFFSET must not be negative\n"
        )
    return start, lim


# -- search family ---------------------------------------------------------------------
#: ``order="id"`` / ``order="id desc"`` (NULLs placement is moot: ids are never NULL)
_BY_ID = (
    [("id", False, True)],
    [("id", True, False)],
    [("id", False, False)],
    [("id", True, True)],
)


def _search_rows(
    db: Service, table: Table, domain: Any, offset: Any = 0, limit: Any = None, order: Any = None
) -> list[dict[str, Any]]:
    start, lim = _paging(db, offset, limit)
    if lim is not None and (terms := db.parse_order(table, order)) in _BY_ID:
        # a page in id order: scan the ids in that order and stop once the page is full
        return db.filtered_rows(table, domain, stop=start + lim, descending=terms[0][1])[start:]
    rows = db.filtered_rows(table, domain)
    rows = db.sort_rows(table, rows, order or None)
    return rows[start : start + lim] if lim is not None else rows[start:]


def search(
    db: Service, table: Table, domain: Any, offset: Any = 0, limit: Any = None, order: Any = None
) -> list[int]:
    return [r["id"] for r in _search_rows(db, table, domain, offset, limit, order)]


def search_count(db: Service, table: Table, domain: Any, limit: Any = None) -> int:
    n = len(db.filtered_rows(table, domain))
    lim = _limit(limit)
    return min(n, lim) if lim is not None else n


def search_read(
    db: Service,
    table: Table,
    domain: Any = None,
    fields: Any = None,
    offset: Any = 0,
    limit: Any = None,
    order: Any = None,
    load: Any = "_classic_read",
) -> list:
    fnames = list(fields) if fields else db.default_read_fields(table)
    db.check_fields(table, fnames)
    rows = _search_rows(db, table, domain, offset, limit, order)
    return db.read_rows(table, rows, fnames, load)


def read(
    db: Service, table: Table, ids: list[int], fields: Any = None, load: Any = "_classic_read"
) -> list:
    fnames = list(fields) if fields else db.default_read_fields(table)
    db.check_fields(table, fnames)
    rows = [table.rows[i] for i in dict.fromkeys(db.as_ids(ids)) if i in table.rows]
    return db.read_rows(table, rows, fnames, load)


# -- writes -----------------------------------------------------------------------------
def create(db: Service, table: Table, vals_list: Any) -> Any:
    if isinstance(vals_list, dict):
        return db.create_records(table, [vals_list])[0]
    if not isinstance(vals_list, (list, tuple)):
        raise errors.type_error(f"create() expects a dict or a list of dicts, got {vals_list!r}")
    return db.create_records(table, list(vals_list))


def write(db: Service, table: Table, ids: list[int], vals: Any) -> bool:
    return db.write_records(table, ids, vals)


def unlink(db: Service, table: Table, ids: list[int]) -> bool:
    return db.unlink_records(table, ids)


def copy(db: Service, table: Table, ids: list[int], default: Any = None) -> Any:
    new = [db.copy_record(table, rid, default) for rid in db.as_ids(ids)]
    if db.version <= 17:
        return new[0] if len(new) == 1 else new
    return new


def exists(db: Service, table: Table, ids: list[int]) -> list[int]:
    return [i for i in db.as_ids(ids) if i in table.rows]


# -- introspection ---------------------------------------------------------------------------
def fields_get(db: Service, table: Table, allfields: Any = None, attributes: Any = None) -> dict:
    names = list(allfields) if allfields else list(table.fields)
    out: dict[str, Any] = {}
    for f in names:
        d = table.fields.get(f)
        if d is None:
            continue
        if attributes:
            out[f] = {a: d[a] for a in attributes if a in d}
            if db.version <= 17 and d.get("searchable") is False:
                out[f]["searchable"] = False  # 17 reports it whatever was asked
        else:
            out[f] = dict(d)
    return out


def default_get(db: Service, table: Table, fields_list: Any = None, fields: Any = None) -> dict:
    # the parameter is ``fields_list`` up to 18 and ``fields`` from 19 (see signature_of)
    names = fields if fields is not None else fields_list
    return behaviours.default_get(db, table, list(names or []))


def context_get(db: Service, table: Table) -> dict:
    """``res.users.context_get``: the caller's language, time zone and uid."""
    users = db.tables.get("res.users")
    user = users.rows.get(db.uid, {}) if users else {}
    partners = db.tables.get("res.partner")
    partner = (partners.rows.get(m2o_id(user.get("partner_id")) or 0) if partners else None) or {}
    return {
        "lang": user.get("lang") or partner.get("lang") or "en_US",
        "tz": user.get("tz") or partner.get("tz") or False,
        "uid": db.uid,
    }


def check_access_rights(
    db: Service, table: Table, operation: str, raise_exception: bool = True
) -> bool:
    ok = db.allowed(table.name, operation)
    if not ok and raise_exception:
        raise db.access_error(table, operation)
    return ok


def name_search(
    db: Service,
    table: Table,
    name: Any = "",
    domain: Any = None,
    operator: str = "ilike",
    limit: Any = 100,
    args: Any = None,
) -> list:
    dom = list(domain or args or [])
    if name:
        ids = db.name_search_ids(table.name, name, operator)
        dom = [("id", "in", sorted(ids)), *dom]
    rows = _search_rows(db, table, dom, 0, limit, None)
    return [[r["id"], db.display_name(table, r)] for r in rows]


def name_create(db: Service, table: Table, name: str) -> list:
    rid = db.create_records(table, [{table.rec_name: name}])[0]
    return [rid, db.display_name(table, table.rows[rid])]


def name_get(db: Service, table: Table, ids: list[int]) -> list:
    return [[i, db.display_name(table, table.rows[i])] for i in db.as_ids(ids) if i in table.rows]


# -- web_* ---------------------------------------------------------------------------------
def web_search_read(
    db: Service,
    table: Table,
    domain: Any = None,
    specification: dict | None = None,
    offset: Any = 0,
    limit: Any = None,
    order: Any = None,
    count_limit: Any = None,
    fields: Any = None,
) -> dict:
    """17+: records shaped by ``specification``; 16 takes ``fields`` as search_read does."""
    rows = _search_rows(db, table, domain, offset, limit, order)
    if db.version <= 16:
        fnames = list(fields) if fields else db.default_read_fields(table)
        db.check_fields(table, fnames)
        records = db.read_rows(table, rows, fnames)
    else:
        records = _web_rows(db, table, rows, specification or {})
    if not rows:
        # Odoo answers 0 for an empty page, even past the end of a non-empty result
        return {"length": 0, "records": []}
    lim = _limit(limit)
    length = len(rows) + int(offset or 0)
    count_limit_reached = bool(count_limit) and int(count_limit) <= length
    forced = bool(db._ctx.get("force_search_count"))
    if lim and ((len(rows) == lim and not count_limit_reached) or forced):
        length = search_count(db, table, domain, count_limit)
    return {"length": length, "records": records}


def web_read(db: Service, table: Table, ids: list[int], specification: dict) -> list:
    rows = [table.rows[i] for i in db.existing(table, ids)]
    return _web_rows(db, table, rows, specification or {})


def _web_rows(db: Service, table: Table, rows: list[dict], spec: dict) -> list[dict]:
    db.check_fields(table, spec)
    out = []
    for row in rows:
        rec: dict[str, Any] = {"id": row["id"]}
        for f, sub in spec.items():
            if f == "id":
                continue
            sub = sub or {}
            ftype = table.fields[f].get("type")
            comodel = db.tables.get(table.fields[f].get("relation", ""))
            if ftype == "many2one":
                rid = m2o_id(row.get(f))
                if rid is None:
                    rec[f] = False
                elif "fields" not in sub:
                    rec[f] = rid
                elif comodel is None or rid not in comodel.rows:
                    rec[f] = {
                        "id": rid,
                        **(
                            {"display_name": db.name_of(table.fields[f].get("relation", ""), rid)}
                            if "display_name" in (sub["fields"] or {})
                            else {}
                        ),
                    }
                else:
                    rec[f] = _web_rows(db, comodel, [comodel.rows[rid]], sub["fields"] or {})[0]
            elif ftype in X2MANY:
                ids = db.x2many_read(table, row, f)
                if "fields" in sub and comodel is not None:
                    subrows = [comodel.rows[i] for i in ids if i in comodel.rows]
                    if sub.get("order"):
                        subrows = db.sort_rows(comodel, subrows, sub["order"])
                    if sub.get("limit"):
                        subrows = subrows[: int(sub["limit"])]
                    rec[f] = _web_rows(db, comodel, subrows, sub["fields"] or {})
                else:
                    rec[f] = ids
            else:
                rec[f] = db.value_out(table, row, f)
        out.append(rec)
    return out


# -- grouping --------------------------------------------------------------------------------
def read_group(
    db: Service,
    table: Table,
    domain: Any,
    fields: Any,
    groupby: Any,
    offset: Any = 0,
    limit: Any = None,
    orderby: Any = False,
    lazy: Any = True,
) -> list:
    return grouping.read_group(db, table, domain, fields, groupby, offset, limit, orderby, lazy)


def formatted_read_group(
    db: Service,
    table: Table,
    domain: Any,
    groupby: Any = (),
    aggregates: Any = (),
    having: Any = (),
    offset: Any = 0,
    limit: Any = None,
    order: Any = None,
) -> list:
    return grouping.formatted_read_group(
        db, table, domain, groupby, aggregates, offset, limit, order
    )


#: methods that exist on one model only
ONLY_ON: dict[str, str] = {"context_get": "res.users"}

#: method -> (parameter names after ids/self, required names, model_method, access operation)
#: (17/18 names; :func:`signature_of` applies the renames of later versions)
SIGNATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool, str | None]] = {
    "search": (("domain", "offset", "limit", "order"), ("domain",), True, "read"),
    "search_count": (("domain", "limit"), ("domain",), True, "read"),
    "search_read": (("domain", "fields", "offset", "limit", "order", "load"), (), True, "read"),
    "read": (("fields", "load"), (), False, "read"),
    "create": (("vals_list",), ("vals_list",), True, "create"),
    "write": (("vals",), ("vals",), False, "write"),
    "unlink": ((), (), False, "unlink"),
    "copy": (("default",), (), False, "create"),
    "exists": ((), (), False, "read"),
    "fields_get": (("allfields", "attributes"), (), True, None),
    "default_get": (("fields_list",), ("fields_list",), True, None),
    "check_access_rights": (("operation", "raise_exception"), ("operation",), True, None),
    "context_get": ((), (), True, None),
    "name_search": (("name", "domain", "operator", "limit"), (), True, "read"),
    "name_create": (("name",), ("name",), True, "create"),
    "web_search_read": (
        ("domain", "specification", "offset", "limit", "order", "count_limit"),
        ("domain", "specification"),
        True,
        "read",
    ),
    "web_read": (("specification",), ("specification",), False, "read"),
    "read_group": (
        ("domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"),
        ("domain", "fields", "groupby"),
        True,
        "read",
    ),
    "formatted_read_group": (
        ("domain", "groupby", "aggregates", "having", "offset", "limit", "order"),
        (),
        True,
        "read",
    ),
    "name_get": ((), (), False, "read"),
}

Signature = tuple[tuple[str, ...], tuple[str, ...], bool, str | None]

#: parameters renamed by a version: (method, first version) -> signature from that version on
_RENAMED: dict[tuple[str, int], Signature] = {
    # 16: no specification yet, the fields to read as in search_read
    ("web_search_read", 0): (
        ("domain", "fields", "offset", "limit", "order", "count_limit"),
        (),
        True,
        "read",
    ),
    ("web_search_read", 17): SIGNATURES["web_search_read"],
    ("default_get", 19): (("fields",), ("fields",), True, None),
}

#: methods whose argument errors name their class on 16 (``Base.web_search_read()``)
QUALIFIED_16 = frozenset({"web_search_read"})


def signature_of(method: str, version: int) -> Signature:
    """The :data:`SIGNATURES` entry of ``method`` as Odoo ``version`` declares it."""
    found = SIGNATURES[method]
    for (name, since), sig in _RENAMED.items():
        if name == method and version >= since:
            found = sig
    return found


#: method name -> its implementation (one per :data:`SIGNATURES` entry)
IMPLEMENTATIONS: dict[str, Callable[..., Any]] = {
    "search": search,
    "search_count": search_count,
    "search_read": search_read,
    "read": read,
    "create": create,
    "write": write,
    "unlink": unlink,
    "copy": copy,
    "exists": exists,
    "fields_get": fields_get,
    "default_get": default_get,
    "check_access_rights": check_access_rights,
    "context_get": context_get,
    "name_search": name_search,
    "name_create": name_create,
    "web_search_read": web_search_read,
    "web_read": web_read,
    "read_group": read_group,
    "formatted_read_group": formatted_read_group,
    "name_get": name_get,
}
