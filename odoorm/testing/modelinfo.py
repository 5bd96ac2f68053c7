"""Per-model facts that a ``fields_get`` dict does not carry: description, ``_order``,
``_rec_name``, parent field, and the group named in access errors.

Values follow Odoo 17-19 (``_description`` / ``_order`` of each model class).
Unknown models get sensible defaults (``id`` order, ``name`` as record name).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ModelInfo:
    description: str
    order: str = "id"
    rec_name: str = "name"
    parent_name: str | None = None
    #: delegation inheritance (Odoo's ``_inherits``): (parent model, many2one to it), the
    #: parent's fields read, written and searched through the link
    inherits: tuple[tuple[str, str], ...] = ()


KNOWN: dict[str, ModelInfo] = {
    "res.partner": ModelInfo("Contact", "complete_name ASC, id DESC", "complete_name", "parent_id"),
    "res.partner.category": ModelInfo("Partner Tags", "name", "name", "parent_id"),
    "res.partner.industry": ModelInfo("Industry", "name, id"),
    "res.partner.title": ModelInfo("Partner Title", "name"),
    "res.country": ModelInfo("Country", "name, id"),
    "res.country.state": ModelInfo("Country state", "code"),
    "res.country.group": ModelInfo("Country Group", "name"),
    "res.currency": ModelInfo("Currency", "active desc, name"),
    "res.company": ModelInfo("Companies", "sequence, name", "name", "parent_id"),
    "res.users": ModelInfo("User", "name, login", inherits=(("res.partner", "partner_id"),)),
    "res.groups": ModelInfo("Access Groups", "name"),
    "res.users.apikeys": ModelInfo("Users API Keys"),
    "res.users.apikeys.description": ModelInfo("API Key Description"),
    "res.users.identitycheck": ModelInfo("Password Check Wizard", rec_name="id"),
    "ir.model.data": ModelInfo("Model Data", "module, model, name"),
    "ir.cron": ModelInfo("Scheduled Actions", "cron_name, id", "cron_name"),
    "ir.ui.menu": ModelInfo("Menu", "sequence, id", "name", "parent_id"),
    "ir.actions.report": ModelInfo("Report Action", "name"),
    "ir.module.module": ModelInfo("Module", "application desc, name", "shortdesc"),
    "uom.uom": ModelInfo("Product Unit of Measure", "factor DESC, id"),
    "uom.category": ModelInfo("Product UoM Categories", "id"),
    "product.category": ModelInfo(
        "Product Category", "complete_name", "complete_name", "parent_id"
    ),
    "product.template": ModelInfo("Product", "priority desc, name"),
    "product.product": ModelInfo("Product Variant", "priority desc, default_code, name, id"),
    "sale.order": ModelInfo("Sales Order", "date_order desc, id desc"),
    "sale.order.line": ModelInfo("Sales Order Line", "order_id, sequence, id"),
    "ir.attachment": ModelInfo("Attachment", "id desc"),
    "ir.config_parameter": ModelInfo("System Parameter", "key", "key"),
    "ir.model": ModelInfo("Models", "model"),
    "crm.tag": ModelInfo("CRM Tag", "name"),
    "res.lang": ModelInfo("Languages", "active desc, name"),
    "base.language.install": ModelInfo("Install Language", rec_name="id"),
    "ir.actions.actions": ModelInfo("Actions", "name, id"),
    "ir.actions.act_window": ModelInfo("Action Window", "name, id"),
    "res.currency.rate": ModelInfo("Currency Rate", "name desc"),
    "mail.followers": ModelInfo("Document Followers", rec_name="partner_id"),
}


#: models whose facts differ on Odoo 16 (partners sort and search by a stored display_name)
KNOWN_16: dict[str, ModelInfo] = {
    "res.partner": ModelInfo("Contact", "display_name ASC, id DESC", "display_name", "parent_id"),
}


def info_for(model: str, version: int = 18) -> ModelInfo:
    """The known facts of ``model``, or defaults derived from its technical name."""
    found = (KNOWN_16.get(model) if version <= 16 else None) or KNOWN.get(model)
    if found is not None:
        return found
    return ModelInfo(model.replace(".", " ").title())


#: access-error wording per model: (group label on 17/18, group label on 19)
ACCESS_GROUPS: dict[str, dict[str, tuple[str, str]]] = {
    "ir.config_parameter": {
        "*": ("Administration/Settings", "Role / Administrator"),
    },
    "res.users": {
        "*": ("Administration/Access Rights", "Access Rights"),
    },
}


def access_group(model: str, version: int) -> str:
    labels = ACCESS_GROUPS.get(model, {}).get(
        "*", ("Administration/Settings", "Role / Administrator")
    )
    return labels[1] if version >= 19 else labels[0]


#: required fields that Odoo has no default for: creating without them fails. Required fields
#: not listed here are filled by defaults in the real server (company, currency, ...).
MANDATORY: dict[str, tuple[str, ...]] = {
    "sale.order": ("partner_id",),
    "sale.order.line": ("order_id", "name"),
    "res.partner.category": ("name",),
    "res.partner.industry": (),
    "res.country": ("name", "code"),
    "res.currency": ("name", "symbol"),
    "res.company": ("name",),
    "res.users": ("login",),
    "product.template": ("name",),
    "product.product": (),
    "product.category": ("name",),
    "uom.uom": ("name",),
    "ir.attachment": ("name",),
    "ir.config_parameter": ("key", "value"),
    "crm.tag": ("name",),
    "res.partner": (),
    # the rest has defaults (company, sequence, type...); 0.0 is a valid amount
    "account.tax": ("name",),
    "account.tax.group": ("name",),
}

#: fields a name search looks at (Odoo's ``_rec_names_search``; ``_rec_name`` stands for the
#: model's record name: res.partner's complete_name, its stored display_name on 16)
REC_NAMES_SEARCH: dict[str, tuple[str, ...]] = {
    "res.partner": ("_rec_name", "email", "ref", "vat", "company_registry"),
    "product.product": ("default_code", "name", "barcode"),
    "product.template": ("default_code", "name"),
    "res.users": ("name", "login"),
    "res.currency": ("name", "full_name"),
}

#: many2one fields whose ``ondelete`` is not the default ("restrict" when required, else
#: "set null"); a seed may also give ``"ondelete"`` in a field's description
ONDELETE: dict[tuple[str, str], str] = {
    ("sale.order.line", "order_id"): "cascade",
    ("sale.order.line", "product_id"): "restrict",
    ("product.product", "product_tmpl_id"): "cascade",
    ("res.partner.bank", "partner_id"): "cascade",
}


def ondelete(model: str, fname: str, field: dict[str, Any]) -> str:
    """What deleting the record a many2one points at does: cascade, restrict or set null."""
    given = field.get("ondelete") or ONDELETE.get((model, fname))
    if given:
        return str(given).lower()
    return "restrict" if field.get("required") else "set null"


#: many2many relation tables whose name or comodel column is not Odoo's default
#: (``<table1>_<table2>_rel`` with the two table names sorted, ``<comodel table>_id``):
#: (model, field) -> (relation table, comodel column)
M2M_TABLES: dict[tuple[str, str], tuple[str, str]] = {
    ("res.partner", "category_id"): ("res_partner_res_partner_category_rel", "category_id"),
}


def m2m_table(model: str, fname: str, comodel: str) -> tuple[str, str]:
    """(relation table, comodel column) of a many2many field."""
    found = M2M_TABLES.get((model, fname))
    if found is not None:
        return found
    a, b = sorted((model.replace(".", "_"), comodel.replace(".", "_")))
    return f"{a}_{b}_rel", f"{comodel.replace('.', '_')}_id"


#: char fields with a database index: a value whose index entry exceeds PostgreSQL's
#: limit is refused by the database (res.partner's name has a trigram index)
INDEXED_CHARS: frozenset[tuple[str, str]] = frozenset(
    {("res.partner", "name"), ("res.partner", "complete_name"), ("product.template", "name")}
)


#: one2many fields declared ``copy=True`` (copying the record copies its lines)
COPIED_ONE2MANY: frozenset[tuple[str, str]] = frozenset({("sale.order", "order_line")})

#: x2many fields with a ``domain`` in Odoo: searches through them only see the comodel's
#: records that match it, whatever the context's active_test (reads apply active domains)
X2MANY_DOMAINS: dict[tuple[str, str], list[tuple[str, str, Any]]] = {
    ("res.partner", "child_ids"): [("active", "=", True)],
}

#: many2many pairs that share one relation table: (model, field) kept in rows -> (model, field)
#: computed from it. Pairs between two distinct models that are each other's only many2many
#: are found without being listed (see :func:`m2m_pairs`).
M2M_PAIRS: dict[tuple[str, str], tuple[str, str]] = {
    ("res.partner", "category_id"): ("res.partner.category", "partner_ids"),
    ("res.users", "company_ids"): ("res.company", "user_ids"),
    # res_groups_users_rel (19 renamed both sides)
    ("res.users", "groups_id"): ("res.groups", "users"),
    ("res.users", "group_ids"): ("res.groups", "user_ids"),
}


def m2m_pairs(schemas: dict[str, dict[str, dict]]) -> dict[tuple[str, str], tuple[str, str]]:
    """``{computed side: owner side}`` for the many2many pairs among ``schemas``
    (model -> fields_get), each side given as ``(model, field)``."""

    def is_m2m(model: str, field: str, relation: str) -> bool:
        d = schemas.get(model, {}).get(field)
        return d is not None and d.get("type") == "many2many" and d.get("relation") == relation

    out: dict[tuple[str, str], tuple[str, str]] = {}
    for (om, of), (cm, cf) in M2M_PAIRS.items():
        if is_m2m(om, of, cm) and is_m2m(cm, cf, om):
            out[(cm, cf)] = (om, of)
    by_link: dict[tuple[str, str], list[str]] = {}
    for model, fields in schemas.items():
        for fname, d in fields.items():
            rel = d.get("relation")
            if d.get("type") == "many2many" and rel and rel != model:
                by_link.setdefault((model, rel), []).append(fname)
    for (model, rel), names in by_link.items():
        back = by_link.get((rel, model), [])
        if len(names) == 1 and len(back) == 1 and (model, names[0]) < (rel, back[0]):
            a, b = (model, names[0]), (rel, back[0])
            if a not in out and b not in out and a not in out.values() and b not in out.values():
                out[b] = a
    return out
