"""Normal forms of titles and names, used to recognise the same paper twice.

``title_key`` folds case, accents, TeX markup, punctuation and spacing, so
"Attention is all you need." and "{Attention Is All You Need}" meet; Hangul
survives intact. ``surname_key`` reduces an author name to its family name.
"""

from __future__ import annotations

import re
import unicodedata

_TEX_COMMAND = re.compile(r"\\[a-zA-Z]+\s*|\\.")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
TITLE_KEY_LENGTH = 255


def fold(text: str) -> str:
    """Lower-case ``text`` and drop accents (é → e) while keeping Hangul syllables whole."""
    if text.isascii():
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
