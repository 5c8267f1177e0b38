"""Tokens for matching titles and nicknames in mixed Korean/English text.

Latin words, Hangul runs and single other letters are separate tokens, so
"Transformer를" gives "Transformer" and "를"; a Hangul token also yields its
form without a trailing particle (조사), so "트랜스포머는" meets "트랜스포머".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nonmun.text.normalize import fold
from nonmun.text.terms import PARTICLES

_VERSION = re.compile(r"v(\d+)$")
_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+|[\uAC00-\uD7A3\u3131-\u318E]+|[^\W_]")


@dataclass(frozen=True, slots=True)
class Token:
    """A token of the original text: its folded form and where it stands."""

    norm: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def norms(text: str) -> list[str]:
    """Just the folded tokens (for catalog titles and nicknames)."""
    if text.isascii():  # folding ASCII is lower-casing, which keeps the tokens' bounds
        return _TOKEN.findall(text.lower())
    return [fold(m.group()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=1 << 16)
def without_josa(norm: str) -> str | None:
    """A Hangul token without its trailing particle, if it has one."""
    if not ("\uac00" <= norm[-1] <= "\ud7a3"):
        return None
    for josa in PARTICLES:
        if len(norm) > len(josa) + 1 and norm.endswith(josa):
            return norm[: -len(josa)]
    return None


def compact(words: list[str]) -> str:
    """Nickname key: tokens joined without separators, "v2" suffixes as "2" (StyleGANv2)."""
    key = "".join(words)
    return _VERSION.sub(r"\1", key) if key[-1:].isdigit() else key
