"""Paper identifiers: recognising, validating and normalising arXiv ids and DOIs.

Accepts what people paste: ``2010.01412``, ``2010.01412v2``, ``arXiv:2010.01412``,
``hep-th/9901001``, ``math.GT/0309136``, abs/pdf/html URLs, ``10.1109/…``,
``doi:…`` and ``https://doi.org/…``. Normal forms are the versionless arXiv id
(old style without the subject class) and the lower-cased DOI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nonmun.errors import InputError, NotFoundError

_NEW_ID = re.compile(r"(?P<yymm>\d{4})\.(?P<num>\d{4,5})(?P<version>v\d+)?")
_OLD_ID = re.compile(
    r"(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[A-Za-z]{2})?/(?P<num>\d{7})(?P<version>v\d+)?"
)
# The one description of arXiv's addresses: the site and the kinds of page that name a paper
ARXIV_HOST = r"(?:www\.|export\.)?arxiv\.org"
ARXIV_PAGES = r"(?:abs|pdf|html|format)"
_ARXIV_URL = re.compile(
    rf"^(?:https?://)?{ARXIV_HOST}/{ARXIV_PAGES}/(?P<id>.+?)(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)

OLD_ARCHIVES = frozenset(
    "acc-phys adap-org alg-geom ao-sci astro-ph atom-ph bayes-an chao-dyn chem-ph cmp-lg "
    "comp-gas cond-mat cs dg-ga funct-an gr-qc hep-ex hep-lat hep-ph hep-th math math-ph "
    "mtrl-th nlin nucl-ex nucl-th patt-sol physics plasm-ph q-alg q-bio quant-ph solv-int "
    "supr-con".split()
)


@dataclass(frozen=True, slots=True)
class ArxivId:
    """A parsed arXiv identifier: ``id`` is versionless, ``version`` may be None."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"


def parse_arxiv_id(text: str) -> ArxivId | None:
    """Parse an arXiv id or URL; ``None`` if ``text`` is not one."""
    text = text.strip()
    match = _NEW_ID.fullmatch(text)  # the common case first
    if match:
        return _new_style(match)
    url = _ARXIV_URL.match(text)
    if url:
        text = url.group("id")
    elif text[:6].lower() == "arxiv:":
        text = text[6:].strip()
    match = _NEW_ID.fullmatch(text)
    if match:
        return _new_style(match)
    match = _OLD_ID.fullmatch(text)
    if match and match.group("archive") in OLD_ARCHIVES:
        version = match.group("version")
        return ArxivId(
            f"{match.group('archive')}/{match.group('num')}", int(version[1:]) if version else None
        )
    return None


def _new_style(match: re.Match[str]) -> ArxivId | None:
    yymm, num, version = match.group("yymm"), match.group("num"), match.group("version")
    month = int(yymm[2:])
    if not 1 <= month <= 12 or int(yymm) < 704:
        return None
    if (len(num) == 5) != (int(yymm) >= 1501):
        return None
    return ArxivId(f"{yymm}.{num}", int(version[1:]) if version else None)


def arxiv_year(arxiv_id: str) -> int | None:
    """The submission year encoded in an arXiv id."""
    digits = arxiv_id.split("/")[-1][:2] if "/" in arxiv_id else arxiv_id[:2]
    if not digits.isdigit():
        return None
    yy = int(digits)
    return 1900 + yy if yy >= 91 else 2000 + yy


def normalize_doi(text: str) -> str | None:
    """The lower-cased DOI in ``text`` (bare, ``doi:`` or doi.org URL), or ``None``."""
    doi = _DOI_PREFIX.sub("", text.strip()).strip().rstrip(".,;")
    return doi.lower() if _DOI.match(doi) else None


@dataclass(frozen=True, slots=True)
class PaperRef:
    """What a user typed to name a paper: exactly one of the fields is set."""

    arxiv: ArxivId | None = None
    doi: str | None = None
    scheme: str | None = None
    value: str | None = None
    paper_id: int | None = None


def parse_paper_ref(text: str) -> PaperRef:
    """Parse any identifier form a user may type; raise ``InputError`` if none fits.

    Besides arXiv ids and DOIs: ``#123`` or ``id:123`` (nonmun's own id) and
    ``scheme:value`` for other identifiers (``openreview:…``, ``acl:…``).
    """
    raw = text.strip()
    arxiv = parse_arxiv_id(raw)
    if arxiv:
        return PaperRef(arxiv=arxiv)
    doi = normalize_doi(raw)
    if doi:
        return PaperRef(doi=doi)
    own = re.fullmatch(r"(?:#|id:)(\d+)", raw)
    if own:
        return PaperRef(paper_id=row_id(own.group(1), text))
    other = re.fullmatch(r"([a-z][a-z0-9-]{1,30}):(\S+)", raw)
    if other:
        return PaperRef(scheme=other.group(1), value=other.group(2))
    raise InputError("not an arXiv id, DOI or known identifier", source=repr(text))


MAX_ROW_ID = 2**63 - 1  # the largest id a database row can have


def row_id(digits: str, text: str) -> int:
    """A row id written by a user (``#12``); a number no row can have is "not found"."""
    number = int(digits)
    if number > MAX_ROW_ID:
        raise NotFoundError("no such id in this hub", source=text.strip())
    return number


def require_arxiv_id(text: str) -> ArxivId:
    """Parse an arXiv id or URL, or raise ``InputError`` naming it."""
    arxiv = parse_arxiv_id(text)
    if arxiv is None:
        raise InputError("not a valid arXiv id or URL", source=repr(text))
    return arxiv
