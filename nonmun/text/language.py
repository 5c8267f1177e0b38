"""Telling Korean, English, Chinese and Japanese writing apart by their letters."""

from __future__ import annotations

import re

_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: str) -> str:
    """``"ko"``, ``"en"``, ``"ja"`` or ``"zh"``: Hangul syllables against Latin words, not
    letters, since Korean notes on ML papers are full of English terms ("transformer를
    fine-tuning한다"); kana make Japanese, Chinese characters without them Chinese."""
    sample = text[:20000]
    hangul = sum(1 for char in sample if "\uac00" <= char <= "\ud7a3")
    latin_words = len(_LATIN_WORD.findall(sample))
    if hangul and hangul * 2 >= latin_words:
        return "ko"
    kana = sum(1 for char in sample if "\u3040" <= char <= "\u30ff")
    han = sum(1 for char in sample if "\u4e00" <= char <= "\u9fff")
    if kana * 2 >= max(latin_words, 1) and kana > hangul:
        return "ja"
    if han * 2 >= max(latin_words, 1) and han > hangul:
        return "zh"
    return "en"
