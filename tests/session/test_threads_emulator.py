"""One connection shared by 8 threads that write and read back, on every protocol;
a web session that expires under 8 threads logs in again once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from odoorm import session

PROTOCOLS = ["xmlrpc", "jsonrpc", "session", "json2"]


@pytest.fixture(scope="module", params=[17, 19])
def odoo(request):
    server = pytest.importorskip("odoorm.testing.server")
    with server.Emulator(version=request.param) as emulator:
        yield emulator


def _open(odoo, protocol: str) -> session.Connection:
    secret = {"api_key": odoo.api_key} if protocol == "json2" else {"password": odoo.password}
    return session.connect(
        odoo.url, db=odoo.db, user=odoo.login, protocol=protocol, default=False, **secret
    )


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_eight_threads_write_and_read_back_uncrossed(odoo, protocol):
    if protocol == "json2" and odoo.version < 19:
        pytest.skip("JSON-2 exists on Odoo 19+ only")
    with _open(odoo, protocol) as conn:
        ids = [conn.execute("res.partner", "create", {"name": f"thread {n}"}) for n in range(8)]

        def work(n: int) -> list[tuple[str, str, str | None]]:
            pid = ids[n]
            view = conn.with_context(lang="en_US", tag=n)  # views share the pool
            seen = []
            for k in range(6):
                name = f"{protocol} {n}.{k}"
                view.execute("res.partner", "write", [pid], {"name": name})
                row = view.rpc("res.partner", "read", [pid], fields=["name"])[0]
                seen.append((name, row["name"], view.context.get("tag")))
            return seen

        with ThreadPoolExecutor(8) as pool:
            for n, seen in enumerate(pool.map(work, range(8))):
                assert all(want == got and tag == n for want, got, tag in seen), seen
        conn.execute("res.partner", "unlink", ids)


def test_expired_session_under_eight_threads_logs_in_once(odoo):
    with _open(odoo, "session") as conn:
        transport = conn.transport
        logins = []
        login = transport._login

        def counting_login():
            logins.append(1)
            return login()

        transport._login = counting_login  # type: ignore[method-assign]
        expected = conn.execute("res.partner", "search_count", [])
        # the server forgets the session (logout elsewhere, server restart...)
        requests.post(
            f"{odoo.url}/web/session/destroy",
            json={"jsonrpc": "2.0", "method": "call", "params": {}},
            cookies={"session_id": transport._sid},
            timeout=10,
        ).raise_for_status()
        with ThreadPoolExecutor(8) as pool:
            counts = list(
                pool.map(lambda _: conn.execute("res.partner", "search_count", []), range(16))
            )
        assert counts == [expected] * 16
        assert len(logins) == 1
