"""The catalog's titles as the linker matches them, kept in the hub.

Three tables (migration 0008): ``linker_title`` holds every title's folded words
(and the part before its colon), found by a hash of its first three words;
``linker_name`` the coined names before titles' colons ("BERT: …"), which are
nicknames; ``linker_word`` how many titles each word is in. A linker index
(``index.py``) starts by reading only the distinct hashes and the names, and asks
for the few titles a text may name when it reads the text: a command starts in
about a second on an 800k-paper catalog instead of tokenising every title.

The tables listen to the catalog's writers (``nonmun.db.events``) and change in
their transaction, so they are never behind; ``rebuild`` makes them again from the
papers (``nonmun reindex``, and a migration whenever ``title_words`` changes).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, select

from nonmun.catalog.records import is_placeholder_title
from nonmun.db import events
from nonmun.db.bulk import bulk_insert, in_list, list_param, select_in
from nonmun.db.schema import (
    linker_name_table,
    linker_title_table,
    linker_word_table,
    paper_table,
)
from nonmun.linking.tokens import norms

KEY_WORDS = 3  # titles are found by their first three words
GENERATION = ""  # linker_word's row that counts the tables' changes (no word is empty)
BATCH = 5000
_TITLE_COLUMNS = ["paper_id", "hash", "words", "whole"]


@dataclass(frozen=True, slots=True)
class TitleEntry:
    """A title's folded words, or only the part before its colon (``whole`` false):
    "An Image is Worth 16x16 Words" stands for the ViT paper in many reviews."""

    words: str
    size: int
    paper_id: int
    whole: bool


@dataclass(frozen=True, slots=True)
class TitleRows:
    """What one paper adds to the tables: its title entries, its coined name, its words."""

    entries: tuple[TitleEntry, ...]
    name: str | None
    words: frozenset[str]


def title_words(title: str) -> list[str]:
    """A title's folded words (none for a placeholder such as "[Withdrawn]")."""
    return [] if is_placeholder_title(title) else norms(title)


def key_of(words: Sequence[str]) -> str:
    """The words a title is found by: its first three (all of a shorter one)."""
    return " ".join(words[:KEY_WORDS])


def key_hash(key: str) -> int:
    """A key's hash as a signed 32-bit integer (a column both databases hold)."""
    return zlib.crc32(key.encode()) - 2**31


def title_rows(pid: int, title: str) -> TitleRows:
    """The entries of paper ``pid``: its whole title; the part before its colon when that
    is a title of three words or more itself, else a coined name before the colon."""
    words = title_words(title)
    entries = [TitleEntry(" ".join(words), len(words), pid, True)] if words else []
    name = None
    if len(words) >= KEY_WORDS and ":" in title:
        before = title.split(":", 1)[0].strip()
        head = norms(before)
        if KEY_WORDS <= len(head) < len(words):
            entries.append(TitleEntry(" ".join(head), len(head), pid, False))
        elif head and coined(before):
            name = before
    return TitleRows(tuple(entries), name, frozenset(words))


def coined(head: str) -> bool:
    """A made-up name: inner capitals (DeiT, StyleGAN), capitals (BERT) or digits (T5)."""
    words = head.split()
    if not 1 <= len(words) <= 3 or len(head) > 25 or sum(c.isalpha() for c in head) < 3:
        return False  # "T1", "II": too short to own
    return bool(re.search(r"[a-z][A-Z]|[A-Z]{2}|[A-Za-z]\d|\d[A-Za-z]", head))


# --- reading ---------------------------------------------------------------------------


def stored_hashes(conn: Connection) -> set[int]:
    """Every key hash of the catalog's titles."""
    return set(conn.scalars(select(linker_title_table.c.hash).distinct()))


def stored_names(conn: Connection) -> list[tuple[int, str]]:
    """Every coined name before a title's colon, with its paper."""
    t = linker_name_table.c
    return [(pid, name) for pid, name in conn.execute(select(t.paper_id, t.name).order_by(t.id))]


def entries_by_key(conn: Connection, keys: Iterable[str]) -> dict[str, list[TitleEntry]]:
    """The title entries found by each of ``keys`` (keys without any are left out)."""
    wanted = {key_hash(k): k for k in keys}
    found: dict[str, list[TitleEntry]] = defaultdict(list)
    if not wanted:
        return found
    sql = "SELECT paper_id, words, whole FROM linker_title WHERE hash IN_VALUES ORDER BY id"
    keys = set(wanted.values())
    for pid, words, whole in select_in(conn, sql, list(wanted)):
        split = words.split(" ")
        key = key_of(split)
        if key in keys:
            found[key].append(TitleEntry(words, len(split), pid, bool(whole)))
    return found


def generation(conn: Connection) -> int:
    """How many times the tables have changed: a long-lived index is behind the catalog
    when the count moved since it was loaded."""
    t = linker_word_table.c
    return int(conn.scalar(select(t.titles).where(t.word == GENERATION)) or 0)


def word_counts(conn: Connection, words: Iterable[str]) -> dict[str, int]:
    """In how many titles each of ``words`` is (words in none are left out)."""
    sql = "SELECT word, titles FROM linker_word WHERE word IN_VALUES"
    return {word: titles for word, titles in select_in(conn, sql, sorted(set(words)))}


# --- keeping them current --------------------------------------------------------------


@events.papers_written.connect
def papers_written(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Papers stored or merged: the entries of those whose title changed are replaced."""
    titles = {row["id"]: row["title"] for row in rows}
    for chunk in _chunks(list(titles)):
        old = _stored_words(conn, chunk)
        new = {pid: title_rows(pid, titles[pid]) for pid in chunk}
        changed = [pid for pid in chunk if old.get(pid, frozenset()) != new[pid].words]
        if changed:
            _forget(conn, changed)
            _store(conn, [new[pid] for pid in changed])
            _count(conn, [new[pid].words for pid in changed], [old[p] for p in changed if p in old])


@events.papers_deleted.connect
def papers_deleted(conn: Connection, ids: Sequence[int]) -> None:
    """Papers deleted (merged into another): their entries and word counts go."""
    for chunk in _chunks(list(ids)):
        old = _stored_words(conn, chunk)
        _forget(conn, chunk)
        _count(conn, [], list(old.values()))


def rebuild(conn: Connection) -> int:
    """Make the tables again from every paper; returns how many papers were read."""
    counts: Counter[str] = Counter({GENERATION: generation(conn) + 1})
    for table in (linker_title_table, linker_name_table, linker_word_table):
        conn.execute(delete(table))
    papers = 0
    query = select(paper_table.c.id, paper_table.c.title).order_by(paper_table.c.id)
    for batch in conn.execute(query.execution_options(yield_per=BATCH)).partitions():
        made = [title_rows(pid, title) for pid, title in batch]
        _store(conn, made)
        for rows in made:
            counts.update(rows.words)
        papers += len(batch)
    bulk_insert(
        conn,
        linker_word_table,
        ["word", "titles"],
        [{"word": w, "titles": n} for w, n in sorted(counts.items())],
    )
    return papers


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _stored_words(conn: Connection, ids: list[int]) -> dict[int, frozenset[str]]:
    """The words of the stored whole titles of papers ``ids``."""
    t = linker_title_table.c
    wanted = in_list(conn, t.paper_id, item=t.paper_id.type)
    query = select(t.paper_id, t.words).where(t.whole, wanted)
    rows = conn.execute(query, {"values": list_param(conn, ids)})
    return {pid: frozenset(words.split(" ")) for pid, words in rows}


def _forget(conn: Connection, ids: list[int]) -> None:
    for table in (linker_title_table, linker_name_table):
        where = in_list(conn, table.c.paper_id, item=table.c.paper_id.type)
        conn.execute(delete(table).where(where), {"values": list_param(conn, ids)})


def _store(conn: Connection, made: Sequence[TitleRows]) -> None:
    entries = [
        {
            "paper_id": e.paper_id,
            "hash": key_hash(key_of(e.words.split(" "))),
            "words": e.words,
            "whole": e.whole,
        }
        for rows in made
        for e in rows.entries
    ]
    bulk_insert(conn, linker_title_table, _TITLE_COLUMNS, entries)
    names = [
        {"paper_id": rows.entries[0].paper_id, "name": rows.name} for rows in made if rows.name
    ]
    bulk_insert(conn, linker_name_table, ["paper_id", "name"], names)


def _count(conn: Connection, added: list[frozenset[str]], removed: list[frozenset[str]]) -> None:
    """Add one to the count of each word of the ``added`` titles, take one off for the
    ``removed`` ones, and count one change of the tables."""
    delta: Counter[str] = Counter({GENERATION: 1})
    for words in added:
        delta.update(words)
    for words in removed:
        delta.subtract(words)
    rows = [(w, n) for w, n in sorted(delta.items()) if n]
    if rows:  # through the driver: a quarter faster than SQLAlchemy's upsert
        mark = "%s" if conn.dialect.name == "postgresql" else "?"
        conn.exec_driver_sql(
            f"INSERT INTO linker_word (word, titles) VALUES ({mark}, {mark}) "
            "ON CONFLICT (word) DO UPDATE SET titles = linker_word.titles + excluded.titles",
            rows,
        )
