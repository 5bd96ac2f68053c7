"""The embedded Odoo emulator: an in-process Odoo stand-in for tests and demos.

from odoorm.testing import Emulator
with Emulator(version=18) as odoo:
    conn = odoorm.connect(odoo.url, db=odoo.db, user=odoo.login, password=odoo.password)
"""

from __future__ import annotations

from odoorm.testing.clock import Clock
from odoorm.testing.server import Emulator

__all__ = ["Clock", "Emulator"]
