"""Digests: weeks in both conventions, a draft assembled, edited, published, rendered."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from helpers import run_cli
from nonmun.digests.weeks import Week, parse_week
from nonmun.errors import InputError

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.parametrize(
    ("day", "iso", "korean"),
    [
        (date(2023, 4, 26), "2023-W17", "2023년 4월 4주차"),  # the newsletter sample's week
        (date(2023, 5, 1), "2023-W18", "2023년 5월 1주차"),  # Thursday 4 May
        (date(2023, 3, 30), "2023-W13", "2023년 3월 5주차"),
        (date(2024, 12, 30), "2025-W01", "2025년 1월 1주차"),  # the Thursday's year
        (date(2021, 1, 3), "2020-W53", "2020년 12월 5주차"),  # a Sunday of 2020's last week
        (date(2023, 6, 1), "2023-W22", "2023년 6월 1주차"),
        (date(2023, 5, 31), "2023-W22", "2023년 6월 1주차"),  # Wednesday: Thursday is June
    ],
)
def test_weeks_print_and_parse_both_ways(day: date, iso: str, korean: str) -> None:
    week = Week.of(day)
    assert (week.iso, week.korean) == (iso, korean)
    assert parse_week(iso) == parse_week(korean) == week
    assert week.start.weekday() == 0 and week.start <= day <= week.end


def test_bad_weeks_say_why() -> None:
    for text, message in (("2023-W54", "no week 54"), ("2023년 2월 5주차", "fewer than 5"),
                          ("4월 4주차", "give the year"), ("next week", "looks like")):  # fmt: skip
        with pytest.raises(InputError, match=message):
            parse_week(text)
    assert parse_week("4월 4주차", 2023) == Week(date(2023, 4, 24))


def test_a_digest_from_draft_to_site_and_e_mail(tmp_path: Path) -> None:
    hub = str(tmp_path / "hub")
    assert run_cli("demo", hub).returncode == 0
    made = run_cli("--hub", hub, "digest", "new", "--week", "2023년 4월 4주차", "--by", "editor")
    assert made.returncode == 0, made.stderr
    assert "a draft of 4 entries (2023-W17)" in made.stdout
    ref = made.stdout.split()[0]
    again = run_cli("--hub", hub, "digest", "new", "--week", "2023-W17")
    assert again.returncode == 2 and "has a digest already" in again.stderr
    empty = run_cli("--hub", hub, "digest", "new", "--week", "2030-W01")
    assert empty.returncode == 2 and "no reviews dated" in empty.stderr
    intro = tmp_path / "intro.md"
    intro.write_text("이번 주에는 **CLIP**을 다룹니다.\n", encoding="utf-8")
    edited = run_cli("--hub", hub, "digest", "edit", ref, "--intro-file", str(intro),
                     "--editor", "김에디터", "--title", "우리 팀 4월 4주차")  # fmt: skip
    assert edited.returncode == 0, edited.stderr
    md = run_cli("--hub", hub, "digest", "render", ref, "--format", "md").stdout
    assert md.startswith("# 우리 팀 4월 4주차\n") and "김에디터" in md and "**CLIP**" in md
    assert md.count("\n## ") == 4
    site = tmp_path / "site"
    run_cli("--hub", hub, "build", str(site))
    assert not list(site.glob("digests/digests/*"))  # a draft is not published
    assert run_cli("--hub", hub, "digest", "publish", ref).returncode == 0
    run_cli("--hub", hub, "build", str(site))
    (page,) = site.glob("digests/digests/*/index.html")
    assert "우리 팀 4월 4주차" in page.read_text(encoding="utf-8")
    mail = tmp_path / "mail.html"
    done = run_cli("--hub", hub, "digest", "render", ref, "--format", "email", "-o", str(mail))
    assert done.returncode == 0, done.stderr
    html = mail.read_text(encoding="utf-8")
    assert "<script" not in html and "<style" not in html and 'style="' in html
    assert 'role="presentation"' in html and 'href="http://127.0.0.1:8000/reviews/' in html
    if CHROMIUM.exists():
        from playwright.sync_api import sync_playwright

        args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
            view = browser.new_page(viewport={"width": 600, "height": 800})
            view.goto(mail.as_uri())
            assert view.evaluate("document.documentElement.scrollWidth") <= 600
            browser.close()
