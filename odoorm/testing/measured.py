"""Which measured fields the demo schema leaves out, and why (``res.partner``, ``res.users``,
``res.company``, ``sale.order``, ``sale.order.line``, ``product.template``, ``product.product``).

The fields themselves are generated into :mod:`odoorm.testing.real_fields` from the lab's
``fields_get`` answers; a field listed here is not generated, because the emulator cannot
give it the value a real server would (it is computed from data the emulator holds, in a
way it does not model, or it searches differently), and a wrong value passing silently is
worse than "Invalid field".
"""

from __future__ import annotations

from typing import Any

from odoorm.testing.demo_schema import F, Field
from odoorm.testing.store import NUMERIC

#: field -> why it is left out (for both models; res.users reads its partner's)
LEFT_OUT: dict[str, str] = {
    # computed from the partner's data in ways the emulator does not model
    "contact_address_inline": "the address formatted per country",
    "partner_share": "stored, computed from the users of the partner (searched as stored)",
    "im_status": "presence (bus/mail), 'im_partner', 'offline' or 'bot'",
    "offline_since": "presence (bus/mail)",
    "is_public": "true for the public user's partner only",
    "main_user_id": "the partner's first internal user",
    "message_partner_ids": "the followers' partners (searched through mail.followers)",
    "same_vat_partner_id": "another partner with the same VAT",
    "same_company_registry_partner_id": "another partner with the same company ID",
    "phone_sanitized": "the phone in E.164 (phone_validation's phonenumbers)",
    "phone_mobile_search": "a search-only field matching phone and mobile numbers",
    "signup_url": "the server's base URL and the user's login or token",
    "application_statistics": "counts of orders and invoices, as a json list",
    "credit_to_invoice": "the amount of confirmed orders not invoiced yet",
    "type_address_label": "depends on the partner being a company",
    # depend on the company's country and the accounting localisation
    "fiscal_country_codes": "the companies' fiscal countries",
    "fiscal_country_group_codes": "the companies' fiscal country groups",
    "partner_vat_placeholder": "an example VAT of the partner's country",
    "partner_company_registry_placeholder": "an example company ID of the country",
    "company_registry_label": "the country's name for a company ID",
    "company_registry_placeholder": "an example company ID of the country",
    "vat_label": "the country's name for a VAT number",
    "peppol_eas": "computed from the country (account_edi_ubl_cii)",
    "peppol_endpoint": "computed from the VAT or company ID",
    "available_peppol_eas": "the schemes allowed for the country",
    "ubl_cii_format": "computed from the country",
    "invoice_edi_format": "computed from the country",
    "invoice_edi_format_store": "computed from the country",
    "is_ubl_format": "computed from the EDI format",
    "is_peppol_edi_format": "computed from the EDI format",
    "display_invoice_edi_format": "whether the country has EDI formats",
    "available_invoice_template_pdf_report_ids": "the installed invoice reports",
    "properties": "properties defined on the parent company",
    # users: group reification and settings derived from the groups and the configuration
    "view_group_hierarchy": "the groups and privileges of the database, as json",
    "can_edit_role": "access rights of the current user",
    "user_group_warning": "computed from the groups' implications",
    "email_domain_placeholder": "the catchall domain of the configuration",
    "has_external_mail_server": "the configuration's mail servers",
    "is_out_of_office": "computed from the out-of-office dates and the clock",
}

#: prefixes of res.users' reified group fields (16-18): named after the database's group ids
LEFT_OUT_PREFIXES = ("in_group_", "sel_groups_")

_CHART = "set by the chart of accounts the lab installed (generic_coa), which the emulator lacks"
_PARTNER = "the company's partner's, written through to it (the emulator does not relate them)"
_FOLLOWERS = "the followers' partners (searched through mail.followers)"
_TO_INVOICE = "the invoicing policy and delivered quantities decide it, which the emulator lacks"

#: the other models' fields left out: model -> field -> why
LEFT_OUT_BY_MODEL: dict[str, dict[str, str]] = {
    "res.company": {
        "street": _PARTNER,
        "street2": _PARTNER,
        "zip": _PARTNER,
        "city": _PARTNER,
        "state_id": _PARTNER,
        "country_code": "the company country's code (the emulator's company has no country)",
        "website": _PARTNER,
        "vat": _PARTNER,
        "company_registry": _PARTNER,
        "mobile": _PARTNER,
        "color": _PARTNER,
        "logo": "the partner's image, and Odoo's logo by default",
        "logo_web": "the logo resized",
        "uses_default_logo": "whether the logo is Odoo's default one",
        "favicon": "Odoo's favicon by default (an image this emulator does not carry)",
        "email_formatted": "the name and the partner's email",
        "account_fiscal_country_id": "computed from the company's country",
        "account_enabled_tax_country_ids": "the countries of its taxes and fiscal positions",
        "account_fiscal_country_group_codes": "the fiscal country's groups",
        "company_vat_placeholder": "an example VAT of the country",
        "company_registry_placeholder": "an example company ID of the country",
        "uninstalled_l10n_module_ids": "the localisation modules not installed for the country",
        "account_sale_tax_id": _CHART,
        "account_purchase_tax_id": _CHART,
        "anglo_saxon_accounting": _CHART,
        "bank_account_code_prefix": _CHART,
        "cash_account_code_prefix": _CHART,
        "transfer_account_code_prefix": _CHART,
        "chart_template": _CHART,
        "early_pay_discount_computation": _CHART,
        "account_opening_date": "defaults to the first day of the current year",
        "account_onboarding_create_invoice_state": "computed from the company's invoices",
        "email_primary_color": "computed from the report layout's colours",
        "email_secondary_color": "computed from the report layout's colours",
        "max_tax_lock_date": "the lock dates of the company and its parents (date.min when none)",
        "user_fiscalyear_lock_date": "the lock dates the current user may not bypass",
        "user_hard_lock_date": "the lock dates the current user may not bypass",
        "user_purchase_lock_date": "the lock dates the current user may not bypass",
        "user_sale_lock_date": "the lock dates the current user may not bypass",
        "user_tax_lock_date": "the lock dates the current user may not bypass",
        "parent_path": "stored by the ORM for child_of (the emulator walks parent_id)",
        "message_partner_ids": _FOLLOWERS,
    },
    "sale.order": {
        "access_token": "a uuid made when the portal link is first asked for",
        "expected_date": "computed from the lines' lead times and the clock",
        "is_expired": "compares validity_date with today",
        "currency_rate": "the currency's rate at the order date",
        "country_code": "the company's fiscal country (set by the chart of accounts)",
        "tax_country_id": "the fiscal position's or the company's fiscal country",
        "amount_to_invoice": _TO_INVOICE,
        "is_pdf_quote_builder_available": "whether quotation documents exist",
        "duplicated_order_ids": "other orders with the same customer reference",
        "message_partner_ids": _FOLLOWERS,
    },
    "sale.order.line": {
        "invoice_status": _TO_INVOICE,
        "qty_to_invoice": _TO_INVOICE,
        "untaxed_amount_to_invoice": _TO_INVOICE,
        "amount_to_invoice": _TO_INVOICE,
        "product_updatable": "depends on the state, the invoiced and delivered quantities",
        "technical_price_unit": "the price the pricelist computed, kept apart from a typed one",
        "translated_product_name": "the product's name in the customer's language",
        "analytic_distribution_search": "a search-only field (analytic accounts)",
        "tax_country_id": "the fiscal position's or the company's fiscal country",
        "allowed_uom_ids": "the units the product allows (19's uom_ids)",
        "product_uom_id": "19's name of the unit, which the emulator's lines call product_uom",
    },
    "product.template": {
        "barcode": "the single variant's barcode, written through to it",
        "detailed_type": "16-17's product type, which computes type (the emulator stores type)",
        "invoice_policy": "computed from the product type on create (no default_get default)",
        "uom_po_id": "the purchase unit, set from uom_id",
        "supplier_taxes_id": "the company's purchase taxes, set on create (a list default)",
        "sales_count": "the quantity sold over the last 365 days (sale.report)",
        "tax_string": "the price with its taxes, formatted in the currency",
        "product_tooltip": "a help text that depends on the product type and policy",
        "visible_qty_configurator": "depends on the user's groups",
        "is_favorite": "computed from priority and written through to it",
        "fiscal_country_codes": "the companies' fiscal countries",
        "product_properties": "properties defined on the product category",
        "message_partner_ids": _FOLLOWERS,
    },
    "product.product": {
        "sales_count": "the quantity sold over the last 365 days (sale.report)",
        "tax_string": "the price with its taxes, formatted in the currency",
        "is_favorite": "computed from priority and written through to it",
        "fiscal_country_codes": "the companies' fiscal countries",
        "product_properties": "properties defined on the product category",
        "message_partner_ids": _FOLLOWERS,
    },
}

#: ``_inherits`` the demo schema wires for measured fields only: model -> (parent, link).
#: The variant gets the template's fields it lacks (``store: False``, read and written through
#: ``product_tmpl_id``); the fields it had before (name, prices...) stay its own.
MEASURED_INHERITS: dict[str, tuple[str, str]] = {
    "product.product": ("product.template", "product_tmpl_id"),
}
#: models given measured fields
MEASURED_MODELS = (
    "res.partner",
    "res.users",
    "res.company",
    "sale.order",
    "sale.order.line",
    "product.template",
    "product.product",
)


def left_out(fname: str, model: str = "res.partner") -> bool:
    if model in LEFT_OUT_BY_MODEL:
        return fname in LEFT_OUT_BY_MODEL[model]
    return fname in LEFT_OUT or fname.startswith(LEFT_OUT_PREFIXES)


# -- from a measured spec to a field of the demo schema ---------------------------------------
def measured_specs(model: str, version: int) -> dict[str, dict[str, Any]]:
    """The measured fields of ``model`` on ``version``: name -> attributes (``default``
    included, the value ``default_get`` answers on a real server)."""
    from odoorm.testing.real_fields import MEASURED

    out: dict[str, dict[str, Any]] = {}
    for fname, spec in MEASURED.get(model, {}).items():
        if version not in spec.get("versions", (16, 17, 18, 19)):
            continue
        attrs = {k: v for k, v in spec.items() if k not in ("versions", "per_version")}
        attrs.update(spec.get("per_version", {}).get(version, {}))
        out[fname] = attrs
    return out


def add_measured(found: dict[str, dict[str, Field]], version: int) -> None:
    """Add the measured fields to the demo schemas ``found`` (those it already has stay)."""
    for model in MEASURED_MODELS:
        fields = found.get(model)
        if fields is None:
            continue
        for fname, attrs in measured_specs(model, version).items():
            if fname in fields:
                continue
            attrs = dict(attrs)
            attrs.pop("default", None)
            ftype, string = attrs.pop("type"), attrs.pop("string")
            if "aggregator" not in attrs and ftype in NUMERIC and attrs.get("store", True):
                attrs["aggregator"] = None  # F() would say "sum"
            fields[fname] = F(ftype, string, **attrs)


def implicit_values(
    model: str, version: int, fields: dict[str, Field] | None = None
) -> dict[str, Any]:
    """The defaults of the measured fields that differ from their type's empty value: what
    a record that never had the field written reads (kept once per table, not per row).
    With ``fields`` (a loaded schema, a seed's too), only those it has with the same type."""
    return {
        fname: attrs["default"]
        for fname, attrs in measured_specs(model, version).items()
        if "default" in attrs
        and (fields is None or fields.get(fname, {}).get("type") == attrs["type"])
    }
