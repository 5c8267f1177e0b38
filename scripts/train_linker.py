"""Train the linker's decision (nonmun/data/linker-model.json) and report how it does.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_linker.py [--hub /tmp/nonmun-linker-hub] [--write]

The hub holds the full shared catalog (the 741k 2007–2017 records and the 48k recent ML
records), the labeled set's supplement (links-real-catalog.jsonl) and the demo catalog;
it is built on the first run. Training texts, read from ../shared and tests/data (never
copied into the package): the real pages of links-real.jsonl, the four dev samples,
tests/data/links-unseen.jsonl, and the ml-papers notes with every URL removed (a note's
first-line arXiv link names the paper it reviews; its other candidates are unlabeled and
left out). tests/data/links-heldout.jsonl is never trained or tuned on: --heldout
measures the shipped model on it.

Prints cross-validated figures (10 folds by page, never a page in both train and test):
precision and recall per role at confidence ≥ 0.5 for each labeled set, per language and
page kind of links-real, and a reliability table with the expected calibration error.
--write fits on everything and writes the model.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CATALOG = [
    SHARED / "data" / "arxiv-all-2007-2017-no-abstracts.jsonl.xz",
    SHARED / "data" / "arxiv-recent-ml-2019-2025.jsonl.xz",
    SHARED / "eval" / "links-real-catalog.jsonl",
    ROOT / "nonmun" / "data" / "demo" / "catalog.jsonl",
]
LABELED = {
    "real": SHARED / "eval" / "links-real.jsonl",
    "dev": SHARED / "eval" / "links-dev.jsonl",
    "unseen": ROOT / "tests" / "data" / "links-unseen.jsonl",
}
HELDOUT = ROOT / "tests" / "data" / "links-heldout.jsonl"
NOTES = SHARED / "corpora" / "ml-papers" / "papers"
# note_weight: many notes, one label each: they must not drown the real pages;
# c, role_c: the inverse regularisation strengths of the link and role regressions
TUNING: dict[str, Any] = {"note_weight": 0.01, "c": 0.05, "role_c": 0.02}
URL = re.compile(r"https?://\S+")
ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})")
FOLDS = 10


@dataclass
class Page:
    """A training text: its labels and, once linked, its candidates."""

    source: str
    ident: str
    text: str
    labels: list[dict[str, Any]]
    lang: str = ""
    kind: str = ""
    partial: bool = False  # only the reviewed paper is labeled (ml-papers notes)
    pids: list[int] = field(default_factory=list)
    vectors: list[list[float]] = field(default_factory=list)
    classes: list[int | None] = field(default_factory=list)  # None: unknown, left out
    names: list[list[tuple[str, str]]] = field(default_factory=list)  # how each was named


def read_pages() -> list[Page]:
    pages = []
    for source, path in LABELED.items():
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            pages.append(
                Page(source, item["id"], item["text"], item["papers"],
                     item.get("lang", ""), item.get("kind", ""))
            )  # fmt: skip
    for path in sorted(NOTES.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        own = ARXIV.search(text.split("\n", 1)[0])
        if own:
            label = {"arxiv": own.group(1), "title": "", "role": "reviewed"}
            pages.append(Page("notes", str(path.relative_to(NOTES)), URL.sub("", text), [label],
                              partial=True))  # fmt: skip
    return pages


def open_hub(path: Path):  # type: ignore[no-untyped-def]
    from nonmun.catalog.importer import import_snapshot
    from nonmun.config import Settings
    from nonmun.db.engine import open_hub as open_

    fresh = not (path / "nonmun.db").exists()
    hub = open_(Settings(hub=path), create=True)
    marker = path / "catalog-complete"
    if fresh or not marker.exists():
        for snapshot in CATALOG:
            import_snapshot(hub, snapshot)
        marker.write_text("\n".join(map(str, CATALOG)) + "\n")
    return hub


def link_pages(hub, pages: list[Page]):  # type: ignore[no-untyped-def]
    """Candidates, features and classes of every page; the index and paper titles."""
    from sqlalchemy import select

    from nonmun.db.schema import Paper
    from nonmun.linking.address import appended
    from nonmun.linking.features import candidates
    from nonmun.linking.index import CatalogIndex
    from nonmun.linking.linker import Linker, rule_links

    started = time.perf_counter()
    with hub.session() as session:
        index = CatalogIndex.load(session)
        print(f"index loaded in {time.perf_counter() - started:.1f} s")
        linker = Linker(index)
        for page in pages:
            text, address_at = appended(page.text, page.ident)  # ids of real pages are URLs
            found = linker.occurrences(text, address_at)
            for pid, vector in candidates(index, text, found, address_at).items():
                page.pids.append(pid)
                page.vectors.append(vector)
                page.names.append(  # type: ignore[attr-defined]
                    [(o.method, text[o.start : o.end]) for o in found if o.paper_id == pid]
                )
            in_text = [o for o in found if o.start < address_at]
            page.rules = rule_classes(page, rule_links(page.text, in_text))  # type: ignore[attr-defined]
        wanted = {pid for page in pages for pid in page.pids}
        query = select(Paper.id, Paper.title).where(Paper.id.in_(wanted))
        titles = {pid: title for pid, title in session.execute(query)}
        titles |= {pid: mark["title"] for pid, mark in index.known.items()}  # not stored
    for page in pages:
        page.classes = [
            label_class(page, index.arxiv_id(pid), titles.get(pid, "")) for pid in page.pids
        ]
    return index, titles


def label_class(page: Page, arxiv: str | None, title: str) -> int | None:
    """0 not a link, 1 mentioned, 2 reviewed; None when the labels do not say."""
    from nonmun.linking.evaluate import matches

    for label in page.labels:
        if matches(label, arxiv, title):
            if label.get("unsure"):
                return None
            return 2 if label["role"] == "reviewed" else 1
    return None if page.partial else 0


def rule_classes(page: Page, links) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The placement rules' decision as probabilities of the three classes."""
    from nonmun.db.schema import MIN_CONFIDENCE

    probs = np.zeros((len(page.pids), 3))
    probs[:, 0] = 1.0
    by_pid = {x.paper_id: x for x in links if x.confidence >= MIN_CONFIDENCE}
    for n, pid in enumerate(page.pids):
        if pid in by_pid:
            probs[n] = [0, 0, 1] if by_pid[pid].role == "reviewed" else [0, 1, 0]
    return probs


def matrix(pages: list[Page]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rows, ys, groups, weights = [], [], [], []
    for number, page in enumerate(pages):
        for vector, cls in zip(page.vectors, page.classes, strict=True):
            if cls is not None:
                rows.append(vector)
                ys.append(cls)
                groups.append(number)
                weights.append(TUNING["note_weight"] if page.partial else 1.0)
    return np.array(rows), np.array(ys), np.array(groups), np.array(weights)


INNER_FOLDS = 5


def regression(c: float, x: np.ndarray, y: np.ndarray, w: np.ndarray):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000).fit(x, y, sample_weight=w)


@dataclass
class FirstStage:
    """The standardisation, the link regression and the first role regression."""

    mean: np.ndarray
    scale: np.ndarray
    link: Any
    role: Any

    @classmethod
    def fit(cls, pages: list[Page]) -> FirstStage:
        x, y, _, w = matrix(pages)
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        z, links = (x - mean) / scale, y > 0
        return cls(
            mean, scale, regression(TUNING["c"], z, links, w),
            regression(TUNING["role_c"], z[links], y[links] == 2, w[links]),
        )  # fmt: skip

    def page_features(self, page: Page) -> np.ndarray:
        """``decision.PAGE_FEATURES`` of each candidate of ``page``, from these scores."""
        from nonmun.linking.decision import page_features
        from nonmun.linking.features import identified

        z = (np.array(page.vectors) - self.mean) / self.scale
        links = np.where(
            [identified(v) for v in page.vectors], 1.0, self.link.predict_proba(z)[:, 1]
        )
        return np.array(page_features(links.tolist(), self.role.decision_function(z).tolist()))


def fit(pages: list[Page], seed: int = 0) -> dict[str, Any]:
    """The decision fitted on ``pages``, as ``decision.Model.from_json`` reads it. The
    page role regression learns from first-stage scores that each page got from
    regressions fitted without it (inner folds by page), as a new page's scores are."""
    from sklearn.model_selection import GroupKFold

    from nonmun.linking.decision import PAGE_FEATURES

    first = FirstStage.fit(pages)
    extras: list[np.ndarray] = [np.zeros((0, len(PAGE_FEATURES)))] * len(pages)
    numbers = np.arange(len(pages))
    folds = GroupKFold(n_splits=INNER_FOLDS, shuffle=True, random_state=seed)
    for train, test in folds.split(numbers, groups=numbers):
        inner = FirstStage.fit([pages[n] for n in train])
        for n in test:
            if pages[n].vectors:
                extras[n] = inner.page_features(pages[n])
    rows, ys, weights = [], [], []
    for page, extra in zip(pages, extras, strict=True):
        for vector, more, cls in zip(page.vectors, extra, page.classes, strict=True):
            if cls:
                rows.append(np.concatenate([(np.array(vector) - first.mean) / first.scale, more]))
                ys.append(cls == 2)
                weights.append(TUNING["note_weight"] if page.partial else 1.0)
    x = np.array(rows)
    tail = slice(-len(PAGE_FEATURES), None)  # the page features, standardised here
    page_mean, page_scale = x[:, tail].mean(axis=0), x[:, tail].std(axis=0)
    page_scale[page_scale == 0] = 1.0
    x[:, tail] = (x[:, tail] - page_mean) / page_scale
    page_role = regression(TUNING["role_c"], x, np.array(ys), np.array(weights))
    return as_json(first, page_mean, page_scale, page_role)


def as_json(first: FirstStage, page_mean, page_scale, page_role) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from nonmun.linking.decision import PAGE_FEATURES
    from nonmun.linking.features import FEATURES

    def numbers(values) -> list[float]:  # type: ignore[no-untyped-def]
        return [round(float(v), 6) for v in values]

    def weights(fitted) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        intercept = round(float(fitted.intercept_[0]), 6)
        return {"weights": numbers(fitted.coef_[0]), "intercept": intercept}

    return {
        "features": list(FEATURES),
        "mean": numbers(first.mean),
        "scale": numbers(first.scale),
        "link": weights(first.link),
        "role": weights(first.role),
        "page_role": {
            "features": list(PAGE_FEATURES), "mean": numbers(page_mean),
            "scale": numbers(page_scale), **weights(page_role),
        },
        "trained": {
            "note_weight": TUNING["note_weight"], "c": TUNING["c"], "role_c": TUNING["role_c"],
        },
    }  # fmt: skip


def cross_validate(pages: list[Page], seed: int = 0) -> None:
    """Out-of-fold probabilities for every candidate of every page (``page.oof``)."""
    from sklearn.model_selection import GroupKFold

    from nonmun.linking.decision import Model

    numbers = np.arange(len(pages))
    folds = GroupKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for train_pages, test_pages in folds.split(numbers, groups=numbers):
        model = Model.from_json(fit([pages[n] for n in train_pages], seed))
        for number in test_pages:
            page = pages[number]
            page.oof = np.array(model.probabilities(page.vectors)).reshape(-1, 3)  # type: ignore[attr-defined]


def predictions(page: Page, probs: np.ndarray) -> list[tuple[int, int, float]]:
    """(candidate number, role class, confidence) of the links at confidence ≥ 0.5."""
    from nonmun.db.schema import MIN_CONFIDENCE

    out = []
    for n, p in enumerate(probs):
        confidence = float(p[1] + p[2])
        if confidence >= MIN_CONFIDENCE:
            out.append((n, 2 if p[2] >= p[1] else 1, confidence))
    return out


@dataclass
class Tally:
    tp: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    predicted: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    expected: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    pages: int = 0

    def add(self, page: Page, probs: np.ndarray, titles: dict[int, str], arxiv_of) -> list[str]:  # type: ignore[no-untyped-def]
        self.pages += 1
        errors = []
        for label in page.labels:
            if not label.get("unsure"):
                self.expected[2 if label["role"] == "reviewed" else 1] += 1
        got = {}
        for n, cls, _ in predictions(page, probs):
            if page.classes[n] is None:
                continue  # an unsure label, or an unlabeled candidate of a note
            got[n] = cls
            self.predicted[cls] += 1
            if page.classes[n] == cls:
                self.tp[cls] += 1
            else:
                title = titles.get(page.pids[n], "")[:70]
                errors.append(f"wrong {_role(cls)} ({_role(page.classes[n])}): {title}")
        for n, cls in enumerate(page.classes):
            if cls and got.get(n) != cls:
                errors.append(f"missed {_role(cls)}: {titles.get(page.pids[n], '')[:70]}")
        return errors

    def line(self, name: str) -> str:
        cells = []
        for cls in (2, 1):
            p = self.tp[cls] / self.predicted[cls] if self.predicted[cls] else 1.0
            r = self.tp[cls] / self.expected[cls] if self.expected[cls] else 1.0
            cells.append(f"{p:.3f} / {r:.3f} ({self.expected[cls]})")
        return f"| {name} | {self.pages} | {cells[0]} | {cells[1]} |"


def no_candidate(page: Page, titles: dict[int, str], arxiv_of) -> list[str]:  # type: ignore[no-untyped-def]
    """The sure labels of a page that no occurrence found."""
    from nonmun.linking.evaluate import matches

    named = [(arxiv_of(pid), titles.get(pid, "")) for pid in page.pids]
    return [
        f"no candidate {label['role']}: {label['title'][:70]} ({label.get('arxiv')})"
        for label in page.labels
        if not label.get("unsure") and not any(matches(label, a, t) for a, t in named)
    ]


def _decided(probs) -> int:  # type: ignore[no-untyped-def]
    if probs[1] + probs[2] < 0.5:
        return 0
    return 2 if probs[2] >= probs[1] else 1


def _role(cls: int | None) -> str:
    return {0: "none", 1: "mentioned", 2: "reviewed", None: "?"}[cls]


def report(pages: list[Page], titles: dict[int, str], arxiv_of, attr: str = "oof") -> None:  # type: ignore[no-untyped-def]
    tallies: dict[str, Tally] = defaultdict(Tally)
    errors = []
    for page in pages:
        probs = getattr(page, attr)
        keys = [page.source]
        if page.source == "real":
            keys += [f"real {page.lang}", f"real {page.kind}"]
        for key in keys:
            found = tallies[key].add(page, probs, titles, arxiv_of)
        if attr == "oof":
            found += no_candidate(page, titles, arxiv_of)
        if page.source != "notes":
            errors += [f"{page.source} {page.ident[:60]}: {e}" for e in found]
    sure = [x for p in pages if p.source == "real" for x in p.labels if not x.get("unsure")]
    found = sum(1 for p in pages if p.source == "real" for c in p.classes if c)
    print(f"links-real labels with a candidate: {found} of {len(sure)}\n")
    print("| labeled set | pages | reviewed P / R (labels) | mentioned P / R (labels) |")
    print("|---|---:|---|---|")
    for key in sorted(tallies, key=lambda k: (k.split()[0] != "real", k)):
        print(tallies[key].line(key))
    notes = [p for p in pages if p.source == "notes"]
    if notes:
        recovered = sum(
            any(
                page.classes[n] == 2 and cls == 2
                for n, cls, _ in predictions(page, getattr(page, attr))
            )
            for page in notes
        )
        print(f"\nnotes whose paper is recovered as reviewed: {recovered} of {len(notes)}")
    reliability([p for p in pages if p.source == "real"], attr)
    Path("/tmp/linker-errors.txt").write_text("\n".join(errors) + "\n", encoding="utf-8")
    with open("/tmp/linker-candidates.txt", "w", encoding="utf-8") as out:
        for page in pages:
            if page.source == "notes":
                continue
            print(f"\n## {page.source} {page.kind} {page.lang} {page.ident}", file=out)
            for n, probs in enumerate(getattr(page, attr)):
                mark = (
                    "" if page.classes[n] is None or page.classes[n] == _decided(probs) else "  <<<"
                )
                print(
                    f"{_role(page.classes[n]):>9} {probs[0]:.2f} {probs[1]:.2f} {probs[2]:.2f} "
                    f"{titles.get(page.pids[n], '')[:50]!r} {page.names[n][:4]}{mark}",
                    file=out,
                )
    print(f"\n{len(errors)} errors listed in /tmp/linker-errors.txt")


def averaged(pages: list[Page], titles: dict[int, str], arxiv_of, seeds: int) -> None:  # type: ignore[no-untyped-def]
    """Each labeled set's figures averaged over several draws of the folds (less noisy
    when two variants are compared; the sets' own sampling noise remains)."""
    sources = ("real", "dev", "unseen")
    figures: dict[str, list[float]] = defaultdict(list)
    for seed in range(seeds):
        cross_validate(pages, seed)
        tallies: dict[str, Tally] = defaultdict(Tally)
        for page in pages:
            if page.source in sources:
                tallies[page.source].add(page, page.oof, titles, arxiv_of)  # type: ignore[attr-defined]
        for source, tally in tallies.items():
            for cls in (2, 1):  # precision, recall of reviewed, then of mentioned
                figures[source] += [
                    tally.tp[cls] / max(tally.predicted[cls], 1),
                    tally.tp[cls] / tally.expected[cls],
                ]
    for source in sources:
        mean = np.mean(np.reshape(figures[source], (seeds, 4)), axis=0)
        print(f"\nlinks-{source} over {seeds} fold draws: reviewed {mean[0]:.3f} / "
              f"{mean[1]:.3f}, mentioned {mean[2]:.3f} / {mean[3]:.3f}")  # fmt: skip


def reliability(pages: list[Page], attr: str) -> None:
    """Per decile of confidence: candidates, mean confidence, share that are links."""
    pairs = []
    for page in pages:
        for n, p in enumerate(getattr(page, attr)):
            if page.classes[n] is not None:
                pairs.append((float(p[1] + p[2]), page.classes[n] > 0))
    print("\n| confidence | candidates | mean confidence | links |")
    print("|---|---:|---:|---:|")
    ece = 0.0
    for decile in range(10):
        low, high = decile / 10, (decile + 1) / 10
        inside = [(c, ok) for c, ok in pairs if low <= c < high or (decile == 9 and c == 1.0)]
        if not inside:
            continue
        mean = sum(c for c, _ in inside) / len(inside)
        share = sum(ok for _, ok in inside) / len(inside)
        ece += len(inside) / len(pairs) * abs(mean - share)
        print(f"| {low:.1f}–{high:.1f} | {len(inside)} | {mean:.3f} | {share:.3f} |")
    print(f"\nexpected calibration error (links-real, cross-validated): {ece:.3f}")


def feature_stats(pages: list[Page]) -> None:
    """For each feature: how many labeled candidates of the labeled sets (not the notes)
    have it, and how many of those are none / mentioned / reviewed."""
    from nonmun.linking.features import FEATURES

    x, y, _, _ = matrix([p for p in pages if not p.partial])
    for n, name in enumerate(FEATURES):
        has = x[:, n] > 0
        print(f"{name:24} {int(has.sum()):5}  {np.bincount(y[has], minlength=3).tolist()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hub", type=Path, default=Path("/tmp/nonmun-linker-hub"))
    parser.add_argument("--write", action="store_true", help="fit on everything, write the model")
    parser.add_argument(
        "--heldout", action="store_true", help="measure the shipped model on links-heldout"
    )
    parser.add_argument("--note-weight", type=float, default=TUNING["note_weight"])
    parser.add_argument("--c", type=float, default=TUNING["c"], help="inverse regularisation")
    parser.add_argument("--role-c", type=float, default=TUNING["role_c"])
    parser.add_argument("--stats", action="store_true", help="classes of each feature's candidates")
    parser.add_argument(
        "--seeds", type=int, default=0, help="also: links-real figures averaged over N fold draws"
    )
    args = parser.parse_args()
    TUNING.update(note_weight=args.note_weight, c=args.c, role_c=args.role_c)
    if not SHARED.is_dir():
        sys.exit(f"needs {SHARED} (the labeled pages are not in the repository)")
    hub = open_hub(args.hub)
    if args.heldout:
        return measure_heldout(hub)
    pages = read_pages()
    index, titles = link_pages(hub, pages)
    index_arxiv = index.arxiv_id
    _, y, _, _ = matrix(pages)
    print(f"{len(pages)} pages, {len(y)} labeled candidates ({np.bincount(y).tolist()} none/m/r)")
    if args.stats:
        return feature_stats(pages)
    print("\nthe placement rules alone (before the learned decision):\n")
    report(pages, titles, index_arxiv, "rules")
    print("\nthe learned decision, cross-validated:\n")
    cross_validate(pages)
    report(pages, titles, index_arxiv)
    if args.seeds:
        averaged(pages, titles, index_arxiv, args.seeds)
    if args.write:
        out = ROOT / "nonmun" / "data" / "linker-model.json"
        out.write_text(json.dumps(fit(pages), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out}")


def measure_heldout(hub) -> None:  # type: ignore[no-untyped-def]
    from nonmun.linking.batch import evaluate_file

    with hub.session() as session:
        result = evaluate_file(session, HELDOUT)
    for role, s in result.scores.items():
        print(f"{role}: precision {s.precision:.3f} recall {s.recall:.3f} ({s.expected} labels)")
    print("\n".join(result.errors))


if __name__ == "__main__":
    main()
