"""Web pages saved as HTML: the article (trafilatura) as Markdown, with the page's metadata.

trafilatura finds the article among menus and footers, decodes the page
(EUC-KR pages still exist) and reads title, date, tags and canonical URL from
meta tags and JSON-LD. Around it, general rules that blog platforms share: a
page with one ``<article>`` is read from it alone; hidden elements and comment
threads are left out; tags come from meta keywords and from the post's own
``/tag/…`` links (not from a sidebar's tag cloud); the author's own spelling of
their name is kept. The platform (Tistory, velog, Medium, Naver, Jekyll,
Hugo…) becomes the source's kind, and a blog hosted under a path
(``velog.io/@name``, ``blog.naver.com/name``) is its own source.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import date
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import trafilatura

from nonmun.errors import InputError
from nonmun.ingest.records import ReviewRecord, SourceRef

MIN_ARTICLE_CHARS = 80  # a menu or a tag list is not an article
MAX_TAG_LINKS = 15  # more tag links than this on a page is a tag cloud, not the post's tags
PLATFORMS = {
    "tistory.com": "tistory",
    "velog.io": "velog",
    "medium.com": "medium",
    "blog.naver.com": "naver",
    "github.io": "jekyll",
}
HIDDEN = ['//*[@aria-hidden="true"]', "//*[@hidden]"]
TAG_HREF = re.compile(r"/tags?/([^/?#]+)/?$|[?&]tag=([^&#]+)")
NOT_POST_TAGS = "ancestor::aside or ancestor::nav or ancestor::*[contains(@class,'sidebar')]"
AUTHOR_META = ("naverblog:nickname", "author", "article:author")


def looks_like_html(raw: bytes) -> bool:
    head = raw[:4096].lower()
    return b"<html" in head or b"<!doctype html" in head


def frame_url(raw: bytes, url: str) -> str | None:
    """The post inside a Naver blog's frame page (``iframe#mainFrame``), if this is one."""
    tree = _tree(raw)
    found = tree.xpath('//iframe[@id="mainFrame"]/@src') if tree is not None else []
    return urljoin(url, str(found[0])) if found else None


def read_html(
    raw: bytes, origin: str, source: str | None = None, url: str | None = None
) -> ReviewRecord:
    """The article of an HTML page as a review; a page without one is an input error."""
    tree = _tree(raw)
    body = trafilatura.extract(
        _article_only(tree) if tree is not None else raw,
        output_format="markdown",
        include_links=True,
        include_comments=False,
        favor_recall=True,
        prune_xpath=HIDDEN,
    )
    if not body or len(body.strip()) < MIN_ARTICLE_CHARS:
        hint = "; import the post's own URL" if frame_url(raw, origin) else ""
        raise InputError(f"no article text found in this HTML page{hint}", source=origin)
    meta = trafilatura.extract_metadata(raw)
    info: dict[str, Any] = meta.as_dict() if meta is not None else {}
    url = info.get("url") or url
    title = info.get("title") or _first_heading(body) or origin
    return ReviewRecord(
        _source(source, info, tree, url),
        external_id=url or hashlib.sha1(title.encode()).hexdigest()[:16],
        title=title,
        body=_without_title(body.strip(), title),
        published=_day(info.get("date")),
        url=url,
        authors=tuple(_authors(info.get("author"), tree)),
        tags=_tags(info.get("tags") or [], tree),
    )


def _tree(raw: bytes) -> Any:
    try:
        return lxml.html.fromstring(raw)
    except (ValueError, lxml.etree.ParserError):
        return None


def _article_only(tree: Any) -> Any:
    """The page with its body narrowed to its one ``<article>``, when it has exactly one."""
    articles = tree.xpath("//article")
    body = tree.find("body")
    if len(articles) != 1 or body is None:
        return tree
    if len(articles[0].text_content().strip()) < MIN_ARTICLE_CHARS:
        return tree
    narrowed = copy.deepcopy(tree)
    new_body = narrowed.find("body")
    article = copy.deepcopy(articles[0])
    new_body.clear()
    new_body.append(article)
    return narrowed


def _meta(tree: Any, *names: str) -> list[str]:
    if tree is None:
        return []
    found = []
    for name in names:
        for value in tree.xpath(f'//meta[@name="{name}" or @property="{name}"]/@content'):
            if str(value).strip():
                found.append(str(value).strip())
    return found


def _authors(found: str | None, tree: Any) -> list[str]:
    """The page's own author meta (Naver's nickname included), else trafilatura's.

    trafilatura capitalises names ("mlreader" becomes "Mlreader") and drops some
    Korean ones, so its guess is the fallback, respelled as the page writes it.
    """
    names = [n for n in _meta(tree, *AUTHOR_META) if not n.startswith("http")]
    if names:
        return list(dict.fromkeys(names))
    if not found:
        return []
    text = tree.text_content() if tree is not None else ""
    return [_as_written(a.strip(), text) for a in found.split(";") if a.strip()]


def _as_written(name: str, text: str) -> str:
    match = re.search(re.escape(name), text, re.IGNORECASE)
    return match.group(0) if match else name


def _tags(found: list[str], tree: Any) -> tuple[str, ...]:
    """Meta keywords (split at commas) and the post's ``/tag/…`` links, without duplicates."""
    tags = [t.strip() for tag in found for t in tag.split(",")]
    links = tree.xpath(f"//a[@href][not({NOT_POST_TAGS})]") if tree is not None else []
    from_links = []
    for link in links:
        match = TAG_HREF.search(str(link.get("href")))
        if match:
            text = link.text_content().strip().lstrip("#")
            from_links.append(text or unquote(match[1] or match[2]))
    if len(from_links) <= MAX_TAG_LINKS:
        tags += from_links
    unique: dict[str, str] = {}
    for tag in tags:
        if tag:
            unique.setdefault(tag.casefold(), tag)
    return tuple(unique.values())


def _source(name: str | None, info: dict[str, Any], tree: Any, url: str | None) -> SourceRef:
    """The blog: named by the user, Naver's blog title, the site's name, else its address."""
    host = (urlsplit(url).hostname or "") if url else ""
    home = blog_home(url)
    site = name or next(iter(_meta(tree, "naverblog:title")), None)
    site = site or _site_name(info.get("sitename"), home) or info.get("hostname") or host
    platform = _platform(host or info.get("hostname") or "", tree)
    return SourceRef(site or "web", platform, home, chosen=name is not None)


def _site_name(found: str | None, home: str | None) -> str | None:
    """The site's name; on a platform hosting many blogs, its own name names none of them."""
    address = home.split("://", 1)[1] if home else None
    if address and "/" in address:
        platform = address.split("/", 1)[0]
        hosting = {platform, platform.split(".")[0], "medium", "naver blog"}
        return str(found) if found and found.casefold() not in hosting else address
    return found


def _platform(hostname: str, tree: Any) -> str:
    for suffix, kind in PLATFORMS.items():
        if hostname == suffix or hostname.endswith("." + suffix):
            return kind
    generator = " ".join(_meta(tree, "generator")).lower()
    for name in ("jekyll", "hugo", "ghost", "wordpress", "gatsby"):
        if name in generator:
            return name
    return "web"


def blog_home(url: str | None) -> str | None:
    """The blog's home: the site, or its first path segment where a platform hosts many blogs."""
    if not url or "://" not in url:
        return None
    parts = urlsplit(url)
    home = f"{parts.scheme}://{parts.netloc}"
    first = parts.path.strip("/").split("/", 1)[0]
    naver = (parts.hostname or "").endswith("blog.naver.com")
    if first.startswith("@") or (naver and first):
        return f"{home}/{first}"
    return home


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
    """The body without a first line that repeats the title (as a heading or as text)."""
    first, _, rest = markdown.partition("\n")
    plain = re.sub(r"\\(.)", r"\1", first).lstrip("# ").strip()
    return rest.lstrip() if plain == title.strip() else markdown
