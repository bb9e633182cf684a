"""The read side (STYLE.md; cosmicpython `src/allocation/views.py`): every query the routes, the pages,
the socket, the CLI and the demo run, by area. Each is called like a use case, `fn(uow, actor, ...)`,
through the one runner (service/runner.py), checks who may read what (service/access.py) and changes
nothing; the web layer serialises or renders what it returns, inside the same unit of work.
"""
