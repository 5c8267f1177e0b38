"""Features of a candidate link: what a text's occurrences of one paper say about it.

The linker finds occurrences wide (``Linker.occurrences``); this module describes each
candidate paper of a text as a fixed vector of numbers for the learned decision
(``decision.py``): how the paper was matched (identifier, whole title, title head,
nickname and what kind of name), where it stands (the first line, a heading, a list
item, a table, a link line, a reference list, quotes), the words around it (review
cues in Korean and English, "dataset"/"benchmark", comparisons), how often and how
early it is named, how many other papers the text names, whether its authors and year
agree, and whether the page's address names it too (``address.py``). The names and
their order are the model's contract: ``FEATURES``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from nonmun.linking.index import FIELD_OTHER, CatalogIndex
from nonmun.linking.links import Occurrence
from nonmun.linking.titles import KEY_WORDS, key_of
from nonmun.linking.tokens import compact, norms

METHODS = ("identifier", "title", "title-head", "short-title", "nickname")
FACTS = (
    "unique", "supported", "unsupported", "shared", "settled", "unsettled", "rival",
    "byline", "everyday", "head-name", "exact-case", "upper", "hangul", "digit", "near",
    "plural",
)  # fmt: skip
PLACES = (
    "first-line", "heading", "list-item", "table", "link-line", "references", "quoted",
    "parenthesised", "cue-review", "cue-dataset", "cue-compare", "cue-family", "rule-reviewed",
)  # fmt: skip
FEATURES = (
    *(f"method:{m}" for m in METHODS),
    *(f"fact:{f}" for f in FACTS),
    *(f"place:{p}" for p in PLACES),
    *(f"share:{p}" for p in ("first-line", "heading", "list-item", "rule-reviewed", "cue-review")),
    "rule-confidence", "words", "name-chars", "name-common", "title-crowd",
    "count", "first-at", "first-share", "rank", "is-first", "is-most-named", "count-share",
    "year-in-text", "author-in-text", "described", "described-item", "cue-after",
    "cue-after-item", "own-paragraph",
    "dataset-name", "field-other", "resource", "other-leads", "count-ratio",
    "papers", "strong-papers", "single",
    "page-chars", "page-list-share", "page-urls", "page-headings",
    "address", "address-review", "page-address",
)  # fmt: skip

_IDENTIFIED = FEATURES.index("method:identifier")


def identified(vector: list[float]) -> bool:
    """Whether the text gives the candidate's identifier (it names that paper, surely)."""
    return vector[_IDENTIFIED] > 0


_CUE_REVIEW = re.compile(
    r"논문\s*(?:리뷰|정리|요약|읽기|소개)|리뷰\s*(?:할|하|해)|소개\s*(?:할|하|해|드)|살펴\s*(?:볼|보)|"
    r"이번\s*(?:논문|글|포스트)|본\s*논문|이\s*논문|해당\s*논문|오늘의?\s*논문|읽은\s*논문|"
    r"다룹니다|다루(?:는|고|려|겠)|다뤄|알아보(?:자|겠|려|도록)|"
    r"this (?:paper|work|post)|the paper|in this (?:paper|work)|"
    r"we (?:propose|introduce|present|review)|propos(?:es|ed)|introduc(?:es|ed)|present(?:s|ed)|"
    r"the authors|저자|제안(?:한|하|했)",
    re.IGNORECASE,
)
_CUE_DATASET = re.compile(
    r"data\s?sets?|데이터\s*셋|데이터\s*세트|benchmarks?|벤치마크|corpus|corpora|코퍼스|"
    r"leaderboard|리더보드|test set|validation|challenge|competition|metric|지표|score|점수",
    re.IGNORECASE,
)
_CUE_COMPARE = re.compile(
    r"baselines?|베이스라인|compared?|비교|outperform|능가|보다|than|SOTA|"
    r"state[- ]of[- ]the[- ]art",
    re.IGNORECASE,
)
_CUE_FAMILY = re.compile(
    r"계열|시리즈|series|family|families|variants?|변형|models\b|모델들|such as|like\b|같은|"
    r"등의?\b",
    re.IGNORECASE,
)
# what a description of a paper says (the prose after a list entry's title)
_CUE_AFTER = re.compile(
    r"introduc|propos|present|contribution|show(?:s|ed)|demonstrat|develop|제안|소개|핵심|기여|"
    r"보여|주장|방법|아이디어|요약|summary|idea|method|approach",
    re.IGNORECASE,
)
# datasets, benchmarks and metrics: named as such, they are no links to their papers
DATASET_NAMES = frozenset(
    compact(norms(name))
    for name in (
        "MNIST|Fashion-MNIST|CIFAR|CIFAR-10|CIFAR-100|ImageNet|ImageNet-1K|ImageNet-21K|"
        "ImageNet-22K|ILSVRC|COCO|MS COCO|MSCOCO|Pascal VOC|Cityscapes|ADE20K|KITTI|CelebA|"
        "LSUN|FFHQ|SVHN|STL-10|Kinetics|UCF101|LibriSpeech|TIMIT|Common Voice|SQuAD|GLUE|"
        "SuperGLUE|MNLI|SNLI|SST-2|WikiText|WikiText-103|Penn Treebank|PTB|C4|The Pile|"
        "OpenWebText|BookCorpus|Cora|Citeseer|PubMed|OGB|PPI|MovieLens|Netflix Prize|ALE|"
        "Arcade Learning Environment|MuJoCo|OpenAI Gym|D4RL|HellaSwag|MMLU|GSM8K|HumanEval|"
        "MBPP|BIG-bench|TruthfulQA|WinoGrande|PIQA|BoolQ|Natural Questions|TriviaQA|HotpotQA|"
        "MS MARCO|BEIR|MTEB|LAMBADA|WMT|IWSLT|Inception Score|FID|BLEU|ROUGE|METEOR|CIDEr|"
        "ImageNet-C|MIMIC|MedQA|AgentBench|Mind2Web|OSWorld|WebArena|SWE-bench|ALFWorld|"
        "CheXpert|ShapeNet|ScanNet|nuScenes|LVIS|Objects365|Open Images|LAION|LAION-5B|CC3M|"
        "CC12M|Visual Genome|VQA|GQA|Flickr30k|AgentHarm"
    ).split("|")
)
# a post's address that says it reviews its subject ("/논문-리뷰-…", "/electra-review")
_ADDRESS_REVIEW = re.compile(r"review|리뷰|정리|번역|요약|summary|explained|paper|논문", re.I)
_REFERENCES = re.compile(
    r"^[ \t#*>]*(?:references?|bibliography|참고\s*(?:문헌|자료|논문)?|reference|출처|"
    r"related\s+(?:work|papers))[ \t:*]*$",
    re.IGNORECASE | re.MULTILINE,
)
_LIST = re.compile(
    r"^[ \t>]*(?:\d{1,3}[.)](?=\s|[A-Z\"“])|[-*•·▪◦]\s|\[\d{1,3}\]\s)"
)  # "4.Neural …" too
_URL = re.compile(r"https?://|www\.|arxiv\.org|doi\.org")
# an address written out: no words about a paper ("Title\nhttps://arxiv.org/abs/…" is a
# bare entry)
_LINK = re.compile(r"\S*(?:https?://|www\.|arxiv\.org/|doi\.org/)\S*")
_SENTENCE_END = re.compile(r"[.!?。]\s*$|[다요죠]\.?\s*$")
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
_QUOTES = "\"'‘“「『[(<*"
CUE_WINDOW = 60
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
PARAGRAPH_LEAD, PARAGRAPH_CHARS = 120, 150  # a paper opening a paragraph of its own
PROSE_REACH = 2000  # the prose after a naming is read this far at most


@dataclass
class Page:
    """A text read once: its lines and what kind of line each is."""

    text: str

    @cached_property
    def line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    @cached_property
    def first_line(self) -> int:
        """The number of the first line that has words."""
        for number in range(len(self.line_starts)):
            if self.line(number).strip():
                return number
        return 0

    @cached_property
    def references_at(self) -> int:
        match = _REFERENCES.search(self.text)
        return match.start() if match else len(self.text) + 1

    @cached_property
    def kinds(self) -> list[frozenset[str]]:
        return [self._kind(self.line(n)) for n in range(len(self.line_starts))]

    @cached_property
    def years(self) -> set[int]:
        return {int(y) for y in _YEAR.findall(self.text)}

    @cached_property
    def words(self) -> set[str]:
        return set(norms(self.text))

    @cached_property
    def paragraph_starts(self) -> list[int]:
        return [0] + [m.end() for m in _PARAGRAPH.finditer(self.text)]

    def paragraph(self, at: int) -> tuple[int, int]:
        """Where the paragraph around ``at`` begins and ends: blank lines part them, and
        a list entry's paragraph is its line and the lines indented under it, across
        blank lines (pages converted from HTML lists often read so), until the next
        entry."""
        number = self.line_of(at)
        if _LIST.match(self.line(number)):
            return self._entry(number)
        starts = self.paragraph_starts
        n = bisect_right(starts, at) - 1
        return starts[n], starts[n + 1] if n + 1 < len(starts) else len(self.text)

    def _entry(self, number: int) -> tuple[int, int]:
        depth = _indent(self.line(number))
        last = number
        for following in range(number + 1, len(self.line_starts)):
            line = self.line(following)
            if line.strip():
                if _indent(line) <= depth:
                    break
                last = following
        end = self.line_starts[last] + len(self.line(last))
        return self.line_starts[number] + depth, end

    def line(self, number: int) -> str:
        start = self.line_starts[number]
        end = self.line_starts[number + 1] - 1 if number + 1 < len(self.line_starts) else None
        return self.text[start:end]

    def line_of(self, at: int) -> int:
        return bisect_right(self.line_starts, at) - 1

    @staticmethod
    def _kind(line: str) -> frozenset[str]:
        kind = set()
        bare = line.strip()
        table = bare.startswith("|") or bare.count("|") >= 2  # rows without their first pipe
        if bare.startswith("#") or (
            0 < len(bare) <= 80
            and not _SENTENCE_END.search(bare)
            and not _LIST.match(line)
            and not table
        ):
            kind.add("heading")
        if _LIST.match(line):
            kind.add("list-item")
        if table:
            kind.add("table")
        if _URL.search(line):
            kind.add("link-line")
        return frozenset(kind)

    def share(self, kind: str) -> float:
        lines = [k for n, k in enumerate(self.kinds) if self.line(n).strip()]
        return sum(kind in k for k in lines) / max(len(lines), 1)


def places(page: Page, found: Occurrence) -> set[str]:
    """Where one occurrence stands and what is said around it."""
    number = page.line_of(found.start)
    got = set(page.kinds[number])
    if number == page.first_line:
        got.add("first-line")
    if found.start >= page.references_at:
        got.add("references")
    text = page.text
    if found.start and text[found.start - 1] in _QUOTES:
        got.add("quoted")
    before = text[max(0, found.start - CUE_WINDOW) : found.start]
    if before.rfind("(") > before.rfind(")"):
        got.add("parenthesised")
    around = text[max(0, found.start - CUE_WINDOW) : found.end + CUE_WINDOW]
    after = text[found.end : found.end + 25]
    for place, cue in (("cue-review", _CUE_REVIEW), ("cue-compare", _CUE_COMPARE)):
        if cue.search(around):
            got.add(place)
    if _CUE_DATASET.search(text[max(0, found.start - 25) : found.end + 25]):
        got.add("cue-dataset")
    if _CUE_FAMILY.search(after):
        got.add("cue-family")
    if found.role == "reviewed":
        got.add("rule-reviewed")
    return got


def candidates(
    index: CatalogIndex, text: str, found: list[Occurrence], address_at: int | None = None
) -> dict[int, list[float]]:
    """Every candidate paper of ``text`` and its feature vector (in ``FEATURES`` order).

    From ``address_at`` on, ``text`` is its page's address (``address.appended``). The
    address is evidence about the papers the text names, never a candidate of its own:
    what a page is about is what it says (a review that names its paper only in its URL
    names none, as the labeled pages have it)."""
    address_at = len(text) if address_at is None else address_at
    page = Page(text[:address_at])
    addressed = {o.paper_id for o in found if o.start >= address_at}
    reviewing = bool(_ADDRESS_REVIEW.search(text[address_at:]))
    found = [o for o in found if o.start < address_at]
    by_paper: dict[int, list[Occurrence]] = defaultdict(list)
    for occurrence in found:
        by_paper[occurrence.paper_id].append(occurrence)
    order = sorted(by_paper, key=lambda pid: min(o.start for o in by_paper[pid]))
    strong = sum(
        any(o.method in ("identifier", "title") for o in occs) for occs in by_paper.values()
    )
    most = max((len(occs) for occs in by_paper.values()), default=0)
    context = {
        "papers": math.log1p(len(by_paper)),
        "strong-papers": math.log1p(strong),
        "single": float(len(by_paper) == 1),
        "page-chars": math.log1p(len(page.text)),
        "page-list-share": page.share("list-item"),
        "page-urls": math.log1p(len(_URL.findall(page.text))),
        "page-headings": page.share("heading"),
        "page-address": float(address_at < len(text)),
    }
    leads = {pid for pid, occs in by_paper.items() if any(_leads(page, o) for o in occs)}
    index.facts(by_paper)  # one read for every candidate, one for their names' words
    index.word_counts(w for o in found for w in norms(text[o.start : o.end]))
    starts = sorted(o.start for o in found)
    vectors = {}
    for rank, pid in enumerate(order):
        values = _paper(index, page, by_paper[pid], len(found))
        prose = _prose_after(page, by_paper[pid], starts)
        values["described"] = math.log1p(len(prose))
        values["described-item"] = values["described"] * values.get("place:list-item", 0.0)
        values["cue-after"] = float(bool(_CUE_AFTER.search(prose[:300])))
        # a list entry with a sentence on what the paper does: reviewed, by the labels'
        # convention; a bare entry is a citation
        values["cue-after-item"] = values["cue-after"] * values.get("place:list-item", 0.0)
        values["own-paragraph"] = float(_own_paragraph(page, by_paper[pid], starts))
        values["other-leads"] = float(bool(leads - {pid}))
        others = max((len(o) for p, o in by_paper.items() if p != pid), default=0)
        values["count-ratio"] = math.log((1 + len(by_paper[pid])) / (1 + others))
        values.update(context)
        values["rank"] = math.log1p(rank)
        values["is-first"] = float(rank == 0)
        values["is-most-named"] = float(len(by_paper[pid]) == most)
        values["address"] = float(pid in addressed)
        values["address-review"] = float(pid in addressed and reviewing)
        vectors[pid] = [values.get(name, 0.0) for name in FEATURES]
    return vectors


def _paper(index: CatalogIndex, page: Page, occs: list[Occurrence], total: int) -> dict[str, float]:
    values: dict[str, float] = {}
    seen: list[set[str]] = [places(page, o) for o in occs]
    for o, where in zip(occs, seen, strict=True):
        values[f"method:{o.method}"] = 1.0
        for fact in o.facts:
            values[f"fact:{fact}"] = 1.0
        for place in where:
            values[f"place:{place}"] = 1.0
    for place in ("first-line", "heading", "list-item", "rule-reviewed", "cue-review"):
        values[f"share:{place}"] = sum(place in w for w in seen) / len(occs)
    best = max(occs, key=lambda o: o.confidence)
    first = min(occs, key=lambda o: o.start)
    name = page.text[best.start : best.end]
    values["rule-confidence"] = best.confidence
    values["words"] = math.log1p(max(o.size for o in occs))
    values["name-chars"] = math.log1p(len(name))
    values["name-common"] = math.log1p(_word_count(index, name))
    values["dataset-name"] = float(
        any(o.method == "nickname" and _dataset(page.text[o.start : o.end]) for o in occs)
    )
    values["title-crowd"] = math.log1p(_crowd(index, name))
    values["count"] = math.log1p(len(occs))
    values["count-share"] = len(occs) / max(total, 1)
    values["first-at"] = math.log1p(first.start)
    values["first-share"] = first.start / max(len(page.text), 1)
    facts = index.fact(best.paper_id)
    if facts is not None:
        values["year-in-text"] = float(facts.year is not None and facts.year in page.years)
        values["author-in-text"] = float(bool(facts.surname) and facts.surname in page.words)
        # (not "field-ml": the labeled set's supplement has no categories, so "unknown
        # field" would stand for "labeled")
        values["field-other"] = float(facts.field == FIELD_OTHER)
        values["resource"] = float(facts.resource)
    return values


def _leads(page: Page, found: Occurrence) -> bool:
    """The paper heads the text: named in its first line, or the rules call it reviewed there."""
    return page.line_of(found.start) == page.first_line


def _prose_after(page: Page, occs: list[Occurrence], starts: list[int]) -> str:
    """The prose after the paper's first naming, until another paper is named (a list
    entry with a sentence about it, against a bare citation)."""
    first = min(o.start for o in occs)
    end = max(o.end for o in occs if o.start == first)
    own = {o.start for o in occs}
    until = min(len(page.text), end + PROSE_REACH)
    for at in starts[bisect_left(starts, end) :]:
        if at >= until or at not in own:
            until = min(until, at)
            break
    return re.sub(r"\s+", " ", _LINK.sub(" ", page.text[end:until])).strip()


def _own_paragraph(page: Page, occs: list[Occurrence], starts: list[int]) -> bool:
    """The paper opens a paragraph of its own (a list of papers written as paragraphs, an
    entry with its notes under it): first named near the start of a paragraph of some
    length that names no other paper."""
    first = min(o.start for o in occs)
    begin, end = page.paragraph(first)
    own = {o.start for o in occs}
    others = starts[bisect_left(starts, begin) : bisect_left(starts, end)]
    return (
        first - begin <= PARAGRAPH_LEAD
        and end - begin >= PARAGRAPH_CHARS
        and all(at in own for at in others)
    )


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _dataset(name: str) -> bool:
    words = norms(name)
    return compact(words) in DATASET_NAMES or compact(words[:1]) in DATASET_NAMES


def _word_count(index: CatalogIndex, name: str) -> int:
    """How many catalog titles use the name's rarest word: everyday words are common."""
    return min(index.word_counts(norms(name)).values(), default=0)


def _crowd(index: CatalogIndex, name: str) -> int:
    """How many catalog titles begin with the name's first words ("Deep Learning …")."""
    words = norms(name)
    if len(words) < KEY_WORDS:
        return 0
    key = key_of(words)
    return len(index.titles([key]).get(key, ()))
