"""The embedded Odoo emulator: an in-process Odoo stand-in for tests and demos.

from odoorm.testing import Emulator
with Emulator(version=18) as odoo:
    conn = odoorm.connect(odoo.url, db=odoo.db, user=odoo.login, password=odoo.password)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Clock", "Emulator"]

if TYPE_CHECKING:
    from odoorm.testing.clock import Clock
    from odoorm.testing.server import Emulator


def __getattr__(name: str) -> Any:
    # imported lazily so `import odoorm.testing` stays cheap
    if name == "Emulator":
        from odoorm.testing.server import Emulator

        return Emulator
    if name == "Clock":
        from odoorm.testing.clock import Clock

        return Clock
    raise AttributeError(name)
