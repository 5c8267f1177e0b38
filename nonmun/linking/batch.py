"""The linker's batch interface: JSON lines in, JSON lines out; and its evaluation.

Input lines are ``{"id": str, "text": str}``, with an optional ``"title": str`` (read
as the text's first line, as a stored review's title is) and an optional ``"url": str``,
the page's address (``address.py``: its words are evidence about the papers the text
names); an ``id`` that is an http(s) URL is the page's address when no ``url`` is given.
Output lines are ``{"id": str,
"papers": [{"arxiv": str|null, "title": str, "role": "reviewed"|"mentioned",
"confidence": float}]}``. Other tools depend on this shape: keep it stable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from nonmun import files
from nonmun.db.schema import MIN_CONFIDENCE, Paper
from nonmun.errors import InputError
from nonmun.files import read_jsonl
from nonmun.linking.evaluate import Evaluation, read_labeled, score
from nonmun.linking.index import CatalogIndex
from nonmun.linking.linker import Link, Linker


class PaperNames:
    """arXiv ids and titles of linked papers, fetched as needed (those the linker knows
    from the curated table but the hub lacks, from the table)."""

    def __init__(self, session: Session, index: CatalogIndex):
        self.session = session
        self.cache: dict[int, tuple[str | None, str]] = {
            pid: (None, mark["title"]) for pid, mark in index.known.items()
        }

    def describe(self, links: list[Link]) -> list[dict[str, Any]]:
        missing = [x.paper_id for x in links if x.paper_id not in self.cache]
        if missing:
            query = select(Paper.id, Paper.arxiv_id, Paper.title).where(Paper.id.in_(missing))
            for pid, arxiv, title in self.session.execute(query):
                self.cache[pid] = (arxiv, title)
        return [
            {
                "arxiv": self.cache[x.paper_id][0],
                "title": self.cache[x.paper_id][1],
                "role": x.role,
                "confidence": round(x.confidence, 3),
            }
            for x in links
        ]


def link_jsonl(session: Session, source: Path, target: Path) -> int:
    """Link every text of ``source`` into ``target`` (``-``: standard input and output)."""
    texts = _read_texts(source)
    linker = Linker(CatalogIndex.load(session))
    names = PaperNames(session, linker.index)
    lines = [
        orjson.dumps({"id": ident, "papers": names.describe(linker.link(text, url))})
        for ident, text, url in texts
    ]
    files.write_output(target, "".join(line.decode() + "\n" for line in lines))
    return len(lines)


def _read_texts(path: Path) -> list[tuple[str, str, str]]:
    """(id, text, address) of every line: the title before the text, the ``url`` or else
    the ``id`` as the page's address."""
    texts = []
    for number, item in read_jsonl(path):
        item = item if isinstance(item, dict) else {}
        ident, text = item.get("id"), item.get("text")
        if not isinstance(ident, str) or not isinstance(text, str):
            raise InputError(
                'each line must be {"id": str, "text": str}', source=str(path), line=number
            )
        for name in ("title", "url"):
            if item.get(name) is not None and not isinstance(item[name], str):
                raise InputError(
                    f'"{name}", when given, must be a string', source=str(path), line=number
                )
        title = item.get("title")
        texts.append((ident, f"{title}\n{text}" if title else text, item.get("url") or ident))
    return texts


def evaluate_file(session: Session, path: Path) -> Evaluation:
    """Run the linker on a labeled file and score it (links below ``MIN_CONFIDENCE`` ignored)."""
    items = read_labeled(path)
    linker = Linker(CatalogIndex.load(session))
    names = PaperNames(session, linker.index)
    pairs = []
    for item in items:
        address = item.get("url") or item.get("id")
        links = [x for x in linker.link(item["text"], address) if x.confidence >= MIN_CONFIDENCE]
        pairs.append((item, names.describe(links)))
    return score(pairs)
