"""Emulator performance: is it fast enough not to be the test suite's bottleneck?

    python benchmarks/emulator.py [--repeat N]

Prints a table:
* ``search_read`` of 1,000 records x 6 fields, in process (``Database.execute``),
  with the server's encoding, and over HTTP (JSON-RPC and XML-RPC on one
  keep-alive connection; these include the client's own decoding, which for
  the stdlib XML-RPC parser is most of the time);
* a domain evaluated over 5,000 / 10,000 / 20,000 generated partners, with the
  time per record, which stays flat when evaluation is linear;
* keyset paging (``search_read`` with ``("id", ">", last)``, 2,000 a page,
  ``order="id"``) through 12,500 / 50,000 / 200,000 generated partners, in
  process: the time per row read stays flat when a page costs O(page).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import time
import xmlrpc.client
from collections.abc import Callable
from urllib.parse import urlsplit

from odoorm.testing import Emulator, protocols
from odoorm.testing.orm import Database

FIELDS = ["name", "email", "country_id", "is_company", "parent_id", "category_id"]
DOMAIN = [
    "|",
    ("name", "ilike", "a"),
    "&",
    ("is_company", "=", True),
    ("country_id.code", "in", ["BE", "US", "FR"]),
]


def timed(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, best) wall time in milliseconds."""
    func()  # warm-up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def search_read_rows(repeat: int) -> list[tuple[str, float, float, int]]:
    rows = []
    with Emulator(version=18, login_cooldown=False) as emu:
        db = emu.database
        with db.lock:
            db.generate(partners=1000, seed=1)
        kwargs = {"fields": FIELDS, "limit": 1000, "order": "id"}
        count = len(db.execute(2, "res.partner", "search_read", [[]], kwargs))

        def in_process() -> object:
            return db.execute(2, "res.partner", "search_read", [[]], dict(kwargs))

        parts = urlsplit(emu.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port)
        payload = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [emu.db, 2, emu.password, "res.partner", "search_read", [[]], kwargs],
                },
            }
        ).encode()

        def over_jsonrpc() -> object:
            conn.request("POST", "/jsonrpc", payload, {"Content-Type": "application/json"})
            return json.loads(conn.getresponse().read())

        proxy = xmlrpc.client.ServerProxy(f"{emu.url}/xmlrpc/2/object")

        def over_xmlrpc() -> object:
            return proxy.execute_kw(
                emu.db, 2, emu.password, "res.partner", "search_read", [[]], kwargs
            )

        def server_json() -> object:
            return protocols.dumps_json({"jsonrpc": "2.0", "id": 1, "result": in_process()})

        def server_xml() -> object:
            return protocols.xmlrpc_response(18, in_process())

        for label, func in (
            ("in process (Database.execute)", in_process),
            ("server work: + JSON encoding", server_json),
            ("server work: + XML-RPC marshal", server_xml),
            ("HTTP JSON-RPC (keep-alive)", over_jsonrpc),
            ("HTTP XML-RPC (ServerProxy)", over_xmlrpc),
        ):
            median, best = timed(func, repeat)
            rows.append((label, median, best, count))
        conn.close()
        proxy("close")()
    return rows


def domain_rows(repeat: int) -> list[tuple[int, float, float, int]]:
    rows = []
    for size in (5000, 10000, 20000):
        db = Database(version=18, data="demo")
        db.generate(partners=size, seed=2)
        total = db.execute(2, "res.partner", "search_count", [[]], {})

        def search(db: Database = db) -> object:
            return db.execute(2, "res.partner", "search", [DOMAIN], {})

        median, best = timed(search, repeat)
        matched = len(db.execute(2, "res.partner", "search", [DOMAIN], {}))
        rows.append((total, median, best, matched))
    return rows


PAGE = 2000


def keyset_rows(sizes: tuple[int, ...]) -> list[tuple[int, int, float, float]]:
    """(rows read, pages, us per row over the whole walk, median ms of a full page) per size
    (best of two walks)."""
    rows = []
    for size in sizes:
        db = Database(version=18, data="demo")
        db.generate(partners=size, seed=4)

        def page(last: int, db: Database = db) -> list:
            kwargs = {"fields": ["name", "email", "is_company"], "limit": PAGE, "order": "id"}
            return db.execute(2, "res.partner", "search_read", [[("id", ">", last)]], kwargs)

        page(0)  # warm-up
        best_row = best_page = float("inf")
        for _ in range(2):
            last, read, full_pages = 0, 0, []
            start = time.perf_counter()
            while True:
                t0 = time.perf_counter()
                got = page(last)
                if len(got) == PAGE:
                    full_pages.append((time.perf_counter() - t0) * 1000)
                if not got:
                    break
                read, last = read + len(got), got[-1]["id"]
            best_row = min(best_row, (time.perf_counter() - start) * 1e6 / read)
            best_page = min(best_page, statistics.median(full_pages))
        rows.append((read, -(-read // PAGE), best_row, best_page))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--only", choices=["search_read", "domain", "keyset"], help="run one section only"
    )
    args = parser.parse_args()
    if args.only in (None, "search_read"):
        print_search_read(args.repeat)
    if args.only in (None, "domain"):
        print_domain(args.repeat)
    if args.only in (None, "keyset"):
        print_keyset()


def print_search_read(repeat: int) -> None:

    print("search_read, 1,000 records x 6 fields (target: well under 50 ms)")
    print(f"  {'path':<32} {'median ms':>10} {'best ms':>9} {'rows':>6}")
    for label, median, best, count in search_read_rows(repeat):
        print(f"  {label:<32} {median:>10.2f} {best:>9.2f} {count:>6}")
    print()


def print_domain(repeat: int) -> None:
    print("domain evaluation (search with an OR/AND domain and a dotted path)")
    print(f"  {'records':>8} {'median ms':>10} {'best ms':>9} {'us/record':>10} {'matched':>8}")
    for total, median, best, matched in domain_rows(max(3, repeat // 3)):
        per_record = best * 1000 / total
        print(f"  {total:>8} {median:>10.2f} {best:>9.2f} {per_record:>10.3f} {matched:>8}")
    print()


def print_keyset() -> None:
    print(f"keyset paging: search_read id > last, {PAGE:,} a page, order id (in process)")
    print(f"  {'rows':>8} {'pages':>6} {'us/row':>8} {'ms/page':>8}")
    for read, pages, per_row, per_page in keyset_rows((12_500, 50_000, 200_000)):
        print(f"  {read:>8} {pages:>6} {per_row:>8.2f} {per_page:>8.2f}")


if __name__ == "__main__":
    main()
