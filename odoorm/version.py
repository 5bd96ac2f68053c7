"""The Odoo server version a connection talks to.

``conn.version`` is a :class:`ServerVersion`; it compares with other versions,
with ``(major, minor)`` tuples and with a bare major number::

    conn.version >= (17, 0)
    conn.version.major == 19
    conn.version < 18        # compares the major number only
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from odoorm.exceptions import ConfigurationError

__all__ = ["ServerVersion"]

_NUMBERS = re.compile(r"(\d+)(?:\.(\d+))?")


def _as_int(value: Any) -> int | None:
    # server_version_info[0] is an int on stable releases but a string such as
    # "saas~17" on old SaaS releases: keep the digits.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        match = re.search(r"\d+", value)
        return int(match.group()) if match else None
    return None


@attrs.frozen(eq=False, order=False)
class ServerVersion:
    """An Odoo server version.

    Attributes:
        major: 17, 18, 19...
        minor: 0 on stable releases, 1..4 on SaaS releases.
        text: the version string as the server sent it (Odoo 18 packages may
            add a suffix, e.g. ``"18.0+e-20241005"``); informational only.
    """

    major: int
    minor: int = 0
    text: str = ""

    # -- construction -------------------------------------------------------

    @classmethod
    def from_probe(cls, info: Mapping[str, Any]) -> ServerVersion:
        """Build from a version answer (``common.version``, ``/web/version``...).

        The numeric ``server_version_info`` (or ``version_info``) wins over the
        strings, whose format varies between packagings.
        """
        text = str(info.get("server_version") or info.get("version") or "")
        numbers = info.get("server_version_info") or info.get("version_info")
        if isinstance(numbers, (list, tuple)) and numbers:
            major = _as_int(numbers[0])
            minor = _as_int(numbers[1]) if len(numbers) > 1 else 0
            if major is not None:
                return cls(major, minor or 0, text or f"{major}.{minor or 0}")
        for candidate in (info.get("server_serie"), text):
            if isinstance(candidate, str):
                match = _NUMBERS.search(candidate)
                if match:
                    return cls(int(match.group(1)), int(match.group(2) or 0), text or candidate)
        raise ConfigurationError(
            f"could not read the Odoo version from the server's answer {dict(info)!r}; "
            "is this URL an Odoo server?"
        )

    @classmethod
    def coerce(cls, value: ServerVersion | int | float | str | tuple[int, ...]) -> ServerVersion:
        """Accept ``18``, ``"18.0"``, ``(18, 0)`` or a ServerVersion."""
        if isinstance(value, ServerVersion):
            return value
        found: ServerVersion | None = None
        if isinstance(value, bool):
            pass
        elif isinstance(value, int):
            found = cls(value, 0, f"{value}.0")
        elif isinstance(value, float):
            found = cls.coerce(f"{value:.1f}")
        elif (
            isinstance(value, tuple)
            and value
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value[:2])
        ):
            minor = value[1] if len(value) > 1 else 0
            found = cls(value[0], minor, f"{value[0]}.{minor}")
        elif isinstance(value, str):
            match = _NUMBERS.search(value)
            if match:
                found = cls(int(match.group(1)), int(match.group(2) or 0), value)
        if found is None or found.major < 1 or found.minor < 0:
            raise ConfigurationError(
                f"not an Odoo version: {value!r} (use e.g. 18, '18.0' or (18, 0))"
            )
        return found

    # -- comparisons --------------------------------------------------------

    def as_tuple(self) -> tuple[int, int]:
        return (self.major, self.minor)

    def _key_against(self, other: object) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        if isinstance(other, ServerVersion):
            return self.as_tuple(), other.as_tuple()
        if isinstance(other, bool):
            return None
        if isinstance(other, int):
            return (self.major,), (other,)
        if isinstance(other, tuple) and other and all(isinstance(v, int) for v in other):
            mine = (*self.as_tuple(), *([0] * max(0, len(other) - 2)))
            return mine[: len(other)], other
        return None

    def __eq__(self, other: object) -> bool:
        keys = self._key_against(other)
        return NotImplemented if keys is None else keys[0] == keys[1]

    def __ne__(self, other: object) -> bool:
        keys = self._key_against(other)
        return NotImplemented if keys is None else keys[0] != keys[1]

    def __lt__(self, other: object) -> bool:
        keys = self._key_against(other)
        return NotImplemented if keys is None else keys[0] < keys[1]

    def __le__(self, other: object) -> bool:
        keys = self._key_against(other)
        return NotImplemented if keys is None else keys[0] <= keys[1]

    def __gt__(self, other: object) -> bool:
        keys = self._key_against(other)
        return NotImplemented if keys is None else keys[0] > keys[1]

    def __ge__(self, other: object) -> bool:
        keys = self._key_against(other)
        return NotImplemented if keys is None else keys[0] >= keys[1]

    def __hash__(self) -> int:
        return hash(self.as_tuple())

    def __str__(self) -> str:
        return self.text or f"{self.major}.{self.minor}"
