"""One record per paper: matching incoming records to stored papers and merging them.

The rules, in order:

1. the same arXiv id (any version) is the same paper;
2. the same DOI is the same paper, unless both carry different arXiv ids (real
   snapshots hold DOIs of proceedings volumes shared by many preprints);
3. otherwise the same normalised title is the same paper when the authors agree
   (same first author, or most surnames shared), the years are close, and the
   two do not carry *different* arXiv ids or *different* DOIs. This joins an
   arXiv preprint and its published version; two different DOIs never merge.

Merging fills what a paper lacks and takes newer non-empty values; an empty
field in a record never erases a stored one, except what a page said of a
provisional paper (its authors and year), which a catalog record replaces.
``CatalogWriter`` applies this to a batch of records in a handful of SQL
statements, so that importing a snapshot runs at a useful fraction of the speed
of merely parsing it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection, bindparam, func, select, update

from nonmun.catalog.records import PaperRecord
from nonmun.db import events
from nonmun.db.bulk import bulk_insert, in_list, insert_ignore, list_param
from nonmun.db.schema import alias_table, identifier_table, length_of, paper_table
from nonmun.text.normalize import clean_value, fold, surname_key, title_key

Outcome = Literal["new", "updated", "unchanged"]
Row = dict[str, Any]

CONTENT = (
    "arxiv_id doi title title_key authors author_key year published updated venue "
    "journal_ref abstract categories versions links comments provisional"
).split()
_FILLED_BY_NEWER = ("title", "title_key", "venue", "journal_ref", "abstract", "comments")
_PAGE_SAID = ("authors", "author_key", "year")  # a provisional paper's, from its page
MIN_TITLE_KEY_WITHOUT_AUTHORS = 25
MAX_YEAR_GAP = 3


def record_row(rec: PaperRecord) -> Row:
    """The column values of a new paper made from ``rec``."""
    return {
        "arxiv_id": rec.arxiv_id,
        "doi": rec.doi,
        "title": rec.title,
        "title_key": title_key(rec.title),
        "authors": list(rec.authors),
        "author_key": surname_key(rec.authors[0]) if rec.authors else "",
        "year": rec.year,
        "published": rec.published,
        "updated": rec.updated,
        "venue": rec.venue,
        "journal_ref": rec.journal_ref,
        "abstract": rec.abstract,
        "categories": " ".join(rec.categories),
        "versions": [v.as_json() for v in rec.versions],
        "links": [{"rel": rel, "url": url} for rel, url in rec.links],
        "comments": rec.comments,
        "provisional": False,
        # not columns: what goes to the identifier and alias tables
        "_dois": [v for scheme, v in rec.other_ids if scheme == "doi"],
        "_other_ids": [list(pair) for pair in rec.other_ids],
        "_aliases": [(alias, "catalog") for alias in rec.aliases],
    }


def _bounded(row: Row) -> Row:
    """Values that fit their columns on every database (PostgreSQL enforces lengths,
    SQLite does not): a DOI, identifier or alias too long to be one is dropped."""
    doi, scheme = length_of(paper_table.c.doi), length_of(identifier_table.c.scheme)
    value, alias = length_of(identifier_table.c.value), length_of(alias_table.c.alias)
    if row.get("doi") and len(row["doi"]) > doi:
        row["doi"] = None
    row["_dois"] = [d for d in row.get("_dois", ()) if len(d) <= value]
    row["_other_ids"] = [
        [s, v] for s, v in row.get("_other_ids", ()) if len(s) <= scheme and len(v) <= value
    ]
    row["_aliases"] = [(a, o) for a, o in row.get("_aliases", ()) if len(a) <= alias]
    row["author_key"] = row.get("author_key", "")[: length_of(paper_table.c.author_key)]
    return row


def merge_rows(old: Row, new: Row) -> Row:
    """``old`` completed and refreshed by ``new``; see the module docstring."""
    merged = dict(old)
    if old["provisional"] and not new["provisional"]:
        # what a page said of the paper (a byline, a year) yields to the catalog's record
        merged.update({key: new[key] for key in _PAGE_SAID})
    for key in ("arxiv_id", "doi"):
        merged[key] = old[key] or new[key]
    for key in _FILLED_BY_NEWER:
        merged[key] = new[key] or old[key]
    if new["categories"]:
        merged["categories"] = new["categories"]
    if new["authors"] and not _is_partial(new["authors"], old["authors"]):
        merged["authors"], merged["author_key"] = new["authors"], new["author_key"]
    merged["year"] = _pick(min, old["year"], new["year"])
    merged["published"] = _pick(min, old["published"], new["published"])
    merged["updated"] = _pick(max, old["updated"], new["updated"])
    merged["versions"] = _union_versions(old["versions"], new["versions"])
    merged["links"] = old["links"] + [x for x in new["links"] if x not in old["links"]]
    merged["provisional"] = old["provisional"] and new["provisional"]
    return merged


def _pick(choose: Any, a: Any, b: Any) -> Any:
    return choose(a, b) if a is not None and b is not None else a if b is None else b


def _is_partial(new: list[str], old: list[str]) -> bool:
    """True if ``new`` is a shorter list that starts like ``old`` (e.g. only the first author)."""
    if len(new) >= len(old):
        return False
    return [surname_key(n) for n in new] == [surname_key(o) for o in old[: len(new)]]


def _union_versions(old: list[Any], new: list[Any]) -> list[Any]:
    by_label = {v["version"]: v for v in old}
    for v in new:
        if v["version"] not in by_label or v.get("date"):
            by_label[v["version"]] = v
    return sorted(by_label.values(), key=lambda v: int(str(v["version"]).lstrip("v") or 0))


def same_work(a: Row, b: Row) -> bool:
    """Whether two papers with the same title key are one work (rule 3)."""
    if a["title_key"] != b["title_key"]:
        return False
    for key in ("arxiv_id", "doi"):
        if a[key] and b[key] and a[key] != b[key]:
            return False
    if a["year"] and b["year"] and abs(a["year"] - b["year"]) > MAX_YEAR_GAP:
        return False
    if not a["authors"] or not b["authors"]:
        return len(a["title_key"]) >= MIN_TITLE_KEY_WITHOUT_AUTHORS
    return authors_agree(a["authors"], b["authors"])


def authors_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """Same first author, or at least half of the shorter list's surnames shared."""
    sa, sb = [surname_key(x) for x in a], [surname_key(x) for x in b]
    if sa[0] == sb[0]:
        return True
    shared = len(set(sa) & set(sb))
    return shared * 2 >= min(len(set(sa)), len(set(sb)))


@dataclass
class _Batch:
    """The papers a batch touches, indexed by every key a record can match on."""

    by_id: dict[int, Row] = field(default_factory=dict)
    by_arxiv: dict[str, Row] = field(default_factory=dict)
    by_doi: dict[str, Row] = field(default_factory=dict)
    by_title: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def add(self, row: Row) -> None:
        if "id" in row:
            known = self.by_id.setdefault(row["id"], row)
            if known is not row:
                known["_dois"] = [*known.get("_dois", ()), *row.get("_dois", ())]
                row = known
        if row["arxiv_id"]:
            self.by_arxiv[row["arxiv_id"]] = row
        for doi in [row["doi"], *row.get("_dois", ())]:
            if doi:
                self.by_doi[doi] = row
        bucket = self.by_title[row["title_key"]]
        if all(r is not row for r in bucket):
            bucket.append(row)

    def match(self, new: Row) -> Row | None:
        by_id = self.by_arxiv.get(new["arxiv_id"] or "")
        by_doi = self.by_doi.get(new["doi"] or "")
        if by_id is not None:
            if by_doi is not None and by_doi is not by_id:
                new["doi"] = None  # the DOI belongs to another paper; keep the arXiv match
            return by_id
        if by_doi is not None:
            if not (new["arxiv_id"] and by_doi["arxiv_id"]):
                return by_doi
            new["doi"] = None  # different arXiv ids are different papers, whatever the DOI says
        titled = self.by_title.get(new["title_key"], ()) if new["title_key"] else ()
        candidates = [r for r in titled if same_work(r, new)]
        return candidates[0] if candidates else None


class CatalogWriter:
    """Stores batches of ``PaperRecord`` on one connection, merging duplicates."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def write(self, records: Sequence[PaperRecord]) -> list[tuple[Outcome, int]]:
        """Store ``records``; return each one's outcome and paper id, in order."""
        return self.write_rows([record_row(r) for r in records])

    def write_rows(self, rows: Sequence[Row]) -> list[tuple[Outcome, int]]:
        """Store rows made by ``record_row`` (the form a parsing process sends)."""
        rows = [_bounded(clean_value(row)) for row in rows]
        batch = self._load(rows)
        touched: list[tuple[Row, Outcome]] = []
        for new in rows:
            existing = batch.match(new)
            if existing is None:
                batch.add(new)
                touched.append((new, "new"))
                continue
            merged = merge_rows(existing, new)
            changed = any(merged[k] != existing[k] for k in CONTENT)
            existing.update(merged)
            existing["_dirty"] = existing.get("_dirty", False) or changed
            batch.add(existing)
            outcome: Outcome = "updated" if changed else "unchanged"
            touched.append((existing, outcome))
        self._flush([row for row, _ in touched])
        self.store_extras(rows, [row for row, _ in touched])
        to_index = {id(row): row for row, outcome in touched if outcome != "unchanged"}
        events.papers_written(self.conn, list(to_index.values()))
        return [(outcome, row["id"]) for row, outcome in touched]

    def find(self, row: Row, by_title: bool = True) -> int | None:
        """The stored paper that ``row`` would merge into (by its identifiers only, unless
        ``by_title``), if any; nothing is written."""
        row = row if by_title else {**row, "title_key": ""}
        found = self._load([row]).match(row)
        return found["id"] if found is not None else None

    def _load(self, rows: Sequence[Row]) -> _Batch:
        """Fetch every stored paper that a row of this batch could match."""
        batch = _Batch()
        columns = [paper_table.c.id, *(paper_table.c[k] for k in CONTENT)]
        arxiv = {r["arxiv_id"] for r in rows if r["arxiv_id"]}
        dois = {r["doi"] for r in rows if r["doi"]}
        keys = {r["title_key"] for r in rows if r["title_key"]}
        for column, values in (("arxiv_id", arxiv), ("doi", dois), ("title_key", keys)):
            if values:
                query = select(*columns).where(in_list(self.conn, paper_table.c[column]))
                found = self.conn.execute(query, {"values": list_param(self.conn, values)})
                for row in found.mappings():
                    batch.add(dict(row))
        self._load_other_dois(batch, dois - set(batch.by_doi))
        return batch

    def _load_other_dois(self, batch: _Batch, dois: set[str]) -> None:
        if not dois:
            return
        ident = identifier_table
        columns = [paper_table.c.id, *(paper_table.c[k] for k in CONTENT), ident.c.value]
        query = (
            select(*columns)
            .join(ident, ident.c.paper_id == paper_table.c.id)
            .where(ident.c.scheme == "doi", in_list(self.conn, ident.c.value))
        )
        params = {"values": list_param(self.conn, dois)}
        for found in self.conn.execute(query, params).mappings():
            row = dict(found)
            batch.add({**row, "_dois": [row.pop("value")]})

    def _flush(self, rows: Iterable[Row]) -> None:
        fresh, dirty, seen = [], [], set()
        for row in rows:
            if id(row) in seen:
                continue
            seen.add(id(row))
            if "id" not in row:
                fresh.append(row)
            elif row.get("_dirty"):
                dirty.append(row)
        self._insert(fresh)
        if dirty:
            change = (
                update(paper_table)
                .where(paper_table.c.id == bindparam("_id"))
                .values(updated_at=func.now())
            )
            self.conn.execute(
                change, [{"_id": r["id"], **{k: r[k] for k in CONTENT}} for r in dirty]
            )
        for row in dirty:
            row["_dirty"] = False

    def _insert(self, rows: Sequence[Row]) -> None:
        """Insert new papers and learn their ids.

        Papers with an arXiv id go in with one ``executemany`` and their ids are
        read back by arXiv id (RETURNING cannot be ordered on SQLite's rowid
        without a row at a time); the rare others go one by one.
        """
        keyed = [r for r in rows if r["arxiv_id"]]
        if keyed:
            bulk_insert(self.conn, paper_table, CONTENT, keyed)
            query = select(paper_table.c.id, paper_table.c.arxiv_id).where(
                in_list(self.conn, paper_table.c.arxiv_id)
            )
            params = {"values": list_param(self.conn, [r["arxiv_id"] for r in keyed])}
            ids = {arxiv: pk for pk, arxiv in self.conn.execute(query, params).all()}
            for row in keyed:
                row["id"] = ids[row["arxiv_id"]]
        for row in rows:
            if not row["arxiv_id"]:
                insert = paper_table.insert().returning(paper_table.c.id)
                row["id"] = self.conn.execute(insert, {k: row[k] for k in CONTENT}).scalar_one()

    def store_extras(self, news: Sequence[Row], stored: Sequence[Row]) -> None:
        """Other identifiers and aliases of each new row, on the paper it was stored as."""
        idents, aliases = [], []
        for new, row in zip(news, stored, strict=True):
            for scheme, value in new["_other_ids"]:
                if not (scheme == "doi" and value == row["doi"]):
                    idents.append({"paper_id": row["id"], "scheme": scheme, "value": value})
            for alias, origin in new["_aliases"]:
                aliases.append(
                    {"paper_id": row["id"], "alias": alias, "key": fold(alias), "origin": origin}
                )
        insert_ignore(self.conn, identifier_table, idents)
        insert_ignore(self.conn, alias_table, aliases)
