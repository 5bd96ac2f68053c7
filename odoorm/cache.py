"""Identity map and read-cache bookkeeping of one connection.

The connection builds one ``RecordCache(maxsize=..., ttl=...)`` and shares it
with its ``with_context`` views.  It holds:

* the identity map: one live Python object per record key, held *weakly* so
  that eviction can never create a second object for a record somebody still
  holds;
* a bounded keep-alive (a cachetools ``LRUCache`` of ``maxsize`` records) so
  records loaded by one query are still there for the next;
* the freshness clock: values loaded before ``clear()`` or more than ``ttl``
  seconds ago are stale and get reloaded on next access;
* a small per-connection memo (dynamic ``env`` classes, schema checks done).

The module knows nothing of models: keys and objects are opaque.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any, TypeVar

import cachetools

__all__ = ["RecordCache", "Stamp"]

Obj = TypeVar("Obj")

#: When a value was loaded: (cache generation, monotonic time).
Stamp = tuple[int, float]


class RecordCache:
    """Identity map + keep-alive + freshness clock of one connection.

    Args:
        maxsize: how many recently used records are kept alive even when the
            program holds no reference to them (0 disables the keep-alive).
        ttl: seconds a loaded value stays fresh; ``None`` or ``0`` means values
            never expire on their own (only ``clear()``/``refresh()`` renew them).
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
        self.lock = threading.RLock()
        self._live: weakref.WeakValueDictionary[Hashable, Any] = weakref.WeakValueDictionary()
        self._keep: cachetools.LRUCache[Hashable, Any] | None = (
            cachetools.LRUCache(maxsize) if maxsize else None
        )
        #: per-connection memo for the models layer (env classes, schema checks)
        self.memo: dict[Hashable, Any] = {}

    # -- identity map --------------------------------------------------------

    def get(self, key: Hashable) -> Any | None:
        """The live object for ``key``, or None."""
        with self.lock:
            obj = self._live.get(key)
            if obj is not None:
                self._keep_alive(key, obj)
            return obj

    def get_or_create(self, key: Hashable, factory: Callable[[], Obj]) -> tuple[Obj, bool]:
        """The live object for ``key``, creating it with ``factory()`` when absent.

        Returns ``(obj, created)``. Atomic: two threads asking for the same key
        get the same object.
        """
        with self.lock:
            obj = self._live.get(key)
            created = obj is None
            if created:
                obj = factory()
                self._live[key] = obj
            self._keep_alive(key, obj)
            return obj, created  # type: ignore[return-value]

    def get_or_create_many(
        self, keys: Sequence[Hashable], factory: Callable[[int], Obj]
    ) -> list[Obj]:
        """:meth:`get_or_create` for many keys under one lock; ``factory(i)``
        builds the object of ``keys[i]``."""
        live, keep = self._live, self._keep
        out: list[Obj] = []
        with self.lock:
            for i, key in enumerate(keys):
                obj = live.get(key)
                if obj is None:
                    obj = live[key] = factory(i)
                out.append(obj)
            if keep is not None:
                # only the newest maxsize matter: skip the rest of a huge load
                for key, obj in list(zip(keys, out, strict=False))[-int(keep.maxsize) :]:
                    keep[key] = obj
        return out

    def add(self, key: Hashable, obj: Any) -> Any:
        """Register ``obj`` under ``key``; returns the object that is live for it.

        When another object is already live for the key, that one is returned
        and ``obj`` is not registered.
        """
        with self.lock:
            current = self._live.get(key)
            if current is None:
                self._live[key] = obj
                current = obj
            self._keep_alive(key, current)
            return current

    def discard(self, key: Hashable) -> None:
        """Forget ``key`` (after an unlink): the next load builds a new object."""
        with self.lock:
            self._live.pop(key, None)
            if self._keep is not None:
                self._keep.pop(key, None)

    def _keep_alive(self, key: Hashable, obj: Any) -> None:
        if self._keep is not None:
            self._keep[key] = obj

    def live(self) -> Iterator[Any]:
        """A snapshot of the live objects."""
        with self.lock:
            objs = list(self._live.values())
        return iter(objs)

    def __len__(self) -> int:
        return len(self._live)

    # -- freshness -----------------------------------------------------------

    def stamp(self) -> Stamp:
        """The stamp to store with a value loaded now."""
        return (self.generation, self.timer())

    def is_fresh(self, stamp: Stamp | None) -> bool:
        """True when a value loaded at ``stamp`` may still be served."""
        if stamp is None or stamp[0] != self.generation:
            return False
        return not self.ttl or self.timer() - stamp[1] < self.ttl

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
