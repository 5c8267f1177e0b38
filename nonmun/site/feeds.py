"""Atom and RSS feeds of reviews (the site's, a tag's, an author's, a source's, a paper's),
written by feedgen; and the machine files: sitemap, robots.txt, the site as JSON.

A feed holds the newest ``FEED_SIZE`` reviews, each with its canonical address,
title, excerpt, authors, tags and date (an undated review carries the day it came
into the hub, so that readers can order it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from xml.sax.saxutils import escape

import orjson
from feedgen.feed import FeedGenerator

from nonmun.db.schema import Review
from nonmun.pages.items import ReviewItem
from nonmun.pages.render import Site

FEED_SIZE = 50
ATOM = "feed.xml"
RSS = "rss.xml"


def write_feeds(
    out: Path,
    site: Site,
    page: str,
    title: str,
    reviews: Sequence[tuple[Review, ReviewItem]],
) -> list[str]:
    """``page``'s Atom and RSS feeds (``page`` + feed.xml, rss.xml); returns their paths."""
    fg = FeedGenerator()
    fg.id(site.base_url + page + ATOM)
    fg.title(title if page == "" else f"{title} · {site.title}")
    fg.description(title)
    fg.link(href=site.base_url + page, rel="alternate")
    fg.link(href=site.base_url + page + ATOM, rel="self")
    fg.language(site.language)
    newest = sorted(reviews, key=lambda pair: _when(pair[0]), reverse=True)[:FEED_SIZE]
    fg.updated(_when(newest[0][0]) if newest else datetime(1970, 1, 1, tzinfo=UTC))
    for review, item in reversed(newest):  # feedgen puts the last added first
        entry = fg.add_entry()
        entry.id(site.base_url + item.url)
        entry.guid(site.base_url + item.url, permalink=True)
        entry.title(item.title)
        entry.link(href=site.base_url + item.url)
        entry.published(_when(review))
        entry.updated(_when(review))
        entry.summary(item.excerpt or item.title)
        for author in item.authors:
            entry.author(name=author.name)
        for tag in item.tags:
            entry.category(term=tag.name)
    folder = out / page
    folder.mkdir(parents=True, exist_ok=True)
    fg.atom_file(str(folder / ATOM), pretty=True)
    fg.rss_file(str(folder / RSS), pretty=True)
    return [page + ATOM, page + RSS]


def _when(review: Review) -> datetime:
    day: date = review.published or review.created_at.date()
    return datetime.combine(day, time(), tzinfo=UTC)


def write_sitemap(out: Path, site: Site, pages: Iterable[str]) -> None:
    """``sitemap.xml`` of every page, and ``robots.txt`` pointing at it."""
    urls = "".join(
        f"  <url><loc>{escape(site.base_url + p)}</loc></url>\n" for p in sorted(set(pages))
    )
    (out / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n",
        encoding="utf-8",
    )
    (out / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\nSitemap: {site.base_url}sitemap.xml\n", encoding="utf-8"
    )


def write_json(out: Path, papers: list[object], reviews: list[ReviewItem]) -> None:
    """``site.json``: the site's papers and reviews, as the pages show them."""
    data = {"papers": papers, "reviews": reviews}  # orjson writes dataclasses as to_json does
    (out / "site.json").write_bytes(orjson.dumps(data) + b"\n")
