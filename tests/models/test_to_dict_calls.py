"""``to_dict()`` loads what it shows in ONE read for the record's prefetch group.

A ``conn.env`` class loads its stored scalar and many2one fields with a query;
every other field (non-stored, x2many, html ...) used to cost one ``read`` each
on ``to_dict()`` (85 calls for a real Odoo 18 ``res.partner``), plus a
``fields_get`` per many2one target model.
"""

from __future__ import annotations

import pytest

import odoorm.models  # noqa: F401  (registers conn.env)
from odoorm.exceptions import LazyLoadError, MissingError
from odoorm.fields.base import KIND_MANY2ONE, KIND_REFERENCE, KIND_X2MANY
from odoorm.models import prefetching as relations
from odoorm.session import connect
from odoorm.transport.base import RecordingTransport

from .conftest import in_process
from .demo_models import Partner


@pytest.fixture(scope="module")
def odoo():
    server = pytest.importorskip("odoorm.testing.server")
    with server.Emulator(version=18) as emulator:
        yield emulator


def _open(odoo, **kw):
    plain = connect(
        odoo.url, db=odoo.db, user=odoo.login, password=odoo.password, default=False, **kw
    )
    rec = RecordingTransport(plain.transport)
    return connect(transport=rec, default=False, **kw), rec


def test_env_partner_to_dict_is_one_read(odoo) -> None:
    conn, rec = _open(odoo)
    partner = conn.env["res.partner"].objects.first()
    rec.reset()
    data = partner.to_dict()
    assert [(c.model, c.method) for c in rec.calls] == [("res.partner", "read")]
    assert len(rec.calls[0].kwargs["fields"]) >= 5  # non-stored, x2many... all at once
    # the same values as reading the fields one by one on another connection
    other, _ = _open(odoo)
    same = other.env["res.partner"].objects.get(id=partner.id)
    for name, value in data.items():
        field = type(same)._meta.fields.get(name)
        if field is None:
            continue
        one = getattr(same, name)
        if field.kind == KIND_MANY2ONE:
            one = one.id if one is not None else None
        elif field.kind == KIND_X2MANY:
            one = one.ids
        elif field.kind == KIND_REFERENCE:
            one = f"{one._meta.odoo_model},{one.id}" if one is not None else None
        assert value == one, name
    rec.reset()
    assert partner.to_dict() == data
    assert rec.calls == []  # everything loaded now


def test_to_dict_over_a_page_is_one_read_for_the_page(odoo) -> None:
    conn, rec = _open(odoo)
    page = list(conn.env["res.partner"].objects.order_by("id")[:20])
    rec.reset()
    dicts = [p.to_dict() for p in page]
    assert [c.method for c in rec.calls] == ["read"]
    assert sorted(rec.calls[0].ids or []) == sorted(p.id for p in page)
    assert [d["id"] for d in dicts] == [p.id for p in page]


def test_a_big_group_is_read_in_chunks(odoo, monkeypatch) -> None:
    monkeypatch.setattr(relations, "CHUNK_SIZE", 4)
    conn, rec = _open(odoo)
    page = list(conn.env["res.partner"].objects.order_by("id")[:10])
    rec.reset()
    page[0].to_dict()
    assert [len(c.ids or []) for c in rec.calls] == [4, 4, 2]


def test_strict_connection_refuses_the_load_naming_to_dict(odoo) -> None:
    conn, rec = _open(odoo, lazy="raise")
    partner = conn.env["res.partner"].objects.first()
    rec.reset()
    with pytest.raises(LazyLoadError, match=r"for to_dict\(\)"):
        partner.to_dict()
    assert rec.calls == []


def test_declared_class_changed_fields_are_neither_read_nor_lost(db) -> None:
    rec = RecordingTransport(in_process(db))
    conn = connect(transport=rec, check_schema=False, default=False)
    partner = Partner.objects.using(conn).only("name").get(id=7)
    partner.email = "changed@example.com"
    rec.reset()
    data = partner.to_dict()
    assert [c.method for c in rec.calls] == ["read"]
    assert "email" not in rec.calls[0].kwargs["fields"]
    assert data["email"] == "changed@example.com"


def test_record_deleted_on_the_server_is_missing(db) -> None:
    rec = RecordingTransport(in_process(db))
    conn = connect(transport=rec, check_schema=False, default=False)
    partner = Partner.objects.using(conn).only("name").get(id=7)
    db.execute(db.uid, "res.partner", "unlink", [[7]], {})
    with pytest.raises(MissingError, match="does not exist on the server"):
        partner.to_dict()
