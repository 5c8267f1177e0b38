"""The demo hub that `make run` builds and shows."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_cli

ENV_KEEP = ("PATH", "HOME", "LANG")


def test_demo_builds_and_rebuilds(tmp_path: Path) -> None:
    target = tmp_path / "demo-hub"
    for _ in range(2):  # a second build replaces the first whole
        done = run_cli("demo", str(target), env={"PATH": "/usr/bin:/bin"})
        assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-hub"]

    shown = run_cli("--hub", str(target), "overview", "--json", env={"PATH": "/usr/bin:/bin"})
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
    assert {(r["source"], r["role"]) for r in reviews} == {
        ("duemoo's paper reviews", "reviewed"), ("머신러닝&딥러닝 논문리뷰 (Tistory)", "reviewed")}  # fmt: skip

    text = run_cli("--hub", str(target), "overview", env={"PATH": "/usr/bin:/bin"}).stdout
    assert text.startswith("91 papers, 47 reviews")
    assert "[2007.05471] Geometric Style Transfer" in text


def test_demo_papers_come_with_nicknames(tmp_path: Path) -> None:
    target = tmp_path / "hub"
    assert run_cli("demo", str(target)).returncode == 0
    shown = run_cli("--hub", str(target), "papers", "show", "2010.11929", "--json")
    data = json.loads(shown.stdout)
    assert data["title"].startswith("An Image is Worth 16x16 Words")
    assert "ViT" in data["aliases"]
