"""People's word on links: a review's link to a paper confirmed (with its role),
rejected, or added by hand.

A decision is kept in ``link_decision`` and applied to the linker's links whenever a
review's mentions are stored (``mentions.py``: at import, at re-import, at
``link --all``), so that no re-linking overrides it: a rejected paper never comes
back, a confirmed or added one stays, with the role the person gave. A decided link
is stored with confidence 1 and method ``person``; its evidence is the linker's when
it had found the paper, else "added by a person". Confirming a link the linker found
by a nickname teaches the nickname (``learn.learn_confirmed``). The web app offers the
same calls on a review's page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from nonmun.db.schema import LinkDecision, Mention, Paper, Review
from nonmun.errors import InputError, NotFoundError
from nonmun.linking.learn import learn_confirmed
from nonmun.linking.linker import Link

DECISIONS = ("confirm", "reject", "add")
ROLES = ("reviewed", "mentioned")
PERSON = "person"  # the method of a link a person decided
ADDED = "added by a person"


@dataclass(frozen=True)
class Decided:
    """A review's link as ``links show`` lists it: the stored mention (if any) and the
    person's decision on it (if any)."""

    paper: Paper
    role: str | None
    confidence: float | None
    method: str
    evidence: str
    decision: str | None


def decide(
    session: Session, review: Review, paper: Paper, decision: str, role: str | None = None
) -> None:
    """Record a person's ``decision`` on the link of ``review`` to ``paper`` and apply
    it to the review's stored mentions at once.

    ``confirm`` needs a link or a suggestion to confirm (its role is kept unless
    ``role`` is given); ``add`` needs a role; ``reject`` may name any paper (it will
    never be linked to this review)."""
    if decision not in DECISIONS:
        raise InputError(f"unknown decision {decision!r}; use one of {', '.join(DECISIONS)}")
    if role is not None and role not in ROLES:
        raise InputError(f"unknown role {role!r}; use reviewed or mentioned", source=role)
    mention = next((m for m in review.mentions if m.paper_id == paper.id), None)
    if decision == "confirm" and mention is None:
        raise NotFoundError(
            f"review #{review.id} has no link to this paper to confirm; use `links add`",
            source=paper.arxiv_id or paper.doi or f"#{paper.id}",
        )
    if decision == "add" and role is None:
        raise InputError("adding a link needs its role: --role reviewed or --role mentioned")
    found = session.get(LinkDecision, (review.id, paper.id))
    chosen = None if decision == "reject" else role or (mention.role if mention else None)
    if found is None:
        found = LinkDecision(review_id=review.id, paper_id=paper.id)
        session.add(found)
    found.decision, found.role = decision, chosen
    session.flush()
    if decision == "confirm" and mention is not None and mention.method == "nickname":
        learn_confirmed(session, paper, mention.evidence)  # the name taught, for all reviews
    _store(session, review)


def _store(session: Session, review: Review) -> None:
    """The review's mentions again, with its decisions applied."""
    links = [
        Link(m.paper_id, m.role, m.confidence, m.evidence, m.method, n)
        for n, m in enumerate(review.mentions)
    ]
    kept = applied(session, review.id, links)
    review.mentions = []
    session.flush()  # the old rows go before the new ones come
    review.mentions = [mention_of(session, link) for link in kept]
    session.flush()


def mention_of(session: Session, link: Link) -> Mention:
    """The stored form of a link."""
    return Mention(
        paper=session.get_one(Paper, link.paper_id),
        role=link.role,
        confidence=round(link.confidence, 3),
        evidence=link.evidence[:500],
        method=link.method,
    )


def applied(session: Session, review_id: int, links: list[Link]) -> list[Link]:
    """``links`` (the linker's, for one review) with the review's decisions applied:
    rejected papers left out, confirmed ones sure and in their role, added ones in."""
    decisions = {
        d.paper_id: d
        for d in session.scalars(select(LinkDecision).where(LinkDecision.review_id == review_id))
    }
    if not decisions:
        return links
    found = []
    for link in links:
        decided = decisions.pop(link.paper_id, None)
        if decided is None:
            found.append(link)
        elif decided.decision != "reject":
            role = decided.role or link.role
            found.append(replace(link, role=role, confidence=1.0, method=PERSON))
    end = max((link.start for link in links), default=0)
    for decided in decisions.values():
        if decided.decision != "reject" and decided.role:
            found.append(Link(decided.paper_id, decided.role, 1.0, ADDED, PERSON, end + 1))
    return found


def review_links(session: Session, review: Review) -> list[Decided]:
    """The review's links (suggestions too), surest first, and the rejected papers."""
    decisions = {
        d.paper_id: d
        for d in session.scalars(select(LinkDecision).where(LinkDecision.review_id == review.id))
    }
    shown = [
        Decided(m.paper, m.role, m.confidence, m.method, m.evidence,
                decisions[m.paper_id].decision if m.paper_id in decisions else None)
        for m in sorted(review.mentions, key=lambda m: (m.role != "reviewed", -m.confidence))
    ]  # fmt: skip
    rejected = [d for d in decisions.values() if d.decision == "reject"]
    for d in rejected:
        shown.append(Decided(session.get_one(Paper, d.paper_id), None, None, "", "", "reject"))
    return shown
