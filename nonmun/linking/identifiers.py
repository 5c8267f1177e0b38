"""Mentions by identifier: arXiv ids and URLs, DOIs, OpenReview, ACL Anthology, PMLR and
CVF open-access links found in a review's text.

The first and surest layer of the linker (``linker.py``); titles and
nicknames come on top of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from nonmun.catalog.identifiers import ARXIV_PAGES, normalize_doi, parse_arxiv_id

_ARXIV_MENTION = re.compile(
    rf"(?:arxiv\.org/{ARXIV_PAGES}/|arxiv:\s*)"
    r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Found:
    """An identifier found in text: the versionless arXiv id and the span that matched."""

    arxiv_id: str
    evidence: str
    start: int


def iter_arxiv_ids(text: str) -> Iterator[Found]:
    """Every arXiv id mentioned in ``text``, each time it is."""
    for match in _ARXIV_MENTION.finditer(text):
        parsed = parse_arxiv_id(match.group(1))
        if parsed:
            yield Found(parsed.id, match.group(0), match.start())


def find_arxiv_ids(text: str) -> list[Found]:
    """Every distinct arXiv id mentioned in ``text``, in order of first appearance."""
    found: dict[str, Found] = {}
    for hit in iter_arxiv_ids(text):
        found.setdefault(hit.arxiv_id, hit)
    return list(found.values())


# (scheme, pattern whose group 1 is the identifier), as stored in ``paper_identifier``
_OTHER_IDS = (
    ("doi", re.compile(r"(?:doi\.org/|doi:\s*|\b)(10\.\d{4,9}/[^\s\"'<>()\[\]]+)", re.I)),
    ("openreview", re.compile(r"openreview\.net/(?:forum|pdf)\?id=([A-Za-z0-9_\-]+)")),
    (
        "acl",
        re.compile(
            r"(?:aclanthology\.org|aclweb\.org/anthology)/([A-Z]\d{2}-\d{4}|\d{4}\.[a-z\-]+\.\d+)",
            re.I,
        ),
    ),
    ("pmlr", re.compile(r"proceedings\.mlr\.press/(v\d+/[a-z0-9\-]+?)(?:\.html|\.pdf|/)")),
    (
        "cvf",
        re.compile(
            r"openaccess\.thecvf\.com/\S*?/(?:html|papers)/([A-Za-z0-9_\-]+?)_paper\.(?:html|pdf)"
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class FoundId:
    """Another identifier found in text: its scheme, normalised value, span and place."""

    scheme: str
    value: str
    evidence: str
    start: int


def find_other_ids(text: str) -> list[FoundId]:
    """DOIs, OpenReview, ACL Anthology, PMLR and CVF ids in ``text``, first mention each."""
    found: dict[tuple[str, str], FoundId] = {}
    for scheme, pattern in _OTHER_IDS:
        for match in pattern.finditer(text):
            value = match.group(1)
            if scheme == "doi":
                value = normalize_doi(value.rstrip(".,;")) or ""
            if value and "arxiv" not in value:  # 10.48550/arXiv.… is an arXiv id, found above
                found.setdefault(
                    (scheme, value), FoundId(scheme, value, match.group(0), match.start())
                )
    return sorted(found.values(), key=lambda f: f.start)


def cvf_title(value: str) -> str:
    """The title words in a CVF file name: "He_Deep_Residual_Learning_CVPR_2016" gives
    "Deep Residual Learning"."""
    words = value.split("_")[1:]
    while words and (words[-1].isdigit() or words[-1].isupper()):
        words.pop()
    return " ".join(words)
