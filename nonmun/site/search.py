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

import subprocess
import sys
import tempfile
from pathlib import Path

from nonmun.errors import InputError


def index_site(site: Path, language: str) -> list[str]:
    """Index the site in ``site`` into a new ``pagefind/`` swapped in for the old one
    when done; returns the files written (relative to ``site``)."""
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site) as building:
        new = Path(building) / "pagefind"
        command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
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
        if (site / "pagefind").exists():
            (site / "pagefind").rename(old)
        new.rename(site / "pagefind")
    return sorted(
        p.relative_to(site).as_posix() for p in (site / "pagefind").rglob("*") if p.is_file()
    )
