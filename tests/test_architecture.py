"""The import rules of docs/architecture.md: every import runs down the layers.

Read from the code's own import statements (those inside functions too), not by
importing it, so a rule broken in a rarely run branch is still found.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "aban"

#: The shared leaves, and what each may import of aban.
LEAVES: dict[str, frozenset[str]] = {
    "errors": frozenset(),
    "version": frozenset(),
    "config": frozenset({"errors"}),
    "text": frozenset({"errors"}),
    "vocab": frozenset({"errors", "text"}),
}
#: Persistence: the register, its migrations, the audit chain, typed row access.
STORE = frozenset({"store"})
#: Pure numerics: arrays in, results out; no register.
ESTIMATE = frozenset({"estimate"})
#: The pipeline's stages; each may import the leaves, the store, estimate and
#: other stages, never the workflow or a face.
STAGES = frozenset(
    {
        "ingest",
        "linkage",
        "grade",
        "detention",
        "evidence",
        "claims",
        "analysis",
        "export",
        "site",
        "sim",
        "simulate",
        "event",
    }
)
WORKFLOW = frozenset({"workflow"})
#: What people and programs call: the command line, the web app, the demo and the
#: package's public face.
FACES = frozenset({"cli", "web", "demo", "__init__", "__main__"})
LAYERS = {
    "store": frozenset(LEAVES) | STORE,
    "estimate": frozenset({"errors", "version"}) | ESTIMATE,
    "stage": frozenset(LEAVES) | STORE | ESTIMATE | STAGES,
    "workflow": frozenset(LEAVES) | STORE | ESTIMATE | STAGES | WORKFLOW,
}
#: Third-party packages only one part of aban may import.
ONLY_IN = {"splink": "linkage", "pyspark": "linkage"}


def _part(module: Path) -> str:
    """The top-level part of aban a file belongs to (``store``, ``demo`` ...)."""
    relative = module.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imports(module: Path) -> Iterator[tuple[int, str]]:
    """Each (line, imported module) of a file, with ``from aban import x`` as
    ``aban.x`` when x is a module of the package, else as ``aban``."""
    tree = ast.parse(module.read_text("utf-8"), str(module))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "aban":
                for alias in node.names:
                    sub = PACKAGE / alias.name
                    is_module = sub.is_dir() or sub.with_suffix(".py").exists()
                    yield node.lineno, f"aban.{alias.name}" if is_module else "aban"
            else:
                yield node.lineno, node.module
        elif isinstance(node, ast.ImportFrom) and node.level:
            yield node.lineno, "aban.<relative>"


def _allowed(part: str) -> frozenset[str] | None:
    """What ``part`` may import of aban; None for the faces (anything)."""
    if part in LEAVES:
        return LEAVES[part]
    if part in STORE:
        return LAYERS["store"]
    if part in ESTIMATE:
        return LAYERS["estimate"]
    if part in STAGES:
        return LAYERS["stage"]
    if part in WORKFLOW:
        return LAYERS["workflow"]
    assert part in FACES, f"aban/{part} is in no layer: add it to one"
    return None


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def broken_rules() -> list[str]:
    """Every import that runs back up the layers, as ``file:line: a -> b``."""
    broken = []
    for module in _modules():
        part, allowed = _part(module), _allowed(_part(module))
        for line, name in _imports(module):
            where = f"{module.relative_to(PACKAGE.parent)}:{line}"
            top = name.split(".")[0]
            if top in ONLY_IN and part != ONLY_IN[top]:
                broken.append(f"{where}: {part} -> {top} (only {ONLY_IN[top]})")
            if top != "aban" or allowed is None:
                continue
            target = name.split(".")[1] if "." in name else "aban"
            if target == "<relative>":
                broken.append(f"{where}: relative import (write aban.... in full)")
            elif target not in allowed and target != part:
                broken.append(f"{where}: {part} -> {target}")
    return broken


def test_every_import_runs_down_the_layers() -> None:
    assert broken_rules() == []


def test_parts_of_aban_import_each_other_in_no_circle() -> None:
    graph: dict[str, set[str]] = {}
    for module in _modules():
        part = _part(module)
        if part in FACES:
            continue
        for _, name in _imports(module):
            if name.startswith("aban."):
                target = name.split(".")[1]
                if target != part:
                    graph.setdefault(part, set()).add(target)
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError on a circle


@pytest.mark.parametrize(
    ("source", "broken"),
    [
        ("from aban.linkage.review import ScoredPair\n", "store -> linkage"),
        ("import splink\n", "store -> splink (only linkage)"),
        ("def f():\n    from aban.workflow import link\n", "store -> workflow"),
        ("from aban import __version__\n", "store -> aban"),
    ],
)
def test_a_broken_rule_is_found(
    source: str, broken: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The check itself: an import back up, planted in a copy of the store, shows."""
    fake = tmp_path / "aban"
    (fake / "store").mkdir(parents=True)
    (fake / "store" / "bad.py").write_text(source, "utf-8")
    (fake / "text").mkdir()
    (fake / "text" / "ok.py").write_text("from aban.errors import AbanError\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    found = broken_rules()
    assert len(found) == 1
    assert found[0].endswith(broken)


def test_site_never_imports_web() -> None:
    """Named apart from the layers: the static site must build without the app."""
    for module in (PACKAGE / "site").rglob("*.py"):
        assert not any(n.startswith("aban.web") for _, n in _imports(module)), module
