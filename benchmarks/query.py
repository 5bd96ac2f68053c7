"""Client-side cost of the QuerySet.

    python benchmarks/query.py [--records 20000] [--chunk 2000] [--repeat 3]

1. Compile time of a 50-term Q (25 ``|``-pairs of lookups ANDed, half of them
   through a relation), through ``QuerySet.filter`` (validation + domain compilation).
2. Iterating N records of an emulator over HTTP (JSON-RPC), in µs per record:
   odoorm (records from ``iterator()``, ``values_list()``) next to a raw
   ``execute_kw`` + ``json`` baseline that pages the same way (keyset on id,
   same chunk size, same fields). Both pay the same server and wire time, so
   the difference is what odoorm adds on the client.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable
from typing import Any

import requests

from odoorm import fields
from odoorm.domain import Q
from odoorm.models import Model
from odoorm.query import QuerySet
from odoorm.session import connect
from odoorm.testing.server import Emulator


class Country(Model):
    _name = "res.country"
    name = fields.Char()
    code = fields.Char()


class Partner(Model):
    _name = "res.partner"
    name = fields.Char()
    email = fields.Char()
    is_company = fields.Boolean()
    customer_rank = fields.Integer()
    country = fields.Many2one(Country, source="country_id")


FIELDS = ["name", "email", "is_company", "customer_rank", "country_id"]


def fifty_terms() -> Q:
    q = Q()
    for i in range(25):  # 25 x (a | b): 50 leaves, with relation paths
        q &= Q(name__icontains=f"n{i}") | Q(country__code=f"C{i}")
    return q


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def raw_keyset(url: str, db: str, uid: int, password: str, chunk: int, domain: list) -> int:
    """execute_kw search_read pages by id, decoded with json: the baseline."""
    session = requests.Session()
    last, n, ids = 0, 0, itertools.count()
    while True:
        body = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(ids),
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    db,
                    uid,
                    password,
                    "res.partner",
                    "search_read",
                    [["&", ["id", ">", last], *domain]],
                    {"fields": FIELDS, "order": "id", "limit": chunk},
                ],
            },
        }
        rows = session.post(f"{url}/jsonrpc", json=body, timeout=60).json()["result"]
        n += len(rows)
        if len(rows) < chunk:
            return n
        last = rows[-1]["id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with Emulator(version=18, data="demo") as emu:
        emu.database.load(
            {
                "models": {
                    "res.partner": {
                        "records": [
                            {
                                "id": 1_000_000 + i,
                                "name": f"Bench {i:06d}",
                                "display_name": f"Bench {i:06d}",
                                "email": f"b{i}@example.com",
                                "active": True,
                                "is_company": i % 3 == 0,
                                "customer_rank": i % 11,
                                "country_id": [20, "Belgium"] if i % 2 else False,
                            }
                            for i in range(args.records)
                        ]
                    }
                }
            }
        )
        conn = connect(emu.url, db=emu.db, user=emu.login, password=emu.password)
        n = args.records

        q = fifty_terms()
        base = QuerySet(Partner, conn)
        loops = 200
        compile_s, _ = best_of(args.repeat, lambda: [base.filter(q) for _ in range(loops)])
        terms = sum(1 for t in base.filter(q).domain if isinstance(t, tuple))

        qs = Partner.objects.using(conn).filter(name__startswith="Bench ")
        rows: list[tuple[str, float, int]] = []
        raw_s, raw_n = best_of(
            args.repeat,
            lambda: raw_keyset(emu.url, emu.db, conn.uid or 2, emu.password, args.chunk, qs.domain),
        )
        rows.append(("execute_kw + json (baseline)", raw_s, raw_n))
        for label, fn in [
            ("odoorm iterator() -> records", lambda: sum(1 for _ in qs.iterator(args.chunk))),
            (
                "odoorm values_list() keyset",
                lambda: sum(
                    1 for _ in qs.values_list("name", "email", "country").iterator(args.chunk)
                ),
            ),
            ("odoorm list(qs) (one search_read)", lambda: len(list(qs.all()))),
        ]:
            conn.clear_cache()
            elapsed, count = best_of(args.repeat, fn)
            rows.append((label, elapsed, count))
        conn.close()

    print(f"compile a {terms}-leaf Q through filter(): {compile_s / loops * 1e6:8.1f} µs each")
    print(f"iterating {n} emulator records over JSON-RPC ", end="")
    print(f"(chunk {args.chunk}, best of {args.repeat})")
    print(f"  {'':36} {'total ms':>10} {'µs/record':>10} {'client µs/rec':>14} {'x raw':>6}")
    for label, elapsed, count in rows:
        per = elapsed / max(count, 1) * 1e6
        extra = (elapsed - raw_s) / max(count, 1) * 1e6
        ratio = elapsed / raw_s
        print(
            f"  {label:<36} {elapsed * 1000:>10.1f} {per:>10.2f} {extra:>+14.2f} {ratio:>6.2f}"
            f"  ({count} rows)"
        )


if __name__ == "__main__":
    main()
