"""What a build wrote and from what: ``.nonmun-site.json`` in the site's folder.

It lists the files the build wrote (a rebuild replaces only those, and a folder
holding anything else is refused), the *fingerprint* of everything the site shows
(the rows of reviews, papers, mentions, digests, sources and people, the settings,
the templates and static files, nonmun's version), and for each page the key of its
inputs. A rebuild whose fingerprint matches writes nothing; otherwise only pages
whose key changed are rendered again, the others stay as they are on disk. The
excerpts of reviews are kept too (by content hash), so that lists of unchanged
reviews need no Markdown parsing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from nonmun import __version__
from nonmun.config import Settings
from nonmun.db.schema import (
    Digest,
    DigestEditor,
    DigestReview,
    Mention,
    Paper,
    PaperAlias,
    Person,
    Review,
    ReviewAuthor,
    Source,
)
from nonmun.errors import InputError
from nonmun.pages import PACKAGE_STATIC, PACKAGE_TEMPLATES

MARK = ".nonmun-site.json"
FORMAT = 2


@dataclass
class Manifest:
    files: list[str] = field(default_factory=list)
    fingerprint: str = ""
    pages: dict[str, str] = field(default_factory=dict)  # page or feed path → key of its inputs
    excerpts: dict[str, list[Any]] = field(default_factory=dict)  # content hash → [text, more]
    # the address of each review and paper page (and of each redirect) → what it shows:
    # "review kind external-id", or a paper's arXiv id, DOI or "title …" key
    addresses: dict[str, str] = field(default_factory=dict)
    # the pages the search index's base holds (site.search), each with its key then
    indexed: dict[str, str] | None = None

    @classmethod
    def read(cls, target: Path) -> Manifest | None:
        """The manifest of an earlier build in ``target``; ``None`` for a new or empty
        folder; an error for a folder of other files."""
        if not target.is_dir() or not any(target.iterdir()):
            return None
        try:
            data = json.loads((target / MARK).read_text(encoding="utf-8"))
            files = [str(name) for name in data["files"]]
        except (OSError, ValueError, KeyError, TypeError):
            raise InputError(
                "not empty and not a site nonmun built; give a new or empty folder",
                source=str(target),
            ) from None
        if data.get("format") != FORMAT:
            return cls(files)  # an older build: its files are ours, its keys are not
        found = cls(files, data["fingerprint"], data["pages"], data["excerpts"], data["addresses"])
        found.indexed = data.get("indexed")
        return found

    def write(self, folder: Path) -> None:
        data = {"format": FORMAT, "fingerprint": self.fingerprint, "files": self.files}
        data |= {"pages": self.pages, "excerpts": self.excerpts, "addresses": self.addresses}
        data["indexed"] = self.indexed
        (folder / MARK).write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class State:
    """The earlier build in a folder, and what the hub would show now."""

    previous: Manifest | None
    salt: str
    fingerprint: str

    @property
    def unchanged(self) -> bool:
        return self.previous is not None and self.previous.fingerprint == self.fingerprint


def state_of(session: Session, settings: Settings, target: Path, all_papers: bool) -> State:
    """Whether a build into ``target`` has anything to do, cheaply: the command line
    asks before it loads the page layer."""
    previous = Manifest.read(target)
    own = [settings.hub / "templates", settings.hub / "static"]
    salted = salt(settings, [PACKAGE_TEMPLATES, PACKAGE_STATIC, *own], all_papers)
    return State(previous, salted, fingerprint(session, salted))


def key_of(*parts: Any) -> str:
    """A short stable hash of JSON-able ``parts`` (dates and dataclasses too)."""
    text = orjson.dumps(parts, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    return hashlib.blake2b(text, digest_size=12).hexdigest()


def salt(settings: Settings, folders: list[Path], all_papers: bool) -> str:
    """What every page depends on besides its data: settings, templates, static files."""
    files = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    files.append([path.relative_to(folder).as_posix(), _file_hash(path)])
    site = [settings.site_title, settings.base_url, settings.ui_language, settings.page_size]
    return key_of(__version__, site, all_papers, files)


def _file_hash(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=12).hexdigest()


def fingerprint(session: Session, salted: str) -> str:
    """The hash of every row a page can show, read in a few plain queries."""
    digest = hashlib.blake2b(salted.encode(), digest_size=16)
    queries = [
        select(Review.id, Review.content_hash, Review.source_id, Review.published, Review.title),
        select(Mention.review_id, Mention.paper_id, Mention.role, Mention.confidence),
        select(Paper.id, Paper.updated_at, Paper.title, Paper.provisional).where(
            Paper.id.in_(select(Mention.paper_id))
        ),
        select(PaperAlias.paper_id, PaperAlias.alias),
        select(Source.id, Source.name, Source.kind, Source.url),
        select(Person.id, Person.name),
        select(ReviewAuthor.review_id, ReviewAuthor.person_id),
        select(
            Digest.id, Digest.title, Digest.label, Digest.intro, Digest.period_start, Digest.status
        ),
        select(DigestReview.digest_id, DigestReview.review_id, DigestReview.position),
        select(DigestEditor.digest_id, DigestEditor.person_id),
    ]
    for query in queries:
        for row in session.execute(query.order_by(*query.selected_columns[:2])):
            digest.update(repr(tuple(row)).encode())
        digest.update(b"|")
    return digest.hexdigest()
