"""The demo hub: the four sample pages and a small catalog that covers their papers.

Built in a temporary directory next to the target and swapped in at the end,
so an interrupted build never leaves half a hub behind.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path

from nonmun.catalog.importer import import_snapshot
from nonmun.config import Settings
from nonmun.db.engine import open_hub
from nonmun.ingest.records import ReviewRecord, SourceRef
from nonmun.ingest.store import store_reviews

DEMO = resources.files("nonmun") / "data" / "demo"

# The sample pages, saved as text: where each came from, a title for it, and its date.
SAMPLES = {
    "blog-listing-duemoo.txt": (
        SourceRef("duemoo's paper reviews", "jekyll"),
        "Paper reviews (list page)",
        None,
    ),
    "blog-category-tistory.txt": (
        SourceRef("머신러닝&딥러닝 논문리뷰 (Tistory)", "tistory"),
        "머신러닝&딥러닝/논문리뷰 (category page)",
        None,
    ),
    "newsletter-weekly-ai-trend.txt": (
        SourceRef("GDSC Sookmyung Weekly AI Trend", "newsletter"),
        "[4월 4주차] GDSC Sookmyung Weekly AI Trend",
        date(2023, 4, 26),
    ),
    "digest-weekly-arxiv.txt": (
        SourceRef("Weekly arXiv digest", "digest"),
        "이번 주 분량 (weekly arXiv digest)",
        None,
    ),
}


def build_demo(target: Path, settings: Settings) -> Path:
    """Create (or replace) the demo hub in ``target``; return its directory."""
    target = target.resolve()
    building = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    try:
        hub = open_hub(replace(settings, hub=building, database_url=None), create=True)
        try:
            with resources.as_file(DEMO / "catalog.jsonl") as catalog:
                import_snapshot(hub, catalog, restart=True)
            with hub.session() as session:
                store_reviews(session, sample_reviews())
        finally:
            hub.close()
        _swap(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def sample_reviews() -> list[ReviewRecord]:
    """Each sample page as one review (the page parsers split them further)."""
    records = []
    for name, (source, title, published) in SAMPLES.items():
        text = (DEMO / "samples" / name).read_text(encoding="utf-8")
        records.append(ReviewRecord(source, f"sample:{name}", title, text, published=published))
    return records


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
