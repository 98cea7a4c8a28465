"""The layering of the apps, kept true: every import of a gandang module runs downward.

The layers, from the top (docs/architecture.md describes each):

    orchestration   city, demo, api, urls, settings, cli, wsgi
    reports         bulletins, assessment
    information     information                           (reads achievements; the assessment reads it)
    supervision     supervision, achievements
    dispatch        dispatch
    ledger          ledger
    accounts        accounts
    services        documents, notifications, security   (import only core and org)
    org             org
    core            core                                  (knows no domain)

A module may import its own app and any app in a lower layer; never an app in its own layer (they
are independent of each other) nor one above it. The orchestration layer is one piece: its parts
import each other (urls mounts the api and the city's pages). Imports inside functions count too. Migrations
are history and are not read. The test fails naming each upward import, file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "gandang"
FIXTURES = Path(__file__).resolve().parent / "layering"

LAYERS: list[set[str]] = [
    {"city", "demo", "api", "urls", "settings", "cli", "wsgi"},
    {"bulletins", "assessment"},
    {"information"},
    {"supervision", "achievements", "matters"},
    {"dispatch"},
    {"ledger"},
    {"accounts"},
    {"documents", "notifications", "security"},
    {"org"},
    {"core"},
]
RANK = {app: n for n, layer in enumerate(LAYERS) for app in layer}


def app_of(path: Path) -> str:
    """The app (or top-level module) a file of src/gandang belongs to."""
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def imports(source: str) -> list[tuple[int, str]]:
    """(line, app) of every `gandang.<app>` a module imports, at any depth of its code."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "gandang":  # from gandang import ledger
                names = [f"gandang.{alias.name}" for alias in node.names]
        else:
            continue
        found += [(node.lineno, name.split(".")[1]) for name in names if name.startswith("gandang.")]
    return found


def violations(app: str, source: str, where: str) -> list[str]:
    """The imports of a module of `app` that do not run downward."""
    out = []
    for line, other in imports(source):
        if other == app or other not in RANK:
            continue
        if RANK[other] < RANK[app] or (RANK[other] == RANK[app] and RANK[app] > 0):
            side = "its own layer" if RANK[other] == RANK[app] else "a layer above"
            out.append(f"{where}:{line}: {app} imports {other} ({side})")
    return out


def _modules() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if "migrations" not in p.parts]


def test_every_app_has_a_layer():
    apps = {app_of(p) for p in _modules()} - {"__init__"}
    assert apps - set(RANK) == set(), "add the new app to LAYERS (and to docs/architecture.md)"


def test_every_import_runs_downward():
    found = []
    for path in _modules():
        app = app_of(path)
        if app in RANK:
            found += violations(app, path.read_text(encoding="utf-8"), str(path.relative_to(SRC.parent)))
    assert found == []


@pytest.mark.parametrize(
    ("app", "fixture", "expected"),
    [
        ("ledger", "ledger_imports_dispatch.py", "ledger imports dispatch (a layer above)"),
        ("core", "core_imports_ledger.py", "core imports ledger (a layer above)"),
        (
            "supervision",
            "supervision_imports_achievements.py",
            "supervision imports achievements (its own layer)",
        ),
    ],
)
def test_an_upward_import_is_caught(app, fixture, expected):
    """A module that imports upward (a fixture written as such a module would be) fails the check,
    also when the import hides inside a function."""
    source = (FIXTURES / fixture).read_text(encoding="utf-8")
    found = violations(app, source, fixture)
    assert found and all(expected in v for v in found), found


def test_a_downward_import_passes():
    assert (
        violations("dispatch", "from gandang.ledger.models import Item\nimport gandang.core.audit\n", "x")
        == []
    )
