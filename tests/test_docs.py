"""Every ```python block of README.md and docs/*.md runs, so the docs cannot rot.

Each page runs top to bottom in ONE namespace against a FRESH emulator started
for that page. The namespace starts with ``odoo`` (also ``emulator``): the
running :class:`odoorm.testing.Emulator`, and ``conn``: a connection to it,
which is also the default connection. The ``ODOO_URL``/``ODOO_DB``/
``ODOO_USER``/``ODOO_PASSWORD`` variables point at it, so ``odoorm.connect()``
with no arguments works too.

Blocks fenced as ```text, ```bash, ```console (anything but python/py) are not
run; a python block preceded by ``<!-- docs: skip -->`` is shown but not run
(for code that needs a real server). A failing block reports the page and the
line the block starts on.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])

#: pages whose examples cannot run yet, with the reason (the integrator clears this)
PENDING: dict[str, str] = {}
#: what the docs import from the package root (odoorm/__init__.py re-exports them)
PUBLIC_NAMES = ("connect", "Model", "fields", "Q", "Command", "Sum", "Count")

SKIP_MARK = "<!-- docs: skip -->"
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)\s*(?P<info>[\w+-]*)")
RUN_LANGUAGES = {"python", "py", "python3"}


def extract_blocks(text: str) -> list[tuple[int, str]]:
    """``(first code line number, code)`` of each runnable python block of a page."""
    blocks: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    previous = ""
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            if lines[i].strip():
                previous = lines[i].strip()
            i += 1
            continue
        fence, indent = match["fence"], len(match["indent"])
        language = match["info"].lower()
        start = i + 1
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][indent:] if lines[i][:indent].isspace() else lines[i])
            i += 1
        i += 1  # the closing fence
        if language in RUN_LANGUAGES and previous != SKIP_MARK:
            blocks.append((start + 1, "\n".join(body) + "\n"))
        previous = ""
    return blocks


def test_extract_blocks_follows_the_convention():
    page = "\n".join(
        [
            "# Title",  # 1
            "```python",  # 2
            "x = 1",  # 3
            "```",  # 4
            "```bash",  # 5
            "odoorm demo",  # 6
            "```",  # 7
            SKIP_MARK,  # 8
            "```python",  # 9
            "connect('https://erp.example.com')",  # 10
            "```",  # 11
            "```py",  # 12
            "y = x + 1",  # 13
            "```",  # 14
        ]
    )
    assert extract_blocks(page) == [(3, "x = 1\n"), (13, "y = x + 1\n")]


def _page_id(path: Path) -> str:
    return str(path.relative_to(REPO))


@contextmanager
def _logging_restored() -> Iterator[None]:
    """Pages show how to tune odoorm's loggers; what they set must not leak into later tests."""
    loggers = [
        logging.getLogger(),
        *(lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)),
    ]
    saved = [(lg, lg.level, lg.disabled, list(lg.handlers)) for lg in loggers]
    try:
        yield
    finally:
        for lg, level, disabled, handlers in saved:
            lg.setLevel(level)
            lg.disabled = disabled
            lg.handlers[:] = handlers


@pytest.fixture
def page_env(monkeypatch):
    """A fresh emulator, a default connection to it, and ODOO_* pointing at it."""
    from odoorm.session import connect, set_default_connection
    from odoorm.testing import Emulator

    with _logging_restored(), Emulator(version=18) as odoo:
        for name in ("ODOO_API_KEY", "ODOO_PROTOCOL"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("ODOO_URL", odoo.url)
        monkeypatch.setenv("ODOO_DB", odoo.db)
        monkeypatch.setenv("ODOO_USER", odoo.login)
        monkeypatch.setenv("ODOO_PASSWORD", odoo.password)
        conn = connect(odoo.url, db=odoo.db, user=odoo.login, password=odoo.password)
        set_default_connection(conn)
        try:
            yield {"odoo": odoo, "emulator": odoo, "conn": conn}
        finally:
            set_default_connection(None)
            conn.close()


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_examples_run(page: Path, page_env, monkeypatch, tmp_path):
    import odoorm

    name = _page_id(page)
    if name in PENDING:
        pytest.skip(f"pending: {PENDING[name]}")
    missing = [n for n in PUBLIC_NAMES if not hasattr(odoorm, n)]
    if missing:
        pytest.skip(f"odoorm/__init__.py does not export {', '.join(missing)} yet")
    blocks = extract_blocks(page.read_text(encoding="utf-8"))
    if not blocks:
        pytest.skip("no python blocks")
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    module = "docs_" + re.sub(r"\W", "_", page.stem)
    namespace = {"__name__": module, **page_env}
    for line, code in blocks:
        # pad so tracebacks give the line number in the page itself
        try:
            exec(compile("\n" * (line - 1) + code, str(page), "exec"), namespace)
        except Exception as exc:
            trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-6:])
            pytest.fail(
                f"{name}: the block at line {line} failed: {type(exc).__name__}: {exc}\n{trace}",
                pytrace=False,
            )
