"""Identity map and read cache of one connection (filled in by the models layer work).

The connection builds one ``RecordCache(maxsize=..., ttl=...)`` and shares it
with its ``with_context`` views; ``clear()`` empties it.
"""

from __future__ import annotations


class RecordCache:
    def __init__(self, maxsize: int = 10_000, ttl: float = 300.0):
        self.maxsize = maxsize
        self.ttl = ttl

    def clear(self) -> None:
        return None
