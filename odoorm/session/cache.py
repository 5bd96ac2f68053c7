"""Identity map and read-cache bookkeeping of one connection.

The connection builds one ``RecordCache(maxsize=..., ttl=...)`` and shares it
with its ``with_context`` views.  It holds:

* the identity map: one live Python object per record key, held *weakly* so
  that eviction can never create a second object for a record somebody still
  holds;
* a bounded keep-alive (the ``maxsize`` most recently used records) so
  records loaded by one query are still there for the next;
* the freshness clock: values loaded before ``clear()`` or more than ``ttl``
  seconds ago are stale and get reloaded on next access (``ttl=None``: never
  on their own; ``ttl=0``: see *query epochs* below);
* the ticket counter that orders reads against writes: a read takes a ticket
  before it is sent, a completed write takes one after its answer, so a row is
  never applied over a write it may predate (see :mod:`odoorm.models.state`);
* a small per-connection memo (dynamic ``env`` classes, schema checks done).

A key is a pair ``(namespace, ident)``: the models layer uses one namespace per
(model class, identity token) and the record id as ``ident``, so a page of
thousands of records is looked up and inserted in one dict per namespace,
under one lock acquisition.  The module knows nothing of models otherwise.

Query epochs (``ttl=0``, "do not cache"): every prefetch group the models layer
makes for the records of a query takes a new number from :func:`new_epoch`
(process-wide, increasing), and with ``ttl=0`` a value's stamp holds the epoch
current when it was loaded instead of a time. A value is then fresh only for
the group it was loaded for or a later one: the records of one query serve
what that query (and the lazy loads of its page) read, while a record that a
later query or ``get()`` returns moves to that query's group, and what was read
before it is read again.
"""

from __future__ import annotations

import itertools
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

__all__ = ["RecordCache", "Stamp", "current_epoch", "new_epoch"]

Obj = TypeVar("Obj")

#: When a value was loaded: (cache generation, monotonic time, ticket of the read
#: that brought it, 0 when unknown).
Stamp = tuple[int, float, int]

#: A weakly held entry; dead ones are swept in bulk (see ``_maybe_sweep``).
_Ref = weakref.ref

_SWEEP_MIN = 4096

_epoch_lock = threading.Lock()
_epoch = 0


def new_epoch() -> int:
    """A new query epoch (process-wide, increasing): a query's prefetch group takes one."""
    global _epoch
    with _epoch_lock:
        _epoch += 1
        return _epoch


def current_epoch() -> int:
    """The newest query epoch handed out."""
    return _epoch


class RecordCache:
    """Identity map + keep-alive + freshness clock of one connection.

    Args:
        maxsize: how many recently used records are kept alive even when the
            program holds no reference to them (0 disables the keep-alive).
        ttl: seconds a loaded value stays fresh. ``None``: values never expire
            on their own (only ``clear()``/``refresh()`` renew them). ``0``: do not
            cache: a value serves the records of the query that read it and is
            read again for a later query (see *query epochs* in the module doc).

    The keep-alive is an LRU of strong references (a C-level ``OrderedDict``:
    pages of thousands of records go in at a cost of a few dict operations
    each). The identity map holds plain weak references without callbacks;
    entries of objects that died are swept in bulk once enough insertions
    happened since the last sweep, which keeps the map's size within about
    twice the number of live objects without per-object bookkeeping.
    """

    def __init__(self, maxsize: int = 10_000, ttl: float | None = 300.0):
        if maxsize < 0:
            raise ValueError(f"cache_size must be >= 0, got {maxsize!r}")
        if ttl is not None and ttl < 0:
            raise ValueError(f"cache_ttl must be >= 0 seconds or None, got {ttl!r}")
        self.maxsize = maxsize
        self.ttl = ttl
        self.timer: Callable[[], float] = time.monotonic
        self.generation = 0
        #: held while rows are applied to live records, and while a write's
        #: values and floors are (the records' lock: see odoorm.models.state)
        self.lock = threading.RLock()
        self._tickets = itertools.count(1)
        self._ticket_lock = threading.Lock()
        # namespace -> {ident: weakref}
        self._buckets: dict[Hashable, dict[Hashable, _Ref[Any]]] = {}
        # id(obj) -> obj, least recently used first
        self._keep: OrderedDict[int, Any] | None = OrderedDict() if maxsize else None
        self._inserts = 0
        self._sweep_at = _SWEEP_MIN
        #: per-connection memo for the models layer (env classes, schema checks)
        self.memo: dict[Hashable, Any] = {}

    # -- identity map --------------------------------------------------------

    def get(self, key: tuple[Hashable, Hashable]) -> Any | None:
        """The live object for ``key``, or None."""
        with self.lock:
            bucket = self._buckets.get(key[0])
            ref = bucket.get(key[1]) if bucket is not None else None
            obj = ref() if ref is not None else None
            if obj is not None:
                self._touch(obj)
            return obj

    def get_or_create(
        self, key: tuple[Hashable, Hashable], factory: Callable[[], Obj]
    ) -> tuple[Obj, bool]:
        """The live object for ``key``, creating it with ``factory()`` when absent.

        Returns ``(obj, created)``. Atomic: two threads asking for the same key
        get the same object.
        """
        ns, ident = key
        with self.lock:
            bucket = self._bucket(ns)
            ref = bucket.get(ident)
            obj = ref() if ref is not None else None
            created = obj is None
            if created:
                obj = factory()
                bucket[ident] = _Ref(obj)
                self._inserted(1)
            self._touch(obj)
            return obj, created  # type: ignore[return-value]

    def get_or_create_many(
        self,
        namespace: Hashable,
        idents: Sequence[Hashable],
        factory: Callable[[int], Obj],
        update: Callable[[Obj, int], Any] | None = None,
    ) -> list[Obj]:
        """:meth:`get_or_create` for many idents of one namespace, under one lock.

        ``factory(i)`` builds the object of ``idents[i]``; ``update(obj, i)`` is
        called (under the lock) for each object that was already live.
        """
        out: list[Obj] = []
        append = out.append
        created = 0
        with self.lock:
            bucket = self._bucket(namespace)
            get = bucket.get
            for i, ident in enumerate(idents):
                ref = get(ident)
                obj = ref() if ref is not None else None
                if obj is None:
                    obj = factory(i)
                    bucket[ident] = _Ref(obj)
                    created += 1
                elif update is not None:
                    update(obj, i)
                append(obj)
            self._keep_many(out)
            if created:
                self._inserted(created)
        return out

    def live_in(self, namespace: Hashable, idents: Iterable[Hashable]) -> list[Any]:
        """The live objects among ``idents`` of ``namespace`` (no keep-alive touch)."""
        with self.lock:
            bucket = self._buckets.get(namespace)
            if not bucket:
                return []
            found = (bucket.get(i) for i in idents)
            return [obj for obj in (r() for r in found if r is not None) if obj is not None]

    def add(self, key: tuple[Hashable, Hashable], obj: Any) -> Any:
        """Register ``obj`` under ``key``; returns the object that is live for it.

        When another object is already live for the key, that one is returned
        and ``obj`` is not registered.
        """
        ns, ident = key
        with self.lock:
            bucket = self._bucket(ns)
            ref = bucket.get(ident)
            current = ref() if ref is not None else None
            if current is None:
                bucket[ident] = _Ref(obj)
                self._inserted(1)
                current = obj
            self._touch(current)
            return current

    def discard(self, key: tuple[Hashable, Hashable]) -> None:
        """Forget ``key`` (after an unlink): the next load builds a new object."""
        with self.lock:
            bucket = self._buckets.get(key[0])
            ref = bucket.pop(key[1], None) if bucket is not None else None
            obj = ref() if ref is not None else None
            if obj is not None and self._keep is not None:
                self._keep.pop(id(obj), None)

    def live(self) -> Iterator[Any]:
        """A snapshot of the live objects."""
        with self.lock:
            refs = [r for bucket in self._buckets.values() for r in bucket.values()]
        return iter([obj for obj in (r() for r in refs) if obj is not None])

    def __len__(self) -> int:
        """How many objects are live in the map."""
        with self.lock:
            self._sweep()
            return sum(len(b) for b in self._buckets.values())

    # -- internals (called under the lock) ------------------------------------

    def _bucket(self, namespace: Hashable) -> dict[Hashable, _Ref[Any]]:
        bucket = self._buckets.get(namespace)
        if bucket is None:
            bucket = self._buckets[namespace] = {}
        return bucket

    def _touch(self, obj: Any) -> None:
        keep = self._keep
        if keep is not None:
            key = id(obj)  # the keep-alive holds obj, so its id cannot be reused meanwhile
            keep[key] = obj
            keep.move_to_end(key)
            if len(keep) > self.maxsize:
                keep.popitem(last=False)

    def _keep_many(self, objs: Sequence[Any]) -> None:
        keep = self._keep
        if keep is None:
            return
        # only the newest maxsize matter: skip the head of a huge load
        move = keep.move_to_end
        for obj in objs[-self.maxsize :]:
            key = id(obj)
            keep[key] = obj
            move(key)
        pop = keep.popitem
        for _ in range(len(keep) - self.maxsize):
            pop(last=False)

    def _inserted(self, count: int) -> None:
        self._inserts += count
        if self._inserts >= self._sweep_at:
            self._sweep()

    def _sweep(self) -> None:
        """Drop the entries of objects that died; O(entries), run rarely enough
        (after as many insertions as there were live entries) to be O(1) amortised."""
        live = 0
        for ns in list(self._buckets):
            bucket = self._buckets[ns]
            dead = [ident for ident, ref in bucket.items() if ref() is None]
            for ident in dead:
                del bucket[ident]
            if not bucket:
                del self._buckets[ns]
            live += len(bucket)
        self._inserts = 0
        self._sweep_at = max(_SWEEP_MIN, live)

    # -- ordering reads and writes ---------------------------------------------

    def ticket(self) -> int:
        """The next number of this connection's sequence (1, 2, 3 ...).

        A read takes one *before* it is sent; a write takes one *after* its
        answer arrived. A read whose ticket is below a write's was sent before
        the write was known to be done, so its rows may hold the old values.
        """
        with self._ticket_lock:  # next() of a count is atomic under the GIL only
            return next(self._tickets)

    # -- freshness -----------------------------------------------------------

    def stamp(self, ticket: int | None = None) -> Stamp:
        """The stamp to store with a value loaded now by a read that took ``ticket``:
        (generation, time or, when ``ttl`` is 0, the query epoch, ticket)."""
        return (self.generation, _epoch if self.ttl == 0 else self.timer(), ticket or 0)

    def is_fresh(self, stamp: Stamp | None, since: int = 0) -> bool:
        """True when a value loaded at ``stamp`` may still be served.

        ``since`` is the query epoch of the record's prefetch group (0 for a
        record no query returned): with ``ttl=0`` a value older than it is stale.
        """
        if stamp is None or stamp[0] != self.generation:
            return False
        ttl = self.ttl
        if ttl is None:
            return True
        if ttl == 0:
            return stamp[1] >= since
        return self.timer() - stamp[1] < ttl

    def clear(self) -> None:
        """Make every cached value stale and drop the keep-alive.

        Live objects stay the same objects (identity holds); their values are
        reloaded on next access.
        """
        with self.lock:
            self.generation += 1
            if self._keep is not None:
                self._keep.clear()
            self.memo.pop("schema_checked", None)
