"""Alembic environment: runs migrations on the connection nonmun hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from nonmun.db.schema import Base, include_name

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # plain `alembic` command line, e.g. autogenerate
        url = config.get_main_option("sqlalchemy.url") or "sqlite:///nonmun.db"
        with create_engine(url).begin() as conn:
            _migrate(conn)
    else:
        _migrate(connection)


def _migrate(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
