"""Opt-in: the peer libraries ``odoorpc`` and ``odoo-client-lib`` (``odoolib``) drive the
emulator as if it were Odoo. They are not dependencies of odoorm; these tests skip when the
libraries are not installed (``pip install odoorpc odoo-client-lib`` to run them)."""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from odoorm.testing import Emulator


@pytest.fixture(scope="module", params=[17, 18, 19])
def odoo(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    with Emulator(version=request.param) as emulator:
        yield emulator


def _host_port(odoo: Emulator) -> tuple[str, int]:
    parts = urlsplit(odoo.url)
    assert parts.hostname and parts.port
    return parts.hostname, parts.port


def test_odoorpc(odoo: Emulator) -> None:
    odoorpc = pytest.importorskip("odoorpc")
    host, port = _host_port(odoo)
    client = odoorpc.ODOO(host, protocol="jsonrpc", port=port)
    assert client.version == f"{odoo.version}.0"
    assert client.db.list() == [odoo.db]
    with pytest.raises(odoorpc.error.RPCError):
        client.login(odoo.db, odoo.login, "wrong password")
    odoo.reset_login_cooldown()
    client.login(odoo.db, odoo.login, odoo.password)
    assert client.env.uid == 2 and client.env.user.name
    Partner = client.env["res.partner"]
    ids = Partner.search([("is_company", "=", True)], limit=3)
    assert len(ids) == 3
    rows = Partner.read(ids, ["name", "country_id"])
    assert [r["id"] for r in rows] == ids
    companies = Partner.browse(ids)
    assert [p.name for p in companies] == [r["name"] for r in rows]
    [child] = Partner.search([("parent_id", "!=", False)], limit=1)
    assert Partner.browse(child).parent_id.id
    pid = Partner.create({"name": "odoorpc peer", "category_id": [(6, 0, [1])]})
    record = Partner.browse(pid)
    record.name = "odoorpc peer (renamed)"
    assert Partner.read([pid], ["name"])[0]["name"] == "odoorpc peer (renamed)"
    assert record.category_id.ids == [1]
    assert pid in client.env["res.partner.category"].browse(1).partner_ids.ids
    record.unlink()
    assert Partner.search([("id", "=", pid)]) == []
    assert client.execute_kw("res.partner", "search_count", [[]]) > 0
    assert client.logout()


# odoolib's XML-RPC connector never closes its ServerProxy sockets (ResourceWarning)
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_odoo_client_lib(odoo: Emulator, protocol: str) -> None:
    pytest.importorskip("odoolib")
    import odoolib
    import odoolib.tools

    host, port = _host_port(odoo)
    conn = odoolib.get_connection(
        hostname=host,
        port=port,
        database=odoo.db,
        login=odoo.login,
        password=odoo.password,
        protocol=protocol,
    )
    conn.check_login()
    assert conn.user_id == 2
    partners = conn.get_model("res.partner")
    rows = partners.search_read([("is_company", "=", True)], ["name"], limit=2)
    assert len(rows) == 2 and all("name" in r for r in rows)
    assert partners.search_count([]) > 0
    assert conn.get_user_context()["uid"] == 2
    bad = odoolib.get_connection(
        hostname=host,
        port=port,
        database=odoo.db,
        login=odoo.login,
        password="wrong",
        protocol=protocol,
    )
    with pytest.raises(odoolib.tools.AuthenticationError):
        bad.check_login()
    odoo.reset_login_cooldown()


def test_odoo_client_lib_json2(odoo: Emulator) -> None:
    if odoo.version < 19:
        pytest.skip("JSON-2 exists on Odoo 19+")
    pytest.importorskip("odoolib")
    import odoolib

    host, port = _host_port(odoo)
    conn = odoolib.get_connection(
        hostname=host, port=port, database=odoo.db, password=odoo.api_key, protocol="json2"
    )
    assert conn.check_login()
    assert conn.get_user_context()["uid"] == 2
    partners = conn.get_model("res.partner")
    # positional arguments are named from /doc-bearer/res.partner.json
    rows = partners.search_read([("is_company", "=", True)], ["name"], limit=2)
    assert len(rows) == 2
    [pid] = partners.create([{"name": "json2 peer"}])
    assert partners.write(pid, {"name": "json2 peer (renamed)"})
    assert partners.read(pid, ["name"])["name"] == "json2 peer (renamed)"
    assert partners.unlink(pid)
    bad = odoolib.get_connection(
        hostname=host, port=port, database=odoo.db, password="wrong", protocol="json2"
    )
    assert bad.check_login() is False


def test_plain_xmlrpc_client(odoo: Emulator) -> None:
    with xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/common") as common:
        assert common.version()["server_serie"] == f"{odoo.version}.0"
        uid = common.authenticate(odoo.db, odoo.login, odoo.password, {})
    with xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/db") as db:
        assert db.list() == [odoo.db]
    with xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/object") as models:
        rows = models.execute_kw(
            odoo.db,
            uid,
            odoo.password,
            "res.partner",
            "search_read",
            [[["is_company", "=", True]]],
            {"fields": ["name"], "limit": 2},
        )
        assert len(rows) == 2
        with pytest.raises(xmlrpc.client.Fault):
            models.execute_kw(odoo.db, uid, odoo.password, "res.partner", "nope", [[]])
