"""Benchmark: search over the full shared catalog and the ml-papers notes, against tantivy.

Builds (once, cached in --hub) a SQLite hub of the 741k-record 2007–2017 file, the
130k cs/stat file (which adds abstracts to its papers), the 48k recent ML file and
the ml-papers notes; then, in one run:

- rebuilds nonmun's search index (``reindex``) and reports its build time and size;
- runs every query of tests/data/search-queries.jsonl (a warm-up round, then three
  timed rounds) through
  ``nonmun.search.query.search`` and reports p50 and p99 latency;
- indexes the same documents (title, body) with tantivy, default settings, one
  writer with its default threads, and runs the same query strings (escaped, over
  both fields), reporting the same figures, and ours as ratios to them.

    .venv/bin/python bench/search.py [--hub /tmp/nonmun-bench-search] [--latency-only]

Aims (issue 4): p50 ≤ 5 ms and p99 ≤ 30 ms on SQLite.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import re
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nonmun.db.engine import Hub

SHARED = Path(__file__).resolve().parents[2] / "shared"
FILES = [
    "arxiv-all-2007-2017-no-abstracts.jsonl.xz",
    "arxiv-cs-stat-2007-2017.jsonl.xz",
    "arxiv-recent-ml-2019-2025.jsonl.xz",
]
QUERIES = Path(__file__).resolve().parents[1] / "tests" / "data" / "search-queries.jsonl"
ROUNDS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hub", type=Path, default=Path("/tmp/nonmun-bench-search"))
    parser.add_argument(
        "--latency-only", action="store_true", help="only time the queries on the built hub"
    )
    args = parser.parse_args()

    from sqlalchemy import select

    from nonmun.config import Settings
    from nonmun.db.engine import open_hub
    from nonmun.db.schema import Paper, Review
    from nonmun.search.index import reindex

    if args.latency_only:
        hub = open_hub(Settings(hub=args.hub))
        ms = latencies(lambda q: run_query(hub, q), queries())
        print(f"nonmun/SQLite p50 {pct(ms, 50):.2f} ms, p99 {pct(ms, 99):.2f} ms")
        return
    hub = full_hub(args.hub)
    start = time.perf_counter()
    with hub.session() as session:
        docs = reindex(session)
    build = time.perf_counter() - start
    size = _index_bytes(hub)
    hub.close()  # as a server started after the build: the WAL checkpointed, a fresh heap
    gc.collect()
    hub = open_hub(Settings(hub=args.hub))
    asked = queries()
    ours = latencies(lambda q: run_query(hub, q), asked)

    with hub.session() as session:
        texts = [(p.title, p.abstract or "") for p in session.scalars(select(Paper))]
        texts += [(r.title, r.body) for r in session.scalars(select(Review))]
    folder = Path(tempfile.mkdtemp(prefix="nonmun-tantivy-"))
    try:
        start = time.perf_counter()
        index = _tantivy_index(folder, texts)
        tantivy_build = time.perf_counter() - start
        tantivy_size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        theirs = latencies(lambda q: _tantivy_search(index, q), asked)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {docs:,} (papers and reviews); queries: {len(asked)} x {ROUNDS} rounds")
    print(f"{'':<14}{'build s':>10}{'size MB':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, b, s, lat in (
        ("nonmun/SQLite", build, size, ours),
        ("tantivy", tantivy_build, tantivy_size, theirs),
    ):
        print(f"{name:<14}{b:>10.1f}{s / 1e6:>10.0f}{pct(lat, 50):>10.2f}{pct(lat, 99):>10.2f}")
    print(
        f"ratios nonmun/tantivy: build {build / tantivy_build:.1f}x, "
        f"p50 {pct(ours, 50) / pct(theirs, 50):.1f}x, p99 {pct(ours, 99) / pct(theirs, 99):.1f}x"
    )
    print(f"peak memory {peak:,.0f} MB")


def full_hub(path: Path) -> Hub:
    """The SQLite hub of the full shared catalog and the ml-papers notes (built once)."""
    from nonmun.catalog.importer import import_snapshot
    from nonmun.config import Settings
    from nonmun.db.engine import open_hub
    from nonmun.ingest.importer import import_paths

    hub = open_hub(Settings(hub=path), create=True)
    for name in FILES:
        import_snapshot(hub, SHARED / "data" / name)  # a no-op after the first run
    import_paths(hub, [SHARED / "corpora" / "ml-papers" / "papers"])
    return hub


def queries() -> list[str]:
    return [json.loads(line)["query"] for line in QUERIES.read_text().splitlines()]


def run_query(hub: Hub, query: str) -> None:
    from nonmun.errors import InputError
    from nonmun.search.query import search

    with hub.session() as session, contextlib.suppress(InputError):
        search(session, query)


def latencies(run: object, texts: list[str]) -> list[float]:
    """Milliseconds of every query, ``ROUNDS`` times over, after one round untimed (a
    long-running process's latency: the Korean analyser loaded, statements compiled)."""
    for query in texts:
        run(query)  # type: ignore[operator]
    times = []
    for _ in range(ROUNDS):
        for query in texts:
            start = time.perf_counter()
            run(query)  # type: ignore[operator]
            times.append((time.perf_counter() - start) * 1000)
    return times


def pct(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100)[pct - 1] if pct < 100 else max(values)


def _index_bytes(hub: object) -> int:
    with hub.engine.connect() as conn:  # type: ignore[attr-defined]
        try:
            rows = conn.exec_driver_sql(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search%'"
            ).scalar()
            return int(rows or 0)
        except Exception:  # dbstat not compiled in: the database file
            return int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0) * 4096


def _tantivy_index(folder: Path, texts: list[tuple[str, str]]) -> object:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=True)
    builder.add_text_field("body")
    index = tantivy.Index(builder.build(), path=str(folder))
    writer = index.writer()
    for title, body in texts:
        writer.add_document(tantivy.Document(title=title, body=body))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


def _tantivy_search(index: object, query: str) -> None:
    words = re.findall(r"\w+", query)
    if not words:
        return
    parsed = index.parse_query(" ".join(words), ["title", "body"])  # type: ignore[attr-defined]
    index.searcher().search(parsed, 10)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
