"""Which measured ``res.partner`` / ``res.users`` fields the demo schema leaves out, and why.

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


def left_out(fname: str) -> bool:
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
    for model in ("res.partner", "res.users"):
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
