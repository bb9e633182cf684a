"""The law lives in plain Python: importing every module of `auction/` and `valuation/` loads
neither Flask nor SQLAlchemy (STYLE.md, "the shape of the house")."""
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


def _modules(package: str) -> dict[str, Path]:
    out = {}
    for path in (ROOT / package).rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of `known` that `name` imports, at its top or inside a function alike (a lazy import
    is still an arrow). `from package import module` points at the module, not at the package."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = alias.name
                while target and target not in known:
                    target = target.rpartition(".")[0]
                out.add(target)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                here = here[:len(here) - node.level + 1]
                base = ".".join(here + ([node.module] if node.module else []))
            for alias in node.names:
                out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in out if m in known and m != name}


def import_circles(package: str) -> list[list[str]]:
    """Each group of modules of `package` that import one another, directly or through others."""
    modules = _modules(package)
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}

    def reach(start):
        seen, todo = set(), list(graph[start])
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo.extend(graph[m])
        return seen
    reachable = {m: reach(m) for m in graph}
    circles = {frozenset({m} | {o for o in reachable[m] if m in reachable[o]}) for m in graph if m in reachable[m]}
    return sorted(sorted(c) for c in circles)


def test_the_import_reader_sees_a_circle_through_a_lazy_import(tmp_path, monkeypatch):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("def f():\n    from .c import g\n")
    (pkg / "c.py").write_text("import pkg.a\n")
    (pkg / "d.py").write_text("from pkg import a\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert import_circles("pkg") == [["pkg.a", "pkg.b", "pkg.c"]]


def test_no_import_circle_among_the_web_modules():
    """web/cabinet.py and web/parties.py no longer import each other; the API's modules take the runner
    from web/runner.py, not from their package (issue 12). service/ and auction/: the service floor's."""
    assert import_circles("web") == []
