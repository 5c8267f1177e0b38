"""The command line as a user meets it: help, version, show, list, JSON, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import SAMPLE, run_cli, snapshot_record, write_jsonl
from nonmun import __version__
from nonmun.db.engine import Hub


@pytest.fixture
def catalog(hub: Hub, hub_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    extra = [
        snapshot_record("1706.03762", "Attention Is All You Need", ["Ashish Vaswani", "Noam Shazeer"],
                        doi="10.5555/3295222.3295349", categories="cs.CL cs.LG", aliases=["Transformer"],
                        versions=[{"version": "v1", "created": "Mon, 12 Jun 2017 00:00:00 GMT"}]),
    ]  # fmt: skip
    for path in (SAMPLE, write_jsonl(tmp_path / "extra.jsonl", extra)):
        done = run_cli("papers", "import", str(path), env=hub_env)
        assert done.returncode == 0, done.stderr
    return hub_env


def test_version_and_help() -> None:
    assert run_cli("--version").stdout.strip() == f"nonmun {__version__}"
    help_text = run_cli("papers", "--help").stdout
    for command in ("import", "add", "show", "list", "export"):
        assert command in help_text


def test_import_summary(hub: Hub, hub_env: dict[str, str]) -> None:
    done = run_cli("papers", "import", str(SAMPLE), env=hub_env)
    assert done.returncode == 0
    assert done.stdout.strip().endswith("600 new, 0 updated, 0 unchanged, 0 invalid")


@pytest.mark.parametrize(
    "ident",
    ["1706.03762", "1706.03762v5", "arXiv:1706.03762", "https://arxiv.org/pdf/1706.03762v2.pdf",
     "10.5555/3295222.3295349", "https://doi.org/10.5555/3295222.3295349"],
)  # fmt: skip
def test_show_by_any_identifier(catalog: dict[str, str], ident: str) -> None:
    done = run_cli("papers", "show", ident, "--json", env=catalog)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["paper"]["title"] == "Attention Is All You Need"  # the paper page's data
    assert data["aliases"] == ["Transformer"]
    assert data["reviews"] == [] and data["paper"]["url"] == "papers/1706.03762/"


def test_show_text(catalog: dict[str, str]) -> None:
    done = run_cli("papers", "show", "0705.3316", env=catalog)
    assert "Acyclicity of Preferences" in done.stdout
    assert "arXiv:0705.3316 · 2007" in done.stdout
    assert "Reviews (0):" in done.stdout


def test_show_unknown_and_malformed(catalog: dict[str, str]) -> None:
    unknown = run_cli("papers", "show", "2501.00001", env=catalog)
    assert (unknown.returncode, unknown.stderr.strip()) == (
        3, "error: 2501.00001: no such paper in this hub; `nonmun papers add 2501.00001` fetches it from arXiv")  # fmt: skip
    malformed = run_cli("papers", "show", "what?", env=catalog)
    assert malformed.returncode == 2
    assert malformed.stderr.strip() == (
        "error: 'what?': not an id, nickname or title of a paper here; try `nonmun search 'what?'`"
    )
    by_title = run_cli("papers", "show", "attention is all you need", env=catalog)
    assert by_title.returncode == 0 and by_title.stdout.startswith("Attention Is All You Need")


def test_list_filters(catalog: dict[str, str]) -> None:
    def listed(*args: str) -> list[dict[str, object]]:
        done = run_cli("papers", "list", "--json", "--limit", "1000", *args, env=catalog)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)  # type: ignore[no-any-return]

    def ids(*args: str) -> list[str]:
        return [str(p["arxiv"]) for p in listed(*args)]

    everything = listed()
    assert len(everything) == 601
    years = {str(p["arxiv"]): p["year"] for p in everything}
    assert set(ids("--years", "2016")) == {i for i, y in years.items() if y == 2016} != set()
    assert set(ids("--years", "2016:")) == {i for i, y in years.items() if y and y >= 2016}  # type: ignore[operator]
    assert set(ids("--years", ":2008")) == {i for i, y in years.items() if y and y <= 2008}  # type: ignore[operator]
    assert ids("--category", "cs.CL", "--years", "2017") == ["1706.03762"]
    vaswani = listed("--author", "vaswani")
    assert "1706.03762" in [p["arxiv"] for p in vaswani]
    assert all("vaswani" in str(p["authors"]).lower() for p in vaswani)
    assert ids("--alias", "transformer") == ["1706.03762"]
    assert "0705.3316" in ids("--author", "Le Roux")
    bad = run_cli("papers", "list", "--years", "soon", env=catalog)
    assert bad.returncode == 2 and "years must look like" in bad.stderr


def test_list_text(catalog: dict[str, str]) -> None:
    done = run_cli("papers", "list", "--limit", "3", env=catalog)
    assert len(done.stdout.strip().splitlines()) == 3


def test_csl_export_to_file(catalog: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "papers.json"
    done = run_cli(
        "papers", "export", "--format", "csl-json", "--years", "2017", "-o", str(out), env=catalog
    )
    assert done.returncode == 0, done.stderr
    items = json.loads(out.read_text())
    assert any(i["title"] == "Attention Is All You Need" for i in items)


def test_user_errors_never_show_a_traceback(
    hub: Hub, hub_env: dict[str, str], tmp_path: Path
) -> None:
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"id": "1501.00001", "title": "ok"}\n{oops\n')
    bad_bib = tmp_path / "bad.bib"
    bad_bib.write_text("@article{a, title={x}\n@article{b, title={y}}\n")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(bytes(range(256)) * 10)
    cases = [
        (["papers", "import", str(bad_json)], f"error: {bad_json}:2: invalid JSON"),
        (["papers", "import", str(bad_bib)], f"error: {bad_bib}:1: BibTeX syntax error"),
        (["papers", "import", str(tmp_path / "nope.jsonl")], "error: "),
        (["papers", "import", str(binary)], f"error: {binary}:1: invalid JSON"),
        (["papers", "export", "--format", "ris"], "error: ris: --format must be"),
    ]
    for args, start in cases:
        done = run_cli(*args, env=hub_env)
        assert done.returncode != 0, args
        assert "Traceback" not in done.stderr, args
        assert done.stderr.startswith(start), (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, (args, done.stderr)
    skipped = run_cli("papers", "import", "--skip-invalid", str(bad_json), env=hub_env)
    assert skipped.returncode == 0
    assert "1 new, 0 updated, 0 unchanged, 1 invalid" in skipped.stdout
    assert "line 2: invalid JSON" in skipped.stderr


def test_reviews_and_sources_can_be_read_and_managed(tmp_path: Path) -> None:
    hub = str(tmp_path / "demo")
    assert run_cli("demo", hub).returncode == 0
    listed = run_cli("--hub", hub, "reviews", "list", "--source", "duemoo", "--json")
    data = json.loads(listed.stdout)
    assert data["total"] == 12 and all(
        r["source"]["name"].startswith("duemoo") for r in data["reviews"]
    )
    text = run_cli("--hub", hub, "reviews", "list", "--limit", "5")
    assert text.stdout.count("\n") == 5 and "1–5 of 47 reviews; --offset 5" in text.stderr
    assert (
        "no reviews match"
        in run_cli("--hub", hub, "reviews", "list", "--since", "2030-01-01").stderr
    )
    bad = run_cli("--hub", hub, "reviews", "list", "--since", "2023-02-30")
    assert bad.returncode == 2 and "a date must look like" in bad.stderr
    sam = json.loads(run_cli("--hub", hub, "papers", "show", "2010.01412", "--json").stdout)
    ref = sam["reviews"][0]["review"]["ref"]
    shown = run_cli("--hub", hub, "reviews", "show", ref)
    assert shown.returncode == 0 and "reviewed  2010.01412" in shown.stdout
    assert "title 0.95" in shown.stdout or "nickname" in shown.stdout  # the evidence
    whole = json.loads(run_cli("--hub", hub, "reviews", "show", ref, "--json").stdout)
    assert whole["body"] and whole["review"]["papers"][0]["evidence"]
    assert whole["html"].startswith("<p>") and whole["review"]["url"].startswith("reviews/")
    assert ref in run_cli("--hub", hub, "papers", "show", "2010.01412").stdout
    papers = run_cli("--hub", hub, "papers", "list", "--limit", "10")
    assert "1–10 of 91 papers; --offset 10 for more" in papers.stderr
    sources = json.loads(run_cli("--hub", hub, "sources", "list", "--json").stdout)
    assert {s["name"]: s["reviews"] for s in sources}["duemoo's paper reviews"] == 12
    renamed = run_cli("--hub", hub, "sources", "rename", "duemoo", "duemoo.github.io")
    assert renamed.returncode == 0, renamed.stderr
    removed = run_cli("--hub", hub, "sources", "remove", "duemoo.github.io", "--yes")
    assert removed.returncode == 0 and "12 review(s)" in removed.stdout
    after = json.loads(run_cli("--hub", hub, "overview", "--json").stdout)
    assert after["counts"]["reviews"] == 35
    unknown = run_cli("--hub", hub, "sources", "remove", "nowhere", "--yes")
    assert unknown.returncode == 3 and "no such source" in unknown.stderr


def test_help_starts_without_the_library() -> None:
    """`nonmun --help` imports only the command line (0.15 s, not 0.7 s: bench/README.md)."""
    import subprocess
    import sys

    code = "import sys, nonmun.cli\nprint(sorted({m.split('.')[0] for m in sys.modules}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = done.stdout
    for heavy in ("sqlalchemy", "alembic", "httpx", "feedparser", "bibtexparser", "kiwipiepy"):
        assert f"'{heavy}'" not in loaded, heavy


def test_a_connection_the_pool_cannot_reset_logs_no_traceback() -> None:
    """A Ctrl-C while SQLAlchemy's pool resets a connection (seen on PostgreSQL, killing an
    import): the pool logs the error with its traceback; nonmun's one line is enough."""
    import subprocess
    import sys

    code = (
        "import logging, sys\n"
        "sys.argv = ['nonmun', '--help']\n"
        "from nonmun import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "try:\n    raise KeyboardInterrupt\nexcept BaseException:\n"
        "    logging.getLogger('sqlalchemy.pool.impl.QueuePool').error('reset', exc_info=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "Traceback" not in done.stderr, done.stderr


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    """`nonmun papers list | head -1` exits 0, without a traceback."""
    import subprocess
    import sys

    hub = str(tmp_path / "hub")
    assert run_cli("--hub", hub, "init").returncode == 0
    assert run_cli("--hub", hub, "papers", "import", str(SAMPLE)).returncode == 0
    for extra in ([], ["--json"]):  # both more than a pipe holds (64 KB)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nonmun",
                "--hub",
                hub,
                "papers",
                "list",
                "--limit",
                "600",
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 0, err
        assert "Traceback" not in err


def test_a_hub_on_a_read_only_disk_can_be_read(tmp_path: Path, monkeypatch: Any) -> None:
    """(As root every folder is writable, so the read-only folder is what os.access says.)"""
    import os

    from nonmun.catalog.lookup import find_paper
    from nonmun.config import load_settings
    from nonmun.db.engine import open_hub

    hub = tmp_path / "demo"
    assert run_cli("demo", str(hub)).returncode == 0
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == hub else real(p, mode))
    opened = open_hub(load_settings(hub))
    try:
        assert "immutable=1" in str(opened.engine.url)
        with opened.session(write=False) as session:
            assert find_paper(session, "2010.01412").title.startswith("Sharpness-Aware")
    finally:
        opened.close()


def test_help_lists_every_command_whole_on_80_columns() -> None:
    import os

    env = {**os.environ, "COLUMNS": "80"}
    for group in ([], ["papers"], ["reviews"], ["sources"], ["export"], ["eval"], ["links"]):
        shown = run_cli(*group, "--help", env=env).stdout
        commands = shown.split("Commands:", 1)[1]
        assert not [line for line in commands.splitlines() if line.rstrip().endswith("...")]
