"""Nicknames: learned from reviews that pair a name with an identifier, and catalog title heads."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nonmun.catalog.importer import store_records
from nonmun.catalog.records import PaperRecord
from nonmun.db.engine import Hub
from nonmun.db.schema import Paper, PaperAlias, Review
from nonmun.ingest.importer import import_paths
from nonmun.linking.index import CatalogIndex
from nonmun.linking.linker import Linker

PAPERS = [
    PaperRecord("Training data-efficient image transformers & distillation through attention",
                ("Hugo Touvron",), arxiv_id="2012.12877", year=2020),
    PaperRecord("Neural Architecture Design for GPU-Efficient Networks", ("Ming Lin",),
                arxiv_id="2006.14090", year=2020),
    PaperRecord("BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
                ("Jacob Devlin",), arxiv_id="1810.04805", year=2018),
    PaperRecord("INGENIOUS: Using Informative Data Subsets for Efficient Pre-Training",
                ("H Renduchintala",), arxiv_id="2305.06677", year=2023),
    PaperRecord("NLP: A Survey of Everything", ("A Writer",), arxiv_id="2001.00001", year=2020),
]  # fmt: skip
FIRST = """# 읽은 것들

- [DeiT](https://arxiv.org/abs/2012.12877)는 ViT를 ImageNet만으로 학습한다. [Ptolemy](https://arxiv.org/abs/2012.12877)라고도 부른다(지어낸 이름).
- GENet: https://arxiv.org/abs/2006.14090
- [paper](https://arxiv.org/abs/1810.04805), [Lin et al.](https://arxiv.org/abs/2006.14090), [GPU](https://arxiv.org/abs/2006.14090)[12](https://arxiv.org/abs/2006.14090)
"""
LATER = """# 다음 주

Ptolemy는 distillation token을 쓴다. GENet과 비교했다. NLP 분야에서는 ingenious한 방법이 많다.
"""


def test_names_paired_with_ids_are_learned(hub: Hub, tmp_path: Path) -> None:
    store_records(hub, PAPERS, "test")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "first.md").write_text(FIRST, encoding="utf-8")
    import_paths(hub, [tmp_path / "notes"])
    with hub.session() as session:
        learned = session.execute(
            select(Paper.arxiv_id, PaperAlias.alias)
            .join(PaperAlias)
            .where(PaperAlias.origin == "learned")
        ).all()
    # DeiT is known already (the curated table); not "paper", not "Lin et al."; "GPU" is a field's
    assert sorted(learned) == [("2006.14090", "GENet"), ("2012.12877", "Ptolemy")]

    (tmp_path / "notes" / "later.md").write_text(LATER, encoding="utf-8")
    import_paths(hub, [tmp_path / "notes"])  # a new job: the learned names come from the hub
    with hub.session() as session:
        later = session.scalars(select(Review).where(Review.title == "다음 주")).one()
        linked = {(m.paper.arxiv_id, m.method) for m in later.mentions if m.confidence >= 0.5}
    assert linked == {
        ("2012.12877", "nickname"),
        ("2006.14090", "nickname"),
    }  # not NLP, "ingenious"


def test_coined_title_heads_are_nicknames_with_their_titles_words(hub: Hub) -> None:
    store_records(hub, PAPERS, "test")
    with hub.session() as session:
        linker = Linker(CatalogIndex.load(session))

    def sure(text: str) -> set[str | None]:
        return {linker.index.arxiv_id(x.paper_id) for x in linker.link(text) if x.confidence >= 0.5}

    # BERT is curated; INGENIOUS is only a title's head: it needs words of its title nearby
    assert sure("BERT와 INGENIOUS를 읽었다. NLP 논문.") == {"1810.04805"}
    assert sure("INGENIOUS는 informative한 data subsets를 골라 학습한다.") == {"2305.06677"}
    assert not linker.link("an ingenious trick")  # a head keeps its capitals
