"""The learned decision: is a candidate paper a link, and in which role.

Two logistic regressions over ``features.FEATURES``: whether a candidate is a link, and
whether a link is *reviewed* rather than *mentioned*; trained by
``scripts/train_linker.py`` on labeled real pages and shipped as plain JSON
(``nonmun/data/linker-model.json``: the feature names, their means and scales, each
regression's weights and intercept). A candidate's confidence is the probability that
it is a link at all (1 for a paper the text gives the identifier of: only its role is
in doubt); its role is the likelier of the two roles.
Candidates under ``SUGGESTION_FLOOR`` are dropped; those under ``MIN_CONFIDENCE`` are
kept as suggestions, never counted as links.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
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


@dataclass(frozen=True, slots=True)
class Model:
    """Standardisation and weights of the decision, as trained."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    link: tuple[tuple[float, ...], float]  # weights, intercept
    role: tuple[tuple[float, ...], float]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        if tuple(data["features"]) != features.FEATURES:
            raise NonmunError("the linker's model was trained on other features: retrain it")
        link, role = data["link"], data["role"]
        return cls(
            tuple(data["mean"]),
            tuple(data["scale"]),
            (tuple(link["weights"]), link["intercept"]),
            (tuple(role["weights"]), role["intercept"]),
        )

    def probabilities(self, vector: list[float]) -> tuple[float, float, float]:
        """Not a link, mentioned, reviewed: the probabilities for one candidate."""
        z = [(x - m) / s for x, m, s in zip(vector, self.mean, self.scale, strict=True)]
        link = 1.0 if features.identified(vector) else _logistic(self.link, z)
        reviewed = _logistic(self.role, z)
        return 1 - link, link * (1 - reviewed), link * reviewed


def _logistic(regression: tuple[tuple[float, ...], float], z: list[float]) -> float:
    weights, intercept = regression
    score = intercept + sum(w * v for w, v in zip(weights, z, strict=True))
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, score))))


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
    for pid, vector in features.candidates(index, text, found, address_at).items():
        _, mentioned, reviewed = model.probabilities(vector)
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
