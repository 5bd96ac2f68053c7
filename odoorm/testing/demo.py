"""The built-in demo data set (in the spirit of Odoo's own demo data). Everything is
deterministic: fixed dates and names (:mod:`odoorm.testing.generate` adds more records).

``demo_data()`` returns seed.json shape; computed fields (display names, totals) are filled
by the ORM when the data is loaded with ``recompute=True``.
"""

from __future__ import annotations

import random
from typing import Any

from odoorm.testing import account_demo
from odoorm.testing.account_schema import line_tax_field
from odoorm.testing.demo_schema import schemas
from odoorm.testing.langs import languages
from odoorm.testing.models.system import GROUPS

STAMP = "2024-06-01 08:00:00"
CURRENCIES = [
    ("USD", "$", "United States dollar", "before"),
    ("EUR", "€", "Euro", "after"),
    ("GBP", "£", "Pound sterling", "before"),
    ("CHF", "CHF", "Swiss franc", "after"),
    ("JPY", "¥", "Japanese yen", "before"),
    ("CAD", "$", "Canadian dollar", "before"),
    ("AUD", "$", "Australian dollar", "before"),
    ("INR", "₹", "Indian rupee", "before"),
    ("BRL", "R$", "Brazilian real", "before"),
    ("MXN", "$", "Mexican peso", "before"),
]
COUNTRIES = [  # name, code, currency code, phone code
    ("Argentina", "AR", "USD", 54),
    ("Australia", "AU", "AUD", 61),
    ("Austria", "AT", "EUR", 43),
    ("Belgium", "BE", "EUR", 32),
    ("Brazil", "BR", "BRL", 55),
    ("Canada", "CA", "CAD", 1),
    ("Denmark", "DK", "EUR", 45),
    ("France", "FR", "EUR", 33),
    ("Germany", "DE", "EUR", 49),
    ("India", "IN", "INR", 91),
    ("Ireland", "IE", "EUR", 353),
    ("Italy", "IT", "EUR", 39),
    ("Japan", "JP", "JPY", 81),
    ("Luxembourg", "LU", "EUR", 352),
    ("Mexico", "MX", "MXN", 52),
    ("Netherlands", "NL", "EUR", 31),
    ("Spain", "ES", "EUR", 34),
    ("Switzerland", "CH", "CHF", 41),
    ("United Kingdom", "GB", "GBP", 44),
    ("United States", "US", "USD", 1),
]
STATES = [  # country code, state code, name
    ("US", "CA", "California"),
    ("US", "IL", "Illinois"),
    ("US", "NY", "New York"),
    ("US", "TX", "Texas"),
    ("US", "WA", "Washington"),
    ("BE", "BRU", "Brussels"),
    ("CA", "ON", "Ontario"),
    ("CA", "QC", "Quebec"),
]
TITLES = [
    ("Doctor", "Dr."),
    ("Madam", "Mrs."),
    ("Miss", False),
    ("Mister", "Mr."),
    ("Professor", "Prof."),
]

TAGS = [
    "Vendor",
    "Prospects",
    "Employees",
    "Consulting Services",
    "Services",
    "Office Supplies",
    "Desk Manufacturers",
]
INDUSTRIES = [
    "Administrative",
    "Agriculture",
    "Construction",
    "Education",
    "Finance",
    "Manufacturing",
    "Retail",
    "Transportation",
]
#: customer companies: name, country code, city, tags, contacts
CUSTOMERS: list[tuple[str, str, str, list[int], list[str]]] = [
    ("Azure Interior", "US", "Fremont", [5], ["Brandon Freeman", "Colleen Diaz", "Nicole Ford"]),
    (
        "Deco Addict",
        "US",
        "San Francisco",
        [2],
        ["Addison Olson", "Douglas Fletcher", "Floyd Steward"],
    ),
    (
        "Gemini Furniture",
        "US",
        "Fairfield",
        [6, 7],
        ["Edwin Hansen", "Jesse Brown", "Oscar Morgan"],
    ),
    ("Lumber Inc", "US", "Stockton", [], ["Lorraine Douglas"]),
    ("Ready Mat", "US", "Tracy", [6, 7], ["Billy Fox", "Edith Sanchez", "Kim Snyder"]),
    ("The Jackson Group", "US", "Bakersfield", [], ["Gordon Owens", "Toni Rhodes"]),
    ("Wood Corner", "US", "Turlock", [6, 7], ["Ron Gibson", "Willie Burke"]),
    ("Bruxelles Design", "BE", "Brussels", [4], ["Amélie Dubois", "Luc Peeters"]),
    ("Rhein Möbel GmbH", "DE", "Köln", [1], ["Jonas Weber"]),
]
PRODUCTS = [  # name, code, price, type
    ("Office Chair", "FURN_7777", 70.0, "consu"),
    ("Office Desk", "FURN_0789", 500.0, "consu"),
    ("Large Cabinet", "E-COM07", 320.0, "consu"),
    ("Storage Box", "E-COM08", 15.8, "consu"),
    ("Corner Desk Right Sit", "E-COM06", 147.0, "consu"),
    ("Desk Combination", "FURN_7800", 450.0, "consu"),
    ("Cabinet with Doors", "E-COM11", 140.0, "consu"),
    ("Drawer Black", "FURN_8900", 25.0, "consu"),
    ("Large Meeting Table", "FURN_6741", 4000.0, "consu"),
    ("Pedal Bin", "E-COM10", 47.0, "consu"),
    ("Three-Seat Sofa", "FURN_8999", 1500.0, "consu"),
    ("Acoustic Bloc Screens", "FURN_6666", 295.0, "consu"),
    ("Customizable Desk", "FURN_0096", 750.0, "consu"),
    ("Virtual Home Staging", False, 38.25, "service"),
    ("Furniture Assembly", "SERV_0001", 60.0, "service"),
]


def _rows(schema: dict[str, Any], records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in records:
        for f in ("create_date", "write_date"):
            if f in schema:
                r.setdefault(f, STAMP)
        for f in ("create_uid", "write_uid"):
            if f in schema:
                r.setdefault(f, 1)
    return records


#: ir.ui.menu rows: (id, name, parent id, sequence)
MENUS = (
    (1, "Contacts", False, 4),
    (2, "Sales", False, 7),
    (3, "Settings", False, 500),
    (4, "Orders", 2, 2),
    (5, "Quotations", 4, 1),
    (6, "Customers", 4, 5),
    (7, "Users & Companies", 3, 10),
    (8, "Users", 7, 1),
    (9, "Companies", 7, 5),
    (10, "Groups", 7, 3),
)
#: ir.actions.act_window rows: xml id, name, model, view modes (16-17, 18, 19), context,
#: domain (as the lab's servers answer; 19 lists partners first, 16-17 say "tree")
WINDOW_ACTIONS = (
    (
        "base.action_partner_form",
        "Customers",
        "res.partner",
        ("kanban,tree,form,activity", "kanban,list,form,activity", "list,kanban,form,activity"),
        "{'res_partner_search_mode': 'customer'}",
        False,
    ),
    (
        "contacts.action_contacts",
        "Contacts",
        "res.partner",
        ("kanban,tree,form,activity", "kanban,list,form,activity", "list,kanban,form,activity"),
        "{'default_is_company': True}",
        False,
    ),
    (
        "sale.action_orders",
        "Sales Orders",
        "sale.order",
        ("tree,kanban,form,calendar,pivot,graph,activity",) * 3,
        "{}",
        "[('state', 'not in', ('draft', 'sent', 'cancel'))]",
    ),
    (
        "sale.action_quotations_with_onboarding",
        "Quotations",
        "sale.order",
        ("tree,kanban,form,calendar,pivot,graph,activity",) * 3,
        "{'search_default_my_quotation': 1}",
        False,
    ),
    (
        "base.action_res_users",
        "Users",
        "res.users",
        ("tree,kanban,form",) * 3,
        "{'search_default_filter_no_share': 1, 'show_user_group_warning': True}",
        False,
    ),
    (
        "base.action_res_company_form",
        "Companies",
        "res.company",
        ("tree,kanban,form",) * 3,
        "{}",
        "[('parent_id', '=', False)]",
    ),
    (
        "base.action_res_groups",
        "Groups",
        "res.groups",
        ("tree,form",) * 3,
        "{'search_default_filter_no_share': 1}",
        False,
    ),
)
#: currency -> its rate of 2010-01-01 (``base.rate<CODE>``), as the lab's 17 answers
RATES = {
    "USD": 1.0,
    "EUR": 1.2834,
    "GBP": 0.784221994,
    "CHF": 1.3086,
    "JPY": 133.62,
    "CAD": 1.3388,
    "AUD": 1.407,
    "INR": 59.9739,
    "BRL": 2.2344,
    "MXN": 18.6664,
}


def _window_action(version: int, spec: tuple[Any, ...]) -> dict[str, Any]:
    _xmlid, name, model, modes, context, domain = spec
    mode = modes[0 if version <= 17 else 1 if version == 18 else 2]
    if version >= 18:
        mode = mode.replace("tree", "list")
    if version >= 19 and model == "sale.order" and name == "Sales Orders":
        context, domain = "{'search_default_sales' : 1}", False
    if version >= 19 and model == "res.users":
        context = "{'search_default_filter_no_share': 1, 'is_action_res_users': True}"
    if version <= 16 and model == "res.company":
        domain = False
    return {
        "name": name,
        "type": "ir.actions.act_window",
        "res_model": model,
        "view_mode": mode,
        "context": context,
        "domain": domain,
        "target": "current",
        "limit": 80,
        "res_id": 0,
        "usage": False,
        "filter": False,
        "help": False,
        "binding_type": "action",
        "binding_view_types": "list,form",
    }


#: ir.cron rows: (name, model, interval, unit, code)
CRONS = (
    ("Base: Auto-vacuum internal data", "ir.autovacuum", 1, "days", "model._run_vacuum_cleaner()"),
    ("Base: Portal Users Deletion", "res.users.deletion", 1, "days", "model._gc_portal_users()"),
    ("Sales: Send pending emails", "sale.order", 1, "hours", "model._cron_send_pending_emails()"),
)
#: ir.actions.report rows: (name, model, template, printed file name)
REPORTS = (
    (
        "Quotation / Order",
        "sale.order",
        "sale.report_saleorder",
        "(object.state in ('draft', 'sent') and 'Quotation - %s' % (object.name)) or "
        "'Order - %s' % (object.name)",
    ),
    (
        "PRO-FORMA Invoice",
        "sale.order",
        "sale.report_saleorder_pro_forma",
        "'PRO-FORMA - %s' % (object.name)",
    ),
    (
        "Product Label (PDF)",
        "product.product",
        "product.report_producttemplatelabel2x7",
        "'Products Labels - %s' % (object.name)",
    ),
    # web's layout previews and account's invoice (sale installs account), as on the lab's 17
    ("Preview Internal Report", "res.company", "web.preview_internalreport", False),
    ("Preview External Report", "res.company", "web.preview_externalreport", False),
    (
        "Invoices without Payment",
        "account.move",
        "account.report_invoice",
        "(object._get_report_base_filename())",
    ),
)


def demo_data(version: int = 18) -> dict[str, Any]:
    """The built-in demo data set in seed.json shape."""
    sch = schemas(version)
    cur_ids = {c[0]: i for i, c in enumerate(CURRENCIES, 1)}
    currencies = [
        {
            "id": i,
            "name": n,
            "symbol": s,
            "full_name": fn,
            "position": pos,
            "rounding": 0.01,
            "decimal_places": 0 if n == "JPY" else 2,
            "active": n in ("USD", "EUR", "GBP", "CHF"),
        }
        for i, (n, s, fn, pos) in enumerate(CURRENCIES, 1)
    ]
    country_ids = {c[1]: i for i, c in enumerate(COUNTRIES, 1)}
    countries = [
        {"id": i, "name": n, "code": c, "currency_id": cur_ids[cc], "phone_code": pc}
        for i, (n, c, cc, pc) in enumerate(COUNTRIES, 1)
    ]
    tags = [
        {"id": i, "name": n, "color": i % 11, "active": True, "parent_id": False, "partner_ids": []}
        for i, n in enumerate(TAGS, 1)
    ]
    industries = [
        {"id": i, "name": n, "full_name": n, "active": True} for i, n in enumerate(INDUSTRIES, 1)
    ]
    us, be = country_ids["US"], country_ids["BE"]
    country_states = [
        {"id": i, "country_id": country_ids[cc], "code": code, "name": n}
        for i, (cc, code, n) in enumerate(STATES, 1)
    ]
    state_ids = {(cc, code): i for i, (cc, code, _) in enumerate(STATES, 1)}
    titles = [{"id": i, "name": n, "shortcut": sc} for i, (n, sc) in enumerate(TITLES, 1)]
    partners: list[dict[str, Any]] = []

    def partner(**vals: Any) -> int:
        pid = len(partners) + 1
        base = {
            "id": pid,
            "active": True,
            "type": "contact",
            "is_company": False,
            "lang": "en_US",
            "customer_rank": 0,
            "supplier_rank": 0,
            "credit_limit": 0.0,
            "color": 0,
            "category_id": [],
            "parent_id": False,
            "country_id": False,
            "email": False,
        }
        base.update(vals)
        partners.append(base)
        return pid

    # 1-3: the three companies of the database, with contacts; 4: OdooBot
    c1 = partner(
        name="YourCompany",
        is_company=True,
        email="info@yourcompany.com",
        country_id=us,
        state_id=state_ids[("US", "CA")],
        city="San Francisco",
        street="250 Executive Park Blvd",
        street2="Suite 3400",
        zip="94134",
        phone="+1 555-555-5556",
        website="http://www.example.com",
    )
    c2 = partner(
        name="YourCompany Europe",
        is_company=True,
        email="europe@yourcompany.com",
        country_id=be,
        city="Brussels",
        parent_id=False,
    )
    c3 = partner(
        name="YourCompany Services",
        is_company=True,
        email="services@yourcompany.com",
        country_id=us,
        state_id=state_ids[("US", "IL")],
        city="Chicago",
        parent_id=c1,
    )
    odoobot = partner(
        name="OdooBot", email="odoobot@example.com", active=False, tz="Europe/Brussels"
    )
    admin_p = partner(
        name="Mitchell Admin",
        parent_id=c1,
        email="admin@yourcompany.example.com",
        function="Chief Executive Officer",
        country_id=us,
        phone="+1 555-555-5555",
        tz="Europe/Brussels",
    )
    demo_p = partner(
        name="Marc Demo",
        parent_id=c1,
        email="mark.brown23@example.com",
        function="Sales Manager",
        country_id=us,
        tz="Europe/Brussels",
    )
    partner(name="Joel Willis", parent_id=c1, email="joel.willis63@example.com", country_id=us)
    partner(name="Anita Oliver", parent_id=c2, email="anita.oliver32@example.com", country_id=be)
    partner(name="Chester Reed", parent_id=c3, email="chester.reed79@example.com", country_id=us)
    customer_ids: list[int] = []
    for idx, (name, cc, city, tag_ids, contacts) in enumerate(CUSTOMERS):
        slug = name.lower().replace(" ", "").replace("ö", "o")[:12]
        cid = partner(
            name=name,
            is_company=True,
            email=f"info@{slug}.example.com",
            country_id=country_ids[cc],
            city=city,
            category_id=list(tag_ids),
            customer_rank=1 + idx % 3,
            industry_id=1 + idx % len(INDUSTRIES),
            phone=f"+1 555-01{idx:02d}",
            credit_limit=float(1000 * (idx % 4)),
        )
        customer_ids.append(cid)
        first = None
        for j, cname in enumerate(contacts):
            email = (
                cname.lower().replace(" ", ".").replace("é", "e") + f"{10 + idx + j}@example.com"
            )
            pid = partner(
                name=cname,
                parent_id=cid,
                email=email,
                country_id=country_ids[cc],
                function=["Purchaser", "Manager", "Accountant"][j % 3],
            )
            first = first or pid
        if first:  # a nested address under the first contact: a three-level hierarchy
            partner(
                name="Accounts Payable",
                parent_id=first,
                type="invoice",
                email=False,
                country_id=country_ids[cc],
            )
    partner(name="Old Supplier Ltd", is_company=True, active=False, supplier_rank=1, country_id=be)
    partner(
        name="Former Contact", parent_id=customer_ids[0], active=False, email="gone@example.com"
    )
    for p in partners:
        for t in p["category_id"]:
            tags[t - 1]["partner_ids"].append(p["id"])

    companies = [
        {
            "id": 1,
            "name": "YourCompany",
            "partner_id": c1,
            "currency_id": cur_ids["USD"],
            "sequence": 0,
            "parent_id": False,
            "active": True,
        },
        {
            "id": 2,
            "name": "YourCompany Europe",
            "partner_id": c2,
            "currency_id": cur_ids["EUR"],
            "sequence": 10,
            "parent_id": False,
            "active": True,
        },
        {
            "id": 3,
            "name": "YourCompany Services",
            "partner_id": c3,
            "currency_id": cur_ids["USD"],
            "sequence": 20,
            "parent_id": 1,
            "active": True,
        },
    ]
    groups_field = "group_ids" if version >= 19 else "groups_id"
    users = [
        {
            "id": 1,
            "login": "__system__",
            "partner_id": odoobot,
            "company_id": 1,
            "company_ids": [1],
            "share": False,
            "active": False,
            groups_field: [1, 2, 3],
        },
        {
            "id": 2,
            "login": "admin",
            "partner_id": admin_p,
            "company_id": 1,
            "company_ids": [1, 2, 3],
            "share": False,
            "active": True,
            groups_field: [1, 2, 3, 6, 7, 8, 9],
        },
        {
            "id": 6,
            "login": "demo",
            "partner_id": demo_p,
            "company_id": 1,
            "company_ids": [1],
            "share": False,
            "active": True,
            groups_field: [1, 8],
        },
    ]
    groups = [
        {"id": gid, "name": name, "share": gid in (4, 5)} for gid, (_xmlid, name) in GROUPS.items()
    ]
    menus = [
        {"id": mid, "name": name, "parent_id": parent, "sequence": seq, "active": True}
        for mid, name, parent, seq in MENUS
    ]
    crons = [
        {
            "id": cid,
            "cron_name": name,
            "name": name,
            "model_name": model,
            "user_id": 1,
            "active": True,
            "interval_number": number,
            "interval_type": unit,
            "nextcall": "2026-01-01 00:00:00",
            "priority": 5,
            "code": code,
        }
        for cid, (name, model, number, unit, code) in enumerate(CRONS, 1)
    ]
    reports = [
        {
            "id": rid,
            "name": name,
            "type": "ir.actions.report",
            "model": model,
            "report_type": "qweb-pdf",
            "report_name": template,
            "report_file": template,
            "print_report_name": printed,
            "binding_type": "report",
        }
        for rid, (name, model, template, printed) in enumerate(REPORTS, 1)
    ]
    uoms = [
        {"id": 1, "name": "Units", "factor": 1.0, "rounding": 0.01, "active": True},
        {"id": 2, "name": "Dozens", "factor": 1 / 12, "rounding": 0.01, "active": True},
        {"id": 3, "name": "Hours", "factor": 8.0, "rounding": 0.01, "active": True},
    ]
    templates, products = [], []
    for i, (name, code, price, ptype) in enumerate(PRODUCTS, 1):
        common = {
            "name": name,
            "default_code": code,
            "type": ptype,
            "list_price": price,
            "standard_price": round(price * 0.6, 2),
            "sale_ok": True,
            "purchase_ok": ptype != "service",
            "uom_id": 3 if ptype == "service" else 1,
            "priority": "1" if i in (1, 2) else "0",
            "active": i != 8,
            "taxes_id": account_demo.product_taxes(version),
        }
        templates.append({"id": i, **common})
        products.append(
            {
                "id": i,
                "product_tmpl_id": i,
                "lst_price": price,
                "barcode": f"60115{i:07d}" if ptype != "service" else False,
                "display_name": f"[{code}] {name}" if code else name,
                **common,
            }
        )
    orders: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    states = ["sale", "sale", "draft", "sent", "sale", "cancel", "sale", "draft", "sale", "sale"]
    rng = random.Random(1)
    for i in range(1, 21):
        month = 7 + i % 5  # July .. November 2024
        day = 1 + (i * 7) % 27
        state = states[i % len(states)]
        orders.append(
            {
                "id": i,
                "name": f"S{i:05d}",
                "partner_id": customer_ids[i % len(customer_ids)],
                "date_order": f"2024-{month:02d}-{day:02d} {8 + i % 9:02d}:{(i * 13) % 60:02d}:00",
                "state": state,
                "currency_id": 1,
                "company_id": 1,
                "user_id": 2 if i % 3 else 6,
                "invoice_status": "to invoice" if state == "sale" else "no",
                "client_order_ref": f"PO-{1000 + i}" if i % 4 == 0 else False,
                "note": False,
            }
        )
        for seq in range(1 + i % 3):
            prod = products[rng.randrange(len(products))]
            lines.append(
                {
                    "id": len(lines) + 1,
                    "order_id": i,
                    "sequence": 10 * (seq + 1),
                    "product_id": prod["id"],
                    "name": prod["display_name"],
                    "product_uom_qty": float(1 + rng.randrange(10)),
                    "price_unit": prod["lst_price"],
                    "discount": 0.0,
                    "price_tax": 0.0,
                    "product_uom": prod["uom_id"],
                    "state": state,
                    line_tax_field(version): account_demo.line_taxes(
                        version, len(lines) + 1, account_demo.product_taxes(version)
                    ),
                }
            )
    attachments = [
        {
            "id": 1,
            "name": "catalog.txt",
            "type": "binary",
            "res_model": "res.partner",
            "res_id": c1,
            "datas": "RGVtbyBjYXRhbG9nCg==",
            "mimetype": "text/plain",
            "file_size": 13,
            "public": False,
            "description": False,
            "url": False,
        }
    ]
    params = [
        {"id": 1, "key": "web.base.url", "value": "http://localhost:8069"},
        {"id": 2, "key": "database.uuid", "value": "8c2ad3a4-0b8a-4e6e-9d51-6f2f9f0e6d3c"},
    ]
    langs = [
        {"id": i, **row, "active": row["code"] == "en_US", "flag_image": False}
        for i, (_xmlname, row) in enumerate(languages(version), 1)
    ]
    windows = [{"id": i, **_window_action(version, w)} for i, w in enumerate(WINDOW_ACTIONS, 1)]
    rates = [
        {"id": i, "name": "2010-01-01", "rate": RATES[str(c["name"])], "currency_id": c["id"]}
        for i, c in enumerate((c for c in currencies if c["name"] in RATES), 1)
    ]
    for r in rates:
        r["company_id"] = 1
    data: dict[str, list[dict[str, Any]]] = {
        "res.lang": langs,
        "ir.actions.act_window": windows,
        "res.currency.rate": rates,
        "res.currency": currencies,
        "res.country": countries,
        "res.country.state": country_states,
        "res.partner.title": titles,
        "res.partner.category": tags,
        "res.partner.industry": industries,
        "res.partner": partners,
        "res.company": companies,
        "res.users": users,
        "res.groups": groups,
        "ir.ui.menu": menus,
        "ir.cron": crons,
        "ir.actions.report": reports,
        "uom.uom": uoms,
        "product.template": templates,
        "product.product": products,
        "sale.order": orders,
        "sale.order.line": lines,
        "ir.attachment": attachments,
        "ir.config_parameter": params,
        "account.tax.group": account_demo.tax_groups(version, us),
        "account.tax": account_demo.taxes(version, us),
    }
    return {
        "models": {m: {"fields": sch[m], "records": _rows(sch[m], data.get(m, []))} for m in sch}
    }


def base_data(version: int = 18) -> dict[str, Any]:
    """Schemas of the demo models with only the records a fresh database has."""
    full = demo_data(version)["models"]
    keep: dict[str, set[int]] = {
        "res.users": {1, 2, 6},
        "res.company": {1},
        "res.currency": {1},
        "res.currency.rate": {1},
        "res.partner": {1, 4, 5, 6},
        "uom.uom": {1, 2, 3},
    }
    every = {
        "res.groups",
        "ir.ui.menu",
        "ir.cron",
        "ir.actions.report",
        "res.lang",
        "ir.actions.act_window",
    }
    out: dict[str, Any] = {}
    for model, spec in full.items():
        ids = keep.get(model, set())
        recs = [r for r in spec["records"] if r["id"] in ids or model in every]
        for r in recs:
            if model == "res.partner" and r.get("parent_id") not in (False, 1):
                r["parent_id"] = False
        out[model] = {"fields": spec["fields"], "records": recs}
    return {"models": out}
