"""Alembic environment: the engine comes from service.migrate (no alembic.ini needed)."""
from alembic import context

from service.orm import metadata, start_mappers

start_mappers()
engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
