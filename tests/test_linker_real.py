"""The shipped decision on the real pages of ../shared/eval/links-real.jsonl, held at floors.

The pages are other people's writing and stay in ../shared: the test skips without it.
The hub holds the demo catalog, the labeled set's supplement, every labeled paper's
record from the shared snapshot files and, as distractors, the whole recent-ML file (48k
papers); the curated table's papers that are not on arXiv are known to the linker
without being stored, as in a user's hub. The model was trained on these
pages, so the figures are above the cross-validated ones (docs/linker.md): the floors
catch a model or a candidate generator that got worse, not a measure of new pages.
"""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import pytest

from nonmun.catalog.importer import import_snapshot
from nonmun.db.engine import Hub
from nonmun.linking.batch import evaluate_file

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
DATA = ROOT.parent / "shared" / "data"
REAL = EVAL / "links-real.jsonl"
FLOORS = {
    "reviewed": (0.9, 0.85),
    "mentioned": (0.84, 0.77),
}  # reached: 0.918 / 0.873, 0.862 / 0.791

pytestmark = pytest.mark.skipif(not REAL.exists(), reason="needs ../shared/eval")


@pytest.fixture(scope="module")
def labeled_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The snapshot records of every labeled arXiv id, from the 2007–2017 file."""
    wanted = {
        paper["arxiv"]
        for line in REAL.open(encoding="utf-8")
        for paper in json.loads(line)["papers"]
        if paper.get("arxiv")
    }
    out = tmp_path_factory.mktemp("real") / "labeled.jsonl"
    with lzma.open(DATA / "arxiv-all-2007-2017-no-abstracts.jsonl.xz", "rt") as lines:
        found = [line for line in lines if line[8 : line.find('"', 8)] in wanted]  # {"id": "…
    out.write_text("".join(found), encoding="utf-8")
    return out


def test_real_pages_at_floors(hub: Hub, labeled_records: Path) -> None:
    for path in (
        ROOT / "nonmun" / "data" / "demo" / "catalog.jsonl",
        EVAL / "links-real-catalog.jsonl",
        labeled_records,
        DATA / "arxiv-recent-ml-2019-2025.jsonl.xz",
    ):
        import_snapshot(hub, path)
    with hub.session() as session:
        result = evaluate_file(session, REAL)
    for role, (precision, recall) in FLOORS.items():
        score = result.scores[role]
        assert score.precision >= precision and score.recall >= recall, (role, score)
