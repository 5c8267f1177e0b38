"""Telling Korean from English writing by its letters."""

from __future__ import annotations

import re

_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: str) -> str:
    """``"ko"`` or ``"en"``: Hangul syllables against Latin words, not letters, since
    Korean notes on ML papers are full of English terms ("transformer를 fine-tuning한다")."""
    sample = text[:20000]
    hangul = sum(1 for char in sample if "\uac00" <= char <= "\ud7a3")
    latin_words = len(_LATIN_WORD.findall(sample))
    return "ko" if hangul and hangul * 2 >= latin_words else "en"
