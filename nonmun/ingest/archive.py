"""The hub as a folder of Markdown files with front matter, and back again.

``nonmun export markdown DIR`` writes::

    DIR/nonmun.json                          what this is, the sources, the counts
    DIR/catalog.jsonl                        every paper: one JSON object per line
    DIR/reviews/<source>/<date>-<title>.md   one review: front matter, then its body
    DIR/digests/<source>/<date>-<title>.md   one digest: front matter, then its intro

A review's front matter holds its title, date, authors, tags, URLs, source,
id in its source, category, language and the papers it reviews or mentions
(by catalog key, with role, confidence and evidence), so that a static-site
generator, a text editor or grep can use the files, and ``nonmun import DIR``
gives back the same hub: the same papers (merged by the catalog's rules),
reviews, mentions as exported (not found again), digests in their order.

The export is written to a temporary sibling and swapped in, so a failure
leaves any earlier export whole. The import runs in one transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from nonmun import __version__, files
from nonmun.catalog.merge import CatalogWriter, Row, record_row
from nonmun.catalog.records import PaperRecord
from nonmun.db import events
from nonmun.db.schema import Digest, LinkDecision, Paper, Review, Source
from nonmun.errors import InputError
from nonmun.ingest.markdown import front_matter
from nonmun.ingest.pages import DigestRecord
from nonmun.ingest.records import ReviewRecord, SourceRef
from nonmun.ingest.store import StoreSummary, get_source, store_digest, store_reviews
from nonmun.linking.linker import MentionRecord
from nonmun.text.normalize import dated_slug, slug, title_key

FORMAT = "nonmun-archive"
VERSION = 1
MANIFEST = "nonmun.json"
BATCH = 2000  # papers stored per statement batch
PAPER_COLUMNS = (
    "title authors year published updated venue journal_ref abstract categories versions "
    "links comments provisional"
).split()


@dataclass
class ArchiveSummary(StoreSummary):
    """What an export wrote (papers, reviews, digests) or an import stored (papers,
    digests, and the review counts of ``StoreSummary``), and the files it skipped."""

    papers: int = 0
    reviews: int = 0
    digests: int = 0
    skipped: list[str] = field(default_factory=list)


# --- export ---------------------------------------------------------------------------


def export_markdown(
    session: Session, target: Path, progress: Callable[[str], None] | None = None
) -> ArchiveSummary:
    """Write the whole hub under ``target``, replacing only what an earlier export wrote there.

    Other files in ``target`` (a ``.git``, a site's configuration, the hub itself)
    are never touched.
    """
    owned = _previous_export(target)
    summary = ArchiveSummary()
    tell = progress or (lambda message: None)
    with files.replacing(target, owned) as building:
        tell("writing the catalog")
        keys = _write_catalog(session, building / "catalog.jsonl", summary)
        paths = _write_reviews(session, building, keys, summary, tell)
        _write_digests(session, building, paths, summary)
        sources = [_source_json(s) for s in session.scalars(select(Source).order_by(Source.id))]
        counts = {"papers": summary.papers, "reviews": summary.reviews, "digests": summary.digests}
        written = sorted(
            p.relative_to(building).as_posix() for p in building.rglob("*") if p.is_file()
        )
        manifest = {"format": FORMAT, "version": VERSION, "nonmun": __version__}
        manifest |= {"counts": counts, "sources": sources, "files": [MANIFEST, *written]}
        (building / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return summary


def _previous_export(target: Path) -> list[str]:
    """The files an earlier export wrote in ``target``; refuses a folder of other files."""
    if not target.is_dir() or not any(target.iterdir()):
        return []
    if not is_archive(target):
        raise InputError(
            "not empty and not a nonmun export; choose another folder", source=str(target)
        )
    listed = _manifest(target / MANIFEST).get("files")
    if isinstance(listed, list):
        inside = [str(f) for f in listed if isinstance(f, str) and _is_inside(f)]
        return inside
    # An export from before the manifest listed its files: its own kinds of files only.
    found = [p for folder in ("reviews", "digests") for p in (target / folder).rglob("*.md")]
    return [MANIFEST, "catalog.jsonl", *(p.relative_to(target).as_posix() for p in found)]


def _is_inside(rel: str) -> bool:
    parts = Path(rel).parts
    return bool(parts) and not Path(rel).is_absolute() and ".." not in parts


def _write_catalog(session: Session, path: Path, summary: ArchiveSummary) -> dict[int, str]:
    """Every paper as a line; returns each paper's key (``arxiv:…``, ``doi:…`` or ``title:…``)."""
    keys: dict[int, str] = {}
    taken: set[str] = set()
    query = (
        select(Paper)
        .options(selectinload(Paper.identifiers), selectinload(Paper.aliases))
        .order_by(Paper.arxiv_id, Paper.doi, Paper.title_key, Paper.id)
        .execution_options(yield_per=2000)
    )
    with path.open("w", encoding="utf-8") as out:
        for paper in session.scalars(query):
            key = _unique(_paper_key(paper), taken)
            keys[paper.id] = key
            out.write(json.dumps(_paper_json(paper, key), ensure_ascii=False) + "\n")
            summary.papers += 1
    return keys


def _paper_key(paper: Paper) -> str:
    if paper.arxiv_id:
        return f"arxiv:{paper.arxiv_id}"
    if paper.doi:
        return f"doi:{paper.doi}"
    return f"title:{paper.title_key}"


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}~{n}"
    taken.add(candidate)
    return candidate


def _paper_json(paper: Paper, key: str) -> dict[str, Any]:
    data: dict[str, Any] = {"key": key, "arxiv": paper.arxiv_id, "doi": paper.doi}
    for column in PAPER_COLUMNS:
        value = getattr(paper, column)
        data[column] = value.isoformat() if isinstance(value, date) else value
    data["identifiers"] = sorted([i.scheme, i.value] for i in paper.identifiers)
    data["aliases"] = sorted([a.alias, a.origin] for a in paper.aliases)
    return {k: v for k, v in data.items() if v not in (None, "", [], False)}


def _write_reviews(
    session: Session,
    root: Path,
    keys: dict[int, str],
    summary: ArchiveSummary,
    tell: Callable[[str], None],
) -> dict[int, str]:
    """One file per review; returns each review's file, relative to ``root``."""
    paths: dict[int, str] = {}
    taken: set[str] = set()
    rejected: dict[int, list[str]] = defaultdict(list)  # a person's word (linking.decisions)
    decided = select(LinkDecision.review_id, LinkDecision.paper_id)
    for rid, pid in session.execute(decided.where(LinkDecision.decision == "reject")):
        if pid in keys:
            rejected[rid].append(keys[pid])
    query = (
        select(Review)
        .join(Source)
        .options(selectinload(Review.authors), selectinload(Review.mentions))
        .order_by(Source.kind, Source.name, Review.published, Review.external_id)
        .execution_options(yield_per=500)
    )
    for review in session.scalars(query):
        folder = f"reviews/{slug(review.source.kind + '-' + review.source.name)}"
        name = _unique(f"{folder}/{dated_slug(review.published, review.title)}", taken)
        paths[review.id] = f"{name}.md"
        meta = _review_meta(review, keys)
        if review.id in rejected:
            meta["rejected"] = sorted(rejected[review.id])
        _write_post(root / paths[review.id], meta, review.body)
        summary.reviews += 1
        if summary.reviews % 200 == 0:
            tell(f"{summary.reviews} reviews written")
    return paths


def _review_meta(review: Review, keys: dict[int, str]) -> dict[str, Any]:
    mentions = sorted(
        review.mentions, key=lambda m: (m.role != "reviewed", -m.confidence, keys[m.paper_id])
    )
    meta: dict[str, Any] = {
        "title": review.title,
        "date": review.published,
        "authors": [p.name for p in review.authors],
        "tags": list(review.tags),
        "url": review.url,
        "urls": [u for u in review.urls if u != review.url],
        "source": _source_json(review.source),
        "id": review.external_id,
        "category": review.category_path,
        "language": review.language,
        "papers": [
            {
                "paper": keys[m.paper_id],
                "role": m.role,
                "confidence": m.confidence,
                "evidence": m.evidence,
                "method": m.method,
            }
            for m in mentions
        ],
    }
    return {k: v for k, v in meta.items() if v not in (None, "", [])}


def _write_digests(
    session: Session, root: Path, paths: dict[int, str], summary: ArchiveSummary
) -> None:
    taken: set[str] = set()
    query = (
        select(Digest)
        .join(Source)
        .options(selectinload(Digest.reviews), selectinload(Digest.editors))
        .order_by(Source.kind, Source.name, Digest.period_start, Digest.external_id)
    )
    for digest in session.scalars(query):
        source = session.get_one(Source, digest.source_id)
        folder = f"digests/{slug(source.kind + '-' + source.name)}"
        name = _unique(f"{folder}/{dated_slug(digest.period_start, digest.title)}", taken)
        meta = {
            "title": digest.title,
            "label": digest.label,
            "date": digest.period_start,
            "until": digest.period_end if digest.period_end != digest.period_start else None,
            "url": digest.url,
            "source": _source_json(source),
            "id": digest.external_id,
            "editors": sorted(p.name for p in digest.editors),
            "reviews": [paths[r.id] for r in digest.reviews],
        }
        meta = {k: v for k, v in meta.items() if v not in (None, "", [])}
        _write_post(root / f"{name}.md", meta, digest.intro)
        summary.digests += 1


def _source_json(source: Source) -> dict[str, Any]:
    data = {"name": source.name, "kind": source.kind, "url": source.url}
    return {k: v for k, v in data.items() if v}


def _write_post(path: Path, meta: dict[str, Any], body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)  # under the building folder only
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"---\n{head}---\n{body}\n", encoding="utf-8")  # read back without it


# --- import ---------------------------------------------------------------------------


def is_archive(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def import_archive(session: Session, folder: Path) -> ArchiveSummary:
    """Restore an export into the hub of ``session``; bad files are skipped and named."""
    summary = ArchiveSummary()
    manifest = _manifest(folder / MANIFEST)
    for ref in manifest.get("sources", []):
        get_source(session, _source_ref(ref, folder / MANIFEST))
    papers = _read_catalog(session, folder / "catalog.jsonl", summary)
    reviews: dict[str, int] = {}
    for path in sorted((folder / "reviews").rglob("*.md")):
        rel = path.relative_to(folder).as_posix()
        try:
            record = _review_record(path, papers)
        except InputError as exc:
            summary.skipped.append(f"{exc.where()}{exc.message}")
            continue
        stored = store_reviews(session, [record])
        summary.add(stored)
        reviews[rel] = stored.review_ids[0]
    for path in sorted((folder / "digests").rglob("*.md")):
        try:
            _restore_digest(session, path, reviews)
            summary.digests += 1
        except InputError as exc:
            summary.skipped.append(f"{exc.where()}{exc.message}")
    events.catalog_loaded(session.connection())  # the restored hub searches as the original did
    return summary


def _manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(files.read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", source=str(path), line=exc.lineno) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"not a {FORMAT} manifest", source=str(path))
    if data.get("version", 0) > VERSION:
        raise InputError(f"made by a newer nonmun (format {data['version']})", source=str(path))
    return data


def _read_catalog(session: Session, path: Path, summary: ArchiveSummary) -> dict[str, int]:
    """Store every paper of the archive's catalog; returns paper ids by archive key."""
    if not path.is_file():
        return {}
    lines = list(files.read_jsonl(path))
    rows = [_paper_row(data, path, n) for n, data in lines]
    writer = CatalogWriter(session.connection())
    outcomes = []
    for start in range(0, len(rows), BATCH):
        outcomes += writer.write_rows(rows[start : start + BATCH])
    keys = [str(data["key"]) for _, data in lines]
    ids = {key: pid for key, (_, pid) in zip(keys, outcomes, strict=True)}
    summary.papers = len(ids)
    return ids


def _paper_row(data: Any, path: Path, line: int) -> Row:
    """A catalog line as the catalog writer's row (the same form as ``record_row``)."""
    if not isinstance(data, dict) or not data.get("key") or not data.get("title"):
        raise InputError("a paper needs a key and a title", source=str(path), line=line)
    try:
        row = record_row(
            PaperRecord(title=str(data["title"]), authors=tuple(data.get("authors", ())))
        )
        row |= {"arxiv_id": data.get("arxiv"), "doi": data.get("doi")}
        for column in PAPER_COLUMNS:
            if column in data:
                row[column] = data[column]
        for column in ("published", "updated"):
            row[column] = date.fromisoformat(row[column]) if row[column] else None
        row["title_key"] = title_key(row["title"])
        row["provisional"] = bool(data.get("provisional", False))
        ids = [(str(s), str(v)) for s, v in data.get("identifiers", [])]
        row["_other_ids"] = ids
        row["_dois"] = [v for s, v in ids if s == "doi"]
        row["_aliases"] = [(str(a), str(o)) for a, o in data.get("aliases", [])]
    except (TypeError, ValueError) as exc:
        raise InputError(f"invalid paper: {exc}", source=str(path), line=line) from None
    return row


def _post(path: Path) -> tuple[dict[str, Any], str]:
    text = files.read_text(path)
    meta, content = front_matter(text, path)
    _, sep, body = text.partition("\n---\n")  # the body exactly as written
    return meta, body.removesuffix("\n") if sep else content


def _review_record(path: Path, papers: dict[str, int]) -> ReviewRecord:
    meta, body = _post(path)
    if not meta.get("title") or not isinstance(meta.get("source"), dict) or not meta.get("id"):
        raise InputError("a review needs a title, a source and an id", source=str(path))
    mentions = []
    unknown = [str(k) for k in meta.get("rejected", []) if str(k) not in papers]
    if unknown:
        raise InputError(f"unknown paper {unknown[0]} (not in catalog.jsonl)", source=str(path))
    for item in meta.get("papers", []):
        key = str(item.get("paper"))
        if key not in papers:
            raise InputError(f"unknown paper {key} (not in catalog.jsonl)", source=str(path))
        mentions.append(
            MentionRecord(
                papers[key],
                str(item.get("role", "mentioned")),
                float(item.get("confidence", 1.0)),
                str(item.get("evidence", "")),
                str(item.get("method", "")),
            )
        )
    return ReviewRecord(
        _source_ref(meta["source"], path),
        external_id=str(meta["id"]),
        title=str(meta["title"]),
        body=body,
        published=_day(meta.get("date"), path),
        url=meta.get("url"),
        authors=tuple(str(a) for a in meta.get("authors", [])),
        tags=tuple(str(t) for t in meta.get("tags", [])),
        category_path=meta.get("category"),
        language=meta.get("language"),
        urls=tuple(str(u) for u in meta.get("urls", [])),
        mentions=tuple(mentions),
        rejected=tuple(papers[str(k)] for k in meta.get("rejected", [])),
    )


def _restore_digest(session: Session, path: Path, reviews: dict[str, int]) -> None:
    meta, intro = _post(path)
    if not meta.get("title") or not isinstance(meta.get("source"), dict):
        raise InputError("a digest needs a title and a source", source=str(path))
    missing = [r for r in meta.get("reviews", []) if r not in reviews]
    if missing:
        raise InputError(f"reviews not in this export: {', '.join(missing[:3])}", source=str(path))
    record = DigestRecord(
        title=str(meta["title"]),
        label=meta.get("label"),
        published=_day(meta.get("date"), path),
        editors=[str(e) for e in meta.get("editors", [])],
        intro=intro,
        period_end=_day(meta.get("until"), path),
        url=meta.get("url"),
        external_id=meta.get("id"),
    )
    source = get_source(session, _source_ref(meta["source"], path))
    store_digest(session, source, record, [reviews[r] for r in meta.get("reviews", [])])


def _source_ref(data: Any, path: Path) -> SourceRef:
    if not isinstance(data, dict) or not data.get("name") or not data.get("kind"):
        raise InputError("a source needs a name and a kind", source=str(path))
    return SourceRef(str(data["name"]), str(data["kind"]), data.get("url"), chosen=True)


def _day(value: Any, path: Path) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"not a date: {value}", source=str(path)) from None
