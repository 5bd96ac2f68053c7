"""Record-level machinery shared by the ORM methods: searching, ordering, display names,
x2many resolution and wire formatting of values."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Any

from odoorm.testing import errors, translations
from odoorm.testing.clock import Clock
from odoorm.testing.domain_eval import check_syntax, compile_domain, id_bounds, mentions_field
from odoorm.testing.modelinfo import REC_NAMES_SEARCH, X2MANY_DOMAINS
from odoorm.testing.store import X2MANY, Table, collate_key, empty_value, m2o_id

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

Row = dict[str, Any]
_ORDER_TERM = re.compile(r"^\s*([\w.:]+)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$", re.I)


def _flip_nulls(keyf: Any) -> Any:
    """A sort key (``(1, 0)`` for NULL, ``(0, value)`` otherwise) with NULLs put first."""

    def key(r: Row) -> tuple:
        k = keyf(r)
        return (1 - k[0], k[1])

    return key


class RecordsMixin:
    """Reading side of the database: tables, searching, ordering, names and x2many values.

    The subclass sets ``version`` and, per call, ``_ctx``."""

    version: int
    clock: Clock
    _ctx: dict[str, Any]
    #: codes of the active languages (kept by models/lang.py)
    languages: set[str]

    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}
        #: names of many2one targets the data names but does not hold: (model, id) -> name
        self.ext_names: dict[tuple[str, int], str] = {}
        #: (model, field) of each many2many computed from its pair -> (owner model, field)
        self.m2m_pairs: dict[tuple[str, str], tuple[str, str]] = {}
        #: tax id -> rate, learnt from the loaded order lines (sale.order.line's after_load)
        self.tax_rates: dict[int, float] = {}
        #: (model, field) -> ``compute(db, table, row)`` of fields computed when read
        self.read_computed: dict[tuple[str, str], Callable[..., Any]] = {}
        # caches keyed on Table.version, so any change of a table invalidates them
        self._rank_cache: dict[tuple[str, int], dict[int, int]] = {}
        self._inverse_cache: dict[tuple[str, str, int], dict[int, list[int]]] = {}
        self._m2m_cache: dict[tuple[str, str, int], dict[int, list[int]]] = {}

    # -- tables -------------------------------------------------------------------------
    def table(self, model: str) -> Table:
        t = self.tables.get(model)
        if t is None:
            raise errors.UnknownModel(model)
        return t

    def active_test(self) -> bool:
        return self._ctx.get("active_test", True) is not False

    # -- searching ----------------------------------------------------------------------
    def filtered_rows(
        self,
        table: Table,
        domain: Any,
        active_test: bool | None = None,
        stop: int | None = None,
        descending: bool = False,
    ) -> list[Row]:
        """Rows matching ``domain`` (with the active_test rule). With ``stop``, the rows are
        scanned in id order (``descending`` or not) and the scan ends after that many
        matches. ``id`` comparisons ANDed at the top of the domain (``id > last``, ``id in
        ids``) bisect the sorted ids, so a keyset page costs O(page), not O(table)."""
        if active_test is None:
            active_test = self.active_test()
        check_syntax(domain, self.version)
        dom = list(domain or [])
        if active_test and table.has_active and not mentions_field(dom, "active"):
            dom = [("active", "=", True), *dom] if dom else [("active", "=", True)]
        pred = compile_domain(self, table, dom, active_test)
        candidates = self._candidates(table, dom, ordered=stop is not None, descending=descending)
        if stop is None:
            return [r for r in candidates if pred(r)]
        out: list[Row] = []
        for r in candidates:
            if pred(r):
                out.append(r)
                if len(out) >= stop:
                    break
        return out

    def _candidates(
        self, table: Table, dom: list, ordered: bool, descending: bool
    ) -> Iterable[Row]:
        """The rows the ``id`` leaves of ``dom`` leave possible (all without such leaves),
        in id order when ``ordered``, lazily, so a scan that stops early pays for what it
        reads."""
        rows = table.rows
        bounds = id_bounds(dom)
        if bounds is None:
            if not ordered or (table.id_ordered and not descending):
                return rows.values()
            ids: Sequence[int] = table.sorted_ids()
            return (rows[i] for i in (reversed(ids) if descending else ids))
        low, high, only = bounds
        if only is not None:
            picked = sorted((i for i in only if low <= i <= high and i in rows), reverse=descending)
            return [rows[i] for i in picked]
        ids = table.sorted_ids()
        start = bisect_left(ids, low) if low != float("-inf") else 0
        end = bisect_right(ids, high) if high != float("inf") else len(ids)
        span = range(end - 1, start - 1, -1) if descending else range(start, end)
        return (rows[ids[k]] for k in span)

    def search_ids(self, model: str, domain: list, active_test: bool = True) -> set[int]:
        table = self.table(model)
        return {r["id"] for r in self.filtered_rows(table, domain, active_test)}

    def name_search_ids(self, model: str, value: Any, operator: str) -> set[int]:
        table = self.tables.get(model)
        if table is None:
            return set()
        if operator in ("in", "not in") or isinstance(value, (list, tuple)):
            names = set(value if isinstance(value, (list, tuple)) else [value])
            return {rid for rid, r in table.rows.items() if self.display_name(table, r) in names}
        searched = REC_NAMES_SEARCH.get(model, (table.rec_name,))
        fields = [table.rec_name if f == "_rec_name" else f for f in searched]
        fields = [f for f in fields if f in table.fields]
        if not fields:
            fields = [table.rec_name]
        dom: list[Any] = ["|"] * (len(fields) - 1) + [(f, operator, value) for f in fields]
        return {r["id"] for r in self.filtered_rows(table, dom, active_test=False)}

    # -- ordering -----------------------------------------------------------------------
    def parse_order(self, table: Table, order: str | None) -> list[tuple[str, bool, bool]]:
        """``order`` (or the model's ``_order``) as ``(field, descending, nulls_last)`` terms.

        A malformed term is Odoo's UserError; a well-formed term naming no field of the model
        is its ValueError, like ``_order_to_sql``."""
        spec = order or table.order
        terms: list[tuple[str, bool, bool]] = []
        for part in spec.split(","):
            m = _ORDER_TERM.match(part)  # an empty term ("name,") is malformed too
            if not m:
                raise errors.UserError(
                    f'Invalid "order" specified ({spec}). A valid "order" specification is a '
                    "comma-separated list of valid field names (optionally followed by asc/desc "
                    "for the direction)"
                )
            fname = m.group(1)
            if fname.split(".")[0].split(":")[0] not in table.fields:
                raise errors.value_error(f"Invalid field {fname!r} on model {table.name!r}")
            desc = (m.group(2) or "asc").lower() == "desc"
            # PostgreSQL's default: NULLs sort as the largest value (last asc, first desc)
            nulls_last = m.group(3).lower() == "last" if m.group(3) else not desc
            terms.append((fname, desc, nulls_last))
        return terms

    def sort_rows(
        self, table: Table, rows: list[Row], order: str | None, _depth: int = 0
    ) -> list[Row]:
        terms = self.parse_order(table, order)
        if not any(f == "id" for f, _, _ in terms):
            terms.append(("id", False, True))
        out = sorted(rows, key=lambda r: r["id"])
        for fname, desc, nulls_last in reversed(terms):
            keyf = self._sort_key(table, fname, _depth)
            if nulls_last == desc:
                # the key puts NULLs after values; an explicit NULLS FIRST/LAST against the
                # direction's default flips that
                keyf = _flip_nulls(keyf)
            out.sort(key=keyf, reverse=desc)
        return out

    def _sort_key(self, table: Table, fname: str, depth: int) -> Any:
        if fname == "id":
            return lambda r: (0, r["id"])
        link = table.delegated.get(fname)
        if link is not None:
            parent = self.tables[str(table.fields[link].get("relation"))]
            inner = self._sort_key(parent, fname, depth)
            prows = parent.rows

            def delegated_key(r: Row) -> tuple:
                prow = prows.get(m2o_id(r.get(link)) or 0)
                return (1, 0) if prow is None else inner(prow)

            return delegated_key
        field = table.fields.get(fname, {})
        ftype = field.get("type")
        if ftype == "many2one" and field.get("relation") in self.tables and depth < 3:
            ranks = self.ranks(self.tables[field["relation"]], depth + 1)
            big = len(ranks) + 1

            def m2o_key(r: Row) -> tuple:
                rid = m2o_id(r.get(fname))
                return (1, 0) if rid is None else (0, ranks.get(rid, big))

            return m2o_key
        if fname == "display_name":
            return lambda r: (0, collate_key(self.display_name(table, r)))
        if ftype in ("char", "text", "html", "selection"):
            implicit = table.implicit.get(fname)

            def text_key(r: Row) -> tuple:
                v = r.get(fname, implicit)
                return (1, 0) if v is False or v is None else (0, collate_key(str(v)))

            return text_key
        if ftype == "boolean":
            return lambda r: (0, bool(r.get(fname)))
        if ftype in ("integer", "float", "monetary", "many2one_reference"):
            return lambda r: (0, r.get(fname) or 0)

        def plain_key(r: Row) -> tuple:
            v = r.get(fname)
            return (1, 0) if v is False or v is None else (0, v)

        return plain_key

    def ranks(self, table: Table, depth: int = 0) -> dict[int, int]:
        """Position of every row of ``table`` in its default order (cached per version)."""
        cache = self._rank_cache
        key = (table.name, table.version)
        found = cache.get(key)
        if found is None:
            ordered = self.sort_rows(table, list(table.rows.values()), None, depth)
            found = {r["id"]: i for i, r in enumerate(ordered)}
            cache[key] = found
        return found

    # -- display names and relations ------------------------------------------------------
    def parent_row(self, table: Table, row: Row, link: str) -> Row | None:
        """The ``_inherits`` parent record that ``row`` delegates to through ``link``."""
        parent = self.tables.get(str(table.fields[link].get("relation")))
        return None if parent is None else parent.rows.get(m2o_id(row.get(link)) or 0)

    def display_name(self, table: Table, row: Row) -> str:
        if table.rec_name in table.delegated:
            prow = self.parent_row(table, row, table.delegated[table.rec_name])
            name = prow.get(table.rec_name) if prow is not None else None
            return name if isinstance(name, str) else f"{table.name},{row['id']}"
        dn = row.get("display_name")
        if isinstance(dn, str) and (dn or row.get(table.rec_name) == ""):
            return dn
        v = row.get(table.rec_name)
        if isinstance(v, str):
            return v
        return f"{table.name},{row['id']}"

    def name_of(self, model: str, rid: int) -> str:
        table = self.tables.get(model)
        row = table.rows.get(rid) if table else None
        if row is not None and table is not None:
            return self.display_name(table, row)
        return self.ext_names.get((model, rid), f"{model},{rid}")

    def inverse_index(self, comodel: Table, inverse: str) -> dict[int, list[int]]:
        cache = self._inverse_cache
        key = (comodel.name, inverse, comodel.version)
        idx = cache.get(key)
        if idx is None:
            idx = {}
            for rid, r in comodel.rows.items():
                pid = m2o_id(r.get(inverse))
                if pid is not None:
                    idx.setdefault(pid, []).append(rid)
            cache[key] = idx
        return idx

    def inverse_of(self, table: Table, fname: str) -> tuple[Table, str] | None:
        """(comodel table, many2one name) when one2many ``fname`` is computed from its inverse."""
        field = table.fields[fname]
        if field.get("type") != "one2many":
            return None
        comodel = self.tables.get(field.get("relation", ""))
        inverse = field.get("relation_field")
        if comodel is None or not inverse or inverse not in comodel.fields:
            return None
        return comodel, inverse

    def m2m_owner(self, table: Table, fname: str) -> tuple[Table, str] | None:
        """(owner table, owner field) when many2many ``fname`` is the side of a pair that is
        computed from the other one (both name one relation table in Odoo)."""
        found = self.m2m_pairs.get((table.name, fname))
        if found is None or found[0] not in self.tables:
            return None
        return self.tables[found[0]], found[1]

    def m2m_index(self, owner: Table, fname: str) -> dict[int, list[int]]:
        """target id -> owner ids whose many2many ``fname`` holds it (cached per version)."""
        cache = self._m2m_cache
        key = (owner.name, fname, owner.version)
        idx = cache.get(key)
        if idx is None:
            idx = {}
            for rid, r in owner.rows.items():
                for target in r.get(fname) or ():
                    idx.setdefault(target, []).append(rid)
            cache[key] = idx
        return idx

    def x2many_ids(self, table: Table, row: Row, fname: str) -> list[int]:
        inv = self.inverse_of(table, fname)
        if inv is not None:
            return list(self.inverse_index(*inv).get(row["id"], ()))
        owner = self.m2m_owner(table, fname)
        if owner is not None:
            return list(self.m2m_index(*owner).get(row["id"], ()))
        return list(row.get(fname) or [])

    def x2many_read(self, table: Table, row: Row, fname: str) -> list[int]:
        """The ids Odoo returns: existing, active (unless active_test=False), in comodel order."""
        ids = self.x2many_ids(table, row, fname)
        comodel = self.tables.get(table.fields[fname].get("relation", ""))
        if comodel is None or not ids:
            return ids
        rows = comodel.rows
        # the field's domain (child_ids: active only) holds even with active_test=False
        active = comodel.has_active and (
            self.active_test() or (table.name, fname) in X2MANY_DOMAINS
        )
        ids = [i for i in ids if i in rows and (not active or rows[i].get("active", True))]
        if len(ids) > 1:
            ranks = self.ranks(comodel)
            ids.sort(key=lambda i: ranks.get(i, 0))
        return ids

    # -- wire formatting ----------------------------------------------------------------
    def check_fields(self, table: Table, fnames: Iterable[str]) -> None:
        for f in fnames:
            if f not in table.fields:
                where = f"'{table.name}'" if self.version >= 19 else f"model '{table.name}'"
                raise errors.value_error(f"Invalid field {f!r} on {where}")

    def value_out(
        self, table: Table, row: Row, fname: str, load: str | None = "_classic_read"
    ) -> Any:
        if fname == "id":
            return row["id"]
        if fname == "display_name":
            return translations.display_name(self, table, row, self.display_name(table, row))
        link = table.delegated.get(fname)
        if link is not None:
            parent = self.tables[str(table.fields[link].get("relation"))]
            prow = parent.rows.get(m2o_id(row.get(link)) or 0)
            if prow is None:
                return empty_value(str(table.fields[fname].get("type", "char")))
            return self.value_out(parent, prow, fname, load)
        compute = self.read_computed.get((table.name, fname)) or self.read_computed.get(
            ("*", fname)
        )
        field = table.fields[fname]
        if compute is not None:
            value = compute(self, table, row)
            if field.get("type") == "many2one" and type(value) is int:
                # a computed many2one gives an id: shaped here as the load asks
                if load != "_classic_read":
                    return value
                return [value, self.name_of(field.get("relation", ""), value)]
            return value
        ftype = field.get("type", "char")
        if ftype == "many2one":
            rid = m2o_id(row.get(fname))
            if rid is None:
                return False
            if load != "_classic_read":
                return rid
            return [rid, self.name_of(field.get("relation", ""), rid)]
        if ftype in X2MANY:
            return self.x2many_read(table, row, fname)
        v = row.get(fname, None)
        if v is None:
            v = table.implicit.get(fname)
            if v is None:
                return empty_value(ftype)
        return translations.read(self, table, row, fname, v) if field.get("translate") else v

    def read_rows(
        self, table: Table, rows: list[Row], fnames: list[str], load: str | None = "_classic_read"
    ) -> list[dict[str, Any]]:
        out = []
        names = [f for f in fnames if f != "id"]
        for r in rows:
            rec: dict[str, Any] = {"id": r["id"]}
            for f in names:
                rec[f] = self.value_out(table, r, f, load)
            out.append(rec)
        return out

    def default_read_fields(self, table: Table) -> list[str]:
        """``read`` without ``fields``: every field but heavy binary/internal ones."""
        return [
            f
            for f, d in table.fields.items()
            if d.get("type") not in ("binary",) or f in ("datas",)
        ]
