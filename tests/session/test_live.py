"""Opt-in tests against a real Odoo server.

Run with ``ODOO_URL`` (and ``ODOO_DB``, ``ODOO_USER``, ``ODOO_PASSWORD`` or
``ODOO_API_KEY``) set: ``python -m pytest -m live tests/session/test_live.py``.
Skipped when ``ODOO_URL`` is unset. Read-only: nothing is written.
"""

from __future__ import annotations

import os

import pytest

from odoorm import session
from odoorm.exceptions import ReadonlyError

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not os.environ.get("ODOO_URL"), reason="ODOO_URL is not set"),
]


@pytest.fixture(scope="module")
def live_conn():
    conn = session.connect(readonly=True, default=False)
    yield conn
    conn.close()


def test_connect_and_version(live_conn):
    assert live_conn.version.major >= 16
    assert live_conn.protocol in ("xmlrpc", "jsonrpc", "session", "json2")
    assert live_conn.db
    if live_conn.protocol != "json2":
        assert isinstance(live_conn.uid, int)


def test_search_count(live_conn):
    total = live_conn.rpc("res.partner", "search_count", domain=[])
    companies = live_conn.rpc("res.partner", "search_count", domain=[("is_company", "=", True)])
    assert isinstance(total, int) and 0 <= companies <= total


def test_fields_get_cached(live_conn):
    fields = live_conn.fields_get("res.partner")
    assert fields["name"]["type"] == "char"
    assert live_conn.fields_get("res.partner") is fields


def test_readonly_refuses_writes(live_conn):
    with pytest.raises(ReadonlyError):
        live_conn.execute("res.partner", "create", [{"name": "must not be created"}])


def test_secrets_not_in_repr(live_conn):
    for name in ("ODOO_PASSWORD", "ODOO_API_KEY"):
        secret = os.environ.get(name)
        # a demo password equal to the login would match the login shown in repr
        if secret and secret not in (live_conn.login, live_conn.db):
            assert secret not in repr(live_conn)
