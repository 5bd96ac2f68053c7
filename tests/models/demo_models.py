"""The model classes of DESIGN.md, as a user would declare them."""

from __future__ import annotations

import odoorm.models
from odoorm import fields


class Country(odoorm.models.Model):
    _name = "res.country"
    name = fields.Char()
    code = fields.Char()


class Partner(odoorm.models.Model):
    _name = "res.partner"
    name = fields.Char(required=True)
    email = fields.Char()
    is_company = fields.Boolean()
    customer_rank = fields.Integer()
    country = fields.Many2one(Country, source="country_id")
    parent = fields.Many2one("res.partner", source="parent_id")
    children = fields.One2many("res.partner", source="child_ids", inverse="parent_id")
    tags = fields.Many2many("res.partner.category", source="category_id")
    image = fields.Binary(source="image_1920")
    write_date = fields.Datetime(readonly=True)


class Tag(odoorm.models.Model):
    _name = "res.partner.category"
    name = fields.Char(required=True)
    color = fields.Integer()


class Product(odoorm.models.Model):
    _name = "product.product"
    name = fields.Char(required=True)
    list_price = fields.Float()


class SaleOrder(odoorm.models.Model):
    _name = "sale.order"
    name = fields.Char()
    partner = fields.Many2one(Partner, source="partner_id", required=True)
    state = fields.Selection(readonly=True)
    date_order = fields.Datetime()
    amount_total = fields.Monetary(readonly=True)
    lines = fields.One2many("SaleOrderLine", source="order_line", inverse="order_id")


class SaleOrderLine(odoorm.models.Model):
    _name = "sale.order.line"
    order = fields.Many2one(SaleOrder, source="order_id", required=True)
    product = fields.Many2one(Product, source="product_id")
    qty = fields.Float(source="product_uom_qty")
    name = fields.Text()
