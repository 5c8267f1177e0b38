"""HTML pages: the article and its metadata, EUC-KR, platforms, pages without an article."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from nonmun.db.engine import Hub
from nonmun.db.schema import Review
from nonmun.ingest.html import read_html
from nonmun.ingest.importer import import_paths

PAGES = Path(__file__).parent / "data" / "html"


def test_tistory_page_in_euc_kr() -> None:
    raw = (PAGES / "tistory-euckr.html").read_bytes()
    assert "논문".encode("cp949") in raw and "논문".encode() not in raw
    review = read_html(raw, "tistory-euckr.html")
    assert (
        review.title
        == "논문 리뷰: Sharpness-Aware Minimization for Efficiently Improving Generalization"
    )
    assert review.source.kind == "tistory" and review.source.url == "https://deeplearn.tistory.com"
    assert review.url == "https://deeplearn.tistory.com/18"
    assert review.published == date(2023, 2, 11)
    assert review.authors == ("연구자",)
    assert (
        "flat minima" in review.body
        and "방명록" not in review.body
        and "Designed by" not in review.body
    )
    assert "https://arxiv.org/abs/2010.01412" in review.body  # links survive as Markdown


def test_jekyll_page_with_broken_markup() -> None:
    review = read_html((PAGES / "jekyll-minima.html").read_bytes(), "jekyll-minima.html")
    assert review.title == "Deep Double Descent: Where Bigger Models and More Data Hurt"
    assert review.source.kind == "jekyll"
    assert review.authors == ("Duemoo",)
    assert review.published == date(2021, 5, 2)
    assert "epoch-wise double descent" in review.body  # the unclosed <p> is read too
    assert "Subscribe via RSS" not in review.body


def test_import_html_pages(hub: Hub) -> None:
    pages = sorted(PAGES.glob("*.html"))
    report = import_paths(hub, pages)
    assert report.imported == 2
    assert report.skipped == [f"{PAGES / 'nav-only.html'}: no article text found in this HTML page"]
    assert import_paths(hub, pages).unchanged == 2
    with hub.session() as session:
        langs = {r.title[:10]: r.language for r in session.scalars(select(Review))}
        assert langs == {"논문 리뷰: Sha": "ko", "Deep Doubl": "en"}
