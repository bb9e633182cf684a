"""One home for each shared piece (issue 12 point 6): the IIN/BIN arithmetic in its own module."""
from __future__ import annotations

import ast
from pathlib import Path

from auction import eligibility, identity

ROOT = Path(__file__).resolve().parents[2]


def sources(*packages):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path, path.read_text(encoding="utf-8")


# ---- IIN / BIN -------------------------------------------------------------------------------------
def test_the_iin_bin_arithmetic_lives_in_its_own_module_and_the_art_80_2_rules_use_it():
    defined = {n.name for n in ast.walk(ast.parse(Path(eligibility.__file__).read_text(encoding="utf-8")))
               if isinstance(n, ast.FunctionDef)}
    numbers = {n.name for n in ast.parse(Path(identity.__file__).read_text(encoding="utf-8")).body
               if isinstance(n, ast.FunctionDef)}
    assert {"check_digit", "iin_problem", "bin_problem", "require_iin_bin", "make_iin", "make_bin"} <= numbers
    assert not defined & numbers
    assert eligibility.require_iin_bin is identity.require_iin_bin  # the rules read numbers through it
