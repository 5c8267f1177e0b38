"""The store: migrations match the models, both databases, hubs that are missing or broken."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from helpers import run_cli
from nonmun.config import Settings, load_settings
from nonmun.db.engine import Hub, open_hub, table_names
from nonmun.db.schema import Base, include_name
from nonmun.errors import DatabaseError, InputError, NotFoundError


def test_migrations_create_exactly_the_models(hub: Hub) -> None:
    with hub.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    assert {"paper", "review", "mention", "digest", "person", "source"} <= set(
        table_names(hub.engine)
    )


def test_the_head_revision_is_alembics(hub: Hub) -> None:
    """Opening a hub reads the revisions without Alembic; they must be Alembic's."""
    from alembic.script import ScriptDirectory

    from nonmun.db.engine import alembic_config, current_revision, head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    with hub.engine.connect() as conn:
        assert current_revision(conn) == MigrationContext.configure(conn).get_current_revision()
        assert current_revision(conn) == head_revision()


def test_init_twice_is_harmless(settings: Settings) -> None:
    open_hub(settings, create=True).close()
    open_hub(settings, create=True).close()


def test_sqlite_is_wal_with_foreign_keys(tmp_path: Path) -> None:
    hub = open_hub(Settings(hub=tmp_path), create=True)
    with hub.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    hub.close()
    assert (tmp_path / "nonmun.db").exists()


def test_reading_a_missing_hub_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="run `nonmun init`"):
        open_hub(Settings(hub=tmp_path / "nowhere"))


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:9/none"
    with pytest.raises(DatabaseError) as info:
        open_hub(Settings(hub=tmp_path, database_url=url), create=True)
    assert "secret" not in str(info.value) and "***" in str(info.value)
    done = run_cli("--database-url", url, "papers", "list", env={"PATH": "/usr/bin"})
    assert done.returncode == 5
    assert done.stderr.startswith("error: postgresql+psycopg://nobody:***@127.0.0.1:9/none: cannot")
    assert len(done.stderr.strip().splitlines()) == 1


def test_bad_database_url(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="bad database URL"):
        open_hub(Settings(hub=tmp_path, database_url="nosuchdb://x"), create=True)


def test_settings_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "nonmun.toml").write_text("arxiv_delay = 5\nimport_batch_size = 10\n")
    assert load_settings(tmp_path).arxiv_delay == 5.0
    monkeypatch.setenv("NONMUN_ARXIV_DELAY", "7")
    assert load_settings(tmp_path).arxiv_delay == 7.0
    assert load_settings(tmp_path, arxiv_delay=9.0).arxiv_delay == 9.0
    assert load_settings(tmp_path).import_batch_size == 10
    (tmp_path / "nonmun.toml").write_text("arxiv_dlay = 5\n")
    with pytest.raises(InputError, match="unknown setting"):
        load_settings(tmp_path)
    (tmp_path / "nonmun.toml").write_text("arxiv_delay = [\n")
    with pytest.raises(InputError, match="cannot read settings"):
        load_settings(tmp_path)
