"""One door per action: tests go in through the service functions people reach.

A user action (create, save or delete a note, file it in a carnet, comment…) is one service
function that the HTML route, the API route, the command line, the importer and the test
factories all call. These read the code (nothing runs): a test factory calling a function no
route calls, or a test calling a function nothing of the site calls, is a second door, which
people never use, and which a change to the real one would leave behind.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = "praxis.services"
# Where people come in: the pages, the API, the command line, the importer.
DOORS = [
    *(ROOT / "praxis" / "web").glob("*.py"),
    *(ROOT / "praxis" / "api").glob("*.py"),
    ROOT / "praxis" / "cli.py",
    ROOT / "praxis" / "cli_data.py",
    ROOT / "praxis" / "services" / "transfer.py",
]


def _reached(path: Path) -> set[str]:
    """The `module.name`s of praxis.services that a file names (a service module's own names too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == SERVICES
        for alias in node.names
    }
    own = path.stem if path.parent == ROOT / "praxis" / "services" else None
    reached: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            reached.add(f"{modules[node.value.id]}.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(SERVICES + "."):
            reached |= {f"{node.module.rsplit('.', 1)[1]}.{alias.name}" for alias in node.names}  # type: ignore[union-attr]
        elif own and isinstance(node, ast.Name):
            reached.add(f"{own}.{node.id}")
    return reached


def _all_reached(paths: Iterable[Path]) -> set[str]:
    return set().union(*(_reached(path) for path in paths))


def test_the_test_factories_go_through_the_doors_people_use():
    factories = _reached(ROOT / "tests" / "factories.py")
    assert factories, "the factories call no service: this test reads the wrong file"
    assert sorted(factories - _all_reached(DOORS)) == []


def test_no_service_function_is_there_for_the_tests_alone():
    site = _all_reached((ROOT / "praxis").rglob("*.py"))
    tests = _all_reached(path for path in (ROOT / "tests").rglob("*.py"))
    assert sorted(tests - site) == []
