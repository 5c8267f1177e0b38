"""Tokens for matching titles and nicknames in mixed Korean/English text.

Latin words, Hangul runs and single other letters are separate tokens, so
"Transformer를" gives "Transformer" and "를"; a Hangul token also yields its
form without a trailing particle (조사), so "트랜스포머는" meets "트랜스포머".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nonmun.text.normalize import fold

_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+|[\uAC00-\uD7A3\u3131-\u318E]+|[^\W_]")
_JOSA = sorted(
    "은 는 이 가 을 를 의 에 와 과 로 도 만 으로 에서 에게 보다 처럼 까지 부터 이나 "
    "이라는 라는 이란 란 이다 이고 이며 인 과의 와의 에는 에도 으로는 로는 으로서 로서 "
    "입니다 이에요 예요".split(),
    key=len,
    reverse=True,
)


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
    return [fold(m.group()) for m in _TOKEN.finditer(text)]


def without_josa(norm: str) -> str | None:
    """A Hangul token without its trailing particle, if it has one."""
    if not ("\uac00" <= norm[-1] <= "\ud7a3"):
        return None
    for josa in _JOSA:
        if len(norm) > len(josa) + 1 and norm.endswith(josa):
            return norm[: -len(josa)]
    return None


def compact(words: list[str]) -> str:
    """Nickname key: tokens joined without separators, "v2" suffixes as "2" (StyleGANv2)."""
    return re.sub(r"v(\d+)$", r"\1", "".join(words))
