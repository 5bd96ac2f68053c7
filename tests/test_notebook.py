"""docs/notebooks/sales_report.ipynb runs top to bottom (nbclient; skipped when missing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHIFTED_NOW, shifted_instant

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "notebooks" / "sales_report.ipynb"
RECORDINGS = Path(__file__).resolve().parents[2] / "shared" / "recordings"


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


def _notebook_code() -> str:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def test_the_states_the_notebook_filters_on_exist_on_its_odoo_version():
    """Odoo 17 dropped sale.order's "done": the filter must name states of the version run."""
    import ast
    import re

    code = _notebook_code()
    version = int(re.search(r"Emulator\(version=(\d+)\)", code)[1])
    groups = re.findall(r"state__in=\[([^\]]*)\]", code)
    wanted = {s for group in groups for s in ast.literal_eval(f"[{group}]")}
    assert wanted
    recorded = RECORDINGS / f"odoo{version}" / "0049-jsonrpc-fields_get_sale_order.json"
    if recorded.is_file():  # what the real server says
        answer = json.loads(recorded.read_text())["response"]["body"]["result"]
        assert wanted <= {s[0] for s in answer["state"]["selection"]}
    orm = pytest.importorskip("odoorm.testing.orm")
    db = orm.Database(version=version, data="demo")
    states = db.execute(db.uid, "sale.order", "fields_get", [], {"attributes": ["selection"]})
    assert wanted <= {s[0] for s in states["state"]["selection"]}


def test_jupyter_nbconvert_executes_the_notebook(tmp_path):
    """What docs/reports.md tells users to run, after pip install -e ".[notebook]"."""
    import shutil
    import subprocess
    import sys

    pytest.importorskip("nbconvert")
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent))
    if jupyter is None:
        pytest.skip("jupyter (the notebook extra) is not installed beside this Python")
    command = [jupyter, "nbconvert", "--to", "notebook", "--execute", str(NOTEBOOK)]
    done = subprocess.run(
        [*command, "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads((tmp_path / NOTEBOOK.name).read_text(encoding="utf-8"))
    outputs = [o for c in out["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert outputs and not [o for o in outputs if o.get("output_type") == "error"]
