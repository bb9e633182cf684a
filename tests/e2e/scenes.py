"""Scenes built once per worker and copied (docs/testing.md).

A scene of the access matrix (a case walked through the public API to the stage at which a route
can succeed) is built by the first test that needs it, on its database; the database is then kept
(SQLite: a copy of the file; PostgreSQL: its rows and sequences, put back after emptying it), with the Python side
of the scene (the people and their tokens, the platform clock, who is in which room). Every later
test of the same route on the same database starts from a copy of it instead of walking the API
again, then sends its own request. The first test of each route still walks it for real.
"""
from __future__ import annotations

import copy
import itertools
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .. import conftest, helpers

_ME = object()  # stands for the test's Mulik driver inside a kept scene
_serial = itertools.count(1)
_dir: list[Path] = []


@dataclass
class _Kept:
    where: Any  # the kept SQLite file, or the PostgreSQL rows and sequences
    people: Any  # (scene, operator) with the driver replaced by _ME
    now: Any
    rooms: dict
    numbering: int  # where tests/helpers.py numbers the next person, proceeding or lot


def _sqlite_path(m) -> Path | None:
    url = m.app.config["DATABASE_URL"]
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


_kept: dict[tuple, _Kept] = {}


def scene(m, key: str, build: Callable):
    """`build(m)` once per worker and database kind; afterwards, the same scene from a copy."""
    path = _sqlite_path(m)
    full_key = ("sqlite" if path else "postgres", key)
    engine = m.app.extensions["mulik"]["engine"]
    presence = m.app.extensions["mulik"]["presence"]
    kept = _kept.get(full_key)
    if kept is None:
        built = build(m)
        engine.dispose()  # SQLite: the last connection closing checkpoints the WAL into the file
        if path:
            if not _dir:
                _dir.append(Path(tempfile.mkdtemp(prefix="mulik-scenes-")))
            where = str(_dir[0] / f"scene{next(_serial)}.db")
            shutil.copyfile(path, where)
        else:
            where = conftest.save_postgres()
        numbering = next(helpers._serial)  # the next number this test's people would have had
        _kept[full_key] = _Kept(where, copy.deepcopy((built, m.operator), {id(m): _ME}), m.clock(),
                                copy.deepcopy(dict(presence._rooms)), numbering)
        return built
    engine.dispose()
    if path:
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        shutil.copyfile(kept.where, path)
    else:
        conftest.restore_postgres(kept.where)
    built, m.operator = copy.deepcopy(kept.people, {id(_ME): m})
    m.clock.set(kept.now)
    helpers._serial = itertools.count(kept.numbering + 1)  # the test's fixture put the original back after it
    presence._rooms.update(copy.deepcopy(kept.rooms))
    return built
