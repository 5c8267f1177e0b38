"""BibTeX in and out, CSL-JSON out: a Zotero library moves in and back out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from helpers import run_cli
from nonmun.catalog.bibtex import parse_bibtex, read_bibtex
from nonmun.catalog.importer import store_records
from nonmun.db.engine import Hub
from nonmun.db.schema import Paper
from nonmun.errors import InputError

ZOTERO = r"""
@misc{vaswani_attention_2017,
  title = {Attention {Is} {All} {You} {Need}},
  url = {http://arxiv.org/abs/1706.03762},
  doi = {10.48550/arXiv.1706.03762},
  publisher = {arXiv},
  author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and Uszkoreit, Jakob and Jones, Llion and Gomez, Aidan N. and Kaiser, Łukasz and Polosukhin, Illia},
  year = {2017},
  note = {arXiv:1706.03762 [cs]},
  keywords = {Computer Science - Computation and Language},
}

@inproceedings{he2016deep,
  title={Deep residual learning for image recognition},
  author={He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  booktitle={Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition},
  pages={770--778},
  year={2016},
  doi={10.1109/CVPR.2016.90}
}

@article{kingma2014adam,
  title={Adam: A method for stochastic optimization},
  author={Kingma, Diederik P and Ba, Jimmy},
  journal={arXiv preprint arXiv:1412.6980},
  year={2014}
}

@article{muller2020,
  title = {{\"U}ber die {B}ewertung von Modellen},
  author = {M{\"u}ller, J{\"o}rg and de la Cruz, Ana},
  journal = {Journal of Examples},
  year = 2020
}
"""


def test_zotero_and_scholar_entries() -> None:
    attention, resnet, adam, muller = parse_bibtex(ZOTERO)
    assert attention.title == "Attention Is All You Need"
    assert attention.arxiv_id == "1706.03762"
    assert attention.doi == "10.48550/arxiv.1706.03762"
    assert attention.authors[6] == "Łukasz Kaiser"
    assert attention.venue is None
    assert resnet.venue and resnet.venue.startswith("Proceedings of the IEEE Conference")
    assert resnet.doi == "10.1109/cvpr.2016.90" and resnet.year == 2016
    assert adam.arxiv_id == "1412.6980" and adam.venue is None
    assert adam.authors == ("Diederik P Kingma", "Jimmy Ba")
    assert muller.title == "Über die Bewertung von Modellen"
    assert muller.authors == ("Jörg Müller", "Ana de la Cruz")


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    bib = tmp_path / "broken.bib"
    bib.write_text(ZOTERO.replace("year={2016},\n  doi", "year={2016,\n  doi"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_bibtex(bib)
    assert info.value.source == str(bib)
    assert info.value.line == 13  # the @inproceedings entry starts there
    assert "BibTeX syntax error" in info.value.message


def test_entry_without_title_is_an_error() -> None:
    with pytest.raises(InputError, match="entry 'x' has no title") as info:
        parse_bibtex("\n\n@article{x, author={A B}, year=2020}\n")
    assert info.value.line == 3


def test_import_export_round_trip(hub: Hub, hub_env: dict[str, str], tmp_path: Path) -> None:
    bib = tmp_path / "library.bib"
    bib.write_text(ZOTERO, encoding="utf-8")
    first = run_cli("papers", "import", str(bib), env=hub_env)
    assert first.returncode == 0, first.stderr
    assert "4 new" in first.stdout
    exported = run_cli("papers", "export", "--format", "bibtex", env=hub_env)
    assert exported.returncode == 0, exported.stderr
    assert "@inproceedings{he2016deep" in exported.stdout
    assert "eprint = {1706.03762}" in exported.stdout

    again = tmp_path / "again"
    env = {**hub_env, "NONMUN_HUB": str(again)}
    env.pop("NONMUN_DATABASE_URL", None)
    (tmp_path / "out.bib").write_text(exported.stdout, encoding="utf-8")
    refused = run_cli("papers", "import", str(tmp_path / "out.bib"), env=env)
    assert refused.returncode == 3 and "run `nonmun init`" in refused.stderr  # a typo makes no hub
    assert not again.exists()
    assert run_cli("init", env=env).returncode == 0
    assert run_cli("papers", "import", str(tmp_path / "out.bib"), env=env).returncode == 0
    reexported = run_cli("papers", "export", "--format", "bibtex", env=env)
    assert reexported.stdout == exported.stdout

    # importing the export into the original hub changes nothing
    same = run_cli("papers", "import", str(tmp_path / "out.bib"), env=hub_env)
    assert "0 new, 0 updated, 4 unchanged" in same.stdout


def test_csl_json(hub: Hub) -> None:
    store_records(hub, parse_bibtex(ZOTERO), "zotero")
    from nonmun.catalog.bibtex import csl_json

    with hub.session() as session:
        items = csl_json(list(session.scalars(select(Paper).order_by(Paper.id))))
    json.dumps(items)
    by_title = {item["title"]: item for item in items}
    attention = by_title["Attention Is All You Need"]
    resnet = by_title["Deep residual learning for image recognition"]
    assert attention["type"] == "article" and attention["number"] == "arXiv:1706.03762"
    assert attention["author"][0] == {"family": "Vaswani", "given": "Ashish"}
    assert resnet["type"] == "paper-conference" and resnet["DOI"] == "10.1109/cvpr.2016.90"
    assert resnet["issued"] == {"date-parts": [[2016]]}


def test_bibtex_merges_with_the_arxiv_record(hub: Hub) -> None:
    from nonmun.catalog.records import PaperRecord

    preprint = PaperRecord(title="Deep Residual Learning for Image Recognition",
                           authors=("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"),
                           arxiv_id="1512.03385", year=2015)  # fmt: skip
    store_records(hub, [preprint], "arxiv")
    store_records(hub, parse_bibtex(ZOTERO), "zotero")
    with hub.session() as session:
        resnet = session.scalars(select(Paper).where(Paper.arxiv_id == "1512.03385")).one()
        assert resnet.doi == "10.1109/cvpr.2016.90"
        assert resnet.year == 2015
        assert resnet.venue and "Computer Vision" in resnet.venue


def test_export_writes_plain_urls_protects_capitals_and_filters(tmp_path: Path) -> None:
    hub = str(tmp_path / "demo")
    assert run_cli("demo", hub).returncode == 0
    done = run_cli("--hub", hub, "papers", "export", "--reviewed", "--source", "duemoo")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "\\url" not in text and "url = {https://arxiv.org/abs/" in text
    assert "{Perceiver} {IO}" in text or "{IO}" in text  # capitals kept from lower-casing styles
    assert "}\n\n@" in text and "}\n\n\n@" not in text  # one blank line between entries
    entries = parse_bibtex(text, source="export.bib")
    assert len(entries) == text.count("\n@") + 1 == 12  # the papers duemoo's blog reviewed
    assert all(e.title and "{" not in e.title for e in entries)  # braces read back away
