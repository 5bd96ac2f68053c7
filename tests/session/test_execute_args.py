"""conn.execute takes *args: execute_kw's "one list of all arguments" is refused clearly."""

from __future__ import annotations

import pytest

from odoorm.transport.base import RecordingTransport

WRAPPED_DOMAINS = [
    [[("is_company", "=", True)]],  # DESIGN.md's execute_kw-style example
    [[["is_company", "=", True], ["name", "ilike", "a"]]],
    [[]],  # execute_kw's "no filter"
    [["|", ("a", "=", 1), ("b", "=", 2)]],  # a prefix-operator domain, wrapped
    [[("is_company", "=", True)], ["name"]],  # search_read's domain + fields in one list
]


@pytest.mark.parametrize("wrapped", WRAPPED_DOMAINS)
@pytest.mark.parametrize("method", ["search", "search_count", "search_read", "read_group"])
def test_wrapped_domain_is_refused_before_sending(conn, recorder, wrapped, method):
    with pytest.raises(TypeError) as err:
        conn.execute("res.partner", method, wrapped)
    text = str(err.value)
    assert "*args" in text and "execute_kw" in text
    assert f"conn.execute('res.partner', {method!r}, {wrapped[0]!r}" in text
    assert recorder.calls == []


@pytest.mark.parametrize(
    "domain",
    [
        [("is_company", "=", True)],
        [["is_company", "=", True]],
        [],
        ["|", ("a", "=", 1), ("b", "=", 2)],
        ["!", ["a", "=", 1]],
        [(1, "=", 1)],  # Odoo's TRUE_LEAF
        (("name", "in", ["a", "b"]),),
    ],
)
def test_real_domains_are_sent_as_given(conn, recorder: RecordingTransport, domain):
    answer = conn.execute("res.partner", "search_count", domain)
    assert answer["args"] == (domain,)
    assert len(recorder.calls) == 1


def test_search_read_with_more_positional_arguments(conn):
    answer = conn.execute("res.partner", "search_read", [("id", ">", 0)], ["name"], 0, 5)
    assert answer["args"] == ([("id", ">", 0)], ["name"], 0, 5)


@pytest.mark.parametrize(
    ("method", "wrapped"),
    [("read", [[1, 2], ["name"]]), ("write", [[7], {"name": "x"}]), ("unlink", [[7]])],
)
def test_wrapped_ids_of_record_methods_are_refused(conn, recorder, method, wrapped):
    with pytest.raises(TypeError, match=r"record ids, e\.g\. \[7, 8\].*\*args"):
        conn.execute("res.partner", method, wrapped)
    assert recorder.calls == []


def test_record_methods_with_ids_are_sent(conn, recorder):
    assert conn.execute("res.partner", "write", [7, 8], {"name": "x"})["args"] == (
        [7, 8],
        {"name": "x"},
    )
    assert conn.execute("res.partner", "read", 7, ["name"])["args"] == (7, ["name"])
    # other methods keep their free form (create takes a list of dicts)
    assert conn.execute("res.partner", "create", [{"name": "a"}])["args"] == ([{"name": "a"}],)
    assert len(recorder.calls) == 3


@pytest.mark.parametrize("method", ["search", "search_count", "search_read"])
def test_a_bare_leaf_is_refused_with_the_domain_it_should_be(conn, recorder, method):
    with pytest.raises(TypeError) as err:
        conn.execute("res.partner", method, ["is_company", "=", True])
    assert "one bare leaf" in str(err.value)
    assert f"conn.execute('res.partner', {method!r}, [('is_company', '=', True)])" in str(err.value)
    assert recorder.calls == []
