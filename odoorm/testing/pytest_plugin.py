"""pytest fixtures for testing code against the embedded Odoo emulator.

Registered through the ``pytest11`` entry point, so installing odoorm makes
them available in any project's tests:

``odoo_emulator``
    Session-scoped :class:`~odoorm.testing.Emulator` of Odoo 18 with the demo
    data, started once for the whole run. Tests share its data: prefer
    ``make_emulator`` for tests that write.
``odoo_emulator16`` / ``odoo_emulator17`` / ``odoo_emulator19``
    The same for Odoo 16, 17 and 19 (19 has JSON-2; 16 has no ``any`` operator,
    no ``web_read`` and ``web_search_read`` without a specification).
``make_emulator``
    Factory for function-scoped emulators: ``make_emulator(version=19,
    data=None)`` returns a started emulator (any :class:`Emulator` keyword is
    accepted; ``now="2030-01-01 09:00:00"`` pins its clock) that is stopped
    when the test ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from odoorm.testing.server import Emulator


def _session_emulator(version: int) -> Iterator[Emulator]:
    emulator = Emulator(version=version, data="demo")
    with emulator:
        yield emulator


@pytest.fixture(scope="session")
def odoo_emulator() -> Iterator[Emulator]:
    """A running Odoo 18 emulator with demo data, shared by the whole test session."""
    yield from _session_emulator(18)


@pytest.fixture(scope="session")
def odoo_emulator16() -> Iterator[Emulator]:
    """A running Odoo 16 emulator with demo data, shared by the whole test session."""
    yield from _session_emulator(16)


@pytest.fixture(scope="session")
def odoo_emulator17() -> Iterator[Emulator]:
    """A running Odoo 17 emulator with demo data, shared by the whole test session."""
    yield from _session_emulator(17)


@pytest.fixture(scope="session")
def odoo_emulator19() -> Iterator[Emulator]:
    """A running Odoo 19 emulator (JSON-2 enabled) with demo data, shared by the session."""
    yield from _session_emulator(19)


@pytest.fixture
def make_emulator() -> Iterator[Callable[..., Emulator]]:
    """Factory of fresh emulators, each stopped at the end of the test.

    ``make_emulator(version=18, data="demo", **emulator_kwargs) -> Emulator``
    """
    started: list[Emulator] = []

    def factory(version: int = 18, data: Any = "demo", **kwargs: Any) -> Emulator:
        emulator = Emulator(version=version, data=data, **kwargs)
        emulator.start()
        started.append(emulator)
        return emulator

    yield factory
    for emulator in reversed(started):
        emulator.stop()
