"""HTML pages: the article and its metadata, EUC-KR, platforms, pages without an article."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from nonmun.catalog.importer import import_snapshot
from nonmun.db.engine import Hub
from nonmun.db.schema import MIN_CONFIDENCE, Mention, Paper, Review
from nonmun.errors import InputError
from nonmun.ingest.fetch import Fetcher
from nonmun.ingest.html import read_html
from nonmun.ingest.importer import import_paths

PAGES = Path(__file__).parent / "data" / "html"
DEMO_CATALOG = Path(__file__).parents[1] / "nonmun" / "data" / "demo" / "catalog.jsonl"


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
    pages = [PAGES / "tistory-euckr.html", PAGES / "jekyll-minima.html", PAGES / "nav-only.html"]
    report = import_paths(hub, pages)
    assert report.imported == 2
    assert report.skipped == [f"{PAGES / 'nav-only.html'}: no article text found in this HTML page"]
    assert import_paths(hub, pages).unchanged == 2
    with hub.session() as session:
        langs = {r.title[:10]: r.language for r in session.scalars(select(Review))}
        assert langs == {"논문 리뷰: Sha": "ko", "Deep Doubl": "en"}


PLATFORM_PAGES = {
    "velog-clip.html": ("velog", "velog.io/@mlreader", ("mlreader",), ("Multimodal", "논문리뷰")),
    "medium-vit.html": ("medium", "Towards Data Science", ("Jane Doe",), ("Machine Learning", "Computer Vision", "Transformers")),
    "hugo-perceiver.html": ("hugo", "Reading notes", ("Minji Park",), ("paper-review", "attention", "multimodal")),
    "naver-adam.html": ("naver", "딥러닝 공부방", ("딥공부",), ("옵티마이저", "논문리뷰")),
}  # fmt: skip
CHROME = ("댓글", "Written by", "More from", "Prev", "share on", "공감", "채용", "[#]")


@pytest.mark.parametrize("name", sorted(PLATFORM_PAGES))
def test_platform_pages(name: str) -> None:
    kind, site, authors, tags = PLATFORM_PAGES[name]
    review = read_html((PAGES / name).read_bytes(), name)
    assert (review.source.kind, review.source.name) == (kind, site)
    assert review.authors == authors  # the page's spelling, not "Mlreader"
    assert review.tags == tags  # meta keywords split, the post's tag links, no menu link "Tags"
    assert review.published is not None and review.url and review.url.startswith("https://")
    assert not [c for c in CHROME if c in review.body], review.body
    assert not review.body.startswith(
        ("[논문", "\\[", "Paper Review:")
    )  # the title is not repeated


def test_a_sidebar_tag_cloud_is_not_the_posts_tags() -> None:
    cloud = "".join(f'<a href="/tag/t{i}">t{i}</a>' for i in range(40))
    page = (
        (PAGES / "jekyll-minima.html")
        .read_bytes()
        .replace(b"</body>", f"<div>{cloud}</div></body>".encode())
    )
    assert read_html(page, "cloud.html").tags == ()


def test_platform_pages_are_linked_to_their_papers(hub: Hub) -> None:
    import_snapshot(hub, DEMO_CATALOG)
    report = import_paths(hub, [PAGES / name for name in sorted(PLATFORM_PAGES)])
    assert report.imported == 4 and not report.skipped
    with hub.session() as session:
        rows = session.execute(
            select(Review.title, Paper.arxiv_id, Mention.role)
            .join(Mention, Mention.review_id == Review.id)
            .join(Paper, Paper.id == Mention.paper_id)
            .where(Mention.confidence >= MIN_CONFIDENCE)
        ).all()
        found = {(title[:12], arxiv, role) for title, arxiv, role in rows}
    assert {f for f in found if f[2] == "reviewed"} == {
        ("[논문 리뷰] CLIP", "2103.00020", "reviewed"),
        ("Paper Review", "2010.11929", "reviewed"),
        ("Perceiver: G", "2103.03206", "reviewed"),
        ("[논문리뷰] Adam:", "1412.6980", "reviewed"),
    }
    assert ("Paper Review", "1706.03762", "mentioned") in found  # "Attention Is All You Need"
    assert ("Perceiver: G", "2107.14795", "mentioned") in found  # "Perceiver IO"


def test_a_naver_post_is_read_through_its_frame(hub: Hub) -> None:
    post = (PAGES / "naver-adam.html").read_bytes()
    frame = b'<html><body><iframe id="mainFrame" src="/PostView.naver?blogId=deepstudy&logNo=223045678901"></iframe></body></html>'
    routes = {"/deepstudy/223045678901": frame, "/PostView.naver": post}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=routes[request.url.path])

    url = "https://blog.naver.com/deepstudy/223045678901"
    fetcher = Fetcher(transport=httpx.MockTransport(answer))
    report = import_paths(hub, [url], fetcher=fetcher)
    assert report.imported == 1 and report.shapes[url] == "html (naver)"
    assert read_error(frame) == "no article text found in this HTML page; import the post's own URL"


def read_error(raw: bytes) -> str:
    with pytest.raises(InputError) as caught:
        read_html(raw, "frame.html")
    return caught.value.message
