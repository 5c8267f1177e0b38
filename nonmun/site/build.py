"""``nonmun build``: the hub as a static site.

Every page comes from the page layer (``nonmun.pages``) and its templates; this
module decides which pages exist — the home page's pages, a page per review, per
paper that is reviewed or mentioned, a list of reviews (with Atom and RSS feeds)
per tag, source, author, category and month, index pages of each, a sitemap,
``robots.txt`` and ``site.json`` — writes them as ``<address>index.html`` into a
temporary folder and swaps it in at the end, so a failed build leaves the previous
site as it was. The folder holds a ``.nonmun-site.json`` listing what the build
wrote: a rebuild replaces only those files, and a folder holding anything else is
refused.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from nonmun import files
from nonmun.config import Settings
from nonmun.db.schema import Paper, Review
from nonmun.errors import InputError
from nonmun.pages.addresses import (
    Addresses,
    category_address,
    month_address,
    tag_address,
    year_address,
)
from nonmun.pages.digest import digest_page, load_digests
from nonmun.pages.items import ReviewItem
from nonmun.pages.lists import Entry, IndexPage, paginate
from nonmun.pages.markdown import code_css
from nonmun.pages.paper import PaperPage, paper_page
from nonmun.pages.render import PACKAGE_STATIC, Renderer, Site
from nonmun.pages.review import load_reviews, review_page
from nonmun.pages.words import long_month, word
from nonmun.site.feeds import write_feeds, write_json, write_sitemap
from nonmun.site.search import index_site
from nonmun.text.terms import PARTICLES

MARK = ".nonmun-site.json"
Pair = tuple[Review, ReviewItem]


@dataclass
class BuildSummary:
    pages: int = 0
    reviews: int = 0
    papers: int = 0


@dataclass
class _Group:
    """A list of reviews with its own pages and feeds (a tag, a source, a month…)."""

    title: str
    reviews: list[Pair] = field(default_factory=list)


class _Writer:
    """Writes pages into the folder being built, and remembers their addresses."""

    def __init__(self, out: Path, renderer: Renderer) -> None:
        self.out = out
        self.renderer = renderer
        self.pages: list[str] = []

    def page(self, path: str, template: str, **context: object) -> None:
        target = self.out / path / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.renderer.render(template, path, **context), encoding="utf-8")
        self.pages.append(path)


def build_site(
    session: Session,
    settings: Settings,
    target: Path,
    *,
    all_papers: bool = False,
    progress: Callable[[str], None] | None = None,
) -> BuildSummary:
    """Build the site of the hub into ``target``, replacing only an earlier build there."""
    tell = progress or (lambda message: None)
    owned = previous_build(target)
    site = Site.of(settings)
    renderer = Renderer(site, settings.hub)
    where = Addresses.load(session, all_papers=all_papers)
    with files.replacing(target, owned) as out:
        write = _Writer(out, renderer)
        tell("writing reviews")
        reviews = load_reviews(session)
        pairs = _review_pages(reviews, where, write)
        groups = _groups(pairs, where, site)
        for address, group in groups.items():
            _review_list(out, write, site, address, group)
        _indexes(groups, site, write)
        _digest_pages(session, where, site, write)
        tell("writing papers")
        papers = _paper_pages(session, where, write, pairs, site, out)
        _paper_index(papers, site, write)
        write.page("search/", "search.html", particles=" ".join(PARTICLES))
        write_sitemap(out, site, write.pages)
        write_json(out, [p.paper for p in papers], [item for _, item in pairs])
        _static(out, settings.hub)
        tell("indexing for search")
        index_site(out, site.language)
        written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
        (out / MARK).write_text(json.dumps({"files": [MARK, *written]}, indent=1) + "\n")
    return BuildSummary(pages=len(write.pages), reviews=len(reviews), papers=len(papers))


def previous_build(target: Path) -> list[str]:
    """The files an earlier build wrote in ``target``; refuses a folder of other files."""
    if not target.is_dir() or not any(target.iterdir()):
        return []
    try:
        listed = json.loads((target / MARK).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(
            "not empty and not a site nonmun built; give a new or empty folder",
            source=str(target),
        ) from None
    return [str(name) for name in listed]


def _newest(pair: Pair) -> tuple[bool, int, str]:
    item = pair[1]
    return (item.date is None, -(item.date.toordinal() if item.date else 0), item.url)


def _review_pages(reviews: list[Review], where: Addresses, write: _Writer) -> list[Pair]:
    """A page per review, each with its neighbours in its source; the reviews as lists
    show them."""
    by_source: dict[int, list[Review]] = defaultdict(list)
    for review in reviews:
        by_source[review.source_id].append(review)
    pairs = []
    for same in by_source.values():
        for i, review in enumerate(same):
            before = same[i - 1] if i > 0 else None
            after = same[i + 1] if i + 1 < len(same) else None
            page = review_page(review, where, (before, after))
            write.page(where.reviews[review.id], "review.html", page=page, lang=review.language)
            pairs.append((review, page.review))
    return pairs


def _groups(pairs: list[Pair], where: Addresses, site: Site) -> dict[str, _Group]:
    """Every list of reviews the site has, by address: home, tags, sources, authors,
    categories (each part of a path), years and months."""
    groups: dict[str, _Group] = {"": _Group(word("newest_reviews", site.language))}

    def add(address: str, title: str, pair: Pair) -> None:
        groups.setdefault(address, _Group(title)).reviews.append(pair)

    for pair in pairs:
        review, item = pair
        groups[""].reviews.append(pair)
        for tag in dict.fromkeys(review.tags):
            add(tag_address(tag), f"#{tag}", pair)
        add(item.source.url or "", review.source.name, pair)
        for author in review.authors:
            add(where.people[author.id], author.name, pair)
        parts = [p.strip() for p in (review.category_path or "").split("/") if p.strip()]
        for n in range(1, len(parts) + 1):
            path = "/".join(parts[:n])
            add(category_address(path), path, pair)
        if review.published:
            add(year_address(review.published.year), str(review.published.year), pair)
            add(month_address(review.published), long_month(review.published, site.language), pair)
    return groups


def _review_list(out: Path, write: _Writer, site: Site, address: str, group: _Group) -> None:
    group.reviews.sort(key=_newest)
    items = [item for _, item in group.reviews]
    for page in paginate(group.title, address, items, site.page_size):
        write.page(page.url, "list.html", page=page, feed=address + "feed.xml")
    write_feeds(out, site, address, group.title, group.reviews)


def _indexes(groups: dict[str, _Group], site: Site, write: _Writer) -> None:
    """The index pages of tags, sources, authors, categories (a tree) and the archive."""
    kinds = {"tags/": "tags", "sources/": "sources", "authors/": "authors"}
    for prefix, key in kinds.items():
        entries = [
            Entry(g.title, address, len(g.reviews))
            for address, g in groups.items()
            if address.startswith(prefix)
        ]
        entries.sort(key=lambda e: (-e.count, e.name.casefold()))
        write.page(prefix, "index.html", page=IndexPage(word(key, site.language), prefix, entries))
    tree = sorted(
        (address, g) for address, g in groups.items() if address.startswith("categories/")
    )
    categories = [
        Entry(g.title.rsplit("/", 1)[-1], address, len(g.reviews), address.count("/") - 2)
        for address, g in tree
    ]
    title = word("categories", site.language)
    write.page("categories/", "index.html", page=IndexPage(title, "categories/", categories))
    months = sorted((address for address in groups if address.startswith("archive/")), reverse=True)
    archive = [Entry(groups[a].title, a, len(groups[a].reviews), a.count("/") - 2) for a in months]
    title = word("archive", site.language)
    write.page("archive/", "index.html", page=IndexPage(title, "archive/", archive))


def _digest_pages(session: Session, where: Addresses, site: Site, write: _Writer) -> None:
    """A page per digest, and ``digests/``, the newest first."""
    entries = []
    for digest in load_digests(session):
        page = digest_page(session, digest, where)
        write.page(page.url, "digest.html", page=page)
        entries.append(Entry(page.title, page.url, len(page.entries)))
    write.page(
        "digests/",
        "index.html",
        page=IndexPage(word("digests_all", site.language), "digests/", entries),
    )


def _paper_pages(
    session: Session,
    where: Addresses,
    write: _Writer,
    pairs: list[Pair],
    site: Site,
    out: Path,
) -> list[PaperPage]:
    """A page per paper with an address, and a feed of its reviews."""
    by_review = {review.id: (review, item) for review, item in pairs}
    items = {review.id: item for review, item in pairs}
    ids = sorted(where.papers)
    pages = []
    for start in range(0, len(ids), 500):
        query = (
            select(Paper)
            .where(Paper.id.in_(ids[start : start + 500]))
            .options(selectinload(Paper.aliases), selectinload(Paper.identifiers))
        )
        for paper in session.scalars(query):
            page = paper_page(session, paper, where, items)
            address = where.papers[paper.id]
            write.page(address, "paper.html", page=page)
            reviewed = [by_review[r.review.id] for r in page.reviews]
            write_feeds(out, site, address, paper.title, reviewed)
            pages.append(page)
    return pages


def _paper_index(papers: list[PaperPage], site: Site, write: _Writer) -> None:
    """``papers/``: most reviewed first; ``papers/a-z/``: by title."""
    most = sorted(papers, key=lambda p: (-len(p.reviews), p.paper.title.casefold()))
    by_title = sorted(papers, key=lambda p: p.paper.title.casefold())
    for address, listed, key in (
        ("papers/", most, "most_reviewed"),
        ("papers/a-z/", by_title, "a_z"),
    ):
        for page in paginate(word(key, site.language), address, listed, site.page_size * 5):
            write.page(page.url, "papers.html", page=page)


def _static(out: Path, hub: Path) -> None:
    """The package's stylesheets, Pygments' rules, then the hub's own ``static/`` over them."""
    shutil.copytree(PACKAGE_STATIC, out / "static", dirs_exist_ok=True)
    (out / "static" / "code.css").write_text(code_css(), encoding="utf-8")
    own = hub / "static"
    if own.is_dir():
        shutil.copytree(own, out / "static", dirs_exist_ok=True)
