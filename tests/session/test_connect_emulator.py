"""connect() against the embedded emulator over every protocol (Odoo 18 and 19)."""

from __future__ import annotations

import importlib.util
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from odoorm import session
from odoorm.exceptions import AccessDenied, ConfigurationError, ReadonlyError

RECORDINGS = Path(__file__).resolve().parents[2] / ".." / "shared" / "recordings"


def _data(version: int):
    # the built-in demo set when it exists, else the recorded seed of that version
    if importlib.util.find_spec("odoorm.testing.demo") is not None:
        return "demo"
    seed = RECORDINGS / f"odoo{version}" / "seed.json"
    if not seed.is_file():
        pytest.skip("no emulator data available (odoorm.testing.demo or recordings seed)")
    return str(seed)


@pytest.fixture(scope="module", params=[18, 19])
def odoo(request):
    emulator_mod = pytest.importorskip("odoorm.testing.server")
    emulator = emulator_mod.Emulator(version=request.param, data=_data(request.param))
    with emulator:
        yield emulator


PROTOCOLS = ["xmlrpc", "jsonrpc", "session", "json2"]


def open_conn(odoo, protocol="auto", **kw):
    if protocol == "json2":
        kw.setdefault("api_key", odoo.api_key)
    else:
        kw.setdefault("password", odoo.password)
    kw.setdefault("user", odoo.login)
    kw.setdefault("db", odoo.db)
    kw.setdefault("default", False)
    return session.connect(odoo.url, protocol=protocol, **kw)


def _skip_json2_before_19(odoo, protocol):
    if protocol == "json2" and odoo.version < 19:
        pytest.skip("JSON-2 exists on Odoo 19+ only")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_each_protocol(odoo, protocol):
    _skip_json2_before_19(odoo, protocol)
    with open_conn(odoo, protocol) as conn:
        assert conn.protocol == protocol
        assert conn.version.major == odoo.version
        if protocol != "json2":
            assert conn.uid == odoo.database.authenticate(odoo.login, odoo.password)
        companies = conn.execute("res.partner", "search_count", [("is_company", "=", True)])
        named = conn.rpc("res.partner", "search_count", domain=[("is_company", "=", True)])
        assert companies == named > 0
        rows = conn.rpc(
            "res.partner", "search_read", domain=[], fields=["name"], limit=2, order="id"
        )
        assert len(rows) == 2 and {"id", "name"} <= set(rows[0])


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_version_detected_once_and_one_request_per_call(odoo, protocol):
    _skip_json2_before_19(odoo, protocol)
    start = len(odoo.request_log)
    with open_conn(odoo, protocol) as conn:
        opening = conn.http.request_count
        for view in (conn, conn.with_context(lang="en_US"), conn.with_context(active_test=False)):
            view.rpc("res.partner", "search_count", domain=[])
        assert conn.http.request_count == opening + 3
        log = odoo.request_log[start:]
        assert log.count(("GET", "/web/version")) == 1
    # 19 answers /web/version; 18 needs one JSON-RPC fallback; then one login request
    assert opening == (2 if odoo.version >= 19 else 3)


def test_auto_protocol(odoo):
    with open_conn(odoo, api_key=odoo.api_key, password=None) as conn:
        assert conn.protocol == ("json2" if odoo.version >= 19 else "jsonrpc")
    with open_conn(odoo) as conn:
        assert conn.protocol == "jsonrpc"


def test_api_key_alone_on_19(odoo):
    if odoo.version < 19:
        with pytest.raises(ConfigurationError, match="ODOO_USER"):
            open_conn(odoo, api_key=odoo.api_key, password=None, user=None)
        return
    conn = open_conn(odoo, api_key=odoo.api_key, password=None, user=None)
    with conn:
        assert conn.protocol == "json2"
        assert conn.rpc("res.partner", "search_count", domain=[]) > 0


def test_json2_refused_before_19(odoo):
    if odoo.version >= 19:
        pytest.skip("JSON-2 exists on 19")
    with pytest.raises(ConfigurationError, match="JSON-2"):
        open_conn(odoo, "json2")


def test_database_is_picked(odoo):
    with open_conn(odoo, db=None) as conn:
        assert conn.db == odoo.db


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_unknown_database(odoo, protocol):
    _skip_json2_before_19(odoo, protocol)
    try:
        with pytest.raises(ConfigurationError, match=rf"'nope' does not exist.*'{odoo.db}'"):
            open_conn(odoo, protocol, db="nope")
    finally:
        odoo.reset_login_cooldown()


def test_json2_login_unknown_to_the_key(odoo):
    if odoo.version < 19:
        pytest.skip("JSON-2 exists on 19")
    with pytest.raises(AccessDenied, match=r"'nobody'.*user= may be left out"):
        open_conn(odoo, "json2", user="nobody")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_bad_secret(odoo, protocol):
    _skip_json2_before_19(odoo, protocol)
    bad = "definitely-wrong-secret"
    key = "api_key" if protocol == "json2" else "password"
    try:
        with pytest.raises(AccessDenied) as err:
            open_conn(odoo, protocol, **{key: bad})
    finally:
        odoo.reset_login_cooldown()
    assert odoo.db in str(err.value)
    assert bad not in str(err.value) + repr(err.value)
    # the web login takes a password only: no advice to check an API key
    assert ("API key" in str(err.value)) is (protocol != "session"), str(err.value)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_eight_threads(odoo, protocol):
    _skip_json2_before_19(odoo, protocol)
    with open_conn(odoo, protocol) as conn:
        ids = conn.rpc("res.partner", "search", domain=[], order="id", limit=16)
        expected = {
            r["id"]: r["name"] for r in conn.rpc("res.partner", "read", ids, fields=["name"])
        }

        def work(n):
            mine = ids[n::8] or ids
            out = []
            for _ in range(5):
                rows = conn.rpc("res.partner", "read", mine, fields=["name"])
                out.append({r["id"]: r["name"] for r in rows})
            return mine, out

        with ThreadPoolExecutor(8) as pool:
            for mine, answers in pool.map(work, range(8)):
                for got in answers:
                    assert got == {i: expected[i] for i in mine}


def test_readonly_sends_nothing(odoo):
    with open_conn(odoo, readonly=True) as conn:
        before = conn.http.request_count
        with pytest.raises(ReadonlyError):
            conn.rpc("res.partner", "create", vals_list=[{"name": "nope"}])
        assert conn.http.request_count == before
        assert conn.rpc("res.partner", "search_count", domain=[]) > 0


def test_fields_get_once(odoo):
    with open_conn(odoo) as conn:
        before = conn.http.request_count
        fields = conn.fields_get("res.partner")
        assert fields["name"]["type"] == "char"
        assert set(fields["name"]) <= set(session.FIELDS_GET_ATTRIBUTES)
        conn.with_context(lang="en_US").fields_get("res.partner")
        assert conn.http.request_count == before + 1


def test_default_connection_with_context_manager(odoo):
    with open_conn(odoo, default=True) as conn:
        assert session.get_default_connection() is conn
    with pytest.raises(ConfigurationError):
        session.get_default_connection()
