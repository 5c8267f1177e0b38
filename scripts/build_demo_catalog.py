"""Build nonmun/data/demo/catalog.jsonl from ../shared (run once by a developer).

The demo hub needs the papers its sample pages review or mention. They are
taken, in this order, from the real arXiv records in ../shared/data, from
../shared/data/landmarks.jsonl (hand-compiled: title, authors, year, venue,
nicknames) and, for the few labeled papers in neither, from the labels of
../shared/eval/links-dev.jsonl and tests/data/links-{unseen,heldout}.jsonl (arXiv
id and title). The output is in the arXiv snapshot schema, plus ``aliases``/``venue``
where landmarks give them.
"""

from __future__ import annotations

import json
import lzma
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
OUT = Path(__file__).resolve().parents[1] / "nonmun" / "data" / "demo" / "catalog.jsonl"
LABELED = [
    Path(__file__).resolve().parents[1] / "tests" / "data" / f"links-{name}.jsonl"
    for name in ("unseen", "heldout")
]
DATA = [
    "arxiv-cs-stat-2007-2017",
    "arxiv-recent-ml-2019-2025",
    "arxiv-all-2007-2017-no-abstracts",
]


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED
    labels: dict[str, str] = {}
    for labeled in (shared / "eval" / "links-dev.jsonl", *LABELED):
        for line in labeled.open(encoding="utf-8"):
            for paper in json.loads(line)["papers"]:
                if paper["arxiv"]:
                    labels[paper["arxiv"]] = paper["title"]
    landmarks = {}
    for line in (shared / "data" / "landmarks.jsonl").open(encoding="utf-8"):
        mark = json.loads(line)
        if mark["arxiv"] and mark["arxiv"] in labels:
            landmarks[mark["arxiv"]] = mark
    records = _from_snapshots(shared, set(labels))
    for arxiv, title in labels.items():
        if arxiv not in records:
            records[arxiv] = _from_landmark(arxiv, title, landmarks.get(arxiv))
        elif arxiv in landmarks:
            records[arxiv]["aliases"] = landmarks[arxiv]["aliases"]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for arxiv in sorted(records):
            out.write(json.dumps(records[arxiv], ensure_ascii=False) + "\n")
    print(f"{len(records)} papers -> {OUT}")


def _from_snapshots(shared: Path, wanted: set[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for name in DATA:
        with lzma.open(shared / "data" / f"{name}.jsonl.xz", "rt", encoding="utf-8") as lines:
            for line in lines:
                head = line[:40]
                if not any(w in head for w in wanted):
                    continue
                record = json.loads(line)
                if record["id"] in wanted and record["id"] not in found:
                    found[record["id"]] = record
    return found


def _from_landmark(arxiv: str, title: str, mark: dict | None) -> dict:
    authors = mark["authors"] if mark else []
    return {
        "id": arxiv,
        "title": mark["title"] if mark else title,
        "authors": ", ".join(authors),
        "authors_parsed": [[a.split()[-1], " ".join(a.split()[:-1]), ""] for a in authors],
        "categories": "",
        "abstract": "",
        "versions": [],
        "venue": mark["venue"] if mark else None,
        "aliases": mark["aliases"] if mark else [],
    }


if __name__ == "__main__":
    main()
