"""RSS and Atom feeds (feedparser): one review per entry, its HTML body as Markdown; OPML lists.

feedparser's lenient parser reads real feeds with junk before ``<?xml`` (see
``tests/fixtures/blog_feeds``); a document with no feed in it is an input error.
Entries keep their GUID as the external id, so importing a feed again recognises
what is already there.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any
from xml.etree import ElementTree

import feedparser
from markdownify import markdownify

from nonmun.errors import InputError
from nonmun.ingest.records import ReviewRecord, SourceRef

_FEED_MARKS = (b"<rss", b"<feed", b"<rdf:rdf")


def is_opml(raw: bytes) -> bool:
    return b"<opml" in raw[:4096].lower()


def feed_urls(raw: bytes, origin: str) -> list[str]:
    """The feed URLs (``xmlUrl``) of an OPML list, nested outlines included."""
    if b"<!doctype" in raw[:4096].lower() or b"<!entity" in raw.lower():
        raise InputError("OPML with a DOCTYPE or entities is refused", source=origin)
    try:
        root = ElementTree.fromstring(raw.lstrip())
    except ElementTree.ParseError as exc:
        raise InputError(f"invalid OPML: {exc}", source=origin) from None
    urls = [o.get("xmlUrl", "").strip() for o in root.iter("outline")]
    return list(dict.fromkeys(u for u in urls if u))


def web_feeds(urls: list[str]) -> tuple[list[str], list[str]]:
    """The http(s) feeds of an OPML list, and the entries refused (an OPML never names
    local files: a list fetched from the web must not make nonmun read this machine)."""
    lowered = [u.lower() for u in urls]
    ok = [
        u for u, low in zip(urls, lowered, strict=True) if low.startswith(("http://", "https://"))
    ]
    return ok, [u for u in urls if u not in ok]


def looks_like_feed(raw: bytes) -> bool:
    head = raw[:4096].lower()
    return any(mark in head for mark in _FEED_MARKS)


def read_feed(raw: bytes, origin: str, source: str | None = None) -> list[ReviewRecord]:
    """Every entry of the feed in ``raw`` (``origin`` names it in errors)."""
    parsed = feedparser.parse(raw.lstrip())
    if not parsed.entries:
        if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
            reason = " ".join(str(parsed["bozo_exception"]).split())
            raise InputError(f"not a feed: not well-formed XML ({reason})", source=origin)
        what = "a feed with no entries" if parsed.get("version") else "no RSS or Atom feed found"
        raise InputError(f"not a feed with entries: {what}", source=origin)
    feed = parsed.feed
    kind = "atom" if str(parsed.get("version", "")).startswith("atom") else "rss"
    name = source or feed.get("title") or origin
    ref = SourceRef(name, kind, feed.get("link") or None, chosen=source is not None)
    language = feed_language(feed.get("language"))
    return [
        _entry(entry, ref, language)
        for entry in parsed.entries
        if entry.get("title") or entry.get("link")
    ]


def feed_language(value: Any) -> str | None:
    """``zh-cn`` → ``zh``, ``ko-KR`` → ``ko``: the language part of a feed's language tag."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _entry(entry: Any, source: SourceRef, language: str | None = None) -> ReviewRecord:
    html = (
        entry["content"][0].get("value", "") if entry.get("content") else entry.get("summary", "")
    )
    body = markdownify(html, heading_style="ATX").strip() if "<" in html else html.strip()
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    authors = [a.get("name", "") for a in entry.get("authors", []) if a.get("name")]
    return ReviewRecord(
        source,
        external_id=entry.get("id") or entry.get("link") or entry.get("title", ""),
        title=" ".join(entry.get("title", "").split()) or entry.get("link", ""),
        body=body,
        published=date.fromtimestamp(time.mktime(stamp)) if stamp else None,
        url=entry.get("link") or None,
        authors=tuple(authors),
        tags=tuple(t["term"] for t in entry.get("tags", []) if t.get("term")),
        language=language,
    )
