"""to_dataframe() over several chunks: many2one columns read as ids, names asked once per id."""

from __future__ import annotations

import math

import pytest

from odoorm import fields
from odoorm.models import Model
from odoorm.session import connect
from odoorm.transport import RecordingTransport

pd = pytest.importorskip("pandas")


class NCountry(Model):
    _name = "res.country"

    name = fields.Char()


class NPartner(Model):
    _name = "res.partner"

    name = fields.Char()
    country = fields.Many2one(NCountry, source="country_id")
    parent = fields.Many2one("res.partner", source="parent_id")


class Interfering(RecordingTransport):
    """Records calls; before the first display-name read runs ``before_names`` (what
    another user does meanwhile), and hides ``hidden`` ids from those reads (what a
    record rule does to a related record the user may not read)."""

    def __init__(self, inner, before_names=None, hidden=()):
        super().__init__(inner)
        self.before_names = before_names
        self.hidden = set(hidden)

    def call(self, call):
        names = call.method == "search_read" and call.kwargs.get("fields") == ["display_name"]
        if names and self.before_names is not None:
            run, self.before_names = self.before_names, None
            run()
        answer = super().call(call)
        if names:
            answer = [row for row in answer if row["id"] not in self.hidden]
        return answer


@pytest.fixture
def odoo():
    from odoorm.testing import Emulator

    with Emulator(version=18) as emu:
        yield emu


def connection(odoo, **interfere):
    conn = connect(odoo.url, db=odoo.db, user=odoo.login, password=odoo.password, default=False)
    conn._state.transport = Interfering(conn.transport, **interfere)
    return conn


def classic(conn):
    """The frame as one search_read gives it (every name computed by the server)."""
    rows = conn.rpc(
        "res.partner", "search_read", domain=[], fields=["name", "country_id", "parent_id"]
    )
    frame = pd.DataFrame(
        {
            "name": pd.array([r["name"] or None for r in rows], dtype="string"),
            "country": pd.array(
                [r["country_id"][1] if r["country_id"] else None for r in rows], dtype="string"
            ),
            "parent": pd.array(
                [r["parent_id"][1] if r["parent_id"] else None for r in rows], dtype="string"
            ),
        },
        index=pd.Index([r["id"] for r in rows], dtype="int64", name="id"),
    )
    return frame.sort_index()


def test_several_chunks_give_the_names_the_server_gives(odoo):
    conn = connection(odoo)
    expected = classic(conn)
    df = NPartner.objects.using(conn).to_dataframe("name", "country", "parent", chunk_size=7)
    pd.testing.assert_frame_equal(df.sort_index(), expected)
    threaded = NPartner.objects.using(conn).to_dataframe(
        "name", "country", "parent", chunk_size=7, workers=2
    )
    pd.testing.assert_frame_equal(threaded.sort_index(), expected)


def test_names_are_asked_once_per_distinct_id_and_chunk(odoo):
    conn = connection(odoo)
    rec = conn.transport
    total = NPartner.objects.using(conn).count()
    rec.reset()
    NPartner.objects.using(conn).to_dataframe("name", "country", "parent", chunk_size=7)
    pages = [c for c in rec.calls if c.model == "res.partner" and "name" in c.kwargs["fields"]]
    assert len(pages) == math.ceil(total / 7)
    # the first page is read the classic way; from the second on, many2ones are bare ids
    assert "load" not in pages[0].kwargs
    assert all(c.kwargs["load"] == "" for c in pages[1:])
    named = [c for c in rec.calls if c.kwargs.get("fields") == ["display_name"]]
    asked = [i for c in named for i in c.kwargs["domain"][0][2]]
    assert len(asked) == len(set(asked))  # never the same id twice
    assert all(len(c.kwargs["domain"][0][2]) <= 7 for c in named)
    assert len(rec.calls) == len(pages) + len(named)
    # a one-chunk frame stays one call, the classic one
    rec.reset()
    NPartner.objects.using(conn).to_dataframe("name", "country", "parent", chunk_size=total + 1)
    assert [c.method for c in rec.calls] == ["search_read"]
    assert "load" not in rec.calls[0].kwargs


def test_a_name_the_user_may_not_read_is_the_one_a_classic_read_gives(odoo):
    conn = connection(odoo)
    expected = classic(conn)
    parents = {
        i
        for i in NPartner.objects.using(conn)
        .filter(parent__isnull=False)
        .values_list("parent", flat=True)
    }
    conn.transport.hidden = set(parents)  # as if a record rule hid every parent
    df = NPartner.objects.using(conn).to_dataframe("name", "country", "parent", chunk_size=7)
    pd.testing.assert_frame_equal(df.sort_index(), expected)


def test_records_deleted_while_the_frame_is_read(odoo):
    conn = connection(odoo)
    other = connect(odoo.url, db=odoo.db, user=odoo.login, password=odoo.password, default=False)

    def partner(**vals):
        return other.rpc("res.partner", "create", vals_list=[vals])[0]

    company = partner(name="Gone Ltd", is_company=True)  # the newest ids: read in the last page
    children = [partner(name=f"Gone {n}", parent_id=company) for n in range(3)]
    child, orphans = children[-1], children[:-1]

    def meanwhile():
        # a contact and its company are deleted; the company's other contacts lose it
        other.rpc("res.partner", "unlink", [child])
        other.rpc("res.partner", "write", orphans, vals={"parent_id": False})
        other.rpc("res.partner", "unlink", [company])

    conn.transport.before_names = meanwhile
    # chunks of 20: fewer unnamed parents than that, so their names are asked at the end
    df = NPartner.objects.using(conn).to_dataframe("name", "parent", chunk_size=20)
    assert child not in df.index  # read, then deleted: left out, as a later chunk leaves it
    assert df.loc[orphans, "parent"].isna().all()  # as a read now shows them
    assert df["parent"].notna().any()
    assert (df["parent"] != "Gone Ltd").all()
    again = [c for c in conn.transport.calls if c.kwargs.get("fields") == ["parent_id"]]
    assert len(again) == 1  # the rows whose parent had no name were read again, once
    other.close()


def test_a_related_record_without_a_display_name_is_missing_not_false(odoo):
    conn = connection(odoo)

    class Blank(Interfering):
        def call(self, call):
            answer = super().call(call)
            if call.kwargs.get("fields") == ["display_name"]:
                answer = [dict(row, display_name=False) for row in answer]
            elif call.method == "search_read" and isinstance(answer, list):
                answer = [
                    {
                        k: ([v[0], False] if k == "parent_id" and isinstance(v, list) else v)
                        for k, v in row.items()
                    }
                    for row in answer
                ]
            return answer

    conn._state.transport = Blank(conn.transport.inner)
    df = NPartner.objects.using(conn).to_dataframe("name", "parent", chunk_size=7)
    # the server answered False for every parent's name
    assert df["parent"].isna().all()
