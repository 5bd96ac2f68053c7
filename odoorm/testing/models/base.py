"""What every model has (Odoo's abstract ``base`` model), where it differs per version."""

from __future__ import annotations

from typing import Any

from odoorm.testing._api import DB, ModelHooks, Row
from odoorm.testing.store import Table


def _last_update(db: DB, table: Table, row: Row) -> Any:
    """``__last_update`` (16): when the record was last written, else created."""
    return row.get("write_date") or row.get("create_date") or False


#: up to 16, every model reads a computed ``__last_update``
BASE_16 = ModelHooks(computed={"__last_update": _last_update}, until=16)
