"""res.country and res.country.state: flags, country group codes, state display names."""

from __future__ import annotations

from odoorm.testing._api import DB, ModelHooks
from odoorm.testing.store import Table, m2o_id


def _country_after_load(db: DB, table: Table) -> None:
    if "image_url" in table.fields:
        for row in table.rows.values():
            if isinstance(row.get("code"), str):
                row.setdefault(
                    "image_url", f"/base/static/img/country_flags/{row['code'].lower()}.png"
                )
    groups = db.tables.get("res.country.group")
    if groups is not None and "country_group_codes" in table.fields:
        for row in table.rows.values():
            codes = [
                groups.rows[g].get("code")
                for g in row.get("country_group_ids") or []
                if g in groups.rows and groups.rows[g].get("code")
            ]
            row["country_group_codes"] = codes or False


def _state_after_change(db: DB, table: Table, ids: list[int]) -> None:
    countries = db.tables.get("res.country")
    for rid in ids:
        row = table.rows.get(rid)
        if row is not None:
            country = countries.rows.get(m2o_id(row.get("country_id")) or 0) if countries else None
            code = (country or {}).get("code")
            row["display_name"] = f"{row.get('name')} ({code})" if code else row.get("name")


COUNTRY = ModelHooks(after_load=_country_after_load)
STATE = ModelHooks(after_change=_state_after_change)
