"""Pages of the four shapes: the samples, pages of our own, and ml-papers notes as a digest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import run_cli
from nonmun.db.engine import Hub
from nonmun.ingest.importer import import_paths, text_source_name
from nonmun.ingest.pages import detect_shape, parse_page
from nonmun.ingest.records import SourceRef

SAMPLES = Path(__file__).parents[1] / "nonmun" / "data" / "demo" / "samples"
ML_PAPERS = Path(__file__).parent / "data" / "ml-papers"
SOURCE = SourceRef("test", "page")


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def test_samples_are_recognised_and_split() -> None:
    expected = {
        "blog-listing-duemoo.txt": ("listing", 12),
        "blog-category-tistory.txt": ("category", 10),
        "newsletter-weekly-ai-trend.txt": ("newsletter", 4),
        "digest-weekly-arxiv.txt": ("digest", 21),
    }
    for name, (shape, count) in expected.items():
        page = parse_page(sample(name), SOURCE)
        assert (page.shape, len(page.reviews)) == (shape, count), name


def test_listing_entries() -> None:
    page = parse_page(sample("blog-listing-duemoo.txt"), SOURCE)
    first = page.reviews[0]
    assert first.title == "Perceiver IO: A General Architecture for Structured Inputs & Outputs"
    assert first.tags == ("year:2021",)
    assert first.body.startswith("지난번에 다룬 Perceiver의 후속 논문으로")
    assert "Continue reading" not in first.body


def test_category_entries() -> None:
    page = parse_page(sample("blog-category-tistory.txt"), SOURCE)
    assert {r.category_path for r in page.reviews} == {"머신러닝&딥러닝/논문리뷰"}
    batch = next(r for r in page.reviews if r.title.startswith("BatchEnsemble"))
    assert (
        batch.title
        == "BatchEnsemble: An Alternative Approach to Efficient Ensemble and Lifelong Learning"
    )
    assert batch.tags == ("venue:ICLR 2020",) and batch.paper_authors == ("Wen et al.",)


def test_newsletter_issue() -> None:
    page = parse_page(sample("newsletter-weekly-ai-trend.txt"), SOURCE)
    assert page.digest is not None
    assert page.digest.label == "4월 4주차"
    assert page.digest.published is not None and page.digest.published.isoformat() == "2023-04-26"
    assert [r.authors for r in page.reviews] == [("손수경",), ("정시은",), ("송지빈",), ("조유림",)]
    assert page.reviews[2].title == "CLIP - 검색엔진을 통해 수집한 데이터셋"
    assert "https://github.com/openai/CLIP" in page.reviews[2].body  # the references stay


def test_digest_notes() -> None:
    page = parse_page(sample("digest-weekly-arxiv.txt"), SOURCE)
    first = page.reviews[0]
    assert first.title == "Geometric Style Transfer"
    assert first.paper_authors == ("Xiao-Chang Liu", "Xuan-Yi Li", "Ming-Ming Cheng", "Peter Hall")
    assert first.body.startswith("https://arxiv.org/abs/2007.05471\n")
    assert "https://arxiv.org/abs/2003.11038" in first.body  # links in comments are kept
    assert all(r.tags == ("review",) for r in page.reviews)


OWN_LISTING = """My ML notes

Denoising Diffusion Probabilistic Models (2020)

A clean derivation of the variational bound. Read it with the appendix.

Read more

Deep Residual Learning for Image Recognition (2015)

Why identity shortcuts help optimisation.

Read more
"""

OWN_CATEGORY = """Papers/Vision 7

Paper Review: Masked Autoencoders Are Scalable Vision Learners

"Masked Autoencoders Are Scalable Vision Learners" (CVPR 2022) - He et al. Mask 75% of patches..

Paper Review: Emerging Properties in Self-Supervised Vision Transformers

"Emerging Properties in Self-Supervised Vision Transformers" (ICCV 2021) - Caron et al. DINO..
"""

OWN_NEWSLETTER = """[11월 2주차] 우리 팀 논문 레터

2024. 11. 12. 09:00

Diffusion 다시 보기

Editor: 김하늘

DDPM을 다시 읽었습니다.

RLHF 정리

Editor: 박바다

InstructGPT 논문을 소개합니다.
"""


@pytest.mark.parametrize(
    ("text", "shape", "titles"),
    [
        (OWN_LISTING, "listing", ["Denoising Diffusion Probabilistic Models", "Deep Residual Learning for Image Recognition"]),
        (OWN_CATEGORY, "category", ["Masked Autoencoders Are Scalable Vision Learners", "Emerging Properties in Self-Supervised Vision Transformers"]),
        (OWN_NEWSLETTER, "newsletter", ["Diffusion 다시 보기", "RLHF 정리"]),
    ],
)  # fmt: skip
def test_pages_of_our_own(text: str, shape: str, titles: list[str]) -> None:
    assert detect_shape(text) == shape
    page = parse_page(text, SOURCE)
    assert [r.title for r in page.reviews] == titles


def test_ml_papers_notes_as_one_digest() -> None:
    notes = sorted(p for p in ML_PAPERS.glob("*.md"))
    page_text = "이번 주 읽은 것들.\n" + "\n".join(p.read_text(encoding="utf-8") for p in notes)
    page = parse_page(page_text, SOURCE)
    assert page.shape == "digest" and len(page.reviews) == len(notes) == 11
    for note, review in zip(notes, page.reviews, strict=True):
        url = note.read_text(encoding="utf-8").split()[0]
        assert review.body.startswith(url)
        assert re.sub(r"^\d+ ", "", note.stem).lower()[:10] in review.title.lower()


def test_unknown_text_and_bad_files(hub: Hub, tmp_path: Path) -> None:
    prose = tmp_path / "prose.txt"
    prose.write_text("Just a paragraph about nothing in particular.\n")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00" * 100)
    good = tmp_path / "listing.txt"
    good.write_text(OWN_LISTING)
    report = import_paths(hub, [prose, binary, tmp_path / "missing.txt", good])
    assert report.imported == 2
    assert [s.split(": ", 1)[1] for s in report.skipped] == [
        "not a page shape nonmun knows (listing, category, newsletter, digest)",
        "a binary file, not a text page",
        "cannot read: No such file or directory",
    ]


def test_huge_page_is_refused(hub: Hub, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_text(OWN_LISTING + "x" * (50 << 20))
    report = import_paths(hub, [huge])
    assert report.imported == 0 and report.skipped == [f"{huge}: too large (50 MB; at most 20 MB)"]


def test_unreachable_url_is_one_clear_skip(hub: Hub, hub_env: dict[str, str]) -> None:
    done = run_cli("import", "http://127.0.0.1:9/feed.xml", env=hub_env)
    assert done.returncode == 2
    assert "skipped http://127.0.0.1:9/feed.xml: cannot fetch (ConnectError)" in done.stderr


def test_euc_kr_page(hub: Hub, tmp_path: Path) -> None:
    page = tmp_path / "euc-kr.txt"
    page.write_bytes(OWN_NEWSLETTER.encode("cp949"))
    assert import_paths(hub, [page]).imported == 2


def test_cli_import_is_idempotent(hub: Hub, hub_env: dict[str, str]) -> None:
    pages = [str(SAMPLES / n) for n in ("digest-weekly-arxiv.txt", "blog-listing-duemoo.txt")]
    first = run_cli("import", *pages, env=hub_env)
    assert first.returncode == 0, first.stderr
    assert "33 imported, 0 updated, 0 unchanged, 0 skipped" in first.stdout
    again = run_cli("import", *pages, env=hub_env)
    assert "0 imported, 0 updated, 33 unchanged, 0 skipped" in again.stdout
    forced = run_cli("import", "--as", "podcast", pages[0], env=hub_env)
    assert forced.returncode == 2 and "--as must be one of" in forced.stderr


def test_a_digest_of_html_links_reads_like_one_of_abs_links() -> None:
    from nonmun.ingest.pages import parse_page
    from nonmun.ingest.records import SourceRef

    text = (SAMPLES / "digest-weekly-arxiv.txt").read_text(encoding="utf-8")
    html = text.replace("arxiv.org/abs/", "arxiv.org/html/")
    assert html != text
    ref = SourceRef("digest", "digest")
    assert len(parse_page(html, ref).reviews) == len(parse_page(text, ref).reviews) > 10


def test_import_exit_status_and_skips_on_stderr(
    hub: Hub, hub_env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    partial = run_cli("import", str(SAMPLES / "digest-weekly-arxiv.txt"), str(bad), env=hub_env)
    assert partial.returncode == 6, partial.stderr  # some in, some skipped
    assert (
        f"skipped {bad}: a binary file" in partial.stderr
        and "skipped" not in partial.stdout.replace("1 skipped", "")
    )
    nothing = run_cli("import", str(bad), env=hub_env)
    assert nothing.returncode == 2
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: t\ndate: 2024-02-30\n---\nbody\n")
    assert run_cli("import", str(folder), env=hub_env).returncode == 2  # every file skipped


def test_a_text_page_source_is_named_after_its_file_and_keeps_a_rename(
    hub: Hub, hub_env: dict[str, str], tmp_path: Path
) -> None:
    """A text page names no blog: its source takes the file's name and says so, and a
    rename lasts when the same page, or the same folder, is imported again."""
    page = tmp_path / "my-digest.txt"
    page.write_text((SAMPLES / "digest-weekly-arxiv.txt").read_text(encoding="utf-8"))
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "vit.md").write_text("# ViT\n\nhttps://arxiv.org/abs/2010.11929\n\n좋은 논문.\n")
    first = run_cli("import", str(page), str(notes), env=hub_env)
    assert first.returncode == 0, first.stderr
    assert "digest, source 'my-digest'" in first.stdout
    assert (
        f"{page} names no blog" in first.stderr and "sources rename my-digest NEW" in first.stderr
    )
    for old, new in (("my-digest", "Weekly arXiv digest"), ("notes", "My notes")):
        assert run_cli("sources", "rename", old, new, env=hub_env).returncode == 0
    again = run_cli("import", str(page), str(notes), env=hub_env)
    assert " 0 imported, 0 updated, 22 unchanged" in " " + again.stdout.splitlines()[-1]
    listed = json.loads(run_cli("sources", "list", "--json", env=hub_env).stdout)
    assert sorted(s["name"] for s in listed) == ["My notes", "Weekly arXiv digest"]
    chosen = run_cli("import", "--source", "Notes of the team", str(notes), env=hub_env)
    assert chosen.returncode == 0
    listed = json.loads(run_cli("sources", "list", "--json", env=hub_env).stdout)
    assert sorted(s["name"] for s in listed) == ["Notes of the team", "Weekly arXiv digest"]


def test_a_text_page_from_the_web_is_named_after_its_site() -> None:
    assert text_source_name("https://www.example.com/2023/04/digest.txt") == "example.com"
    assert text_source_name("https://medium.com/@kim/notes-1") == "medium.com/@kim"
    assert text_source_name("/home/kim/weekly-arxiv.txt") == "weekly-arxiv"
