"""The learned decision: is a candidate paper a link, and in which role.

Logistic regressions over ``features.FEATURES``: whether a candidate is a link, and
whether a link is *reviewed* rather than *mentioned* — the second twice: once for each
candidate alone, then again with how that first role score compares with the page's
other links (``PAGE_FEATURES``: a page's own subject stands out from the papers it only
mentions, and a list's entries stand level). Trained by ``scripts/train_linker.py`` on
labeled real pages and shipped as plain JSON (``nonmun/data/linker-model.json``: the
feature names, their means and scales, each regression's weights and intercept).
A candidate's confidence is the probability that it is a link at all (1 for a paper
the text gives the identifier of: only its role is in doubt); its role is the likelier
of the two roles.
Candidates under ``SUGGESTION_FLOOR`` are dropped; those under ``MIN_CONFIDENCE`` are
kept as suggestions, never counted as links.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nonmun.errors import NonmunError
from nonmun.linking import features
from nonmun.linking.index import CatalogIndex
from nonmun.linking.links import Link, Occurrence, stored_method

MODEL = "linker-model.json"
SUGGESTION_FLOOR = 0.2
# how a candidate's first role score stands among the page's other links: at least
# every one of theirs (1 or 0), and by how much it leads or trails the best of them
PAGE_FEATURES = ("role-top", "role-margin")
_MARGIN = 5.0  # the lead is clipped to ± this (a page's only link leads by this)

Regression = tuple[tuple[float, ...], float]  # weights, intercept


@dataclass(frozen=True, slots=True)
class Model:
    """Standardisation and weights of the decision, as trained."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    link: Regression
    role: Regression  # each candidate alone
    page_mean: tuple[float, ...]  # standardisation of PAGE_FEATURES
    page_scale: tuple[float, ...]
    page_role: Regression  # over FEATURES, then PAGE_FEATURES

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        page = data["page_role"]
        if tuple(data["features"]) != features.FEATURES or tuple(page["features"]) != (
            PAGE_FEATURES
        ):
            raise NonmunError("the linker's model was trained on other features: retrain it")
        return cls(
            tuple(data["mean"]),
            tuple(data["scale"]),
            _regression(data["link"]),
            _regression(data["role"]),
            tuple(page["mean"]),
            tuple(page["scale"]),
            _regression(page),
        )

    def standard(self, vector: Sequence[float]) -> list[float]:
        return [(x - m) / s for x, m, s in zip(vector, self.mean, self.scale, strict=True)]

    def probabilities(self, vectors: Sequence[list[float]]) -> list[tuple[float, float, float]]:
        """Not a link, mentioned, reviewed: the probabilities for each candidate of one
        page (all of them, in any order: the role of each depends on the others)."""
        zs = [self.standard(v) for v in vectors]
        links = [1.0 if features.identified(v) else _logistic(self.link, z) for v, z in
                 zip(vectors, zs, strict=True)]  # fmt: skip
        first = [_score(self.role, z) for z in zs]
        out = []
        for z, link, extra in zip(zs, links, page_features(links, first), strict=True):
            page = zip(extra, self.page_mean, self.page_scale, strict=True)
            reviewed = _logistic(self.page_role, z + [(x - m) / s for x, m, s in page])
            out.append((1 - link, link * (1 - reviewed), link * reviewed))
        return out


def page_features(links: Sequence[float], roles: Sequence[float]) -> list[tuple[float, float]]:
    """``PAGE_FEATURES`` of each candidate of a page, from every candidate's link
    probability and first role score (the other links: the candidates at ≥ 0.5)."""
    out = []
    for n, role in enumerate(roles):
        others = [r for m, r in enumerate(roles) if m != n and links[m] >= 0.5]
        best = max(others, default=-_MARGIN * 2)
        out.append((float(role >= best), max(-_MARGIN, min(_MARGIN, role - best))))
    return out


def _regression(data: dict[str, Any]) -> Regression:
    return tuple(data["weights"]), data["intercept"]


def _score(regression: Regression, z: Sequence[float]) -> float:
    weights, intercept = regression
    return intercept + sum(w * v for w, v in zip(weights, z, strict=True))


def _logistic(regression: Regression, z: Sequence[float]) -> float:
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, _score(regression, z)))))


@cache
def packaged_model() -> Model:
    """The model that ships with nonmun."""
    text = resources.files("nonmun.data").joinpath(MODEL).read_text(encoding="utf-8")
    return Model.from_json(json.loads(text))


def decide(
    index: CatalogIndex,
    text: str,
    found: list[Occurrence],
    model: Model | None = None,
    address_at: int | None = None,
) -> list[Link]:
    """One ``Link`` per candidate paper the model keeps, in order of first appearance
    (from ``address_at`` on, ``text`` is its page's address: ``address.appended``)."""
    model = model or packaged_model()
    address_at = len(text) if address_at is None else address_at
    by_paper: dict[int, list[Occurrence]] = defaultdict(list)
    for occurrence in found:
        by_paper[occurrence.paper_id].append(occurrence)
    links = []
    vectors = features.candidates(index, text, found, address_at)
    probabilities = model.probabilities(list(vectors.values()))
    for pid, (_, mentioned, reviewed) in zip(vectors, probabilities, strict=True):
        confidence = mentioned + reviewed
        if confidence < SUGGESTION_FLOOR:
            continue
        occs = by_paper[pid]
        best = max(
            occs, key=lambda o: (o.method == "identifier", o.start < address_at, o.confidence)
        )
        role = "reviewed" if reviewed >= mentioned else "mentioned"
        evidence = text[best.start : best.end]
        start = min(o.start for o in occs)
        # two decimals: finer figures are noise (catalog statistics move them a little)
        links.append(
            Link(pid, role, round(confidence, 2), evidence, stored_method(best.method), start)
        )
    return sorted(links, key=lambda x: x.start)
