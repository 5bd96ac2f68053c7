"""product.product and product.template: delegated template fields and display names."""

from __future__ import annotations

from odoorm.testing._api import DB, ModelHooks
from odoorm.testing.store import Table, m2o_id


def _variant_after_load(db: DB, table: Table) -> None:
    """Fill the fields a variant delegates to its template (``_inherits``)."""
    templates = db.tables.get("product.template")
    if templates is None:
        return
    for row in table.rows.values():
        trow = templates.rows.get(m2o_id(row.get("product_tmpl_id")) or 0)
        if trow is None:
            continue
        for f, v in trow.items():
            if f in table.fields and f not in row and f != "id":
                row[f] = v


def _after_change(db: DB, table: Table, ids: list[int]) -> None:
    for rid in ids:
        row = table.rows.get(rid)
        if row is not None:
            code = row.get("default_code")
            row["display_name"] = f"[{code}] {row.get('name')}" if code else (row.get("name") or "")


VARIANT = ModelHooks(after_change=_after_change, after_load=_variant_after_load)
TEMPLATE = ModelHooks(after_change=_after_change)
