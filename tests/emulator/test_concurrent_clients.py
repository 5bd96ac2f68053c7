"""One emulator serving several HTTP clients at once: each sees the results of its own calls."""

from __future__ import annotations

import threading
import xmlrpc.client

from odoorm.testing import Emulator


def test_concurrent_http_clients_see_their_own_results() -> None:
    """8 threads creating, writing and reading through XML-RPC at once: every answer is the
    caller's own, and the store ends consistent."""
    with Emulator(version=18) as odoo:
        with xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/common") as common:
            uid = common.authenticate(odoo.db, odoo.login, odoo.password, {})
        failures: list[str] = []
        created: dict[int, list[int]] = {}

        def work(n: int) -> None:
            mine: list[int] = []
            proxy = xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/object")
            try:
                for i in range(15):
                    name = f"Thread {n} item {i}"
                    rid = proxy.execute_kw(
                        odoo.db, uid, odoo.password, "res.partner", "create", [{"name": name}]
                    )
                    mine.append(rid)
                    proxy.execute_kw(
                        odoo.db, uid, odoo.password, "res.partner", "write",
                        [[rid], {"ref": f"T{n}-{i}"}],
                    )  # fmt: skip
                    got = proxy.execute_kw(
                        odoo.db, uid, odoo.password, "res.partner", "read",
                        [[rid], ["name", "ref"]],
                    )  # fmt: skip
                    if got != [{"id": rid, "name": name, "ref": f"T{n}-{i}"}]:
                        failures.append(f"thread {n}: {got!r}")
                    found = proxy.execute_kw(
                        odoo.db, uid, odoo.password, "res.partner", "search",
                        [[("ref", "=like", f"T{n}-%")]],
                    )  # fmt: skip
                    if sorted(found) != sorted(mine):
                        failures.append(f"thread {n}: search saw {found!r}, made {mine!r}")
            except Exception as exc:  # a fault in a thread must fail the test, not vanish
                failures.append(f"thread {n}: {exc!r}")
            finally:
                proxy("close")()
            created[n] = mine

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failures == []
        all_ids = [i for ids in created.values() for i in ids]
        assert len(all_ids) == len(set(all_ids)) == 8 * 15
        db = odoo.database
        assert db.execute(2, "res.partner", "search_count", [[("ref", "=like", "T%-%")]]) == 120
