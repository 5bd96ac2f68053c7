"""Resolving connect() arguments: env fallbacks, validation, protocol choice (no network)."""

from __future__ import annotations

import pytest

from odoorm.exceptions import ConfigurationError
from odoorm.session.options import (
    check_options,
    choose_protocol,
    normalize_url,
    pick_database,
    resolve_target,
)
from odoorm.version import ServerVersion

ENV = {
    "ODOO_URL": "https://erp.example.com/",
    "ODOO_DB": "prod",
    "ODOO_USER": "bot",
    "ODOO_PASSWORD": "env-secret",
    "ODOO_PROTOCOL": "xmlrpc",
}


def resolve(environ=None, **kw):
    args = {"url": None, "db": None, "user": None, "password": None, "api_key": None}
    args.update(kw)
    protocol = args.pop("protocol", None)
    return resolve_target(protocol=protocol, environ=environ or {}, **args)


def test_everything_from_the_environment():
    t = resolve(ENV)
    assert (t.url, t.db, t.user, t.password, t.protocol) == (
        "https://erp.example.com",
        "prod",
        "bot",
        "env-secret",
        "xmlrpc",
    )


def test_explicit_arguments_beat_the_environment():
    t = resolve(
        ENV,
        url="https://erp.example.com",
        db="test",
        user="alice",
        password="pw",
        protocol="session",
    )
    assert (t.db, t.user, t.password, t.protocol) == ("test", "alice", "pw", "session")


def test_explicit_auto_beats_odoo_protocol():
    assert resolve(ENV, protocol="auto").protocol == "auto"


def test_an_explicit_secret_disables_both_env_secrets():
    env = {**ENV, "ODOO_API_KEY": "env-key"}
    t = resolve(env, password="pw")
    assert (t.password, t.api_key) == ("pw", None)
    t = resolve(env, api_key="k")
    assert (t.password, t.api_key) == (None, "k")


def test_env_credentials_are_not_sent_to_another_server():
    with pytest.raises(ConfigurationError) as err:
        resolve(ENV, url="https://other.example.com")
    assert "ODOO_URL=https://erp.example.com" in str(err.value)
    assert "env-secret" not in str(err.value)
    t = resolve(ENV, url="https://other.example.com", user="u", password="pw")
    assert t.db is None  # ODOO_DB belongs to the other server too


def test_same_server_spelled_differently_uses_env():
    t = resolve(ENV, url="HTTPS://ERP.example.com")
    assert t.password == "env-secret"


def test_empty_env_values_count_as_unset():
    env = {"ODOO_URL": "https://x.example", "ODOO_USER": "u", "ODOO_PASSWORD": "p", "ODOO_DB": ""}
    assert resolve(env).db is None


@pytest.mark.parametrize(
    ("kw", "needle"),
    [
        ({}, "ODOO_URL"),
        ({"url": "https://x.example"}, "ODOO_PASSWORD"),
        ({"url": "https://x.example", "password": "p"}, "ODOO_USER"),
        (
            {"url": "https://x.example", "user": "u", "password": "p", "protocol": "json2"},
            "API key",
        ),
        ({"url": "https://x.example", "api_key": "k", "protocol": "xmlrpc"}, "ODOO_USER"),
        ({"url": "erp.example.com", "user": "u", "password": "p"}, "https://"),
        ({"url": "ftp://erp.example.com", "user": "u", "password": "p"}, "not an http"),
        ({"url": "https://x", "user": "u", "password": "p", "protocol": "grpc"}, "'grpc'"),
    ],
)
def test_missing_or_bad_arguments(kw, needle):
    with pytest.raises(ConfigurationError, match=needle):
        resolve(**kw)


def test_bad_protocol_from_env_names_the_variable():
    with pytest.raises(ConfigurationError, match="ODOO_PROTOCOL='soap'"):
        resolve({**ENV, "ODOO_PROTOCOL": "soap"})


def test_api_key_alone_is_enough_for_auto():
    t = resolve(url="https://x.example", api_key="k")
    assert (t.user, t.protocol) == (None, "auto")


def test_target_repr_hides_secrets():
    t = resolve(url="https://x.example", user="u", password="hunter2", api_key="key-123")
    assert "hunter2" not in repr(t) and "key-123" not in repr(t)


def test_normalize_url():
    assert normalize_url(" https://erp.example.com/ ") == "https://erp.example.com"
    assert normalize_url("http://127.0.0.1:8069/odoo/") == "http://127.0.0.1:8069/odoo"


V17, V18, V19 = ServerVersion(17), ServerVersion(18), ServerVersion(19)


@pytest.mark.parametrize(
    ("requested", "version", "key", "expected"),
    [
        ("auto", V19, True, "json2"),
        ("auto", V19, False, "jsonrpc"),
        ("auto", V18, True, "jsonrpc"),
        ("auto", V17, False, "jsonrpc"),
        ("xmlrpc", V19, True, "xmlrpc"),
        ("session", V18, False, "session"),
        ("json2", V19, True, "json2"),
    ],
)
def test_choose_protocol(requested, version, key, expected):
    assert choose_protocol(requested, version, has_api_key=key, url="u") == expected


def test_json2_before_19_is_refused():
    with pytest.raises(ConfigurationError, match=r"Odoo 18\.0.*Odoo 19"):
        choose_protocol("json2", V18, has_api_key=True, url="https://x.example")


def test_pick_database():
    assert pick_database(["only"], "u") == "only"
    with pytest.raises(ConfigurationError, match="does not list"):
        pick_database([], "u")
    with pytest.raises(ConfigurationError, match=r"'a', 'b'.*ODOO_DB"):
        pick_database(["b", "a"], "u")


OK = dict(
    timeout=(10, 120),
    max_rps=None,
    max_concurrency=None,
    retries=3,
    cache_ttl=300,
    cache_size=10,
    lazy="load",
    context=None,
)


def test_options_normalised():
    opts = check_options(**{**OK, "timeout": 5, "max_rps": 2, "context": {"lang": "fr_FR"}})
    assert opts.timeout == 5.0 and opts.max_rps == 2.0 and opts.context == {"lang": "fr_FR"}
    assert check_options(**OK).timeout == (10.0, 120.0)
    assert check_options(**{**OK, "cache_ttl": 0}).cache_ttl == 0.0  # do not cache
    assert check_options(**{**OK, "cache_ttl": None}).cache_ttl is None  # never expire


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("timeout", 0),
        ("timeout", (1, 2, 3)),
        ("timeout", "10"),
        ("max_rps", 0),
        ("max_rps", True),
        ("max_concurrency", 0),
        ("max_concurrency", 2.5),
        ("retries", -1),
        ("cache_ttl", -1),
        ("cache_size", "big"),
        ("lazy", "eager"),
        ("context", [("lang", "fr")]),
    ],
)
def test_bad_options_name_the_argument(name, value):
    with pytest.raises(ConfigurationError, match=name):
        check_options(**{**OK, name: value})


def test_api_key_pasted_with_a_line_break_is_trimmed():
    t = resolve(url="https://x.example", api_key="  0123abcd\n")
    assert t.api_key == "0123abcd"


@pytest.mark.parametrize(
    ("kw", "needle"),
    [
        ({"api_key": "0123\nabcd"}, "api_key contains whitespace"),
        ({"api_key": "01 23"}, "api_key contains whitespace"),
        ({"user": "u", "password": "pw\n"}, "password contains a line break"),
    ],
)
def test_secrets_with_control_characters_are_refused_without_showing_them(kw, needle):
    with pytest.raises(ConfigurationError, match=needle) as err:
        resolve(url="https://x.example", **kw)
    secret = kw.get("api_key") or kw["password"]
    assert secret.strip() not in str(err.value)


def test_web_session_with_an_api_key_only_is_refused_before_sending():
    # Odoo's web login refuses API keys on every version, and a refusal counts
    # among the 5 failed logins before the address is blocked
    with pytest.raises(ConfigurationError) as info:
        resolve(url="https://erp.example.com", user="bot", api_key="k" * 40, protocol="session")
    text = str(info.value)
    assert "password=..." in text and "protocol='jsonrpc'" in text and "'json2'" in text
    assert "k" * 40 not in text
    env = {**ENV, "ODOO_PROTOCOL": "session", "ODOO_API_KEY": "k" * 40}
    del env["ODOO_PASSWORD"]
    with pytest.raises(ConfigurationError, match="refuses API keys"):
        resolve(env)


def test_web_session_with_a_password_and_an_api_key_is_accepted():
    t = resolve(ENV, api_key="k" * 40, password="pw", protocol="session")
    assert (t.protocol, t.password) == ("session", "pw")
