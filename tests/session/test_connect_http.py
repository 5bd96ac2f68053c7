"""connect() through the real transport layer, against a fake Odoo mounted as a
requests adapter: request counts, option wiring, errors, secrets."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from odoorm import session
from odoorm.exceptions import AccessDenied, ConfigurationError, ReadonlyError

from .fake_odoo import FakeOdoo

URL = "https://erp.example.com"
SECRET = "pw-never-shown-42"


def open_conn(fake: FakeOdoo, **kw):
    kw.setdefault("db", "odoo")
    kw.setdefault("user", "admin")
    kw.setdefault("password", SECRET)
    return session.connect(URL, http_session=fake.session(), **kw)


@pytest.fixture
def fake(clean_env):
    return FakeOdoo(version=18, password=SECRET)


def test_connect_counts_requests(fake):
    conn = open_conn(fake)
    assert conn.protocol == "jsonrpc"
    assert conn.version == (18, 0)
    assert conn.uid == 2
    opening = conn.http.request_count
    assert opening == len(fake.log)
    assert fake.count("common.version") + fake.count("web_version") == opening - 1
    # one request per call, the version never asked again, views included
    conn.execute("res.partner", "search_count", [("is_company", "=", True)])
    conn.with_context(lang="fr_FR").rpc("res.partner", "search_read", domain=[], limit=1)
    assert conn.http.request_count == opening + 2
    assert fake.count("common.version") <= 1 and fake.count("web_version") == 1


def test_odoo19_version_in_one_request(clean_env):
    fake = FakeOdoo(version=19, password=SECRET)
    conn = open_conn(fake)
    assert conn.version.major == 19
    assert conn.protocol == "jsonrpc"  # no API key: auto keeps JSON-RPC
    assert fake.count("web_version") == 1 and fake.count("common.version") == 0


def test_execute_goes_over_the_wire(fake):
    conn = open_conn(fake, context={"lang": "en_US"})
    out = conn.execute("res.partner", "search_read", [["is_company", "=", True]], limit=3)
    assert out["model"] == "res.partner" and out["method"] == "search_read"
    assert out["args"] == [[["is_company", "=", True]]]
    assert out["kwargs"]["limit"] == 3
    assert out["kwargs"]["context"]["lang"] == "en_US"


def test_options_reach_the_http_client(fake):
    conn = open_conn(fake, timeout=(3, 30), verify=False, max_rps=50, max_concurrency=2, retries=1)
    http = conn.http
    assert (http.max_rps, http.max_concurrency) == (50.0, 2)
    assert http.retry.attempts == 2
    assert http.timeout == (3.0, 30.0)
    assert http.verify is False
    assert http.url == URL


def test_db_is_picked_when_the_server_has_one(clean_env):
    fake = FakeOdoo(databases=("only",), password=SECRET)
    conn = open_conn(fake, db=None)
    assert conn.db == "only"
    assert fake.count("db.list") == 1


def test_db_choice_error_lists_databases(clean_env):
    fake = FakeOdoo(databases=("b", "a"), password=SECRET)
    with pytest.raises(ConfigurationError, match=r"'a', 'b'"):
        open_conn(fake, db=None)
    assert fake.closed >= 1  # the pooled session was closed


def test_bad_password(fake, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AccessDenied) as err:
        open_conn(fake, password="wrong-secret-xyz")
    message = str(err.value)
    assert "'admin'" in message and "'odoo'" in message
    assert "wrong-secret-xyz" not in message + repr(err.value) + caplog.text
    assert fake.closed >= 1  # the pooled session was closed


def test_unknown_database(fake):
    with pytest.raises(ConfigurationError, match=r"'nope' does not exist.*'odoo'"):
        open_conn(fake, db="nope")


def test_close_releases_the_pool(fake):
    with open_conn(fake) as conn:
        conn.execute("res.partner", "search", [])
    assert fake.closed >= 1
    with pytest.raises(session.ConnectionClosedError):
        conn.execute("res.partner", "search", [])


def test_readonly_sends_nothing(fake):
    conn = open_conn(fake, readonly=True)
    before = conn.http.request_count
    with pytest.raises(ReadonlyError):
        conn.execute("res.partner", "write", [1], {"name": "x"})
    assert conn.http.request_count == before


def test_secrets_stay_out_of_repr_and_logs(fake, caplog):
    caplog.set_level(logging.DEBUG)
    conn = open_conn(fake)
    conn.execute("res.partner", "search", [])
    for text in (repr(conn), repr(conn.http), repr(conn.transport), caplog.text):
        assert SECRET not in text


def test_eight_threads_over_one_connection(fake):
    conn = open_conn(fake)

    def work(n):
        return [conn.execute("res.partner", "read", [n * 100 + i], [f"f{n}"]) for i in range(20)]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    for n, answers in enumerate(results):
        assert [a["args"] for a in answers] == [[[n * 100 + i], [f"f{n}"]] for i in range(20)]
