"""The demo hub: the four sample pages and a small catalog that covers their papers.

Built in a temporary folder next to the target and moved in at the end, so an
interrupted build never leaves half a hub behind. Only the hub's own files
(``nonmun.db`` and its journal, and the demo's mark) are ever replaced: a
folder holding anything else is refused, and a hub that is not an untouched demo
hub is replaced only when asked with ``force``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select

from nonmun import files
from nonmun.catalog.importer import import_snapshot
from nonmun.config import CONFIG_FILE, DB_FILE, Settings
from nonmun.db.engine import open_hub
from nonmun.db.schema import Paper, Review
from nonmun.errors import InputError
from nonmun.ingest.pages import PageImport, parse_page
from nonmun.ingest.records import SourceRef
from nonmun.ingest.store import store_page
from nonmun.linking.index import CatalogIndex
from nonmun.linking.linker import Linker

DEMO = resources.files("nonmun") / "data" / "demo"
MARK = ".nonmun-demo.json"  # what the demo built: replaced freely while the hub still holds that
HUB_FILES = (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", MARK)

# The sample pages, saved as text, and the source each came from.
SAMPLES = {
    "blog-listing-duemoo.txt": SourceRef("duemoo's paper reviews", "blog"),
    "blog-category-tistory.txt": SourceRef("머신러닝&딥러닝 논문리뷰 (Tistory)", "blog"),
    "newsletter-weekly-ai-trend.txt": SourceRef("GDSC Sookmyung Weekly AI Trend", "newsletter"),
    "digest-weekly-arxiv.txt": SourceRef("Weekly arXiv digest", "digest"),
}


def build_demo(target: Path, settings: Settings, *, force: bool = False) -> str | None:
    """Create the demo hub in ``target``; return what it replaced (``None``: nothing)."""
    replaced = check_target(target, force)
    with files.replacing(target, HUB_FILES) as building:
        hub = open_hub(replace(settings, hub=building, database_url=None), create=True)
        try:
            with resources.as_file(DEMO / "catalog.jsonl") as catalog:
                import_snapshot(hub, catalog, restart=True)
            with hub.session() as session:
                linker = Linker(CatalogIndex.load(session))
                for page in sample_pages():
                    store_page(session, page, linker)
                counts = {
                    "papers": session.scalar(select(func.count()).select_from(Paper)),
                    "reviews": session.scalar(select(func.count()).select_from(Review)),
                }
        finally:
            hub.close()
        (building / MARK).write_text(json.dumps(counts) + "\n")
    return replaced


def check_target(target: Path, force: bool) -> str | None:
    """Refuse a folder the demo may not write into; describe a hub it may replace."""
    if target.exists() and not target.is_dir():
        raise InputError("not a folder", source=str(target))
    others = (
        sorted(p.name for p in target.glob("*") if p.name not in (*HUB_FILES, CONFIG_FILE))
        if target.is_dir()
        else []
    )
    if others:
        raise InputError(
            f"not empty ({', '.join(others[:3])}{'…' if len(others) > 3 else ''}) and not a "
            "hub; the demo is built only in a new or empty folder",
            source=str(target),
        )
    if not (target / DB_FILE).exists():
        return None
    counts = _counts(target / DB_FILE)
    if counts is not None and _mark(target) == counts:
        return None  # an untouched demo hub: built again freely
    what = (
        f"a hub with {counts['papers']} papers and {counts['reviews']} reviews"
        if counts is not None
        else "a database nonmun cannot read"
    )
    if not force:
        raise InputError(
            f"holds {what}; `nonmun demo --force {target}` replaces its database",
            source=str(target),
        )
    return what


def _counts(db: Path) -> dict[str, int] | None:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return {
                table + "s": conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("paper", "review")
            }
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _mark(target: Path) -> dict[str, int] | None:
    try:
        data = json.loads((target / MARK).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def sample_pages() -> list[PageImport]:
    """The sample pages, parsed by shape."""
    return [
        parse_page((DEMO / "samples" / name).read_text(encoding="utf-8"), source)
        for name, source in SAMPLES.items()
    ]
