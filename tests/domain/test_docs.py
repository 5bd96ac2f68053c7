"""docs/queries.md stays true: its table rows and its Python examples are checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from odoorm.domain import Q, lookup_names

DOC = Path(__file__).resolve().parents[2] / "docs" / "queries.md"


def _lookups_section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("## Lookups")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _table_rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in _lookups_section().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`") and cells[2].startswith("`Q("):
            rows.append(tuple(c.strip("`") for c in cells))
    return rows


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", _lookups_section(), flags=re.DOTALL)


def test_every_builtin_lookup_has_a_row():
    documented = {row[0] for row in _table_rows()}
    builtin = {
        "exact", "ne", "gt", "gte", "lt", "lte", "range", "in", "not_in", "contains",
        "icontains", "startswith", "istartswith", "endswith", "iendswith", "like", "ilike",
        "not_like", "not_ilike", "eq_like", "eq_ilike", "isnull", "child_of", "parent_of",
        "any", "not_any",
    }  # fmt: skip
    assert builtin <= set(lookup_names())
    assert documented == builtin


@pytest.mark.parametrize("row", _table_rows(), ids=lambda r: r[0])
def test_table_row_compiles_as_documented(row):
    _, _, python, domain = row
    assert eval(python, {"Q": Q}).compile() == eval(domain)


@pytest.mark.parametrize("block", _python_blocks(), ids=lambda b: b.splitlines()[-1][:40])
def test_python_examples_run(block):
    exec(compile(block, str(DOC), "exec"), {})
