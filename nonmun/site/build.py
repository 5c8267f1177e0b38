"""``nonmun build``: the hub as a static site.

Every page comes from the page layer (``nonmun.pages``) and its templates; this
module decides which pages exist (the home page's pages, a page per review, per
paper that is reviewed or mentioned, per tag, source, author and category), writes
them as ``<address>index.html`` into a temporary folder and swaps it in at the
end, so a failed build leaves the previous site as it was. The folder holds a
``.nonmun-site.json`` listing what the build wrote: a rebuild replaces only those
files, and a folder holding anything else is refused.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from nonmun import files
from nonmun.config import Settings
from nonmun.db.schema import Paper, Review
from nonmun.errors import InputError
from nonmun.pages.addresses import Addresses, category_address, tag_address
from nonmun.pages.items import ReviewItem
from nonmun.pages.lists import paginate
from nonmun.pages.markdown import code_css
from nonmun.pages.paper import paper_page
from nonmun.pages.render import PACKAGE_STATIC, Renderer, Site
from nonmun.pages.review import load_reviews, review_page
from nonmun.pages.words import word

MARK = ".nonmun-site.json"


@dataclass
class BuildSummary:
    pages: int = 0
    reviews: int = 0
    papers: int = 0


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
    summary = BuildSummary()
    with files.replacing(target, owned) as out:

        def write(path: str, template: str, **context: object) -> None:
            page = out / path / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(renderer.render(template, path, **context), encoding="utf-8")
            summary.pages += 1

        tell("writing reviews")
        reviews = load_reviews(session)
        items = _review_pages(reviews, where, write)
        summary.reviews = len(reviews)
        newest = sorted(items.values(), key=_newest)
        for page in paginate(word("newest_reviews", site.language), "", newest, site.page_size):
            write(page.url, "home.html", page=page)
        _lists(reviews, items, where, site, write)
        tell("writing papers")
        summary.papers = _paper_pages(session, where, write)
        _static(out, settings.hub)
        written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
        (out / MARK).write_text(json.dumps({"files": [MARK, *written]}, indent=1) + "\n")
    return summary


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


Write = Callable[..., None]


def _newest(item: ReviewItem) -> tuple[bool, str, str]:
    return (item.date is None, "" if item.date is None else _neg(item.date.isoformat()), item.url)


def _neg(day: str) -> str:
    """A sort key that puts later ISO dates first."""
    return "".join(chr(0x7F - ord(c)) for c in day)


def _review_pages(reviews: list[Review], where: Addresses, write: Write) -> dict[int, ReviewItem]:
    by_source: dict[int, list[Review]] = defaultdict(list)
    for review in reviews:
        by_source[review.source_id].append(review)
    items = {}
    for same in by_source.values():
        for i, review in enumerate(same):
            before = same[i - 1] if i > 0 else None
            after = same[i + 1] if i + 1 < len(same) else None
            page = review_page(review, where, (before, after))
            write(where.reviews[review.id], "review.html", page=page, lang=review.language)
            items[review.id] = page.review
    return items


def _lists(
    reviews: list[Review],
    items: dict[int, ReviewItem],
    where: Addresses,
    site: Site,
    write: Write,
) -> None:
    """A list of reviews per tag, source, author and category (each part of its path)."""
    groups: dict[tuple[str, str], list[ReviewItem]] = defaultdict(list)
    for review in reviews:
        item = items[review.id]
        for tag in review.tags:
            groups[(tag_address(tag), f"#{tag}")].append(item)
        groups[(item.source.url or "", review.source.name)].append(item)
        for author in review.authors:
            groups[(where.people[author.id], author.name)].append(item)
        parts = [p.strip() for p in (review.category_path or "").split("/") if p.strip()]
        for n in range(1, len(parts) + 1):
            path = "/".join(parts[:n])
            groups[(category_address(path), path)].append(item)
    for (address, title), found in groups.items():
        found.sort(key=_newest)
        for page in paginate(title, address, found, site.page_size):
            write(page.url, "home.html", page=page)


def _paper_pages(session: Session, where: Addresses, write: Write) -> int:
    ids = sorted(where.papers)
    for start in range(0, len(ids), 500):
        query = (
            select(Paper)
            .where(Paper.id.in_(ids[start : start + 500]))
            .options(selectinload(Paper.aliases), selectinload(Paper.identifiers))
        )
        for paper in session.scalars(query):
            write(where.papers[paper.id], "paper.html", page=paper_page(session, paper, where))
    return len(ids)


def _static(out: Path, hub: Path) -> None:
    """The package's stylesheets, Pygments' rules, then the hub's own ``static/`` over them."""
    shutil.copytree(PACKAGE_STATIC, out / "static", dirs_exist_ok=True)
    (out / "static" / "code.css").write_text(code_css(), encoding="utf-8")
    own = hub / "static"
    if own.is_dir():
        shutil.copytree(own, out / "static", dirs_exist_ok=True)
