"""Measure the linker on freshly labeled real pages: a check outside the labeled sets.

    .venv/bin/python scripts/fresh_pages.py PAGES.jsonl [PAGES.jsonl …]
        [--supplement RECORDS.jsonl] [--hub /tmp/nonmun-linker-hub]
        [--work /tmp/nonmun-fresh-hub] [--show]

PAGES.jsonl holds one labeled page per line in the shape of links-real.jsonl: ``id`` (the
page's URL), ``lang``, ``kind``, ``text``, ``papers`` (``title``, ``arxiv``, ``role``,
``unsure``). Label a batch before its first measurement and keep one batch that no change
is tuned on; the texts are other people's pages, so keep them out of the repository.

The first run copies the training hub (built by ``train_linker.py``) to ``--work``; the
supplement (arXiv-snapshot records of labeled papers the shared catalog lacks, as
links-real-catalog.jsonl is for links-real) is imported into that copy. Prints reviewed
and mentioned precision and recall at confidence ≥ 0.5 and the errors of each file;
``--show`` also lists every link of every page beside its label.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", type=Path, nargs="+")
    parser.add_argument("--supplement", type=Path)
    parser.add_argument("--hub", type=Path, default=Path("/tmp/nonmun-linker-hub"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/nonmun-fresh-hub"))
    parser.add_argument("--show", action="store_true", help="every link beside its label")
    args = parser.parse_args()

    from nonmun.catalog.importer import import_snapshot
    from nonmun.config import Settings
    from nonmun.db.engine import open_hub
    from nonmun.linking.batch import evaluate_file

    if not args.work.exists():
        if not (args.hub / "nonmun.db").exists():
            raise SystemExit(f"{args.hub}: no hub; run scripts/train_linker.py once first")
        shutil.copytree(args.hub, args.work)
    hub = open_hub(Settings(hub=args.work))
    if args.supplement:
        import_snapshot(hub, args.supplement)
    for path in args.pages:
        with hub.session() as session:
            result = evaluate_file(session, path)
        for role, s in result.scores.items():
            print(f"{path} {role}: precision {s.precision:.3f} recall {s.recall:.3f} "
                  f"({s.expected} labels)")  # fmt: skip
        print("\n".join(result.errors))
        if args.show:
            show(hub, path)


def show(hub, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Each page's links (role, confidence, title) beside the label of each paper."""
    from nonmun.linking.batch import PaperNames
    from nonmun.linking.index import CatalogIndex
    from nonmun.linking.linker import Linker

    with hub.session() as session:
        linker = Linker(CatalogIndex.load(session))
        names = PaperNames(session, linker.index)
        for line in path.open(encoding="utf-8"):
            page = json.loads(line)
            labels = {(p.get("arxiv") or p["title"].lower()): p["role"] for p in page["papers"]}
            print(f"\n## {page.get('kind', '')} {page['id'][:90]}")
            links = linker.link(page["text"], page["id"])
            for link in names.describe(links):
                label = labels.get(link["arxiv"] or link["title"].lower(), "none")
                print(f"  {label:9} {link['role']:9} {link['confidence']:.2f} "
                      f"{link['title'][:60]}")  # fmt: skip


if __name__ == "__main__":
    main()
