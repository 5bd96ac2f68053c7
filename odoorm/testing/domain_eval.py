"""Odoo domains compiled to Python predicates over rows of a :class:`~odoorm.testing.store.Table`.

The domain is parsed and validated once; sub-queries (dotted paths, ``any``, name searches,
``child_of``) are resolved once to id sets, so evaluating the predicate over N rows is O(N).
Semantics follow Odoo's SQL translation: ``False`` means NULL (and 0 on numbers from 18 on),
negative operators also match NULL, ``like``/``ilike`` wrap the value in ``%``, ``_``/``%`` are
wildcards and ``\\`` escapes, an empty pattern matches everything.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection
from typing import Any, Protocol

from odoorm.testing import errors
from odoorm.testing.clock import Clock
from odoorm.testing.modelinfo import X2MANY_DOMAINS
from odoorm.testing.store import X2MANY, Table, m2o_id

Row = dict[str, Any]
Pred = Callable[[Row], bool]

OPERATORS = frozenset(
    {
        "=",
        "!=",
        "<",
        ">",
        "<=",
        ">=",
        "in",
        "not in",
        "like",
        "not like",
        "ilike",
        "not ilike",
        "=like",
        "=ilike",
        "child_of",
        "parent_of",
        "any",
        "not any",
        "<>",
        "==",
    }
)
NEGATIVE = {"!=": "=", "not in": "in", "not like": "like", "not ilike": "ilike", "not any": "any"}
LIKE_OPS = frozenset({"like", "ilike", "=like", "=ilike"})


class Env(Protocol):
    """What the compiler needs from the database."""

    version: int

    def table(self, model: str) -> Table: ...
    def search_ids(self, model: str, domain: list, active_test: bool = True) -> set[int]: ...
    def name_search_ids(self, model: str, value: Any, operator: str) -> set[int]: ...
    def x2many_ids(self, table: Table, row: Row, fname: str) -> list[int]: ...
    @property
    def clock(self) -> Clock: ...


def _leaf_repr(leaf: Any) -> str:
    return repr(tuple(leaf)) if isinstance(leaf, (list, tuple)) else repr(leaf)


def invalid_leaf(leaf: Any, version: int = 18) -> errors.PythonError:
    if version >= 19:
        return errors.value_error(f"Invalid operator in condition {_leaf_repr(leaf)}")
    return errors.value_error(f"Invalid leaf {_leaf_repr(leaf)}")


def invalid_field(env: Env, model: str, path: str, leaf: Any) -> errors.PythonError:
    word = "condition" if env.version >= 19 else "leaf"
    return errors.value_error(f"Invalid field {model}.{path} in {word} {_leaf_repr(leaf)}")


def is_leaf(item: Any) -> bool:
    return isinstance(item, (list, tuple)) and len(item) == 3 and not isinstance(item, str)


def parse(domain: Any) -> Any:
    """Prefix-notation domain -> tree of ("&"|"|", a, b), ("!", a), leaf tuples, True."""
    if domain in (None, False):
        return True
    if not isinstance(domain, (list, tuple)):
        raise errors.value_error(f"Invalid domain {domain!r}: expected a list of conditions")
    items = list(domain)
    if not items:
        return True
    stack: list[Any] = []
    for item in reversed(items):
        if item in ("&", "|"):
            if len(stack) < 2:
                raise errors.value_error(
                    f"Invalid domain {list(domain)!r}: {item!r} needs two operands"
                )
            a, b = stack.pop(), stack.pop()
            stack.append((item, a, b))
        elif item == "!":
            if not stack:
                raise errors.value_error(f"Invalid domain {list(domain)!r}: '!' needs an operand")
            stack.append(("!", stack.pop()))
        elif is_leaf(item):
            stack.append(("leaf", tuple(item)))
        elif item is True or item is False:
            stack.append(("leaf", (1, "=", 1) if item else (0, "=", 1)))
        else:
            raise invalid_leaf(item)
    node = stack.pop()
    while stack:  # implicit AND between top-level terms
        node = ("&", node, stack.pop())
    return node


def _malformed(domain: Any, version: int) -> errors.PythonError:
    if version >= 19:
        return errors.value_error(f"Domain() malformed domain {domain!r}")
    if version >= 17:
        return errors.value_error(f"Domain {domain!r} is syntactically not correct.")
    return errors.PythonError(
        "AssertionError", f"This domain is syntactically not correct: {domain!r}"
    )


def _bad_item(item: Any, version: int) -> errors.PythonError:
    if version >= 19:
        return errors.value_error(f"Domain() invalid item in domain: {item!r}")
    if version >= 17 and isinstance(item, (list, tuple)):
        if len(item) < 3:
            return errors.value_error(f"not enough values to unpack (expected 3, got {len(item)})")
        return errors.value_error("too many values to unpack (expected 3)")
    return invalid_leaf(item, version)


def check_syntax(domain: Any, version: int) -> None:
    """Refuse a domain whose shape is wrong (a leaf that is not a triple, an operator
    without its operands) with the error and message of Odoo ``version``."""
    if not isinstance(domain, (list, tuple)):
        return  # parse() says what is wrong
    expected = 1
    for item in domain:
        if expected == 0:  # leftover terms are ANDed implicitly
            expected = 1
        if item in ("&", "|"):
            expected += 1
        elif item == "!":
            pass
        elif is_leaf(item) or item is True or item is False:
            expected -= 1
        elif isinstance(item, (list, tuple)):
            raise _bad_item(item, version)
        else:
            continue  # parse() refuses it as an invalid leaf
    if domain and expected > 0:
        raise _malformed(domain, version)


def _and_leaves(domain: list) -> list[Any]:
    """The leaves of ``domain`` that every match must satisfy: those reached from the top
    through implicit or explicit ``&`` only (not under ``|`` or ``!``)."""
    out: list[Any] = []

    def walk(i: int, anded: bool) -> int:
        """Walk the expression starting at ``i``; returns the index after it."""
        if i >= len(domain):
            return i
        item = domain[i]
        if item in ("&", "|"):
            j = walk(i + 1, anded and item == "&")
            return walk(j, anded and item == "&")
        if item == "!":
            return walk(i + 1, False)
        if anded and is_leaf(item):
            out.append(item)
        return i + 1

    i = 0
    while i < len(domain):
        i = walk(i, True)
    return out


def _plain_id(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)


def id_bounds(domain: Any) -> tuple[float, float, frozenset[int] | None] | None:
    """What ``id`` leaves ANDed at the top of ``domain`` allow: ``(low, high, ids)``, every
    match having ``low <= id <= high`` and, when ``ids`` is a set, ``id in ids``; ``None``
    when no leaf narrows the ids. Leaves of other shapes are left to the predicate, so the
    answer is never narrower than the matches (it is only used to skip rows)."""
    if not isinstance(domain, (list, tuple)):
        return None
    low, high = float("-inf"), float("inf")
    ids: frozenset[int] | None = None
    narrowed = False
    for leaf in _and_leaves(list(domain)):
        field, op, value = leaf
        if field != "id":
            continue
        if op in (">", ">=", "<", "<=") and _plain_id(value):
            if op == ">":
                low = max(low, math.floor(value) + 1)
            elif op == ">=":
                low = max(low, math.ceil(value))
            elif op == "<":
                high = min(high, math.ceil(value) - 1)
            else:
                high = min(high, math.floor(value))
        elif op in ("=", "==") and isinstance(value, int) and not isinstance(value, bool):
            ids = frozenset({value}) if ids is None else ids & {value}
        elif (
            op == "in"
            and isinstance(value, (list, tuple))
            and all(v is False or v is None or _plain_id(v) for v in value)
        ):
            found = frozenset(int(v) for v in value if _plain_id(v) and v == int(v))
            ids = found if ids is None else ids & found
        else:
            continue
        narrowed = True
    return (low, high, ids) if narrowed else None


#: PostgreSQL's special date/time input words, which it reads in a date comparison
DATE_KEYWORDS = frozenset({"now", "today", "tomorrow", "yesterday"})


def date_keyword(word: str, today: dt.date, now: str) -> str:
    """The timestamp PostgreSQL reads for one of :data:`DATE_KEYWORDS` (UTC)."""
    if word == "now":
        return now
    days = {"today": 0, "tomorrow": 1, "yesterday": -1}[word]
    return f"{(today + dt.timedelta(days=days)).isoformat()} 00:00:00"


def mentions_field(domain: Any, fname: str) -> bool:
    """Whether a top-level leaf of ``domain`` is on ``fname`` (Odoo's active_test rule)."""
    return any(is_leaf(i) and i[0] == fname for i in (domain or []))


def like_regex(pattern: str, wrap: bool, icase: bool) -> re.Pattern[str]:
    """SQL LIKE semantics; ``wrap`` adds the ``%`` before escapes are read, as Odoo builds
    ``'%' + value + '%'`` (so a trailing backslash escapes the closing ``%``)."""
    if wrap:
        pattern = f"%{pattern}%"
    out = []
    it = iter(pattern)
    for ch in it:
        if ch == "\\":
            nxt = next(it, "\\")
            out.append(re.escape(nxt))
        elif ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        else:
            out.append(re.escape(ch))
    body = "".join(out)
    return re.compile(f"^{body}$", re.DOTALL | (re.IGNORECASE if icase else 0))


def _is_null(v: Any) -> bool:
    return v is False or v is None or v == ""


def _date_bound(value: str, op: str) -> tuple[str, str]:
    """A date-only string compared with a datetime field: the whole day counts."""
    day = dt.date.fromisoformat(value[:10])
    if op in (">", "<="):
        nxt = day + dt.timedelta(days=1)
        return (">=" if op == ">" else "<"), f"{nxt.isoformat()} 00:00:00"
    return op, f"{day.isoformat()} 00:00:00"


def _coerce(ftype: str, value: Any) -> Any:
    if ftype in ("integer", "float", "monetary") and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    if ftype == "datetime" and isinstance(value, str) and len(value) == 10:
        return f"{value} 00:00:00"
    return value


_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


class Compiler:
    def __init__(self, env: Env, table: Table, active_test: bool = True):
        self.env = env
        self.table = table
        self.active_test = active_test

    def compile(self, domain: Any) -> Pred:
        return self._node(parse(domain))

    def _node(self, node: Any) -> Pred:
        if node is True:
            return lambda r: True
        kind = node[0]
        if kind == "&":
            a, b = self._node(node[1]), self._node(node[2])
            return lambda r: a(r) and b(r)
        if kind == "|":
            a, b = self._node(node[1]), self._node(node[2])
            return lambda r: a(r) or b(r)
        if kind == "!":
            a = self._node(node[1])
            return lambda r: not a(r)
        return self._leaf(node[1])

    # -- leaves -------------------------------------------------------------------------
    def _leaf(self, leaf: tuple) -> Pred:
        path, op, value = leaf
        if not isinstance(op, str) or op.lower() not in OPERATORS:
            raise invalid_leaf(leaf, self.env.version)
        op = {"<>": "!=", "==": "="}.get(op.lower(), op.lower())
        if path in (0, 1) and not isinstance(path, bool) and op == "=" and value == 1:
            result = path == 1
            return lambda r: result
        if not isinstance(path, str):
            raise invalid_leaf(leaf, self.env.version)
        table = self.table
        fname, _, rest = path.partition(".")
        field = table.fields.get(fname)
        if field is None:
            raise invalid_field(self.env, table.name, path, leaf)
        link = table.delegated.get(fname)
        if link is not None:
            # a field of the _inherits parent: the records whose parent matches
            parent = str(table.fields[link].get("relation"))
            ids = self.env.search_ids(parent, [(path, op, value)], active_test=False)
            return lambda r: m2o_id(r.get(link)) in ids
        ftype = str(field.get("type"))
        if ftype == "many2one_reference":
            ftype = "integer"  # an integer whose model is named by another field
        comodel = field.get("relation")
        if rest:
            if not comodel:
                raise invalid_field(self.env, table.name, path, leaf)
            if op in NEGATIVE and ftype in X2MANY:
                # Odoo: a negative condition through x2many = no related record matches
                sub = [*self._field_domain(fname), (rest, NEGATIVE[op], value)]
                ids = self.env.search_ids(comodel, sub, self.active_test)
                return self._not(self._rel_in(fname, ftype, ids))
            ids = self.env.search_ids(
                comodel,
                [*self._field_domain(fname), (rest, op, value)],
                ftype in X2MANY and self.active_test,
            )
            return self._rel_in(fname, ftype, ids)
        if op in ("any", "not any"):
            if self.env.version <= 16:
                # 16 has no such operator: its SQL layer chokes on the sub-domain list
                raise errors.type_error("unhashable type: 'list'")
            if not comodel:
                raise invalid_leaf(leaf, self.env.version)
            # top-level terms are ANDed, so prefixing the field's domain is enough
            sub = [*self._field_domain(fname), *value] if self._field_domain(fname) else value
            ids = self.env.search_ids(comodel, sub, ftype in X2MANY and self.active_test)
            pred = self._rel_in(fname, ftype, ids)
            return pred if op == "any" else self._not(pred)
        if op in ("child_of", "parent_of"):
            return self._hierarchy(fname, ftype, comodel, op, value)
        if comodel and ftype in ("many2one", "one2many", "many2many"):
            return self._relational(leaf, fname, ftype, comodel, op, value)
        return self._scalar(fname, ftype, op, value)

    @staticmethod
    def _not(p: Pred) -> Pred:
        return lambda r: not p(r)

    def _getter(self, fname: str, ftype: str) -> Callable[[Row], Any]:
        if fname == "id":
            return lambda r: r["id"]
        if ftype in X2MANY:
            env, table = self.env, self.table
            return lambda r: env.x2many_ids(table, r, fname)
        if ftype == "many2one":
            return lambda r: m2o_id(r.get(fname))
        # a row that never had the field set holds its default (Table.implicit)
        implicit = self.table.implicit.get(fname, False)
        return lambda r: r.get(fname, implicit)

    def _rel_in(self, fname: str, ftype: str, ids: Collection[int]) -> Pred:
        get = self._getter(fname, ftype)
        if ftype in X2MANY:
            return lambda r: any(i in ids for i in get(r))
        return lambda r: get(r) in ids

    def _hierarchy(self, fname: str, ftype: str, comodel: str | None, op: str, value: Any) -> Pred:
        target = self.table if fname == "id" else self.env.table(comodel or self.table.name)
        if isinstance(value, str) or (
            isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value)
        ):
            # Odoo name-searches each name with ilike (a list is not an exact "in")
            start = set()
            for name in [value] if isinstance(value, str) else value:
                start |= self.env.name_search_ids(target.name, name, "ilike")
        else:
            vals = value if isinstance(value, (list, tuple)) else [value]
            start = {int(v) for v in vals if v not in (False, None)}
        # Odoo: a many2one/one2many to the model itself is followed as the hierarchy link,
        # and the condition becomes "id in <found>" (so parent_id child_of X includes X)
        self_link = fname != "id" and comodel == self.table.name and ftype != "many2many"
        parent = fname if self_link else target.parent_name
        found = set(start) & set(target.rows) if parent else set(start)
        if parent:
            linked = Compiler(self.env, target)._getter(parent, target.ftype(parent))

            def links(row: Row) -> list[int]:
                v = linked(row)
                return list(v) if isinstance(v, list) else ([] if v is None else [v])

            if op == "child_of":
                below: dict[int, list[int]] = {}
                for rid, row in target.rows.items():
                    for pid in links(row):
                        below.setdefault(pid, []).append(rid)
                step = lambda rid: below.get(rid, ())  # noqa: E731
            else:
                step = lambda rid: links(target.rows[rid]) if rid in target.rows else ()  # noqa: E731
            todo = list(found)
            while todo:
                for nxt in step(todo.pop()):
                    if nxt not in found:
                        found.add(nxt)
                        todo.append(nxt)
        if self_link or fname == "id":
            return self._rel_in("id", "integer", found)
        return self._rel_in(fname, ftype, found)

    def _relational(
        self, leaf: tuple, fname: str, ftype: str, comodel: str, op: str, value: Any
    ) -> Pred:
        names = isinstance(value, str) or (
            isinstance(value, (list, tuple)) and any(isinstance(v, str) for v in value)
        )
        if names or op in LIKE_OPS or op in ("not like", "not ilike"):
            positive = NEGATIVE.get(op, op)
            if isinstance(value, (list, tuple)):
                strs = [v for v in value if isinstance(v, str)]
                ids: set[int] = set(self.env.name_search_ids(comodel, strs, "in"))
                ids |= {int(v) for v in value if isinstance(v, int) and not isinstance(v, bool)}
                with_null = False in value
            else:
                ids = set(self.env.name_search_ids(comodel, value, positive))
                with_null = False
            pred = self._rel_in(fname, ftype, ids)
            if with_null:
                pred = self._or_null(pred, fname, ftype)
            return self._not(pred) if op in NEGATIVE else pred
        if op in ("<", ">", "<=", ">="):
            if ftype in X2MANY:
                raise invalid_leaf(leaf, self.env.version)
            return self._scalar(fname, "integer", op, value)
        if op in ("=", "!="):
            if value is False or value is None or (isinstance(value, (list, tuple)) and not value):
                pred = self._is_set(fname, ftype)
                return pred if op == "!=" else self._not(pred)
            vals = value if isinstance(value, (list, tuple)) else [value]
            op = "in" if op == "=" else "not in"
        else:
            vals = value if isinstance(value, (list, tuple)) else [value]
        if op not in ("in", "not in"):
            raise invalid_leaf(leaf, self.env.version)
        idset = {int(v) for v in vals if v is not False and v is not None}
        scope = X2MANY_DOMAINS.get((self.table.name, fname))
        if scope and idset:
            # Odoo keeps only the ids that match the field's domain (child_ids: active ones)
            idset &= self.env.search_ids(comodel, [("id", "in", list(idset)), *scope], True)
        pred = self._rel_in(fname, ftype, idset)
        if False in vals or None in vals:
            pred = self._or_null(pred, fname, ftype)
        return pred if op == "in" else self._not(pred)

    def _field_domain(self, fname: str) -> list[Any]:
        """The x2many field's own domain where Odoo applies it to ``any`` and paths (18+)."""
        if self.env.version < 18:
            return []
        return list(X2MANY_DOMAINS.get((self.table.name, fname), ()))

    def _is_set(self, fname: str, ftype: str) -> Pred:
        get = self._getter(fname, ftype)
        field = self.table.fields.get(fname, {})
        comodel = self.env.table(field["relation"]) if field.get("relation") else None
        if (
            ftype == "one2many"
            and self.env.version >= 18
            and self.active_test
            and comodel is not None
            and comodel.has_active
        ):
            # Odoo 18+ looks for lines with the context's active_test (17 counts archived ones)
            rows = comodel.rows
            return lambda r: any(rows[i].get("active", True) for i in get(r) if i in rows)
        if ftype in X2MANY:
            return lambda r: bool(get(r))
        return lambda r: get(r) is not None

    def _or_null(self, pred: Pred, fname: str, ftype: str) -> Pred:
        isset = self._is_set(fname, ftype)
        return lambda r: pred(r) or not isset(r)

    def _date_word(self, value: str) -> str:
        word = value.strip().lower()
        if word not in DATE_KEYWORDS:
            return value
        if self.env.version >= 19:
            raise errors.value_error(f"Invalid term {value!r} in expression date: {value!r}")
        clock = self.env.clock
        return date_keyword(word, clock.today(), clock.odoo_now())

    def _scalar(self, fname: str, ftype: str, op: str, value: Any) -> Pred:
        get = self._getter(fname, ftype)
        if ftype == "boolean":
            if op in ("=", "!="):
                want = bool(value)
                if op == "!=":
                    want = not want
                # hot path (active_test, flags): no getter indirection
                if want:
                    return lambda r: bool(r.get(fname))
                return lambda r: not r.get(fname)
            if op in ("in", "not in"):
                truths = {bool(v) for v in (value or [])}
                if op == "in":
                    return lambda r: bool(get(r)) in truths
                return lambda r: bool(get(r)) not in truths
        if op in ("=", "!="):
            if not value and self._zero_is_unset(fname, ftype):
                # Odoo 18+: False and 0 on a number both mean "= 0 OR IS NULL"
                if op == "=":
                    return lambda r: not get(r)
                return lambda r: bool(get(r))
            if value is False or value is None:
                if op == "=":
                    return lambda r: _is_null(get(r))
                return lambda r: not _is_null(get(r))
            want = _coerce(ftype, value)
            if op == "=":
                return lambda r: (v := get(r)) is not False and v is not None and v == want
            return lambda r: (v := get(r)) is False or v is None or v != want
        if op in ("in", "not in"):
            if not isinstance(value, (list, tuple, set)) and value is not False:
                if self.env.version < 19:
                    raise errors.value_error(f"Invalid domain term {(fname, op, value)!r}")
                if op == "in":
                    return lambda r: False
            vals = value if isinstance(value, (list, tuple, set)) else [value]
            with_null = any(v is False or v is None for v in vals)
            wants = {_coerce(ftype, v) for v in vals if v is not False and v is not None}
            if self._zero_is_unset(fname, ftype) and (with_null or 0 in wants):
                wants.add(0)  # Odoo 18+: False and 0 both mean "0 or NULL" on numbers
                with_null = True
            if op == "in":
                return lambda r: (v := get(r)) in wants or (with_null and _is_null(v))
            if with_null:
                return lambda r: not _is_null(v := get(r)) and v not in wants
            return lambda r: _is_null(v := get(r)) or v not in wants
        if op in _CMP:
            if value is False or value is None:
                return lambda r: False
            if ftype in ("date", "datetime") and isinstance(value, str):
                value = self._date_word(value)
            if ftype == "datetime" and isinstance(value, str) and len(value) == 10:
                op, value = _date_bound(value, op)
            cmp, want = _CMP[op], _coerce(ftype, value)

            def compare(r: Row) -> bool:
                v = get(r)
                if _is_null(v) and ftype not in ("integer", "float", "monetary"):
                    return False
                try:
                    return cmp(v, want)
                except TypeError:
                    return cmp(str(v), str(want))

            return compare
        # like family
        positive = NEGATIVE.get(op, op)
        if value is False or value is None or value == "":
            empty = self._empty_pattern(get, op, value)
            if empty is not None:
                return empty
        text = str(value)
        wrap, icase = not positive.startswith("="), "ilike" in positive
        if wrap and not any(c in text for c in "%_\\") and ftype in ("char", "text", "html"):
            # plain substring: no regex needed (the common case, and the hot one)
            # lower(), not casefold(): PostgreSQL's ILIKE does not fold "ß" into "ss"
            needle = text.lower() if icase else text
            implicit = self.table.implicit.get(fname)

            def contains(r: Row) -> bool:
                v = r.get(fname, implicit)
                if not v:
                    return False
                return needle in (v.lower() if icase else v)

            return (lambda r: not contains(r)) if op in NEGATIVE else contains
        rx = like_regex(text, wrap=wrap, icase=icase)

        def match(r: Row) -> bool:
            v = get(r)
            if _is_null(v) and ftype not in ("integer", "float", "monetary", "boolean"):
                return False
            return rx.match(str(v)) is not None

        if op in NEGATIVE:
            return lambda r: not match(r)
        return match

    def _zero_is_unset(self, fname: str, ftype: str) -> bool:
        return (
            self.env.version >= 18 and fname != "id" and ftype in ("integer", "float", "monetary")
        )

    def _empty_pattern(self, get: Callable[[Row], Any], op: str, value: Any) -> Pred | None:
        """A like-family condition whose pattern is ``''``, ``False`` or ``None``.

        Odoo 18+ turns ``like ''`` into TRUE and ``not like ''`` into FALSE (False too), and
        ``=like ''`` into "not set". Odoo 17 still runs the SQL: ``like '%%' OR IS NULL`` (all),
        ``not like '%%' OR IS NULL`` (the NULLs); a False pattern is the text ``'%False%'``
        plus the NULLs; ``=like False`` compares with NULL, which matches nothing.
        None means "no special case": match the text of ``value`` as a pattern.
        """
        negative = op in NEGATIVE
        if op.startswith("="):
            if self.env.version >= 18:
                return lambda r: _is_null(get(r))
            return lambda r: False
        if self.env.version >= 18:
            return (lambda r: False) if negative else (lambda r: True)
        if value == "":
            return (lambda r: _is_null(get(r))) if negative else (lambda r: True)
        rx = like_regex(str(value), wrap=True, icase="ilike" in op)

        def match_or_null(r: Row) -> bool:
            v = get(r)
            if _is_null(v):
                return True
            return (rx.match(str(v)) is None) if negative else (rx.match(str(v)) is not None)

        return match_or_null


def compile_domain(env: Env, table: Table, domain: Any, active_test: bool = True) -> Pred:
    """Compile ``domain`` for ``table`` into a predicate over its rows."""
    return Compiler(env, table, active_test).compile(domain)
