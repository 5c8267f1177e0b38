"""Search terms of Korean, English and mixed text: the one tokeniser of the search index.

Hangul is analysed by kiwipiepy (its model ships on PyPI): each word keeps its
stem without particles and endings ("트랜스포머는" → 트랜스포머, "오차역전파를" →
오차역전파) and, in documents, also the morphemes of a compound (오차, 역, 전파), so
that a query for part of a compound still finds it. Kiwi may split the same
compound differently in different sentences, which is why queries look for the
whole stem first. Latin words are folded and stemmed with the Snowball English
stemmer ("models" → model; PyStemmer's C code when installed), except a few words
whose stem would join them to a different idea (transformer is not transformation,
an adapter not adaptation: ``KEPT_FORMS``); English stop words are left out. Text
without Hangul never reaches the analyser (the catalog is indexed at the speed of
a regular expression and a cached stemmer).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

import snowballstemmer

from nonmun.text.normalize import fold

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")  # kana, Han
_LATIN = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+")
_WORD = re.compile(r"\S+")
NOUN_TAGS = frozenset({"NNG", "NNP", "NR", "XR", "XPN", "XSN", "SH"})
_NOT_STEM = ("J", "E", "XSV", "XSA", "VCP", "VCN", "VV", "VA", "VX", "SF", "SP", "SS", "SO", "SW")
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was "
    "were will with we our via using use based".split()
)
# Korean particles (조사) and copulas a noun may end in, longest first: how a word is
# matched without the analyser ("트랜스포머는" → 트랜스포머)
PARTICLES = sorted(
    "은 는 이 가 을 를 의 에 와 과 로 도 만 으로 에서 에게 보다 처럼 까지 부터 이나 "
    "이라는 라는 이란 란 이다 이고 이며 인 과의 와의 에는 에도 으로는 로는 으로서 로서 "
    "입니다 이에요 예요".split(),
    key=len,
    reverse=True,
)
# Words of the field whose Snowball stem is shared by an everyday word of another
# meaning: each keeps a stem of its own (transformer ≠ transform, adapter ≠ adapt,
# normalization ≠ normal, tokenizer ≠ token). Changing this table changes the
# index: a migration re-indexes the documents holding the old stems (0005).
KEPT_FORMS = {
    **dict.fromkeys(["transformer", "transformers"], "transformer"),
    **dict.fromkeys(["adapter", "adapters"], "adapter"),
    **{
        f"{base}{z}{end}": f"{base}z"  # British spellings meet American ones
        for base, ends in (
            ("normali", ("ation", "ations", "e", "ed", "es", "ing")),
            ("tokeni", ("er", "ers", "ation", "e", "ed", "es", "ing")),
        )
        for z in "zs"
        for end in ends
    },
}
_stemmer = snowballstemmer.stemmer("english")
_lock = threading.Lock()
_kiwi: Any = None

Unit = tuple[str, tuple[str, ...]]  # a word's term, and the parts of a compound


def units(text: str) -> list[Unit]:
    """Each word of ``text`` as its search term and (for Korean compounds) its parts."""
    text = normal(text)
    found: list[Unit] = [(t, (t,)) for t in cjk_terms(text)]
    if found:
        text = _CJK.sub(lambda m: " " * len(m.group()), text)
    if not _HANGUL.search(text):
        return found + [(t, (t,)) for w in _LATIN.findall(text) if (t := latin_term(w))]
    tokens = _analyser().tokenize(text)
    i = 0
    for word in _WORD.finditer(text):
        inside = []
        while i < len(tokens) and tokens[i].start < word.end():
            if tokens[i].start >= word.start() and tokens[i].tag not in ("SL", "SN"):
                inside.append(tokens[i])
            i += 1
        found += _hangul_stem(text, inside)
        latin = _HANGUL.sub(" ", word.group())  # Latin runs as the Latin-only path reads them
        found += [(t, (t,)) for w in _LATIN.findall(latin) if (t := latin_term(w))]
    return found


def normal(text: str) -> str:
    """The form every text is tokenised in: NFKC, so that Korean from a Mac (NFD),
    fullwidth letters (ｆｕｌｌ) and ligatures (ﬁ) meet their ordinary forms."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def cjk_terms(text: str) -> list[str]:
    """Chinese and Japanese text, which has no spaces, as overlapping pairs of characters
    (视频生成 → 视频 频生 生成), the usual way to search it without a dictionary."""
    found = []
    for run in _CJK.findall(text):
        found += [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
    return found


def _hangul_stem(text: str, tokens: list[Any]) -> list[Unit]:
    """A Korean word's noun stem (up to its first particle, ending or verb suffix), and
    the nouns Kiwi found in it."""
    if not tokens or tokens[0].tag not in NOUN_TAGS:
        return []
    stop = next((t for t in tokens if t.tag.startswith(_NOT_STEM)), None)
    end = stop.start if stop is not None else tokens[-1].start + tokens[-1].len
    stem = text[tokens[0].start : end].strip()
    parts = tuple(t.form for t in tokens if t.tag in NOUN_TAGS and t.start < end)
    return [(stem, parts or (stem,))] if _HANGUL.search(stem) else []


def terms(text: str) -> list[str]:
    """The terms a document is indexed under: each word's term and its parts."""
    text = normal(text)
    if not _HANGUL.search(text) and not _CJK.search(text):
        return [t for w in _LATIN.findall(text) if (t := latin_term(w))]
    found = []
    for term, parts in units(text):
        found.append(term)
        if len(parts) > 1:
            found += parts
    return found


def name_terms(text: str) -> list[str]:
    """The terms of short names (nicknames such as "ViT" or "트랜스포머") without the
    Korean analyser: a name has no particles, so each Hangul run is kept whole. Index
    papers under their nicknames this way, and importing a catalog never loads Kiwi
    (half a gigabyte) for the few Korean nicknames of well-known papers."""
    found = cjk_terms(text := normal(text))
    for word in _WORD.findall(text):
        found += _HANGUL_RUN.findall(word)
        found += [t for w in _LATIN.findall(_HANGUL.sub(" ", word)) if (t := latin_term(w))]
    return found


_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")


@lru_cache(maxsize=200_000)
def latin_term(word: str) -> str:
    """A folded, stemmed Latin word; "" for a stop word."""
    folded = fold(word)
    if folded in STOP_WORDS:
        return ""
    if kept := KEPT_FORMS.get(folded):
        return kept
    return str(_stemmer.stemWord(folded)) if folded.isalpha() else folded


def _analyser() -> Any:
    """The Kiwi analyser, loaded once per process on first need. Without its dictionary
    of multi-word names (데이터 사이언스, 테드 창: spaced phrases the index splits at the
    space anyway) it loads in 1.4 s and 330 MB instead of 3.6 s and 520 MB; over the
    1,711 ml-papers notes and samples 8 documents differ, each by a phrase's parts."""
    global _kiwi
    with _lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            _kiwi = Kiwi(load_multi_dict=False)
        return _kiwi
