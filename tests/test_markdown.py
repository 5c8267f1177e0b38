"""Markdown folders: Jekyll and Hugo front matter, note collections, broken files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from nonmun.db.engine import Hub
from nonmun.db.schema import Review
from nonmun.ingest.importer import import_paths

ML_PAPERS = Path(__file__).parent / "data" / "ml-papers"

JEKYLL = """---
layout: post
title: "[Paper Review] Deep Residual Learning"
date: 2021-03-04 10:00:00 +0900
author: 김연구
categories: [paper-review, vision]
tags: resnet cnn
---
ResNet 리뷰입니다. https://arxiv.org/abs/1512.03385
"""

HUGO = """+++
title = "Attention 다시 읽기"
date = 2022-07-01
tags = ["transformer"]
+++
본문.
"""

BROKEN = """---
title: [oops
---
body
"""


def test_jekyll_hugo_and_broken(hub: Hub, tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "2021-03-04-resnet.md").write_text(JEKYLL, encoding="utf-8")
    (posts / "README.md").write_text("# not a post\n")
    hugo = tmp_path / "content" / "posts"
    hugo.mkdir(parents=True)
    (hugo / "attention.md").write_text(HUGO, encoding="utf-8")
    (hugo / "broken.md").write_text(BROKEN, encoding="utf-8")
    report = import_paths(hub, [tmp_path])
    assert report.imported == 2
    assert (
        len(report.skipped) == 1 and "broken.md:2: invalid YAML front matter" in report.skipped[0]
    )
    with hub.session() as session:
        reviews = {r.external_id: r for r in session.scalars(select(Review))}
        resnet = reviews["_posts/2021-03-04-resnet"]
        assert resnet.title == "[Paper Review] Deep Residual Learning"
        assert resnet.published == date(2021, 3, 4)
        assert [p.name for p in resnet.authors] == ["김연구"]
        assert resnet.tags == ["resnet", "cnn"] and resnet.category_path == "paper-review/vision"
        assert resnet.language == "ko"
        attention = reviews["content/posts/attention"]
        assert (attention.title, attention.published, attention.tags) == (
            "Attention 다시 읽기", date(2022, 7, 1), ["transformer"])  # fmt: skip
    again = import_paths(hub, [tmp_path])
    assert (again.imported, again.unchanged) == (0, 2)


def test_ml_papers_notes(hub: Hub) -> None:
    report = import_paths(hub, [ML_PAPERS])
    assert report.imported == 11 and report.skipped == []
    with hub.session() as session:
        note = session.scalars(
            select(Review).where(Review.external_id.like("%Neural Transducer"))
        ).one()
        assert note.title == "A New Training Pipeline for an Improved Neural Transducer"
        assert note.published == date(2020, 5, 19)
        assert note.tags == ["transducer"]
        assert note.body.startswith("https://arxiv.org/abs/2005.09319")


def test_a_note_of_only_a_link_and_tags_names_no_paper_title(hub: Hub, tmp_path: Path) -> None:
    from nonmun.db.schema import Paper

    (tmp_path / "200130 T5.md").write_text(
        " https://arxiv.org/abs/1910.10683\n \n #pretraining #nlp #seq2seq#pretraining\n",
        encoding="utf-8",
    )
    import_paths(hub, [tmp_path])
    with hub.session() as session:
        note = session.scalars(select(Review)).one()
        assert note.title == "T5" and note.tags == ["pretraining", "nlp", "seq2seq"]
        titles = session.scalars(select(Paper.title)).all()
        assert not any(t.startswith("#") for t in titles)
