"""Normal forms of text: what is stored (``clean``), and titles and names, used to
recognise the same paper twice.

``clean`` removes control characters (NUL, which PostgreSQL refuses; escape
sequences, which would reach a terminal) and composes Unicode (NFC: Korean
from a Mac's files is decomposed, NFD), so both databases store the same text.

``title_key`` folds case, accents, TeX markup, punctuation and spacing, so
"Attention is all you need." and "{Attention Is All You Need}" meet; Hangul
survives intact. ``surname_key`` reduces an author name to its family name.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

_TEX_COMMAND = re.compile(r"\\[a-zA-Z]+\s*|\\.")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
TITLE_KEY_LENGTH = 255
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ALL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """``text`` without control characters (tabs and line breaks stay), in NFC."""
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def clean_value(value: Any) -> Any:
    """``clean`` applied to every string inside ``value`` (lists, tuples, dicts)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list | tuple):
        return type(value)(clean_value(v) for v in value)
    if isinstance(value, dict):
        return {k: clean_value(v) for k, v in value.items()}
    return value


_PLAIN = re.compile("[\x00-\x7f\uac00-\ud7a3]*")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: no escape sequences, no carriage returns."""
    return _CONTROL_ALL.sub("", text) if _CONTROL_ALL.search(text) else text


def fold(text: str) -> str:
    """Lower-case ``text`` and drop accents (é → e) while keeping Hangul syllables whole."""
    if text.isascii() or _PLAIN.fullmatch(text):  # ASCII and Hangul syllables only
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold()


def collapse(text: str) -> str:
    """Collapse all runs of whitespace (line breaks included) into single spaces."""
    return " ".join(text.split())


def title_key(title: str) -> str:
    """A key equal for titles that differ only in case, accents, TeX, punctuation or spacing."""
    text = _TEX_COMMAND.sub("", title) if "\\" in title else title
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())[:TITLE_KEY_LENGTH]


def surname_key(name: str) -> str:
    """The folded family name of ``name`` ("Vaswani, Ashish" and "Ashish Vaswani" → "vaswani")."""
    name = name.strip()
    if "," in name:
        name = name.split(",", 1)[0]
    if "\\" in name:
        name = _TEX_COMMAND.sub("", name)
    words = _NOT_WORD.sub(" ", fold(name)).split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def slug(text: str, limit: int = 60, max_bytes: int = 120) -> str:
    """A file name or URL segment from any text: letters (Hangul too) and digits, joined
    by hyphens ("머신러닝&딥러닝 논문리뷰" → 머신러닝-딥러닝-논문리뷰).

    At most ``limit`` characters and ``max_bytes`` bytes of UTF-8 (file systems
    count bytes: 255 for a name), never cut inside a character.
    """
    words = re.findall(r"\w+", text.casefold())
    name = "-".join(words)[:limit]
    name = name.encode()[:max_bytes].decode(errors="ignore")
    return name.strip("-_") or "untitled"


def dated_slug(day: date | None, title: str) -> str:
    """``2023-04-26-title-words``, or ``undated-title-words``."""
    return f"{day.isoformat() if day else 'undated'}-{slug(title)}"
