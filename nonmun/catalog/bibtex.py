"""BibTeX in and out (through bibtexparser v2), and CSL-JSON out.

Import understands what Zotero, Google Scholar and arXiv produce: ``eprint`` +
``archivePrefix``, "arXiv preprint arXiv:…" journals, arXiv URLs, DOIs in
``doi`` or ``url``. Export writes ``@misc`` with ``eprint`` for preprints and
``@article``/``@inproceedings`` for published papers, so a library can move
into nonmun and back out.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bibtexparser import middlewares as mw
from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from nonmun.catalog.identifiers import normalize_doi, parse_arxiv_id
from nonmun.catalog.records import PaperRecord
from nonmun.db.schema import Paper
from nonmun.errors import InputError
from nonmun.files import read_text
from nonmun.text.normalize import collapse, fold

_ARXIV_IN_TEXT = re.compile(r"arxiv[:\s/]*(?:abs/)?(\d{4}\.\d{4,5}|[a-z-]+/\d{7})", re.IGNORECASE)
_CONFERENCE = re.compile(
    r"conference|proceedings|workshop|symposium|\b(neurips|nips|icml|iclr|cvpr|iccv|eccv|acl|"
    r"emnlp|naacl|aaai|ijcai|kdd|sigir|www|interspeech|icassp|coling|corl|uai|aistats)\b",
    re.IGNORECASE,
)
_NOT_VENUES = re.compile(r"^(arxiv|corr)\b", re.IGNORECASE)


def read_bibtex(path: Path) -> list[PaperRecord]:
    """Every entry of a ``.bib`` file as a record; a syntax error names its line."""
    return parse_bibtex(read_text(path), source=str(path))


def parse_bibtex(text: str, source: str = "<bibtex>") -> list[PaperRecord]:
    layers = [mw.LatexDecodingMiddleware(), mw.SeparateCoAuthors(), mw.SplitNameParts()]
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # errors are raised, not logged
    library = parse_string(text, append_middleware=layers)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        reason = _reason(getattr(block, "error", None))
        line = (block.start_line or 0) + 1
        raise InputError(f"BibTeX syntax error: {reason}", source=source, line=line)
    records = []
    for entry in library.entries:
        try:
            records.append(entry_record(entry))
        except ValueError as exc:
            raise InputError(str(exc), source=source, line=(entry.start_line or 0) + 1) from None
    return records


def _reason(error: object) -> str:
    for attr in ("abort_reason", "message"):
        if isinstance(getattr(error, attr, None), str):
            return " ".join(str(getattr(error, attr)).split())
    return " ".join(str(error).split()) or type(error).__name__


def entry_record(entry: Entry) -> PaperRecord:
    """One parsed BibTeX entry as a ``PaperRecord``."""
    fields = {k.lower(): v for k, v in entry.fields_dict.items()}

    def get(name: str) -> str:
        field = fields.get(name)
        return collapse(str(field.value)).replace("{", "").replace("}", "") if field else ""

    title = get("title")
    if not title:
        raise ValueError(f"entry {entry.key!r} has no title")
    arxiv = _arxiv_of(get("eprint"), get("archiveprefix"), get("journal"), get("url"), get("note"))
    doi = normalize_doi(get("doi")) or normalize_doi(get("url"))
    venue = get("journal") or get("booktitle")
    year = get("year")
    url = get("url")
    return PaperRecord(
        title=title,
        authors=_names(fields.get("author")),
        arxiv_id=arxiv,
        doi=doi,
        year=int(year) if year.isascii() and year.isdigit() and len(year) <= 4 else None,
        venue=None if _NOT_VENUES.match(venue) else venue or None,
        abstract=get("abstract") or None,
        categories=tuple(get("primaryclass").split()),
        links=(("url", url),) if url and not parse_arxiv_id(url) and not normalize_doi(url) else (),
    )


def _arxiv_of(eprint: str, prefix: str, *texts: str) -> str | None:
    if eprint and (not prefix or prefix.lower() == "arxiv"):
        parsed = parse_arxiv_id(eprint)
        if parsed:
            return parsed.id
    for text in texts:
        whole = parse_arxiv_id(text)
        found = whole.id if whole else _search_arxiv(text)
        if found:
            return found
    return None


def _search_arxiv(text: str) -> str | None:
    match = _ARXIV_IN_TEXT.search(text)
    parsed = parse_arxiv_id(match.group(1)) if match else None
    return parsed.id if parsed else None


def _names(field: Field | None) -> tuple[str, ...]:
    if field is None:
        return ()
    names = []
    for parts in field.value:
        if isinstance(parts, str):
            names.append(collapse(parts))
            continue
        first = " ".join(parts.first)
        last = " ".join([*parts.von, *parts.last])
        names.append(collapse(" ".join(x for x in (first, last, " ".join(parts.jr)) if x)))
    return tuple(n.replace("{", "").replace("}", "") for n in names if n)


def citation_keys(papers: Iterable[Paper]) -> dict[int, str]:
    """Readable, unique keys: surname + year + first title word (``vaswani2017attention``)."""
    keys: dict[int, str] = {}
    used: set[str] = set()
    for paper in papers:
        surname = fold(paper.authors[0]).split()[-1] if paper.authors else "anon"
        word = next((w for w in fold(paper.title).split() if len(w) > 3), "paper")
        base = re.sub(r"[^a-z0-9]", "", f"{surname}{paper.year or ''}{word}") or f"paper{paper.id}"
        key, n = base, 0
        while key in used:
            n += 1
            key = f"{base}{chr(ord('a') + n - 1) if n <= 26 else n}"
        used.add(key)
        keys[paper.id] = key
    return keys


RAW_FIELDS = ("url", "doi", "eprint")  # addresses and ids: never LaTeX-encoded


def write_bibtex(papers: list[Paper]) -> str:
    """The papers as a BibTeX document: text fields LaTeX-encoded, addresses as they
    are (``url = {https://…}``), capitals of titles protected (``{BERT}``, ``{ImageNet}``)
    so that a bibliography style's lower-casing keeps them, one blank line between."""
    library = Library()
    keys = citation_keys(papers)
    raw: dict[str, dict[str, str]] = {}
    for paper in papers:
        kind, fields = _bib_fields(paper)
        raw[keys[paper.id]] = {k: fields.pop(k) for k in RAW_FIELDS if fields.get(k)}
        library.add(Entry(kind, keys[paper.id], [Field(k, v) for k, v in fields.items() if v]))
    library = mw.LatexEncodingMiddleware(enclose_urls=False).transform(library)
    for entry in library.entries:
        title = entry.fields_dict.get("title")
        if title is not None:
            title.value = protect_capitals(title.value)
        for key, value in raw[entry.key].items():
            entry.set_field(Field(key, value))
    layout = BibtexFormat()  # type: ignore[no-untyped-call]
    layout.block_separator = "\n"
    return write_string(library, bibtex_format=layout)


_CAPITALS = re.compile(
    r"(?<![\\{\w])([A-Za-z]*[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|[A-Z][a-z]*\d\w*)"
)


def protect_capitals(title: str) -> str:
    """Braces around words whose capitals matter ("BERT", "ImageNet", "GPT-3", "T5")."""
    return _CAPITALS.sub(lambda m: "{" + m.group(1) + "}", title)


def _bib_fields(paper: Paper) -> tuple[str, dict[str, Any]]:
    fields: dict[str, Any] = {
        "title": paper.title,
        "author": " and ".join(paper.authors),
        "year": str(paper.year) if paper.year else None,
        "doi": paper.doi,
    }
    if paper.venue:
        kind = "inproceedings" if _CONFERENCE.search(paper.venue) else "article"
        fields["booktitle" if kind == "inproceedings" else "journal"] = paper.venue
    else:
        kind = "misc"
    if paper.arxiv_id:
        primary = paper.categories.split()[0] if paper.categories else None
        fields.update(eprint=paper.arxiv_id, archiveprefix="arXiv", primaryclass=primary)
        fields["url"] = f"https://arxiv.org/abs/{paper.arxiv_id}"
    if paper.abstract:
        fields["abstract"] = paper.abstract
    return kind, fields


def csl_json(papers: list[Paper]) -> list[dict[str, Any]]:
    """The papers as CSL-JSON items (what Zotero, Pandoc and citeproc read)."""
    keys = citation_keys(papers)
    items = []
    for paper in papers:
        item: dict[str, Any] = {"id": keys[paper.id], "title": paper.title}
        item["author"] = [_csl_name(name) for name in paper.authors]
        if paper.published:
            parts = [paper.published.year, paper.published.month, paper.published.day]
            item["issued"] = {"date-parts": [parts]}
        elif paper.year:
            item["issued"] = {"date-parts": [[paper.year]]}
        if paper.venue:
            item["type"] = (
                "paper-conference" if _CONFERENCE.search(paper.venue) else "article-journal"
            )
            item["container-title"] = paper.venue
        else:
            item["type"] = "article"
        if paper.arxiv_id:
            item.update(number=f"arXiv:{paper.arxiv_id}", publisher="arXiv")
            item["URL"] = f"https://arxiv.org/abs/{paper.arxiv_id}"
        if paper.doi:
            item["DOI"] = paper.doi
        if paper.abstract:
            item["abstract"] = paper.abstract
        items.append(item)
    return items


def _csl_name(name: str) -> dict[str, str]:
    parts = mw.names.parse_single_name_into_parts(name, strict=False)
    family = " ".join([*parts.von, *parts.last])
    given = " ".join(parts.first)
    return {"family": family, "given": given} if given else {"literal": name}
