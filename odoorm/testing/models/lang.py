"""res.lang and its install wizard: the installed languages are the active ``res.lang`` rows.

Installing a language (``base.language.install`` with ``lang_ids``, then ``lang_install``,
what OdooRPC's suite does on 16+) activates it and loads its terms: the emulator knows the
French names of its demo countries (:data:`odoorm.testing.langs.FRENCH_COUNTRY_NAMES`).
Once active, a language is accepted in ``context["lang"]`` (18+ refuse others) and listed
in the ``lang`` selection of partners and users.
"""

from __future__ import annotations

from typing import Any

from odoorm.testing import translations
from odoorm.testing._api import DB, ModelHooks, Row, model_method
from odoorm.testing.langs import TERMS
from odoorm.testing.store import Table


def installed(db: DB) -> list[list[str]]:
    """``[code, name]`` of the active languages, by name (``res.lang.get_installed``)."""
    table = db.tables.get("res.lang")
    if table is None:
        return [["en_US", "English (US)"]]
    rows = [r for r in table.rows.values() if r.get("active")]
    return sorted(([str(r["code"]), str(r["name"])] for r in rows), key=lambda p: p[1])


def sync_languages(db: DB, table: Table, ids: list[int] | None = None) -> None:
    """What follows from the active languages: the codes a context may name and the
    ``lang`` selection of partners and users."""
    codes = installed(db)
    db.languages = {code for code, _ in codes}
    for model in ("res.partner", "res.users"):
        target = db.tables.get(model)
        field = target.fields.get("lang") if target is not None else None
        if field is not None and field.get("type") == "selection":
            field["selection"] = [list(p) for p in codes]
    for name, rid in ((r.get("name"), rid) for rid, r in table.rows.items()):
        table.rows[rid]["display_name"] = name


def _flag_url(db: DB, table: Table, row: Row) -> str:
    if row.get("flag_image"):
        return f"/web/image/res.lang/{row['id']}/flag_image"
    return f"/base/static/img/country_flags/{str(row.get('code')).split('_')[-1].lower()}.png"


@model_method
def get_installed(db: DB, table: Table, ids: list[int], *args: Any, **kwargs: Any) -> Any:
    return installed(db)


def load_terms(db: DB, lang: str, overwrite: bool) -> None:
    """The terms a language brings for the records the emulator holds."""
    for (model, key_field), names in TERMS.get(lang, {}).items():
        table = db.tables.get(model)
        if table is None:
            continue
        for rid, row in table.rows.items():
            value = names.get(str(row.get(key_field)))
            if value is not None:
                translations.load(table, rid, lang, {"name": value}, overwrite)
        table.touch()


def lang_install(db: DB, table: Table, ids: list[int], **kwargs: Any) -> Any:
    """``base.language.install.lang_install``: activate the languages, load their terms.
    One language answers the wizard's confirmation form (its view id: False here)."""
    ids = db.existing(table, ids)
    wizard = table.rows[ids[0]]
    langs = db.table("res.lang")
    chosen = [i for i in wizard.get("lang_ids") or [] if i in langs.rows]
    db.write_records(langs, chosen, {"active": True})
    for rid in chosen:
        load_terms(db, str(langs.rows[rid]["code"]), bool(wizard.get("overwrite")))
    if len(chosen) == 1:
        return {
            "type": "ir.actions.act_window",
            "res_model": "base.language.install",
            "res_id": ids[0],
            "view_mode": "form",
            "target": "new",
            "views": [[False, "form"]],
        }
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "context": {**db._ctx, "active_ids": ids},
        "target": "new",
        "params": {
            "message": "The languages that you selected have been successfully installed. "
            "Users can choose their favorite language in their preferences.",
            "type": "success",
            "sticky": False,
            "next": {"type": "ir.actions.act_window_close"},
        },
    }


def _first_lang(db: DB, table: Table, row: Row) -> Any:
    chosen = row.get("lang_ids") or []
    return [chosen[0], db.name_of("res.lang", chosen[0])] if chosen else False


LANG = ModelHooks(
    after_load=lambda db, table: sync_languages(db, table),
    after_change=sync_languages,
    computed={"flag_image_url": _flag_url},
    methods={"get_installed": (get_installed, "read")},
)
LANGUAGE_INSTALL = ModelHooks(
    defaults=lambda db, table: {"overwrite": True},
    computed={"first_lang_id": _first_lang},
    methods={"lang_install": (lang_install, "write")},
)
