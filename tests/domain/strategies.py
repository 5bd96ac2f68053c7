"""Hypothesis strategies for the domain compiler, and two tiny reference evaluators.

``MODEL`` has integer fields ``n``/``m`` (never null), nullable char fields
``s``/``t`` and a boolean ``b``. ``q_trees()`` builds random Q expressions from
keyword lookups, raw domains and ``Q()``, combined with ``&``, ``|`` and ``~``.

``eval_domain(domain, record)`` evaluates a compiled prefix domain the way Odoo
does (``!=``, ``not in`` and ``not like`` match unset values; like patterns
use ``%``, ``_`` and backslash escapes). ``eval_q(q, record)`` evaluates a Q
directly from what each lookup means in Python, independently of the compiler.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st

from odoorm.domain import Q
from odoorm.domain.leaves import _Lookup as QLookup
from odoorm.domain.leaves import _Raw as QRaw

from .fakes import FakeModel

MODEL = (
    FakeModel("x.thing")
    .add("n", "integer")
    .add("m", "integer")
    .add("s", "char")
    .add("t", "char")
    .add("b", "boolean")
)

ints = st.integers(-3, 3)
texts = st.text(alphabet="aAb%_\\", max_size=3)
nullable_texts = st.one_of(st.just(False), texts)

records = st.fixed_dictionaries(
    {"id": st.integers(1, 99), "n": ints, "m": ints, "s": nullable_texts, "t": nullable_texts}
).flatmap(lambda r: st.builds(lambda b: {**r, "b": b}, st.booleans()))

INT_LOOKUPS = ["exact", "ne", "gt", "gte", "lt", "lte"]
TEXT_LOOKUPS = ["contains", "icontains", "startswith", "istartswith", "endswith", "iendswith"]


def _int_leaf() -> st.SearchStrategy[tuple[str, Any]]:
    field = st.sampled_from(["n", "m"])
    return st.one_of(
        st.tuples(field, st.sampled_from(INT_LOOKUPS), ints).map(
            lambda t: (f"{t[0]}__{t[1]}", t[2])
        ),
        st.tuples(field, st.sampled_from(["in", "not_in"]), st.lists(ints, max_size=3)).map(
            lambda t: (f"{t[0]}__{t[1]}", t[2])
        ),
        st.tuples(field, st.one_of(st.none(), ints), st.one_of(st.none(), ints))
        .filter(lambda t: t[1] is not None or t[2] is not None)
        .map(lambda t: (f"{t[0]}__range", (t[1], t[2]))),
    )


def _text_leaf() -> st.SearchStrategy[tuple[str, Any]]:
    field = st.sampled_from(["s", "t"])
    return st.one_of(
        st.tuples(field, st.sampled_from(TEXT_LOOKUPS), texts).map(
            lambda t: (f"{t[0]}__{t[1]}", t[2])
        ),
        st.tuples(field, st.sampled_from(["exact", "ne"]), st.one_of(st.none(), texts)).map(
            lambda t: (f"{t[0]}__{t[1]}", t[2])
        ),
        st.tuples(field, st.booleans()).map(lambda t: (f"{t[0]}__isnull", t[1])),
        st.tuples(field, st.lists(texts, max_size=2)).map(lambda t: (f"{t[0]}__in", t[1])),
    )


lookups = st.one_of(_int_leaf(), _text_leaf(), st.booleans().map(lambda v: ("b", v)))


def _leaf_q(item: tuple[str, Any]) -> Q:
    return Q(**{item[0]: item[1]})


raw_leaves = st.one_of(
    st.tuples(st.sampled_from(["n", "m"]), st.sampled_from(["=", "!=", "<", ">"]), ints),
    st.tuples(st.sampled_from(["s", "t"]), st.sampled_from(["=", "!="]), st.just(False)),
)

base_q = st.one_of(
    lookups.map(_leaf_q),
    st.lists(lookups, min_size=2, max_size=3, unique_by=lambda kv: kv[0]).map(
        lambda kvs: Q(**dict(kvs))
    ),
    raw_leaves.map(lambda leaf: Q([leaf])),
    st.just(Q()),
)


def q_trees(max_leaves: int = 8) -> st.SearchStrategy[Q]:
    """Random Q expressions over ``MODEL``."""
    return st.recursive(
        base_q,
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda p: p[0] & p[1]),
            st.tuples(inner, inner).map(lambda p: p[0] | p[1]),
            inner.map(lambda q: ~q),
            st.tuples(inner, raw_leaves).map(lambda p: p[0] | [p[1]]),
        ),
        max_leaves=max_leaves,
    )


# ------------------------------------------------------------- evaluators


def like_matches(pattern: str, value: Any, *, insensitive: bool) -> bool:
    """SQL LIKE with backslash escapes (PostgreSQL's default)."""
    if value is False:
        return False
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "%" else "." if c == "_" else re.escape(c))
        i += 1
    flags = re.DOTALL | (re.IGNORECASE if insensitive else 0)
    return re.fullmatch("".join(out), value, flags) is not None


def _leaf_true(leaf: tuple[Any, str, Any], rec: dict[str, Any]) -> bool:
    name, op, value = leaf
    if leaf == ("id", "!=", False):
        return True
    x = rec[name]
    if op == "=":
        return (x is False) if value is False else x == value
    if op == "!=":
        return not _leaf_true((name, "=", value), rec)
    if op in ("<", ">", "<=", ">="):
        if x is False:
            return False
        return {"<": x < value, ">": x > value, "<=": x <= value, ">=": x >= value}[op]
    if op == "in":
        return x in value
    if op == "not in":
        return x not in value
    if op in ("like", "ilike"):
        return like_matches(f"%{value}%", x, insensitive=op == "ilike")
    if op in ("=like", "=ilike"):
        return like_matches(value, x, insensitive=op == "=ilike")
    if op in ("not like", "not ilike"):
        return not _leaf_true((name, op[4:], value), rec)
    raise AssertionError(f"operator {op!r} not modelled")


def eval_domain(domain: list[Any], rec: dict[str, Any]) -> bool:
    """Evaluate a normalised prefix domain on one record."""
    pos = 0

    def term() -> bool:
        nonlocal pos
        item = domain[pos]
        pos += 1
        if item == "!":
            return not term()
        if item in ("&", "|"):
            left, right = term(), term()
            return (left and right) if item == "&" else (left or right)
        return _leaf_true(item, rec)

    if not domain:
        return True
    result = term()
    assert pos == len(domain), "trailing items after a complete domain"
    return result


def _lookup_true(key: str, value: Any, rec: dict[str, Any]) -> bool:
    name, _, lookup = key.partition("__")
    lookup = lookup or "exact"
    x = rec[name]
    if value is None:
        value = False
    if lookup == "exact":
        return x == value
    if lookup == "ne":
        return x != value
    if lookup == "isnull":
        return (x is False) == value
    if lookup == "in":
        return x in value
    if lookup == "not_in":
        return x not in value
    if x is False:
        return False  # unset values match no comparison or pattern
    if lookup in ("gt", "gte", "lt", "lte"):
        return {"gt": x > value, "gte": x >= value, "lt": x < value, "lte": x <= value}[lookup]
    if lookup == "range":
        low, high = value
        return (low is None or x >= low) and (high is None or x <= high)
    if lookup.startswith("i"):
        x, value, lookup = x.lower(), value.lower(), lookup[1:]
    if lookup == "contains":
        return value in x
    if lookup == "startswith":
        return x.startswith(value)
    if lookup == "endswith":
        return x.endswith(value)
    raise AssertionError(f"lookup {lookup!r} not modelled")


def eval_q(q: Q, rec: dict[str, Any]) -> bool:
    """Evaluate a Q from the Python meaning of its lookups (no compiler involved)."""
    results = []
    for child in q.children:
        if isinstance(child, Q):
            results.append(eval_q(child, rec))
        elif isinstance(child, QRaw):
            results.append(eval_domain(list(child.domain), rec))
        else:
            assert isinstance(child, QLookup)
            results.append(_lookup_true(child.key, child.value, rec))
    value = all(results) if q.connector == Q.AND else any(results)
    return not value if q.negated else value
