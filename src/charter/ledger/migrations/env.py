"""Alembic environment: migrations run on the connection `charter.ledger.migrate` passes."""

from alembic import context

from charter.ledger.store import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
