"""A page's address as words the linker reads: blogs write a post's title into its URL
("/@kartmon61/논문-번역-Swin-Transformer-Hierarchical-Vision-…"), paper sites its arXiv id
("/kr/papers/2105.14491"), wikis their subject ("?title=DQN").

``appended`` puts those words after the text, one line per part of the address, and
says where they begin: what the linker finds from that offset on is named by the
address (``features.py`` reads it as such, never as part of the text). After the text,
so that the text's own offsets and first line stay what they are. The host is left out
(a site's name is not its page's subject), and so are the parts that carry no words:
user names ("@kartmon61"), numbers, hashes, UUIDs, file extensions.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from nonmun.catalog.identifiers import parse_arxiv_id

MAX_ADDRESS = 2000  # characters of an address read at most
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_HASH = re.compile(r"(?<![0-9A-Za-z])(?=[0-9a-f]*\d)[0-9a-f]{12,}(?![0-9A-Za-z])", re.I)
_EXTENSION = re.compile(r"\.(?:html?|php|aspx?|jsp|md|txt|pdf|(?:en|ko|ja|zh))$", re.I)
_SEPARATORS = re.compile(r"[-_+~=,;:!|\s]+")
_WORDY = re.compile(r"[^\W\d_]{2,}|\d{4}\.\d{4,5}")  # letters, or an arXiv id
_BARE_ARXIV = re.compile(r"(?<![\w.])\d{4}\.\d{4,5}(?:v\d+)?(?![\w.])")


def address_lines(url: object) -> list[str]:
    """The address's parts that carry words, each as a line of space-separated words
    (none for what is not an http(s) URL)."""
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        return []
    try:
        parts = urlsplit(url[:MAX_ADDRESS])
    except ValueError:
        return []
    pieces = parts.path.split("/")
    pieces += [value for _, value in parse_qsl(parts.query)]
    lines = []
    for piece in pieces:
        words = _words(piece)
        if words and words not in lines:
            lines.append(words)
    return lines


def appended(text: str, url: object) -> tuple[str, int]:
    """``text`` followed by its address's lines, and the offset where they begin (the
    text's length when the address has no words)."""
    lines = address_lines(url)
    if not lines:
        return text, len(text)
    return f"{text}\n\n" + "\n".join(lines), len(text) + 2


def _words(piece: str) -> str:
    piece = _EXTENSION.sub("", unquote(piece).strip())
    if piece.startswith("@"):
        return ""  # a user's name
    piece = _HASH.sub(" ", _UUID.sub(" ", piece))
    words = _SEPARATORS.sub(" ", piece).strip()
    if not _WORDY.search(words):
        return ""
    # a paper site's "/papers/2105.14491" is that paper's identifier
    return _BARE_ARXIV.sub(lambda m: f"arXiv:{m[0]}" if parse_arxiv_id(m[0]) else m[0], words)
