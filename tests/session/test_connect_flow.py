"""connect() without an injected transport: the order of the opening steps,
protocol choice, database pick and authentication errors, with the transport
layer's entry points replaced by fakes."""

from __future__ import annotations

from typing import Any

import pytest

from odoorm import session
from odoorm.exceptions import AccessDenied, ConfigurationError, ReadonlyError, ServerError
from odoorm.session import opening as _open
from odoorm.transport.base import MockTransport

from .conftest import echo

SECRET = "s3cr3t-p4ss"
KEY = "0123456789abcdef-api-key"


class FakeHTTP:
    def __init__(self, url: str, opts: Any, verify: Any, session: Any):
        self.url = url.rstrip("/")
        self.opts = opts
        self.verify = verify
        self.session = session
        self.closed = False


class FakeTransport(MockTransport):
    def __init__(self, protocol: str, uid: Any = 2, error: Exception | None = None):
        super().__init__(echo)
        self.protocol = protocol  # type: ignore[misc]
        self._uid_value = uid
        self._error = error
        self.closed = False

    def authenticate(self):
        if self._error is not None:
            raise self._error
        return self._uid_value


class FakeServer:
    """Stands in for the transport layer; records what connect() asked."""

    def __init__(self, monkeypatch, *, version=18, databases=("odoo",), uid=2, auth_error=None):
        self.version = version
        self.databases = list(databases)
        self.uid = uid
        self.auth_error = auth_error
        self.steps: list[str] = []
        self.http: FakeHTTP | None = None
        self.transport: FakeTransport | None = None
        self.made: dict[str, Any] = {}
        monkeypatch.setattr(_open, "_new_http", self.new_http)
        monkeypatch.setattr(_open, "_probe_version", self.probe_version)
        monkeypatch.setattr(_open, "_list_databases", self.list_databases)
        monkeypatch.setattr(_open, "_make_transport", self.make_transport)

    def new_http(self, url, opts, verify, http_session):
        self.steps.append("http")
        self.http = FakeHTTP(url, opts, verify, http_session)
        self.http.close = lambda: setattr(self.http, "closed", True)  # type: ignore[method-assign]
        return self.http

    def probe_version(self, http):
        self.steps.append("version")
        v = self.version
        return {
            "server_version": f"{v}.0+e-20241005",
            "server_version_info": [v, 0, 0, "final", 0, ""],
            "server_serie": f"{v}.0",
            "protocol_version": 1,
        }

    def list_databases(self, http):
        self.steps.append("list")
        return list(self.databases)

    def make_transport(self, protocol, http, **credentials):
        self.steps.append(f"transport:{protocol}")
        self.made = {"protocol": protocol, **credentials}
        self.transport = FakeTransport(protocol, self.uid, self.auth_error)
        return self.transport


def test_opening_steps(clean_env, monkeypatch):
    fake = FakeServer(monkeypatch)
    conn = session.connect("https://erp.example.com/", db="prod", user="bot", password=SECRET)
    assert fake.steps == ["http", "version", "transport:jsonrpc"]
    assert fake.made == {
        "protocol": "jsonrpc",
        "db": "prod",
        "login": "bot",
        "password": SECRET,
        "api_key": None,
    }
    assert (conn.url, conn.db, conn.login, conn.uid) == (
        "https://erp.example.com",
        "prod",
        "bot",
        2,
    )
    assert conn.protocol == "jsonrpc"
    assert conn.version == (18, 0) and conn.version.text == "18.0+e-20241005"
    assert conn.http is fake.http and conn.transport is fake.transport
    assert session.get_default_connection() is conn
    # views never probe again
    conn.with_context(lang="fr_FR").execute("res.partner", "search", [])
    assert fake.steps.count("version") == 1


def test_options_reach_the_http_client(clean_env, monkeypatch):
    fake = FakeServer(monkeypatch)
    marker = object()
    session.connect(
        "https://erp.example.com",
        db="prod",
        user="bot",
        password=SECRET,
        timeout=30,
        verify="/etc/ssl/ca.pem",
        max_rps=5,
        max_concurrency=2,
        retries=0,
        http_session=marker,  # type: ignore[arg-type]
        default=False,
    )
    assert fake.http is not None
    opts = fake.http.opts
    assert (opts.timeout, opts.max_rps, opts.max_concurrency, opts.retries) == (30.0, 5.0, 2, 0)
    assert fake.http.verify == "/etc/ssl/ca.pem"
    assert fake.http.session is marker


@pytest.mark.parametrize(
    ("version", "kw", "expected"),
    [
        (19, {"api_key": KEY}, "json2"),
        (19, {"password": SECRET, "user": "bot"}, "jsonrpc"),
        (18, {"api_key": KEY, "user": "bot"}, "jsonrpc"),
        (19, {"api_key": KEY, "user": "bot", "protocol": "xmlrpc"}, "xmlrpc"),
        (17, {"password": SECRET, "user": "bot", "protocol": "session"}, "session"),
        (19, {"api_key": KEY, "protocol": "json2"}, "json2"),
    ],
)
def test_protocol_choice(clean_env, monkeypatch, version, kw, expected):
    fake = FakeServer(monkeypatch, version=version)
    conn = session.connect("https://erp.example.com", db="prod", default=False, **kw)
    assert conn.protocol == expected
    assert fake.made["protocol"] == expected


def test_json2_without_uid_is_fine(clean_env, monkeypatch):
    FakeServer(monkeypatch, version=19, uid=None)
    conn = session.connect("https://erp.example.com", db="prod", api_key=KEY, default=False)
    assert conn.uid is None and conn.login is None


def test_json2_on_18_is_refused_and_closes_http(clean_env, monkeypatch):
    fake = FakeServer(monkeypatch, version=18)
    with pytest.raises(ConfigurationError, match="JSON-2"):
        session.connect("https://erp.example.com", db="p", api_key=KEY, protocol="json2")
    assert fake.http is not None and fake.http.closed
    assert "transport:json2" not in fake.steps


def test_api_key_without_user_on_18_needs_a_user(clean_env, monkeypatch):
    FakeServer(monkeypatch, version=18)
    with pytest.raises(ConfigurationError, match="ODOO_USER"):
        session.connect("https://erp.example.com", db="p", api_key=KEY)


def test_given_version_skips_detection(clean_env, monkeypatch):
    fake = FakeServer(monkeypatch, version=18)
    conn = session.connect(
        "https://erp.example.com", db="p", api_key=KEY, version=19, default=False
    )
    assert "version" not in fake.steps
    assert conn.protocol == "json2"


def test_single_database_is_picked(clean_env, monkeypatch):
    fake = FakeServer(monkeypatch, databases=["only_db"])
    conn = session.connect("https://erp.example.com", user="bot", password=SECRET)
    assert conn.db == "only_db"
    assert fake.steps == ["http", "version", "list", "transport:jsonrpc"]


def test_several_databases_are_listed(clean_env, monkeypatch):
    fake = FakeServer(monkeypatch, databases=["prod", "staging"])
    with pytest.raises(ConfigurationError, match=r"'prod', 'staging'.*ODOO_DB"):
        session.connect("https://erp.example.com", user="bot", password=SECRET)
    assert fake.http is not None and fake.http.closed


def test_listing_disabled(clean_env, monkeypatch):
    FakeServer(monkeypatch, databases=[])
    with pytest.raises(ConfigurationError, match="does not list its databases"):
        session.connect("https://erp.example.com", user="bot", password=SECRET)


def test_given_db_is_not_listed(clean_env, monkeypatch):
    fake = FakeServer(monkeypatch, databases=["a", "b"])
    session.connect("https://erp.example.com", db="a", user="bot", password=SECRET)
    assert "list" not in fake.steps


def test_everything_from_env(clean_env, monkeypatch):
    clean_env.setenv("ODOO_URL", "https://env.example.com")
    clean_env.setenv("ODOO_DB", "envdb")
    clean_env.setenv("ODOO_USER", "envuser")
    clean_env.setenv("ODOO_API_KEY", KEY)
    clean_env.setenv("ODOO_PROTOCOL", "xmlrpc")
    fake = FakeServer(monkeypatch, version=19)
    conn = session.connect()
    assert (conn.url, conn.db, conn.login, conn.protocol) == (
        "https://env.example.com",
        "envdb",
        "envuser",
        "xmlrpc",
    )
    assert fake.made["api_key"] == KEY and fake.made["password"] is None


def test_bad_password_says_who_and_where_but_not_the_secret(clean_env, monkeypatch):
    error = AccessDenied("Access Denied", name="odoo.exceptions.AccessDenied")
    fake = FakeServer(monkeypatch, auth_error=error, databases=["prod"])
    with pytest.raises(AccessDenied) as err:
        session.connect("https://erp.example.com", db="prod", user="bot", password=SECRET)
    text = str(err.value) + repr(err.value)
    assert "'bot'" in text and "'prod'" in text and "https://erp.example.com" in text
    assert SECRET not in text
    assert err.value.name == "odoo.exceptions.AccessDenied"
    assert fake.http is not None and fake.http.closed
    with pytest.raises(ConfigurationError):
        session.get_default_connection()


def test_bad_api_key_on_json2(clean_env, monkeypatch):
    FakeServer(monkeypatch, version=19, auth_error=AccessDenied("invalid key"), databases=["p"])
    with pytest.raises(AccessDenied, match="API key") as err:
        session.connect("https://erp.example.com", db="p", api_key=KEY)
    assert KEY not in str(err.value)


def test_false_uid_is_access_denied(clean_env, monkeypatch):
    FakeServer(monkeypatch, uid=False)
    with pytest.raises(AccessDenied, match="'bot'"):
        session.connect("https://erp.example.com", db="prod", user="bot", password=SECRET)


def test_unknown_database_is_named(clean_env, monkeypatch):
    error = ServerError("KeyError: 'no_such_db'", name="builtins.KeyError")
    FakeServer(monkeypatch, auth_error=error, databases=["prod", "test"])
    with pytest.raises(ConfigurationError, match=r"'no_such_db' does not exist.*'prod', 'test'"):
        session.connect("https://erp.example.com", db="no_such_db", user="bot", password=SECRET)


def test_other_server_errors_pass_through(clean_env, monkeypatch):
    error = ServerError("boom")
    FakeServer(monkeypatch, auth_error=error, databases=["prod"])
    with pytest.raises(ServerError, match="boom"):
        session.connect("https://erp.example.com", db="prod", user="bot", password=SECRET)


def test_readonly_guard_on_opened_connection(clean_env, monkeypatch):
    FakeServer(monkeypatch)
    conn = session.connect(
        "https://erp.example.com", db="p", user="bot", password=SECRET, readonly=True
    )
    assert conn.readonly
    with pytest.raises(ReadonlyError):
        conn.execute("res.partner", "unlink", [1])
