"""Benchmark: search latency with a 3M-paper catalog, against the 789k-paper hub.

Issue 4 asks that latency at 3M papers stay within 2x of the full shared catalog's.
The 3M catalog is the shared records four times over: a copy of the hub that
bench/search.py builds, plus the three snapshot files imported three more times with
every arXiv id replaced by a new one (years 2030-2035) and DOIs dropped, so that no
copy merges into another. Titles, authors, abstracts and dates are unchanged, so
every query matches about four times as many documents. The FTS index is merged
(``optimize``) once after the copies are imported, as ``reindex`` does.

Both hubs answer the query set of tests/data/search-queries.jsonl three times (after
an untimed warm-up round) in the same run; the figures and their ratio are printed.

    .venv/bin/python bench/search_scale.py   # first run builds /tmp/nonmun-bench-search-3m
"""

from __future__ import annotations

import argparse
import datetime as dt
import lzma
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
from search import FILES, SHARED, full_hub, latencies, pct, queries, run_query

COPIES = 3
PER_MONTH = 90_000  # five-digit ids 10000-99999


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=Path, default=Path("/tmp/nonmun-bench-search"))
    parser.add_argument("--hub", type=Path, default=Path("/tmp/nonmun-bench-search-3m"))
    args = parser.parse_args()

    from sqlalchemy import func, select

    from nonmun.config import Settings
    from nonmun.db.engine import open_hub
    from nonmun.db.schema import Paper

    base = full_hub(args.base)
    if not (args.hub / "built").exists():
        with base.engine.connect() as conn:  # the copy must hold what the WAL holds
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        _build(args.base, args.hub)
    big = open_hub(Settings(hub=args.hub))
    sizes = []
    for hub in (base, big):
        with hub.session() as session:
            sizes.append(session.scalar(select(func.count()).select_from(Paper)) or 0)
    asked = queries()
    small_ms = latencies(lambda q: run_query(base, q), asked)
    big_ms = latencies(lambda q: run_query(big, q), asked)
    print(f"queries: {len(asked)} x 3 rounds on each hub")
    print(f"{'papers':>12}{'p50 ms':>10}{'p99 ms':>10}")
    for papers, ms in zip(sizes, (small_ms, big_ms), strict=True):
        print(f"{papers:>12,}{pct(ms, 50):>10.2f}{pct(ms, 99):>10.2f}")
    print(
        f"ratio {sizes[1] / sizes[0]:.1f}x papers: "
        f"p50 {pct(big_ms, 50) / pct(small_ms, 50):.2f}x, "
        f"p99 {pct(big_ms, 99) / pct(small_ms, 99):.2f}x (aim: within 2x)"
    )


def _build(base: Path, target: Path) -> None:
    """Copy the base hub, import the shared files ``COPIES`` more times, merge the index."""
    from nonmun.catalog.importer import import_snapshot
    from nonmun.config import Settings
    from nonmun.db.engine import open_hub

    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copy(base / "nonmun.db", target / "nonmun.db")
    hub = open_hub(Settings(hub=target))
    for copy in range(1, COPIES + 1):
        start = time.perf_counter()
        new_ids: dict[str, str] = {}
        for name in FILES:
            path = target / f"copy{copy}-{name.removesuffix('.xz')}"
            with path.open("wb") as out:
                for line in _renamed(SHARED / "data" / name, copy, new_ids):
                    out.write(line)
            import_snapshot(hub, path)
            path.unlink()
        print(f"copy {copy}: {len(new_ids):,} papers in {time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    with hub.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    print(f"index merged in {time.perf_counter() - start:.0f} s")
    (target / "built").touch()


def _renamed(path: Path, copy: int, new_ids: dict[str, str]) -> Iterator[bytes]:
    """The file's records under new arXiv ids (the same new id for the same old one)."""
    with lzma.open(path) as lines:
        for raw in lines:
            record = orjson.loads(raw)
            old = record["id"]
            if old not in new_ids:
                n = len(new_ids)
                month = n // PER_MONTH
                yymm = f"{28 + 2 * copy + month // 12:02d}{month % 12 + 1:02d}"
                new_ids[old] = f"{yymm}.{10000 + n % PER_MONTH}"
            record["id"], record["doi"] = new_ids[old], None
            if not record.get("versions"):  # keep the year, which would follow the new id
                day = dt.date(_year(old), 1, 1).strftime("%a, %d %b %Y 00:00:00 GMT")
                record["versions"] = [{"version": "v1", "created": day}]
            yield orjson.dumps(record) + b"\n"


def _year(arxiv_id: str) -> int:
    return 2000 + int(arxiv_id[:2]) if arxiv_id[:4].isdigit() else 2007


if __name__ == "__main__":
    main()
