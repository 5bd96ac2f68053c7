"""Property tests of the Q algebra (hypothesis) against reference evaluators."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from odoorm.domain import Q, normalize

from .strategies import MODEL, eval_domain, eval_q, q_trees, records

ARITY = {"&": 2, "|": 2, "!": 1}
many_records = st.lists(records, min_size=1, max_size=8)


def assert_well_formed(domain: list) -> None:
    """Prefix notation with the right arity, minimal operators, canonical form."""
    needed = 1 if domain else 0
    leaves = binary = 0
    for i, item in enumerate(domain):
        assert needed > 0, f"item #{i} after a complete expression: {domain}"
        needed -= 1
        if isinstance(item, str):
            assert item in ARITY, item
            needed += ARITY[item]
            binary += item != "!"
            if item == "!":
                assert domain[i + 1] != "!", f"double negation left in {domain}"
        else:
            assert isinstance(item, tuple) and len(item) == 3, item
            assert isinstance(item[0], str) and isinstance(item[1], str)
            leaves += 1
    assert needed == 0, f"incomplete domain {domain}"
    assert binary == max(leaves - 1, 0), "n leaves must be joined by n-1 operators"
    assert normalize(domain) == domain
    assert Q(domain).compile() == domain


@settings(max_examples=300)
@given(q_trees())
def test_compiled_domains_are_well_formed(q):
    assert_well_formed(q.compile(MODEL))
    assert_well_formed(q.compile())


@given(q_trees())
def test_double_negation_compiles_like_the_original(q):
    assert (~~q).compile(MODEL) == q.compile(MODEL)
    assert ~~q == q


@given(q_trees())
def test_empty_q_is_the_identity(q):
    assert q & Q() == q
    assert Q() & q == q
    assert q | Q() == q
    assert Q() | q == q
    assert (q & Q()).compile(MODEL) == q.compile(MODEL)
    assert (Q() | q).compile(MODEL) == q.compile(MODEL)
    assert (q & []).compile(MODEL) == q.compile(MODEL)


@settings(max_examples=300)
@given(q_trees(), q_trees(), many_records)
def test_de_morgan(a, b, recs):
    not_or = (~(a | b)).compile(MODEL)
    and_nots = (~a & ~b).compile(MODEL)
    not_and = (~(a & b)).compile(MODEL)
    or_nots = (~a | ~b).compile(MODEL)
    for rec in recs:
        assert eval_domain(not_or, rec) == eval_domain(and_nots, rec)
        assert eval_domain(not_and, rec) == eval_domain(or_nots, rec)


@settings(max_examples=300)
@given(q_trees(), many_records)
def test_compiling_keeps_the_meaning_of_the_lookups(q, recs):
    domain = q.compile(MODEL)
    for rec in recs:
        assert eval_domain(domain, rec) == eval_q(q, rec), (q, domain, rec)


@given(q_trees(), q_trees())
def test_equal_qs_hash_equal_and_compile_equal(a, b):
    assert hash(a) == hash(a)
    if a == b:
        assert hash(a) == hash(b)
        assert a.compile(MODEL) == b.compile(MODEL)
    assert (a | b).compile() == (a | b).compile()  # deterministic


@given(q_trees(), q_trees(), many_records)
def test_raw_domains_mix_like_qs(a, b, recs):
    mixed = (a | b.compile(MODEL)).compile(MODEL)
    pure = (a | b).compile(MODEL)
    for rec in recs:
        assert eval_domain(mixed, rec) == eval_domain(pure, rec)
