"""Storing what the linker found as a review's mentions."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from nonmun.db import events
from nonmun.db.schema import LinkDecision, Mention, Paper, Review
from nonmun.linking.decisions import ADDED, PERSON, applied, mention_of
from nonmun.linking.learn import learn_nicknames
from nonmun.linking.linker import Link, Linker, MentionRecord, merge_links
from nonmun.linking.provisional import PaperHint, known_links, provisional_links


def link_review(
    session: Session, review: Review, linker: Linker, hint: PaperHint | None = None
) -> set[int]:
    """Replace the review's mentions with what ``linker`` finds in its title and body now
    (its address, ``review.url``, as evidence), with provisional papers for what the
    catalog lacks (``provisional.py``); learn the nicknames the text pairs with
    identifiers (``learn.py``). Returns the papers that learned a nickname (their search
    entries need it too)."""
    text = f"{review.title}\n{review.body}"
    links = known_links(session, linker, linker.link(text, review.url))
    added = provisional_links(session, linker, text, links, hint)
    if any(link.method == "identifier" for link in added):
        # papers made for unknown arXiv ids may have names now (landmarks): read again
        guessed = {link.paper_id for link in added if link.method == "provisional"}
        links = known_links(session, linker, linker.link(text, review.url))
        links = [link for link in links if link.paper_id not in guessed]
        found = {link.paper_id for link in links}  # the decision settles their roles now
        added = [a for a in added if a.method != "identifier" or a.paper_id not in found]
    links = merge_links(links + added)
    learned = {pid for pid, _ in learn_nicknames(session, linker, text)}
    if review.id is not None:  # a person's decisions on its links stand
        links = applied(session, review.id, links)
    review.mentions = []
    session.flush()
    review.mentions = [mention_of(session, link) for link in links]
    return learned


def relink_reviews(
    session: Session, linker: Linker, progress: Callable[[int, int], None] | None = None
) -> tuple[int, set[int]]:
    """Link every review again against the catalog as it is now (after papers arrived),
    so that the links do not depend on whether the reviews or the papers came first.

    A review's structural paper (``provisional``: its page named it, nothing in the
    catalog was found) is kept unless the catalog now has a paper it reviews, as when
    it was first linked. Returns how many reviews changed, and the papers that learned
    a nickname."""
    reviews = session.scalars(
        select(Review).options(selectinload(Review.mentions)).order_by(Review.id)
    ).all()
    changed, learned = 0, set()
    for n, review in enumerate(reviews):
        if progress is not None and n % 100 == 0:
            progress(n, len(reviews))
        text = f"{review.title}\n{review.body}"
        links = known_links(session, linker, linker.link(text, review.url))
        links = merge_links(links + provisional_links(session, linker, text, links, None))
        links = applied(session, review.id, links)
        learned |= {pid for pid, _ in learn_nicknames(session, linker, text)}
        if _same(review.mentions, links):
            continue
        linked = {link.paper_id for link in links}
        kept = [
            Link(m.paper_id, m.role, m.confidence, m.evidence, m.method, 0)
            for m in review.mentions
            if m.method == "provisional" and m.paper_id not in linked
        ]
        if any(link.role == "reviewed" for link in links):
            kept = []
        review.mentions = []
        session.flush()  # the old rows go before the new ones come
        review.mentions = [mention_of(session, link) for link in links + kept]
        changed += 1
    return changed, learned


def relink_hub(session: Session) -> int:
    """``relink_reviews`` over the hub's whole catalog (nothing to do without reviews);
    the papers that learned a nickname are indexed again. Returns the reviews changed."""
    from nonmun.linking.index import CatalogIndex

    if session.scalar(select(Review.id).limit(1)) is None:
        return 0
    changed, learned = relink_reviews(session, Linker(CatalogIndex.load(session)))
    events.papers_changed(session.connection(), learned)
    return changed


def _same(mentions: list[Mention], links: list[Link]) -> bool:
    """The links are what is stored already (structural papers aside), confidence and
    evidence too: a review whose links only grew surer is stored again."""
    stored = {
        (m.paper_id, m.role, m.method, m.confidence, m.evidence)
        for m in mentions
        if m.method != "provisional"
    }
    return stored == {
        (x.paper_id, x.role, x.method, round(x.confidence, 3), x.evidence[:500]) for x in links
    }


def restore_mentions(
    session: Session,
    review: Review,
    mentions: tuple[MentionRecord, ...],
    rejected: tuple[int, ...] = (),
) -> None:
    """Replace the review's mentions with ones settled elsewhere (an archive, an editor),
    and its decisions with those they carry: a link of method ``person`` was confirmed
    or added by a person, and ``rejected`` papers were rejected."""
    review.mentions = [
        Mention(
            paper=session.get_one(Paper, m.paper_id),
            role=m.role,
            confidence=m.confidence,
            evidence=m.evidence,
            method=m.method,
        )
        for m in mentions
    ]
    session.execute(delete(LinkDecision).where(LinkDecision.review_id == review.id))
    for m in mentions:
        if m.method == PERSON:
            decision = "add" if m.evidence == ADDED else "confirm"
            session.add(LinkDecision(review_id=review.id, paper_id=m.paper_id,
                                     decision=decision, role=m.role))  # fmt: skip
    for pid in rejected:
        session.add(LinkDecision(review_id=review.id, paper_id=pid, decision="reject"))
