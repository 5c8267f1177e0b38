"""Benchmark: linking the ml-papers notes by title alone against the full shared catalog.

Builds (once, cached in --hub) a SQLite hub of the 741k-record 2007–2017 file and the
48k recent ML file, loads the linker's index, strips every URL from each note of
../shared/corpora/ml-papers/papers (so titles must do the work) and links them.
Prints the catalog load time, pages/s on one core, peak memory, the share of notes
whose own paper (the arXiv id of its first line) was recovered as *reviewed*, and the
share with some other paper linked as reviewed (a precision check).

    .venv/bin/python bench/link_titles.py [--hub /tmp/nonmun-bench-catalog]

Aims (issue 3): ≥ 200 pages/s, peak memory ≤ 2 GB, ≥ 95 % recovered.
"""

from __future__ import annotations

import argparse
import re
import resource
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
FILES = ["arxiv-all-2007-2017-no-abstracts.jsonl.xz", "arxiv-recent-ml-2019-2025.jsonl.xz"]
URL = re.compile(r"https?://\S+")
ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hub", type=Path, default=Path("/tmp/nonmun-bench-catalog"))
    args = parser.parse_args()

    from sqlalchemy import func, select

    from nonmun.catalog.importer import import_snapshot
    from nonmun.config import Settings
    from nonmun.db.engine import open_hub
    from nonmun.db.schema import MIN_CONFIDENCE, Paper
    from nonmun.linking.index import CatalogIndex
    from nonmun.linking.linker import Linker

    hub = open_hub(Settings(hub=args.hub), create=True)
    marker = args.hub / "catalog-complete"  # importing a file again re-reads it all
    if not marker.exists():
        for name in FILES:
            import_snapshot(hub, SHARED / "data" / name)
        marker.write_text("\n".join(FILES) + "\n")
    notes = []
    for path in sorted((SHARED / "corpora" / "ml-papers" / "papers").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        own = ARXIV.search(text.split("\n", 1)[0])
        if own:
            notes.append((own.group(1), URL.sub("", text)))
    start = time.perf_counter()
    with hub.session() as session:
        index = CatalogIndex.load(session)
    load = time.perf_counter() - start
    with hub.session(write=False) as session:
        papers = session.scalar(select(func.count()).select_from(Paper)) or 0
    linker = Linker(index)
    start = time.perf_counter()
    recovered = in_catalog = wrong = 0
    known = index.papers_by_arxiv(arxiv for arxiv, _ in notes)
    for arxiv, text in notes:
        pid = known.get(arxiv)
        if pid is None:
            continue
        in_catalog += 1
        links = linker.link(text)
        reviewed = {
            x.paper_id for x in links if x.role == "reviewed" and x.confidence >= MIN_CONFIDENCE
        }
        recovered += pid in reviewed
        wrong += bool(reviewed - {pid})
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"catalog: {papers:,} papers, index loaded in {load:.1f} s")
    print(f"notes with an arXiv id: {len(notes):,}; their paper in the catalog: {in_catalog:,}")
    print(f"linked {in_catalog:,} notes in {elapsed:.2f} s = {in_catalog / elapsed:,.0f} pages/s")
    print(f"recovered from the title alone: {recovered:,} = {recovered / max(in_catalog, 1):.1%}")
    print(
        f"notes with another paper linked as reviewed: {wrong:,} = {wrong / max(in_catalog, 1):.1%}"
    )
    print(f"peak memory {peak:,.0f} MB")


if __name__ == "__main__":
    main()
