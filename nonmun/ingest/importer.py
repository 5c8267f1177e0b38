"""``nonmun import``: recognise what each path is, parse it, store it, summarise.

Each input is stored in its own transaction: one bad file is reported (named,
with the reason) and skipped, the others are imported, and nothing of the bad
one is half-written. Today: text pages of the four shapes (``pages.py``), HTML
pages (``html.py``), RSS and Atom feeds (``feeds.py``) and folders of Markdown
files (``markdown.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from nonmun import files
from nonmun.db.engine import Hub
from nonmun.errors import InputError, NetworkError
from nonmun.ingest.archive import import_archive, is_archive
from nonmun.ingest.feeds import feed_urls, is_opml, looks_like_feed, read_feed, web_feeds
from nonmun.ingest.fetch import Fetcher, is_url
from nonmun.ingest.html import blog_home, frame_url, looks_like_html, read_html
from nonmun.ingest.markdown import SUFFIXES, markdown_files, read_markdown
from nonmun.ingest.pages import SHAPES, parse_page
from nonmun.ingest.records import ReviewRecord, SourceRef
from nonmun.ingest.store import StoreSummary, store_page, store_reviews
from nonmun.linking.index import CatalogIndex
from nonmun.linking.linker import Linker

MAX_PAGE_BYTES = 20 << 20
MAX_OPML_DEPTH = 2  # an OPML may list OPML lists, once
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
    named: dict[str, str] = field(default_factory=dict)  # source named after its input → input


def text_source_name(name: str) -> str:
    """The source of a text page given no ``--source``: the page names no blog, so its
    site's host for a URL (every page of a site in one source), else the file's name."""
    if is_url(name):
        return (blog_home(name) or name).split("://", 1)[-1].removeprefix("www.")
    return Path(name).stem or name


def import_paths(
    hub: Hub,
    paths: Sequence[Path | str],
    *,
    shape: str | None = None,
    source: str | None = None,
    fetcher: Fetcher | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import every path or URL; a failing one is skipped with its reason, the rest go on.

    ``progress`` hears what is being done ("ml-papers: linking 350 of 1706 files").
    """
    if shape is not None and shape not in SHAPES:
        raise InputError(f"--as must be one of {', '.join(SHAPES)}", source=shape)
    job = _Job(hub, shape, source, fetcher or Fetcher(deadline=hub.settings.fetch_deadline))
    job.progress = progress or (lambda message: None)
    try:
        for item in paths:
            job.run(item)
    finally:
        job.fetcher.close()
    return job.report


class _Job:
    """One ``nonmun import``: the hub, the options, the linker (built once) and the report."""

    def __init__(self, hub: Hub, shape: str | None, source: str | None, fetcher: Fetcher):
        self.hub, self.shape, self.source, self.fetcher = hub, shape, source, fetcher
        self.report = ImportReport()
        self.progress: Callable[[str], None] = lambda message: None
        self.seen: set[str] = set()
        self._linker: Linker | None = None

    @property
    def linker(self) -> Linker:
        if self._linker is None:
            self.progress("loading the catalog's titles and nicknames")
            with self.hub.session(write=False) as session:
                self._linker = Linker(CatalogIndex.load(session))
        return self._linker

    def run(self, item: Path | str, depth: int = 0) -> None:
        name = str(item)
        if name in self.seen:
            return  # an OPML that lists itself, or a feed named twice: followed once
        self.seen.add(name)
        self.progress(f"importing {name}")
        try:
            if not is_url(name) and Path(name).is_dir():
                self._folder(Path(name))
            elif not is_url(name) and Path(name).suffix.lower() in SUFFIXES:
                self._markdown_file(Path(name))
            else:
                raw = self.fetcher.get(name) if is_url(name) else read_page(Path(name))
                self._store(raw, name, depth)
        except (InputError, NetworkError) as exc:
            self.report.skipped.append(f"{exc.where() or f'{name}: '}{exc.message}")

    def _folder(self, folder: Path) -> None:
        if is_archive(folder):
            self._restore(folder)
        else:
            _import_folder(self.hub, folder, self.source, self.report, self.linker, self.progress)

    def _markdown_file(self, path: Path) -> None:
        """One Markdown post, as one file of its folder (importing the folder later agrees)."""
        folder = path.resolve().parent
        name = self.source or folder_name(folder)
        ref = SourceRef(name, "markdown-dir", str(folder), chosen=self.source is not None)
        self._save([read_markdown(path.resolve(), folder, ref)], str(path), "markdown post")

    def _restore(self, folder: Path) -> None:
        """A nonmun export: papers, reviews and digests, in one transaction."""
        try:
            with self.hub.session() as session:
                restored = import_archive(session, folder)
        except InputError as exc:
            self.report.skipped.append(f"{exc.where() or f'{folder}: '}{exc.message}")
            return
        self.report.add(restored)
        self.report.skipped += restored.skipped
        self.report.shapes[str(folder)] = (
            f"nonmun export ({restored.papers} papers, {restored.digests} digests)"
        )

    def _store(self, raw: bytes, name: str, depth: int) -> None:
        if self.shape is None and is_opml(raw):
            self._opml(raw, name, depth)
            return
        if self.shape is None and looks_like_feed(raw):
            self._save(read_feed(raw, name, self.source), name, "feed")
            return
        if self.shape is None and looks_like_html(raw):
            inner = frame_url(raw, name) if is_url(name) else None
            if inner is not None:  # a Naver blog post sits in a frame: read the frame's page
                raw = self.fetcher.get(inner)
            record = read_html(raw, name, self.source, url=name if is_url(name) else None)
            self._save([record], name, f"html ({record.source.kind})")
            return
        named = self.source or text_source_name(name)
        page = parse_page(decode(raw, name), SourceRef(named, "page"), self.shape)
        where = blog_home(name) if is_url(name) else str(Path(name).resolve())
        ref = SourceRef(named, SOURCE_KINDS[page.shape], where, chosen=self.source is not None)
        page.reviews = [replace(r, source=ref) for r in page.reviews]
        with self.hub.session() as session:
            self.report.add(store_page(session, page, self.linker))
        self.report.shapes[name] = f"{page.shape}, source {named!r}"
        if self.source is None:
            self.report.named.setdefault(named, name)

    def _opml(self, raw: bytes, name: str, depth: int) -> None:
        """The feeds an OPML lists, by URL only, each once, at most ``MAX_OPML_DEPTH`` deep."""
        feeds, refused = web_feeds(feed_urls(raw, name))
        self.report.shapes[name] = f"OPML ({len(feeds)} feeds)"
        for entry in refused:
            self.report.skipped.append(f"{name}: {entry}: an OPML entry must be an http(s) URL")
        if depth >= MAX_OPML_DEPTH:
            self.report.skipped.append(f"{name}: OPML lists nested too deep; not followed")
            return
        for url in feeds:
            self.run(url, depth + 1)

    def _save(self, records: list[ReviewRecord], name: str, what: str) -> None:
        with self.hub.session() as session:
            self.report.add(store_reviews(session, records, self.linker))
        self.report.shapes[name] = what


def _import_folder(
    hub: Hub,
    folder: Path,
    source: str | None,
    report: ImportReport,
    linker: Linker,
    progress: Callable[[str], None],
) -> None:
    """Every Markdown file of ``folder``; files that cannot be read are skipped and named."""
    name = source or folder_name(folder)
    ref = SourceRef(name, "markdown-dir", str(folder.resolve()), chosen=source is not None)
    records = []
    for n, path in enumerate(markdown_files(folder)):
        if n % 100 == 0:
            progress(f"{folder}: reading file {n + 1}")
        try:
            records.append(read_markdown(path, folder, ref))
        except InputError as exc:
            report.skipped.append(f"{exc.where()}{exc.message}")

    def linking(done: int) -> None:
        progress(f"{folder}: linking {done} of {len(records)} files to papers")

    with hub.session() as session:
        report.add(store_reviews(session, records, linker, linking))
    report.shapes[str(folder)] = f"markdown folder ({len(records)} files)"


POST_FOLDERS = {"_posts", "posts", "content", "_drafts"}  # a site's, named after the site


def folder_name(folder: Path) -> str:
    """A Markdown folder's source name: its own, or its site's (``blog/_posts`` → blog)."""
    folder = folder.resolve()
    return folder.parent.name if folder.name in POST_FOLDERS and folder.parent.name else folder.name


def read_page(path: Path) -> bytes:
    """A regular file's bytes; unreadable, binary or oversized files are input errors."""
    raw = files.read_bytes(path, MAX_PAGE_BYTES)
    if b"\x00" in raw[:8192]:
        raise InputError("a binary file, not a text page", source=str(path))
    return raw


def decode(raw: bytes, path: Path | str) -> str:
    """Text in UTF-8, or else EUC-KR (cp949), as Korean pages still come."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("not UTF-8 or EUC-KR text", source=str(path))
