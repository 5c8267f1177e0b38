"""Markdown folders: Jekyll ``_posts``, Hugo ``content``, note collections such as ml-papers.

Front matter (YAML between ``---`` through python-frontmatter, TOML between ``+++``)
gives title, date, authors, tags, categories and the canonical URL. Without it, the
file itself does: a "# Heading", or a paper-note's URL line and "Title (Authors)"
line; a date in the file name ("2021-03-04-…", "210304 …"); "#hashtags" at the end.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from nonmun.errors import InputError
from nonmun.files import read_text
from nonmun.ingest.pages import title_and_authors
from nonmun.ingest.records import ReviewRecord, SourceRef

SUFFIXES = {".md", ".markdown", ".mdown"}
SKIP = {"readme", "license", "changelog", "index", "_index"}
_DATE_NAME = re.compile(
    r"^(?:(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)|(?P<yy>\d\d)(?P<mm>\d\d)(?P<dd>\d\d))[-_ ]"
)
_HEADING = re.compile(r"^#\s+(?P<title>.+?)\s*#*$", re.MULTILINE)
_URL_LINE = re.compile(r"^https?://\S+$")
_TAGS_LINE = re.compile(r"^(?:#[\w가-힣-]+\s*)+$")


def markdown_files(folder: Path) -> Iterator[Path]:
    """The Markdown files under ``folder``, in a stable order, without READMEs and indexes."""
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in SUFFIXES and path.stem.lower() not in SKIP and path.is_file():
            yield path


def read_markdown(path: Path, root: Path, source: SourceRef) -> ReviewRecord:
    """One Markdown file as a review; invalid front matter is an error naming the line."""
    meta, body = front_matter(read_text(path), path)
    lines = [line.strip() for line in body.strip().splitlines()]
    noted, paper_authors = _note_title(lines)  # a paper note: the paper's URL line, its title
    title = _text(meta.get("title")) or _title_from(lines) or noted or _DATE_NAME.sub("", path.stem)
    body_lines = [line for line in lines if not _TAGS_LINE.match(line)] if lines else []
    tags = _list(meta.get("tags")) + [
        t for line in lines if _TAGS_LINE.match(line) for t in re.findall(r"#([\w가-힣-]+)", line)
    ]
    authors = _list(meta.get("authors")) or _list(meta.get("author"))
    categories = _list(meta.get("categories")) or _list(meta.get("category"))
    return ReviewRecord(
        source,
        external_id=str(path.relative_to(root).with_suffix("")),
        title=title,
        body="\n".join(body_lines).strip(),
        published=_date(meta.get("date")) or _date_from_name(path.stem),
        url=_text(meta.get("canonical_url") or meta.get("url")) or None,
        authors=tuple(authors),
        tags=tuple(dict.fromkeys(tags)),
        category_path="/".join(categories) or None,
        language=_text(meta.get("lang") or meta.get("language")) or None,
        paper_title=noted,
        paper_authors=paper_authors,
    )


def front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    if text.startswith("+++"):
        head, sep, body = text[3:].partition("\n+++")
        if not sep:
            raise InputError("TOML front matter is not closed by +++", source=str(path), line=1)
        try:
            return tomllib.loads(head), body.lstrip("\n")
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"invalid TOML front matter: {exc}", source=str(path)) from None
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise InputError(
            f"invalid YAML front matter: {reason}", source=str(path), line=line
        ) from None
    if not isinstance(post.metadata, dict):
        raise InputError(
            "front matter must be a mapping of keys to values", source=str(path), line=2
        )
    return dict(post.metadata), post.content


def _title_from(lines: list[str]) -> str | None:
    """A "# Heading" near the top."""
    content = [line for line in lines if line]
    for line in content[:5]:
        heading = _HEADING.match(line)
        if heading:
            return heading.group("title")
    return None


def _note_title(lines: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """The line after a paper note's URL line: the paper's title and its "(Authors)";
    not a line of hashtags (a note may hold only the URL and its tags)."""
    content = [line for line in lines if line and not _TAGS_LINE.match(line)]
    if len(content) < 2 or not _URL_LINE.match(content[0]):
        return None, ()
    return title_and_authors(content[1])


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [
            v.strip() for v in re.split(r"[,\s]+" if "," in value else r"\s+", value) if v.strip()
        ]
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return [_text(value)]


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _date_from_name(stem: str) -> date | None:
    match = _DATE_NAME.match(stem)
    if not match:
        return None
    try:
        if match["y"]:
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
        return date(2000 + int(match["yy"]), int(match["mm"]), int(match["dd"]))
    except ValueError:
        return None
