"""One door per action: the pages, the API, the command line and the tests go in through the
service module of each domain package, and through the functions people reach.

A user action (create, save or delete a note, file it in a carnet, comment…) is one service
function that the HTML route, the API route, the command line, the importer and the test
factories all call. These read the code (nothing runs): a page reaching past a domain's
`service` module, a test factory calling a function no route calls, or a test calling a function
nothing of the site calls, is a second door, which people never use, and which a change to the
real one would leave behind.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRAXIS = ROOT / "praxis"
# The domain packages: each has one public `service` module.
DOMAINS = sorted(path.parent.name for path in PRAXIS.glob("*/service.py"))
# Where people come in: the pages, the API, the command line, the importer.
OUTER = [*(PRAXIS / "web").glob("*.py"), *(PRAXIS / "api").glob("*.py"), *(PRAXIS / "cli").glob("*.py")]
DOORS = [*OUTER, PRAXIS / "transfer" / "folders.py"]


def _facade() -> dict[str, str]:
    """`pkg.service.name` -> `pkg.module.name` it hands on, for every domain's service module."""
    handed: dict[str, str] = {}
    for domain in DOMAINS:
        tree = ast.parse((PRAXIS / domain / "service.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(f"praxis.{domain}."):
                module = node.module.removeprefix("praxis.")  # type: ignore[union-attr]
                for alias in node.names:
                    handed[f"{domain}.service.{alias.asname or alias.name}"] = f"{module}.{alias.name}"
    return handed


FACADE = _facade()


def _domain_module(module: str | None) -> str | None:
    """`pkg.module` for a module of a domain package, else None."""
    parts = (module or "").split(".")
    return ".".join(parts[1:]) if len(parts) == 3 and parts[0] == "praxis" and parts[1] in DOMAINS else None


def _imports(tree: ast.AST) -> tuple[dict[str, str], set[str]]:
    """The domain modules a file names (alias -> `pkg.module`) and the names it imports from them."""
    modules: dict[str, str] = {}
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if (node.module or "").removeprefix("praxis.") in DOMAINS:
            for alias in node.names:
                modules[alias.asname or alias.name] = f"{node.module.removeprefix('praxis.')}.{alias.name}"  # type: ignore[union-attr]
        elif module := _domain_module(node.module):
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return modules, names


def _reached(path: Path) -> set[str]:
    """The `pkg.module.name`s of the domain packages that a file names (a domain module's own names
    too), a service module's names followed to the module that holds them."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, reached = _imports(tree)
    own = _domain_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            reached.add(f"{modules[node.value.id]}.{node.attr}")
        elif own and isinstance(node, ast.Name):
            reached.add(f"{own}.{node.id}")
    return {FACADE.get(name, name) for name in reached}


def _all_reached(paths: Iterable[Path]) -> set[str]:
    return set().union(*(_reached(path) for path in paths))


def _internal_imports(path: Path) -> list[str]:
    """The modules of domain packages other than `service` that a file imports. The search
    package's face and its indexing process are the app's and the command line's machinery,
    not a domain's service: they are left out."""
    modules, names = _imports(ast.parse(path.read_text(encoding="utf-8")))
    imported = set(modules.values()) | {name.rsplit(".", 1)[0] for name in names}
    return sorted(module for module in imported if not module.endswith(".service") and not module.startswith("search."))


def test_every_domain_package_has_its_service_module():
    assert {"notes", "carnets", "people", "conversation", "transfer", "publishing", "media"} <= set(DOMAINS)


def test_pages_api_and_command_line_call_only_the_service_modules():
    reaching = {str(path.relative_to(ROOT)): _internal_imports(path) for path in OUTER}
    assert {path: modules for path, modules in reaching.items() if modules} == {}


def test_the_test_factories_go_through_the_doors_people_use():
    factories = ROOT / "tests" / "factories.py"
    reached = _reached(factories)
    assert reached, "the factories call no service: this test reads the wrong file"
    assert _internal_imports(factories) == []
    assert sorted(reached - _all_reached(DOORS)) == []


def test_no_service_function_is_there_for_the_tests_alone():
    site = _all_reached(PRAXIS.rglob("*.py"))
    tests = _all_reached((ROOT / "tests").rglob("*.py"))
    assert sorted(tests - site) == []


# The functions of a service module that may hand back a table row, and why. The signed-in
# person (the actor) is the `User` row that praxis/policy takes everywhere: what produces the
# actor of a request or of a new session keeps returning it.
ROW_RETURNING = {
    "people.service.sign_in": "the actor of the session or token it opens",
    "people.service.user_for_token": "the actor of the request the token comes with",
    "people.service.register": "the actor of the session the page opens for the new account",
}


def _tables() -> set[str]:
    """The names of praxis.models' table classes (`class X(SQLModel, table=True)`)."""
    return {
        node.name
        for path in (PRAXIS / "models").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value for k in node.keywords)
    }


def _names_in(annotation: ast.expr | None) -> set[str]:
    """Every name an annotation mentions: `tuple[Carnet, str | None]` -> {tuple, Carnet, str}."""
    names: set[str] = set()
    for node in ast.walk(annotation) if annotation is not None else ():
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):  # a quoted annotation
            names |= _names_in(ast.parse(node.value, mode="eval").body)
    return names


def _definition(target: str) -> tuple[ast.stmt, dict[str, ast.expr]]:
    """The statement that defines `pkg.module.name` in its module (a function, a class, a
    constant), and the module's own aliases (`Loaded = tuple[Carnet, str]`) by name."""
    module, name = target.rsplit(".", 1)
    tree = ast.parse((PRAXIS / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
    aliases = {
        t.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == name:
            return node, aliases
        if name in aliases and isinstance(node, ast.Assign) and node.value is aliases[name]:
            return node, aliases
    raise AssertionError(f"{target} is handed on by a service module but not defined in its module")


def test_service_functions_hand_back_schemas_not_table_rows():
    """What the pages, the API and the command line get from a service is a schema: a table row
    handed out would let them read (and change) what the service did not mean to show."""
    tables = _tables()
    assert {"User", "Carnet", "CarnetCategory"} <= tables, "the table classes are found in the wrong place"
    rows = {}
    for facade, target in FACADE.items():
        function, aliases = _definition(target)
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue  # a class or a constant handed on
        assert function.returns is not None, f"{target} says nothing of what it returns"
        names = _names_in(function.returns)
        names |= set().union(*(_names_in(aliases[n]) for n in names & set(aliases)))
        if found := names & tables:
            rows[facade] = sorted(found)
    assert {name: found for name, found in rows.items() if name not in ROW_RETURNING} == {}
    assert sorted(set(ROW_RETURNING) - set(rows)) == [], "an allowed exception no longer returns a row"
