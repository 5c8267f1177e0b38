"""Pages saved as text, in the four shapes people publish reviews in.

* ``listing`` — a review blog's list page: "Title(2021)", an excerpt, "Continue reading";
* ``category`` — a blog category page: "카테고리/경로 18", then title and excerpt per post;
* ``newsletter`` — a weekly issue ("4월 4주차") of articles, each with "에디터 | 이름";
* ``digest`` — a paper URL line, a "Title (Authors)" line and notes, per paper; "#tags".

``detect_shape`` recognises them by these marks, not by file; each parser
yields plain records that ``store`` saves.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from nonmun.catalog.identifiers import ARXIV_HOST, ARXIV_PAGES
from nonmun.errors import InputError
from nonmun.ingest.records import ReviewRecord, SourceRef

SHAPES = ("listing", "category", "newsletter", "digest")
_MORE = re.compile(r"^(continue reading|read more|더\s*보기|더보기|계속\s*읽기)\s*[»→.…]*$", re.I)
_TITLE_YEAR = re.compile(r"^(?P<title>.{6,300}?)\s*\((?P<year>(?:19|20)\d\d)\)$")
_CATEGORY = re.compile(r"^(?P<path>[^\n/]{1,60}(?:/[^\n/]{1,60})+?)\s+(?P<count>\d{1,5})$")
_REVIEW_PREFIX = re.compile(
    r"^(?:논문\s*리뷰|paper\s*review|리뷰)\s*[:：\]-]\s*|^\[(?:paper\s*review|논문\s*리뷰)\]\s*",
    re.I,
)
_VENUE_LINE = re.compile(  # "Title" (ICLR 2020) - Wen et al.
    r"^[\"“](?P<title>[^\"”]{6,300})[\"”]\s*\((?P<venue>[^)]{2,40})\)"
    r"(?:\s*-\s*(?P<authors>[^.\n]*?et al\.?))?"
)
_EDITOR = re.compile(r"^(?:에디터|editor|글쓴이|작성자)\s*[|:：]\s*(?P<name>.+)$", re.I)
_WEEK = re.compile(r"(?P<month>\d{1,2})월\s*(?P<week>\d)주차")
_DATE = re.compile(r"(?P<y>20\d\d)\.\s*(?P<m>\d{1,2})\.\s*(?P<d>\d{1,2})\.")
_PAPER_URL = re.compile(
    rf"^https?://(?:{ARXIV_HOST}/{ARXIV_PAGES}/\S+|(?:www\.)?openreview\.net/\S+|"
    r"(?:www\.)?aclanthology\.org/\S+|"
    r"proceedings\.mlr\.press/\S+|openaccess\.thecvf\.com/\S+)$"
)
_HASHTAG = re.compile(r"(?<![\w/#])#([A-Za-z가-힣][\w-]{0,40})")
_AUTHORS = re.compile(r"^(?P<title>.+?)\s*\((?P<authors>[^()]{3,})\)\s*$")


@dataclass
class DigestRecord:
    """A weekly issue: its title, week label and dates, editors and articles in order."""

    title: str
    label: str | None
    published: date | None
    editors: list[str] = field(default_factory=list)
    intro: str = ""
    period_end: date | None = None  # when the issue covers more than its day
    url: str | None = None
    external_id: str | None = None  # default: from the source, title and label


@dataclass
class PageImport:
    """What one page yields: its reviews, and the digest they form when it is one."""

    shape: str
    reviews: list[ReviewRecord]
    digest: DigestRecord | None = None


def detect_shape(text: str) -> str | None:
    """The shape of a page, by the marks each leaves; ``None`` if none fits."""
    lines = _lines(text)
    scores = {
        "digest": sum(
            1
            for i, line in enumerate(lines[:-1])
            if _PAPER_URL.match(line) and not _PAPER_URL.match(lines[i + 1])
        ),
        "newsletter": 2 * sum(1 for line in lines if _EDITOR.match(line)),
        "listing": sum(1 for line in lines if _MORE.match(line)),
        "category": 2 * any(_CATEGORY.match(line) for line in lines[:5])
        + sum(1 for line in lines if _REVIEW_PREFIX.match(line)),
    }
    shape, best = max(scores.items(), key=lambda kv: kv[1])
    return shape if best >= 2 else None


def parse_page(text: str, source: SourceRef, shape: str | None = None) -> PageImport:
    """Parse ``text`` as ``shape`` (detected when not given)."""
    forced = shape
    shape = shape or detect_shape(text)
    if shape is None:
        raise InputError("not a page shape nonmun knows (listing, category, newsletter, digest)")
    parser: Callable[[list[str], SourceRef], PageImport] = _PARSERS[shape]
    page = parser(_lines(text, keep_blank=True), source)
    if forced and not page.reviews:
        raise InputError(f"read as {forced} (--as), it holds no reviews: not a {forced} page")
    return page


def _lines(text: str, keep_blank: bool = False) -> list[str]:
    lines = [line.replace("\xa0", " ").strip() for line in text.splitlines()]
    return lines if keep_blank else [line for line in lines if line]


def _blocks(lines: list[str]) -> list[list[str]]:
    """Paragraphs: runs of non-blank lines."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def title_and_authors(line: str) -> tuple[str, tuple[str, ...]]:
    """ "Title (Author One, Author Two)" as the title and the authors; else the line."""
    match = _AUTHORS.match(line)
    if not match:
        return line, ()
    authors = tuple(a.strip() for a in match.group("authors").split(","))
    if not all(_looks_like_name(a) for a in authors):
        return line, ()  # "(아, 물론 연도는 빼고.)" is an aside, not a list of authors
    return match.group("title"), authors


def _looks_like_name(text: str) -> bool:
    """A person's name, or "Vaswani et al.": a few words, no sentence in it."""
    words = text.split()
    if not 1 <= len(words) <= 5 or len(text) > 80:
        return False
    if text.endswith((".", "!", "?")) and not re.search(r"(?:et al|\b[A-Z])\.$", text):
        return False
    return not re.search(r"[가-힣]{2,}[은는을를에도고]\b|[다요]$", text)


def _year_in(text: str) -> int | None:
    found = re.search(r"(?<!\d)(19|20)\d\d(?!\d)", text)
    return int(found.group()) if found else None


def _external_id(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def _listing(lines: list[str], source: SourceRef) -> PageImport:
    """Title(Year) / excerpt paragraphs / "Continue reading", repeated."""
    reviews: list[ReviewRecord] = []
    entry: list[str] = []
    for block in _blocks(lines):
        if len(block) == 1 and _MORE.match(block[0]):
            if entry:
                reviews.append(_entry(entry, source))
            entry = []
        else:
            entry.extend(block)
    return PageImport("listing", reviews)


def _entry(lines: list[str], source: SourceRef) -> ReviewRecord:
    """One post of a list page; lines before a "Title(2021)" heading are page chrome."""
    at = next((i for i, line in enumerate(lines) if _TITLE_YEAR.match(line)), 0)
    heading, body = lines[at], "\n\n".join(lines[at + 1 :])
    match = _TITLE_YEAR.match(heading)
    title = match.group("title").strip() if match else heading
    tags = (f"year:{match.group('year')}",) if match else ()
    year = int(match.group("year")) if match else None
    return ReviewRecord(
        source, _external_id(source.name, title), title, body, tags=tags,
        paper_title=title if match else None, paper_year=year,
    )  # fmt: skip


def _category(lines: list[str], source: SourceRef) -> PageImport:
    """A category path with its count, then a title paragraph and an excerpt per post."""
    blocks = _blocks(lines)
    path = None
    for i, block in enumerate(blocks[:4]):
        match = _CATEGORY.match(block[0])
        if match:
            path, blocks = match.group("path"), blocks[i + 1 :]
            break
    reviews = []
    for heading, excerpt in zip(blocks[::2], blocks[1::2], strict=False):
        title = _REVIEW_PREFIX.sub("", heading[0]).strip()
        body = "\n".join(excerpt)
        venue = _VENUE_LINE.match(body)
        authors = (venue.group("authors"),) if venue and venue.group("authors") else ()
        tags = (f"venue:{venue.group('venue')}",) if venue else ()
        reviews.append(
            ReviewRecord(
                source,
                _external_id(source.name, title),
                title,
                body,
                tags=tags,
                category_path=path,
                # a review of one paper says so: "논문 리뷰: Title", or its venue line
                paper_title=title if _REVIEW_PREFIX.match(heading[0]) or venue else None,
                paper_year=_year_in(venue.group("venue")) if venue else None,
                paper_authors=authors,
            )
        )
    return PageImport("category", reviews)


def _newsletter(lines: list[str], source: SourceRef) -> PageImport:
    """A weekly issue: the header, then articles that each name an editor."""
    editors = [i for i, line in enumerate(lines) if _EDITOR.match(line)]
    header = [line for line in lines[: editors[0]] if line] if editors else []
    week = next((m for m in map(_WEEK.search, header) if m), None)
    day = next((m for m in map(_DATE.search, header) if m), None)
    published = date(int(day["y"]), int(day["m"]), int(day["d"])) if day else None
    title = next((line for line in header if _WEEK.search(line)), header[0] if header else "")
    reviews = []
    for n, at in enumerate(editors):
        start = _article_start(lines, at)
        end = _article_start(lines, editors[n + 1]) if n + 1 < len(editors) else len(lines)
        heading = [line for line in lines[start:at] if line]
        body = "\n".join(lines[at + 1 : end]).strip()
        editor = _EDITOR.match(lines[at])["name"].strip()  # type: ignore[index]
        article = " ".join(heading) or body[:60]
        reviews.append(
            ReviewRecord(
                source,
                _external_id(source.name, title, article),
                heading[0] if heading else article,
                "\n".join([*heading[1:], body]),
                published=published,
                authors=(editor,),
            )
        )
    label = f"{week['month']}월 {week['week']}주차" if week else None
    digest = DigestRecord(title, label, published, [r.authors[0] for r in reviews])
    return PageImport("newsletter", reviews, digest)


def _article_start(lines: list[str], editor_at: int) -> int:
    """An article's heading: the paragraph (and its "::" subtitle) just above its editor line."""
    i = editor_at - 1
    while i > 0 and not lines[i]:
        i -= 1
    while i > 0 and lines[i - 1]:
        i -= 1
    return i


def _digest(lines: list[str], source: SourceRef) -> PageImport:
    """Per paper: its URL line, "Title (Authors)", then notes until the next URL line."""
    text_lines = [line for line in lines if line]
    starts = [
        i
        for i, line in enumerate(text_lines[:-1])
        if _PAPER_URL.match(line) and not _PAPER_URL.match(text_lines[i + 1])
    ]
    tags = tuple(dict.fromkeys(_HASHTAG.findall("\n".join(text_lines[-3:]))))
    intro = "\n".join(text_lines[: starts[0]]) if starts else ""
    reviews = []
    for n, at in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text_lines)
        url, heading = text_lines[at], text_lines[at + 1]
        notes = [line for line in text_lines[at + 2 : end] if not _only_tags(line)]
        title, authors = title_and_authors(heading)
        reviews.append(
            ReviewRecord(
                source,
                _external_id(source.name, url),
                title,
                "\n".join([url, heading, *notes]),
                url=None,
                tags=tags,
                paper_title=title,
                paper_authors=authors,
            )
        )
    title = intro.splitlines()[0] if intro else "digest"
    return PageImport("digest", reviews, DigestRecord(title, None, None, intro=intro))


def _only_tags(line: str) -> bool:
    return bool(_HASHTAG.fullmatch(line.split()[0])) and all(
        _HASHTAG.fullmatch(w) for w in line.split()
    )


_PARSERS: dict[str, Callable[[list[str], SourceRef], PageImport]] = {
    "listing": _listing,
    "category": _category,
    "newsletter": _newsletter,
    "digest": _digest,
}
