"""Service layer: persistence (SQLAlchemy), the unit of work and one handler per use case.

HTTP routes, socket events, the CLI and the sweeper all call these handlers.
"""
