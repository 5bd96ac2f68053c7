"""``fields_get`` schemas of the built-in demo models (attributes as Odoo 17-19 report them)."""

from __future__ import annotations

from typing import Any

Field = dict[str, Any]


def F(
    ftype: str,
    string: str,
    *,
    required: bool = False,
    readonly: bool = False,
    store: bool = True,
    relation: str | None = None,
    relation_field: str | None = None,
    selection: list[list[str]] | None = None,
    digits: list[int] | None = None,
    **extra: Any,
) -> Field:
    """One field definition in ``fields_get`` shape."""
    d: Field = {
        "type": ftype,
        "string": string,
        "required": required,
        "readonly": readonly,
        "store": store,
        "sortable": store and ftype not in ("one2many", "many2many", "binary"),
        "groupable": store and ftype not in ("text", "html", "binary", "one2many"),
    }
    if relation:
        d["relation"] = relation
    if relation_field:
        d["relation_field"] = relation_field
    if selection is not None:
        d["selection"] = selection
    if digits is not None:
        d["digits"] = digits
    if ftype in ("integer", "float", "monetary") and store:
        d["aggregator"] = extra.pop("aggregator", "sum")
    d.update(extra)
    return d


def _stamps() -> dict[str, Field]:
    return {
        "display_name": F("char", "Display Name", readonly=True, store=False),
        "create_uid": F("many2one", "Created by", readonly=True, relation="res.users"),
        "create_date": F("datetime", "Created on", readonly=True),
        "write_uid": F("many2one", "Last Updated by", readonly=True, relation="res.users"),
        "write_date": F("datetime", "Last Updated on", readonly=True),
    }


def _m(fields: dict[str, Field]) -> dict[str, Field]:
    return {"id": F("integer", "ID", readonly=True), **fields, **_stamps()}


LANGS = [["en_US", "English (US)"]]
PARTNER_TYPES = [
    ["contact", "Contact"],
    ["invoice", "Invoice Address"],
    ["delivery", "Delivery Address"],
    ["other", "Other Address"],
]
SO_STATES = [
    ["draft", "Quotation"],
    ["sent", "Quotation Sent"],
    ["sale", "Sales Order"],
    ["cancel", "Cancelled"],
]
#: Odoo 16 still has the "done" (Locked) state, removed in 17
SO_STATES_16 = [*SO_STATES[:3], ["done", "Locked"], SO_STATES[3]]
INVOICE_STATUS = [
    ["upselling", "Upselling Opportunity"],
    ["invoiced", "Fully Invoiced"],
    ["to invoice", "To Invoice"],
    ["no", "Nothing to Invoice"],
]


def so_states(version: int) -> list[list[str]]:
    return SO_STATES_16 if version < 17 else SO_STATES


def users_schema(version: int) -> dict[str, Field]:
    """``res.users``' own fields (base module, as ``fields_get`` of the recorded servers
    describes them); every other ``res.partner`` field comes through ``partner_id``
    (``_inherits``, see ``Database.link_inherits``)."""
    groups = "group_ids" if version >= 19 else "groups_id"
    fields: dict[str, Field] = {
        "login": F("char", "Login", required=True),
        "password": F("char", "Password", store=False),
        "new_password": F("char", "Set Password", store=False),
        "partner_id": F("many2one", "Related Partner", required=True, relation="res.partner"),
        "active": F("boolean", "Active"),
        "active_partner": F("boolean", "Partner is Active", readonly=True, store=False),
        "share": F("boolean", "Share User", readonly=True),
        "company_id": F("many2one", "Company", required=True, relation="res.company"),
        "company_ids": F("many2many", "Companies", relation="res.company"),
        groups: F("many2many", "Groups", relation="res.groups"),
        "signature": F("html", "Email Signature"),
        "action_id": F("many2one", "Home Action", relation="ir.actions.actions"),
        "login_date": F(
            "datetime", "Latest Login" if version >= 19 else "Latest authentication", store=False
        ),
        "api_key_ids": F(
            "one2many", "API Keys", relation="res.users.apikeys", relation_field="user_id"
        ),
        "state": F(
            "selection",
            "Status",
            store=False,
            selection=[["new", "Never Connected"], ["active", "Confirmed"]],
        ),
        "companies_count": F("integer", "Number of Companies", store=False),
        "groups_count": F("integer", "# Groups", store=False),
        "accesses_count": F("integer", "# Access Rights", store=False),
        "rules_count": F("integer", "# Record Rules", store=False),
        "tz_offset": F("char", "Timezone offset", store=False),
    }
    if version >= 19:
        fields["all_group_ids"] = F(
            "many2many", "Groups and implied groups", relation="res.groups", store=False
        )
        fields["role"] = F(
            "selection",
            "Role",
            store=False,
            selection=[["group_user", "User"], ["group_system", "Administrator"]],
        )
    return _m(fields)


def system_schemas(version: int) -> dict[str, dict[str, Field]]:
    """The technical models clients touch: groups, xml ids, crons, menus, reports, API keys
    (field names and labels of Odoo's base module)."""
    users = "user_ids" if version >= 19 else "users"
    return {
        "res.groups": _m(
            {
                "name": F("char", "Name", required=True),
                "full_name": F("char", "Group Name", readonly=True, store=False),
                users: F("many2many", "Users", relation="res.users"),
                "implied_ids": F("many2many", "Inherits", relation="res.groups"),
                "share": F("boolean", "Share Group"),
                "comment": F("text", "Comment"),
            }
        ),
        "ir.model.data": _m(
            {
                "name": F("char", "External Identifier", required=True),
                "complete_name": F("char", "Complete ID", readonly=True, store=False),
                "module": F("char", "Module", required=True),
                "model": F("char", "Model Name", required=True),
                "res_id": F("many2one_reference", "Record ID", model_field="model"),
                "noupdate": F("boolean", "Non Updatable"),
                "reference": F("char", "Reference", readonly=True, store=False),
            }
        ),
        "ir.cron": _m(
            {
                "cron_name": F("char", "Name", readonly=True),
                "name": F("char", "Action Name", required=True),
                "model_id": F("many2one", "Model", required=True, relation="ir.model"),
                "model_name": F("char", "Model Name", readonly=True),
                "user_id": F("many2one", "Scheduler User", required=True, relation="res.users"),
                "active": F("boolean", "Active"),
                "interval_number": F("integer", "Interval Number"),
                "interval_type": F(
                    "selection",
                    "Interval Unit",
                    selection=[
                        ["minutes", "Minutes"],
                        ["hours", "Hours"],
                        ["days", "Days"],
                        ["weeks", "Weeks"],
                        ["months", "Months"],
                    ],
                ),
                "nextcall": F("datetime", "Next Execution Date", required=True),
                "lastcall": F("datetime", "Last Execution Date"),
                "priority": F("integer", "Priority"),
                "code": F("text", "Python Code"),
            }
        ),
        "ir.ui.menu": _m(
            {
                "name": F("char", "Menu", required=True),
                "complete_name": F("char", "Full Path", readonly=True, store=False),
                "parent_id": F("many2one", "Parent Menu", relation="ir.ui.menu"),
                "child_id": F(
                    "one2many", "Child IDs", relation="ir.ui.menu", relation_field="parent_id"
                ),
                "sequence": F("integer", "Sequence"),
                "active": F("boolean", "Active"),
                "action": F("reference", "Action", store=False),
                "web_icon": F("char", "Web Icon File"),
            }
        ),
        "ir.actions.report": _m(
            {
                "name": F("char", "Action Name", required=True),
                "type": F("char", "Action Type", required=True),
                "model": F("char", "Model Name", required=True),
                "report_type": F(
                    "selection",
                    "Report Type",
                    required=True,
                    selection=[
                        ["qweb-html", "HTML"],
                        ["qweb-pdf", "PDF"],
                        ["qweb-text", "Text"],
                    ],
                ),
                "report_name": F("char", "Template Name", required=True),
                "report_file": F("char", "Report File"),
                "print_report_name": F("char", "Printed Report Name"),
                "binding_model_id": F("many2one", "Binding Model", relation="ir.model"),
                "binding_type": F(
                    "selection",
                    "Binding Type",
                    required=True,
                    selection=[["action", "Action"], ["report", "Report"]],
                ),
            }
        ),
    }


def apikey_schemas(version: int) -> dict[str, dict[str, Field]]:
    """``res.users.apikeys`` (the keys, without their secret) and the description wizard
    that makes one (``make_key``); 18 added durations and expiration dates."""
    keys = {
        "name": F("char", "Description", required=True, readonly=True),
        "user_id": F("many2one", "User", required=True, readonly=True, relation="res.users"),
        "scope": F("char", "Scope", readonly=True),
    }
    wizard: dict[str, Field] = {"name": F("char", "Description", required=True)}
    if version >= 18:
        keys["expiration_date"] = F("datetime", "Expiration Date", readonly=True)
        wizard["duration"] = F(
            "selection",
            "Duration",
            required=True,
            selection=[
                ["1", "1 Day"],
                ["7", "1 Week"],
                ["30", "1 Month"],
                ["90", "3 Months"],
                ["180", "6 Months"],
                ["365", "1 Year"],
                ["0", "Persistent Key"],
                ["-1", "Custom Date"],
            ],
        )
        wizard["expiration_date"] = F("datetime", "Expiration Date")
    return {
        "res.users.apikeys": _m(keys),
        "res.users.apikeys.description": _m(wizard),
        "res.users.identitycheck": _m(
            {
                "request": F("char", "Request", readonly=True),
                "password": F("char", "Password", store=False),
            }
        ),
    }


def schemas(version: int = 18, *, measured: bool = True) -> dict[str, dict[str, Field]]:
    """Every built-in model's schema, its translated fields marked (``translate: True``);
    with ``measured``, res.partner and res.users get the fields measured on real servers
    (:mod:`odoorm.testing.measured`)."""
    from odoorm.testing.account_schema import add_tax_fields
    from odoorm.testing.measured import add_measured
    from odoorm.testing.settings_schema import FOLLOWED, FOLLOWERS_FIELD, settings_schemas
    from odoorm.testing.translations import mark_translated

    found = {**_schemas(version), **settings_schemas(version)}  # the latter builds on this one
    if measured:
        add_measured(found, version)
    add_tax_fields(found, version)
    for model, fields in found.items():
        mark_translated(model, fields, version)
        if model in FOLLOWED:
            fields["message_follower_ids"] = dict(FOLLOWERS_FIELD)
    return found


def _schemas(version: int) -> dict[str, dict[str, Field]]:
    product_types = (
        [["consu", "Goods"], ["service", "Service"], ["combo", "Combo"]]
        if version >= 18
        else [["consu", "Consumable"], ["service", "Service"], ["product", "Storable Product"]]
    )
    return {
        "res.currency": _m(
            {
                "name": F("char", "Currency", required=True),
                "full_name": F("char", "Name"),
                "symbol": F("char", "Symbol", required=True),
                "rounding": F("float", "Rounding Factor", digits=[12, 6]),
                "decimal_places": F("integer", "Decimal Places", readonly=True, store=False),
                "position": F(
                    "selection",
                    "Symbol Position",
                    selection=[["after", "After Amount"], ["before", "Before Amount"]],
                ),
                "active": F("boolean", "Active"),
            }
        ),
        "res.country": _m(
            {
                "name": F("char", "Country Name", required=True),
                "code": F("char", "Country Code", required=True),
                "currency_id": F("many2one", "Currency", relation="res.currency"),
                "phone_code": F("integer", "Country Calling Code"),
            }
        ),
        "res.country.state": _m(
            {
                "country_id": F("many2one", "Country", required=True, relation="res.country"),
                "name": F("char", "State Name", required=True),
                "code": F("char", "State Code", required=True),
            }
        ),
        **(
            {
                "res.partner.title": _m(
                    {
                        "name": F("char", "Title", required=True),
                        "shortcut": F("char", "Abbreviation"),
                    }
                )
            }
            if version <= 18
            else {}
        ),
        "res.company": _m(
            {
                "name": F("char", "Company Name", required=True),
                "partner_id": F("many2one", "Partner", required=True, relation="res.partner"),
                "currency_id": F("many2one", "Currency", required=True, relation="res.currency"),
                "country_id": F("many2one", "Country", relation="res.country", store=False),
                "email": F("char", "Email", store=False),
                "phone": F("char", "Phone", store=False),
                "parent_id": F("many2one", "Parent Company", relation="res.company"),
                "child_ids": F(
                    "one2many", "Branches", relation="res.company", relation_field="parent_id"
                ),
                "sequence": F("integer", "Sequence"),
                "active": F("boolean", "Active"),
            }
        ),
        "res.users": users_schema(version),
        "res.partner.category": _m(
            {
                "name": F("char", "Name", required=True),
                "color": F("integer", "Color", aggregator=None),
                "parent_id": F("many2one", "Category", relation="res.partner.category"),
                "child_ids": F(
                    "one2many",
                    "Child Tags",
                    relation="res.partner.category",
                    relation_field="parent_id",
                ),
                "active": F("boolean", "Active"),
                "partner_ids": F("many2many", "Partners", relation="res.partner"),
            }
        ),
        "res.partner.industry": _m(
            {
                "name": F("char", "Name"),
                "full_name": F("char", "Full Name"),
                "active": F("boolean", "Active"),
            }
        ),
        "res.partner": partner_schema(version),
        "uom.uom": _m(
            {
                "name": F("char", "Unit Name", required=True),
                "factor": F("float", "Ratio", digits=[0, 0]),
                "rounding": F("float", "Rounding Precision", digits=[0, 0]),
                "active": F("boolean", "Active"),
            }
        ),
        "product.template": _m(
            {
                "name": F("char", "Name", required=True),
                "default_code": F("char", "Internal Reference"),
                "type": F("selection", "Product Type", required=True, selection=product_types),
                "list_price": F("float", "Sales Price", digits=[16, 2]),
                "standard_price": F("float", "Cost", digits=[16, 2]),
                "sale_ok": F("boolean", "Can be Sold"),
                "purchase_ok": F("boolean", "Can be Purchased"),
                "uom_id": F("many2one", "Unit", required=True, relation="uom.uom"),
                "description_sale": F("text", "Sales Description"),
                "priority": F(
                    "selection", "Favorite", selection=[["0", "Normal"], ["1", "Favorite"]]
                ),
                "product_variant_ids": F(
                    "one2many",
                    "Products",
                    relation="product.product",
                    relation_field="product_tmpl_id",
                ),
                "active": F("boolean", "Active"),
            }
        ),
        "product.product": _m(
            {
                "product_tmpl_id": F(
                    "many2one", "Product Template", required=True, relation="product.template"
                ),
                "name": F("char", "Name", required=True),
                "default_code": F("char", "Internal Reference"),
                # company-dependent on 17 (not stored in the partner's table)
                "barcode": F("char", "Barcode", store=version >= 18),
                "type": F("selection", "Product Type", required=True, selection=product_types),
                "lst_price": F("float", "Sales Price", digits=[16, 2], store=False),
                "list_price": F("float", "Sales Price", digits=[16, 2]),
                "standard_price": F("float", "Cost", digits=[16, 2]),
                "sale_ok": F("boolean", "Can be Sold"),
                "purchase_ok": F("boolean", "Can be Purchased"),
                "uom_id": F("many2one", "Unit", required=True, relation="uom.uom"),
                "priority": F(
                    "selection", "Favorite", selection=[["0", "Normal"], ["1", "Favorite"]]
                ),
                "active": F("boolean", "Active"),
            }
        ),
        "sale.order": _m(
            {
                "name": F("char", "Order Reference", required=True, readonly=False),
                "partner_id": F("many2one", "Customer", required=True, relation="res.partner"),
                # computed from partner_id (res.partner.address_get), stored, writable
                "partner_invoice_id": F(
                    "many2one",
                    "Invoice Address",
                    required=True,
                    relation="res.partner",
                    depends=["partner_id"],
                ),
                "partner_shipping_id": F(
                    "many2one",
                    "Delivery Address",
                    required=True,
                    relation="res.partner",
                    depends=["partner_id"],
                ),
                "date_order": F("datetime", "Order Date", required=True),
                "validity_date": F("date", "Expiration"),
                "state": F("selection", "Status", readonly=True, selection=so_states(version)),
                "order_line": F(
                    "one2many", "Order Lines", relation="sale.order.line", relation_field="order_id"
                ),
                "amount_untaxed": F("monetary", "Untaxed Amount", readonly=True),
                "amount_tax": F("monetary", "Taxes", readonly=True),
                "amount_total": F("monetary", "Total", readonly=True),
                "currency_id": F("many2one", "Currency", readonly=True, relation="res.currency"),
                "company_id": F("many2one", "Company", required=True, relation="res.company"),
                "user_id": F("many2one", "Salesperson", relation="res.users"),
                "client_order_ref": F("char", "Customer Reference"),
                "note": F("html", "Terms and conditions"),
                "invoice_status": F(
                    "selection", "Invoice Status", readonly=True, selection=INVOICE_STATUS
                ),
            }
        ),
        "sale.order.line": _m(
            {
                "order_id": F("many2one", "Order Reference", required=True, relation="sale.order"),
                "sequence": F("integer", "Sequence", aggregator=None),
                "product_id": F("many2one", "Product", relation="product.product"),
                # computed from the product (Odoo 16+: compute, store, precompute)
                "name": F("text", "Description", required=True, depends=["product_id"]),
                "product_uom_qty": F("float", "Quantity", digits=[16, 2]),
                "product_uom": F("many2one", "Unit", relation="uom.uom"),
                "price_unit": F("float", "Unit Price", digits=[16, 2]),
                "discount": F("float", "Discount (%)", digits=[16, 2]),
                "price_subtotal": F("monetary", "Subtotal", readonly=True),
                "price_tax": F("float", "Total Tax", readonly=True),
                "price_total": F("monetary", "Total", readonly=True),
                "state": F(
                    "selection", "Order Status", readonly=True, selection=so_states(version)
                ),
            }
        ),
        **apikey_schemas(version),
        "ir.attachment": attachment_schema(version),
        "ir.config_parameter": _m(
            {
                "key": F("char", "Key", required=True),
                "value": F("text", "Value", required=True),
            }
        ),
        **system_schemas(version),
        # read-only here: one row per emulated model (behaviours.sync_ir_model)
        "ir.model": _m(
            {
                "name": F("char", "Model Description", required=True),
                "model": F("char", "Model", required=True),
                "state": F(
                    "selection",
                    "Type",
                    readonly=True,
                    selection=[["manual", "Custom Object"], ["base", "Base Object"]],
                ),
                "transient": F("boolean", "Transient Model"),
            }
        ),
    }


def partner_schema(version: int = 18) -> dict[str, Field]:
    """``res.partner``: the fields demo partners carry on a real server of ``version`` (the
    recorded servers have 154 to 166 with accounting, mail and sale installed; the ones
    kept here are those of the contact form, its address, images and hierarchy)."""

    def image(string: str, *, readonly: bool = True, store: bool = True) -> Field:
        return F("binary", string, readonly=readonly, store=store)

    person = "Person" if version >= 19 else "Individual"
    fields: dict[str, Field] = {
        "name": F("char", "Name"),
        "complete_name": F("char", "Complete Name", readonly=True),
        "parent_id": F("many2one", "Related Company", relation="res.partner"),
        "parent_name": F("char", "Parent name", readonly=True, store=False),
        "child_ids": F("one2many", "Contact", relation="res.partner", relation_field="parent_id"),
        "is_company": F("boolean", "Is a Company"),
        "company_type": F(
            "selection",
            "Company Type",
            store=False,
            selection=[["person", person], ["company", "Company"]],
        ),
        "company_name": F("char", "Company Name"),
        "commercial_company_name": F("char", "Company Name Entity", readonly=True),
        "type": F(
            "selection",
            "Address Type",
            selection=PARTNER_TYPES
            if version <= 18
            else [[key, label.replace(" Address", "")] for key, label in PARTNER_TYPES],
        ),
        "ref": F("char", "Reference"),
        "vat": F("char", "Tax ID"),
        "company_registry": F("char", "Company ID"),
        # company-dependent on 17 (not stored in the partner's table)
        "barcode": F("char", "Barcode", store=version >= 18),
        "email": F("char", "Email"),
        "email_normalized": F("char", "Normalized Email", readonly=True),
        "email_formatted": F("char", "Formatted Email", readonly=True, store=False),
        "phone": F("char", "Phone"),
        **({"mobile": F("char", "Mobile")} if version <= 18 else {}),
        **(
            {"title": F("many2one", "Title", relation="res.partner.title")} if version <= 18 else {}
        ),
        "website": F("char", "Website Link"),
        "function": F("char", "Job Position"),
        "employee": F("boolean", "Employee"),
        "street": F("char", "Street"),
        "street2": F("char", "Street2"),
        "city": F("char", "City"),
        "zip": F("char", "Zip"),
        "state_id": F("many2one", "State", relation="res.country.state"),
        "country_id": F("many2one", "Country", relation="res.country"),
        "country_code": F("char", "Country Code", readonly=True, store=False),
        "contact_address": F("char", "Complete Address", readonly=True, store=False),
        "category_id": F("many2many", "Tags", relation="res.partner.category"),
        "industry_id": F("many2one", "Industry", relation="res.partner.industry"),
        "user_id": F("many2one", "Salesperson", relation="res.users"),
        "user_ids": F("one2many", "Users", relation="res.users", relation_field="partner_id"),
        "company_id": F("many2one", "Company", relation="res.company"),
        "commercial_partner_id": F(
            "many2one", "Commercial Entity", readonly=True, relation="res.partner"
        ),
        "lang": F("selection", "Language", selection=LANGS),
        "tz": F("char", "Timezone"),
        "comment": F("html", "Notes"),
        "color": F("integer", "Color Index", aggregator=None),
        "customer_rank": F("integer", "Customer Rank"),
        "supplier_rank": F("integer", "Supplier Rank"),
        "credit_limit": F("float", "Credit Limit", store=version >= 18),
        "partner_latitude": F("float", "Geo Latitude", digits=[10, 7]),
        "partner_longitude": F("float", "Geo Longitude", digits=[10, 7]),
        "image_1920": image("Image", readonly=False),
        "image_1024": image("Image 1024"),
        "image_512": image("Image 512"),
        "image_256": image("Image 256"),
        "image_128": image("Image 128"),
        "avatar_1920": image("Avatar", store=False),
        "avatar_1024": image("Avatar 1024", store=False),
        "avatar_512": image("Avatar 512", store=False),
        "avatar_256": image("Avatar 256", store=False),
        "avatar_128": image("Avatar 128", store=False),
        "sale_order_ids": F(
            "one2many", "Sales Order", relation="sale.order", relation_field="partner_id"
        ),
        "active": F("boolean", "Active"),
    }
    if version <= 17:
        fields["date"] = F("date", "Date")  # gone from 18
    # mail.thread's fields come first in fields_get (after id and display_name from 19):
    # Odoo reads them first for ids it cannot fetch (see models/ids.py)
    mail = {
        "message_is_follower": F("boolean", "Is Follower", readonly=True, store=False),
        "has_message": F("boolean", "Has Message", readonly=True, store=False),
    }
    if version >= 19:
        schema = _m(fields)
        return {
            "id": schema.pop("id"),
            "display_name": schema.pop("display_name"),
            **mail,
            **schema,
        }
    return {**mail, **_m(fields)}


def attachment_schema(version: int = 18) -> dict[str, Field]:
    """``ir.attachment`` as the recorded 16-19 servers describe it (field order included)."""
    writable_res = version >= 19  # res_model/res_field/res_id became writable in 19
    fields: dict[str, Field] = {
        "name": F("char", "Name", required=True),
        "description": F("text", "Description"),
        "res_name": F("char", "Resource Name", readonly=True, store=False),
        "res_model": F("char", "Resource Model", readonly=not writable_res),
        "res_field": F("char", "Resource Field", readonly=not writable_res),
        "res_id": F(
            "many2one_reference",
            "Resource ID",
            readonly=not writable_res,
            model_field="res_model",
        ),
        "company_id": F("many2one", "Company", relation="res.company"),
        "type": F(
            "selection", "Type", required=True, selection=[["url", "URL"], ["binary", "File"]]
        ),
        "url": F("char", "Url"),
        "public": F("boolean", "Is public document"),
        "access_token": F("char", "Access Token"),
        "raw": F("binary", "File Content (raw)", store=False),
        "datas": F("binary", "File Content (base64)", store=False),
        "db_datas": F("binary", "Database Data"),
        "store_fname": F("char", "Stored Filename"),
        "file_size": F("integer", "File Size", readonly=True, aggregator=None),
        "checksum": F("char", "Checksum/SHA1", readonly=True),
        "mimetype": F("char", "Mime Type", readonly=True),
        "index_content": F("text", "Indexed Content", readonly=True),
    }
    extra: dict[str, Field] = {
        "local_url": F("char", "Attachment URL", readonly=True, store=False),
        "image_src": F("char", "Image Src", readonly=True, store=False),
        "image_width": F("integer", "Image Width", readonly=True, store=False),
        "image_height": F("integer", "Image Height", readonly=True, store=False),
        "original_id": F(
            "many2one", "Original (unoptimized, unresized) attachment", relation="ir.attachment"
        ),
    }
    if version >= 19:
        extra["thumbnail"] = F("binary", "Thumbnail")
        extra["has_thumbnail"] = F("boolean", "Has Thumbnail", readonly=True, store=False)
    voice = {
        "voice_ids": F(
            "one2many", "Voice", relation="discuss.voice.metadata", relation_field="attachment_id"
        )
    }
    if version >= 19:
        stamps = _stamps()
        head = {"id": F("integer", "ID", readonly=True), "display_name": stamps.pop("display_name")}
        return {**head, **fields, **stamps, **extra, **voice}
    ident = {"id": F("integer", "ID", readonly=True)}
    if version <= 16:
        # no voice messages yet; every model reads its last change as __last_update
        last = {"__last_update": F("datetime", "Last Modified on", readonly=True, store=False)}
        return {**fields, **ident, **last, **_stamps(), **extra}
    if version <= 17:
        return {**fields, **ident, **_stamps(), **voice, **extra}
    return {**fields, **ident, **_stamps(), **extra, **voice}
