"""Engines and sessions, made in one place; the URL is the only switch between databases.

SQLite is opened in WAL mode with foreign keys on; PostgreSQL uses psycopg 3.
``open_hub`` is what every command calls: it connects, checks the schema and
(when asked to) creates or upgrades it with Alembic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from nonmun.config import Settings
from nonmun.errors import DatabaseError, NotFoundError

MIGRATIONS = Path(__file__).parent / "migrations"


def redact(url: str) -> str:
    """The URL with its password hidden, fit for an error message."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    try:
        engine = create_engine(url, json_serializer=_dumps, **kwargs)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(f"bad database URL: {exc}", source=redact(url)) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA wal_autocheckpoint=16384")
    cur.execute("PRAGMA cache_size=-32768")  # 32 MB of pages per connection
    cur.execute("PRAGMA mmap_size=268435456")  # read the first 256 MB through the OS cache
    cur.close()


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at our migrations (and a live connection)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@dataclass
class Hub:
    """An opened hub: its settings, its engine and a session factory."""

    settings: Settings
    engine: Engine

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_hub(settings: Settings, *, create: bool = False) -> Hub:
    """Connect to the hub's database; create or upgrade its schema if ``create``.

    Without ``create``, a database that is missing or not yet at the current
    schema is an error that tells the user what to run.
    """
    url = settings.url
    if settings.is_sqlite and not create and not _sqlite_file(url).exists():
        raise NotFoundError(
            "no hub here; run `nonmun init` (or `nonmun demo`) first", source=str(settings.hub)
        )
    if settings.is_sqlite:
        _sqlite_file(url).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            revision = current_revision(conn)
            if revision != head_revision():
                if not create:
                    raise DatabaseError(
                        "the hub's schema is not current; run `nonmun init` to upgrade it",
                        source=redact(url),
                    )
                command.upgrade(alembic_config(conn), "head")
    except (OperationalError, SADatabaseError) as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot open the database: {reason}", source=redact(url)) from None
    except BaseException:
        engine.dispose()
        raise
    return Hub(settings, engine)


def _sqlite_file(url: str) -> Path:
    return Path(url.split(":///", 1)[1])


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
