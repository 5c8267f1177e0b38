"""Web pages saved as HTML: the article (trafilatura) as Markdown, with the page's metadata.

trafilatura finds the article among menus and footers, decodes the page
(EUC-KR pages still exist) and reads title, date, tags and canonical URL from
meta tags and JSON-LD. The platform (Tistory, velog, Medium, Naver, Jekyll,
Hugo…) becomes the source's kind.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import lxml.html
import trafilatura

from nonmun.errors import InputError
from nonmun.ingest.records import ReviewRecord, SourceRef

MIN_ARTICLE_CHARS = 80  # a menu or a tag list is not an article
PLATFORMS = {
    "tistory.com": "tistory",
    "velog.io": "velog",
    "medium.com": "medium",
    "blog.naver.com": "naver",
    "github.io": "jekyll",
}


def looks_like_html(raw: bytes) -> bool:
    head = raw[:4096].lower()
    return b"<html" in head or b"<!doctype html" in head


def read_html(
    raw: bytes, origin: str, source: str | None = None, url: str | None = None
) -> ReviewRecord:
    """The article of an HTML page as a review; a page without one is an input error."""
    body = trafilatura.extract(raw, output_format="markdown", include_links=True, favor_recall=True)
    if not body or len(body.strip()) < MIN_ARTICLE_CHARS:
        raise InputError("no article text found in this HTML page", source=origin)
    meta = trafilatura.extract_metadata(raw)
    info: dict[str, Any] = meta.as_dict() if meta is not None else {}
    tree = _tree(raw)
    url = info.get("url") or url
    site = source or info.get("sitename") or info.get("hostname") or origin
    title = info.get("title") or _first_heading(body) or origin
    authors = _authors(info.get("author"), tree)
    return ReviewRecord(
        SourceRef(site, _platform(info.get("hostname") or "", tree), _home(url)),
        external_id=url or hashlib.sha1(title.encode()).hexdigest()[:16],
        title=title,
        body=_without_title(body.strip(), title),
        published=_day(info.get("date")),
        url=url,
        authors=tuple(authors),
        tags=tuple(dict.fromkeys([*(info.get("tags") or []), *(info.get("categories") or [])])),
    )


def _tree(raw: bytes) -> Any:
    try:
        return lxml.html.fromstring(raw)
    except (ValueError, lxml.etree.ParserError):
        return None


def _authors(found: str | None, tree: Any) -> list[str]:
    """trafilatura's author, else the page's own author meta tags (it drops some names)."""
    if found:
        return [a.strip() for a in found.split(";") if a.strip()]
    if tree is None:
        return []
    names = tree.xpath('//meta[@name="author" or @property="article:author"]/@content')
    return [str(n).strip() for n in names if str(n).strip() and not str(n).startswith("http")]


def _platform(hostname: str, tree: Any) -> str:
    for suffix, kind in PLATFORMS.items():
        if hostname == suffix or hostname.endswith("." + suffix):
            return kind
    generator = tree.xpath('string(//meta[@name="generator"]/@content)') if tree is not None else ""
    for name in ("jekyll", "hugo", "ghost", "wordpress", "gatsby"):
        if name in str(generator).lower():
            return name
    return "web"


def _home(url: str | None) -> str | None:
    if not url or "://" not in url:
        return None
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _first_heading(markdown: str) -> str | None:
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


def _without_title(markdown: str, title: str) -> str:
    """The body without a first "# Title" line that repeats the title."""
    first, _, rest = markdown.partition("\n")
    return rest.lstrip() if first.lstrip("# ").strip() == title.strip() else markdown
