"""``nonmun build``: the hub as a static site.

Every page comes from the page layer (``nonmun.pages``) and its templates; this
module decides which pages exist — the home page's pages, a page per review, per
paper that is reviewed or mentioned and per digest, a list of reviews (with Atom
and RSS feeds) per tag, source, author, category and month, index pages of each,
a search page, a sitemap, ``robots.txt`` and ``site.json`` — and writes them as
``<address>index.html`` into a temporary folder, moved in at the end, so a failed
build leaves the previous site as it was.

Builds are incremental (``nonmun.site.manifest``): nothing is written when nothing
changed, and otherwise a page is rendered again only when its inputs changed — a
review's page when the review or its links did, a paper's page when one of its
reviews did, a list's page when one of its reviews did. The papers a paper page
calls related come from the whole search index: they are computed again only with
the page (``--clean`` recomputes all).
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from nonmun import files
from nonmun.config import Settings
from nonmun.db.schema import MIN_CONFIDENCE, Digest, Paper, Review
from nonmun.pages import PACKAGE_STATIC
from nonmun.pages.addresses import (
    Addresses,
    category_address,
    month_address,
    tag_address,
    year_address,
)
from nonmun.pages.digest import digest_page, load_digests
from nonmun.pages.items import PaperItem, ReviewItem, paper_item, review_item
from nonmun.pages.lists import Entry, IndexPage, paginate
from nonmun.pages.markdown import code_css, excerpt
from nonmun.pages.paper import Surroundings, paper_page
from nonmun.pages.render import Renderer, Site
from nonmun.pages.review import load_reviews, review_page
from nonmun.pages.words import long_month, word
from nonmun.site.feeds import ATOM, RSS, write_feeds, write_json, write_sitemap
from nonmun.site.manifest import MARK, Manifest, State, key_of, state_of
from nonmun.site.search import FOLDERS as SEARCH_FOLDERS
from nonmun.site.search import index_site
from nonmun.text.terms import PARTICLES

Pair = tuple[Review, ReviewItem]
FEEDS = (ATOM, RSS)


@dataclass
class BuildSummary:
    pages: int = 0
    reviews: int = 0
    papers: int = 0
    rendered: int = 0  # pages written this time (the others were as before)
    unchanged: bool = False  # nothing changed: nothing was written


@dataclass
class _Group:
    """A list of reviews with its own pages and feeds (a tag, a source, a month…)."""

    title: str
    reviews: list[Pair] = field(default_factory=list)


class _Writer:
    """Writes pages into the folder being built, unless the previous build's page had
    the same inputs (then its file stays as it is); remembers every page and key."""

    def __init__(self, out: Path, renderer: Renderer, salted: str) -> None:
        self.out, self.renderer, self.salt = out, renderer, salted
        self.previous: dict[str, str] = {}  # the previous build's keys…
        self.had: set[str] = set()  # …and files (a file removed by hand needs --clean)
        self.pages: list[str] = []
        self.keys: dict[str, str] = {}
        self.kept: list[str] = []  # files of the previous build that stay as they are
        self.rendered = 0

    def fresh(self, path: str, inputs: Any, names: tuple[str, ...] = ("index.html",)) -> bool:
        """Record the key of ``path``'s inputs; whether its files must be written again."""
        key = self.keys[path + "|".join(names)] = key_of(self.salt, inputs)
        paths = [f"{path}{name}" for name in names]
        previous = self.previous.get(path + "|".join(names))
        if previous == key and all(p in self.had for p in paths):
            self.kept += paths
            return False
        return True

    def page(
        self,
        path: str,
        template: str,
        inputs: Any = None,
        make: Callable[[], Any] | None = None,
        **context: Any,
    ) -> None:
        """The page at ``path`` from ``template``; with ``inputs``, only when they changed
        since the previous build (``make`` then gives the page's data)."""
        self.pages.append(path)
        if inputs is not None and not self.fresh(path, inputs):
            return
        if make is not None:
            context["page"] = make()
        target = self.out / path / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.renderer.render(template, path, **context), encoding="utf-8")
        self.rendered += 1


def build_site(
    session: Session,
    settings: Settings,
    target: Path,
    *,
    all_papers: bool = False,
    clean: bool = False,
    progress: Callable[[str], None] | None = None,
    state: State | None = None,
) -> BuildSummary:
    """Build the site of the hub into ``target``, replacing only an earlier build there:
    only pages whose inputs changed are rendered again (all of them if ``clean``), and
    nothing is written when nothing changed (``state``: as ``state_of`` found it)."""
    tell = progress or (lambda message: None)
    state = state or state_of(session, settings, target, all_papers)
    if state.unchanged and not clean:
        return BuildSummary(unchanged=True)
    previous, salted, current = state.previous, state.salt, state.fingerprint
    site = Site.of(settings)
    where = Addresses.load(session, all_papers=all_papers)
    manifest = Manifest(fingerprint=current)
    stale = [f for f in previous.files if not f.startswith(SEARCH_FOLDERS)] if previous else []
    with files.replacing(target, stale) as out:
        write = _Writer(out, Renderer(site, settings.hub), salted)
        if previous and not clean:
            write.previous, write.had = previous.pages, set(previous.files)
        tell("writing reviews")
        reviews = load_reviews(session)
        pairs, keys = _review_pages(reviews, where, write, previous, manifest)
        groups = _groups(pairs, where, site)
        for address, group in groups.items():
            _review_list(write, site, address, group, keys)
        _indexes(groups, site, write)
        _digest_pages(session, where, site, write, keys)
        tell("writing papers")
        papers = _paper_pages(session, where, write, pairs, site, keys)
        _paper_index(papers, site, write)
        manifest.addresses, known = _identities(session, reviews, where)
        _redirects(write, previous, manifest.addresses, known)
        write.page("search/", "search.html", particles=" ".join(PARTICLES))
        write_sitemap(out, site, write.pages)
        write_json(out, [p for p, _ in papers], [item for _, item in pairs])
        _static(out, settings.hub)
        written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
        manifest.pages = write.keys
        manifest.files = sorted(written | set(write.kept))
        stale[:] = sorted(set(stale) - set(write.kept))  # read by files.replacing on leaving
    if write.rendered or not previous:
        tell("indexing for search")
        shown = [*where.reviews.values(), *where.papers.values()]
        pages = {address: write.keys[f"{address}index.html"] for address in shown}
        base = previous.indexed if previous and not clean else None
        manifest.indexed, indexed = index_site(target, site.language, pages, base)
        manifest.files += indexed
    elif previous:
        manifest.indexed = previous.indexed
        manifest.files += [f for f in previous.files if f.startswith(SEARCH_FOLDERS)]
    manifest.files = sorted({MARK, *manifest.files})
    manifest.write(target)
    return BuildSummary(len(write.pages), len(reviews), len(papers), write.rendered)


def _newest(pair: Pair) -> tuple[bool, int, str]:
    item = pair[1]
    return (item.date is None, -(item.date.toordinal() if item.date else 0), item.url)


def _review_key(review: Review, where: Addresses) -> str:
    """Everything of a review that any page shows: when it changes, they are rendered again."""
    mentions = sorted(
        (m.paper_id, m.role, round(m.confidence, 2), m.evidence, m.paper.title, m.paper.year,
         m.paper.arxiv_id or "", where.paper(m.paper_id) or "")
        for m in review.mentions
    )  # fmt: skip
    people = [(p.name, where.people.get(p.id)) for p in review.authors]
    facts = [review.title, review.published, review.language, review.category_path, review.tags]
    return key_of(review.content_hash, review.body if not review.content_hash else "", facts,
                  review.source.name, people, mentions, where.reviews[review.id], review.url,
                  review.urls)  # fmt: skip


def _review_pages(
    reviews: list[Review],
    where: Addresses,
    write: _Writer,
    previous: Manifest | None,
    manifest: Manifest,
) -> tuple[list[Pair], dict[int, str]]:
    """A page per review (with its neighbours in its source); every review as lists show
    it (excerpts kept from the previous build), and each review's key."""
    known = previous.excerpts if previous else {}
    keys = {r.id: _review_key(r, where) for r in reviews}
    by_source: dict[int, list[Review]] = defaultdict(list)
    for review in reviews:
        by_source[review.source_id].append(review)
    pairs = []
    for same in by_source.values():
        for i, review in enumerate(same):
            cached = known.get(review.content_hash) if review.content_hash else None
            summary = (cached[0], cached[1]) if cached else excerpt(review.body, review.language)
            if review.content_hash:
                manifest.excerpts[review.content_hash] = list(summary)
            item = review_item(review, where, summary)
            before = same[i - 1] if i > 0 else None
            after = same[i + 1] if i + 1 < len(same) else None
            around = [keys[r.id] if r else None for r in (before, after)]
            write.page(
                where.reviews[review.id],
                "review.html",
                (keys[review.id], around),
                partial(review_page, review, where, (before, after), item),
                lang=review.language,
            )
            pairs.append((review, item))
    return pairs, keys


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


def _review_list(
    write: _Writer, site: Site, address: str, group: _Group, keys: dict[int, str]
) -> None:
    """A list's pages and its feeds, each only when one of its reviews changed."""
    group.reviews.sort(key=_newest)
    items = [item for _, item in group.reviews]
    for page in paginate(group.title, address, items, site.page_size):
        inputs = (page.title, page.number, page.count, [keys[i.id] for i in page.items])
        write.page(page.url, "list.html", inputs, page=page, feed=address + ATOM)
    newest = [keys[r.id] for r, _ in group.reviews[:100]]
    if write.fresh(address, (group.title, newest), FEEDS):
        write_feeds(write.out, site, address, group.title, group.reviews)


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


def _digest_pages(
    session: Session, where: Addresses, site: Site, write: _Writer, keys: dict[int, str]
) -> None:
    """A page per digest, and ``digests/``, the newest first."""
    entries = []
    for digest in load_digests(session):
        address = where.digests[digest.id]
        facts = [digest.title, digest.label, digest.intro, digest.period_start, digest.period_end]
        editors = [p.name for p in digest.editors]
        inputs = (facts, digest.url, editors, [keys[r.id] for r in digest.reviews])
        write.page(address, "digest.html", inputs, partial(digest_page, session, digest, where))
        entries.append(Entry(digest.title, address, len(digest.reviews)))
    title = word("digests_all", site.language)
    write.page("digests/", "index.html", page=IndexPage(title, "digests/", entries))


def _paper_pages(
    session: Session,
    where: Addresses,
    write: _Writer,
    pairs: list[Pair],
    site: Site,
    keys: dict[int, str],
) -> list[tuple[PaperItem, int]]:
    """A page per paper with an address and a feed of its reviews, each only when one of
    its reviews (or the paper) changed; every paper with its count of reviews."""
    reviews_of: dict[int, list[tuple[str, Pair]]] = defaultdict(list)
    for pair in pairs:
        for m in pair[0].mentions:
            if m.confidence >= MIN_CONFIDENCE:
                reviews_of[m.paper_id].append((m.role, pair))
    items = {review.id: item for review, item in pairs}
    papers = _site_papers(session, sorted(where.papers))
    shown = {paper.id: paper_item(paper, where) for paper in papers}
    around = Surroundings(session, shown, _digests_of_reviews(session))
    found = []
    for paper in papers:
        address = where.papers[paper.id]
        linked = reviews_of.get(paper.id, [])
        inputs = (paper.updated_at, paper.title, sorted(a.alias for a in paper.aliases),
                  sorted((role, keys[r.id]) for role, (r, _) in linked))  # fmt: skip
        roles = [(role, r.id) for role, (r, _) in linked]
        make = partial(paper_page, session, paper, where, items, roles, around)
        write.page(address, "paper.html", inputs, make)
        if write.fresh(address, inputs, FEEDS):
            write_feeds(write.out, site, address, paper.title, [pair for _, pair in linked])
        found.append((shown[paper.id], len(Counter(r.id for _, (r, _) in linked))))
    return found


def _site_papers(session: Session, ids: list[int]) -> list[Paper]:
    """The papers with a page, with their aliases and identifiers, read 500 at a time."""
    papers: list[Paper] = []
    for start in range(0, len(ids), 500):
        query = (
            select(Paper)
            .where(Paper.id.in_(ids[start : start + 500]))
            .options(selectinload(Paper.aliases), selectinload(Paper.identifiers))
        )
        papers += session.scalars(query)
    return papers


def _digests_of_reviews(session: Session) -> dict[int, list[Digest]]:
    """The published digests that each review appears in."""
    found: dict[int, list[Digest]] = defaultdict(list)
    for digest in load_digests(session):
        for review in digest.reviews:
            found[review.id].append(digest)
    return found


def _paper_index(papers: list[tuple[PaperItem, int]], site: Site, write: _Writer) -> None:
    """``papers/``: most reviewed first; ``papers/a-z/``: by title."""
    most = sorted(papers, key=lambda p: (-p[1], p[0].title.casefold()))
    by_title = sorted(papers, key=lambda p: p[0].title.casefold())
    for address, listed, key in (
        ("papers/", most, "most_reviewed"),
        ("papers/a-z/", by_title, "a_z"),
    ):
        for page in paginate(word(key, site.language), address, listed, site.page_size * 5):
            write.page(page.url, "papers.html", page, page=page)  # (its inputs: the page)


def _identities(
    session: Session, reviews: list[Review], where: Addresses
) -> tuple[dict[str, str], dict[str, str]]:
    """What each review and paper page shows, by its address (``Manifest.addresses``);
    and the address of everything a page is known by (a paper by its arXiv id, DOI and
    title alike)."""
    found = {where.reviews[r.id]: f"review {r.source.kind} {r.external_id}" for r in reviews}
    known = {identity: address for address, identity in found.items()}
    ids = sorted(where.papers)
    query = select(Paper.id, Paper.arxiv_id, Paper.doi, Paper.title_key)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for pid, arxiv, doi, title in session.execute(query.where(Paper.id.in_(chunk))):
            address = where.papers[pid]
            found[address] = arxiv or doi or f"title {title}"
            for name in (arxiv, doi, f"title {title}"):
                if name:
                    known.setdefault(name, address)
    return found, known


def _redirects(
    write: _Writer, previous: Manifest | None, current: dict[str, str], known: dict[str, str]
) -> None:
    """A redirect page at every address a page of an earlier build had, when what it
    showed now lives elsewhere (a review retitled or moved, a provisional paper that
    became a catalog paper): links and bookmarks keep working."""
    if previous is None:
        return
    for address, identity in previous.addresses.items():
        moved_to = known.get(identity)
        if address in current or moved_to is None or moved_to == address:
            continue
        write.page(address, "redirect.html", ("redirect", moved_to), to=moved_to)
        write.pages.remove(address)  # not a page of its own: out of the sitemap
        current[address] = identity  # and kept, at the next builds too


def _static(out: Path, hub: Path) -> None:
    """The package's stylesheets, Pygments' rules, then the hub's own ``static/`` over them."""
    shutil.copytree(PACKAGE_STATIC, out / "static", dirs_exist_ok=True)
    (out / "static" / "code.css").write_text(code_css(), encoding="utf-8")
    own = hub / "static"
    if own.is_dir():
        shutil.copytree(own, out / "static", dirs_exist_ok=True)
