"""The ``session_info`` document ``/web/session/authenticate`` answers with.

Real Odoo fills it for its web client; external clients mostly read ``uid``,
``user_context``, ``db``, ``server_version_info``, the user's name and
companies. The emulator computes those from its store and fills the purely
web-client keys with the static values a fresh Odoo database sends, in the
key order of each version.
"""

from __future__ import annotations

from typing import Any

_VIEW_INFO = {
    "list": {"display_name": "List", "icon": "oi oi-view-list", "multi_record": True},
    "form": {"display_name": "Form", "icon": "fa fa-address-card", "multi_record": False},
    "graph": {"display_name": "Graph", "icon": "fa fa-area-chart", "multi_record": True},
    "pivot": {"display_name": "Pivot", "icon": "oi oi-view-pivot", "multi_record": True},
    "calendar": {"display_name": "Calendar", "icon": "fa fa-calendar", "multi_record": True},
    "kanban": {"display_name": "Kanban", "icon": "oi oi-view-kanban", "multi_record": True},
    "search": {"display_name": "Search", "icon": "oi oi-search", "multi_record": True},
    "activity": {"display_name": "Activity", "icon": "fa fa-clock-o", "multi_record": True},
}


def _read(db: Any, uid: int, model: str, ids: list[int], fields: list[str]) -> list[dict]:
    """Read what exists; a store without the model or field just yields less."""
    if not ids:
        return []
    try:
        known = db.execute(uid, model, "fields_get", [], {"attributes": ["type"]})
        fields = [f for f in fields if f in known]
        return list(db.execute(uid, model, "read", [ids], {"fields": fields}))
    except Exception:
        return []


def _m2o_id(value: Any) -> int | None:
    if isinstance(value, (list, tuple)) and value:
        return int(value[0])
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def session_info(
    db: Any, version: int, server: dict[str, Any], uid: int, base_url: str
) -> dict[str, Any]:
    """Build the session document for ``uid`` as Odoo ``version`` shapes it."""
    user_fields = ["name", "login", "partner_id", "company_id", "company_ids", "lang", "tz"]
    user = (_read(db, uid, "res.users", [uid], user_fields) or [{}])[0]
    partner_id = _m2o_id(user.get("partner_id"))
    partner_rows = _read(
        db,
        uid,
        "res.partner",
        [partner_id] if partner_id else [],
        ["name", "display_name", "write_date", "lang", "tz"],
    )
    partner = (partner_rows or [{}])[0]
    # users inherit name, lang and tz from their partner; a store may keep them there only
    for key in ("name", "lang", "tz"):
        if not user.get(key) and partner.get(key):
            user[key] = partner[key]
    company_ids = [c for c in user.get("company_ids") or [] if isinstance(c, int)]
    company_fields = ["name", "sequence", "child_ids", "parent_id", "currency_id"]
    companies = _read(db, uid, "res.company", company_ids, company_fields)
    current_company = _m2o_id(user.get("company_id")) or (company_ids[0] if company_ids else 1)
    currency_ids = sorted({c for c in (_m2o_id(x.get("currency_id")) for x in companies) if c})
    currency_fields = ["name", "symbol", "position", "decimal_places"]
    currencies = _read(db, uid, "res.currency", currency_ids, currency_fields)

    is_admin = user.get("login") in ("admin", "__system__") or uid in (1, 2)
    lang = user.get("lang") or "en_US"
    tz = user.get("tz") or "Europe/Brussels"
    user_context = {"lang": lang, "tz": tz, "uid": uid}

    allowed: dict[str, Any] = {}
    for company in sorted(companies, key=lambda c: (-(c.get("sequence") or 0), -c["id"])):
        entry = {
            "id": company["id"],
            "name": company.get("name") or "",
            "sequence": company.get("sequence") or 0,
            "child_ids": company.get("child_ids") or [],
            "parent_id": _m2o_id(company.get("parent_id")) or False,
        }
        if version >= 19:
            entry["currency_id"] = _m2o_id(company.get("currency_id")) or False
        allowed[str(company["id"])] = entry
    user_companies = {
        "current_company": current_company,
        "allowed_companies": allowed,
        "disallowed_ancestor_companies": {},
    }
    currency_map: dict[str, Any] = {}
    for cur in currencies:
        entry = {
            "symbol": cur.get("symbol") or "",
            "position": cur.get("position") or "after",
            "digits": [69, cur.get("decimal_places") or 2],
        }
        if version >= 19:
            entry = {"name": cur.get("name") or "", **entry}
        currency_map[str(cur["id"])] = entry

    settings: dict[str, Any] = {"id": 1}
    if version >= 19:
        settings["embedded_actions_config_ids"] = {}
    else:
        settings["user_id"] = {"id": uid}
    settings.update(
        {
            "is_discuss_sidebar_category_channel_open": True,
            "is_discuss_sidebar_category_chat_open": True,
            "push_to_talk_key": False,
            "use_push_to_talk": False,
            "voice_active_duration": 200,
        }
    )
    if version == 17:
        settings["volume_settings_ids"] = [["ADD", []]]
    elif version == 18:
        settings.update({"channel_notifications": False, "mute_until_dt": False})
        settings["volumes"] = [["ADD", []]]
    else:
        settings.update({"channel_notifications": False, "user_id": {"id": uid}})
        settings["volumes"] = [["ADD", []]]

    info: dict[str, Any] = {
        "uid": uid,
        "is_system": is_admin,
        "is_admin": is_admin,
    }
    if version >= 18:
        info["is_public"] = False
    info["is_internal_user"] = True
    info["user_context"] = user_context
    info["db"] = db.name
    if version >= 19:
        info["registry_hash"] = "0" * 64
    info["user_settings"] = settings
    info["server_version"] = server["server_version"]
    info["server_version_info"] = server["server_version_info"]
    info["support_url"] = "https://www.odoo.com/buy"
    info["name"] = user.get("name") or ""
    info["username"] = user.get("login") or ""
    if version >= 19:
        info["quick_login"] = True
    if version >= 18:
        info["partner_write_date"] = partner.get("write_date") or False
    info["partner_display_name"] = partner.get("display_name") or ""
    info["partner_id"] = partner_id or False
    info["web.base.url"] = base_url
    info.update(
        {
            "active_ids_limit": 20000,
            "profile_session": None,
            "profile_collectors": None,
            "profile_params": None,
            "max_file_upload_size": 134217728,
            "home_action_id": False,
        }
    )
    if version <= 18:
        info["cache_hashes"] = {"translations": "0" * 40, "load_menus": "0" * 64}
    info["currencies"] = currency_map
    info["bundle_params"] = {"lang": lang}
    if version >= 18:
        info["test_mode"] = False
        info["view_info"] = _VIEW_INFO
    if version >= 19:
        info["groups"] = {"base.group_allow_export": True}
    info["user_companies"] = user_companies
    info["show_effect"] = True
    if version <= 18:
        info["display_switch_company_menu"] = len(allowed) > 1
    if version == 17:
        info.update(
            {
                "user_id": [uid],
                "max_time_between_keys_in_ms": 100,
                "web_tours": [],
                "tour_disable": True,
                "notification_type": "email",
                "odoobot_initialized": True,
                "iap_company_enrich": True,
                "is_quick_edit_mode_enabled": False,
            }
        )
        return info
    info["max_time_between_keys_in_ms"] = 150
    info["websocket_worker_version"] = "18.0-1" if version == 18 else "19.0-2"
    info["tour_enabled"] = False
    info["current_tour"] = None
    info["storeData"] = {
        "Store": {"settings": settings},
        "res.partner": [
            {
                "active": True,
                "id": partner_id or False,
                "name": user.get("name") or "",
                "write_date": partner.get("write_date") or False,
            }
        ],
    }
    if version == 18:
        info["odoobot_initialized"] = False
    info["iap_company_enrich"] = True
    info["can_insert_in_spreadsheet"] = False
    return info
