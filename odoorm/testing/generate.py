"""Deterministic extra records for benchmarks and paging tests: ``generate(db, partners=...)``
adds companies, contacts and sale orders with seeded randomness."""

from __future__ import annotations

import random
from typing import Any

from odoorm.testing import behaviours
from odoorm.testing._api import DB

FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Martinez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
]
WORDS = [
    "Alpha",
    "Nova",
    "Summit",
    "Harbor",
    "Pioneer",
    "Vertex",
    "Crystal",
    "Maple",
    "Atlas",
    "Cobalt",
    "Orion",
    "Sierra",
    "Willow",
    "Zenith",
    "Falcon",
    "Granite",
]
SUFFIX = ["Inc", "LLC", "Ltd", "Group", "Partners", "Industries", "Labs", "Trading"]


def generate(db: DB, partners: int = 1000, orders: int = 0, seed: int = 0) -> None:
    """Add ``partners`` partners (1 company per 5) and ``orders`` sale orders to ``db``.

    Rows are inserted directly (computed fields filled here) so large volumes load fast.
    """
    rng = random.Random(seed)
    pt = db.table("res.partner")
    countries = list(db.tables["res.country"].rows) if "res.country" in db.tables else []
    tags = (
        list(db.tables["res.partner.category"].rows) if "res.partner.category" in db.tables else []
    )
    now = "2024-06-01 08:00:00"
    company: tuple[int, str] | None = None
    new_partners: list[int] = []
    for n in range(partners):
        rid = pt.next_id
        row: dict[str, Any] = {
            "id": rid,
            "active": rng.random() > 0.03,
            "type": "contact",
            "lang": "en_US",
            "color": 0,
            "supplier_rank": 0,
            "credit_limit": 0.0,
            "create_date": now,
            "write_date": now,
            "create_uid": 2,
            "write_uid": 2,
            "country_id": rng.choice(countries) if countries else False,
            "category_id": rng.sample(tags, k=rng.randrange(0, 3)) if tags else [],
        }
        if n % 5 == 0 or company is None:
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(SUFFIX)}"
            row.update(
                name=name,
                is_company=True,
                parent_id=False,
                complete_name=name,
                display_name=name,
                commercial_partner_id=rid,
                email=f"contact{rid}@{name.split()[0].lower()}.example.com",
                customer_rank=rng.randrange(0, 4),
            )
            company = (rid, name)
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            full = f"{company[1]}, {name}"
            row.update(
                name=name,
                is_company=False,
                parent_id=company[0],
                complete_name=full,
                display_name=full,
                commercial_partner_id=company[0],
                customer_rank=0,
                email=f"{name.lower().replace(' ', '.')}{rid}@example.com"
                if rng.random() > 0.1
                else False,
            )
        pt.insert(row)
        new_partners.append(rid)
    if orders:
        _generate_orders(db, rng, orders, new_partners or list(pt.rows), now)


def _generate_orders(
    db: DB, rng: random.Random, orders: int, partner_ids: list[int], now: str
) -> None:
    ot, lt = db.table("sale.order"), db.table("sale.order.line")
    products = (
        list(db.tables["product.product"].rows.values()) if "product.product" in db.tables else []
    )
    states = ["draft", "sent", "sale", "sale", "sale", "cancel"]
    new_orders: list[int] = []
    new_lines: list[int] = []
    for _ in range(orders):
        oid = ot.next_id
        state = rng.choice(states)
        ot.insert(
            {
                "id": oid,
                "name": f"S{oid:05d}",
                "partner_id": rng.choice(partner_ids),
                "date_order": f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d} "
                f"{rng.randrange(0, 24):02d}:{rng.randrange(0, 60):02d}:00",
                "state": state,
                "currency_id": 1,
                "company_id": 1,
                "user_id": 2,
                "note": False,
                "invoice_status": "to invoice" if state == "sale" else "no",
                "create_date": now,
                "write_date": now,
                "create_uid": 2,
                "write_uid": 2,
            }
        )
        new_orders.append(oid)
        for seq in range(rng.randrange(1, 4)):
            if not products:
                break
            prod = rng.choice(products)
            qty, price = (
                float(rng.randrange(1, 20)),
                float(prod.get("lst_price") or prod.get("list_price") or 0),
            )
            new_lines.append(lt.next_id)
            lt.insert(
                {
                    "id": lt.next_id,
                    "order_id": oid,
                    "sequence": 10 * (seq + 1),
                    "product_id": prod["id"],
                    "name": prod.get("display_name") or prod.get("name"),
                    "product_uom_qty": qty,
                    "price_unit": price,
                    "discount": 0.0,
                    "price_subtotal": round(qty * price, 2),
                    "price_total": round(qty * price, 2),
                    "price_tax": 0.0,
                    "state": state,
                    "create_date": now,
                    "write_date": now,
                }
            )
    # the lines' values that follow their order and product (amounts, company, template...)
    behaviours.after_change(db, lt, new_lines, created=True)
    behaviours.after_change(db, ot, new_orders, created=True)
