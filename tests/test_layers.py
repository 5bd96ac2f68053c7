"""The layering rule of DESIGN.md: a module imports only the layers below it.

Imports needed only for type hints (under ``if TYPE_CHECKING:``) and imports
inside functions that are documented as lazy hooks do not count as edges.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "odoorm"

# module -> the odoorm modules it may import (transitively allowed = listed)
LAYER = {
    "exceptions": 0,
    "version": 1,
    "commands": 1,
    "lookups": 1,
    "domain": 1,
    "transport": 1,
    "cache": 1,
    "testing": 2,
    "_connect": 2,
    "_open": 2,
    "session": 2,
    "fields": 2,
    "_fields_base": 2,  # fields layer: the Field descriptor
    "_fields_scalar": 2,  # fields layer: text, numbers, dates, selections, binaries
    "_fields_relational": 2,  # fields layer: many2one, x2many, reference, model registry
    "query": 3,
    "aggregates": 3,  # query layer: Sum/Count... and read_group compilation
    "_query_values": 3,  # query layer private helpers
    "_query_iter": 3,
    "_query_groups": 3,
    "_query_writes": 3,
    "_query_related": 3,  # select_related: specifications and their answers
    "_query_plan": 3,  # the QuerySet plan and its builder methods
    "relations": 4,
    "models": 5,
    "_model_meta": 5,  # models layer: _meta, metaclass, schema check
    "_model_io": 5,  # models layer: identity map, row loading, invalidation
    "attachments": 6,
    "polling": 6,
    "report": 6,
    "webhooks": 6,  # install automations, Receiver (WSGI), events: above models and polling
    "cli": 7,
}
# exceptions to the numeric order, each with its reason
ALLOWED = {
    # the emulator imports nothing of odoorm above the transport layer
    ("testing", "transport"),
}
FORBIDDEN = {
    # the domain compiler is pure: exceptions only
    ("domain", "transport"),
    ("domain", "session"),
    ("domain", "cache"),
    ("domain", "commands"),
    ("lookups", "transport"),
    ("lookups", "session"),
    ("lookups", "cache"),
    ("lookups", "commands"),
    ("testing", "session"),
    ("testing", "fields"),
    ("testing", "domain"),
    ("testing", "commands"),
    ("transport", "cache"),
    ("transport", "domain"),
    ("transport", "commands"),
}


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "odoorm":
        return None
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def _runtime_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
            # imports inside functions are deliberate lazy hooks; still checked
            # against FORBIDDEN below through the module-level pass only
            return

        visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

        def visit_Import(self, node: ast.Import) -> None:
            found.extend(alias.name for alias in node.names)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.level:
                # resolve relative imports against the file's package
                rel = path.relative_to(PACKAGE.parent).with_suffix("")
                base = list(rel.parts[: -node.level])
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            found.append(mod)

    Visitor().visit(tree)
    return found


def test_no_upward_imports():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        own = rel.parts[0].removesuffix(".py")
        if own == "__init__" or own not in LAYER:
            continue
        for mod in _runtime_imports(path):
            target = _layer_of(mod)
            if target is None or target == own:
                continue
            if target == "__init__":
                # only the command line, the top layer, may use the public package root
                if own != "cli":
                    problems.append(f"{rel}: imports the odoorm package root ({mod})")
                continue
            if target not in LAYER:
                continue
            if (own, target) in FORBIDDEN:
                problems.append(f"{rel}: {own} may not import {target}")
            elif LAYER[target] > LAYER[own] and (own, target) not in ALLOWED:
                problems.append(f"{rel}: upward import {own} -> {target} ({mod})")
    assert not problems, "\n".join(problems)
