"""Reading a generated PDF back with poppler's pdftotext and pdfinfo, as a person or a court would.

`make test` installs Debian's poppler-utils when missing; locally a missing tool skips the test with
the reason, under CI=true it fails the run."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from .conftest import CI


def _run(tool: str, args: list[str], pdf: bytes) -> str:
    exe = shutil.which(tool)
    if exe is None:
        message = f"{tool} (Debian's poppler-utils) is not installed: `make test` installs it"
        pytest.fail(message) if CI else pytest.skip(message)
    done = subprocess.run([exe, "-enc", "UTF-8", *args, "-"], input=pdf, capture_output=True, check=True,
                          timeout=60)
    return done.stdout.decode("utf-8")


def pdftotext(pdf: bytes, *, layout: bool = False) -> str:
    """All text of the PDF in reading order (`layout`: a table row kept on one line)."""
    return _run("pdftotext", (["-layout"] if layout else []) + ["-"], pdf)


def pdfinfo(pdf: bytes) -> dict[str, str]:
    """The document information (Title, Subject, Keywords, CreationDate as ISO 8601, Pages...)."""
    pairs = (line.split(":", 1) for line in _run("pdfinfo", ["-isodates"], pdf).splitlines() if ":" in line)
    return {key: value.strip() for key, value in pairs}
