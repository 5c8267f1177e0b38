"""``nonmun import``: recognise what each path is, parse it, store it, summarise.

Each input is stored in its own transaction: one bad file is reported (named,
with the reason) and skipped, the others are imported, and nothing of the bad
one is half-written. Today: text pages of the four shapes (``pages.py``), HTML
pages (``html.py``), RSS and Atom feeds (``feeds.py``) and folders of Markdown
files (``markdown.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from nonmun import files
from nonmun.db.engine import Hub
from nonmun.errors import InputError
from nonmun.ingest.feeds import looks_like_feed, read_feed
from nonmun.ingest.html import looks_like_html, read_html
from nonmun.ingest.markdown import markdown_files, read_markdown
from nonmun.ingest.pages import SHAPES, parse_page
from nonmun.ingest.records import ReviewRecord, SourceRef
from nonmun.ingest.store import StoreSummary, store_page, store_reviews
from nonmun.linking.index import CatalogIndex
from nonmun.linking.linker import Linker

MAX_PAGE_BYTES = 20 << 20
SOURCE_KINDS = {
    "listing": "blog",
    "category": "blog",
    "newsletter": "newsletter",
    "digest": "digest",
}


@dataclass
class ImportReport(StoreSummary):
    """Counts over all inputs, what each input was, and why each skipped one was skipped."""

    skipped: list[str] = field(default_factory=list)
    shapes: dict[str, str] = field(default_factory=dict)


def import_paths(
    hub: Hub, paths: list[Path], *, shape: str | None = None, source: str | None = None
) -> ImportReport:
    """Import every path; a failing one is skipped with its reason, the rest go on."""
    if shape is not None and shape not in SHAPES:
        raise InputError(f"--as must be one of {', '.join(SHAPES)}", source=shape)
    report = ImportReport()
    linker: Linker | None = None
    for path in paths:
        if path.is_dir():
            linker = linker or _linker(hub)
            _import_folder(hub, path, source, report, linker)
            continue
        try:
            raw = read_page(path)
            if shape is None and looks_like_feed(raw):
                linker = linker or _linker(hub)
                with hub.session() as session:
                    report.add(store_reviews(session, read_feed(raw, str(path), source), linker))
                report.shapes[str(path)] = "feed"
                continue
            if shape is None and looks_like_html(raw):
                record = read_html(raw, str(path), source)
                linker = linker or _linker(hub)
                with hub.session() as session:
                    report.add(store_reviews(session, [record], linker))
                report.shapes[str(path)] = f"html ({record.source.kind})"
                continue
            text = decode(raw, path)
            page = parse_page(text, SourceRef(source or path.stem, "page"), shape)
        except InputError as exc:
            report.skipped.append(f"{path}: {exc.message}")
            continue
        except ValueError as exc:
            report.skipped.append(f"{path}: {exc}")
            continue
        ref = SourceRef(source or path.stem, SOURCE_KINDS[page.shape])
        page.reviews = [_with_source(r, ref) for r in page.reviews]
        linker = linker or _linker(hub)
        with hub.session() as session:
            report.add(store_page(session, page, linker))
        report.shapes[str(path)] = page.shape
    return report


def _linker(hub: Hub) -> Linker:
    with hub.session() as session:
        return Linker(CatalogIndex.load(session))


def _import_folder(
    hub: Hub, folder: Path, source: str | None, report: ImportReport, linker: Linker
) -> None:
    """Every Markdown file of ``folder``; files that cannot be read are skipped and named."""
    ref = SourceRef(source or folder.resolve().name, "markdown-dir", str(folder.resolve()))
    records = []
    for path in markdown_files(folder):
        try:
            records.append(read_markdown(path, folder, ref))
        except InputError as exc:
            report.skipped.append(f"{exc.where()}{exc.message}")
    with hub.session() as session:
        report.add(store_reviews(session, records, linker))
    report.shapes[str(folder)] = f"markdown folder ({len(records)} files)"


def _with_source(record: ReviewRecord, ref: SourceRef) -> ReviewRecord:
    return replace(record, source=ref)


def read_page(path: Path) -> bytes:
    """A file's bytes; unreadable, binary or oversized files are input errors."""
    size = path.stat().st_size if path.is_file() else 0
    if size > MAX_PAGE_BYTES:
        raise InputError(f"too large for a page ({size >> 20} MB)", source=str(path))
    raw = files.read_bytes(path)
    if b"\x00" in raw[:8192]:
        raise InputError("a binary file, not a text page", source=str(path))
    return raw


def decode(raw: bytes, path: Path) -> str:
    """Text in UTF-8, or else EUC-KR (cp949), as Korean pages still come."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("not UTF-8 or EUC-KR text", source=str(path))
