"""Markdown folders: Jekyll ``_posts``, Hugo ``content``, note collections such as ml-papers.

Front matter (YAML between ``---``, read without aliases; TOML between ``+++``)
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

import yaml
import yaml.composer

from nonmun.catalog.records import looks_like_paper_title
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
_YAML_OPEN = re.compile(r"\A---[ \t]*\r?\n")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$\n?", re.MULTILINE)
_DATE_VALUE = re.compile(r":\s*['\"]?\d{4}-\d{1,2}-\d{1,2}")
MAX_FRONT_MATTER = 64 << 10
MAX_NOTE_BYTES = 5 << 20  # a Markdown note: far more than any review, far less than memory
_PROSE = re.compile(r"(?:[.!?。]|[다요죠네까])\s*$|[가-힣]+[은는이가을를에서]\s+[가-힣]")
_TAGS_LINE = re.compile(r"^(?:#[\w가-힣-]+\s*)+$")


def markdown_files(folder: Path) -> Iterator[Path]:
    """The Markdown files under ``folder``, in a stable order, without READMEs and indexes."""
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in SUFFIXES and path.stem.lower() not in SKIP and path.is_file():
            yield path


def read_markdown(path: Path, root: Path, source: SourceRef) -> ReviewRecord:
    """One Markdown file as a review; invalid front matter is an error naming the line."""
    meta, body = front_matter(read_text(path, MAX_NOTE_BYTES), path)
    lines = [line.strip() for line in body.strip().splitlines()]
    noted, paper_authors = _note_title(lines)  # a paper note: the paper's URL line, its title
    named = _DATE_NAME.sub("", path.stem).strip()
    if noted is None and _is_note(lines) and looks_like_paper_title(named):
        noted = named  # "170629 Do GANs actually learn the distribution.md": the name says it
    title = _text(meta.get("title")) or _title_from(lines) or noted or named or path.stem
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
    """The front matter (YAML between ``---`` lines, TOML between ``+++``) and the body.

    YAML is read with limits: no aliases (a 500-byte "billion laughs" would
    expand to gigabytes), at most ``MAX_FRONT_MATTER`` bytes, and any value
    YAML cannot build (``date: 2023-02-30``) is an error naming the line.
    """
    if text.startswith("+++"):
        return _toml_front_matter(text, path)
    opening = _YAML_OPEN.match(text)
    if not opening:
        return {}, text
    rest = text[opening.end() :]
    closing = _YAML_CLOSE.search(rest)
    if closing is None:
        if _looks_like_yaml(rest):
            raise InputError(
                "front matter opened by --- is not closed by a --- line", source=str(path), line=1
            )
        return {}, text  # a horizontal rule that starts the text
    head = rest[: closing.start()]
    if len(head) > MAX_FRONT_MATTER:
        raise InputError(
            f"front matter longer than {MAX_FRONT_MATTER >> 10} KB", source=str(path), line=1
        )
    meta = _load_yaml(head, path)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError(
            "front matter must be a mapping of keys to values", source=str(path), line=2
        )
    return meta, rest[closing.end() :].lstrip("\r\n")


def _toml_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    head, sep, body = text[3:].partition("\n+++")
    if not sep:
        raise InputError("TOML front matter is not closed by +++", source=str(path), line=1)
    if len(head) > MAX_FRONT_MATTER:
        raise InputError(
            f"front matter longer than {MAX_FRONT_MATTER >> 10} KB", source=str(path), line=1
        )
    try:
        return tomllib.loads(head), body.lstrip("\n")
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise InputError(f"invalid TOML front matter: {exc}", source=str(path)) from None


class _NoAliasLoader(yaml.SafeLoader):  # type: ignore[misc]
    """YAML's safe loader without aliases (``*name``): front matter never needs them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        return super().compose_node(parent, index)


def _load_yaml(head: str, path: Path) -> Any:
    try:
        return yaml.load(head, Loader=_NoAliasLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise InputError(
            f"invalid YAML front matter: {reason}", source=str(path), line=line
        ) from None
    except (ValueError, OverflowError) as exc:  # a date or time that cannot be
        line = next(
            (n for n, text in enumerate(head.splitlines(), 2) if _DATE_VALUE.search(text)), 2
        )
        raise InputError(
            f"invalid date in front matter: {exc}", source=str(path), line=line
        ) from None
    except RecursionError:
        raise InputError("front matter nested too deep", source=str(path), line=2) from None


def _looks_like_yaml(rest: str) -> bool:
    first = next((line for line in rest.splitlines() if line.strip()), "")
    return bool(re.match(r"^[\w\"'-]+\s*:", first))


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
    title, authors = title_and_authors(content[1])
    if not looks_like_paper_title(title) or _PROSE.search(title) or re.search("[가-힣]", title):
        return None, ()  # the note starts with its own words, not with the paper's title
    return title, authors


def _is_note(lines: list[str]) -> bool:
    """A paper note: its first line is the paper's address."""
    first = next((line for line in lines if line), "")
    return bool(_URL_LINE.match(first))


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        # "deep learning, NLP": two tags; Jekyll's "resnet cnn": two tags
        return [v.strip() for v in re.split(r"," if "," in value else r"\s+", value) if v.strip()]
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
