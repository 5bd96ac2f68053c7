"""The layering rule of DESIGN.md: a module imports only the layers below it.

Every import is read, at module level AND inside function bodies. Imports
needed only for type hints (under ``if TYPE_CHECKING:``) do not count as
edges. An import of an odoorm module inside a function is refused unless it
is listed in ``DEFERRED`` below with its reason: the optional extras (pandas,
tqdm, IPython) are not odoorm modules and need no listing.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "odoorm"

# top-level module or package of odoorm -> its layer; a module may import its own
# layer and the layers below it
LAYER = {
    "exceptions": 0,
    "_values": 0,  # pandas/numpy missing markers and scalars, imports nothing
    "_schema": 1,  # shared vocabulary: implicit fields, relational types, paths, suggestions
    "version": 1,
    "commands": 1,
    "transport": 1,
    "domain": 2,  # pure: q, compiler, lookups, leaves
    "testing": 2,
    "session": 2,  # options, opening, connection, cache
    "fields": 3,  # base, scalar, relational (the one model-class registry), types
    "aggregates": 4,  # query layer: Sum/Count... and read_group compilation
    "query": 4,  # queryset, plan, paths, related, paging, groups, writes, extensions
    "models": 5,  # model, manager, meta, state, records, prefetching, related, dynamic
    "attachments": 6,
    "polling": 6,  # registers qs.changed_since/watch in query.extensions
    "report": 6,  # registers qs.to_dataframe/pivot and record._repr_html_ likewise
    "notebook": 6,  # IPython: odoorm errors shown briefly (imports only the exceptions)
    "webhooks": 6,  # install automations, Receiver (WSGI), events: above models and polling
    "cli": 7,
}
# exceptions to the numeric order, each with its reason
ALLOWED = {
    # the emulator imports nothing of odoorm above the transport layer
    ("testing", "transport"),
}
FORBIDDEN = {
    # the domain compiler is pure: exceptions and the shared vocabulary only
    ("domain", "transport"),
    ("domain", "session"),
    ("domain", "commands"),
    ("domain", "fields"),
    ("testing", "session"),
    ("testing", "fields"),
    ("testing", "domain"),
    ("testing", "commands"),
    ("testing", "_schema"),
    ("transport", "session"),
    ("transport", "domain"),
    ("transport", "commands"),
    ("transport", "fields"),
    ("transport", "models"),
}
# imports of odoorm modules inside function bodies, each with its reason
# (file relative to odoorm/, imported module): none today. Declared cycles are
# typing-only (under TYPE_CHECKING) and commented where they close:
# fields/relational.py -> models/related.py (an x2many field reads as a RelatedSet),
# fields/base.py -> models/state.py (a field reads a record's RecordState).
DEFERRED: dict[tuple[str, str], str] = {}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """``(module, inside a function)`` for every runtime import of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []
    depth = [0]

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for child in node.orelse:
                    self.visit(child)
                return
            self.generic_visit(node)

        def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
            depth[0] += 1
            self.generic_visit(node)
            depth[0] -= 1

        visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

        def visit_Import(self, node: ast.Import) -> None:
            found.extend((alias.name, depth[0] > 0) for alias in node.names)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.level:
                # resolve relative imports against the file's package
                rel = path.relative_to(PACKAGE.parent).with_suffix("")
                base = list(rel.parts[: -node.level])
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            if mod == "odoorm":  # `from odoorm import fields`: the submodules named
                found.extend((f"odoorm.{a.name}", depth[0] > 0) for a in node.names)
            else:
                found.append((mod, depth[0] > 0))

    Visitor().visit(tree)
    return found


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "odoorm":
        return None
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def _sources() -> list[tuple[Path, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        own = rel.parts[0].removesuffix(".py")
        if own != "__init__" and own in LAYER:
            out.append((path, own))
    return out


def test_every_module_has_a_layer():
    names = {p.name.removesuffix(".py") for p in PACKAGE.iterdir() if not p.name.startswith("__")}
    names -= {"py.typed"}
    assert names <= set(LAYER), f"no layer for {sorted(names - set(LAYER))}"


def test_no_upward_imports():
    problems = []
    for path, own in _sources():
        rel = path.relative_to(PACKAGE)
        for mod, _deferred in _imports(path):
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


def test_imports_of_odoorm_sit_at_the_top():
    hidden = []
    for path, _own in _sources():
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("testing/"):
            continue  # the emulator's own layering is its own (issue 10, item 5)
        for mod, deferred in _imports(path):
            if deferred and mod.startswith("odoorm") and (rel, mod) not in DEFERRED:
                hidden.append(f"{rel}: imports {mod} inside a function")
    assert not hidden, "\n".join(hidden)


def test_the_package_root_registers_the_query_extensions():
    # qs.to_dataframe(), qs.pivot(), qs.watch(), qs.changed_since() and
    # record._repr_html_() are served by modules above the query layer
    import odoorm  # noqa: F401
    from odoorm.query.extensions import _PROVIDERS, _registered

    assert set(_registered) == set(_PROVIDERS)
