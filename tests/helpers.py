"""Small helpers shared by tests: snapshot lines, table digests, running the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from nonmun.db.engine import Hub
from nonmun.db.schema import Paper

SAMPLE = Path(__file__).parent / "data" / "arxiv-sample.jsonl"


def sample_records(n: int | None = None) -> list[dict[str, Any]]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:n]]


def snapshot_record(arxiv: str, title: str, authors: list[str], **extra: Any) -> dict[str, Any]:
    """A record in the arXiv snapshot schema."""
    parsed = [[a.split()[-1], " ".join(a.split()[:-1]), ""] for a in authors]
    record = {
        "id": arxiv,
        "title": title,
        "authors": ", ".join(authors),
        "authors_parsed": parsed,
        "categories": "cs.LG",
        "abstract": "",
        "doi": None,
        "versions": [{"version": "v1", "created": "Mon, 2 Jan 2017 00:00:00 GMT"}],
        "update_date": "2017-01-02",
    }
    record.update(extra)
    return record


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def paper_digest(hub: Hub) -> list[tuple[Any, ...]]:
    """Every paper's identity and content, in a stable order, to compare two hubs."""
    columns = [
        Paper.arxiv_id, Paper.doi, Paper.title, Paper.authors, Paper.year, Paper.published,
        Paper.abstract, Paper.categories, Paper.versions, Paper.venue,
    ]  # fmt: skip
    with hub.engine.connect() as conn:
        rows = conn.execute(select(*columns).order_by(Paper.arxiv_id, Paper.doi, Paper.title))
        return [tuple(plain(v) for v in row) for row in rows]


def plain(value: Any) -> str:
    """A backend-neutral text form (JSONB reorders object keys)."""
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def run_cli(
    *args: str, env: dict[str, str] | None = None, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """Run ``nonmun`` as a user would, in a fresh process."""
    kw.setdefault("timeout", 300)
    return subprocess.run(
        [sys.executable, "-m", "nonmun", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        **kw,
    )
