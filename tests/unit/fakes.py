"""A unit of work without a database, for the handler unit tests (model: cosmicpython/code
tests/unit/test_handlers.py, FakeUnitOfWork). It holds the rows a handler may load by id or e-mail,
gives each new row an id when flushed, collects the aggregates' events as the real one journals them,
and remembers whether the handler committed: a refused command leaves `committed` False and
`journal` empty."""
from __future__ import annotations

from datetime import datetime, timezone

from auction import calendar as cal


class FakeUnitOfWork:
    def __init__(self, *rows, now: datetime = datetime(2026, 11, 20, 5, 0, tzinfo=timezone.utc), actor=None):
        self.rows: list = []
        self.now, self.actor = now, actor
        self.today = cal.local_date(now)
        self.calendar = cal.WorkingCalendar()
        self.journal: list[tuple[str, str | None, dict]] = []  # (kind, article, payload), as committed
        self.committed = False
        self._recorded: list = []
        self._next_id = 1000
        for row in rows:
            self.add(row)
        self.flush()
        self._recorded = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._recorded = []

    # ---- what service/uow.UnitOfWork offers the handlers ------------------------------------------
    def find(self, cls, ident, *, lock: bool = False):
        return next((r for r in self.rows if isinstance(r, cls) and r.id == ident), None)

    get = find

    def user_by_email(self, email: str):
        return next((r for r in self.rows if hasattr(r, "email") and r.email == email.lower()), None)

    def add(self, obj) -> None:
        self.rows.append(obj)

    def record(self, event) -> None:
        self._recorded.append((event.kind, event.article, dict(event.payload)))

    def flush(self) -> None:
        for row in list(self.rows):
            for obj in (row, *_parts(row)):
                if getattr(obj, "id", None) is None:
                    self._next_id += 1
                    obj.id = self._next_id
                    _column_defaults(obj)
            for ev in getattr(row, "events", None) or []:
                self._recorded.append((ev.kind, ev.article, dict(ev.payload)))
            if getattr(row, "events", None):
                row.events = []

    def commit(self) -> None:
        self.flush()
        self.journal.extend(self._recorded)
        self._recorded = []
        self.committed = True

    def rollback(self) -> None:
        self._recorded = []

    def kinds(self) -> list[str]:
        return [kind for kind, _article, _payload in self.journal]


def _parts(row):
    """The objects a row holds directly or in a list (a lot's valuations, a proceeding's collectors)."""
    for value in vars(row).values():
        for obj in value if isinstance(value, list) else [value]:
            params = getattr(obj, "__dataclass_params__", None)
            if (type(obj).__module__.split(".")[0] in ("auction", "valuation", "service")
                    and not (params and params.frozen)):
                yield obj


def _column_defaults(obj) -> None:
    """What the INSERT would fill in: a declarative row's scalar column defaults (a dispute is "open")."""
    table = getattr(type(obj), "__table__", None)
    for column in table.columns if table is not None else ():
        if column.default is not None and column.default.is_scalar and getattr(obj, column.key, None) is None:
            setattr(obj, column.key, column.default.arg)
