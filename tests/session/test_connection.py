"""Connection behaviour through an injected transport (no HTTP)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from odoorm import session
from odoorm.exceptions import ConfigurationError, ReadonlyError, ServerError
from odoorm.session import Connection, ConnectionClosedError, connect
from odoorm.session.cache import RecordCache
from odoorm.transport.base import MockTransport, RecordingTransport, RPCCall
from odoorm.version import ServerVersion

from .conftest import echo


def test_injected_transport_defaults(conn, recorder):
    assert conn.transport is recorder
    assert conn.http is None
    assert conn.uid == 2
    assert conn.version == ServerVersion(18, 0)
    assert conn.protocol == "mock"
    assert (conn.readonly, conn.lazy, conn.check_schema) == (False, "load", True)
    assert isinstance(conn.cache, RecordCache)
    assert recorder.count == 0  # authenticate is not a call


def test_injected_options_are_stored(recorder, clean_env):
    clean_env.setenv("ODOO_URL", "https://ignored.example")
    c = connect(
        transport=recorder,
        version="19.0",
        protocol="json2",
        url="https://erp.example.com/",
        db="prod",
        user="bot",
        readonly=True,
        lazy="raise",
        check_schema=False,
        cache_ttl=10,
        cache_size=5,
        default=False,
    )
    assert (c.url, c.db, c.login, c.protocol) == ("https://erp.example.com", "prod", "bot", "json2")
    assert c.version.major == 19
    assert (c.readonly, c.lazy, c.check_schema) == (True, "raise", False)
    assert (c.cache.maxsize, c.cache.ttl) == (5, 10.0)


def test_lazy_is_validated(recorder):
    with pytest.raises(ConfigurationError, match="lazy"):
        connect(transport=recorder, lazy="sometimes", default=False)


def test_execute_passes_positional_and_named_arguments(conn, recorder):
    out = conn.execute("res.partner", "search_read", [("is_company", "=", True)], limit=5)
    assert out["args"] == ([("is_company", "=", True)],)
    assert out["kwargs"] == {"limit": 5}
    assert out["ids"] is None
    [call] = recorder.calls
    assert (call.model, call.method) == ("res.partner", "search_read")


def test_execute_any_method(conn):
    out = conn.execute("sale.order", "action_confirm", [7])
    assert (out["method"], out["args"]) == ("action_confirm", ([7],))


def test_context_is_merged_per_call(recorder):
    c = connect(transport=recorder, context={"lang": "en_US", "tz": "UTC"}, default=False)
    out = c.execute("res.partner", "read", [1], context={"lang": "fr_FR", "active_test": False})
    assert out["context"] == {"lang": "fr_FR", "tz": "UTC", "active_test": False}
    assert "context" not in out["kwargs"]
    assert dict(c.context) == {"lang": "en_US", "tz": "UTC"}  # unchanged


def test_context_is_read_only(conn):
    with pytest.raises(TypeError):
        conn.context["lang"] = "fr_FR"  # type: ignore[index]


def test_rpc_named_call_with_ids(conn, recorder):
    out = conn.rpc("res.partner", "read", [3, 4], fields=["name"], context={"lang": "nl_NL"})
    assert out["ids"] == (3, 4)
    assert out["kwargs"] == {"fields": ["name"]}
    assert out["context"] == {"lang": "nl_NL"}
    assert out["args"] == ()
    assert conn.rpc("res.partner", "search_count", domain=[])["ids"] is None
    assert conn.rpc("res.partner", "write", 5, vals={"name": "x"})["ids"] == (5,)
    assert recorder.count == 3


def test_rpc_takes_ids_by_name_too(conn, recorder):
    # as JSON-2 names them; sent positionally on XML-RPC/JSON-RPC, where a named
    # 'ids' is refused by Odoo
    assert conn.rpc("res.partner", "unlink", ids=[7])["ids"] == (7,)
    assert conn.rpc("res.partner", "unlink", ids=[7])["kwargs"] == {}
    with pytest.raises(TypeError, match="ids must be integers"):
        conn.rpc("res.partner", "unlink", ids=["7"])
    with pytest.raises(TypeError, match="twice"):
        conn.rpc("res.partner", "unlink", [7], ids=[7])
    assert recorder.count == 2


@pytest.mark.parametrize("ids", [["1"], [True], [1.5]])
def test_rpc_rejects_non_integer_ids(conn, recorder, ids):
    with pytest.raises(TypeError, match="ids must be integers"):
        conn.rpc("res.partner", "read", ids)
    assert recorder.count == 0


@pytest.mark.parametrize(("model", "method"), [("", "read"), ("res.partner", None), (3, "read")])
def test_bad_model_or_method(conn, model, method):
    with pytest.raises(TypeError, match="non-empty string"):
        conn.execute(model, method)


def test_with_context_is_a_view(conn, recorder):
    fr = conn.with_context(lang="fr_FR")
    assert fr is not conn
    assert fr.transport is conn.transport and fr.cache is conn.cache
    assert dict(fr.context) == {"lang": "fr_FR"} and dict(conn.context) == {}
    nested = fr.with_context(active_test=False)
    assert dict(nested.context) == {"lang": "fr_FR", "active_test": False}
    assert nested.rpc("res.partner", "search", domain=[])["context"] == {
        "lang": "fr_FR",
        "active_test": False,
    }
    assert fr.with_context(lang="de_DE").context["lang"] == "de_DE"


def test_identity_token(recorder):
    c = connect(transport=recorder, url="https://e.example", db="d", default=False)
    assert c.identity_token == ("https://e.example", "d", 2, None, None)
    fr = c.with_context(lang="fr_FR", allowed_company_ids=[3, 1])
    assert fr.identity_token == ("https://e.example", "d", 2, "fr_FR", 3)
    assert c.with_context(company_id=4).identity_token[-1] == 4


# -- readonly -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["create", "write", "unlink", "action_confirm", "copy"])
def test_readonly_refuses_before_sending(recorder, method):
    c = connect(transport=recorder, readonly=True, default=False)
    with pytest.raises(ReadonlyError) as err:
        c.execute("res.partner", method, [1])
    assert "readonly=False" in str(err.value)
    assert method in str(err.value)
    with pytest.raises(ReadonlyError):
        c.with_context(lang="fr_FR").rpc("res.partner", method, [1])
    assert recorder.count == 0


@pytest.mark.parametrize(
    "method", ["search_read", "read", "search_count", "fields_get", "read_group"]
)
def test_readonly_allows_reads(recorder, method):
    c = connect(transport=recorder, readonly=True, default=False)
    c.rpc("res.partner", method)
    assert recorder.count == 1


# -- fields_get cache -----------------------------------------------------------


def fields_server(call: RPCCall):
    assert call.method == "fields_get"
    return {"name": {"type": "char", "string": "Name"}, "_attrs": list(call.kwargs["attributes"])}


def test_fields_get_is_cached_and_shared_by_views():
    rec = RecordingTransport(MockTransport(fields_server))
    c = connect(transport=rec, default=False)
    first = c.fields_get("res.partner")
    assert first["name"]["type"] == "char"
    assert first["_attrs"] == list(session.FIELDS_GET_ATTRIBUTES)
    assert c.fields_get("res.partner") is first
    assert c.with_context(lang="fr_FR").fields_get("res.partner") is first
    c.fields_get("res.country")
    assert rec.methods() == ["res.partner.fields_get", "res.country.fields_get"]
    c.clear_cache()
    c.fields_get("res.partner")
    assert rec.count == 3


@pytest.mark.parametrize("ttl", [0, None])
def test_fields_get_is_kept_until_clear_cache_with_ttl_zero_or_none(ttl):
    """cache_ttl=0 is about record values: a schema is not refetched per query."""
    rec = RecordingTransport(MockTransport(fields_server))
    c = connect(transport=rec, cache_ttl=ttl, default=False)
    c.fields_get("res.partner")
    c.fields_get("res.partner")
    assert rec.count == 1
    c.clear_cache()
    c.fields_get("res.partner")
    assert rec.count == 2


def test_fields_get_expires_after_a_positive_ttl():
    rec = RecordingTransport(MockTransport(fields_server))
    c = connect(transport=rec, cache_ttl=0.01, default=False)
    c.fields_get("res.partner")
    time.sleep(0.05)
    c.fields_get("res.partner")
    assert rec.count == 2


def test_fields_get_fetches_once_under_concurrency():
    gate = threading.Event()

    def slow(call: RPCCall):
        gate.wait(5)
        return fields_server(call)

    rec = RecordingTransport(MockTransport(slow))
    c = connect(transport=rec, default=False)
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(c.fields_get, "res.partner") for _ in range(8)]
        gate.set()
        results = [f.result() for f in futures]
    assert rec.count == 1
    assert all(r is results[0] for r in results)


def test_clear_cache_clears_record_cache(conn, monkeypatch):
    cleared = []
    monkeypatch.setattr(conn.cache, "clear", lambda: cleared.append(True))
    conn.with_context(lang="fr_FR").clear_cache()
    assert cleared == [True]


def test_server_errors_pass_through(recorder):
    def boom(call):
        raise ServerError("Invalid field 'x'", name="builtins.ValueError")

    c = connect(transport=MockTransport(boom), default=False)
    with pytest.raises(ServerError, match="Invalid field"):
        c.execute("res.partner", "read", [1], ["x"])


# -- threads --------------------------------------------------------------------


def test_eight_threads_get_their_own_answers(recorder):
    c = connect(transport=recorder, default=False)

    def work(n: int):
        view = c.with_context(thread=n)
        out = []
        for i in range(50):
            r = view.rpc("res.partner", "read", [n * 1000 + i], fields=[f"f{n}"])
            out.append((r["ids"], r["kwargs"]["fields"], r["context"]["thread"]))
        return n, out

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    for n, out in results:
        assert out == [((n * 1000 + i,), [f"f{n}"], n) for i in range(50)]
    assert recorder.count == 400


# -- close, context manager -----------------------------------------------------


class Closing(MockTransport):
    def __init__(self):
        super().__init__(echo)
        self.closed = 0

    def close(self):
        self.closed += 1


def test_context_manager_closes_once():
    t = Closing()
    with connect(transport=t, default=False) as c:
        c.execute("res.partner", "search", [])
        view = c.with_context(lang="fr_FR")
    assert t.closed == 1 and c.closed and view.closed
    c.close()
    assert t.closed == 1
    with pytest.raises(ConnectionClosedError, match=r"closed.*odoorm\.connect"):
        c.execute("res.partner", "search", [])
    with pytest.raises(ConnectionClosedError):
        view.rpc("res.partner", "search", domain=[])
    assert "closed" in repr(c)


# -- default connection ---------------------------------------------------------


def test_no_default_connection_is_a_clear_error():
    with pytest.raises(ConfigurationError, match=r"odoorm\.connect"):
        session.get_default_connection()


def test_first_connection_becomes_the_default(recorder):
    first = connect(transport=recorder)
    second = connect(transport=recorder)
    assert session.get_default_connection() is first
    session.set_default_connection(second)
    assert session.get_default_connection() is second
    session.set_default_connection(None)
    with pytest.raises(ConfigurationError):
        session.get_default_connection()


def test_default_false_opts_out(recorder):
    connect(transport=recorder, default=False)
    with pytest.raises(ConfigurationError):
        session.get_default_connection()


def test_closing_the_default_forgets_it(recorder):
    with connect(transport=recorder) as first:
        assert session.get_default_connection() is first
    with pytest.raises(ConfigurationError):
        session.get_default_connection()
    with connect(transport=recorder) as second:
        assert session.get_default_connection() is second


def test_set_default_connection_type_checked():
    with pytest.raises(TypeError):
        session.set_default_connection("conn")  # type: ignore[arg-type]


def test_default_connection_thread_safe(recorder):
    barrier = threading.Barrier(8)

    def open_one(_):
        barrier.wait()
        return connect(transport=recorder)

    with ThreadPoolExecutor(8) as pool:
        conns = list(pool.map(open_one, range(8)))
    assert sum(c is session.get_default_connection() for c in conns) == 1


# -- env ------------------------------------------------------------------------


def test_env_without_models_layer(conn, monkeypatch):
    monkeypatch.setattr(session.connection, "_env_factory", None)
    with pytest.raises(ConfigurationError, match="models"):
        conn.env["res.partner"]


def test_env_uses_the_registered_factory(conn, monkeypatch):
    monkeypatch.setattr(session.connection, "_env_factory", None)
    made = []

    def factory(c: Connection, model: str) -> type:
        made.append((c, model))
        return type("Dyn", (), {"_name": model})

    session.set_env_factory(factory)
    cls = conn.env["res.partner"]
    assert cls._name == "res.partner"
    assert made == [(conn, "res.partner")]
    assert conn.env is conn.env
    with pytest.raises(TypeError, match="model name"):
        conn.env[3]  # type: ignore[index]


# -- secrets --------------------------------------------------------------------


def test_repr_shows_identity_not_secrets(recorder):
    c = connect(
        transport=recorder,
        url="https://erp.example.com",
        db="prod",
        user="bot",
        version=(17, 0),
        context={"lang": "fr_FR"},
        readonly=True,
        default=False,
    )
    text = repr(c)
    for part in (
        "https://erp.example.com",
        "'prod'",
        "'bot'",
        "'mock'",
        "17.0",
        "readonly",
        "fr_FR",
    ):
        assert part in text
    assert "Env of" in repr(c.env)


def test_no_attribute_holds_a_secret(recorder):
    c = connect(transport=recorder, default=False)
    assert not hasattr(c, "password") and not hasattr(c, "api_key")
    assert not hasattr(c, "__dict__")
