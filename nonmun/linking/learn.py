"""Nicknames learned from reviews that give a short name and the paper's identifier.

Writers pair a name with a link all the time: ``[DeiT](https://arxiv.org/abs/2012.12877)``,
``- CLIP: https://arxiv.org/abs/2103.00020``, ``Perceiver (arXiv:2103.03206)``. When the
name looks like a paper's name (capitals, digits or Hangul; one to four words) and is
not a generic word ("paper", "논문", "code", "Zhou et al."), it becomes an alias of the
paper (origin ``learned``), so that reviews that name it without the link are linked
too. A name already used for another paper is not learned: ambiguity is never added
silently. A person who confirms a link the linker found by a name teaches that name the
same way (origin ``confirmed``, ``learn_confirmed``).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from nonmun.catalog.landmarks import landmarks
from nonmun.db.bulk import insert_ignore
from nonmun.db.schema import Paper, PaperAlias, alias_table
from nonmun.linking.identifiers import iter_arxiv_ids
from nonmun.linking.index import FIELD_ACRONYMS, MAX_NICKNAME_WORDS
from nonmun.linking.linker import Linker
from nonmun.linking.tokens import compact, norms
from nonmun.text.normalize import fold, title_key

_LINK_TEXT = re.compile(r"\[(?P<name>[^\[\]\n]{2,30})\]\((?:https?://)?(?:www\.|export\.)?$")
_LINE_NAME = re.compile(
    r"(?:^|\n)[ \t\-*•>]*(?P<name>[^\n:()\[\]]{2,30}?)\s*[:(（\-–]\s*<?(?:https?://)?(?:www\.|export\.)?$"
)
GENERIC = frozenset(
    "paper papers arxiv link links pdf code github here this project page abs official source "
    "sources reference references ref review homepage blog slides video demo website url doi "
    "preprint full text 논문 원문 링크 출처 참고 코드 리뷰 페이지 프로젝트 자료 원본".split()
)


def learn_nicknames(session: Session, linker: Linker, text: str) -> list[tuple[int, str]]:
    """Store the names ``text`` pairs with arXiv ids of catalog papers; return them."""
    learned: dict[tuple[int, str], str] = {}
    hits = list(iter_arxiv_ids(text))
    known = linker.index.papers_by_arxiv(h.arxiv_id for h in hits)
    for hit in hits:
        pid = known.get(hit.arxiv_id)
        name = _name_before(text, hit.start)
        if pid is None or name is None or not _learnable(linker, pid, name):
            continue
        learned.setdefault((pid, fold(name)), name)
    rows = [
        {"paper_id": pid, "alias": name, "key": key, "origin": "learned"}
        for (pid, key), name in learned.items()
    ]
    insert_ignore(session.connection(), alias_table, rows)
    for (pid, _), name in learned.items():
        linker.index.add_nickname(pid, name)
    return [(pid, name) for (pid, _), name in learned.items()]


def _name_before(text: str, at: int) -> str | None:
    """The name written just before an identifier: a link's text, or a line's label."""
    before = text[max(0, at - 48) : at]
    match = _LINK_TEXT.search(before) or _LINE_NAME.search(before)
    return match.group("name").strip().strip("*_`'\"") if match else None


def learn_confirmed(session: Session, paper: Paper, name: str) -> bool:
    """Store ``name`` as a nickname of ``paper`` (a person confirmed the link the linker
    found by it), unless it is no name or another paper already goes by it."""
    if not _name_like(name, paper.author_key):
        return False
    key = compact(norms(name))
    others = {
        pid
        for pid, alias in session.execute(
            select(PaperAlias.paper_id, PaperAlias.alias).where(PaperAlias.key == fold(name))
        )
        if pid != paper.id
    }
    curated = [m for m in landmarks() if key in _keys(m)]
    own = {title_key(paper.title)} | ({paper.arxiv_id} if paper.arxiv_id else set())
    if others or any(m["arxiv"] not in own and title_key(m["title"]) not in own for m in curated):
        return False
    row = {"paper_id": paper.id, "alias": name, "key": fold(name), "origin": "confirmed"}
    insert_ignore(session.connection(), alias_table, [row])
    return True


def _keys(mark: dict[str, Any]) -> set[str]:
    return {compact(norms(a)) for a in (*mark["aliases"], *mark["ambiguous_aliases"])}


def _name_like(name: str, surname: str | None) -> bool:
    """A paper's name, not a phrase, a field ("NLP"), a footnote or its author."""
    words = norms(name)
    if not words or len(words) > MAX_NICKNAME_WORDS or not 2 <= len(name) <= 30:
        return False
    if " ".join(words) in GENERIC or compact(words) in FIELD_ACRONYMS or "et al" in name:
        return False
    if not re.search(r"[A-Z0-9\uac00-\ud7a3]", name) or not re.search(r"[^\W\d_]", name):
        return False  # "the method", "our baseline"; footnotes "[12]"
    return not (surname and surname in words)  # "Zhou (2019)": the author, not the paper


def _learnable(linker: Linker, pid: int, name: str) -> bool:
    facts = linker.index.fact(pid)
    if not _name_like(name, facts.surname if facts else None):
        return False
    holders = {n.paper_id for n in linker.index.nicknames.get(compact(norms(name)), ())}
    return not holders
