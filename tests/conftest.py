"""Shared fixtures: a real database per test (SQLite always, PostgreSQL when given a URL).

Set ``NONMUN_TEST_POSTGRES_URL`` to a server URL (``.ci/run`` starts one) and
every test that takes ``hub`` or ``db_url`` runs on both databases; each
PostgreSQL test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nonmun.config import Settings
from nonmun.db.engine import Hub, open_hub

TESTS = Path(__file__).parent
DATA = TESTS / "data"
FIXTURES = TESTS / "fixtures"
POSTGRES = os.environ.get("NONMUN_TEST_POSTGRES_URL")

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if POSTGRES:
        return
    skip = pytest.mark.skip(reason="set NONMUN_TEST_POSTGRES_URL to run on PostgreSQL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("NONMUN_") and name != "NONMUN_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nonmun.db'}"
        return
    assert POSTGRES
    name = f"nonmun_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = POSTGRES.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    url = None if db_url.startswith("sqlite") else db_url
    return Settings(hub=tmp_path, database_url=url, arxiv_delay=0.0, import_batch_size=100)


@pytest.fixture
def hub(settings: Settings) -> Iterator[Hub]:
    opened = open_hub(settings, create=True)
    yield opened
    opened.close()


@pytest.fixture
def hub_env(settings: Settings) -> dict[str, str]:
    """Environment variables that point a ``nonmun`` subprocess at the test's hub."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NONMUN_")}
    env["NONMUN_HUB"] = str(settings.hub)
    env["NONMUN_IMPORT_BATCH_SIZE"] = str(settings.import_batch_size)
    if settings.database_url:
        env["NONMUN_DATABASE_URL"] = settings.database_url
    return env


DEMO_CATALOG = TESTS.parent / "nonmun" / "data" / "demo" / "catalog.jsonl"


@pytest.fixture
def demo(hub: Hub) -> Hub:
    """The demo hub's content: its 91-paper catalog and the four sample pages."""
    from nonmun.catalog.importer import import_snapshot
    from nonmun.demo import sample_pages
    from nonmun.ingest.store import store_page

    import_snapshot(hub, DEMO_CATALOG)
    with hub.session() as session:
        for page in sample_pages():
            store_page(session, page)
    return hub
