"""The shape of the house (STYLE.md): the law lives in plain Python — importing every module of
`auction/` and `valuation/` loads neither Flask nor SQLAlchemy — and no modules of `auction/`,
`valuation/` or `service/` import each other in a circle (issue 12)."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, pkgutil, sys
import auction, valuation
for package in (auction, valuation):
    for m in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(m.name)
loaded = sorted({n.split(".")[0] for n in sys.modules} & {"flask", "flask_socketio", "sqlalchemy", "alembic"})
print(",".join(loaded))
"""


def test_the_domain_packages_import_no_framework():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_valuation_holds_the_art_68_code_and_the_lot_module_defines_no_valuation():
    import auction.lots.model as lot_module
    import valuation.model
    assert lot_module.Valuation is valuation.model.Valuation  # used by the lot, defined in valuation/
    source = (ROOT / "auction" / "lots" / "model.py").read_text(encoding="utf-8")
    assert "class Valuation" not in source and "def appoint_appraiser" not in source


# ---- the web layer: one way in, no queries of its own, no import circle (issue 12) ----------------------------
# What opening a session or running a query looks like; only the app's composition (web/__init__.py) may.
QUERYING = {
    "select(": re.compile(r"\bselect\("),
    "Session": re.compile(r"\bSession\b|\bsessionmaker\b"),
    "session.execute": re.compile(r"session\.execute"),
    "uow.session": re.compile(r"\.session\b"),
    "the session factory": re.compile(r"\[[\"']sessions[\"']\]"),
    "sqlalchemy": re.compile(r"\bsqlalchemy\b"),
    "uow.get(": re.compile(r"\buow\.get\("),
    "a unit of work opened by hand": re.compile(r"\bUnitOfWork\b"),
    "the journal's name for a person": re.compile(r"user:\{"),  # service/runner.py writes it, once
}


def _sources(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")


def test_the_web_layer_runs_no_query_and_opens_no_unit_of_work_of_its_own():
    """Routes, pages, the socket, the CLI and the demo read through service/queries and act through the
    one runner (service/runner.py, web/runner.py); only the composition of the app wires sessions."""
    found = [f"{path.relative_to(ROOT)}:{n}: {what}"
             for path, text in _sources("web") if path != ROOT / "web" / "__init__.py"
             for n, line in enumerate(text.splitlines(), 1)
             for what, pattern in QUERYING.items() if pattern.search(line)]
    assert found == []


def test_passwords_are_checked_and_accounts_made_in_one_place():
    """Login and registration are service/accounts.py's, for the API and the pages alike; web/auth.py only
    hashes (the adapter the service is given)."""
    found = [f"{path.relative_to(ROOT)}:{n}"
             for path, text in _sources("web") if path != ROOT / "web" / "auth.py"
             for n, line in enumerate(text.splitlines(), 1)
             if re.search(r"\b(check_password|hash_password|password_hash|api_token_hash)\b", line)]
    assert found == []


# ---- no import circles (issue 12) ---------------------------------------------------------------------
# Every import statement counts, at module level or inside a function: a function-level import that
# closes a circle is a circle all the same, only one that bites later (the first call, not the start).
CHECKED = ("auction", "valuation", "service", "web")  # one graph: a circle across packages is found too


def module_files(root: Path, packages=CHECKED) -> dict[str, Path]:
    """Dotted module name -> file, for every module of `packages` under `root` (migrations aside:
    Alembic loads them by path, nothing imports them)."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(name: str, path: Path, modules) -> set[str]:
    """The modules of `modules` that module `name` imports anywhere in its source, each once."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            for alias in node.names:  # `from pkg import name`: the submodule `name`, or a name of pkg
                targets.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source)
    found = set()
    for target in targets:
        while target and target not in modules:  # `import a.b.c` of a name inside a.b: module a.b
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def import_graph(root: Path, packages=CHECKED) -> dict[str, set[str]]:
    modules = module_files(root, packages)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def tangles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that reach each other through their imports (the strongly connected
    components of more than one module), by Tarjan's algorithm."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(v):  # recursive: the import chains here are a few dozen modules long at most
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(groups, key=min)


def circle_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """The shortest circle through the group's first module, as a path that ends where it starts."""
    start = min(group)
    paths, frontier = {start: [start]}, [start]
    while frontier:
        v = frontier.pop(0)
        for w in sorted(graph[v] & group):
            if w == start:
                return paths[v] + [start]
            if w not in paths:
                paths[w] = paths[v] + [w]
                frontier.append(w)
    raise AssertionError(f"{sorted(group)} is no strongly connected group")


def circles(graph: dict[str, set[str]]) -> list[str]:
    """One line per tangle: a circle in it, and every module it holds."""
    return [" -> ".join(circle_in(graph, group)) + f"  (in a tangle of {', '.join(sorted(group))})"
            for group in tangles(graph)]


def test_the_modules_of_auction_valuation_service_and_web_import_each_other_in_no_circle():
    """web/cabinet.py and web/parties.py no longer import each other; the API's modules take the runner
    from web/runner.py, not from their package; the service floor is split (issue 12)."""
    found = circles(import_graph(ROOT))
    assert not found, "import circles (module-level and function-level imports):\n" + "\n".join(found)


def test_a_circle_closed_by_an_import_inside_a_function_is_found_and_named(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "bids.py").write_text("from . import rules\n")
    (pkg / "rules.py").write_text("from .money import fmt\n")
    (pkg / "money.py").write_text("def fmt():\n    from pkg.bids import place  # closes the circle\n")
    (pkg / "other.py").write_text("import pkg.money\n")
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.other"] == {"pkg.money"}
    assert circles(graph) == ["pkg.bids -> pkg.rules -> pkg.money -> pkg.bids  (in a tangle of pkg.bids, pkg.money, "
                              "pkg.rules)"]


# The use cases that imported each other in a circle (trading, payments, lifecycle, autobid), split by
# what changes together; each floor imports only the floors below it.
SERVICE_FLOORS = (
    ("service.load", "service.payment_requests", "service.eligibility"),  # loading; what is asked
    ("service.deposits", "service.distribution"),  # deposits and the wallet; proceeds distributed
    ("service.auctions", "service.retention"),  # an auction's course (Art. 79-84); retention (Art. 85)
    ("service.trading", "service.lifecycle", "service.disqualification"),  # bids; the lots; Art. 80.4
    ("service.payments", "service.sweeper"),  # money arriving; what falls due
    ("service.bootstrap",),  # the composition root: wires the rest
)


def test_the_use_cases_of_the_service_floor_import_only_the_floors_below():
    graph = import_graph(ROOT)
    for level, floor in enumerate(SERVICE_FLOORS):
        above = {m for upper in SERVICE_FLOORS[level:] for m in upper}
        for module in floor:
            assert not graph[module] & above, f"{module} imports {sorted(graph[module] & above)} of its floor or above"
