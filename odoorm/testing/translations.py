"""Translated fields (``translate=True``): one value per language, as Odoo 16+ stores them.

A row keeps its English value under the field's name, as every other field, and the other
languages' values under :data:`KEY` (field -> {lang: value}). Measured on the lab's 16-19:

* reading with ``context={"lang": "fr_FR"}`` gives the French value, else the English one;
* writing with a language writes that language only (English keeps its value); writing
  without one (or in ``en_US``) writes English only;
* creating with a language stores the value as English and as that language.
"""

from __future__ import annotations

from typing import Any, Protocol

from odoorm.testing._api import Row
from odoorm.testing.store import Table


class DB(Protocol):
    """What reading and writing translations needs: the call's context."""

    _ctx: dict[str, Any]


#: the row key holding the non-English values: field -> {lang: value}
KEY = "__translations"
#: fields ``fields_get`` reports as ``translate: True`` on the lab's servers, per model
#: (``ir.cron.cron_name`` only up to 16)
TRANSLATED: dict[str, tuple[str, ...]] = {
    "res.country": ("name", "vat_label"),
    "res.currency": ("currency_unit_label", "currency_subunit_label"),
    "res.partner.category": ("name",),
    "res.partner.industry": ("name", "full_name"),
    "res.partner.title": ("name", "shortcut"),
    "uom.uom": ("name",),
    "product.template": ("name", "description", "description_sale", "description_purchase"),
    "product.product": ("name", "description", "description_sale", "description_purchase"),
    "res.groups": ("name", "comment"),
    "ir.cron": ("name", "help"),
    "ir.ui.menu": ("name",),
    "ir.actions.report": ("name", "help", "print_report_name"),
    "ir.actions.server": ("name", "help"),
    "ir.model": ("name",),
    "ir.module.module": ("shortdesc", "summary", "description"),
    "ir.model.fields": ("field_description", "help"),
}


def mark_translated(model: str, fields: dict[str, dict[str, Any]], version: int) -> None:
    """Set ``translate: True`` on the fields of ``model`` that real servers translate."""
    names = TRANSLATED.get(model, ())
    if model == "ir.cron" and version <= 16:
        names = (*names, "cron_name")
    for fname in names:
        if fname in fields and fields[fname].get("type") in ("char", "text", "html"):
            fields[fname]["translate"] = True


def context_lang(db: DB) -> str | None:
    """The language of the call when it is not English (``None`` otherwise)."""
    lang = db._ctx.get("lang")
    return lang if isinstance(lang, str) and lang and lang != "en_US" else None


def read(db: DB, table: Table, row: Row, fname: str, value: Any) -> Any:
    """``value`` (English) in the call's language, where the row has a translation."""
    lang = context_lang(db)
    if lang is None or not table.fields.get(fname, {}).get("translate"):
        return value
    return (row.get(KEY) or {}).get(fname, {}).get(lang, value)


def display_name(db: DB, table: Table, row: Row, name: str) -> str:
    """The display name in the call's language, when it is the translated ``_rec_name``."""
    rec = table.rec_name
    if row.get(rec) != name:
        return name
    found = read(db, table, row, rec, name)
    return found if isinstance(found, str) else name


def write(db: DB, table: Table, row: Row, values: dict[str, Any]) -> dict[str, Any]:
    """Store the translated ``values`` of a write in a language; the rest is returned for
    the row itself (English, as every other field)."""
    lang = context_lang(db)
    if lang is None:
        return values
    keep: dict[str, Any] = {}
    stored = {f: dict(v) for f, v in (row.get(KEY) or {}).items()}  # the journal's copy is kept
    for fname, value in values.items():
        if table.fields[fname].get("translate") and row.get(fname) not in (None, False, ""):
            stored.setdefault(fname, {})[lang] = value
        else:
            keep[fname] = value
    if stored:
        row[KEY] = stored
    return keep


def created(db: DB, table: Table, row: Row) -> None:
    """A record created in a language holds its values as English and as that language."""
    lang = context_lang(db)
    if lang is None:
        return
    stored = {
        fname: {lang: row[fname]}
        for fname, field in table.fields.items()
        if field.get("translate") and isinstance(row.get(fname), str)
    }
    if stored:
        row[KEY] = stored


def load(table: Table, rid: int, lang: str, values: dict[str, str], overwrite: bool) -> None:
    """Add a language's terms to a record (what installing a language does)."""
    row = table.rows.get(rid)
    if row is None:
        return
    stored = {f: dict(v) for f, v in (row.get(KEY) or {}).items()}
    for fname, value in values.items():
        if overwrite or lang not in stored.get(fname, {}):
            stored.setdefault(fname, {})[lang] = value
    row[KEY] = stored
