"""docs/notebooks/sales_report.ipynb runs top to bottom (nbclient; skipped when missing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHIFTED_NOW, shifted_instant

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "notebooks" / "sales_report.ipynb"


def test_committed_notebook_has_outputs():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c.get("execution_count") for c in code), "re-run and commit the outputs"
    kinds = {k for c in code for o in c.get("outputs", []) for k in o.get("data", {})}
    assert "text/html" in kinds and "image/png" in kinds  # tables and the chart


def test_notebook_executes(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    pytest.importorskip("pandas")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    if SHIFTED_NOW:  # tests/test_clock_independence.py: the kernel's clock moves too
        when = shifted_instant(SHIFTED_NOW)
        nb.cells.insert(
            0,
            nbformat.v4.new_code_cell(
                f"import datetime, time_machine\ntime_machine.travel({when!r}, tick=True).start()"
            ),
        )
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "amount_total" in html and "Deco Addict" in html
    assert any("image/png" in o.get("data", {}) for o in outputs)
