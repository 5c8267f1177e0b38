"""Export to Markdown and import back: the same hub, whatever it holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import plain, run_cli
from nonmun.catalog.bibtex import read_bibtex
from nonmun.catalog.importer import import_snapshot, store_records
from nonmun.config import Settings
from nonmun.db.engine import Hub, open_hub
from nonmun.db.schema import (
    Digest,
    LinkDecision,
    Mention,
    Paper,
    PaperAlias,
    PaperIdentifier,
    Review,
    Source,
)
from nonmun.demo import sample_pages
from nonmun.errors import NonmunError
from nonmun.ingest.archive import export_markdown
from nonmun.ingest.importer import import_paths
from nonmun.ingest.records import ReviewRecord, SourceRef
from nonmun.ingest.store import store_page, store_reviews
from nonmun.linking.decisions import decide
from nonmun.reviews import delete_reviews
from nonmun.search.index import reindex
from nonmun.text.normalize import fold, slug, title_key

DATA = Path(__file__).parent / "data"
BIB = """@inproceedings{he2016deep,
  title={Deep Residual Learning for Image Recognition},
  author={He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  booktitle={CVPR}, year={2016}, doi={10.1109/CVPR.2016.90}
}
@article{lecun1998,
  title={Gradient-Based Learning Applied to Document Recognition},
  author={LeCun, Yann and Bottou, L{\\'e}on and Bengio, Yoshua and Haffner, Patrick},
  journal={Proceedings of the IEEE}, year={1998}, doi={10.1109/5.726791}
}
"""


def fill(hub: Hub, tmp_path: Path) -> None:
    """A hub with every kind of thing: arXiv and DOI-only papers, a provisional paper,
    aliases and identifiers, the four sample shapes with their digests, HTML pages,
    a Markdown folder, a cross-post with two URLs."""
    import_snapshot(hub, Path(__file__).parents[1] / "nonmun" / "data" / "demo" / "catalog.jsonl")
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    store_records(hub, read_bibtex(bib), str(bib))
    with hub.session() as session:
        session.add(
            Paper(title="A Paper Only Named In A Review", title_key=title_key("A Paper Only Named In A Review"),
                  authors=["Minji Kim"], author_key="kim", year=2024, provisional=True)
        )  # fmt: skip
        gan = session.scalars(select(Paper).where(Paper.arxiv_id == "1406.2661")).one()
        session.add(
            PaperAlias(paper=gan, alias="적대 신경망", key=fold("적대 신경망"), origin="manual")
        )
        session.add(PaperIdentifier(paper=gan, scheme="openreview", value="GAN2014"))
        for page in sample_pages():
            store_page(session, page)
    report = import_paths(
        hub,
        [
            DATA / "html" / "tistory-euckr.html",
            DATA / "html" / "velog-clip.html",
            DATA / "ml-papers",
        ],
    )
    assert report.imported > 10
    with hub.session() as session:
        review = session.scalars(select(Review).where(Review.url.like("%velog%"))).one()
        review.urls = [*review.urls, "https://mlreader.github.io/clip"]


def dump(hub: Hub) -> dict[str, Any]:
    """Everything a user can see in a hub, without surrogate ids or timestamps."""
    with hub.session() as session:
        return {
            "papers": sorted(_paper(p) for p in session.scalars(select(Paper))),
            "sources": sorted(
                (s.kind, s.name, s.url or "") for s in session.scalars(select(Source))
            ),
            "reviews": sorted(_review(session, r) for r in session.scalars(select(Review))),
            "digests": sorted(_digest(session, d) for d in session.scalars(select(Digest))),
            "decisions": sorted(
                (
                    session.get_one(Review, d.review_id).external_id,
                    _name(session.get_one(Paper, d.paper_id)),
                    d.decision,
                    d.role or "",
                )
                for d in session.scalars(select(LinkDecision))
            ),
        }


def _paper(p: Paper) -> tuple[str, ...]:
    columns = [
        getattr(p, c.name)
        for c in Paper.__table__.columns
        if c.name not in ("id", "created_at", "updated_at")
    ]
    extras = [
        sorted((i.scheme, i.value) for i in p.identifiers),
        sorted((a.alias, a.key, a.origin) for a in p.aliases),
    ]
    return tuple(plain(v) for v in [*columns, *extras])


def _name(p: Paper) -> str:
    return p.arxiv_id or p.doi or p.title


def _review(session: Session, r: Review) -> tuple[str, ...]:
    columns = [
        getattr(r, c.name)
        for c in Review.__table__.columns
        if c.name not in ("id", "source_id", "created_at", "updated_at")
    ]
    mentions = sorted(
        (_name(m.paper), m.role, m.confidence, m.evidence, m.method) for m in r.mentions
    )
    return tuple(
        plain(v)
        for v in [r.source.kind, r.source.name, *columns, [a.name for a in r.authors], mentions]
    )


def _digest(session: Session, d: Digest) -> tuple[str, ...]:
    source = session.get_one(Source, d.source_id)
    columns = [
        getattr(d, c.name)
        for c in Digest.__table__.columns
        if c.name not in ("id", "source_id", "created_at")
    ]
    order = [(r.source.name, r.external_id) for r in d.reviews]
    return tuple(
        plain(v) for v in [source.name, *columns, sorted(e.name for e in d.editors), order]
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_export_then_import_gives_the_same_hub(hub: Hub, db_url: str, tmp_path: Path) -> None:
    fill(hub, tmp_path)
    with hub.session() as session:  # a person's word on links travels with the reviews
        sam = session.scalars(select(Paper).where(Paper.arxiv_id == "2010.01412")).one()
        review = next(
            m.review for m in session.scalars(select(Mention).where(Mention.paper_id == sam.id))
        )
        other = next(m.paper for m in review.mentions if m.paper_id != sam.id)
        vit = session.scalars(select(Paper).where(Paper.arxiv_id == "2010.11929")).one()
        decide(session, review, sam, "confirm")
        decide(session, review, other, "reject")
        decide(session, review, vit, "add", "mentioned")
    before = dump(hub)
    assert before["digests"] and any(p[-1] != "[]" for p in before["papers"])
    assert sorted(d[2] for d in before["decisions"]) == ["add", "confirm", "reject"]
    with hub.session() as session:
        summary = export_markdown(session, tmp_path / "export")
    assert summary.papers == len(before["papers"]) and summary.reviews == len(before["reviews"])

    other = open_hub(
        Settings(hub=tmp_path / "other", database_url=_fresh(db_url, hub)), create=True
    )
    try:
        report = import_paths(other, [tmp_path / "export"])
        assert not report.skipped and report.imported == len(before["reviews"])
        assert dump(other) == before
        with other.session() as session:
            export_markdown(session, tmp_path / "again")
        assert tree(tmp_path / "again") == tree(tmp_path / "export")  # byte for byte
        again = import_paths(other, [tmp_path / "export"])
        assert again.unchanged == len(before["reviews"]) and again.imported == again.updated == 0
    finally:
        other.close()


def _fresh(db_url: str, hub: Hub) -> str | None:
    """A second, empty database on the same server (PostgreSQL), or a new SQLite file."""
    if not db_url.startswith("postgresql"):
        return None
    from sqlalchemy import create_engine, text

    base = db_url.rsplit("/", 1)[0]
    name = f"{hub.engine.url.database}_other"
    engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{base}/{name}"


def test_exported_files_read_as_a_markdown_blog(hub: Hub, tmp_path: Path) -> None:
    fill(hub, tmp_path)
    with hub.session() as session:
        export_markdown(session, tmp_path / "export")
    post = next((tmp_path / "export" / "reviews").glob("tistory-*/2023-02-11-*.md")).read_text()
    head = post.split("---\n")[1]
    assert "title: '논문 리뷰: Sharpness-Aware Minimization" in head
    assert "date: 2023-02-11" in head and "- paper: arxiv:2010.01412\n  role: reviewed" in head
    assert slug("머신러닝&딥러닝 논문리뷰 (Tistory)") == "머신러닝-딥러닝-논문리뷰-tistory"


def test_a_bad_file_is_skipped_and_a_bad_catalog_changes_nothing(hub: Hub, tmp_path: Path) -> None:
    fill(hub, tmp_path)
    with hub.session() as session:
        export_markdown(session, tmp_path / "export")
    post = sorted((tmp_path / "export" / "reviews").rglob("*.md"))[0]
    post.write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    catalog = tmp_path / "export" / "catalog.jsonl"
    good = catalog.read_text(encoding="utf-8")
    catalog.write_text(good + '{"key": "x:1", "title": ""}\n', encoding="utf-8")

    empty = open_hub(Settings(hub=tmp_path / "empty"), create=True)
    report = import_paths(empty, [tmp_path / "export"])
    lines = good.count("\n") + 1
    assert report.skipped == [f"{catalog}:{lines}: a paper needs a key and a title"]
    with empty.session() as session:
        assert session.scalars(select(Paper)).first() is None  # nothing half-written

    catalog.write_text(good, encoding="utf-8")
    report = import_paths(empty, [tmp_path / "export"])
    assert report.skipped == [
        f"{post}:2: invalid YAML front matter: expected ',' or ']', but got '<stream end>'"
    ]
    assert report.imported > 10
    empty.close()


def test_export_refuses_a_folder_of_other_files(
    hub: Hub, hub_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.md").write_text("# mine\n", encoding="utf-8")
    done = run_cli("export", "markdown", str(tmp_path / "notes"), env=hub_env)
    assert done.returncode == 2 and "not empty and not a nonmun export" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "notes" / "mine.md").read_text() == "# mine\n"
    done = run_cli("export", "markdown", str(tmp_path / "out"), env=hub_env)
    assert done.returncode == 0 and (tmp_path / "out" / "nonmun.json").is_file()
    assert run_cli("export", "markdown", str(tmp_path / "out"), env=hub_env).returncode == 0


def test_export_replaces_only_what_the_last_export_wrote(hub: Hub, tmp_path: Path) -> None:
    fill(hub, tmp_path)
    site = tmp_path / "site"
    with hub.session() as session:
        export_markdown(session, site)
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (site / "_config.yml").write_text("theme: minima\n")
    (site / "reviews" / "mine.md").write_text("# my own page\n")
    with hub.session() as session:
        first = sorted(session.scalars(select(Review)), key=lambda r: r.id)[0]
        delete_reviews(session, [first])
    with hub.session() as session:
        export_markdown(session, site)
        left = len(session.scalars(select(Review)).all())
    assert (site / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert (site / "_config.yml").read_text() == "theme: minima\n"
    assert (site / "reviews" / "mine.md").is_file()
    listed = json.loads((site / "nonmun.json").read_text())["files"]
    assert sorted(listed) == sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*")
        if p.is_file() and p.name not in ("HEAD", "_config.yml", "mine.md")
    )  # fmt: skip
    exported = [p for p in (site / "reviews").rglob("*.md") if p.name != "mine.md"]
    assert len(exported) == left  # the deleted review's file went with it


def test_export_keeps_a_hub_that_lives_in_the_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run_cli("demo", str(tmp_path / "myhub")).returncode == 0
    assert (
        run_cli("--hub", str(tmp_path / "myhub"), "export", "markdown", str(site)).returncode == 0
    )
    (tmp_path / "myhub").rename(site / "myhub")
    for _ in range(2):
        done = run_cli("--hub", str(site / "myhub"), "export", "markdown", str(site))
        assert done.returncode == 0, done.stderr
    assert (site / "myhub" / "nonmun.db").is_file()
    assert run_cli("--hub", str(site / "myhub"), "overview").returncode == 0


def test_long_titles_make_file_names_that_fit(hub: Hub, tmp_path: Path) -> None:
    source = SourceRef("blog", "blog")
    title = "𝐀" * 70
    records = [
        ReviewRecord(source, external_id=str(n), title=title, body=f"text {n}") for n in range(3)
    ]
    with hub.session() as session:
        store_reviews(session, records)
        export_markdown(session, tmp_path / "out")
    names = [p.name for p in (tmp_path / "out").rglob("*.md")]
    assert len(names) == 3 and all(len(n.encode()) <= 255 for n in names)
    assert len(slug("한" * 100).encode()) <= 120


def test_a_full_disk_leaves_no_half_export(hub: Hub, tmp_path: Path, monkeypatch: Any) -> None:
    fill(hub, tmp_path)
    import errno

    import nonmun.ingest.archive as archive

    calls = {"n": 0}
    real = archive._write_post

    def full(path: Path, meta: dict[str, Any], body: str) -> None:
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, meta, body)

    monkeypatch.setattr(archive, "_write_post", full)
    with pytest.raises(NonmunError, match="disk full while writing"), hub.session() as session:
        export_markdown(session, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []
    assert not (tmp_path / "out").exists()


def _index(hub: Hub) -> tuple[list[tuple[str, ...]], list[tuple[Any, ...]]]:
    """The search index, keyed by what each document is (not by row ids)."""
    from sqlalchemy import text

    with hub.session(write=False) as session:
        docs = session.execute(
            text(
                "SELECT s.kind, coalesce(p.arxiv_id, p.title, r.external_id), s.title, s.body "
                "FROM search_doc s LEFT JOIN paper p ON s.kind = 'paper' AND p.id = s.ref_id "
                "LEFT JOIN review r ON s.kind = 'review' AND r.id = s.ref_id"
            )
        )
        terms = session.execute(text("SELECT term, docs FROM search_term")).all()
    bags = [
        (kind, str(key), *(" ".join(sorted(f.split())) for f in fields))
        for kind, key, *fields in docs
    ]
    return sorted(bags), sorted(tuple(t) for t in terms)  # word order does not rank


def test_a_restored_hub_searches_as_the_original(
    hub: Hub, db_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    import nonmun.search.index as index

    monkeypatch.setattr(index, "COMMON_FLOOR", 3)  # the demo's common terms, as on a big hub
    fill(hub, tmp_path)
    with hub.session() as session:
        reindex(session)  # fill() adds a few rows behind the index's back
        export_markdown(session, tmp_path / "export")
    other = open_hub(
        Settings(hub=tmp_path / "other", database_url=_fresh(db_url, hub)), create=True
    )
    try:
        import_paths(other, [tmp_path / "export"])
        before, after = _index(hub), _index(other)
    finally:
        other.close()
    assert before[0] == after[0]
    assert before[1] == after[1] and (after[1] or not db_url.startswith("sqlite"))


def test_a_learned_nickname_is_searchable_at_once(hub: Hub) -> None:
    from nonmun.db.schema import SearchDoc

    import_snapshot(hub, Path(__file__).parents[1] / "nonmun" / "data" / "demo" / "catalog.jsonl")
    post = ReviewRecord(
        SourceRef("notes", "blog"),
        external_id="atss",
        title="Reading notes",
        body="[ATSS](https://arxiv.org/abs/1912.02424) picks positive samples by statistics.",
    )
    with hub.session() as session:
        store_reviews(session, [post])
    with hub.session(write=False) as session:
        paper = session.scalars(select(Paper).where(Paper.arxiv_id == "1912.02424")).one()
        doc = session.execute(
            select(SearchDoc.title).where(SearchDoc.kind == "paper", SearchDoc.ref_id == paper.id)
        ).scalar_one()
    assert "atss" in doc.split()  # without a reindex
