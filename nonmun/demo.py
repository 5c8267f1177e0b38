"""The demo hub: the four sample pages and a small catalog that covers their papers.

Built in a temporary directory next to the target and swapped in at the end,
so an interrupted build never leaves half a hub behind.
"""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path

from nonmun import files
from nonmun.catalog.importer import import_snapshot
from nonmun.config import Settings
from nonmun.db.engine import open_hub
from nonmun.ingest.pages import PageImport, parse_page
from nonmun.ingest.records import SourceRef
from nonmun.ingest.store import store_page
from nonmun.linking.index import CatalogIndex
from nonmun.linking.linker import Linker

DEMO = resources.files("nonmun") / "data" / "demo"

# The sample pages, saved as text, and the source each came from.
SAMPLES = {
    "blog-listing-duemoo.txt": SourceRef("duemoo's paper reviews", "blog"),
    "blog-category-tistory.txt": SourceRef("머신러닝&딥러닝 논문리뷰 (Tistory)", "blog"),
    "newsletter-weekly-ai-trend.txt": SourceRef("GDSC Sookmyung Weekly AI Trend", "newsletter"),
    "digest-weekly-arxiv.txt": SourceRef("Weekly arXiv digest", "digest"),
}


def build_demo(target: Path, settings: Settings) -> Path:
    """Create (or replace) the demo hub in ``target``; return its directory."""
    with files.building_dir(target) as building:
        hub = open_hub(replace(settings, hub=building, database_url=None), create=True)
        try:
            with resources.as_file(DEMO / "catalog.jsonl") as catalog:
                import_snapshot(hub, catalog, restart=True)
            with hub.session() as session:
                linker = Linker(CatalogIndex.load(session))
                for page in sample_pages():
                    store_page(session, page, linker)
        finally:
            hub.close()
    return target.resolve()


def sample_pages() -> list[PageImport]:
    """The sample pages, parsed by shape."""
    return [
        parse_page((DEMO / "samples" / name).read_text(encoding="utf-8"), source)
        for name, source in SAMPLES.items()
    ]
