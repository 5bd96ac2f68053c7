"""mypy sees what users declare: manager queries typed by model, annotated fields
checked on construction."""

from __future__ import annotations

import textwrap

import pytest

TYPED = textwrap.dedent(
    """
    from odoorm import fields
    from odoorm.models import Model

    class Partner(Model):
        _name = "res.partner"
        name = fields.Char(required=True)

    class Checked(Model):
        _name = "res.partner"
        name: fields.Char = fields.Char(required=True)

    p = Partner.objects.filter(name="x").first()
    reveal_type(p)
    reveal_type(Partner.objects.exclude(name="x").order_by("name"))
    reveal_type(Partner(name="x").save())
    reveal_type(Partner.objects.get(id=1).refresh())
    Checked(name=1)
    """
)


def test_mypy_types_manager_queries_and_checks_annotated_fields(tmp_path):
    api = pytest.importorskip("mypy.api")
    path = tmp_path / "typed.py"
    path.write_text(TYPED, encoding="utf-8")
    out, _err, _status = api.run([str(path), "--no-incremental", "--python-version", "3.10"])
    revealed = [
        line.split("Revealed type is ")[1] for line in out.splitlines() if "Revealed" in line
    ]
    assert revealed[0] == '"typed.Partner | None"', out
    assert "QuerySet[typed.Partner]" in revealed[1], out
    assert revealed[2:] == ['"typed.Partner"', '"typed.Partner"'], out
    errors = [line for line in out.splitlines() if "error:" in line]
    assert len(errors) == 1 and 'Argument "name" to "Checked"' in errors[0], out
