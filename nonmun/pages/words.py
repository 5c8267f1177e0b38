"""Every word the site's interface says, in Korean and English, and dates in each
language's way ("2023년 4월 26일" / "April 26, 2023")."""

from __future__ import annotations

from datetime import date

WORDS: dict[str, tuple[str, str]] = {  # key: (ko, en)
    "continue": ("계속 읽기", "Continue reading"),
    "reviews": ("리뷰", "Reviews"),
    "newest_reviews": ("최근 리뷰", "Newest reviews"),
    "papers": ("논문", "Papers"),
    "reviewed": ("리뷰", "reviewed"),
    "mentioned": ("언급", "mentioned"),
    "reviews_of": ("이 논문의 리뷰", "Reviews of this paper"),
    "no_reviews": ("아직 리뷰가 없습니다.", "No reviews yet."),
    "abstract": ("초록", "Abstract"),
    "also_known_as": ("다른 이름", "Also known as"),
    "digests": ("실린 다이제스트", "In digests"),
    "digests_all": ("다이제스트", "Digests"),
    "editors": ("에디터", "Editors"),
    "entries": ("이번 호의 글", "In this issue"),
    "read_alone": ("이 글만 보기", "Read on its own page"),
    "co_mentioned": ("함께 언급된 논문", "Mentioned alongside"),
    "related": ("관련 논문", "Related papers"),
    "follow": ("이 논문 구독 (Atom)", "Follow this paper (Atom)"),
    "papers_in_review": ("이 글의 논문", "Papers in this review"),
    "suggestions": ("확실하지 않은 연결", "Possible links"),
    "original": ("원문", "Original"),
    "category": ("카테고리", "Category"),
    "previous": ("이전 글", "Previous"),
    "next": ("다음 글", "Next"),
    "newer": ("최근", "Newer"),
    "older": ("이전", "Older"),
    "page_of": ("쪽", "page"),
    "by": ("글쓴이", "by"),
    "undated": ("날짜 없음", "undated"),
    "provisional": (
        "리뷰에서 찾은 논문입니다. 아직 카탈로그에 없습니다.",
        "Named in a review; not yet in the catalog.",
    ),
    "evidence": ("근거", "evidence"),
    "home": ("처음", "Home"),
    "moved": (
        "이 페이지는 옮겨졌습니다: 새 주소로 가기",
        "This page has moved: go to its new address",
    ),
    "search": ("검색", "Search"),
    "search_label": (
        "논문과 리뷰 검색 (한국어·영어)",
        "Search papers and reviews (Korean or English)",
    ),
    "search_hint": ("예: 트랜스포머, sharpness", "e.g. transformer, 트랜스포머"),
    "search_none": ("찾은 것이 없습니다.", "Nothing found."),
    "search_found": ("{n}건", "{n} found"),
    "search_needs_script": ("검색에는 JavaScript가 필요합니다.", "Search needs JavaScript."),
    "tags": ("태그", "Tags"),
    "sources": ("출처", "Sources"),
    "authors": ("글쓴이", "Authors"),
    "categories": ("카테고리", "Categories"),
    "archive": ("보관함", "Archive"),
    "most_reviewed": ("논문 (리뷰 많은 순)", "Papers, most reviewed first"),
    "a_z": ("논문 (제목 순)", "Papers, A–Z"),
    "by_title": ("제목 순", "A–Z"),
    "by_reviews": ("리뷰 많은 순", "Most reviewed"),
    "feed": ("피드 (Atom)", "Feed (Atom)"),
    "review_count": ("리뷰 {n}개", "{n} review(s)"),
    "skip": ("본문으로 건너뛰기", "Skip to content"),
    "made_with": ("nonmun으로 만들었습니다", "Made with nonmun"),
}
MONTHS = "January February March April May June July August September October November December"


def word(key: str, language: str) -> str:
    """The interface's word ``key`` in ``language`` (``ko`` or ``en``)."""
    ko, en = WORDS[key]
    return ko if language == "ko" else en


def long_date(day: date | None, language: str) -> str:
    """``2023년 4월 26일`` or ``April 26, 2023``."""
    if day is None:
        return word("undated", language)
    if language == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    return f"{MONTHS.split()[day.month - 1]} {day.day}, {day.year}"


def long_month(day: date, language: str) -> str:
    """``2023년 4월`` or ``April 2023``."""
    if language == "ko":
        return f"{day.year}년 {day.month}월"
    return f"{MONTHS.split()[day.month - 1]} {day.year}"
