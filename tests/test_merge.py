"""One record per paper: the merge rules, tested record by record and through imports."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from nonmun.catalog.importer import store_records
from nonmun.catalog.records import PaperRecord, Version
from nonmun.db.engine import Hub
from nonmun.db.schema import Paper, PaperIdentifier

TITLE = "Sharpness-Aware Minimization for Efficiently Improving Generalization"
AUTHORS = ("Pierre Foret", "Ariel Kleiner", "Hossein Mobahi", "Behnam Neyshabur")
PREPRINT = PaperRecord(
    title=TITLE,
    authors=AUTHORS,
    arxiv_id="2010.01412",
    versions=(Version("v1", date(2020, 10, 3)),),
    published=date(2020, 10, 3),
    year=2020,
    categories=("cs.LG", "stat.ML"),
    abstract="In today's heavily overparameterized models…",
)
PUBLISHED = PaperRecord(
    title="Sharpness-aware minimization for efficiently improving generalization.",
    authors=("Foret, Pierre", "Kleiner, Ariel", "Mobahi, Hossein", "Neyshabur, Behnam"),
    doi="10.48550/example.sam",
    venue="ICLR 2021",
    year=2021,
)


def papers(hub: Hub) -> list[Paper]:
    with hub.session() as session:
        return list(session.scalars(select(Paper).order_by(Paper.id)))


def outcomes(hub: Hub, *records: PaperRecord) -> list[str]:
    summary = store_records(hub, records, "test")
    return ["new"] * summary.new + ["updated"] * summary.updated + ["unchanged"] * summary.unchanged


def test_versions_of_an_arxiv_id_are_one_paper(hub: Hub) -> None:
    v2 = PaperRecord(
        title=TITLE, authors=AUTHORS, arxiv_id="2010.01412",
        versions=(Version("v2", date(2020, 12, 4)),), updated=date(2020, 12, 4),
    )  # fmt: skip
    store_records(hub, [PREPRINT], "a")
    assert outcomes(hub, v2) == ["updated"]
    (paper,) = papers(hub)
    assert [v["version"] for v in paper.versions] == ["v1", "v2"]
    assert paper.published == date(2020, 10, 3) and paper.updated == date(2020, 12, 4)


@pytest.mark.parametrize("order", ["preprint-first", "published-first"])
def test_preprint_and_published_version_merge_keeping_both_ids(hub: Hub, order: str) -> None:
    first, second = (PREPRINT, PUBLISHED) if order == "preprint-first" else (PUBLISHED, PREPRINT)
    store_records(hub, [first], "a")
    assert outcomes(hub, second) == ["updated"]
    (paper,) = papers(hub)
    assert (paper.arxiv_id, paper.doi, paper.venue) == (
        "2010.01412",
        "10.48550/example.sam",
        "ICLR 2021",
    )
    assert paper.year == 2020  # the first public appearance
    assert paper.abstract and paper.categories == "cs.LG stat.ML"


def test_merge_in_one_batch(hub: Hub) -> None:
    store_records(hub, [PREPRINT, PUBLISHED], "bib")
    assert len(papers(hub)) == 1


def test_two_different_dois_never_merge(hub: Hub) -> None:
    other = PaperRecord(
        title=PUBLISHED.title, authors=PUBLISHED.authors, doi="10.1000/other", year=2021
    )
    store_records(hub, [PUBLISHED], "a")
    assert outcomes(hub, other) == ["new"]
    assert sorted(p.doi or "" for p in papers(hub)) == ["10.1000/other", "10.48550/example.sam"]


def test_different_arxiv_ids_never_merge_even_with_same_title_or_doi(hub: Hub) -> None:
    # real snapshots hold different preprints that share a title and a proceedings DOI
    a = PaperRecord(title="Biometric Authentication using Nonparametric Methods", authors=("A B",),
                    arxiv_id="1006.1187", doi="10.5121/ijcsit.2010.2309")  # fmt: skip
    b = PaperRecord(title=a.title, authors=a.authors, arxiv_id="1008.1695", doi=a.doi)
    store_records(hub, [a], "a")
    assert outcomes(hub, b) == ["new"]
    stored = papers(hub)
    assert [p.arxiv_id for p in stored] == ["1006.1187", "1008.1695"]
    assert [p.doi for p in stored] == ["10.5121/ijcsit.2010.2309", None]


def test_same_title_different_authors_do_not_merge(hub: Hub) -> None:
    other = PaperRecord(title=TITLE, authors=("Jane Doe", "John Roe"), year=2020)
    store_records(hub, [PREPRINT], "a")
    assert outcomes(hub, other) == ["new"]


def test_same_title_far_apart_in_time_do_not_merge(hub: Hub) -> None:
    old = PaperRecord(title=TITLE, authors=AUTHORS[:1], year=2001)
    store_records(hub, [PREPRINT], "a")
    assert outcomes(hub, old) == ["new"]


def test_short_generic_titles_without_authors_do_not_merge(hub: Hub) -> None:
    a = PaperRecord(title="Introduction", authors=(), doi="10.1000/a")
    b = PaperRecord(title="Introduction", authors=())
    store_records(hub, [a], "a")
    assert outcomes(hub, b) == ["new"]


def test_a_partial_author_list_does_not_replace_the_full_one(hub: Hub) -> None:
    first_author_only = PaperRecord(title=TITLE, authors=AUTHORS[:1], arxiv_id="2010.01412")
    store_records(hub, [PREPRINT], "a")
    assert outcomes(hub, first_author_only) == ["unchanged"]
    assert papers(hub)[0].authors == list(AUTHORS)


def test_empty_fields_never_erase(hub: Hub) -> None:
    bare = PaperRecord(title=TITLE, arxiv_id="2010.01412")
    store_records(hub, [PREPRINT], "a")
    assert outcomes(hub, bare) == ["unchanged"]
    paper = papers(hub)[0]
    assert paper.abstract and paper.authors and paper.categories


def test_doi_lookup_through_second_dois(hub: Hub) -> None:
    record = PaperRecord(title=TITLE, authors=AUTHORS, arxiv_id="2010.01412", doi="10.1000/first",
                         other_ids=(("doi", "10.1000/second"),))  # fmt: skip
    store_records(hub, [record], "a")
    again = PaperRecord(title="A different title after all", authors=AUTHORS, doi="10.1000/second")
    assert outcomes(hub, again) == ["updated"]
    with hub.session() as session:
        assert session.scalars(select(PaperIdentifier.value)).all() == ["10.1000/second"]
    assert len(papers(hub)) == 1
