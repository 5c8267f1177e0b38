"""The linker's titles kept in the hub: they follow every catalog write, equal a rebuild,
are made by the migration for an older hub, and a loaded index reads them lazily."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from alembic import command
from sqlalchemy import delete, func, select

from nonmun.catalog.importer import store_records
from nonmun.catalog.records import PaperRecord, Version
from nonmun.config import Settings
from nonmun.db.engine import Hub, alembic_config, open_hub
from nonmun.db.schema import LinkerName, LinkerTitle, LinkerWord, Paper
from nonmun.linking.index import CatalogIndex
from nonmun.linking.linker import Linker
from nonmun.linking.titles import GENERATION, rebuild

BERT = PaperRecord(
    "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
    ("Jacob Devlin", "Ming-Wei Chang"),
    arxiv_id="1810.04805",
    year=2018,
    versions=(Version("v1", date(2018, 10, 11)),),
)
RETITLED = replace(  # a later version under a new title
    BERT,
    title="BERT: Deep Bidirectional Pretraining of Language Encoders",
    versions=(Version("v2", date(2019, 5, 24)),),
)
OTHERS = [
    PaperRecord("Attention Is All You Need", ("Ashish Vaswani",), arxiv_id="1706.03762", year=2017),
    PaperRecord("Neural Processes", ("Marta Garnelo",), arxiv_id="1807.01622", year=2018),
    PaperRecord("arXiv:2101.00001", (), arxiv_id="2101.00001"),  # known by its id only
]


def stored(hub: Hub) -> tuple[list[Any], list[Any], dict[str, int]]:
    """The three tables' contents, in an order that does not depend on their row ids."""
    with hub.session(write=False) as session:
        t, n, w = LinkerTitle, LinkerName, LinkerWord
        titles = sorted(session.execute(select(t.paper_id, t.hash, t.words, t.whole)).all())
        names = sorted(session.execute(select(n.paper_id, n.name)).all())
        rows = session.execute(select(w.word, w.titles).where(w.word != GENERATION))
        words = {word: count for word, count in rows if count}
    return titles, names, words


def test_the_tables_follow_writes_and_equal_a_rebuild(hub: Hub) -> None:
    store_records(hub, [BERT, *OTHERS], "test")
    first = stored(hub)
    assert ("BERT",) in [(name,) for _, name in first[1]]
    assert first[2]["bidirectional"] == 1 and not [w for w in first[2] if "2101" in w]
    store_records(hub, [RETITLED], "test")  # a new version with a new title
    titles, names, words = stored(hub)
    assert "pretraining" not in first[2] and words["pretraining"] == 1
    assert "understanding" not in words  # the old title's words are gone with it
    assert not any("understanding" in entry[2] for entry in titles)
    with hub.connection() as conn:
        rebuild(conn)
    assert stored(hub) == (titles, names, words)


def test_an_index_finds_a_retitled_paper_by_its_new_title_only(hub: Hub) -> None:
    store_records(hub, [BERT, *OTHERS], "test")
    store_records(hub, [RETITLED], "test")
    with hub.session() as session:
        linker = Linker(CatalogIndex.load(session))
    new = linker.link("Review: BERT: Deep Bidirectional Pretraining of Language Encoders (2018)")
    old = linker.link(
        "Review: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    )
    assert [linker.index.arxiv_id(x.paper_id) for x in new] == ["1810.04805"]
    assert [x.method for x in new] == ["title"]
    assert not [x for x in old if x.method == "title"]


def test_an_older_hub_gets_the_tables_from_its_papers(hub: Hub, settings: Settings) -> None:
    """Migration 0008 fills the tables from the papers of a hub that had none."""
    store_records(hub, [BERT, *OTHERS], "test")
    expected = stored(hub)
    with hub.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0007")
    hub.close()
    upgraded = open_hub(settings, upgrade=True)
    try:
        assert stored(upgraded) == expected and expected[0]
    finally:
        upgraded.close()


def test_papers_added_after_the_index_loaded_are_found(hub: Hub) -> None:
    """A paper the linker stores while it works (a provisional one) is added to its index;
    the entries of the hub are read when a text needs them, not at load."""
    folding = PaperRecord("Sparse Graph Attention for Protein Folding", ("Jane Roe",), year=2024)
    store_records(hub, [*OTHERS, folding], "test")
    with hub.session() as session:
        index = CatalogIndex.load(session)
    with hub.session() as session:  # the catalog's titles are not held by the index
        session.execute(delete(LinkerTitle).where(LinkerTitle.words.startswith("sparse")))
        pid = session.scalar(select(Paper.id).where(Paper.title == folding.title))
        count = session.scalar(select(func.count()).select_from(LinkerTitle))
    assert count and pid is not None
    linker = Linker(index)
    text = "Paper review: Sparse Graph Attention for Protein Folding (2024)"
    assert not linker.link(text)
    index.add_paper(pid, None, folding.title, 2024, "roe")
    assert [(x.paper_id, x.role, x.method) for x in linker.link(text)] == [
        (pid, "reviewed", "title")
    ]


def test_a_loaded_index_knows_when_the_catalog_changed(hub: Hub) -> None:
    """A long-lived process (the web app) asks whether its index is behind the hub."""
    store_records(hub, OTHERS, "test")
    with hub.session() as session:
        index = CatalogIndex.load(session)
    assert index.current()
    store_records(hub, OTHERS, "test")  # nothing changes
    assert index.current()
    store_records(hub, [BERT], "test")
    assert not index.current()
    with hub.session() as session:
        again = CatalogIndex.load(session)
    assert again.current()
    assert [again.arxiv_id(x.paper_id) for x in Linker(again).link(BERT.title)] == ["1810.04805"]
    with hub.connection() as conn:
        rebuild(conn)
    assert not again.current()
