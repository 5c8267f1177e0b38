"""Importing a catalog file into a hub: batched, idempotent and resumable.

Each batch is parsed in full before anything is written, then stored in one
transaction together with the checkpoint (the last line it covered). A killed
import therefore leaves whole batches behind, and running the same command
again resumes after the last committed batch. A file that changed since is
imported from the start; merging makes that safe.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, select

from nonmun.catalog.merge import CatalogWriter, Row, record_row
from nonmun.catalog.records import PaperRecord
from nonmun.catalog.snapshot import SnapshotReader
from nonmun.db import events
from nonmun.db.bulk import insert_ignore
from nonmun.db.engine import Hub
from nonmun.db.schema import checkpoint_table
from nonmun.errors import InputError

T = TypeVar("T")
MAX_INVALID_EXAMPLES = 5
Item = tuple[int, Row | None, str | None]  # line number, row, what is wrong
Progress = Callable[[int, int], None]


@dataclass
class ImportSummary:
    """What an import did; ``invalid_examples`` holds the first few skipped lines."""

    source: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    invalid_examples: list[str] = field(default_factory=list)
    resumed_at: int = 0
    paper_ids: list[int] = field(default_factory=list)

    def count(self, outcomes: Iterable[tuple[str, int]], keep_ids: bool) -> None:
        for outcome, paper_id in outcomes:
            setattr(self, outcome, getattr(self, outcome) + 1)
            if keep_ids:
                self.paper_ids.append(paper_id)

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged


def store_records(hub: Hub, records: Iterable[PaperRecord], source: str) -> ImportSummary:
    """Store ``records`` in one transaction (for small inputs: BibTeX, the arXiv API)."""
    summary = ImportSummary(source)
    with hub.connection() as conn:
        writer = CatalogWriter(conn)
        for chunk in _chunks(records, hub.settings.import_batch_size):
            summary.count(writer.write(chunk), keep_ids=True)
    return summary


def import_snapshot(
    hub: Hub,
    path: Path,
    *,
    skip_invalid: bool = False,
    restart: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import an arXiv snapshot file (JSON lines, plain/.gz/.xz) into ``hub``."""
    summary = ImportSummary(str(path))
    key = _fingerprint(path)
    start = 0 if restart else _resume_line(hub, key)
    summary.resumed_at = start
    reader = SnapshotReader(path, start)
    batches = _parsed(reader, hub.settings.import_batch_size)
    with gc_relaxed():
        for batch, position in batches:
            rows = _valid_rows(batch, summary, skip_invalid)
            with hub.connection() as conn:
                if rows:
                    summary.count(CatalogWriter(conn).write_rows(rows), keep_ids=False)
                _save_checkpoint(conn, key, path, batch[-1][0], finished=False)
            if progress:
                progress(position, reader.size)
    with hub.connection() as conn:
        _save_checkpoint(conn, key, path, 0, finished=True)
        events.catalog_loaded(conn)
    return summary


def _parsed(reader: SnapshotReader, size: int) -> Iterator[tuple[list[Item], int]]:
    """Batches of (line, row or None, error), and how far into the file they reach.

    (Parsing in a helper thread while SQLite stores the previous batch was tried
    and was slower: sqlite3 gives up the GIL at every row, and winning it back
    from a busy parsing thread costs more than the overlap saves.)
    """
    for batch in _chunks(reader, size):
        items = [(p.line, record_row(p.record) if p.record else None, p.error) for p in batch]
        yield items, reader.position()


def _valid_rows(batch: list[Item], summary: ImportSummary, skip: bool) -> list[Row]:
    rows = []
    for line, row, error in batch:
        if row is not None:
            rows.append(row)
            continue
        if not skip:
            raise InputError(
                f"{error} (nothing from this batch was stored; fix the line or use "
                "--skip-invalid, then run the same command to resume)",
                source=summary.source,
                line=line,
            )
        summary.invalid += 1
        if len(summary.invalid_examples) < MAX_INVALID_EXAMPLES:
            summary.invalid_examples.append(f"line {line}: {error}")
    return rows


@contextmanager
def gc_relaxed(young: int = 200_000) -> Iterator[None]:
    """Collect garbage less often: a batch makes many objects and few cycles.

    With the default thresholds, collections triggered by allocation alone cost
    about a tenth of an import; the few cycles a batch leaves (SQL statement
    trees) are still collected, so memory stays flat.
    """
    saved = gc.get_threshold()
    gc.set_threshold(young, saved[1], saved[2])
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _fingerprint(path: Path) -> str:
    """Identifies one version of one file: its absolute path, size and modification time."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    ident = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    return hashlib.sha256(ident.encode()).hexdigest()[:64]


def _resume_line(hub: Hub, key: str) -> int:
    table = checkpoint_table
    with hub.connection(write=False) as conn:
        row = conn.execute(select(table.c.line, table.c.finished).where(table.c.key == key)).first()
    return 0 if row is None or row.finished else int(row.line)


def _save_checkpoint(conn: Connection, key: str, path: Path, line: int, finished: bool) -> None:
    table = checkpoint_table
    values = {"line": line, "finished": finished}
    if conn.execute(table.update().where(table.c.key == key).values(**values)).rowcount == 0:
        insert_ignore(conn, table, [{"key": key, "path": str(path), **values}])
