"""Type checkers see typed field values and accept keyword construction."""

from __future__ import annotations

import textwrap

import pytest

SNIPPET = textwrap.dedent(
    """
    from odoorm import fields
    from odoorm.models import Model

    class Country(Model):
        _name = "res.country"
        name = fields.Char()

    class Partner(Model):
        _name = "res.partner"
        name = fields.Char(required=True)
        is_company = fields.Boolean()
        country = fields.Many2one(Country, source="country_id")
        tags = fields.Many2many("res.partner.category", source="category_id")

    p = Partner(name="x", is_company=True)
    reveal_type(p.name)
    reveal_type(p.is_company)
    reveal_type(p.country)
    reveal_type(p.tags)
    reveal_type(Partner.objects.get(id=1))
    """
)


def test_mypy_sees_field_types(tmp_path):
    api = pytest.importorskip("mypy.api")
    path = tmp_path / "snippet.py"
    path.write_text(SNIPPET, encoding="utf-8")
    out, _err, _status = api.run([str(path), "--no-incremental", "--python-version", "3.10"])
    revealed = [
        line.split("Revealed type is ")[1] for line in out.splitlines() if "Revealed" in line
    ]
    assert "error" not in out, out
    assert revealed == [
        '"str | None"',
        '"bool"',
        '"snippet.Country | None"',
        '"odoorm.models.related.RelatedSet[Any]"',
        '"snippet.Partner"',
    ], out
