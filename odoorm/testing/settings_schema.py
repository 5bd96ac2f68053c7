"""``fields_get`` schemas of base's settings models: languages and their install wizard,
window actions, currency rates and mail's followers (as the lab's 16-19 describe them)."""

from __future__ import annotations

from odoorm.testing.demo_schema import F, Field, _m, _stamps

WEEKDAYS = [
    ["1", "Monday"],
    ["2", "Tuesday"],
    ["3", "Wednesday"],
    ["4", "Thursday"],
    ["5", "Friday"],
    ["6", "Saturday"],
    ["7", "Sunday"],
]
#: 19 turned the formats into selections (the labels show 2026-01-31 13:00:00)
DATE_FORMATS_19 = [
    [f"%{a}{sep}%{b}{sep}%{c}", f"{x}{sep}{y}{sep}{z}"]
    for sep in ("/", "-", ".")
    for (a, x), (b, y), (c, z) in (
        (("d", "31"), ("m", "01"), ("Y", "2026")),
        (("m", "01"), ("d", "31"), ("Y", "2026")),
        (("Y", "2026"), ("m", "01"), ("d", "31")),
    )
]
BINDING_TYPES = [["action", "Action"], ["report", "Report"]]


def _head_19(version: int, fields: dict[str, Field]) -> dict[str, Field]:
    """From 19, ``fields_get`` lists ``id`` and ``display_name`` first."""
    schema = _m(fields)
    if version < 19:
        return schema
    return {"id": schema.pop("id"), "display_name": schema.pop("display_name"), **schema}


def lang_schema(version: int) -> dict[str, Field]:
    def fmt(string: str, selection: list[list[str]]) -> Field:
        if version >= 19:
            return F("selection", string, required=True, selection=selection)
        return F("char", string, required=True)

    fields: dict[str, Field] = {
        "name": F("char", "Name", required=True),
        "code": F("char", "Locale Code", required=True),
        "iso_code": F("char", "ISO code"),
        "url_code": F("char", "URL Code", required=True),
        "active": F("boolean", "Active"),
        "direction": F(
            "selection",
            "Direction",
            required=True,
            selection=[["ltr", "Left-to-Right"], ["rtl", "Right-to-Left"]],
        ),
        "date_format": fmt("Date Format", DATE_FORMATS_19),
        "time_format": fmt(
            "Time Format", [["%H:%M:%S", "13:00:00"], ["%I:%M:%S %p", " 1:00:00 PM"]]
        ),
    }
    if version == 18:
        fields["short_time_format"] = F("char", "Short Time Format", required=True)
    fields.update(
        {
            "week_start": F("selection", "First Day of Week", required=True, selection=WEEKDAYS),
            "grouping": fmt(
                "Separator Format",
                [["[3,0]", "International Grouping"], ["[3,2,0]", "Indian Grouping"]],
            ),
            "decimal_point": F("char", "Decimal Separator", required=True),
            "thousands_sep": F("char", "Thousands Separator"),
            "flag_image": F("binary", "Image"),
            "flag_image_url": F("char", "Flag Image Url", readonly=True, store=False),
        }
    )
    return _head_19(version, fields)


def language_install_schema(version: int) -> dict[str, Field]:
    return _head_19(
        version,
        {
            "lang_ids": F("many2many", "Languages", required=True, relation="res.lang"),
            "overwrite": F("boolean", "Overwrite Existing Terms"),
            "first_lang_id": F(
                "many2one", "First Lang", readonly=True, store=False, relation="res.lang"
            ),
        },
    )


def _action_fields(version: int) -> dict[str, Field]:
    """``ir.actions.actions``' own fields (every action type has them)."""
    fields: dict[str, Field] = {
        "name": F("char", "Action Name", required=True, translate=True),
        "type": F("char", "Action Type", required=True),
        "xml_id": F("char", "External ID", readonly=True, store=False),
    }
    if version >= 18:
        fields["path"] = F("char", "Path to show in the URL")
    fields.update(
        {
            "help": F("html", "Action Description", translate=True),
            "binding_model_id": F("many2one", "Binding Model", relation="ir.model"),
            "binding_type": F("selection", "Binding Type", required=True, selection=BINDING_TYPES),
            "binding_view_types": F("char", "Binding View Types"),
        }
    )
    return fields


def actions_schema(version: int) -> dict[str, Field]:
    return _head_19(version, _action_fields(version))


def act_window_schema(version: int) -> dict[str, Field]:
    """``ir.actions.act_window``: the action's fields, its stamps, then the window's."""
    base = actions_schema(version)
    window: dict[str, Field] = {
        "view_id": F("many2one", "View Ref.", relation="ir.ui.view"),
        "domain": F("char", "Domain Value"),
        "context": F("char", "Context Value", required=True),
        "res_id": F("integer", "Record ID", aggregator=None),
        "res_model": F("char", "Destination Model", required=True),
        "target": F(
            "selection",
            "Target Window",
            selection=[
                ["current", "Current Window"],
                ["new", "New Window"],
                ["inline", "Inline Edit"],
                ["fullscreen", "Full Screen"],
                ["main", "Main action of Current Window"],
            ],
        ),
        "view_mode": F("char", "View Mode", required=True),
    }
    if version >= 17:
        window["mobile_view_mode"] = F("char", "Mobile View Mode")
    window.update(
        {
            "usage": F("char", "Action Usage"),
            "view_ids": F(
                "one2many",
                "No of Views",
                relation="ir.actions.act_window.view",
                relation_field="act_window_id",
            ),
            "views": F("binary", "Views", readonly=True, store=False),
            "limit": F("integer", "Limit", aggregator=None),
            "group_ids" if version >= 19 else "groups_id": F(
                "many2many", "Groups", relation="res.groups"
            ),
            "search_view_id": F("many2one", "Search View Ref.", relation="ir.ui.view"),
        }
    )
    if version >= 18:
        window["embedded_action_ids"] = F(
            "one2many",
            "Embedded actions",
            relation="ir.embedded.actions",
            relation_field="parent_action_id",
        )
    window["filter"] = F("boolean", "Filter")
    if version <= 16:
        window["search_view"] = F("text", "Search View", readonly=True, store=False)
    if version >= 19:
        window["cache"] = F("boolean", "Cache")
    return {**base, **window}


def currency_rate_schema(version: int) -> dict[str, Field]:
    return _head_19(
        version,
        {
            "name": F("date", "Date", required=True),
            "rate": F("float", "Technical Rate", aggregator="avg"),
            "company_rate": F("float", "Company Rate", store=False),
            "inverse_company_rate": F("float", "Inverse Company Rate", store=False),
            "currency_id": F(
                "many2one", "Currency", required=True, readonly=True, relation="res.currency"
            ),
            "company_id": F("many2one", "Company", relation="res.company"),
        },
    )


def followers_schema(version: int) -> dict[str, Field]:
    """``mail.followers`` has no create/write stamps (``_log_access = False``)."""
    fields: dict[str, Field] = {
        "res_model": F("char", "Related Document Model Name", required=True),
        "res_id": F("many2one_reference", "Related Document ID", model_field="res_model"),
        "partner_id": F("many2one", "Related Partner", required=True, relation="res.partner"),
        "subtype_ids": F("many2many", "Subtype", relation="mail.message.subtype"),
        "name": F("char", "Name", readonly=True, store=False),
        "email": F("char", "Email", readonly=True, store=False),
        "is_active": F("boolean", "Is Active", readonly=True, store=False),
    }
    ident = {"id": F("integer", "ID", readonly=True)}
    display = {"display_name": _stamps()["display_name"]}
    if version >= 19:
        return {**ident, **display, **fields}
    return {**fields, **ident, **display}


#: the emulated models that have followers on the lab's 16-19 (res.users reads its partner's)
FOLLOWED = frozenset(
    {
        "res.partner",
        "res.company",
        "product.template",
        "product.product",
        "sale.order",
        "ir.cron",
        "ir.actions.server",
    }
)
#: mail.thread's field on the documents that have followers
FOLLOWERS_FIELD = F("one2many", "Followers", relation="mail.followers", relation_field="res_id")


def settings_schemas(version: int) -> dict[str, dict[str, Field]]:
    return {
        "res.lang": lang_schema(version),
        "base.language.install": language_install_schema(version),
        "ir.actions.actions": actions_schema(version),
        "ir.actions.act_window": act_window_schema(version),
        "res.currency.rate": currency_rate_schema(version),
        "mail.followers": followers_schema(version),
    }
