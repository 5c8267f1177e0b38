"""Provisional papers: named by a page's structure or an arXiv id, absent from the catalog;
completed from the arXiv API (recorded responses) by ``nonmun papers resolve``."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from arxiv_server import arxiv_server
from helpers import run_cli
from nonmun.catalog.arxiv_api import ArxivClient
from nonmun.catalog.importer import store_records
from nonmun.catalog.records import PaperRecord
from nonmun.db.engine import Hub
from nonmun.db.schema import Mention, Paper, Review
from nonmun.ingest.importer import import_paths
from nonmun.linking.provisional import looks_like_paper_title, resolve

DIGEST = """이번 주 분량

https://arxiv.org/abs/1707.08567
Proceedings of Workshop AEW10 (Michael Hoffmann, Ruth Bieri)
정보 이론 워크숍 발표 모음.

https://arxiv.org/abs/2204.08348
Automated Test Generation for REST APIs: No Time to Rest Yet (Myeongsoo Kim)
REST API 테스트 생성 도구를 비교한다.

#review
"""
POST = """<html><head><title>[Paper Review] Automated Test Generation for REST APIs: No Time to Rest Yet</title>
<meta property="og:url" content="https://example.github.io/rest"></head><body><article>
<h1>[Paper Review] Automated Test Generation for REST APIs: No Time to Rest Yet</h1>
<p>Ten tools for REST API testing are compared on twenty services, by code coverage and failures found.
The authors also compare with A Completely Made Up Paper Title That Nobody Wrote in their discussion.</p>
</article></body></html>"""


def papers(hub: Hub) -> dict[str, tuple[str | None, bool, list[str]]]:
    with hub.session() as session:
        return {
            p.title: (p.arxiv_id, p.provisional, p.authors) for p in session.scalars(select(Paper))
        }


def test_a_pages_structure_and_unknown_ids_make_provisional_papers(
    hub: Hub, tmp_path: Path
) -> None:
    (tmp_path / "digest.txt").write_text(DIGEST, encoding="utf-8")
    (tmp_path / "post.html").write_text(POST, encoding="utf-8")
    (tmp_path / "korean.html").write_text(
        POST.replace(
            "[Paper Review] Automated Test Generation for REST APIs: No Time to Rest Yet",
            "[논문 리뷰] 테스트 자동화 정리",
        ).replace("/rest", "/ko"),
        encoding="utf-8",
    )
    report = import_paths(
        hub, [tmp_path / "digest.txt", tmp_path / "post.html", tmp_path / "korean.html"]
    )
    assert report.imported == 4 and not report.skipped
    assert papers(hub) == {
        "Proceedings of Workshop AEW10": ("1707.08567", True, ["Michael Hoffmann", "Ruth Bieri"]),
        "Automated Test Generation for REST APIs: No Time to Rest Yet": (
            "2204.08348",
            True,
            ["Myeongsoo Kim"],
        ),
    }  # the post's title found the digest's paper; a prose title and a Korean title make none
    with hub.session() as session:
        links = session.execute(
            select(Review.title, Mention.role, Mention.confidence, Mention.method).join(Mention)
        ).all()
    assert sorted((t, r, round(c, 1), m) for t, r, c, m in links) == [
        (
            "Automated Test Generation for REST APIs: No Time to Rest Yet",
            "reviewed",
            1.0,
            "identifier",
        ),
        ("Proceedings of Workshop AEW10", "reviewed", 1.0, "identifier"),
        (
            "[Paper Review] Automated Test Generation for REST APIs: No Time to Rest Yet",
            "reviewed",
            1.0,
            "title",
        ),
    ]


def test_well_known_papers_outside_arxiv_link_from_an_empty_catalog(
    hub: Hub, hub_env: dict[str, str], tmp_path: Path
) -> None:
    """No snapshot or API brings AlexNet or GloVe: the linker knows them from the curated
    table, a stored link stores the paper as the table has it, once."""
    text = "AlexNet(2012) 논문 리뷰\n\nAlexNet은 ReLU를 썼다. 단어 벡터는 GloVe를 썼다."
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\n")
    done = run_cli("link", "--jsonl", str(source), "--out", "-", env=hub_env)
    assert done.returncode == 0, done.stderr
    linked = {p["title"]: (p["arxiv"], p["role"]) for p in json.loads(done.stdout)["papers"]}
    alexnet = "ImageNet Classification with Deep Convolutional Neural Networks"
    glove = "GloVe: Global Vectors for Word Representation"
    assert linked[alexnet] == (None, "reviewed") and linked[glove] == (None, "mentioned")
    assert papers(hub) == {}  # linking texts stores nothing

    (tmp_path / "post.md").write_text(text, encoding="utf-8")
    for _ in range(2):  # importing again, or linking again, makes no second paper
        import_paths(hub, [tmp_path / "post.md"])
        assert run_cli("link", "--all", env=hub_env).returncode == 0
        stored = papers(hub)
        assert stored[alexnet] == (None, False, ["Alex Krizhevsky", "Ilya Sutskever",
                                                 "Geoffrey E. Hinton"])  # fmt: skip
        with hub.session() as session:
            titles = session.scalars(select(Paper.title)).all()
            roles = dict(session.execute(select(Paper.title, Mention.role).join(Mention)).all())
        assert glove in stored and len(titles) == len(set(titles))
        assert roles[alexnet] == "reviewed" and roles[glove] == "mentioned"


def test_a_marked_post_alone_makes_a_title_only_provisional_paper(hub: Hub, tmp_path: Path) -> None:
    (tmp_path / "post.html").write_text(POST, encoding="utf-8")
    import_paths(hub, [tmp_path / "post.html"])
    title = "Automated Test Generation for REST APIs: No Time to Rest Yet"
    assert papers(hub) == {title: (None, True, [])}
    with hub.session() as session:
        (mention,) = session.scalars(select(Mention))
        assert (mention.role, mention.confidence, mention.method) == (
            "reviewed",
            0.7,
            "provisional",
        )


def test_resolve_completes_folds_and_reports(hub: Hub, tmp_path: Path) -> None:
    (tmp_path / "post.html").write_text(POST, encoding="utf-8")
    digest = DIGEST.replace("2204.08348", "1202.4527").replace(
        "Automated Test Generation for REST APIs: No Time to Rest Yet (Myeongsoo Kim)",
        "Study Paper on Test Case generation for GUI Based Testing (Ishita Singh)",
    )
    (tmp_path / "digest.txt").write_text(digest, encoding="utf-8")
    (tmp_path / "other.html").write_text(
        POST.replace(
            "Automated Test Generation for REST APIs: No Time to Rest Yet",
            "Testing Nothing At All: A Paper Nobody Wrote",
        ).replace("/rest", "/other"),
        encoding="utf-8",
    )
    store_records(
        hub,
        [
            PaperRecord(
                "Study Paper on Test Case generation for GUI Based Testing",
                ("Ishita Singh",),
                arxiv_id="1202.4527",
            )
        ],
        "test",
    )
    import_paths(hub, [tmp_path / "post.html", tmp_path / "digest.txt", tmp_path / "other.html"])
    with hub.session() as session:  # a provisional paper that is in the catalog under its id
        session.add(Paper(title="Study Paper on Test Case generation for GUI Based Testing",
                          title_key="study paper on test case generation for gui based testing",
                          authors=[], provisional=True))  # fmt: skip
    with arxiv_server() as (url, recorder), hub.session() as session:
        summary = resolve(session, ArxivClient(url, delay=0))
    assert summary.completed == [
        '"Automated Test Generation for REST APIs: No Time to Rest Yet" → 2204.08348',
        "1707.08567 → 1707.08567",
    ]
    assert summary.folded == [
        '"Study Paper on Test Case generation for GUI Based Testing" → 1202.4527'
    ]
    assert summary.unresolved == [
        '"Testing Nothing At All: A Paper Nobody Wrote": no arXiv paper with this title'
    ]
    found = papers(hub)
    assert found["Automated Test Generation for REST APIs: No Time to Rest Yet"][:2] == (
        "2204.08348",
        False,
    )
    assert found[
        "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
    ][:2] == ("1707.08567", False)
    assert found["Testing Nothing At All: A Paper Nobody Wrote"] == (None, True, [])
    assert len([t for t in found if t.startswith("Study Paper")]) == 1
    searches = [q["search_query"][0] for q in recorder.requests if "search_query" in q]
    assert searches[0] == 'ti:"Automated Test Generation for REST APIs No Time to Rest Yet"'


def test_resolve_offline_is_one_line(hub: Hub, hub_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "post.html").write_text(POST, encoding="utf-8")
    import_paths(hub, [tmp_path / "post.html"])
    env = {**hub_env, "NONMUN_ARXIV_API_URL": "http://127.0.0.1:9/api/query",
           "NONMUN_ARXIV_DELAY": "0", "NONMUN_ARXIV_RETRIES": "0"}  # fmt: skip
    done = run_cli("papers", "resolve", env=env)
    assert done.returncode == 4 and len(done.stderr.strip().splitlines()) == 1
    assert "cannot reach the arXiv API" in done.stderr
    assert papers(hub)["Automated Test Generation for REST APIs: No Time to Rest Yet"][
        1
    ]  # unchanged


def test_what_looks_like_a_paper_title() -> None:
    assert looks_like_paper_title("Deep Double Descent")
    assert not looks_like_paper_title("트랜스포머 정리")
    assert not looks_like_paper_title("https://twitter.com/someone/status/1")
    assert not looks_like_paper_title("ViT")
