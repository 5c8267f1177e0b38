"""Two writers at once: they take turns (with a message while one waits), never crash,
and end where a serial run ends; readers never wait."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from helpers import SAMPLE, paper_digest, plain, run_cli
from nonmun.config import Settings
from nonmun.db.engine import Hub, open_hub
from nonmun.db.schema import Mention, Paper, Review, Source

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).parent.parent / "nonmun" / "data" / "demo" / "samples"
PAGES = [str(SAMPLES / "digest-weekly-arxiv.txt"), str(SAMPLES / "blog-listing-duemoo.txt")]


def _second_hub(settings: Settings, tmp_path: Path) -> dict[str, str]:
    """An environment for a second, empty hub on the same backend."""
    env = {"NONMUN_HUB": str(tmp_path / "serial"), "NONMUN_IMPORT_BATCH_SIZE": "50"}
    if settings.database_url:
        from sqlalchemy import create_engine

        base, _, name = settings.database_url.rpartition("/")
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_serial"'))
            conn.execute(text(f'CREATE DATABASE "{name}_serial"'))
        admin.dispose()
        env["NONMUN_DATABASE_URL"] = f"{base}/{name}_serial"
    return env


def _env(base: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    return {**{k: v for k, v in base.items() if not k.startswith("NONMUN_")}, **extra}


def _at_once(env: dict[str, str], *args: str) -> list[subprocess.CompletedProcess[str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "nonmun", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def _state(hub: Hub) -> dict[str, Any]:
    with hub.session(write=False) as session:
        reviews = sorted(
            (r.source.kind, r.source.name, r.external_id, r.title, r.content_hash)
            for r in session.scalars(select(Review))
        )
        rows = session.execute(
            select(
                Review.external_id, Paper.arxiv_id, Paper.title, Mention.role, Mention.confidence
            )
            .join(Mention, Mention.review_id == Review.id)
            .join(Paper, Paper.id == Mention.paper_id)
        )
        mentions = sorted(tuple(plain(v) for v in row) for row in rows)
        sources = sorted((s.kind, s.name) for s in session.scalars(select(Source)))
    return {
        "papers": paper_digest(hub),
        "reviews": reviews,
        "mentions": mentions,
        "sources": sources,
    }


def test_two_imports_at_once_end_as_a_serial_run(
    hub: Hub, hub_env: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    env = {**hub_env, "NONMUN_IMPORT_BATCH_SIZE": "50"}
    for done in _at_once(env, "papers", "import", str(SAMPLE)):
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
    for done in _at_once(env, "import", *PAGES, str(DATA / "ml-papers")):
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr

    serial = _env(hub_env, _second_hub(settings, tmp_path))
    assert run_cli("init", env=serial).returncode == 0
    assert run_cli("papers", "import", str(SAMPLE), env=serial).returncode == 0
    assert run_cli("import", *PAGES, str(DATA / "ml-papers"), env=serial).returncode == 0
    other = open_hub(
        Settings(hub=Path(serial["NONMUN_HUB"]), database_url=serial.get("NONMUN_DATABASE_URL"))
    )
    try:
        expected, got = _state(other), _state(hub)
    finally:
        other.close()
    assert len(got["papers"]) > 600 and len(got["reviews"]) > 30
    assert got == expected


def test_a_writer_waits_its_turn_and_says_so(hub: Hub, hub_env: dict[str, str]) -> None:
    release = threading.Event()

    def hold() -> None:
        with hub.session() as session:  # a long write: the hub's write lock is held
            session.execute(select(Paper.id).limit(1))
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.5)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "nonmun", "import", PAGES[0]],
            env=hub_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # a reader does not wait for the writer
        shown = run_cli("overview", env=hub_env, timeout=20)
        assert shown.returncode == 0, shown.stderr
        time.sleep(4)
        assert proc.poll() is None  # still waiting
    finally:
        release.set()
        holder.join()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "waiting for another nonmun that is writing to this hub" in err
    assert "imported" in out


def test_a_writer_gives_up_after_lock_timeout(hub: Hub, hub_env: dict[str, str]) -> None:
    with hub.session() as session:
        session.execute(select(Paper.id).limit(1))
        done = run_cli("import", PAGES[0], env={**hub_env, "NONMUN_LOCK_TIMEOUT": "1"})
    assert done.returncode == 5 and "Traceback" not in done.stderr
    assert "another nonmun has been writing to this hub for over 1 s" in done.stderr


def test_links_do_not_depend_on_import_order(
    hub: Hub, hub_env: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    """Reviews first and then the catalog end where the catalog and then the reviews do:
    the reviews already in the hub are linked again when papers arrive."""
    catalog = Path(__file__).parents[1] / "nonmun" / "data" / "demo" / "catalog.jsonl"
    pages = [str(p) for p in sorted(SAMPLES.glob("*.txt"))]
    assert run_cli("import", *pages, env=hub_env).returncode == 0
    done = run_cli("papers", "import", str(catalog), env=hub_env)
    assert done.returncode == 0 and "review(s) linked again to the new papers" in done.stderr

    other_env = _env(hub_env, _second_hub(settings, tmp_path))
    assert run_cli("init", env=other_env).returncode == 0
    assert run_cli("papers", "import", str(catalog), env=other_env).returncode == 0
    assert run_cli("import", *pages, env=other_env).returncode == 0
    other = open_hub(
        Settings(
            hub=Path(other_env["NONMUN_HUB"]), database_url=other_env.get("NONMUN_DATABASE_URL")
        )
    )
    try:
        first, second = _state(hub), _state(other)
    finally:
        other.close()
    assert len(first["mentions"]) > 80
    assert first["mentions"] == second["mentions"]
