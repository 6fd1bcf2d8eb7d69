"""The layering of ARCHITECTURE.md, checked on the source: who may import whom."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "sfterm"
SHARED = {"sfterm", "sfterm.config", "sfterm.server_file"}
"""Top-level modules every layer may use: the version, settings and server.json."""

ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "server": {"core"} | SHARED,
    "gateway": {"core"} | SHARED,
    "client": {"core"} | SHARED,
    "tui": {"core", "client", "tui"} | SHARED,
    "demo": {"core", "server", "client", "gateway", "demo", "sfterm.runner"} | SHARED,
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _layer(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "sfterm" or len(parts) == 1:
        return module
    return parts[1] if len(parts) > 2 or (ROOT / parts[1]).is_dir() else module


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_layers_import_only_what_they_may(package: str) -> None:
    wrong = []
    for path in (ROOT / package).rglob("*.py"):
        for name in _imports(path):
            if not name.startswith("sfterm"):
                continue
            layer = _layer(name)
            if layer == package or layer in ALLOWED[package] or name in ALLOWED[package]:
                continue
            wrong.append(f"{path.relative_to(ROOT.parent)} imports {name}")
    assert wrong == []


def test_only_the_tui_imports_textual() -> None:
    offenders = [
        str(path.relative_to(ROOT.parent))
        for path in ROOT.rglob("*.py")
        if "tui" not in path.relative_to(ROOT).parts[:1]
        and any(n == "textual" or n.startswith("textual.") for n in _imports(path))
    ]
    assert offenders == []


COMMAND_LINE = {"tui", "commands", "cli.py", "__main__.py", "screenshots.py"}
"""Who may import the tui: itself, the command line, and `sfterm.screenshots` (a composition root
like `sfterm.runner`, which puts server, demo and tui together for the README's pictures)."""


def test_only_the_command_line_imports_the_tui() -> None:
    offenders = [
        str(path.relative_to(ROOT.parent))
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).parts[0] not in COMMAND_LINE
        and any(n.startswith("sfterm.tui") for n in _imports(path))
    ]
    assert offenders == []
