"""The demo hub that `make run` builds and shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from helpers import run_cli

ENV_KEEP = ("PATH", "HOME", "LANG")


def test_demo_builds_and_rebuilds(tmp_path: Path) -> None:
    target = tmp_path / "demo-hub"
    for _ in range(2):  # a second build replaces the first whole
        done = run_cli("demo", str(target), env={"PATH": "/usr/bin:/bin"})
        assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-hub"]

    shown = run_cli(
        "--hub", str(target), "overview", "--json", "--limit", "100", env={"PATH": "/usr/bin:/bin"}
    )
    assert shown.returncode == 0, shown.stderr
    view = json.loads(shown.stdout)
    assert view["counts"]["papers"] == 91
    assert view["counts"]["reviews"] == 47
    assert view["counts"]["digests"] == 2
    assert {s["kind"] for s in view["sources"]} == {"blog", "newsletter", "digest"}
    linked = {p["arxiv"] for p in view["papers"]}
    assert {"2007.05471", "2007.08100", "2003.11038", "2006.15486"} <= linked

    sam = run_cli("--hub", str(target), "papers", "show", "2010.01412", "--json").stdout
    reviews = json.loads(sam)["reviews"]
    assert {(r["review"]["source"]["name"], r["role"]) for r in reviews} == {
        ("duemoo's paper reviews", "reviewed"), ("머신러닝&딥러닝 논문리뷰 (Tistory)", "reviewed")}  # fmt: skip

    done = run_cli("--hub", str(target), "overview", env={"PATH": "/usr/bin:/bin"})
    assert done.stdout.startswith("91 papers, 47 reviews")
    assert done.stdout.count("\n  [") == 20  # the 20 most reviewed papers, then how to see more
    assert re.search(r"… and \d+ more papers with reviews \(--limit", done.stderr)
    wide = run_cli("--hub", str(target), "overview", "--limit", "100").stdout
    assert "[2007.05471] Geometric Style Transfer" in wide


def test_demo_papers_come_with_nicknames(tmp_path: Path) -> None:
    target = tmp_path / "hub"
    assert run_cli("demo", str(target)).returncode == 0
    shown = run_cli("--hub", str(target), "papers", "show", "2010.11929", "--json")
    data = json.loads(shown.stdout)
    assert data["paper"]["title"].startswith("An Image is Worth 16x16 Words")
    assert "ViT" in data["aliases"]


def test_demo_never_deletes_what_it_did_not_write(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "main.py").write_text("code\n")
    (project / ".git").mkdir()
    done = run_cli("demo", ".", cwd=project)
    assert done.returncode == 2, done.stderr
    assert "not empty" in done.stderr and "Traceback" not in done.stderr
    assert (project / "src" / "main.py").read_text() == "code\n" and (project / ".git").is_dir()
    done = run_cli("demo", ".", "--force", cwd=project)  # --force never replaces other files
    assert done.returncode == 2 and (project / "src" / "main.py").is_file()
    (tmp_path / "file").write_text("x")
    assert run_cli("demo", str(tmp_path / "file")).returncode == 2


def test_demo_replaces_a_real_hub_only_when_forced(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    assert run_cli("demo", str(hub)).returncode == 0
    assert run_cli("demo", str(hub)).returncode == 0  # an untouched demo hub is rebuilt freely
    (hub / "nonmun.toml").write_text("import_batch_size = 100\n")  # the hub's settings stay
    digest = Path(__file__).parent.parent / "nonmun" / "data" / "demo" / "samples"
    page = digest / "digest-weekly-arxiv.txt"
    done = run_cli("--hub", str(hub), "import", str(page), "--source", "mine")
    assert done.returncode == 0, done.stderr
    refused = run_cli("demo", str(hub))
    assert refused.returncode == 2, refused.stderr
    assert (
        "holds a hub with 91 papers and 68 reviews" in refused.stderr
        and "--force" in refused.stderr
    )
    shown = json.loads(run_cli("--hub", str(hub), "overview", "--json").stdout)
    assert shown["counts"]["reviews"] == 68  # untouched
    forced = run_cli("demo", str(hub), "--force")
    assert (
        forced.returncode == 0 and "replaced a hub with 91 papers and 68 reviews" in forced.stderr
    )
    shown = json.loads(run_cli("--hub", str(hub), "overview", "--json").stdout)
    assert shown["counts"]["reviews"] == 47
    assert (hub / "nonmun.toml").is_file()


def test_demo_prints_a_command_that_works(tmp_path: Path) -> None:
    done = run_cli("demo", str(tmp_path / "hub"))
    hint = done.stdout.split("try: ", 1)[1].strip()
    assert hint.endswith(f"--hub {tmp_path / 'hub'} overview")
    assert hint.split(" --hub")[0].endswith("-m nonmun")  # how this test ran it
