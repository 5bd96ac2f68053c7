"""Domain arithmetic and chunked streaming for the QuerySet.

Streaming never pages with growing offsets (O(n²) work on the server):

* ordered by id (or not ordered at all): *keyset* paging, each page asks for
  ``id > last id seen`` with ``limit=chunk_size``;
* any other order, or several threads: ONE ``search`` for the ids in that
  order, then one ``search_read`` per ``chunk_size`` ids, optionally over
  several threads (the connection's pooled HTTP session is thread-safe): of
  ``('id', 'in', chunk)``, or, ordered by id, of the query's domain between the
  chunk's first and last id (real Odoo 18 served those spans 7 % faster than
  the same ``in`` lists, the emulator bisects them). ``search_read`` rather
  than ``read``: Odoo 17+ fetches the rows of a ``search_read`` in one query,
  and answered a 20,000-row export about 1.5x faster than the same ``read``
  calls (real Odoo 18).

Only one chunk (per worker) is held at a time, so memory stays bounded.
"""

from __future__ import annotations

import concurrent.futures
import functools
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

__all__ = [
    "ChunkLoader",
    "and_domains",
    "iter_chunks",
    "not_domain",
    "page_kwargs",
    "read_chunk",
]


class ChunkLoader(Protocol):
    """What fetches the rows of a stream (``RowLoader``, ``RelatedLoader``)."""

    odoo_model: str

    def search(
        self, conn: Any, domain: list[Any], order: str | None, offset: int, limit: int | None
    ) -> list[dict[str, Any]]: ...

    def read(self, conn: Any, ids: Sequence[int]) -> list[dict[str, Any]]: ...


_ARITY = {"&": 2, "|": 2, "!": 1}


def _top_level(domain: Sequence[Any]) -> int:
    """How many expressions a prefix domain holds side by side (implicitly ANDed)."""
    top = need = 0
    for term in domain:
        if need == 0:
            top += 1
            need = 1
        need += _ARITY[term] - 1 if isinstance(term, str) and term in _ARITY else -1
    return top


def _expression(domain: Sequence[Any]) -> list[Any]:
    """One expression: implicit ANDs made explicit."""
    return ["&"] * (_top_level(domain) - 1) + list(domain)


def and_domains(*domains: Sequence[Any]) -> list[Any]:
    """AND of prefix domains, left-associative; empty domains are the identity."""
    parts = [_expression(d) for d in domains if d]
    out: list[Any] = ["&"] * (len(parts) - 1)
    for part in parts:
        out.extend(part)
    return out


def not_domain(domain: Sequence[Any]) -> list[Any]:
    """NOT of a prefix domain (the caller skips empty ones)."""
    return ["!", *_expression(domain)]


def keyset_direction(order: str | None) -> str | None:
    """``">"``/``"<"`` when rows can be paged by id, else None."""
    if not order:
        return ">"
    terms = [t.split() for t in order.split(",")]
    if len(terms) != 1 or terms[0][0] != "id":
        return None
    return "<" if len(terms[0]) > 1 and terms[0][1].lower() == "desc" else ">"


def page_kwargs(
    domain: list[Any], order: str | None, offset: int, limit: int | None
) -> dict[str, Any]:
    """``domain`` plus the order/offset/limit worth sending (defaults are left out)."""
    kwargs: dict[str, Any] = {"domain": domain}
    if order:
        kwargs["order"] = order
    if offset:
        kwargs["offset"] = offset
    if limit is not None:
        kwargs["limit"] = limit
    return kwargs


def iter_chunks(
    conn: Any,
    loader: ChunkLoader,
    domain: list[Any],
    order: str | None,
    *,
    offset: int = 0,
    limit: int | None = None,
    chunk_size: int = 2000,
    workers: int | None = None,
    on_total: Callable[[int], None] | None = None,
    on_many: Callable[[], None] | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Yield lists of rows (at most ``chunk_size`` each) matching ``domain``.

    ``on_many`` is called once, before the second chunk is asked for, when
    there is one (the caller may then change what the loader reads).
    """
    direction = keyset_direction(order)
    if direction is not None and not workers:
        if on_total is not None:
            total = conn.rpc(loader.odoo_model, "search_count", domain=domain)
            on_total(
                max(0, total - offset) if limit is None else min(limit, max(0, total - offset))
            )
        yield from _keyset(conn, loader, domain, direction, offset, limit, chunk_size, on_many)
        return
    kwargs = page_kwargs(domain, order or "id", offset, limit)
    ids: list[int] = conn.rpc(loader.odoo_model, "search", **kwargs)
    if on_total is not None:
        on_total(len(ids))
    chunks = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
    if on_many is not None and len(chunks) > 1:
        on_many()
    if direction is not None and len(chunks) > 1:
        # ordered by id: a chunk is the span from its first to its last id, read
        # with the query's own domain, which Odoo (and the emulator) serve as
        # cheaply as a keyset page; a long ('id', 'in', ids) costs more
        reads = [
            functools.partial(read_span, conn, loader, domain, chunk, direction) for chunk in chunks
        ]
    else:
        # the ids are chosen: no archived-records filter again on the chunks (a domain
        # that named 'active' found archived ones, which ('id', 'in', ...) would drop)
        chosen = conn.with_context(active_test=False)
        reads = [functools.partial(read_chunk, chosen, loader, chunk) for chunk in chunks]
    if workers and workers > 1 and len(reads) > 1:
        yield from _parallel(reads, workers)
    else:
        for read in reads:
            yield read()


def read_chunk(conn: Any, loader: ChunkLoader, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The rows of ``ids``, in that order: one ``search_read`` of ``('id', 'in', ids)``
    (``conn`` should have ``active_test=False``: the ids were chosen already)."""
    rows = loader.search(conn, [("id", "in", list(ids))], None, 0, None)
    at = {row["id"]: row for row in rows}
    return [at[i] for i in ids if i in at]


def read_span(
    conn: Any, loader: ChunkLoader, domain: list[Any], ids: Sequence[int], direction: str
) -> list[dict[str, Any]]:
    """The rows matching ``domain`` from the first to the last of ``ids`` (which are
    in id order, ascending for ``">"``): one ``search_read``."""
    low, high = min(ids[0], ids[-1]), max(ids[0], ids[-1])
    span = and_domains(domain, [("id", ">=", low), ("id", "<=", high)])
    return loader.search(conn, span, "id" if direction == ">" else "id desc", 0, None)


def _keyset(
    conn: Any,
    loader: ChunkLoader,
    domain: list[Any],
    direction: str,
    offset: int,
    limit: int | None,
    chunk_size: int,
    on_many: Callable[[], None] | None,
) -> Iterator[list[dict[str, Any]]]:
    order = "id" if direction == ">" else "id desc"
    remaining = limit
    last: int | None = None
    while remaining is None or remaining > 0:
        size = chunk_size if remaining is None else min(chunk_size, remaining)
        page_domain = domain if last is None else and_domains(domain, [("id", direction, last)])
        rows = loader.search(conn, page_domain, order, offset if last is None else 0, size)
        if rows:
            yield rows
        if len(rows) < size:
            return
        if last is None and on_many is not None:
            on_many()
        last = rows[-1]["id"]
        if remaining is not None:
            remaining -= len(rows)


def _parallel(
    reads: Sequence[Callable[[], list[dict[str, Any]]]], workers: int
) -> Iterator[list[dict[str, Any]]]:
    """Run the chunk ``reads`` over ``workers`` threads, yielding their rows in order.

    At most ``2 * workers`` chunks are in flight or waiting, to bound memory.
    """
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=workers, thread_name_prefix="odoorm-read"
    ) as pool:
        pending: deque[concurrent.futures.Future[list[dict[str, Any]]]] = deque()
        try:
            for read in reads:
                pending.append(pool.submit(read))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
