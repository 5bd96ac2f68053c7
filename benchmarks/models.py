"""RPC count and wall time of the models layer against the in-process emulator.

    python benchmarks/models.py [--partners 20000]

Scenarios:
  * N+1: 50 partners, print name and country name in a plain loop
    (lazy prefetch groups, and select_related: one web_search_read);
  * bulk: every partner (20,000 by default) with its country name.
Each runs with odoorm and with hand-written ``execute_kw`` (a naive loop with
one read per country, and the careful two-call version); odoorpc / odooly are
reported as skipped unless installed (they need a real HTTP server).
The emulator answers in-process, so times show client-side cost, not network.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections.abc import Callable
from typing import Any

import odoorm.models  # noqa: F401  (registers conn.env)
from odoorm import fields
from odoorm.models import Model
from odoorm.session import connect
from odoorm.testing.orm import Database
from odoorm.transport.base import MockTransport, RecordingTransport, RPCCall


class Country(Model):
    _name = "res.country"
    name = fields.Char()


class Partner(Model):
    _name = "res.partner"
    name = fields.Char()
    country = fields.Many2one(Country, source="country_id")


def in_process(db: Database) -> MockTransport:
    def handler(call: RPCCall) -> Any:
        args: list[Any] = list(call.args)
        if call.ids is not None:
            args.insert(0, list(call.ids))
        return db.execute(db.uid, call.model, call.method, args, dict(call.kwargs))

    return MockTransport(handler, uid=db.uid)


def measure(
    label: str, fn: Callable[[Any, RecordingTransport], int], db: Database, repeat: int = 3
) -> None:
    """Best of ``repeat`` runs, each on a new connection (a cold identity map).

    Wall time and CPU time of this process: on a busy machine the CPU time is
    the steadier figure to compare (both include the in-process emulator)."""
    best = best_cpu = float("inf")
    calls = rows = 0
    for _ in range(repeat):
        rec = RecordingTransport(in_process(db))
        conn = connect(transport=rec, check_schema=False, default=False)
        rec.reset()
        start, start_cpu = time.perf_counter(), time.process_time()
        rows = fn(conn, rec)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
        best = min(best, time.perf_counter() - start)
        calls = rec.count
        conn.close()
    print(
        f"  {label:<34} {calls:>6} calls {best * 1000:>10.1f} ms "
        f"{best_cpu * 1000:>8.1f} ms CPU  ({rows} rows)"
    )


# -- N+1 scenario ---------------------------------------------------------------


def orm_page(
    conn: Any, rec: RecordingTransport, limit: int | None = 50, *, related: bool = False
) -> int:
    qs = Partner.objects.using(conn).order_by("id")
    if related:
        qs = qs.select_related("country")
    if limit:
        qs = qs[:limit]
    out = [(p.name, p.country.name if p.country else None) for p in qs]
    return len(out)


def related_page(conn: Any, rec: RecordingTransport, limit: int | None = 50) -> int:
    return orm_page(conn, rec, limit, related=True)


def _partner_rows(conn: Any, limit: int | None) -> list[dict[str, Any]]:
    """The hand-written baselines' one search_read of names and country pairs."""
    return conn.rpc(
        "res.partner",
        "search_read",
        domain=[],
        fields=["name", "country_id"],
        order="id",
        limit=limit or None,
    )


def naive_page(conn: Any, rec: RecordingTransport, limit: int | None = 50) -> int:
    rows = _partner_rows(conn, limit)
    out = []
    for row in rows:
        name = None
        if row["country_id"]:
            name = conn.rpc("res.country", "read", [row["country_id"][0]], fields=["name"])[0]
            name = name["name"]
        out.append((row["name"], name))
    return len(out)


def careful_page(conn: Any, rec: RecordingTransport, limit: int | None = 50) -> int:
    rows = _partner_rows(conn, limit)
    ids = sorted({r["country_id"][0] for r in rows if r["country_id"]})
    names = {c["id"]: c["name"] for c in conn.rpc("res.country", "read", ids, fields=["name"])}
    out = [(r["name"], names.get(r["country_id"][0]) if r["country_id"] else None) for r in rows]
    return len(out)


def orm_all(conn: Any, rec: RecordingTransport) -> int:
    out = [
        (p.name, p.country.name if p.country else None)
        for p in Partner.objects.using(conn).iterator(chunk_size=2000)
    ]
    return len(out)


def related_all(conn: Any, rec: RecordingTransport) -> int:
    out = [
        (p.name, p.country.name if p.country else None)
        for p in Partner.objects.using(conn).select_related("country").iterator(chunk_size=2000)
    ]
    return len(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = Database(version=18, data="demo")
    db.generate(partners=args.partners, seed=1)
    print(f"emulator: Odoo 18, {args.partners} generated partners (+ demo data)")
    print("N+1 scenario (50 partners, name + country.name):")
    n = args.repeat
    measure("odoorm (lazy, prefetch groups)", orm_page, db, n)
    measure("odoorm select_related('country')", related_page, db, n)
    measure("execute_kw, naive loop", naive_page, db, n)
    measure("execute_kw, careful (2 calls)", careful_page, db, n)
    print(f"all partners with country names (best of {n}):")
    measure("odoorm iterator(chunk_size=2000)", orm_all, db, n)
    measure("odoorm select_related + iterator", related_all, db, n)
    measure("odoorm list (one search_read)", lambda c, r: orm_page(c, r, None), db, n)
    measure("execute_kw, careful (2 calls)", lambda c, r: careful_page(c, r, None), db, n)
    for lib in ("odoorpc", "odooly"):
        if importlib.util.find_spec(lib) is None:
            print(f"  {lib:<34} skipped (not installed)")
        else:
            print(f"  {lib:<34} skipped (needs a live HTTP server; run against Emulator())")


if __name__ == "__main__":
    main()
