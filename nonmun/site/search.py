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
from pathlib import Path

from nonmun.errors import InputError


def index_site(out: Path, language: str) -> None:
    """Index the pages built in ``out`` (Pagefind writes ``out/pagefind/``)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(out), "--silent"]
    command += ["--force-language", language]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"the search index could not be built: {exc}", source=str(out)) from None
    if done.returncode != 0 or not (out / "pagefind" / "pagefind.js").is_file():
        reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise InputError(f"Pagefind failed: {reason[0]}", source=str(out))
