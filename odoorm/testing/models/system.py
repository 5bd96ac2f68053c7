"""Technical models: ``ir.model.data`` (external ids), ``ir.ui.menu``, ``ir.module.module``.

External ids are what ``env.ref('base.user_admin')`` looks up: clients read them with
``search_read`` on ``ir.model.data`` (``module``, ``name`` -> ``model``, ``res_id``) or call
``check_object_reference(module, name)``. The emulator names the records every Odoo
database has (users, their partners, the main company, groups, countries, currencies,
units, installed modules) after its data is loaded: :func:`sync_xmlids`.
"""

from __future__ import annotations

from typing import Any

from odoorm.testing import errors
from odoorm.testing._api import DB, ModelHooks, Row, model_method
from odoorm.testing.langs import LANGUAGES
from odoorm.testing.store import Table, m2o_id

#: res.groups rows of the demo data: id -> (xml id, name)
GROUPS: dict[int, tuple[str, str]] = {
    1: ("base.group_user", "Internal User"),
    2: ("base.group_erp_manager", "Access Rights"),
    3: ("base.group_system", "Settings"),
    4: ("base.group_portal", "Portal"),
    5: ("base.group_public", "Public"),
    6: ("base.group_multi_company", "Multi Companies"),
    7: ("base.group_no_one", "Technical Features"),
    8: ("sales_team.group_sale_salesman", "User: Own Documents Only"),
    9: ("sales_team.group_sale_manager", "Administrator"),
}

_USERS = {"__system__": "user_root", "admin": "user_admin", "demo": "user_demo"}
_USER_PARTNERS = {"__system__": "partner_root", "admin": "partner_admin", "demo": "partner_demo"}
_UOMS = {"Units": "uom.product_uom_unit", "Dozens": "uom.product_uom_dozen"}
#: res.lang code -> its xml id's name after ``base.lang_`` (``base.lang_en`` is en_US)
_LANG_XMLIDS = {code: xmlname for code, xmlname, *_ in LANGUAGES}


def _standard_xmlids(db: DB) -> dict[str, tuple[str, int]]:
    """``module.name`` -> (model, id) of the records this database holds."""
    out: dict[str, tuple[str, int]] = {}

    def rows(model: str) -> dict[int, Row]:
        table = db.tables.get(model)
        return table.rows if table is not None else {}

    for rid, row in rows("res.users").items():
        login = row.get("login")
        if login in _USERS:
            out[f"base.{_USERS[login]}"] = ("res.users", rid)
            partner = m2o_id(row.get("partner_id"))
            if partner in rows("res.partner"):
                out[f"base.{_USER_PARTNERS[login]}"] = ("res.partner", partner)
    company = rows("res.company").get(1)
    if company is not None:
        out["base.main_company"] = ("res.company", 1)
        partner = m2o_id(company.get("partner_id"))
        if partner in rows("res.partner"):
            out["base.main_partner"] = ("res.partner", partner)
    for rid, row in rows("res.groups").items():
        known = GROUPS.get(rid)
        if known is not None and row.get("name") == known[1]:
            out[known[0]] = ("res.groups", rid)
    for rid, row in rows("res.country").items():
        if isinstance(row.get("code"), str):
            out[f"base.{row['code'].lower()}"] = ("res.country", rid)
    for rid, row in rows("res.currency").items():
        if isinstance(row.get("name"), str):
            out[f"base.{row['name']}"] = ("res.currency", rid)
    for rid, row in rows("uom.uom").items():
        if row.get("name") in _UOMS:
            out[_UOMS[row["name"]]] = ("uom.uom", rid)
    for rid, row in rows("res.lang").items():
        if row.get("code") in _LANG_XMLIDS:
            out[f"base.lang_{_LANG_XMLIDS[row['code']]}"] = ("res.lang", rid)
    from odoorm.testing.demo import WINDOW_ACTIONS  # the demo data imports this module

    windows: dict[tuple[Any, Any], str] = {(w[2], w[1]): w[0] for w in WINDOW_ACTIONS}
    for rid, row in rows("ir.actions.act_window").items():
        xmlid = windows.get((row.get("res_model"), row.get("name")))
        if xmlid is not None:
            out[xmlid] = ("ir.actions.act_window", rid)
    currencies = rows("res.currency")
    for rid, row in rows("res.currency.rate").items():
        currency = currencies.get(m2o_id(row.get("currency_id")) or 0, {}).get("name")
        if row.get("name") == "2010-01-01" and isinstance(currency, str):
            out.setdefault(f"base.rate{currency}", ("res.currency.rate", rid))
    for rid, row in rows("ir.module.module").items():
        if isinstance(row.get("name"), str):
            out[f"base.module_{row['name']}"] = ("ir.module.module", rid)
    return out


def _link_models(db: DB) -> None:
    """``ir.model`` many2ones of crons and reports, from the model names they carry."""
    models = db.tables.get("ir.model")
    if models is None:
        return
    ids = {row.get("model"): rid for rid, row in models.rows.items()}
    for model, name_field, link in (
        ("ir.cron", "model_name", "model_id"),
        ("ir.actions.report", "model", "binding_model_id"),
    ):
        table = db.tables.get(model)
        for row in table.rows.values() if table is not None else ():
            if not row.get(link) and row.get(name_field) in ids:
                row[link] = ids[row[name_field]]


def sync_xmlids(db: DB) -> None:
    """Add the standard external ids of loaded records that have none yet (idempotent), and
    link crons and reports to their ``ir.model``."""
    _link_models(db)
    table = db.tables.get("ir.model.data")
    if table is None:
        return
    known = {(r.get("module"), r.get("name")) for r in table.rows.values()}
    for xmlid, (model, rid) in sorted(_standard_xmlids(db).items()):
        module, name = xmlid.split(".", 1)
        if (module, name) not in known:
            table.insert(
                {"module": module, "name": name, "model": model, "res_id": rid, "noupdate": True}
            )
    table.touch()


def _xmlid_lookup(db: DB, module: Any, name: Any) -> tuple[str, int]:
    table = db.table("ir.model.data")
    for row in table.rows.values():
        if row.get("module") == module and row.get("name") == name:
            return str(row.get("model")), int(row.get("res_id") or 0)
    raise errors.value_error(f"External ID not found in the system: {module}.{name}")


@model_method
def check_object_reference(
    db: DB, table: Table, ids: list[int], module: Any, xml_id: Any, *args: Any, **kwargs: Any
) -> list[Any]:
    """``(model, res_id)`` of an external id; a ValueError when there is none."""
    model, rid = _xmlid_lookup(db, module, xml_id)
    return [model, rid]


DATA = ModelHooks(
    computed={
        "complete_name": lambda db, table, row: f"{row.get('module')}.{row.get('name')}",
        "reference": lambda db, table, row: f"{row.get('model')},{row.get('res_id')}",
    },
    methods={"check_object_reference": (check_object_reference, "read")},
)


def _menu_path(db: DB, table: Table, row: Row) -> str:
    names, seen = [], set()
    current: Row | None = row
    while current is not None and current["id"] not in seen:
        seen.add(current["id"])
        names.append(str(current.get("name") or ""))
        current = table.rows.get(m2o_id(current.get("parent_id")) or 0)
    return "/".join(reversed(names))


MENU = ModelHooks(computed={"complete_name": _menu_path})


#: the icon every module reads as ``icon_image`` here: a 1x1 transparent PNG (the emulator
#: ships no module's artwork; a real server reads the module's icon file)
ICON_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5Erk"
    "Jggg=="
)


def _reports_by_module(db: DB, table: Table, row: Row) -> str:
    """The names of the module's reports (templates are named ``module.template``), sorted."""
    reports = db.tables.get("ir.actions.report")
    prefix = f"{row.get('name')}."
    names = sorted(
        str(r.get("name"))
        for r in (reports.rows.values() if reports is not None else ())
        if str(r.get("report_name") or "").startswith(prefix)
    )
    return "\n".join(names)


MODULE = ModelHooks(
    computed={
        "icon_image": lambda db, table, row: ICON_PNG,
        "reports_by_module": _reports_by_module,
    }
)
