"""Identifiers: every form people paste, and the forms that must be refused."""

from __future__ import annotations

import pytest

from nonmun.catalog.identifiers import (
    ArxivId,
    arxiv_year,
    normalize_doi,
    parse_arxiv_id,
    parse_paper_ref,
)
from nonmun.errors import InputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2010.01412", ArxivId("2010.01412")),
        ("2010.01412v3", ArxivId("2010.01412", 3)),
        ("arXiv:2010.01412", ArxivId("2010.01412")),
        ("arxiv: 1706.03762v7", ArxivId("1706.03762", 7)),
        ("0704.0001", ArxivId("0704.0001")),
        ("1412.6980", ArxivId("1412.6980")),
        ("hep-th/9901001", ArxivId("hep-th/9901001")),
        ("math.GT/0309136", ArxivId("math/0309136")),
        ("astro-ph/0601001v1", ArxivId("astro-ph/0601001", 1)),
        ("https://arxiv.org/abs/2010.01412", ArxivId("2010.01412")),
        ("http://arxiv.org/abs/2010.01412v2", ArxivId("2010.01412", 2)),
        ("https://arxiv.org/pdf/2010.01412.pdf", ArxivId("2010.01412")),
        ("https://arxiv.org/pdf/2010.01412v1", ArxivId("2010.01412", 1)),
        ("https://arxiv.org/html/2402.00001v1/", ArxivId("2402.00001", 1)),
        ("arxiv.org/abs/hep-th/9901001", ArxivId("hep-th/9901001")),
        ("https://export.arxiv.org/abs/1707.08567?context=cs", ArxivId("1707.08567")),
    ],
)
def test_arxiv_forms(text: str, expected: ArxivId) -> None:
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "0000.0000",  # month 00
        "2013.01234",  # month 13
        "0808.05394",  # five digits before 2015
        "1502.1234",  # four digits after 2015
        "0612.0001",  # new style before April 2007
        "foo/1234567",  # unknown archive
        "2010.01412v",
        "https://example.org/abs/2010.01412",
        "",
    ],
)
def test_malformed_arxiv_ids(text: str) -> None:
    assert parse_arxiv_id(text) is None


def test_years_from_ids() -> None:
    assert arxiv_year("2010.01412") == 2020
    assert arxiv_year("hep-th/9901001") == 1999
    assert arxiv_year("math/0309136") == 2003


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1109/TPAMI.2007.54", "10.1109/tpami.2007.54"),
        ("doi:10.1109/TPAMI.2007.54", "10.1109/tpami.2007.54"),
        ("https://doi.org/10.1145/3065386", "10.1145/3065386"),
        ("http://dx.doi.org/10.1145/3065386.", "10.1145/3065386"),
        ("11.1109/x", None),
        ("10.1/x", None),
    ],
)
def test_dois(text: str, expected: str | None) -> None:
    assert normalize_doi(text) == expected


def test_paper_refs() -> None:
    assert parse_paper_ref("2010.01412").arxiv == ArxivId("2010.01412")
    assert parse_paper_ref("10.1145/3065386").doi == "10.1145/3065386"
    assert parse_paper_ref("#12").paper_id == 12
    ref = parse_paper_ref("openreview:rJl-b3RcF7")
    assert (ref.scheme, ref.value) == ("openreview", "rJl-b3RcF7")
    with pytest.raises(InputError, match="not an arXiv id"):
        parse_paper_ref("what is this")
