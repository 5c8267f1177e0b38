"""The linker: which papers a text reviews and which it mentions, with evidence.

Three kinds of evidence, surest first: identifiers (arXiv ids and URLs), titles
(exact up to case, accents and punctuation, or long ones with one slip, against the
whole catalog) and nicknames ("ViT", "트랜스포머", "ViTs"). The placement rules say
where a name stands: *reviewed* in a heading-like line (a post title such as
"Title(2021)" or "논문 리뷰: Title", a digest's link line) or after a cue
("소개해드리고 싶은 논문은 …", "this paper"), else *mentioned*; nicknames shared by
several papers get a low confidence unless the text settles them. Names in a blog's
tag cloud are no candidates, and names in a run of bare "name, then its link" entries
(a reading list) are placed as mentions. What they say is evidence for the learned
decision (``decision.py``), which has the last word.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from itertools import pairwise

from nonmun.linking.address import appended
from nonmun.linking.decision import Model, decide
from nonmun.linking.identifiers import cvf_title, find_arxiv_ids, find_other_ids
from nonmun.linking.index import (
    KEY_WORDS,
    MAX_NICKNAME_WORDS,
    CatalogIndex,
    Nickname,
    PaperFacts,
)
from nonmun.linking.links import Link, MentionRecord, Occurrence, stored_method
from nonmun.linking.titles import TitleEntry, key_of
from nonmun.linking.tokens import Token, compact, norms, tokenize, without_josa

SHORT_TITLE_WORDS = 5  # shorter titles must look like titles where they stand
# words Title Case leaves in lower case ("Going Deeper with Convolutions")
_TITLE_CASE_SMALL = frozenset(
    "with from into onto over upon than that this without within through about after "
    "before between under versus".split()
)
LINE_REACH = 2000  # how far a match's line is read each side
_CUES = re.compile(
    r"소개(?:해\s*드리|하)[^.\n]{0,12}논문|리뷰할|이번\s*논문|오늘의\s*논문|이\s*논문은|"
    r"this paper|the paper we review|we review|(?:we|I)\s+(?:re-?)?read\b|다시\s*읽",
    re.IGNORECASE,
)
_URL_LEAD = re.compile(r"^(?:https?://)?(?:www\.|export\.)?$")
# a label naming the post's source before its link: "논문 원본 주소 https://arxiv.org/…",
# "논문 출처 :", "Paper: arXiv:…", "Original paper -"
_SOURCE_LEAD = re.compile(
    r"^(?:[^\w\s]{0,3}\s*)(?:(?:논문|원문|원본|출처)(?:\s*(?:원본|원문|출처|링크|주소|보기))*|"
    r"(?:original\s+)?paper(?:\s+link)?|arxiv|source)\s*[:：\-|]?\s*(?:https?://)?(?:www\.)?$",
    re.IGNORECASE,
)
# "[논문 리뷰]", "Paper Review:", "(리뷰)" before a title, and a nickname before its colon
_MARK_WORDS = r"(?:paper\s*review|논문\s*(?:리뷰|정리|읽기)|리뷰|review|paper)"
_WORD_MARK = rf"[\[(]?\s*{_MARK_WORDS}\s*[\])]?\s*[:\-|]?\s*"
# a venue in brackets before a post's title: "[ICCV 2023] Segment anything", "[NeurIPS'21]"
_VENUE_MARK = r"\[\s*(?:[A-Za-z]{3,10}\s*'?\s*\d{2,4}|\d{4}\s*[A-Za-z]{3,10})\s*\]\s*"
_MARK = rf"(?:{_VENUE_MARK}(?:{_WORD_MARK})?|{_WORD_MARK})"
_REVIEW_MARK = re.compile(f"^{_MARK}", re.IGNORECASE)
# "CLIP 논문에 대해 소개해드리려고 합니다": the name, then 논문, in a sentence introducing it
_PAPER_AFTER = re.compile(
    r"\s*(?:\([^)]{1,20}\)\s*)?(?:논문|paper)[^.\n]{0,30}(?:소개|리뷰|살펴|정리|review)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*\([^()]*\)\s*(?:-\s*[^.]{0,40}et al\.?)?\s*$")
_REVIEWING = re.compile(r"리뷰|정리|요약|review|summary", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?。]\s*$|[다요죠]\.?\s*$")
# a paragraph about the paper: it opens with the name as subject ("T5는 …", "X proposes …")
_SUBJECT = re.compile(
    r"(?:\s*\([^()\n]{1,120}\))?(?:[은는이가]\s|\s+(?:proposes|introduces|presents|shows)\b)"
)
_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[-*•·]|\[\d{1,3}\])$")
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
_PLURAL = re.compile(r"[A-Z]s$")  # "GANs", a curated name written as a plural
# a name's version goes on after it: "GPT-3.5" is no "GPT-3" and no "GPT" ("2.0" is "2")
_VERSION_GOES_ON = re.compile(r"(?<=\d)\.(?!0+\b)\d|-?\d+\.(?!0+\b)\d")
_TAG_ITEM = re.compile(r"^\s*(?:[-*•·▪◦#]\s*)(\S.*?)\s*$")  # "- 논문리뷰", "#ResNet"
TAG_CLOUD_ITEMS = 6  # a run of at least this many short list items may be a tag cloud
# a line that is only an address ("https://arxiv.org/abs/1409.3215", "- www.…/gpt2.pdf")
_LINK_LINE = re.compile(r"^\s*(?:[-*•·]\s*)?(?:\S{1,12}\s*:\s*)?(?:https?://|www\.)\S+\s*$")
LINK_LIST_ENTRIES = 3  # a run of at least this many bare "name, then its link" entries
_NAME_GAP = re.compile(r"[ \t\u00a0\-.·\u2010-\u2015/_]{0,3}")  # no "'": "BERT's", "Let's"


__all__ = ["Link", "Linker", "MentionRecord", "Occurrence", "merge_links", "rule_links"]


class Linker:
    """Finds the papers of a text against a ``CatalogIndex``; a learned model decides."""

    def __init__(self, index: CatalogIndex, model: Model | None = None):
        self.index = index
        self.model = model

    def link(self, text: str, address: str | None = None) -> list[Link]:
        """Every paper named in ``text``, one ``Link`` each, in order of first appearance
        (links under ``MIN_CONFIDENCE`` are suggestions). ``address``: the page's URL,
        whose words are evidence about those papers, never a paper of their own
        (``address.py``)."""
        text, address_at = appended(text, address)
        with self.index.reading():
            found = self._occurrences(text, address_at)
            return decide(self.index, text, found, self.model, address_at)

    def occurrences(self, text: str, address_at: int | None = None) -> list[Occurrence]:
        """Every place ``text`` names a catalog paper: the candidates to decide. From
        ``address_at`` on, ``text`` is its page's address (``address.appended``)."""
        with self.index.reading():
            return self._occurrences(text, len(text) if address_at is None else address_at)

    def _occurrences(self, text: str, address_at: int) -> list[Occurrence]:
        found: list[Occurrence] = []
        found += self._identifiers(text)
        tokens = tokenize(text)
        covered: set[int] = set()
        words = [t.norm for t in tokens]
        spans = _title_spans(text, address_at)
        keys = {key_of(words[i : i + KEY_WORDS]) for i in range(len(words) - KEY_WORDS + 1)}
        keys |= {key_of(w) for start, end in spans if len(w := norms(text[start:end])) == 2}
        titles = self.index.titles(keys)
        found += self._titles(text, tokens, titles, covered)
        found += self._short_titles(text, spans, titles)
        found += self._nicknames(text, tokens, covered, address_at)
        return _in_link_lists(text, _outside_tag_clouds(text, found))

    def missing_ids(self, text: str) -> list[tuple[str, str, str]]:
        """arXiv ids in ``text`` that the catalog lacks: (id, role, evidence) each."""
        missing = {}
        hits = find_arxiv_ids(text)
        known = self.index.papers_by_arxiv(h.arxiv_id for h in hits)
        for hit in hits:
            if hit.arxiv_id not in known and hit.arxiv_id not in missing:
                role = _role(text, hit.start, hit.start + len(hit.evidence), "identifier")
                missing[hit.arxiv_id] = (hit.arxiv_id, role, hit.evidence)
        return list(missing.values())

    def _identifiers(self, text: str) -> list[Occurrence]:
        found = []
        hits = find_arxiv_ids(text)
        known = self.index.papers_by_arxiv(h.arxiv_id for h in hits)
        for hit in hits:
            pid = known.get(hit.arxiv_id)
            if pid is not None:
                end = hit.start + len(hit.evidence)
                role = _role(text, hit.start, end, "identifier")
                found.append(Occurrence(pid, hit.start, end, "identifier", role, 1.0))
        for other in find_other_ids(text):
            pid = self.index.paper_by_ident(other.scheme, other.value)
            pid = self._cvf_paper(other.value) if pid is None and other.scheme == "cvf" else pid
            if pid is not None:
                end = other.start + len(other.evidence)
                role = _role(text, other.start, end, "identifier")
                found.append(Occurrence(pid, other.start, end, "identifier", role, 1.0))
        return found

    def _cvf_paper(self, value: str) -> int | None:
        """The one catalog paper whose title starts with a CVF file name's title words."""
        words = norms(cvf_title(value))
        if len(words) < KEY_WORDS:
            return None
        joined, key = " ".join(words), key_of(words)
        found = {
            e.paper_id
            for e in self.index.titles([key]).get(key, ())
            if e.whole and (e.words == joined or e.words.startswith(joined + " "))
        }
        return found.pop() if len(found) == 1 else None

    def _titles(
        self,
        text: str,
        tokens: list[Token],
        titles: dict[str, list[TitleEntry]],
        covered: set[int],
    ) -> list[Occurrence]:
        words = [t.norm for t in tokens]
        matches = []
        i = 0
        while i < len(words):
            best = _title_at(titles, words, i) or _near_title_at(titles, words, i)
            if best is None:
                i += 1
                continue
            size, pids, whole, near = best
            start, end = tokens[i].start, tokens[i + size - 1].end
            short = size < SHORT_TITLE_WORDS or not whole  # short titles, heads before a colon
            if short and not _looks_like_title(text, start, end):
                i += 1
                continue
            matches.append((i, size, pids, whole, near))
            i += size
        self.index.facts(pid for *_, pids, _, _ in matches for pid in pids)  # read at once
        found = []
        for i, size, pids, whole, near in matches:
            start, end = tokens[i].start, tokens[i + size - 1].end
            pid, confidence = self._settle(pids, text, start)
            facts = _settled_facts(len(pids), confidence) | ({"near"} if near else set())
            confidence *= 0.95 if size >= SHORT_TITLE_WORDS else 0.85
            supported = self._supported(pid, text, end, confidence * (1.0 if whole else 0.9))
            facts |= {"byline"} if supported > confidence * (1.0 if whole else 0.9) else set()
            role = _role(text, start, end)
            method = "title" if whole else "title-head"
            found.append(
                Occurrence(pid, start, end, method, role, supported, frozenset(facts), size)
            )
            found += _rivals(pids, pid, start, end, method, role, size)
            covered.update(range(i, i + size))
        return found

    def _short_titles(
        self, text: str, spans: list[tuple[int, int]], titles: dict[str, list[TitleEntry]]
    ) -> list[Occurrence]:
        """Two-word titles ("Neural Processes", "Segment Anything"), only where they are
        plainly a title: quoted, or heading the text or a line with a review mark or byline."""
        found = []
        for start, end in spans:
            words = norms(text[start:end])
            entries = titles.get(key_of(words), ()) if len(words) == 2 else ()
            pids = list(dict.fromkeys(e.paper_id for e in entries if e.whole and e.size == 2))
            if pids:
                pid, confidence = self._settle(pids, text, start)
                facts = frozenset(_settled_facts(len(pids), confidence))
                confidence = self._supported(pid, text, end, confidence * 0.85)
                role = _role(text, start, end)
                found.append(Occurrence(pid, start, end, "short-title", role, confidence, facts, 2))
                found += _rivals(pids, pid, start, end, "short-title", role, 2)
        return found

    def _supported(self, pid: int, text: str, end: int, confidence: float) -> float:
        """More confidence when the paper's first author or year follows the title
        ("(ICLR 2020) - Wen et al."); a wrong byline takes nothing away."""
        near = text[end : end + 120]
        line = near.split("\n", 1)[0]
        facts = self.index.fact(pid)
        year, surname = (facts.year, facts.surname) if facts else (None, "")
        years = {int(y) for y in _YEAR.findall(line)}
        by_year = year is not None and any(abs(y - year) <= 1 for y in years)
        by_author = bool(surname) and surname in norms(line)
        return min(0.95, confidence + 0.1) if by_year or by_author else confidence

    def _settle(self, pids: list[int], text: str, start: int) -> tuple[int, float]:
        """One paper among several with the same title: the one whose year or author is near."""
        if len(pids) == 1:
            return pids[0], 1.0
        near = text[max(0, start - 200) : start + 400].lower()
        years = {int(y) for y in _YEAR.findall(near)}
        facts = self.index.facts(pids)
        ordered = sorted(pids, key=lambda p: _first_out(facts.get(p)))
        for pid in ordered:
            found = facts.get(pid)
            if found and (found.year in years or (found.surname and found.surname in near)):
                return pid, 0.9
        return ordered[0], 0.4

    def _nicknames(
        self, text: str, tokens: list[Token], covered: set[int], address_at: int
    ) -> list[Occurrence]:
        found = []
        words = {t.norm for t in tokens} | {w for t in tokens if (w := without_josa(t.norm))}
        i = 0
        while i < len(tokens):
            caseless = tokens[i].start >= address_at and _lower_line(text, tokens[i].start)
            # "'s core" is no "SCoRE"; the "T5" of "VL-T5" is another model's name
            clipped = _after_apostrophe(text, tokens[i].start) or _in_hyphenated(
                text, tokens[i].start
            )
            hit = None if i in covered or clipped else self._nickname_at(text, tokens, i, caseless)
            if hit is None:
                i += 1
                continue
            size, candidates = hit
            start, end = tokens[i].start, tokens[i + size - 1].end
            pid, confidence = self._choose(candidates, words, text, start)
            facts = _nickname_facts(candidates, pid, confidence, text[start:end])
            role = _role(text, start, end, "nickname")
            found.append(Occurrence(pid, start, end, "nickname", role, confidence, facts, size))
            for rival in {n.paper_id for n in candidates} - {pid}:  # the model may prefer it
                facts = _nickname_facts(candidates, rival, 0.0, text[start:end])
                facts = (facts - {"unsettled"}) | {"rival"}
                found.append(Occurrence(rival, start, end, "nickname", role, 0.0, facts, size))
            i += size
        return found

    def _nickname_at(
        self, text: str, tokens: list[Token], i: int, caseless: bool = False
    ) -> tuple[int, list[Nickname]] | None:
        """The longest nickname at token ``i``; ``caseless``: its case says nothing (an
        address written in lower case), so names that are no everyday word and no mere
        title head need no capitals there."""
        first, starts = tokens[i].norm, self.index.nickname_starts
        plural = first[-1:] == "s" and first[:-1] in starts
        if first not in starts and compact([first]) not in starts and not plural:
            stripped = without_josa(first)
            if not stripped or stripped not in starts:
                return None  # no nickname starts so: most tokens end here
        for size in range(_longest_start(starts, tokens, i), 0, -1):
            if not all(_one_name(text, a, b) for a, b in pairwise(tokens[i : i + size])):
                continue  # "n) = Q" is no "NQ"
            if _VERSION_GOES_ON.match(text, tokens[i + size - 1].end):
                continue
            words = [t.norm for t in tokens[i : i + size]]
            keys = [compact(words)]
            stripped = without_josa(words[-1])
            if stripped:
                keys.append(compact([*words[:-1], stripped]))
            for key in keys:
                found = [
                    n
                    for n in self.index.nicknames.get(key, ())
                    if (caseless and not n.support) or _case_ok(n, text, tokens, i, size)
                ]
                if found:
                    return size, found
            if len(words[-1]) > 2 and words[-1].endswith("s"):  # "EfficientNets", "VAEs"
                singular = compact([*words[:-1], words[-1][:-1]])
                found = [
                    n
                    for n in self.index.nicknames.get(singular, ())
                    if n.exact_case and not n.support and _case_ok(n, text, tokens, i, size)
                ]
                if found:
                    return size, found
        return None

    def _choose(
        self, candidates: list[Nickname], words: set[str], text: str, at: int
    ) -> tuple[int, float]:
        """A nickname's paper. One paper: sure when the text also uses as many words of
        its title or other names as the name needs (``Nickname.support``). Several papers
        share it: those words decide, then a year nearby, else a low confidence that is
        reported, never counted."""
        overlap = {n.paper_id: self._overlap(n, words) for n in candidates}
        if len(candidates) == 1 and not candidates[0].ambiguous:
            nick = candidates[0]
            return nick.paper_id, 0.8 if overlap[nick.paper_id] >= nick.support else 0.45
        ranked = sorted(overlap.values(), reverse=True)
        if ranked[0] > 0 and (len(ranked) == 1 or ranked[0] > ranked[1]):
            best = max(candidates, key=lambda n: overlap[n.paper_id])
            return best.paper_id, 0.75 if ranked[0] >= best.support else 0.45
        years = {int(y) for y in _YEAR.findall(text[max(0, at - 150) : at + 150])}
        facts = self.index.facts(n.paper_id for n in candidates)
        dated = [n for n in candidates if (f := facts.get(n.paper_id)) and f.year in years]
        if len(dated) == 1:
            return dated[0].paper_id, 0.7
        return candidates[0].paper_id, 0.3

    def _overlap(self, nick: Nickname, words: set[str]) -> int:
        """How many words of the paper's title and other names the text uses, besides
        the name itself."""
        context = self.index.context(nick.paper_id)
        return len((context - set(norms(nick.text))) & words)


def _outside_tag_clouds(text: str, found: list[Occurrence]) -> list[Occurrence]:
    """``found`` without the names in a tag cloud: a run of short list items (a blog's
    sidebar: "- 논문리뷰", "- VGG16", "- 딥러닝", "- ResNet") most of which name no paper.
    A list of papers by their nicknames ("- BERT", "- GPT-2", "- T5") is no tag cloud."""
    lines = text.split("\n")
    starts = _line_starts(lines)
    dropped: list[tuple[int, int]] = []
    run: list[int] = []
    for number, line in enumerate([*lines, ""]):
        item = _TAG_ITEM.match(line)
        if item and len(item.group(1)) <= 25 and len(item.group(1).split()) <= 3:
            run.append(number)
            continue
        if len(run) >= TAG_CLOUD_ITEMS:
            span = (starts[run[0]], starts[run[-1] + 1])
            naming = {bisect_right(starts, o.start) for o in found if span[0] <= o.start < span[1]}
            if len(naming) * 3 <= len(run):  # lines that name a paper: a third at most
                dropped.append(span)
        run = []
    return [
        o for o in found
        if o.method == "identifier" or not any(a <= o.start < b for a, b in dropped)
    ]  # fmt: skip


def _in_link_lists(text: str, found: list[Occurrence]) -> list[Occurrence]:
    """``found``, with the names in a list of bare links placed as mentions: a run of
    entries that are each a short line and the address under it ("Attention is all you
    need" / "https://arxiv.org/abs/1706.03762"), with no prose about any of them. A
    title alone on its line heads a review, but a run of them is a reading list."""
    lines = text.split("\n")
    starts = _line_starts(lines)
    bare: list[tuple[int, int]] = []
    run: list[int] = []  # the lines of the current run of bare entries
    number = 0
    while number < len(lines):
        line = lines[number].strip()
        if not line:
            number += 1
            continue
        entry = (
            not _LINK_LINE.match(line)
            and len(line) <= 120
            and not _SENTENCE_END.search(line)
            and number + 1 < len(lines)
            and _LINK_LINE.match(lines[number + 1])
        )
        if entry:
            run += [number, number + 1]
            number += 2
            continue
        if len(run) >= 2 * LINK_LIST_ENTRIES:
            bare.append((starts[run[0]], starts[run[-1] + 1]))
        run = []
        number += 1
    if len(run) >= 2 * LINK_LIST_ENTRIES:
        bare.append((starts[run[0]], starts[run[-1] + 1]))
    return [
        replace(o, role="mentioned") if any(a <= o.start < b for a, b in bare) else o for o in found
    ]


def _line_starts(lines: list[str]) -> list[int]:
    """Where each of ``lines`` (a text split at newlines) begins, and where the text ends."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def rule_links(text: str, found: list[Occurrence]) -> list[Link]:
    """The placement rules' own decision (the features' ``rule-*``), for comparison."""
    return merge_links([_as_link(text, o) for o in found])


def _title_at(
    titles: dict[str, list[TitleEntry]], words: list[str], i: int
) -> tuple[int, list[int], bool, bool] | None:
    """The longest catalog title (or title head) at token ``i``: its length, its papers,
    whether it is a whole title rather than the part before a colon, and whether it is
    only near (false here: see ``_near_title_at``)."""
    best: tuple[int, list[int], bool, bool] | None = None
    for entry in titles.get(key_of(words[i : i + KEY_WORDS]), ()):
        size = entry.size
        if size < KEY_WORDS:
            continue  # a two-word title: only where it stands as one (``_short_titles``)
        if (best is None or size >= best[0]) and " ".join(words[i : i + size]) == entry.words:
            if best and best[0] == size:
                pids = best[1] if entry.paper_id in best[1] else [*best[1], entry.paper_id]
                best = (size, pids, best[2] or entry.whole, False)
            else:
                best = (size, [entry.paper_id], entry.whole, False)
    return best


def _near_title_at(
    titles: dict[str, list[TitleEntry]], words: list[str], i: int
) -> tuple[int, list[int], bool, bool] | None:
    """A whole title of ``SHORT_TITLE_WORDS`` words or more at token ``i`` but for one slip
    after its first words: a misspelt word ("Archietcture"), two words run together
    ("RecognitionWithout", as pages lose a line break) or one split apart."""
    found: dict[int, list[int]] = {}
    for entry in titles.get(key_of(words[i : i + KEY_WORDS]), ()):
        if entry.whole and entry.size >= SHORT_TITLE_WORDS:
            size = _near_size(entry.words.split(), words, i)
            if size:
                found.setdefault(size, []).append(entry.paper_id)
    if not found:
        return None
    size = max(found)
    return size, list(dict.fromkeys(found[size])), True, True


def _near_size(title: list[str], words: list[str], i: int) -> int:
    """How many of ``words`` from ``i`` spell ``title`` with exactly one slip (0: none)."""
    j, k, slipped = KEY_WORDS, i + KEY_WORDS, False
    if words[i : i + KEY_WORDS] != title[:KEY_WORDS]:
        return 0
    while j < len(title):
        if k >= len(words):
            return 0
        if words[k] == title[j]:
            j, k = j + 1, k + 1
            continue
        if slipped:
            return 0
        slipped = True
        if j + 1 < len(title) and words[k] == title[j] + title[j + 1]:
            j, k = j + 2, k + 1  # run together
        elif k + 1 < len(words) and title[j] == words[k] + words[k + 1]:
            j, k = j + 1, k + 2  # split apart
        elif _misspelt(words[k], title[j]):
            j, k = j + 1, k + 1
        else:
            return 0
    return k - i if slipped else 0


def _misspelt(word: str, meant: str) -> bool:
    """Whether ``word`` is ``meant`` (a long word) with one or two letters wrong, missing,
    extra or swapped."""
    if len(meant) < 6 or abs(len(word) - len(meant)) > 1 or word[:1] != meant[:1]:
        return False
    return _edits(word, meant, limit=2 if len(meant) >= 8 else 1) is not None


def _edits(a: str, b: str, limit: int) -> int | None:
    """The optimal string alignment distance of ``a`` and ``b`` if it is at most ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for x in range(1, len(a) + 1):
        row = [x] + [0] * len(b)
        for y in range(1, len(b) + 1):
            cost = a[x - 1] != b[y - 1]
            row[y] = min(previous[y] + 1, row[y - 1] + 1, previous[y - 1] + cost)
            if x > 1 and y > 1 and a[x - 1] == b[y - 2] and a[x - 2] == b[y - 1]:
                row[y] = min(row[y], previous2[y - 2] + 1)
        if min(row) > limit:
            return None
        previous2, previous = previous, row
    return previous[-1] if previous[-1] <= limit else None


def _as_link(text: str, found: Occurrence) -> Link:
    evidence = text[found.start : found.end]
    method = stored_method(found.method)
    return Link(found.paper_id, found.role, found.confidence, evidence, method, found.start)


def _first_out(facts: PaperFacts | None) -> tuple[int, str]:
    """Papers by when they came out (the first of a shared title is most often the one
    meant; its appendix, erratum or namesakes come later), unknown ones last."""
    if facts is None:
        return (9999, "")
    return (facts.year or 9999, facts.arxiv or "")


def _rivals(
    pids: list[int], chosen: int, start: int, end: int, method: str, role: str, size: int
) -> list[Occurrence]:
    """The other papers of a title several share: candidates too, the model may prefer one
    ("Dropout as a Bayesian Approximation: Appendix" against the paper itself)."""
    facts = frozenset({"shared", "rival"})
    return [Occurrence(p, start, end, method, role, 0.0, facts, size) for p in pids if p != chosen]


def _settled_facts(papers: int, confidence: float) -> set[str]:
    """How a title shared by several papers was settled: by year or author, or not."""
    if papers == 1:
        return {"unique"}
    return {"shared", "settled" if confidence >= 0.7 else "unsettled"}


def _nickname_facts(
    candidates: list[Nickname], pid: int, confidence: float, span: str
) -> frozenset[str]:
    """What the matched name is, and one status of how it was settled: ``unique`` (its
    paper's own name), ``supported``/``unsupported`` (a name that needs words of its
    title nearby, and has them or not), ``settled``/``unsettled`` (shared by several
    papers, and the text told them apart or not); the losers of a shared name are
    ``rival`` (set by the caller)."""
    nick = next(n for n in candidates if n.paper_id == pid)
    if len({n.paper_id for n in candidates}) > 1 or nick.ambiguous:
        facts = {"shared", "settled" if confidence >= 0.7 else "unsettled"}
    elif nick.support:
        facts = {"supported" if confidence >= 0.7 else "unsupported"}
    else:
        facts = {"unique"}
    facts |= {"everyday"} if nick.support == 1 else set()
    facts |= {"head-name"} if nick.support == 2 else set()
    facts |= {"exact-case"} if nick.exact_case else set()
    latin = [c for c in span if c.isascii() and c.isalpha()]
    facts |= {"upper"} if latin and all(c.isupper() for c in latin) else set()
    facts |= {"hangul"} if any("\uac00" <= c <= "\ud7a3" for c in span) else set()
    facts |= {"digit"} if any(c.isdigit() for c in span) else set()
    # "GANs", "ViTs": a family of models more often than the paper
    plural = (span.endswith("s") and not nick.text.endswith("s")) or _PLURAL.search(span)
    facts |= {"plural"} if plural else set()
    return frozenset(facts)


def _longest_start(starts: set[str], tokens: list[Token], i: int) -> int:
    """How many tokens from ``i`` on a nickname could span: each but the last must go on
    a nickname's beginning (the last may be a plural, a word with a particle, or a
    version "v2" that the key writes "2": ``compact``)."""
    size, joined = 1, tokens[i].norm
    while size < min(MAX_NICKNAME_WORDS, len(tokens) - i) and (
        joined in starts or joined.endswith("v")
    ):
        joined += tokens[i + size].norm
        size += 1
    return size


def _one_name(text: str, before: Token, after: Token) -> bool:
    """Whether two tokens may belong to one name: spaces, a hyphen, a dot or a middle dot
    between them ("Layer Norm", "R-CNN", "wav2vec 2.0", "DALL·E 2"), on one line."""
    return _NAME_GAP.fullmatch(text, before.end, after.start) is not None


def _after_apostrophe(text: str, at: int) -> bool:
    """Whether the token at ``at`` ends a word's possessive or contraction ("model's")."""
    return at >= 2 and text[at - 1] in "'’" and text[at - 2].isalnum()


def _in_hyphenated(text: str, at: int) -> bool:
    """Whether the token at ``at`` goes on a name joined to it by a hyphen ("VL-T5",
    "Sentence-BERT"): the whole is another name than its last part."""
    return at >= 2 and text[at - 1] in "-‐‑" and text[at - 2].isalnum()


def _lower_line(text: str, at: int) -> bool:
    """Whether the line at ``at`` is written in lower case throughout."""
    start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    line = text[start : end if end >= 0 else len(text)]
    return line == line.lower()


def _case_ok(nick: Nickname, text: str, tokens: list[Token], i: int, size: int) -> bool:
    """Word-like nicknames need their capitals; phrases ("Objects as Points") must look
    like a title where they stand."""
    start, end = tokens[i].start, tokens[i + size - 1].end
    if nick.exact_case:
        span = re.sub(r"[\s\-·]", "", text[start:end])
        shouted = span.isupper() and len(span) > 2  # "ADAM" for Adam, "VIT" for ViT
        own = re.sub(r"[\s\-·]", "", nick.text)  # "vq-wav2vec" is written so, or "vqwav2vec"
        # capitals inside a word make a coined name: a curated name that begins with a
        # capital is met so in other capitals ("LLaMA" where the table has "Llama", "GPIpe")
        coined = (
            nick.text[:1].isupper()
            and span.isalnum()
            and span.lower().startswith(own.lower())
            and not span.isupper()
            and span[1:] != span[1:].lower()
        )
        mixed = not nick.text.isupper() and not nick.text[1:].islower()
        # a coined name in camel case, written all lower-case: "googlenet", "resnet"
        lowered = (
            span == own.lower()
            and len(own) >= 6
            and own.isalpha()
            and re.search(r"[a-z][A-Z]", own) is not None
            and nick.support == 0  # a curated name: a title head "ReSearch" is no "research"
        )
        spaced = mixed and size > 1 and nick.support == 0  # "layer norm" for "LayerNorm"
        return span.startswith(own) or shouted or coined or lowered or spaced
    if " " in nick.text.strip():
        return _looks_like_title(text, start, end)
    return True


_MARKED_TITLE = re.compile(
    rf"^\s*(?:[\[(]\s*{_MARK_WORDS}\s*[\])]\s*[:\-|]?|{_MARK_WORDS}\s*[:\-|])\s*(?P<rest>\S.*)$",
    re.IGNORECASE,
)


def title_after_mark(title: str) -> str | None:
    """The paper's title in a post titled "[논문 리뷰] Title" or "Paper Review: Title"."""
    match = _MARKED_TITLE.match(title)
    return match.group("rest").strip() if match else None


_TITLE_LINE = re.compile(
    rf"^[ \t#>*]*(?P<mark>{_MARK})?[\"“‘']?(?P<title>[^\"“”‘’()\n]{{3,80}}?)"
    r"[\"”’']?\s*(?P<byline>\([^()\n]*\)(?:\s*-\s*[^.\n]{0,40}et al\.?)?)?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED = re.compile(r"[\"“‘]([^\"“”‘’\n]{3,80})[\"”’]")


def _title_spans(text: str, address_at: int) -> list[tuple[int, int]]:
    """Where a short title may stand: in quotes, or alone on the first line, on a line
    with a review mark ("논문 리뷰:") or a byline ("(2021)", "(ICLR 2020) - Wen et al."),
    or on a line of the page's address."""
    spans = [(m.start(1), m.end(1)) for m in _QUOTED.finditer(text)]
    for m in _TITLE_LINE.finditer(text):
        if not m.start() or m.start() >= address_at or m.group("mark") or m.group("byline"):
            spans.append((m.start("title"), m.end("title")))
    return spans


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The line around a match, at most ``LINE_REACH`` characters each side (a page of one
    5 MB line must not make every match read all of it)."""
    line_start = text.rfind("\n", max(0, start - LINE_REACH), start) + 1 or max(
        0, start - LINE_REACH
    )
    line_end = text.find("\n", end, end + LINE_REACH)
    return line_start, min(len(text), end + LINE_REACH) if line_end < 0 else line_end


def _looks_like_title(text: str, start: int, end: int) -> bool:
    """A short title counts where it stands alone, is quoted, or is written in Title Case."""
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip() or text[start - 1 : start] in "\"'‘“「『[(":
        return True
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", text[start:end]) if len(w) > 3]
    words = [w for w in words if w.lower() not in _TITLE_CASE_SMALL]  # "Going Deeper with …"
    return bool(words) and all(w[0].isupper() for w in words)


def _role(text: str, start: int, end: int, kind: str = "title") -> str:
    """``reviewed`` for a heading-like line or a cue sentence, else ``mentioned``.

    ``kind`` is how the paper was named: an ``identifier`` counts when it stands
    on a line of its own (a digest's link line), a ``title`` when it heads a
    short line ("Title(2021)", "논문 리뷰: Title"), a ``nickname`` only when it is
    the whole line or comes before a separator ("CLIP - …"): "Transformer 모델이란?"
    is about the idea, not a review of the paper.
    """
    line_start, line_end = _line_bounds(text, start, end)
    raw_lead = text[line_start:start].strip()
    lead = _REVIEW_MARK.sub("", _URL_LEAD.sub("", raw_lead))
    rest = text[end:line_end].strip()
    if kind == "identifier":
        heading = (not lead and not rest) or bool(_SOURCE_LEAD.match(raw_lead))
    elif kind == "nickname":
        short = len(rest) <= 30 and not _SENTENCE_END.search(rest)
        separators = "-:|—–," if line_start == 0 else "-:|—–"  # "DETR, explained: …" titles
        heading = not lead and (
            len(rest) <= 3 or rest[:1] in separators or (short and bool(_REVIEWING.search(rest)))
        )
    else:
        rest = _BYLINE.sub(
            "", rest.lstrip("\"”’'")
        )  # "(Authors)", "(2021)", "(ICLR 2020) - Wen et al."
        lead = lead.rstrip("\"“‘'")
        ends = _SENTENCE_END.search(rest or text[start:end])
        listed = _LIST_ITEM.match(lead)  # "1. Title", "- Title": a reading list, a bibliography
        short = len(lead) <= 12 and len(lead) + len(rest) <= 60 and not ends and not listed
        # "Title: what it does" opening a line: an entry's head, however long its gloss
        heading = short or (not lead and rest[:1] in ":|—–" and len(rest) > 1)
    if heading or (not lead and kind != "identifier" and _SUBJECT.match(text, end)):
        return "reviewed"
    sentence_start = max(text.rfind(". ", line_start, start) + 1, line_start)
    sentence_end = min(i for i in (text.find(". ", end, line_end), line_end) if i >= 0)
    if kind != "nickname" and _CUES.search(text[sentence_start:end]):
        return "reviewed"
    if _PAPER_AFTER.match(text, end, sentence_end):
        return "reviewed"
    return "mentioned"


def merge_links(links: list[Link]) -> list[Link]:
    """One link per paper: reviewed if any occurrence is, the highest confidence."""
    best: dict[int, Link] = {}
    for link in links:
        known = best.get(link.paper_id)
        if known is None:
            best[link.paper_id] = link
            continue
        role = "reviewed" if "reviewed" in (known.role, link.role) else "mentioned"
        top = max(known, link, key=lambda x: x.confidence)
        best[link.paper_id] = Link(
            link.paper_id,
            role,
            top.confidence,
            top.evidence,
            top.method,
            min(known.start, link.start),
        )
    return sorted(best.values(), key=lambda x: x.start)
