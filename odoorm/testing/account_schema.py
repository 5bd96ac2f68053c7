"""``fields_get`` schemas of the account models sale orders use: ``account.tax`` and
``account.tax.group``, and the tax fields sale adds to orders, lines and products.

Attributes as the lab's Odoo 16-19 answer them (``fields_get`` of o16..o19). Only the
fields clients read are kept (the real models have 31-57 fields, mostly repartition lines
and accounting settings the emulator does not model).
"""

from __future__ import annotations

from odoorm.testing.demo_schema import F, Field, _m

TAX_USE = [["sale", "Sales"], ["purchase", "Purchases"], ["none", "None"]]


def _amount_types(version: int) -> list[list[str]]:
    # 18 shortened the labels
    if version >= 18:
        percent, division = "Percentage", "Percentage Tax Included"
    else:
        percent, division = "Percentage of Price", "Percentage of Price Tax Included"
    return [
        ["group", "Group of Taxes"],
        ["fixed", "Fixed"],
        ["percent", percent],
        ["division", division],
    ]


def tax_schema(version: int) -> dict[str, Field]:
    fields: dict[str, Field] = {
        "name": F("char", "Tax Name", required=True, translate=True),
        "type_tax_use": F("selection", "Tax Type", required=True, selection=TAX_USE),
        "tax_scope": F(
            "selection",
            "Tax Scope",
            selection=[["service", "Services"], ["consu", "Goods"]],
        ),
        "amount_type": F(
            "selection", "Tax Computation", required=True, selection=_amount_types(version)
        ),
        "active": F("boolean", "Active"),
        "company_id": F(
            "many2one", "Company", required=True, readonly=True, relation="res.company"
        ),
        "children_tax_ids": F("many2many", "Children Taxes", relation="account.tax"),
        "sequence": F("integer", "Sequence", required=True, aggregator=None),
        "amount": F("float", "Amount", required=True, digits=[16, 4]),
    }
    if version <= 16:
        fields["description"] = F("char", "Label on Invoices")
    else:
        # 17 moved the invoice label to its own field; 18 made the description html
        kind = "html" if version >= 18 else "char"
        fields["description"] = F(kind, "Description", translate=True)
        fields["invoice_label"] = F("char", "Label on Invoices", translate=True)
    if version >= 18:
        # 18 turned "included in price" into a per-tax override of the company's default
        fields["price_include"] = F("boolean", "Price Include", readonly=True, store=False)
        fields["price_include_override"] = F(
            "selection",
            "Included in Price",
            selection=[["tax_included", "Tax Included"], ["tax_excluded", "Tax Excluded"]],
        )
    else:
        fields["price_include"] = F("boolean", "Included in Price")
    fields.update(
        {
            "include_base_amount": F("boolean", "Affect Base of Subsequent Taxes"),
            "is_base_affected": F("boolean", "Base Affected by Previous Taxes"),
            "tax_group_id": F("many2one", "Tax Group", required=True, relation="account.tax.group"),
            "country_id": F("many2one", "Country", required=True, relation="res.country"),
        }
    )
    return _head_19(version, fields)


def tax_group_schema(version: int) -> dict[str, Field]:
    fields: dict[str, Field] = {
        "name": F("char", "Name", required=True, translate=True),
        "sequence": F("integer", "Sequence", aggregator=None),
    }
    if version >= 17:  # 16's groups are shared by every company
        fields["company_id"] = F("many2one", "Company", required=True, relation="res.company")
    fields["country_id"] = F("many2one", "Country", relation="res.country")
    fields["preceding_subtotal"] = F("char", "Preceding Subtotal", translate=True)
    if version >= 18:
        fields["pos_receipt_label"] = F("char", "PoS receipt label")
    return _head_19(version, fields)


def _head_19(version: int, fields: dict[str, Field]) -> dict[str, Field]:
    """From 19, ``fields_get`` lists ``id`` and ``display_name`` first."""
    schema = _m(fields)
    if version < 19:
        return schema
    return {"id": schema.pop("id"), "display_name": schema.pop("display_name"), **schema}


def line_tax_field(version: int) -> str:
    """The taxes of an order line: ``tax_id`` up to 18, ``tax_ids`` from 19."""
    return "tax_ids" if version >= 19 else "tax_id"


#: what ``sale.order.tax_totals`` depends on, per version (its ``fields_get`` says so)
TAX_TOTALS_DEPENDS = {
    16: [
        "order_line.tax_id",
        "order_line.price_unit",
        "amount_total",
        "amount_untaxed",
        "currency_id",
    ],
    18: ["order_line.price_subtotal", "currency_id", "company_id"],
    19: ["order_line.price_subtotal", "currency_id", "company_id", "payment_term_id"],
}


def tax_totals_field(version: int) -> Field:
    """A non-stored computed binary that Odoo fills with a JSON dict."""
    depends = TAX_TOTALS_DEPENDS[16 if version <= 17 else version if version <= 19 else 19]
    field = F("binary", "Tax Totals", readonly=True, store=False, depends=list(depends))
    field["exportable"] = False
    return field


def add_tax_fields(found: dict[str, dict[str, Field]], version: int) -> None:
    """The account models, and the tax fields sale adds to orders, lines and products."""
    found["account.tax.group"] = tax_group_schema(version)
    found["account.tax"] = tax_schema(version)
    taxes = F("many2many", "Taxes", relation="account.tax")
    # 18 renamed the products' "Customer Taxes" to "Sales Taxes"
    label = "Sales Taxes" if version >= 18 else "Customer Taxes"
    for model in ("product.template", "product.product"):
        if model in found:
            found[model]["taxes_id"] = F("many2many", label, relation="account.tax")
    if "sale.order.line" in found:
        found["sale.order.line"][line_tax_field(version)] = taxes
    if "sale.order" in found:
        found["sale.order"]["tax_totals"] = tax_totals_field(version)
