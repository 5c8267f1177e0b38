"""People correct the linker: confirm, reject and add links; re-linking and re-importing
keep their word (issue 12)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpers import run_cli
from nonmun.catalog.lookup import find_paper
from nonmun.db.engine import Hub
from nonmun.db.schema import LinkDecision, Review, Source
from nonmun.errors import InputError, NotFoundError
from nonmun.ingest.records import ReviewRecord, SourceRef
from nonmun.ingest.store import store_reviews
from nonmun.linking.decisions import PERSON, decide, review_links
from nonmun.linking.mentions import relink_hub

SAM, VIT = "2010.01412", "2010.11929"


def sam_review(session: object) -> Review:
    query = (
        select(Review)
        .join(Source)
        .where(Source.name == "duemoo's paper reviews", Review.title.startswith("Sharpness"))
    )
    return session.scalars(query).one()  # type: ignore[attr-defined,no-any-return]


def links_of(hub: Hub) -> dict[str, tuple[str, float, str]]:
    """The SAM review's links: paper ref → (role, confidence, method)."""
    with hub.session(write=False) as session:
        review = sam_review(session)
        return {
            m.paper.arxiv_id or f"#{m.paper_id}": (m.role, m.confidence, m.method)
            for m in review.mentions
        }


def reimport(hub: Hub, extra: str) -> None:
    with hub.session() as session:
        review = sam_review(session)
        source = SourceRef(review.source.name, review.source.kind)
        record = ReviewRecord(source, review.external_id, review.title, review.body + extra)
        store_reviews(session, [record])


def test_decisions_stand_through_relinking_and_reimport(demo: Hub) -> None:
    before = links_of(demo)
    assert before[SAM][0] == "reviewed" and VIT not in before
    other = next(ref for ref, (role, _, _) in before.items() if role == "mentioned")
    with demo.session() as session:
        review = sam_review(session)
        decide(session, review, find_paper(session, other), "reject")
        decide(session, review, find_paper(session, VIT), "add", "mentioned")
        decide(session, review, find_paper(session, SAM), "confirm")
    decided = links_of(demo)
    assert other not in decided
    assert decided[VIT] == ("mentioned", 1.0, PERSON) and decided[SAM] == ("reviewed", 1.0, PERSON)
    with demo.session() as session:
        relink_hub(session)
    assert links_of(demo) == decided
    reimport(demo, "\n\nOne more line, linked again.")
    assert links_of(demo) == decided
    with demo.session(write=False) as session:
        shown = {
            d.paper.arxiv_id or "": d.decision for d in review_links(session, sam_review(session))
        }
    assert shown[other] == "reject" and shown[VIT] == "add" and shown[SAM] == "confirm"


def test_a_confirmed_role_wins(demo: Hub) -> None:
    mentioned = next(ref for ref, (role, _, _) in links_of(demo).items() if role == "mentioned")
    with demo.session() as session:
        review = sam_review(session)
        decide(session, review, find_paper(session, mentioned), "confirm", "reviewed")
    assert links_of(demo)[mentioned] == ("reviewed", 1.0, PERSON)
    with demo.session() as session:
        decide(session, sam_review(session), find_paper(session, mentioned), "reject")
        assert session.scalar(select(LinkDecision.decision)) == "reject"
        assert mentioned not in {m.paper.arxiv_id for m in sam_review(session).mentions}


def test_what_cannot_be_decided_says_why(demo: Hub) -> None:
    with demo.session() as session:
        review = sam_review(session)
        vit = find_paper(session, VIT)
        with pytest.raises(NotFoundError, match="no link to this paper to confirm"):
            decide(session, review, vit, "confirm")
        with pytest.raises(InputError, match="needs its role"):
            decide(session, review, vit, "add")
        with pytest.raises(InputError, match="unknown role"):
            decide(session, review, vit, "add", "cited")
    with demo.session(write=False) as session:
        assert session.scalar(select(LinkDecision.review_id)) is None
    assert VIT not in links_of(demo)


def test_links_commands(demo: Hub, hub_env: dict[str, str]) -> None:
    with demo.session(write=False) as session:
        rid = f"#{sam_review(session).id}"
    shown = run_cli("links", "show", rid, env=hub_env)
    assert shown.returncode == 0 and SAM in shown.stdout and "reviewed" in shown.stdout
    added = run_cli("links", "add", rid, VIT, "--role", "mentioned", env=hub_env)
    assert added.returncode == 0, added.stderr
    assert "added by a person" in run_cli("links", "show", rid, env=hub_env).stdout
    relinked = run_cli("link", "--all", env=hub_env)
    assert relinked.returncode == 0 and "linked differently" in relinked.stdout
    assert links_of(demo)[VIT] == ("mentioned", 1.0, PERSON)
    for args, message in (
        (["links", "show", "#999999"], "no such review"),
        (["links", "reject", rid, "9999.99999"], ""),
        (["links", "add", rid, SAM], "needs its role"),
        (["links", "confirm", rid, VIT, "--role", "cited"], "unknown role"),
        (["link"], "--all"),
    ):
        done = run_cli(*args, env=hub_env)
        assert done.returncode != 0 and "Traceback" not in done.stderr, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and message in done.stderr, (args, done.stderr)


def test_a_confirmed_nickname_is_learned_unless_another_paper_has_it(hub: Hub) -> None:
    """Confirming a link the linker found by a name teaches the name (like a name written
    beside its arXiv link); a name another paper goes by is never taken over."""
    from nonmun.catalog.importer import store_records
    from nonmun.catalog.records import PaperRecord
    from nonmun.db.schema import Mention, PaperAlias

    store_records(hub, [
        PaperRecord(title="INGENIOUS: Using Informative Data Subsets for Efficient Pre-Training "
                    "of Language Models", arxiv_id="2305.06677", year=2023),
        PaperRecord(title="Sharpness-Aware Minimization for Efficiently Improving "
                    "Generalization", arxiv_id=SAM, year=2020),
        PaperRecord(title="Segment Anything", arxiv_id="2304.02643", year=2023),
    ], "test")  # fmt: skip
    texts = {"a": "INGENIOUS는 informative한 data subsets를 골라 학습한다.",
             "b": "SAM은 loss landscape의 sharpness를 줄이는 optimizer다."}  # fmt: skip
    source = SourceRef("notes", "markdown")
    with hub.session() as session:
        store_reviews(session, [ReviewRecord(source, k, "메모", v) for k, v in texts.items()])
        for review in session.scalars(select(Review)):
            (mention,) = [m for m in review.mentions if m.method == "nickname"][:1]
            decide(session, review, mention.paper, "confirm", "mentioned")
        aliases = {(a.alias, a.origin) for a in session.scalars(select(PaperAlias))}
        assert session.scalars(select(Mention).where(Mention.method == PERSON)).all()
    assert ("INGENIOUS", "confirmed") in aliases  # taught
    assert ("SAM", "confirmed") not in aliases  # the curated table gives SAM to two papers
