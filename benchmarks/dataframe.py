"""``to_dataframe()`` against the hand-written floor, over HTTP.

    python benchmarks/dataframe.py [--partners 20000] [--chunk 2000] [--repeat 5] [--inprocess]
    python benchmarks/dataframe.py --url http://127.0.0.1:8018 --db o18 --user admin \
        --password admin

With ``--url`` (or ``ODOO_URL`` and the other ``ODOO_*`` variables) it measures a
real server's partners instead of the emulator's (read-only; the server's own
partners, however many it has).

The emulator (Odoo 18, JSON-RPC) holds ``--partners`` generated partners
(``Database.generate``) and runs in a separate process by default, so the
client's time and memory are measured alone (``--inprocess`` shares this
process, and its GIL, with the server). The frame is 5 columns: name, email,
customer rank, and the country and parent names.

Printed, best of ``--repeat`` runs, interleaved so that machine noise hits
every variant alike:

* the floor: the code a pandas user writes by hand over plain JSON-RPC
  (``requests`` + ``execute_kw``): ``search_read`` paged by id keyset, or one
  ``search`` then ``read`` of ``--chunk`` ids, many2one pairs turned into names,
  then ``pd.DataFrame.from_records``; the faster of the two is the floor;
* ``Partner.objects.to_dataframe(...)``, and with ``workers=2``;
* their ratio to the floor (the targets: <= 1.0 and <= 0.8 with two workers;
  two workers pay off only on a server that runs requests side by side, an
  Odoo started with ``--workers 2`` or more, not on the emulator or a
  ``--workers 0`` server);
* whether odoorm's frame holds the same values as the hand-written one;
* the peak memory (tracemalloc) of one ``to_dataframe()`` call next to the
  final DataFrame's own size (``memory_usage(deep=True)``; target <= 2x).
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pandas as pd
import requests

from odoorm import fields
from odoorm.models import Model
from odoorm.session import connect
from odoorm.testing import Emulator

COLUMNS = ["name", "email", "customer_rank", "country", "parent"]
SOURCES = ["name", "email", "customer_rank", "country_id", "parent_id"]


class Country(Model):
    _name = "res.country"
    name = fields.Char()
    code = fields.Char()


class Partner(Model):
    _name = "res.partner"
    name = fields.Char()
    email = fields.Char()
    customer_rank = fields.Integer()
    country = fields.Many2one(Country, source="country_id")
    parent = fields.Many2one("res.partner", source="parent_id")


# ---------------------------------------------------------------- the server


def _serve(partners: int, pipe: Any) -> None:
    with Emulator(version=18) as emu:
        emu.database.generate(partners=partners, seed=13)
        pipe.send((emu.url, emu.db, emu.login, emu.password))
        pipe.recv()  # until the benchmark is done


def start_server(partners: int, inprocess: bool) -> tuple[tuple[str, str, str, str], Callable]:
    if inprocess:
        emu = Emulator(version=18).start()
        emu.database.generate(partners=partners, seed=13)
        return (emu.url, emu.db, emu.login, emu.password), emu.stop
    ours, theirs = multiprocessing.Pipe()
    proc = multiprocessing.get_context("spawn").Process(target=_serve, args=(partners, theirs))
    proc.start()
    where = ours.recv()

    def stop() -> None:
        ours.send("stop")
        proc.join(10)

    return where, stop


# ---------------------------------------------------------------- the floor


class HandWritten:
    """What a pandas user writes without odoorm: execute_kw over JSON-RPC."""

    def __init__(self, url: str, db: str, login: str, password: str):
        self.url, self.db, self.password = f"{url}/jsonrpc", db, password
        self.session = requests.Session()
        self.ids = itertools.count()
        self.uid = self.rpc("common", "login", db, login, password)

    def rpc(self, service: str, method: str, *args: Any) -> Any:
        body = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(self.ids),
            "params": {"service": service, "method": method, "args": list(args)},
        }
        return self.session.post(self.url, json=body, timeout=120).json()["result"]

    def execute(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        return self.rpc(
            "object", "execute_kw", self.db, self.uid, self.password, model, method, list(args),
            kwargs,
        )  # fmt: skip

    @staticmethod
    def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
        for row in rows:
            row["country_id"] = row["country_id"][1] if row["country_id"] else None
            row["parent_id"] = row["parent_id"][1] if row["parent_id"] else None
        return pd.DataFrame.from_records(rows, index="id")

    def keyset(self, chunk: int) -> pd.DataFrame:
        rows: list[dict[str, Any]] = []
        last = 0
        while True:
            page = self.execute(
                "res.partner", "search_read", [("id", ">", last)],
                fields=SOURCES, order="id", limit=chunk,
            )  # fmt: skip
            rows.extend(page)
            if len(page) < chunk:
                return self.frame(rows)
            last = page[-1]["id"]

    def search_then_read(self, chunk: int) -> pd.DataFrame:
        ids = self.execute("res.partner", "search", [], order="id")
        rows: list[dict[str, Any]] = []
        for i in range(0, len(ids), chunk):
            rows.extend(self.execute("res.partner", "read", ids[i : i + chunk], fields=SOURCES))
        return self.frame(rows)


# ---------------------------------------------------------------- the run


def cells(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The frame's rows as plain values, every kind of empty as None."""
    out = []
    for row in frame.sort_index().itertuples(name=None):
        out.append(tuple(None if v is False or v is None or pd.isna(v) else v for v in row))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--inprocess", action="store_true")
    parser.add_argument("--url", default=os.environ.get("ODOO_URL"))
    parser.add_argument("--db", default=os.environ.get("ODOO_DB"))
    parser.add_argument("--user", default=os.environ.get("ODOO_USER", "admin"))
    parser.add_argument("--password", default=os.environ.get("ODOO_PASSWORD", "admin"))
    args = parser.parse_args()

    if args.url:
        url, db, login, password = args.url, args.db, args.user, args.password
        stop: Callable[[], None] = lambda: None  # noqa: E731
    else:
        (url, db, login, password), stop = start_server(args.partners, args.inprocess)
    try:
        conn = connect(url, db=db, user=login, password=password, default=False)
        hand = HandWritten(url, db, login, password)
        qs = Partner.objects.using(conn).all()
        chunk = args.chunk
        variants: dict[str, Callable[[], pd.DataFrame]] = {
            "hand: search_read keyset": lambda: hand.keyset(chunk),
            "hand: search + read": lambda: hand.search_then_read(chunk),
            "odoorm to_dataframe()": lambda: qs.to_dataframe(*COLUMNS, chunk_size=chunk),
            "odoorm to_dataframe(workers=2)": lambda: qs.to_dataframe(
                *COLUMNS, chunk_size=chunk, workers=2
            ),
        }
        best = dict.fromkeys(variants, float("inf"))
        shapes = {}
        for _ in range(args.repeat):
            for label, fn in variants.items():
                start = time.perf_counter()
                frame = fn()
                best[label] = min(best[label], time.perf_counter() - start)
                shapes[label] = frame.shape
                del frame
        floor = min(best["hand: search_read keyset"], best["hand: search + read"])
        same = cells(hand.keyset(chunk)) == cells(variants["odoorm to_dataframe(workers=2)"]())

        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        frame = qs.to_dataframe(*COLUMNS, chunk_size=chunk)
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        size = int(frame.memory_usage(deep=True).sum())
        conn_version = f"Odoo {conn.version.text}"
        conn.close()
    finally:
        stop()

    rows = shapes["odoorm to_dataframe()"][0]
    if args.url:
        print(f"{rows} partners x {len(COLUMNS)} columns of the server at {url} ({conn_version}),")
    else:
        where = "in process" if args.inprocess else "in a subprocess"
        print(f"{rows} generated partners x {len(COLUMNS)} columns, emulator {where},")
    print(f"JSON-RPC, chunk {chunk}, best of {args.repeat}")
    print(f"  {'':34} {'ms':>8} {'x floor':>8}  shape")
    for label, elapsed in best.items():
        print(f"  {label:<34} {elapsed * 1000:>8.1f} {elapsed / floor:>8.2f}  {shapes[label]}")
    print(f"  same values as the hand-written frame: {'yes' if same else 'NO'}")
    print(
        "  targets: to_dataframe() <= 1.0 x floor; workers=2 <= 0.8 x on a server that "
        "answers requests side by side (Odoo --workers 2+; the emulator answers one at a time)"
    )
    print(
        f"  peak memory of to_dataframe(): {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB frame "
        f"({peak / size:.2f} x)"
    )


if __name__ == "__main__":
    main()
