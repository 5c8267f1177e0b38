"""Importing arXiv snapshot files: formats, idempotency, bad lines, interruption."""

from __future__ import annotations

import gzip
import json
import lzma
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpers import SAMPLE, paper_digest, sample_records, snapshot_record, write_jsonl
from nonmun.catalog.importer import import_snapshot
from nonmun.catalog.snapshot import SnapshotReader, parse_record
from nonmun.db.engine import Hub, open_hub
from nonmun.db.schema import Paper, checkpoint_table
from nonmun.errors import InputError


def count(hub: Hub) -> int:
    with hub.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Paper)) or 0


def test_parse_real_record() -> None:
    record = parse_record(sample_records(1)[0])
    assert record.arxiv_id == "0705.3316"
    assert record.title.startswith("Acyclicity of Preferences")
    assert record.authors == ("Stéphane Le Roux",)
    assert record.published is not None and record.published.isoformat() == "2007-05-23"
    assert record.year == 2007
    assert record.categories == ("cs.DM", "cs.GT", "cs.LO")
    assert record.abstract and record.abstract.startswith("In 1953")


@pytest.mark.parametrize("compress", ["plain", "gz", "xz"])
def test_formats_are_recognised_by_content(tmp_path: Path, compress: str) -> None:
    raw = SAMPLE.read_bytes()
    path = tmp_path / "snapshot.data"  # no telling extension on purpose
    if compress == "gz":
        raw = gzip.compress(raw)
    elif compress == "xz":
        raw = lzma.compress(raw)
    path.write_bytes(raw)
    parsed = list(SnapshotReader(path))
    assert len(parsed) == 600
    assert all(p.record is not None for p in parsed)


def test_import_is_idempotent(hub: Hub) -> None:
    first = import_snapshot(hub, SAMPLE)
    assert (first.new, first.updated, first.unchanged, first.invalid) == (600, 0, 0, 0)
    before = paper_digest(hub)
    second = import_snapshot(hub, SAMPLE)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 600)
    assert paper_digest(hub) == before
    assert count(hub) == 600


def test_reimport_updates_changed_records_and_never_erases(hub: Hub, tmp_path: Path) -> None:
    records = sample_records(5)
    import_snapshot(hub, write_jsonl(tmp_path / "a.jsonl", records))
    changed = [dict(r) for r in records]
    changed[0]["title"] = changed[0]["title"] + " (extended version)"
    changed[1]["abstract"] = ""  # like the no-abstract snapshot: must not erase
    summary = import_snapshot(hub, write_jsonl(tmp_path / "b.jsonl", changed))
    assert (summary.new, summary.updated, summary.unchanged) == (0, 1, 4)
    with hub.session() as session:
        paper = session.scalars(select(Paper).where(Paper.arxiv_id == records[1]["id"])).one()
        assert paper.abstract and paper.abstract.startswith(records[1]["abstract"].strip()[:40])


def test_malformed_line_stops_with_line_and_keeps_bad_batch_out(hub: Hub, tmp_path: Path) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines.insert(149, '{"id": "1501.00001", "title": ')  # line 150, in the second batch of 100
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_snapshot(hub, path)
    assert info.value.line == 150
    assert "invalid JSON" in str(info.value)
    assert str(path) in str(info.value)
    assert count(hub) == 100  # the first batch only; nothing of the bad one


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ('{"id": "not-an-id", "title": "x"}', "invalid arXiv id"),
        ('{"id": "1501.00001", "title": ""}', "has no title"),
        ('{"id": "1501.00001", "title": 5}', "must be a string"),
        ("[1, 2]", "must be a JSON object"),
        ('{"id": "1501.00001", "title": "x", "versions": [{"version": "v1", "created": "?"}]}',
         "invalid version date"),
    ],
)  # fmt: skip
def test_skip_invalid_counts_and_lists(hub: Hub, tmp_path: Path, bad: str, reason: str) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[:10]
    lines.insert(3, bad)
    path = tmp_path / "some-bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = import_snapshot(hub, path, skip_invalid=True)
    assert (summary.new, summary.invalid) == (10, 1)
    assert summary.invalid_examples[0].startswith("line 4:")
    assert reason in summary.invalid_examples[0]


def test_unreadable_file(hub: Hub, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        import_snapshot(hub, tmp_path / "missing.jsonl.xz")
    with pytest.raises(InputError, match="cannot read"):
        import_snapshot(hub, tmp_path)
    corrupt = tmp_path / "corrupt.xz"
    corrupt.write_bytes(lzma.compress(SAMPLE.read_bytes())[:5000] + b"garbage" * 100)
    with pytest.raises(InputError, match="cannot decompress"):
        import_snapshot(hub, corrupt)


def test_checkpoint_resumes_after_the_last_stored_batch(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "resume.jsonl"
    shutil.copy(SAMPLE, path)
    with hub.engine.begin() as conn:  # as if an earlier run had stored 3 batches, then died
        first = import_snapshot(hub, write_jsonl(tmp_path / "head.jsonl", sample_records(300)))
        assert first.new == 300
        key = _key_of(hub, path)
        conn.execute(checkpoint_table.insert().values(key=key, path=str(path), line=300))
    summary = import_snapshot(hub, path)
    assert summary.resumed_at == 300
    assert summary.new == 300
    assert count(hub) == 600


def _key_of(hub: Hub, path: Path) -> str:
    from nonmun.catalog.importer import _fingerprint

    return _fingerprint(path)


def _big_snapshot(path: Path, n: int) -> Path:
    """``n`` distinct records: real ones, re-numbered so that each id is new."""
    base = sample_records()
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            record = dict(base[i % len(base)])
            record["id"] = f"15{(i // 90000) + 1:02d}.{i % 90000 + 10000:05d}"
            record["doi"] = None
            record["title"] = f"{record['title']} [{i}]"
            out.write(json.dumps(record) + "\n")
    return path


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_killed_import_leaves_usable_db_and_rerun_completes(
    hub: Hub, hub_env: dict[str, str], tmp_path: Path, how: signal.Signals
) -> None:
    path = _big_snapshot(tmp_path / "big.jsonl", 30000)
    command = [sys.executable, "-m", "nonmun", "papers", "import", str(path)]
    proc = subprocess.Popen(command, env=hub_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for_progress(hub, proc)
        proc.send_signal(how)
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode != 0
    assert b"Traceback" not in stderr
    if how == signal.SIGINT:
        assert b"interrupted" in stderr
    stored = count(hub)  # the database opens and answers
    assert 0 < stored < 30000
    rerun = subprocess.run(command, env=hub_env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed after line" in rerun.stdout
    assert count(hub) == 30000

    reference = open_hub(
        hub.settings.__class__(hub=tmp_path / "ref", import_batch_size=100), create=True
    )
    try:
        import_snapshot(reference, path)
        assert paper_digest(hub) == paper_digest(reference)
    finally:
        reference.close()


def _wait_for_progress(hub: Hub, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the import ended before it could be interrupted"
        if count(hub) >= 1000:
            return
        time.sleep(0.05)
    raise AssertionError("no batch was committed in time")


def test_progress_reports_bytes(hub: Hub) -> None:
    seen: list[tuple[int, int]] = []
    import_snapshot(hub, SAMPLE, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] == os.path.getsize(SAMPLE)


def test_records_of_a_snapshot_in_the_schema_from_scratch(hub: Hub, tmp_path: Path) -> None:
    record = snapshot_record(
        "1706.03762", "Attention Is All\n  You Need", ["Ashish Vaswani", "Noam Shazeer"]
    )
    import_snapshot(hub, write_jsonl(tmp_path / "one.jsonl", [record]))
    with hub.session() as session:
        paper = session.scalars(select(Paper)).one()
        assert paper.title == "Attention Is All You Need"
        assert paper.authors == ["Ashish Vaswani", "Noam Shazeer"]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("update_date", 20170102, "field 'update_date' must be a string"),
        ("versions", [{"version": "v1", "created": 20170102}], "'created' must be a date string"),
        ("versions", [{"version": {"n": 1}}], "each version needs a 'version' string"),
        ("authors_parsed", [[1, 2, 3]], "authors_parsed must be a list of"),
    ],
)
def test_fields_of_the_wrong_type_are_refused_not_coerced(
    field: str, value: object, reason: str
) -> None:
    record = snapshot_record("1701.00001", "A Title", ["Ann Lee"])
    record[field] = value
    with pytest.raises(ValueError, match=reason):
        parse_record(record)
