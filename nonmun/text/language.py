"""Telling Korean from English writing by its letters."""

from __future__ import annotations


def detect_language(text: str) -> str:
    """``"ko"`` when Hangul makes up a fair share of the letters, else ``"en"``."""
    hangul = letters = 0
    for char in text[:20000]:
        if "\uac00" <= char <= "\ud7a3":
            hangul += 1
            letters += 1
        elif char.isalpha():
            letters += 1
    return "ko" if letters and hangul / letters >= 0.2 else "en"
