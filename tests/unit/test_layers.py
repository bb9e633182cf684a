"""The law lives in plain Python: importing every module of `auction/` and `valuation/` loads
neither Flask nor SQLAlchemy (STYLE.md, "the shape of the house")."""
from __future__ import annotations

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
