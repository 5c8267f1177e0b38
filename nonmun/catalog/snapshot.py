"""Reading the arXiv metadata snapshot: JSON lines, plain, ``.gz`` or ``.xz``, streamed.

``SnapshotReader`` yields one ``Parsed`` per line (a record or the reason it is
invalid) without ever holding more than a line in memory. The compression is
recognised from the file's first bytes, not its name.
"""

from __future__ import annotations

import lzma
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import orjson

from nonmun.background import in_background
from nonmun.catalog.identifiers import arxiv_year, normalize_doi, parse_arxiv_id
from nonmun.catalog.records import PaperRecord, Version
from nonmun.errors import InputError
from nonmun.text.normalize import collapse

BLOCK_SIZE = 1 << 18
MAX_TITLE = 2000  # characters; arXiv's longest titles are a few hundred
MAX_LINE_BYTES = 4 << 20  # an arXiv record is a few KB; a longer line is not one
_Block = tuple[list[bytes], int]  # whole lines, and how far into the raw file they reach
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}


@dataclass(frozen=True, slots=True)
class Parsed:
    """One line of a snapshot: its number and either a record or what is wrong with it."""

    line: int
    record: PaperRecord | None
    error: str | None = None


class SnapshotReader:
    """Iterates over the lines of a snapshot file after line ``start``, as ``Parsed``.

    ``position()`` is how many bytes of the (possibly compressed) file have been
    consumed, against ``size``, for progress bars.
    """

    def __init__(self, path: Path, start: int = 0):
        self.path, self.start = path, start
        self._position = 0
        try:
            self.size = path.stat().st_size
            self._raw: IO[bytes] = path.open("rb")
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None

    def position(self) -> int:
        return self._position

    def _chunks(self) -> Iterator[bytes]:
        """Decompressed chunks of the file, each at most ``BLOCK_SIZE * 4`` bytes (so a
        compression bomb never sits in memory whole); a truncated stream is an error."""
        magic = self._raw.read(6)
        self._raw.seek(0)
        make: Callable[[], Any] | None = None
        if magic.startswith(b"\x1f\x8b"):
            make = _GzipStream
        elif magic.startswith(b"\xfd7zXZ\x00"):
            make = _XzStream
        if make is None:
            while data := self._raw.read(BLOCK_SIZE):
                yield data
            return
        stream, pending = make(), b""
        while pending or (pending := self._raw.read(BLOCK_SIZE)):
            if stream.eof:  # the next gzip member or xz stream
                stream = make()
            yield stream.feed(pending)
            while (more := stream.more()) is not None:
                yield more
            pending = stream.leftover()
        if not stream.eof:
            raise InputError(
                "the compressed file is truncated (it ends before its end-of-stream mark); "
                "download it again",
                source=str(self.path),
            )

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """Yield ``(line number, raw line)`` after line ``start``, skipping blank lines.

        Decompression runs in a helper thread (zlib and lzma release the GIL), so
        it overlaps with parsing and storing the lines already read.
        """
        number = 0
        for block, position in in_background(self._blocks(), ahead=4):
            self._position = position
            for raw in block:
                number += 1
                if number > self.start and raw.strip():
                    yield number, raw

    def _blocks(self) -> Iterator[_Block]:
        rest = b""
        number = 0
        try:
            with self._raw:
                for chunk in self._chunks():
                    lines = (rest + chunk).split(b"\n")
                    rest = lines.pop()
                    number += len(lines)
                    if len(rest) > MAX_LINE_BYTES or any(len(x) > MAX_LINE_BYTES for x in lines):
                        raise InputError(
                            f"a line longer than {MAX_LINE_BYTES >> 20} MB: not a snapshot",
                            source=str(self.path),
                            line=number + 1,
                        )
                    yield lines, self._raw.tell()
                yield ([rest] if rest else []), self.size
        except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
            raise InputError(f"cannot decompress: {exc}", source=str(self.path)) from None

    def __iter__(self) -> Iterator[Parsed]:
        for number, raw in self.lines():
            try:
                yield Parsed(number, parse_record(orjson.loads(raw)))
            except orjson.JSONDecodeError as exc:
                yield Parsed(number, None, f"invalid JSON: {exc}")
            except ValueError as exc:
                yield Parsed(number, None, str(exc))


class _XzStream:
    """An xz stream fed in pieces, giving out at most ``BLOCK_SIZE * 4`` bytes at a time."""

    def __init__(self) -> None:
        self._d = lzma.LZMADecompressor()

    @property
    def eof(self) -> bool:
        return bool(self._d.eof)

    def feed(self, data: bytes) -> bytes:
        """Decompress from ``data`` (what ``more`` has not given out yet stays inside)."""
        return bytes(self._d.decompress(data, max_length=BLOCK_SIZE * 4))

    def leftover(self) -> bytes:
        """Input after the end of this stream: the start of the next one."""
        return bytes(self._d.unused_data) if self._d.eof else b""

    def more(self) -> bytes | None:
        """Output still held back from the last input, or ``None``."""
        if self._d.eof or self._d.needs_input:
            return None
        return self._d.decompress(b"", max_length=BLOCK_SIZE * 4)


class _GzipStream:
    """A gzip member fed in pieces, giving out at most ``BLOCK_SIZE * 4`` bytes at a time."""

    def __init__(self) -> None:
        self._d = zlib.decompressobj(wbits=47)  # a gzip header, any member

    @property
    def eof(self) -> bool:
        return bool(self._d.eof)

    def feed(self, data: bytes) -> bytes:
        return self._d.decompress(data, BLOCK_SIZE * 4)

    def leftover(self) -> bytes:
        return self._d.unused_data if self._d.eof else b""

    def more(self) -> bytes | None:
        if self._d.eof or not self._d.unconsumed_tail:
            return None
        return self._d.decompress(self._d.unconsumed_tail, BLOCK_SIZE * 4)


def parse_record(data: Any) -> PaperRecord:
    """Turn one decoded snapshot object into a ``PaperRecord``; ``ValueError`` if invalid."""
    if not isinstance(data, dict):
        raise ValueError("a record must be a JSON object")
    arxiv = parse_arxiv_id(_text(data, "id"))
    if arxiv is None:
        raise ValueError(f"invalid arXiv id {data.get('id')!r}")
    title = collapse(_text(data, "title"))
    if not title:
        raise ValueError(f"record {arxiv.id} has no title")
    if len(title) > MAX_TITLE:
        raise ValueError(f"record {arxiv.id}: a title of {len(title)} characters is not a title")
    versions = _versions(data.get("versions"))
    published = versions[0].submitted if versions else None
    updated = _iso_date(_text(data, "update_date") or None) or (
        versions[-1].submitted if versions else None
    )
    doi_field = _text(data, "doi").split()
    dois = [d for d in (normalize_doi(x) for x in doi_field) if d]
    return PaperRecord(
        title=title,
        authors=_authors(data),
        arxiv_id=arxiv.id,
        doi=dois[0] if dois else None,
        other_ids=tuple(("doi", d) for d in dois[1:]),
        versions=versions,
        published=published,
        updated=updated,
        year=published.year if published else arxiv_year(arxiv.id),
        journal_ref=collapse(_text(data, "journal-ref")) or None,
        abstract=_text(data, "abstract").strip() or None,
        categories=tuple(_text(data, "categories").split()),
        comments=collapse(_text(data, "comments")) or None,
        venue=collapse(_text(data, "venue")) or None,
        aliases=_aliases(data.get("aliases")),
    )


def _aliases(value: Any) -> tuple[str, ...]:
    """nonmun's extension of the schema: a list of nicknames ("ViT")."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise ValueError("aliases must be a list of strings")
    return tuple(a.strip() for a in value if a.strip())


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"field {key!r} must be a string, not {type(value).__name__}")
    return value


def _authors(data: dict[str, Any]) -> tuple[str, ...]:
    parsed = data.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        if not all(isinstance(p, list) and all(isinstance(x, str) for x in p) for p in parsed):
            raise ValueError("authors_parsed must be a list of [last, first, suffix] strings")
        try:  # [last, first, suffix] → "first last suffix"
            names = (
                " ".join(f"{p[1]} {p[0]} {p[2] if len(p) > 2 else ''}".split()) for p in parsed
            )
            return tuple(n for n in names if n)
        except (IndexError, KeyError, TypeError):
            raise ValueError(
                "authors_parsed must be a list of [last, first, suffix] lists"
            ) from None
    raw = collapse(_text(data, "authors"))
    return tuple(a.strip() for a in raw.replace(" and ", ", ").split(",") if a.strip())


def _versions(value: Any) -> tuple[Version, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError("versions must be a list")
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("version"), str):
            raise ValueError("each version needs a 'version' string")
        if not isinstance(item.get("created"), str | None):
            raise ValueError("a version's 'created' must be a date string")
        out.append(Version(item["version"], _rfc_date(item.get("created"))))
    return tuple(out)


@lru_cache(maxsize=65536)  # a snapshot has a few thousand distinct days
def _rfc_date(text: Any) -> date | None:
    """'Wed, 23 May 2007 00:00:00 GMT' → date(2007, 5, 23)."""
    if not isinstance(text, str) or not text:
        return None
    parts = text.replace(",", " ").split()
    try:
        return date(int(parts[3]), _MONTHS[parts[2][:3].title()], int(parts[1]))
    except (IndexError, KeyError, ValueError):
        raise ValueError(f"invalid version date {text!r}") from None


@lru_cache(maxsize=65536)
def _iso_date(text: Any) -> date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"invalid update_date {text!r}") from None
