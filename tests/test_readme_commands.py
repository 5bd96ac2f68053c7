"""README's promise: a fresh machine needs exactly the two commands it shows, each
installing what it needs and running; CI runs them as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
INSTALL_AND_RUN = re.compile(r'^python -m pip install -e "\.\[(?P<extras>[\w,]+)\]" && .+$')


def _two_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    return [b.strip() for b in blocks]


def test_readme_shows_two_one_line_commands_that_install_and_run():
    main_job, tests = _two_commands()
    assert main_job == 'python -m pip install -e ".[pandas]" && odoorm demo'
    assert tests == 'python -m pip install -e ".[test]" && python -m pytest'
    for command in (main_job, tests):
        assert "\n" not in command and INSTALL_AND_RUN.match(command), command


def test_ci_runs_the_readme_commands_as_written():
    script = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    for command in _two_commands():
        assert command in script, f".ci/run does not run {command!r} as README shows it"


def test_the_extras_and_the_command_exist():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    for command in _two_commands():
        match = INSTALL_AND_RUN.match(command)
        assert match is not None
        for extra in match["extras"].split(","):
            assert extra in extras, extra
    assert project["scripts"]["odoorm"] == "odoorm.cli:main"
