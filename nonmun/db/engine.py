"""Engines and sessions, made in one place; the URL is the only switch between databases.

SQLite is opened in WAL mode with foreign keys on; PostgreSQL uses psycopg 3.
``open_hub`` is what every command calls: it connects, checks the schema and
(when asked to) creates or upgrades it with Alembic.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

from nonmun.config import Settings, redact
from nonmun.errors import DatabaseError, NonmunError, NotFoundError
from nonmun.files import DiskFullError

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 10_000  # a statement outside the write lock waits this long for the file


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
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA wal_autocheckpoint=16384")
    cur.execute("PRAGMA cache_size=-32768")  # 32 MB of pages per connection
    cur.execute("PRAGMA mmap_size=268435456")  # read the first 256 MB through the OS cache
    cur.close()


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at our migrations (and a live connection)."""
    from alembic.config import Config  # Alembic only to upgrade: opening a hub needs none

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration's revision: migrations are ``NNNN_what.py`` of revision NNNN,
    one after the other (a test holds Alembic to it)."""
    return max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def current_revision(conn: Connection) -> str | None:
    """The hub's schema revision (None: no schema yet), read as Alembic writes it."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    found = conn.scalar(text("SELECT version_num FROM alembic_version"))
    return str(found) if found is not None else None


WAIT_MESSAGE = "waiting for another nonmun that is writing to this hub…"
_LOCK_KEY = 0x6E6F6E6D756E  # "nonmun": the PostgreSQL advisory lock of the hub's writers


@dataclass
class Hub:
    """An opened hub: its settings, its engine and a session factory.

    Writers take turns: a writing transaction first takes the hub's write lock
    (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), waiting as long as
    ``lock_timeout`` and saying so through ``on_wait``; readers never wait.
    """

    settings: Settings
    engine: Engine
    on_wait: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        self._writer = self.engine.execution_options(nonmun_write=True)
        self._sessions = sessionmaker(self._writer, expire_on_commit=False)
        self._readers = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.engine, "begin", self._begin)

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with translated(), (self._sessions if write else self._readers).begin() as session:
            yield session

    @contextmanager
    def connection(self, *, write: bool = True) -> Iterator[Connection]:
        """A connection in one transaction (for Core statements in bulk)."""
        with translated(), (self._writer if write else self.engine).begin() as conn:
            yield conn

    def _begin(self, conn: Connection) -> None:
        if conn.get_execution_options().get("nonmun_write"):
            take_write_lock(conn, self.settings.lock_timeout, self.on_wait)

    def close(self) -> None:
        """Release the database (closing twice is harmless)."""
        if event.contains(self.engine, "begin", self._begin):
            event.remove(self.engine, "begin", self._begin)
        self.engine.dispose()


def take_write_lock(
    conn: Connection, timeout: float, on_wait: Callable[[str], None] | None = None
) -> None:
    """Wait (up to ``timeout`` seconds) until no other writer holds the hub; then hold it."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    sqlite = conn.dialect.name == "sqlite"
    deadline, told = time.monotonic() + timeout, False
    while True:
        if _try_lock(raw, sqlite):
            return
        if time.monotonic() > deadline:
            raise DatabaseError(
                f"another nonmun has been writing to this hub for over {timeout:.0f} s; "
                "try again when it is done (or raise lock_timeout)"
            )
        if not told and on_wait is not None:
            on_wait(WAIT_MESSAGE)
            told = True
        time.sleep(0.2)


def _try_lock(raw: Any, sqlite: bool) -> bool:
    cursor = raw.cursor()
    try:
        if sqlite:
            cursor.execute("PRAGMA busy_timeout=250")  # short tries, so the wait can be told
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    return False
                raise
            finally:
                cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            return True
        cursor.execute(f"SELECT pg_try_advisory_xact_lock({_LOCK_KEY})")
        return bool(cursor.fetchone()[0])
    finally:
        cursor.close()


@contextmanager
def translated() -> Iterator[None]:
    """Database failures a user can meet (a full disk, a lock held too long) as one line."""
    try:
        yield
    except (OperationalError, SADatabaseError) as exc:
        mapped = _database_error(exc)
        if mapped is exc:
            raise
        raise mapped from None


def _database_error(exc: SADatabaseError) -> NonmunError | SADatabaseError:
    """The user's version of ``exc``; anything else (a bug) stays as it is."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    code = getattr(exc.orig, "sqlstate", None)
    if "disk is full" in reason or code == "53100" or "No space left" in reason:
        return DiskFullError(
            "disk full while writing the hub's database; the last transaction was rolled back "
            "(free some space, then run the same command again)"
        )
    if "locked" in reason:
        return DatabaseError(f"the hub is busy: {reason}; try again when the other writer is done")
    if "readonly" in reason or "read-only" in reason:
        return DatabaseError(f"the hub cannot be written: {reason}")
    if "disk I/O error" in reason or "unable to open" in reason:
        return DatabaseError(f"cannot use the hub's database: {reason}{_advice(reason)}")
    return exc


def open_hub(
    settings: Settings,
    *,
    create: bool = False,
    upgrade: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> Hub:
    """Connect to the hub's database; create it if ``create``, upgrade its schema if asked.

    A hub that is missing is an error unless ``create``; one at an older schema
    unless ``create`` or ``upgrade``; one written by a newer nonmun always is.
    """
    url = settings.url
    if settings.is_sqlite and not create and not _sqlite_file(url).exists():
        raise NotFoundError(
            "no hub here; run `nonmun init` (or `nonmun demo`) first", source=str(settings.hub)
        )
    if settings.is_sqlite:
        _sqlite_file(url).parent.mkdir(parents=True, exist_ok=True)
        if not (create or upgrade) and not os.access(_sqlite_file(url).parent, os.W_OK):
            url = _read_only(url)  # a hub on a read-only disk can still be read
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            revision = current_revision(conn)
            if revision != head_revision():
                _check_revision(revision, create, upgrade, settings)
                take_write_lock(conn, settings.lock_timeout, on_wait)  # one upgrade at a time
                if current_revision(conn) != head_revision():
                    from alembic import command

                    command.upgrade(alembic_config(conn), "head")
    except (OperationalError, SADatabaseError) as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(
            f"cannot open the database: {reason}{_advice(reason)}", source=redact(url)
        ) from None
    except BaseException:
        engine.dispose()
        raise
    return Hub(settings, engine, on_wait)


def _advice(reason: str) -> str:
    """What to do about a database error a user can fix."""
    if "disk I/O error" in reason:
        return " (is the disk full, or was it during the last write? free some space and try again)"
    if "unable to open" in reason:
        return " (does the hub's folder exist, and may nonmun write in it?)"
    return ""


def _check_revision(revision: str | None, create: bool, upgrade: bool, settings: Settings) -> None:
    """A hub from a newer nonmun is never touched; an older one is upgraded only on request."""
    url = redact(settings.url)
    from alembic.script import ScriptDirectory

    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision is not None and revision not in known:
        raise DatabaseError(
            f"this hub was written by a newer nonmun (schema {revision}); upgrade nonmun "
            "(pip install --upgrade nonmun) to open it",
            source=url,
        )
    if revision is None and not create:
        where = str(settings.hub) if settings.is_sqlite else url
        raise NotFoundError("no hub here; run `nonmun init` (or `nonmun demo`) first", source=where)
    if not (create or upgrade):
        raise DatabaseError(
            "the hub's schema is not current; run `nonmun init` to upgrade it", source=url
        )


def _sqlite_file(url: str) -> Path:
    return Path(url.split(":///", 1)[1].removeprefix("file:").split("?", 1)[0])


def _read_only(url: str) -> str:
    """The URL of the same SQLite file opened read-only and immutable: without a
    writable folder SQLite cannot make the journal files that WAL needs to read."""
    return f"sqlite:///file:{_sqlite_file(url)}?mode=ro&immutable=1&uri=true"


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
