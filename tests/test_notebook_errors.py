"""In IPython, an odoorm error shows the user's code and the message, not odoorm's
insides; %tb still has the full traceback (IPython's InteractiveShell, in process)."""

from __future__ import annotations

import re
import sys

import pytest

import odoorm
from odoorm import notebook

IPython = pytest.importorskip("IPython")
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402

CELL = """
import odoorm
from odoorm import fields
from odoorm.transport.base import MockTransport

class NbPartner(odoorm.Model):
    _name = "res.partner"
    name = fields.Char()

def report(conn):
    return NbPartner.objects.using(conn).filter(nmae="Azure").count()

conn = odoorm.connect(transport=MockTransport(lambda call: 0), default=False)
report(conn)
"""


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    shell.set_custom_exc((), None)
    yield shell
    shell.set_custom_exc((), None)
    InteractiveShell.clear_instance()
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, name):
            delattr(sys, name)


def _run(shell, capsys, cell):
    shell.run_cell(cell)
    captured = capsys.readouterr()
    return re.sub(r"\x1b\[[0-9;]*m", "", captured.out + captured.err)  # no colours


def test_import_in_a_running_shell_registers(shell):
    assert IPython.get_ipython() is shell and not notebook.is_registered(shell)
    assert notebook.register_if_running()  # what `import odoorm` runs
    assert notebook.is_registered(shell) and notebook.register(shell)  # idempotent


def test_not_running_registers_nothing():
    InteractiveShell.clear_instance()
    assert IPython.get_ipython() is None
    assert not notebook.register_if_running()


def test_an_odoorm_error_shows_the_users_frames_and_the_message(shell, capsys):
    notebook.register(shell)
    out = _run(shell, capsys, CELL)
    assert "FieldError" in out and "nmae" in out and "Did you mean 'name'?" in out
    assert "report(conn)" in out and "filter(nmae=" in out  # the cell and the user's function
    assert "odoorm/query" not in out and "odoorm/domain" not in out  # no internals
    assert notebook.HINT in out
    assert len(out.splitlines()) < 30
    # nothing lost: the full traceback is where %tb and %debug look
    frames = []
    tb = sys.last_traceback
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    assert any("odoorm" + "/" in f.replace("\\", "/") for f in frames[2:])
    full = _run(shell, capsys, "%tb")
    assert "FieldError" in full and "odoorm/" in full.replace("\\", "/")
    assert len(full.splitlines()) > len(out.splitlines())


def test_the_chained_cause_is_left_to_tb(shell, capsys):
    notebook.register(shell)
    cell = (
        "import odoorm\n"
        "try:\n"
        "    {}['x']\n"
        "except KeyError as exc:\n"
        "    raise odoorm.UserError('the order is locked') from exc\n"
    )
    out = _run(shell, capsys, cell)
    assert "UserError: the order is locked" in out
    assert "KeyError: 'x'" not in out and "direct cause" not in out
    assert isinstance(sys.last_value.__cause__, KeyError)  # the exception is untouched
    assert "KeyError: 'x'" in _run(shell, capsys, "%tb")


def test_other_errors_keep_ipythons_traceback(shell, capsys):
    notebook.register(shell)
    out = _run(shell, capsys, "def f():\n    return 1 / 0\nf()\n")
    assert "ZeroDivisionError" in out and notebook.HINT not in out


def test_another_tools_handler_is_left_alone(shell):
    def theirs(self, etype, value, tb, tb_offset=None):
        return ["theirs"]

    shell.set_custom_exc((KeyError,), theirs)
    assert not notebook.register(shell) and not notebook.is_registered(shell)
    assert shell.custom_exceptions == (KeyError,)


def test_load_ext_and_unload_ext(shell, capsys):
    shell.run_line_magic("load_ext", "odoorm")
    assert notebook.is_registered(shell)
    shell.run_line_magic("unload_ext", "odoorm")
    assert not notebook.is_registered(shell)
    out = _run(shell, capsys, "import odoorm\nraise odoorm.UserError('plain')\n")
    assert "UserError" in out and notebook.HINT not in out
    assert odoorm.load_ipython_extension is not None


def test_in_a_jupyter_kernel_import_odoorm_is_enough(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    client = nbclient.NotebookClient(
        nb,
        timeout=60,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    [error] = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    assert error.ename == "FieldError" and "Did you mean 'name'?" in error.evalue
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error.traceback))
    assert "report(conn)" in text and notebook.HINT in text and "odoorm/query" not in text
