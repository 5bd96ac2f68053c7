"""``odoorm inspect`` code generation, from real servers' fields_get answers."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from odoorm.cli.codegen import (
    class_name,
    generate_models,
    python_name,
    server_checked,
    server_filled,
)

RECORDINGS = Path(__file__).resolve().parents[2] / ".." / "shared" / "recordings"


def _fields_get(version: int, scenario: str) -> dict:
    folder = RECORDINGS / f"odoo{version}"
    if not folder.is_dir():
        pytest.skip("recordings not available")
    path = next(folder.glob(f"*-jsonrpc-{scenario}.json"))
    return json.loads(path.read_text())["response"]["body"]["result"]


def test_class_names():
    assert class_name("res.partner") == "Partner"
    assert class_name("sale.order.line") == "SaleOrderLine"
    assert class_name("res.partner.category") == "PartnerCategory"
    assert class_name("x_custom_model") == "XCustomModel"


def test_class_names_are_distinct_and_never_shadow_the_imports():
    name = {"name": {"type": "char", "string": "Name"}}
    ref = {"partner_id": {"type": "many2one", "relation": "partner", "string": "P"}}
    source = generate_models({"res.partner": name, "partner": name, "model": {**name, **ref}})
    assert "class Partner(Model):" in source and "class Partner2(Model):" in source
    assert "class Model2(Model):" in source and "class Model(" not in source
    namespace: dict = {}
    exec(compile(source, "<generated>", "exec"), namespace)
    assert namespace["Model2"]._meta.odoo_model == "model"
    assert namespace["Partner2"]._meta.odoo_model == "partner"
    assert "fields.Many2one(Partner2," in source


def test_python_names_drop_suffixes_unless_that_clashes():
    assert python_name("country_id", set()) == "country"
    assert python_name("category_id", set()) == "category"
    assert python_name("tag_ids", set()) == "tags"
    assert python_name("child_ids", set()) == "children"
    assert python_name("tax_ids", set()) == "taxes"
    assert python_name("category_ids", set()) == "categories"
    assert python_name("parent_id", {"parent"}) == "parent_id"  # the name is another field's
    assert python_name("class_id", set()) == "class_id"  # a keyword
    assert python_name("objects", set()) == "objects_"  # a model attribute


SCHEMA = {
    "sale.order": {
        "name": {"type": "char", "string": "Order Reference", "required": True},
        "partner_id": {"type": "many2one", "relation": "res.partner", "required": True},
        "order_line": {
            "type": "one2many",
            "relation": "sale.order.line",
            "relation_field": "order_id",
        },
        "state": {
            "type": "selection",
            "selection": [["draft", "Quotation"], ["sale", "Sales Order"], ["cancel", "Cancelled"]],
            "readonly": True,
        },
        "tag_ids": {"type": "many2many", "relation": "crm.tag"},
        "amount_total": {"type": "monetary", "readonly": True},
        "date_order": {"type": "datetime"},
        "signature": {"type": "binary"},
        "display_name": {"type": "char", "readonly": True, "store": False},
    },
    "res.partner": {
        "name": {"type": "char"},
        "parent_id": {"type": "many2one", "relation": "res.partner"},
        "country_id": {"type": "many2one", "relation": "res.country"},
    },
}


def test_generated_source_shape():
    source = generate_models(SCHEMA, header="Generated.")
    # many2one targets are declared first, so they can be referenced by class
    assert source.index("class Partner(Model)") < source.index("class SaleOrder(Model)")
    assert '    partner = fields.Many2one(Partner, source="partner_id", required=True)' in source
    assert '    country = fields.Many2one("res.country", source="country_id")' in source
    assert '    parent = fields.Many2one("res.partner", source="parent_id")' in source
    assert '    order_line = fields.One2many("sale.order.line", inverse="order_id")' in source
    assert '    tags = fields.Many2many("crm.tag", source="tag_ids")' in source
    assert "    state = fields.Selection(readonly=True)  # 'draft', 'sale', 'cancel'" in source
    assert "signature = " not in source and "# left out" in source and "signature" in source
    assert "display_name" not in source
    # name first, then alphabetical
    body = source[source.index("class SaleOrder") :]
    assert body.index("    name = ") < body.index("    amount_total = ")


@pytest.mark.parametrize("width", range(8, 40))
def test_long_selection_comments_stay_within_the_line_length(width):
    """The cut selection list plus ', ...' fits in 100 columns (it overflowed by 2)."""
    name = "f" * width + "_month"
    selection = [[str(i), str(i)] for i in range(1, 13)]
    info = {"type": "selection", "selection": selection, "required": True, "string": "M"}
    source = generate_models({"res.company": {name: info}})
    line = next(li for li in source.splitlines() if li.startswith(f"    {name} ="))
    assert len(line) <= 100, line
    assert line.endswith((", ...", "'12'")) or "#" not in line


def _ruff() -> str:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff not installed")
    return ruff


@pytest.mark.parametrize("version", [17, 18, 19])
def test_real_schemas_give_ruff_clean_source(version, tmp_path):
    schemas = {
        "res.partner": _fields_get(version, "fields_get_partner"),
        "sale.order": _fields_get(version, "fields_get_sale_order"),
        "sale.order.line": _fields_get(version, "fields_get_sale_order_line"),
    }
    source = generate_models(schemas, all_fields=version == 19)
    target = tmp_path / "generated.py"
    target.write_text(source)
    ruff = _ruff()
    fmt = subprocess.run([ruff, "format", "--diff", str(target)], capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    lint = subprocess.run(
        [ruff, "check", "--no-cache", "--select", "E,F,I,W", "--line-length", "100", str(target)],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout
    compile(source, str(target), "exec")


def test_generated_module_imports_and_declares_the_models(tmp_path, monkeypatch):
    import odoorm
    from odoorm.models import Model

    monkeypatch.setattr(odoorm, "Model", Model, raising=False)  # until the root exports it
    schemas = {
        "res.partner": _fields_get(18, "fields_get_partner"),
        "sale.order": _fields_get(18, "fields_get_sale_order"),
    }
    path = tmp_path / "odoo_models_gen.py"
    path.write_text(generate_models(schemas))
    spec = importlib.util.spec_from_file_location("odoo_models_gen", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.Partner._meta.odoo_model == "res.partner"
    assert module.SaleOrder._meta.get_field("partner").source == "partner_id"
    assert module.Partner._meta.get_field("country").source == "country_id"


def test_required_only_where_the_server_fills_nothing():
    """Real Odoo 18 marks these required; default_get or a computation fills most."""
    schema = {
        "sale.order": {
            "name": {"type": "char", "required": True, "depends": []},
            "company_id": {"type": "many2one", "relation": "res.company", "required": True},
            "date_order": {"type": "datetime", "required": True, "depends": []},
            "partner_id": {"type": "many2one", "relation": "res.partner", "required": True},
            "partner_invoice_id": {
                "type": "many2one",
                "relation": "res.partner",
                "required": True,
                "depends": ["partner_id"],  # compute="_compute_partner_invoice_id"
            },
            "locked": {"type": "boolean", "required": True},
        },
        "res.users": {
            # delegated from the partner: related, so its value comes from the user
            "name": {"type": "char", "required": True, "related": "partner_id.name"},
            "login": {"type": "char", "required": True},
        },
    }
    defaults = {
        "sale.order": {
            "name": "New",
            "company_id": 1,
            "date_order": "2026-11-29 13:32:04",
            "locked": False,  # a boolean's False is a default
            "partner_id": False,  # False is "no default"
        },
        "res.users": {},
    }
    source = generate_models(schema, defaults=defaults)
    order = source[source.index("class SaleOrder(") : source.index("class Users(")]
    assert "    name = fields.Char()\n" in order
    assert '    company = fields.Many2one("res.company", source="company_id")\n' in order
    partner = 'partner = fields.Many2one("res.partner", source="partner_id", required=True)'
    invoice = 'partner_invoice = fields.Many2one("res.partner", source="partner_invoice_id")\n'
    assert partner in order and invoice in order
    assert "    locked = fields.Boolean()\n" in order
    users = source[source.index("class Users(") :]
    assert "    name = fields.Char(required=True)" in users
    assert "    login = fields.Char(required=True)" in users
    # without default_get answers, fields_get's word stands
    assert '"res.company", source="company_id", required=True)' in generate_models(schema)


def test_a_required_number_without_default_or_depends_is_left_to_the_server():
    # sale.order.line.customer_lead on real 16-19: required, no depends, no default, and
    # still computed on create (from the product's lead time)
    schema = {
        "customer_lead": {"type": "float", "required": True, "depends": []},
        "order_id": {"type": "many2one", "required": True, "relation": "sale.order"},
        "price_unit": {"type": "float", "required": True, "depends": ["product_id"]},
        "note": {"type": "char", "required": True},
        "related_qty": {"type": "float", "required": True, "related": ["x", "y"]},
    }
    filled = server_filled(schema, {})
    assert filled == {"price_unit"}
    assert server_checked(schema, filled) == {"customer_lead"}
    source = generate_models({"sale.order.line": schema})
    assert "    customer_lead = fields.Float()\n" in source
    assert 'source="order_id", required=True)' in source
    assert "note = fields.Char(required=True)" in source
    assert "numbers the server may compute on create" in source
