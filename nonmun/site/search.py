"""Search in the browser, without a server: Pagefind (its binary comes with the
``pagefind[bin]`` package) indexes the built pages' review and paper articles into
``pagefind/``; the site's ``search/`` page asks it from ``static/search.js``.

Korean: the whole site is indexed as one language (the interface's), so English and
Korean writing are found together; Pagefind matches a query word as the start of a
word ("트랜스포머" finds "트랜스포머는"), and ``search.js`` takes a particle off a query
word ("트랜스포머는" → 트랜스포머) with the same list of particles the hub's own
search uses (written into the page as data). A paper page carries its nicknames
("트랜스포머" for *Attention Is All You Need*) and its Korean reviews' excerpts, so
a Korean query finds an English-titled paper.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from nonmun.errors import InputError

BASE, DELTA = "pagefind", "pagefind-delta"
FOLDERS = (f"{BASE}/", f"{DELTA}/")  # the search index's files in the site
DELTA_FILE = "delta.json"  # in DELTA: the pages it supersedes, whether it has a bundle
MARKED = 'data-pagefind-body data-pagefind-meta="delta:1"'  # a delta page's hits say so
MAX_DELTA = 0.1  # of the base's pages: a bigger delta rebuilds the base


def index_site(
    site: Path, language: str, pages: dict[str, str], base: dict[str, str] | None
) -> tuple[dict[str, str], list[str]]:
    """Bring the search index of ``site`` up to ``pages`` (each page's address → key
    of its inputs) and return the pages its base holds now and its files.

    Pagefind has no incremental mode and takes about 2 ms a page, so the index is a
    *base* of every page (``base``: as it was last built) and a *delta* of the pages
    changed or removed since, indexed on their own; ``search.js`` merges the two and
    drops the base's hits on a superseded page. A delta over ``MAX_DELTA`` of the
    base's pages (or no base) rebuilds the base."""
    changed = [p for p, key in pages.items() if base is None or base.get(p) != key]
    removed = [p for p in base or {} if p not in pages]
    whole = base is None or not (site / BASE / "pagefind.js").is_file()
    if whole or len(changed) + len(removed) > MAX_DELTA * len(base or {}):
        base = None
    if base is None:
        _pagefind(site, site, BASE, language)
    if base is None or not (changed or removed):  # (the pages are as the base has them)
        shutil.rmtree(site / DELTA, ignore_errors=True)
    else:
        _delta(site, language, changed, removed)
    return base or dict(pages), _files(site)


def _delta(site: Path, language: str, changed: list[str], removed: list[str]) -> None:
    """The delta bundle of the ``changed`` pages (marked as the delta's, so that
    ``search.js`` tells them from the base's), and the list of pages it supersedes."""
    with tempfile.TemporaryDirectory(prefix=".delta-", dir=site) as pages:
        for path in changed:
            page = site / path / "index.html"
            copy = Path(pages) / path / "index.html"
            copy.parent.mkdir(parents=True, exist_ok=True)
            html = page.read_text(encoding="utf-8")
            copy.write_text(
                html.replace(
                    "data-pagefind-body", 'data-pagefind-body data-pagefind-meta="delta:1"', 1
                ),
                encoding="utf-8",
            )
        if changed:
            _pagefind(site, Path(pages), DELTA, language)
        else:
            shutil.rmtree(site / DELTA, ignore_errors=True)
            (site / DELTA).mkdir()
    about = {"bundle": bool(changed), "superseded": sorted(changed + removed)}
    (site / DELTA / DELTA_FILE).write_text(json.dumps(about) + "\n", encoding="utf-8")


def _pagefind(site: Path, pages: Path, name: str, language: str) -> None:
    """Pagefind over the pages in ``pages`` into ``site/name``, built aside and swapped
    in for the old bundle when done."""
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site) as building:
        new = Path(building) / name
        command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--silent"]
        command += ["--force-language", language, "--output-path", str(new)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(
                f"the search index could not be built: {exc}", source=str(site)
            ) from None
        if done.returncode != 0 or not (new / "pagefind.js").is_file():
            reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise InputError(f"Pagefind failed: {reason[0]}", source=str(site))
        old = Path(building) / "old"
        if (site / name).exists():
            (site / name).rename(old)
        new.rename(site / name)


def _files(site: Path) -> list[str]:
    """The index's files, relative to ``site`` (os.walk: tens of thousands of them)."""
    found = []
    for folder in (BASE, DELTA):
        for parent, _, names in os.walk(site / folder):
            prefix = Path(parent).relative_to(site).as_posix()
            found += [f"{prefix}/{name}" for name in names]
    return sorted(found)
