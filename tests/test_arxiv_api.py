"""The arXiv API client against a local server replaying real recorded responses."""

from __future__ import annotations

import socket
import time
from datetime import date

import pytest
from sqlalchemy import select

from arxiv_server import arxiv_server
from helpers import run_cli
from nonmun.catalog.arxiv_api import ArxivClient
from nonmun.catalog.identifiers import ArxivId
from nonmun.db.engine import Hub
from nonmun.db.schema import Paper
from nonmun.errors import InputError, NetworkError


def client(url: str, **kw: object) -> ArxivClient:
    return ArxivClient(url, delay=0, **kw)  # type: ignore[arg-type]


def test_fetch_one_id() -> None:
    with arxiv_server() as (url, recorder):
        found = client(url).fetch([ArxivId("1707.08567", 1)])
    record = found["1707.08567"]
    assert (
        record.title
        == "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
    )
    assert record.authors[0] == "Kees A. Schouhamer Immink" and len(record.authors) == 34
    assert record.published == date(2017, 7, 27)
    assert record.categories == ("cs.IT",)
    assert record.comments and record.comments.startswith("44 pages")
    assert recorder.requests[0]["id_list"] == ["1707.08567"]


def test_old_style_id() -> None:
    with arxiv_server() as (url, _):
        found = client(url).fetch([ArxivId("astro-ph/0601001")])
    assert found["astro-ph/0601001"].title.startswith("Frequency of Hot Jupiters")


def test_unknown_id_is_absent_from_an_empty_result() -> None:
    with arxiv_server() as (url, _):
        assert client(url).fetch([ArxivId("2501.99999")]) == {}


def test_http_400_names_the_reason() -> None:
    with arxiv_server() as (url, _), pytest.raises(InputError, match="incorrect id format for abc"):
        client(url).query(id_list=["abc"])


def test_search_results_and_the_2016_format() -> None:
    with arxiv_server() as (url, _):
        current = client(url).query(search_query="testing", max_results=10)
        legacy = client(url).query(search_query="au:del_maestro", max_results=10)
    assert len(current) == 10 and len(legacy) == 10
    assert all(r.arxiv_id and r.title and r.authors for r in current + legacy)


def test_ids_are_batched_into_few_requests() -> None:
    ids = [ArxivId(f"2101.{n:05d}") for n in range(150)]
    with arxiv_server() as (url, recorder):
        client(url).fetch(ids)
    assert [len(r["id_list"][0].split(",")) for r in recorder.requests] == [100, 50]
    assert recorder.requests[0]["max_results"] == ["100"]


def test_one_request_every_delay_seconds() -> None:
    slept: list[float] = []
    with arxiv_server() as (url, _):
        polite = ArxivClient(url, delay=3.0, sleep=slept.append)
        polite.fetch([ArxivId("1707.08567")])
        polite.fetch([ArxivId("astro-ph/0601001")])
    assert len(slept) == 1 and 2.5 < slept[0] <= 3.0


def test_transient_failures_are_retried_with_backoff() -> None:
    slept: list[float] = []
    told: list[str] = []
    with arxiv_server() as (url, recorder):
        recorder.fail_first = 2
        patient = ArxivClient(url, delay=0.5, retries=3, sleep=slept.append, on_retry=told.append)
        assert "1707.08567" in patient.fetch([ArxivId("1707.08567")])
    assert len(recorder.requests) == 3
    assert len(told) == 2 and "trying again in 1 s" in told[0]
    assert [s for s in slept if s >= 1] == [1.0, 2.0]  # 0.5 * 2, 0.5 * 4, besides the rate limit


def test_offline_is_one_clear_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    offline = ArxivClient(
        f"http://127.0.0.1:{port}/api/query", delay=0, retries=1, sleep=lambda s: None
    )
    started = time.monotonic()
    with pytest.raises(  # no connection at all: said at once, not retried for 43 s
        NetworkError, match=r"cannot reach the arXiv API \(no connection\) after 1 try"
    ):
        offline.fetch([ArxivId("2010.01412")])
    assert time.monotonic() - started < 5


def test_cli_add_stores_papers(hub: Hub, hub_env: dict[str, str]) -> None:
    with arxiv_server() as (url, _):
        env = {**hub_env, "NONMUN_ARXIV_API_URL": url, "NONMUN_ARXIV_DELAY": "0"}
        done = run_cli(
            "papers", "add", "https://arxiv.org/abs/1707.08567v1", "astro-ph/0601001", env=env
        )
        assert done.returncode == 0, done.stderr
        assert "2 new" in done.stdout
        again = run_cli("papers", "add", "1707.08567", env=env)
        assert "1 unchanged" in again.stdout
    with hub.session() as session:
        assert sorted(session.scalars(select(Paper.arxiv_id))) == ["1707.08567", "astro-ph/0601001"]


def test_cli_add_refuses_malformed_and_unknown_ids_without_writing(
    hub: Hub, hub_env: dict[str, str]
) -> None:
    with arxiv_server() as (url, recorder):
        env = {**hub_env, "NONMUN_ARXIV_API_URL": url, "NONMUN_ARXIV_DELAY": "0"}
        bad = run_cli("papers", "add", "1707.08567", "0808.05394", env=env)
        assert bad.returncode == 2
        assert "'0808.05394': not a valid arXiv id" in bad.stderr
        assert recorder.requests == []  # refused before asking arXiv
        unknown = run_cli("papers", "add", "1707.08567", "2501.99999", env=env)
        assert unknown.returncode == 3
        assert "2501.99999: arXiv has no such paper; nothing was added" in unknown.stderr
    for done in (bad, unknown):
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    with hub.session() as session:
        assert session.scalars(select(Paper)).all() == []


def test_cli_add_offline(hub_env: dict[str, str]) -> None:
    env = {**hub_env, "NONMUN_ARXIV_API_URL": "http://127.0.0.1:9/api/query",
           "NONMUN_ARXIV_DELAY": "0", "NONMUN_ARXIV_RETRIES": "0"}  # fmt: skip
    done = run_cli("papers", "add", "2010.01412", env=env)
    assert done.returncode == 4
    assert done.stderr.strip() == (
        "error: 127.0.0.1: cannot reach the arXiv API (no connection) after 1 try; "
        "check the connection and try again"
    )
