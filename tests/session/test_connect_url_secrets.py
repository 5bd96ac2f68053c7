"""A URL carrying ``user:password@`` works, and that password never shows."""

from __future__ import annotations

import logging

import pytest

from odoorm import session
from odoorm.exceptions import AccessDenied, ConfigurationError

PROXY_SECRET = "proxy-pw-never-shown-7"


@pytest.fixture(scope="module")
def odoo():
    server = pytest.importorskip("odoorm.testing.server")
    with server.Emulator(version=18, monodb=True) as emulator:
        yield emulator


def _with_userinfo(url: str) -> str:
    return url.replace("http://", f"http://gate:{PROXY_SECRET}@")


def test_userinfo_never_in_repr_url_or_logs(odoo, clean_env, caplog):
    caplog.set_level(logging.DEBUG)
    with session.connect(
        _with_userinfo(odoo.url), user=odoo.login, password=odoo.password, default=False
    ) as conn:
        assert conn.url == odoo.url
        assert conn.execute("res.partner", "search_count", []) > 0
        shown = repr(conn) + repr(conn.http) + repr(conn.transport) + caplog.text
    assert PROXY_SECRET not in shown


def test_userinfo_never_in_errors(odoo, clean_env):
    url = _with_userinfo(odoo.url)
    with pytest.raises(AccessDenied) as denied:
        session.connect(url, user=odoo.login, password="wrong-pw", default=False)
    odoo.reset_login_cooldown()
    with pytest.raises(ConfigurationError) as missing:
        session.connect(url, user=odoo.login, default=False)
    with pytest.raises(ConfigurationError) as bad:
        session.connect(url.replace("http://", "ftp://"), user="u", password="p", default=False)
    for err in (denied, missing, bad):
        assert PROXY_SECRET not in str(err.value) + repr(err.value)
    assert odoo.url in str(denied.value)


def test_env_url_with_userinfo_is_the_same_server(odoo, clean_env):
    clean_env.setenv("ODOO_URL", _with_userinfo(odoo.url))
    clean_env.setenv("ODOO_USER", odoo.login)
    clean_env.setenv("ODOO_PASSWORD", odoo.password)
    with session.connect(default=False) as conn:
        assert conn.url == odoo.url
        assert PROXY_SECRET not in repr(conn)
