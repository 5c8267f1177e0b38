"""Markdown folders: Jekyll and Hugo front matter, note collections, broken files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from nonmun.db.engine import Hub
from nonmun.db.schema import Review
from nonmun.ingest.importer import import_paths

ML_PAPERS = Path(__file__).parent / "data" / "ml-papers"


def folder_of(folder: Path, files: dict[str, str]) -> Path:
    """A folder holding these files (name → text)."""
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


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


def test_a_note_of_prose_is_titled_by_its_file_and_landmarks(hub: Hub, tmp_path: Path) -> None:
    from nonmun.db.schema import Mention, Paper

    notes = tmp_path / "papers"
    notes.mkdir()
    (notes / "170629 Do GANs actually learn the distribution.md").write_text(
        "https://arxiv.org/abs/1706.08224\n"
        "생일 역설이라는 것은 사람이 367명이 있으면 반드시 생일이 같은 사람들이 존재한다는 것이다. "
        "(아, 물론 연도는 빼고.)\n\n본문.\n"
    )
    (notes / "220922 Whisper.md").write_text(
        "https://openai.com/blog/whisper/\n\nopenai에서 asr 모델을 만들었군요. 68만 시간 분량의 "
        "multilingual 데이터로 multitask 학습을 했습니다.\n\n#asr\n"
    )
    (notes / "201022 ViT.md").write_text("https://arxiv.org/abs/2010.11929\n\n패치로 자른다.\n")
    report = import_paths(hub, [notes])
    assert report.imported == 3
    with hub.session() as session:
        titles = sorted(session.scalars(select(Review.title)))
        assert titles == ["Do GANs actually learn the distribution", "ViT", "Whisper"]
        gans = session.scalars(select(Paper).where(Paper.arxiv_id == "1706.08224")).one()
        assert gans.title == "Do GANs actually learn the distribution" and gans.authors == []
        vit = session.scalars(select(Paper).where(Paper.arxiv_id == "2010.11929")).one()
        assert vit.title.startswith("An Image is Worth 16x16 Words") and vit.year == 2020
        assert "Alexey Dosovitskiy" in vit.authors  # from the shipped landmarks, offline
        roles = {m.paper.arxiv_id: m.role for m in session.scalars(select(Mention))}
        assert roles == {"1706.08224": "reviewed", "2010.11929": "reviewed"}


def test_a_placeholder_title_coins_no_nickname(hub: Hub, tmp_path: Path) -> None:
    from nonmun.db.schema import Mention

    notes = folder_of(tmp_path / "notes", {
        "a.md": "# Notes\n\nSee arXiv:1903.08689 for details.\n",
        "b.md": "# Other\n\nAnd arXiv:2301.99999 too.\n",
    })  # fmt: skip
    import_paths(hub, [notes])
    with hub.session() as session:
        pairs = {(m.review.external_id, m.paper.arxiv_id) for m in session.scalars(select(Mention))}
    assert pairs == {("a", "1903.08689"), ("b", "2301.99999")}


def test_a_single_post_imports_like_its_folder(hub: Hub, tmp_path: Path) -> None:
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    post = posts / "2024-03-01-vit.md"
    post.write_text(
        '---\ntitle: "[논문 리뷰] ViT"\ndate: 2024-03-01\n---\n\n'
        "논문 링크: https://arxiv.org/abs/2010.11929\n\n이미지를 패치로 잘라 넣는다.\n"
    )
    report = import_paths(hub, [post])
    assert report.imported == 1 and report.shapes == {str(post): "markdown post"}
    again = import_paths(hub, [posts])
    assert again.unchanged == 1 and again.imported == 0
    with hub.session() as session:
        review = session.scalars(select(Review)).one()
        assert review.source.name == "blog"  # the blog, not its _posts folder
        assert [(m.paper.arxiv_id, m.role) for m in review.mentions] == [("2010.11929", "reviewed")]


def test_importing_a_folder_again_under_another_name_duplicates_nothing(hub: Hub) -> None:
    first = import_paths(hub, [ML_PAPERS], source="ML papers")
    again = import_paths(hub, [ML_PAPERS], source="ML papers (notes)")
    assert first.imported > 5 and again.imported == 0 and again.unchanged == first.imported
    with hub.session() as session:
        from nonmun.db.schema import Source

        assert [s.name for s in session.scalars(select(Source))] == ["ML papers (notes)"]


def test_a_folder_import_says_how_far_it_is(hub: Hub) -> None:
    heard: list[str] = []
    import_paths(hub, [ML_PAPERS], progress=heard.append)
    assert any("reading file 1" in m for m in heard)
    assert any("linking 0 of" in m for m in heard)


def test_comma_separated_tags_keep_their_spaces(hub: Hub, tmp_path: Path) -> None:
    posts = folder_of(tmp_path / "posts", {
        "a.md": "---\ntitle: A\ntags: deep learning, NLP\n---\nbody\n",
        "b.md": "---\ntitle: B\ntags: resnet cnn\n---\nbody\n",
    })  # fmt: skip
    import_paths(hub, [posts])
    with hub.session() as session:
        tags = {r.title: r.tags for r in session.scalars(select(Review))}
    assert tags == {"A": ["deep learning", "NLP"], "B": ["resnet", "cnn"]}
