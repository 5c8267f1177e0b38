"""`nonmun build` against Hugo on the same corpus of review posts, in one run.

    .venv/bin/python bench/site_build.py [--n 1000] [--runs 1] [--work /tmp/nonmun-bench-site]
        [--reuse]

Generates the corpus (``bench/ssg/gen_corpus.py``, a copy of the shared anchor's
generator: N posts of 3–6 KB, Korean and English, 200 tags, 20 categories, with
math, code and tables), imports its Hugo ``content/`` folder into a fresh hub
(timed apart), then times, each in a fresh process (wall, CPU = user + sys, peak
RSS from ``os.wait4``):

- ``nonmun build`` into an empty folder (cold);
- one post edited: ``nonmun import`` of that file, then ``nonmun build``;
- ``nonmun build`` again with nothing changed;
- ``hugo --quiet`` (Debian's hugo) on the same corpus from a clean state, the anchor;

and prints the figures and each nonmun figure's ratio to Hugo's wall time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
NONMUN = [sys.executable, "-m", "nonmun"]


def run(command: list[str], cwd: Path | None = None) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MiB) of one fresh process; its failure stops the benchmark."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"failed: {' '.join(command)}\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def median_of(
    runs: int, prepare: object, command: list[str], cwd: Path | None = None
) -> tuple[float, float, float]:
    figures = []
    for _ in range(runs):
        if callable(prepare):
            prepare()
        figures.append(run(command, cwd))
    return tuple(statistics.median(f[i] for f in figures) for i in range(3))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/nonmun-bench-site"))
    parser.add_argument(
        "--reuse", action="store_true", help="keep the corpus and hub of an earlier run"
    )
    args = parser.parse_args()
    if not shutil.which("hugo"):
        raise SystemExit("needs Debian's hugo: apt-get install hugo")
    work: Path = args.work / f"n{args.n}"
    corpus, hub, site = work / "corpus", work / "hub", work / "site"
    hugo_site = corpus / "hugo"
    at_hub = [*NONMUN, "--hub", str(hub)]
    reused = args.reuse and (hub / "nonmun.db").is_file() and hugo_site.is_dir()
    if not reused:
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(HERE / "ssg" / "gen_corpus.py"), "--n", str(args.n), "--out",
             str(corpus), "--only", "hugo"], check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    run([*at_hub, "init"])  # (an upgrade of a reused hub)
    imported = (0.0, 0.0, 0.0) if reused else run([*at_hub, "import", str(hugo_site / "content")])
    posts = sorted((hugo_site / "content" / "posts").glob("*.md"))
    edited = posts[len(posts) // 2]

    def clean_site() -> None:
        shutil.rmtree(site, ignore_errors=True)

    def edit_post() -> None:
        with edited.open("a", encoding="utf-8") as post:
            post.write(f"\n\nEdited at {time.time_ns()}.\n")
        run([*at_hub, "import", str(edited)])

    def clean_hugo() -> None:
        for folder in ("public", "resources"):
            shutil.rmtree(hugo_site / folder, ignore_errors=True)

    build = [*at_hub, "build", str(site)]
    rows = {
        f"hugo --quiet (anchor), {args.n} posts": median_of(
            args.runs, clean_hugo, ["hugo", "--quiet"], hugo_site
        ),
        "nonmun build, cold (empty folder)": median_of(args.runs, clean_site, build),
        "nonmun build after one post edited": median_of(args.runs, edit_post, build),
        "nonmun build, nothing changed": median_of(args.runs, None, build),
    }
    pages = sum(1 for _ in site.rglob("index.html"))
    hugo_pages = sum(1 for _ in (hugo_site / "public").rglob("index.html"))
    anchor = next(iter(rows.values()))[0]
    import_figures = "reused" if reused else f"{imported[0]:.1f} s wall, {imported[2]:.0f} MiB peak"
    print(f"corpus: {args.n} posts; nonmun import of content/: {import_figures}; "
          f"pages: nonmun {pages}, hugo {hugo_pages}")  # fmt: skip
    print(f"{'command':<44} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'wall / hugo':>11}")
    for name, (wall, cpu, peak) in rows.items():
        print(f"{name:<44} {wall:8.2f} {cpu:8.2f} {peak:9.0f} {wall / anchor:11.1f}")


if __name__ == "__main__":
    main()
