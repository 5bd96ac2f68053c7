"""x2many command values, mirroring Odoo's ``Command``.

One2many and Many2many fields are written with lists of commands::

    Command.create({"name": "Bob"})   # (0, 0, {"name": "Bob"})
    Command.update(7, {"name": "B"})  # (1, 7, {"name": "B"})
    Command.delete(7)                 # (2, 7, 0)  remove and delete the record
    Command.unlink(7)                 # (3, 7, 0)  remove the link only
    Command.link(7)                   # (4, 7, 0)
    Command.clear()                   # (5, 0, 0)
    Command.set([1, 2])               # (6, 0, [1, 2])

The values are plain tuples: they go on the wire as they are.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["Command", "CommandValue", "is_command"]

#: A command as sent to Odoo: ``(code, id, payload)``.
CommandValue = tuple[int, int, Any]


def _check_id(value: Any, what: str) -> int:
    ident = getattr(value, "id", value)
    if isinstance(ident, bool) or not isinstance(ident, int):
        raise TypeError(
            f"Command.{what}() needs a record id (int) or a saved record, got {value!r}"
        )
    return ident


class Command(enum.IntEnum):
    """The seven x2many commands; the class methods build their tuple values."""

    CREATE = 0
    UPDATE = 1
    DELETE = 2
    UNLINK = 3
    LINK = 4
    CLEAR = 5
    SET = 6

    @classmethod
    def create(cls, values: Mapping[str, Any]) -> CommandValue:
        """Create a new record with ``values`` and link it."""
        return (cls.CREATE.value, 0, dict(values))

    @classmethod
    def update(cls, id: Any, values: Mapping[str, Any]) -> CommandValue:
        """Write ``values`` on the linked record ``id``."""
        return (cls.UPDATE.value, _check_id(id, "update"), dict(values))

    @classmethod
    def delete(cls, id: Any) -> CommandValue:
        """Remove the record ``id`` from the relation and delete it."""
        return (cls.DELETE.value, _check_id(id, "delete"), 0)

    @classmethod
    def unlink(cls, id: Any) -> CommandValue:
        """Remove the record ``id`` from the relation (the record itself stays)."""
        return (cls.UNLINK.value, _check_id(id, "unlink"), 0)

    @classmethod
    def link(cls, id: Any) -> CommandValue:
        """Add the existing record ``id`` to the relation."""
        return (cls.LINK.value, _check_id(id, "link"), 0)

    @classmethod
    def clear(cls) -> CommandValue:
        """Remove every record from the relation (none is deleted)."""
        return (cls.CLEAR.value, 0, 0)

    @classmethod
    def set(cls, ids: Iterable[Any]) -> CommandValue:
        """Replace the relation by exactly ``ids``."""
        return (cls.SET.value, 0, [_check_id(i, "set") for i in ids])


def is_command(value: Any) -> bool:
    """True when ``value`` looks like an x2many command tuple/list."""
    return (
        isinstance(value, (tuple, list))
        and 1 <= len(value) <= 3
        and isinstance(value[0], int)
        and not isinstance(value[0], bool)
        and 0 <= value[0] <= 6
    )
