"""The static site: the demo hub published, read back as files and in Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from sqlalchemy import select

from helpers import run_cli
from nonmun.config import Settings
from nonmun.db.engine import Hub
from nonmun.db.schema import Review, Source
from nonmun.errors import InputError
from nonmun.ingest.records import ReviewRecord, SourceRef
from nonmun.ingest.store import store_reviews
from nonmun.pages.markdown import excerpt, render
from nonmun.site.build import MARK, build_site

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = """# Hostile

<script>window.ran = 1</script>
<img src="x" onerror="window.ran = 2">
[click](javascript:window.ran=3) <a href="data:text/html,<script>1</script>">data</a>
<svg><script>window.ran = 4</script></svg>
</textarea><iframe src="javascript:1"></iframe>
Unbalanced $math and $$ more.
"""


def build(hub: Hub, settings: Settings, target: Path) -> Path:
    with hub.session(write=False) as session:
        build_site(session, settings, target)
    return target


def internal_links(site: Path) -> Iterator[tuple[Path, str]]:
    """Every (page, href) of the site that points inside it."""
    for page in site.rglob("*.html"):
        for href in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            if not urlsplit(href).scheme and not href.startswith(("#", "mailto:")):
                yield page, href


def test_the_demo_site_has_every_page_and_no_broken_link(
    demo: Hub, settings: Settings, tmp_path: Path
) -> None:
    site = build(demo, settings, tmp_path / "site")
    sam = (site / "papers" / "2010.01412" / "index.html").read_text(encoding="utf-8")
    assert "Sharpness-Aware Minimization" in sam and "(2)" in sam
    assert "duemoo&#39;s paper reviews" in sam and "머신러닝&amp;딥러닝 논문리뷰 (Tistory)" in sam
    assert '<link rel="canonical" href="http://127.0.0.1:8000/papers/2010.01412/">' in sam
    assert '<html lang="ko">' in sam and 'property="og:title"' in sam
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "계속 읽기" in home and 'rel="next"' in home  # 47 reviews, 20 a page
    assert (site / "page" / "3" / "index.html").is_file()
    math = next(site.glob("reviews/gdsc-sookmyung-weekly-ai-trend/2023-04-26-clip*/index.html"))
    assert "<math" in math.read_text(encoding="utf-8")
    assert (site / "categories" / "머신러닝-딥러닝" / "논문리뷰" / "index.html").is_file()
    tree = (site / "categories" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'depth-1"><a href="[^"]*논문리뷰/">논문리뷰</a> <span class="count">\(10\)', tree
    )
    papers = (site / "papers" / "index.html").read_text(encoding="utf-8")
    assert papers.index("Sharpness-Aware") < papers.index("Adam: A Method")  # most reviewed first
    assert (site / "archive" / "2023" / "04" / "index.html").is_file()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in (site / "robots.txt").read_text()
    (newsletter,) = site.glob("digests/gdsc-sookmyung-weekly-ai-trend/*/index.html")
    issue = newsletter.read_text(encoding="utf-8")
    assert issue.count('class="entry"') == 4 and "손수경" in issue and "4월 4주차" in issue
    (weekly,) = site.glob("digests/weekly-arxiv-digest/*/index.html")
    notes = weekly.read_text(encoding="utf-8")
    assert notes.count('class="entry"') == 21 and "papers/2007.05471/" in notes
    assert "digests/" in (site / "papers" / "2007.05471" / "index.html").read_text()
    data = json.loads((site / "site.json").read_text(encoding="utf-8"))
    assert len(data["reviews"]) == 47 and data["papers"]
    broken = []
    for page, href in internal_links(site):
        target = Path(unquote(urljoin(page.as_posix(), href.split("#")[0])))
        if not (target.is_file() or (target / "index.html").is_file()):
            broken.append(f"{page.relative_to(site)} → {href}")
    assert broken == []


def test_every_feed_parses(demo: Hub, settings: Settings, tmp_path: Path) -> None:
    import feedparser

    site = build(demo, settings, tmp_path / "site")
    feeds = sorted(site.rglob("feed.xml")) + sorted(site.rglob("rss.xml"))
    assert len(feeds) > 100 and site / "papers" / "2010.01412" / "feed.xml" in feeds
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert parsed.entries, feed
    sam = feedparser.parse((site / "papers" / "2010.01412" / "feed.xml").read_bytes())
    assert len(sam.entries) == 2 and sam.entries[0].link.startswith("http://127.0.0.1:8000/")
    urls = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert "http://127.0.0.1:8000/papers/2010.01412/" in urls and len(urls) > 150


def test_english_interface_and_dates(demo: Hub, settings: Settings, tmp_path: Path) -> None:
    from dataclasses import replace

    english = replace(settings, ui_language="en", site_title="Our group")
    site = build(demo, english, tmp_path / "site")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Continue reading" in home and "April 26, 2023" in home and "<title>Our group" in home


def test_a_rebuild_replaces_only_its_own_files_and_refuses_other_folders(
    demo: Hub, settings: Settings, tmp_path: Path
) -> None:
    site = build(demo, settings, tmp_path / "site")
    (site / "CNAME").write_text("papers.example.org\n")  # a file the user added: kept
    build(demo, settings, site)
    assert (site / "CNAME").is_file() and (site / MARK).is_file()
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "mine.md").write_text("my own post")
    with pytest.raises(InputError, match="not a site nonmun built"):
        build(demo, settings, posts)
    assert (posts / "mine.md").read_text() == "my own post"


def test_a_broken_template_names_its_line_and_keeps_the_site(
    demo: Hub, settings: Settings, tmp_path: Path
) -> None:
    site = build(demo, settings, tmp_path / "site")
    before = (site / "index.html").read_text(encoding="utf-8")
    own = settings.hub / "templates"
    own.mkdir()
    (own / "list.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ oops(\n')
    with pytest.raises(InputError) as failed:
        build(demo, settings, site)
    assert "list.html:3" in str(failed.value.where()) + failed.value.message
    assert (site / "index.html").read_text(encoding="utf-8") == before
    (own / "list.html").write_text(
        '{% extends "base.html" %}{% block main %}<p id="own">mine</p>{% endblock %}'
    )
    build(demo, settings, site)  # a template of the hub's own overrides the package's
    assert '<p id="own">mine</p>' in (site / "index.html").read_text(encoding="utf-8")


def test_markdown_is_rendered_and_sanitised() -> None:
    html = render(HOSTILE + "\n| a | b |\n|---|---|\n| 1 | 2 |\n\nx[^1]\n\n[^1]: note\n")
    assert "<script" not in html and "onerror" not in html and 'href="javascript:' not in html
    assert 'href="data:' not in html and "<iframe" not in html and "<svg" not in html
    assert "<table>" in html and 'class="footnotes"' in html
    assert "Unbalanced $math" in html  # a lone dollar is text
    code = render("```python\ndef f(): pass\n```\n")
    assert '<span class="k">def</span>' in code
    assert "<math" in render("Inline $N^2-N$.") and 'display="block"' in render("$$x^2$$")


def test_math_is_taken_out_before_markdown_reads_it() -> None:
    emphasis = render("Loss $a_1 * b_1 + c_1 * d_1$ here.")
    assert "<em>" not in emphasis and emphasis.count("<msub>") == 4
    code = render("Shell `echo $HOME $PATH` and\n\n```\ncost = $x$\n```\n")
    assert "<math" not in code and "echo $HOME $PATH" in code and "cost = $x$" in code
    inline_display = render("Then $$x^2$$ in a line.")  # no block inside the paragraph
    assert inline_display.startswith("<p>Then <span") and "<div" not in inline_display
    assert "<math" not in render(r"A dollar \$x$ and $x$5 stay text.")
    assert render("$$\n\\sum_i x_i\n$$\n").startswith('<div class="math block"><math')


def test_excerpts_cut_at_words_and_honour_more() -> None:
    korean = "트랜스포머는 어텐션만으로 번역을 한다. " * 30
    cut, more = excerpt(korean, "ko")
    assert more and cut.endswith("…") and len(cut) <= 161
    assert korean.startswith(cut.rstrip("…").rstrip())  # ends at a space, not mid-word
    english, more = excerpt("word " * 100, "en")
    assert more and english.count("word") == 45
    assert excerpt("Intro *here*.\n\n<!--more-->\n\nThe rest.") == ("Intro here.", True)
    assert excerpt("Short.") == ("Short.", False)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *a: None  # type: ignore[method-assign]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
def test_in_chromium_math_is_laid_out_and_no_script_runs(
    demo: Hub, settings: Settings, served: tuple[Path, str]
) -> None:
    from playwright.sync_api import sync_playwright

    with demo.session() as session:
        source = SourceRef("hostile", "manual")
        store_reviews(session, [ReviewRecord(source, "h1", "Hostile", HOSTILE + "\n$N^2-N$\n")])
    root, url = served
    build(demo, settings, root)
    hostile = next(root.glob("reviews/hostile/*/index.html")).parent.relative_to(root)
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page()
        page.goto(f"{url}{hostile.as_posix()}/")
        for link in page.locator("a").all():
            if "click" in (link.text_content() or ""):
                link.click()
        assert page.evaluate("window.ran") is None
        box = page.locator("math").first.bounding_box()
        assert box is not None and box["width"] > 10 and box["height"] > 5
        page.goto(f"{url}papers/2010.01412/")
        cards = page.locator("article.card")
        assert cards.count() == 2
        browser.close()


def test_cli_build(demo: Hub, hub_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli("build", str(tmp_path / "out"), env=hub_env)
    assert done.returncode == 0, done.stderr
    assert "47 reviews" in done.stdout and (tmp_path / "out" / "index.html").is_file()
    refused = run_cli("build", str(Path(__file__).parent), env=hub_env)
    assert refused.returncode == 2 and "not a site nonmun built" in refused.stderr


ROOT = Path(__file__).parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGE_TYPES = [
    "",
    "papers/2010.01412/",
    "papers/",
    "tags/",
    "categories/",
    "archive/2023/04/",
]


def needed(tool: Path | str | None, what: str) -> None:
    """Skip without a checking tool here; in CI (.ci/run installs them) fail instead."""
    if tool is None or (isinstance(tool, Path) and not tool.exists()):
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing: .ci/run installs it")
        pytest.skip(
            f"{what} is missing (`npm ci`, `apt-get install chromium default-jre-headless`)"
        )


def review_with_math(site: Path) -> str:
    page = next(site.glob("reviews/gdsc-sookmyung-weekly-ai-trend/2023-04-26-clip*/"))
    return page.relative_to(site).as_posix() + "/"


def test_linkchecker_finds_no_broken_link(demo: Hub, settings: Settings) -> None:
    checker = shutil.which("linkchecker", path=str(Path(sys.executable).parent))
    needed(checker, "linkchecker")
    with tempfile.TemporaryDirectory() as folder:  # readable by all: linkchecker run as
        os.chmod(folder, 0o755)  # root reads as the user nobody
        site = build(demo, settings, Path(folder) / "site")
        done = subprocess.run(
            [str(checker), "--no-status", "-o", "text", str(site / "index.html")],
            capture_output=True,
            text=True,
        )
    assert "0 errors found" in done.stdout, done.stdout[-3000:]
    checked = int(re.search(r"(\d+) links in", done.stdout).group(1))  # type: ignore[union-attr]
    assert checked > 500  # it walked the whole site


def test_the_nu_html_checker_reports_no_error(
    demo: Hub, settings: Settings, tmp_path: Path
) -> None:
    needed(VNU, "vnu-jar")
    needed(shutil.which("java"), "java")
    site = build(demo, settings, tmp_path / "site")
    pages = [site / p / "index.html" for p in [*PAGE_TYPES, review_with_math(site)]]
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", str(site)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr[-3000:]
    assert all(p.is_file() for p in pages)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
def test_axe_finds_no_serious_violation(
    demo: Hub, settings: Settings, served: tuple[Path, str]
) -> None:
    from playwright.sync_api import sync_playwright

    needed(AXE, "axe-core")
    root, url = served
    build(demo, settings, root)
    found = []
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        for scheme in ("light", "dark"):
            page = browser.new_page(color_scheme=scheme, viewport={"width": 390, "height": 800})
            for path in [*PAGE_TYPES, review_with_math(root)]:
                page.goto(url + path)
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate(
                    "axe.run().then(r => r.violations"
                    ".filter(v => ['serious', 'critical'].includes(v.impact))"
                    ".map(v => v.id + ': ' + v.nodes[0].html))"
                )
                found += [f"{scheme} {path}: {v}" for v in violations]
        browser.close()
    assert found == []


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
def test_search_in_the_browser_finds_korean_and_english(
    demo: Hub, settings: Settings, served: tuple[Path, str]
) -> None:
    """Pagefind's index, asked by the search page: a Korean query (with or without its
    particle) finds the English-titled Transformer paper; an English one finds SAM."""
    from playwright.sync_api import sync_playwright

    root, url = served
    build(demo, settings, root)
    assert (root / "pagefind" / "pagefind.js").is_file()
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page()
        for query in ("트랜스포머", "트랜스포머는", "sharpness"):
            page.goto(f"{url}search/?q={query}")
            page.wait_for_selector("#results li", timeout=15000)
            found[query] = [a.text_content() for a in page.locator("#results li > a").all()]
        browser.close()
    assert "Attention Is All You Need" in found["트랜스포머"]
    assert "Attention Is All You Need" in found["트랜스포머는"]
    assert found["sharpness"][0].startswith("Sharpness-Aware Minimization")


def edit_sam_review(hub: Hub, body: Callable[[str], str]) -> None:
    """Store one review of SAM again with its body changed by ``body``."""
    with hub.session() as session:
        review = session.scalars(
            select(Review).join(Source).where(Source.name == "duemoo's paper reviews")
            .where(Review.title.startswith("Sharpness"))
        ).one()  # fmt: skip
        record = ReviewRecord(SourceRef("duemoo's paper reviews", review.source.kind),
                              review.external_id, review.title, body(review.body))  # fmt: skip
        store_reviews(session, [record])


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
def test_search_after_an_edit_asks_the_delta(
    demo: Hub, settings: Settings, served: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incremental build indexes only the pages changed since the base: the search
    page finds a word just written, forgets a word just removed, and shows no page twice."""
    from playwright.sync_api import sync_playwright

    from nonmun.site import search

    monkeypatch.setattr(search, "MAX_DELTA", 0.5)
    root, url = served
    build(demo, settings, root)
    original = {}
    edit_sam_review(demo, lambda body: original.setdefault("body", body) + "\n\nXylqvz.")
    build(demo, settings, root)
    delta = json.loads((root / "pagefind-delta" / "delta.json").read_text(encoding="utf-8"))
    assert delta["bundle"] and "papers/2010.01412/" in delta["superseded"]
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

    def search_for(query: str) -> list[str]:
        page.goto(f"{url}search/?q={query}")
        page.wait_for_function(
            "document.getElementById('search-status').textContent", timeout=15000
        )
        return [a.get_attribute("href") or "" for a in page.locator("#results li > a").all()]

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page()
        written = search_for("xylqvz")
        sharpness = search_for("sharpness")
        edit_sam_review(demo, lambda body: original["body"])
        build(demo, settings, root)
        removed = search_for("xylqvz")
        browser.close()
    assert any("reviews/duemoo-s-paper-reviews/undated-sharpness" in href for href in written)
    assert len(sharpness) == len(set(sharpness)) and "/papers/2010.01412/" in sharpness
    assert removed == []


def test_rebuilds_render_only_what_changed(demo: Hub, settings: Settings, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with demo.session(write=False) as session:
        first = build_site(session, settings, site)
        again = build_site(session, settings, site)
    assert first.rendered == first.pages and again.unchanged
    sam_page = site / "papers" / "2010.01412" / "index.html"
    stamps = {sam_page: sam_page.stat().st_mtime_ns}
    edit_sam_review(demo, lambda body: body + "\n\nEDITED-42")  # one review of SAM
    with demo.session(write=False) as session:
        edited = build_site(session, settings, site)
        cleaned = build_site(session, settings, site, clean=True)
    assert 0 < edited.rendered < first.pages // 4, edited
    assert cleaned.rendered == cleaned.pages
    review_page = next(site.glob("reviews/duemoo-s-paper-reviews/*sharpness*/index.html"))
    assert "EDITED-42" in review_page.read_text(encoding="utf-8")
    assert sam_page.stat().st_mtime_ns != stamps[sam_page]
    json.loads((site / MARK).read_text(encoding="utf-8"))  # the manifest is whole


def test_an_unchanged_page_stays_untouched(demo: Hub, settings: Settings, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with demo.session(write=False) as session:
        build_site(session, settings, site)
    untouched = sorted(site.glob("papers/*.*/index.html"))[0]  # a paper the note never names
    stamp = untouched.stat().st_mtime_ns
    with demo.session() as session:
        source = SourceRef("somewhere else", "manual")
        store_reviews(session, [ReviewRecord(source, "n1", "A new note", "About nothing known.")])
    with demo.session(write=False) as session:
        done = build_site(session, settings, site)
    assert 0 < done.rendered < done.pages // 4
    assert untouched.stat().st_mtime_ns == stamp
    assert next(site.glob("reviews/somewhere-else/*/index.html")).is_file()


def test_bad_settings_and_outputs_are_one_line(
    demo: Hub, hub_env: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = run_cli("build", str(blocker / "site"), env=hub_env)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and str(blocker) in done.stderr
    for line, message in (('bogus = 1', "unknown setting(s): bogus"),
                          ('ui_language = "fr"', "ui_language must be one of ko, en"),
                          ('base_url = "example.org"', "base_url must start with http")):  # fmt: skip
        (settings.hub / "nonmun.toml").write_text(line + "\n")
        refused = run_cli("build", str(tmp_path / "out"), env=hub_env)
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr
        assert not (tmp_path / "out").exists()


def test_odd_bodies_render_readably() -> None:
    line = "가나다 " * 170_000  # a 1 MB line
    assert render(line).startswith("<p>가나다")
    assert "$" in render("Costs $5 and $$ nothing") and "<math" not in render("$5 and $6")
    broken = b"caf\xe9 \xff review".decode("utf-8", errors="replace")
    assert "caf\ufffd" in render(broken)


def test_moved_pages_leave_a_redirect(demo: Hub, settings: Settings, tmp_path: Path) -> None:
    """A retitled review, and a provisional paper that became an arXiv paper: the old
    address still leads to the page."""
    from nonmun.catalog.merge import CatalogWriter, record_row
    from nonmun.catalog.records import PaperRecord
    from nonmun.db.schema import Mention, Paper

    with demo.session() as session:
        source = SourceRef("notes", "manual")
        body = "On Some Unknown Title of a Paper, which we liked."
        store_reviews(session, [ReviewRecord(source, "n1", "First title", body)])
        review = session.scalars(select(Review).where(Review.external_id == "n1")).one()
        record = PaperRecord("Some Unknown Title of a Paper", ())
        ((_, pid),) = CatalogWriter(session.connection()).write_rows(
            [record_row(record) | {"provisional": True}]
        )  # as the linker stores a paper a review names that the catalog lacks
        session.add(Mention(review_id=review.id, paper_id=pid, role="reviewed",
                            confidence=0.9, evidence="Some Unknown Title", method="title"))  # fmt: skip
    site = tmp_path / "site"
    with demo.session(write=False) as session:
        build_site(session, settings, site)
    (old_review,) = site.glob("reviews/notes/*first-title/index.html")
    old_paper = site / "papers" / "some-unknown-title-of-a-paper" / "index.html"
    assert old_paper.is_file()
    with demo.session() as session:
        store_reviews(session, [ReviewRecord(source, "n1", "Second title", body)])
        moved = session.scalars(
            select(Paper).where(Paper.title_key.startswith("some unknown"))
        ).one()
        moved.arxiv_id, moved.provisional = "2401.00001", False  # resolved
    for _ in range(2):  # the redirects stay at the next build too
        with demo.session(write=False) as session:
            build_site(session, settings, site, clean=True)
        review_redirect = old_review.read_text(encoding="utf-8")
        assert 'http-equiv="refresh"' in review_redirect and "second-title/" in review_redirect
        paper_redirect = old_paper.read_text(encoding="utf-8")
        assert "papers/2401.00001/" in paper_redirect
        assert (site / "papers" / "2401.00001" / "index.html").is_file()
        with demo.session() as session:  # a change, so that the next build is not skipped
            store_reviews(session, [ReviewRecord(source, "n2", "Another", "text")])
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "some-unknown-title-of-a-paper" not in sitemap
