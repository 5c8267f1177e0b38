"""RSS and Atom feeds: a real feed, junk before <?xml, re-imports and cross-posts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nonmun.db.engine import Hub
from nonmun.db.schema import Review
from nonmun.ingest.importer import import_paths

REAL = Path(__file__).parent / "fixtures" / "blog_feeds" / "meituan_tech_blog_rss2.xml"

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{site}</title>
  <link href="https://{site}/"/>
  <entry>
    <id>https://{site}/posts/vit-review</id>
    <title>[논문 리뷰] An Image is Worth 16x16 Words</title>
    <link href="https://{site}/posts/vit-review"/>
    <updated>2023-05-01T09:00:00Z</updated>
    <author><name>김리뷰</name></author>
    <category term="vision"/>
    <content type="html">&lt;p&gt;ViT는 이미지를 &lt;b&gt;패치&lt;/b&gt;로 나눠 트랜스포머에 넣는다. 그 결과를 자세히 살펴본다.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_real_feed_with_leading_newline(hub: Hub) -> None:
    assert REAL.read_bytes().startswith(b"\n")  # as recorded upstream; strict parsers refuse it
    report = import_paths(hub, [REAL])
    assert (report.imported, report.skipped) == (10, [])
    with hub.session() as session:
        reviews = list(session.scalars(select(Review)))
        assert all(r.url and r.url.startswith("https://tech.meituan.com/") for r in reviews)
        assert {r.source.kind for r in reviews} == {"rss"}
    again = import_paths(hub, [REAL])
    assert (again.imported, again.unchanged) == (0, 10)


def test_junk_before_the_declaration(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        "<!-- served by a plugin -->\n\n" + ATOM.format(site="a.example"), encoding="utf-8"
    )
    report = import_paths(hub, [path])
    assert report.imported == 1
    with hub.session() as session:
        review = session.scalars(select(Review)).one()
        assert review.title == "[논문 리뷰] An Image is Worth 16x16 Words"
        assert "**패치**" in review.body  # HTML became Markdown
        assert [p.name for p in review.authors] == ["김리뷰"] and review.tags == ["vision"]
        assert review.published is not None and review.published.isoformat() == "2023-05-01"


def test_cross_post_is_one_review_with_two_urls(hub: Hub, tmp_path: Path) -> None:
    first, second = tmp_path / "a.xml", tmp_path / "b.xml"
    first.write_text(ATOM.format(site="a.example"), encoding="utf-8")
    second.write_text(ATOM.format(site="b.example"), encoding="utf-8")
    assert import_paths(hub, [first]).imported == 1
    report = import_paths(hub, [second])
    assert (report.imported, report.updated) == (0, 1)
    assert import_paths(hub, [second]).unchanged == 1
    with hub.session() as session:
        review = session.scalars(select(Review)).one()
        assert review.urls == [
            "https://a.example/posts/vit-review",
            "https://b.example/posts/vit-review",
        ]


def test_not_a_feed(hub: Hub, tmp_path: Path) -> None:
    bad = tmp_path / "not.xml"
    bad.write_text("<rss this is not xml at all", encoding="utf-8")
    report = import_paths(hub, [bad])
    assert report.imported == 0 and report.skipped and "not a feed" in report.skipped[0]
