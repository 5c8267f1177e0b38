"""The arXiv API client (Atom): fetch papers by id, politely.

One request every ``delay`` seconds (arXiv asks for 3), ids batched into one
``id_list`` request, a timeout, retries with exponential backoff on transient
failures, and errors a user can act on: an unreachable service is one line,
an id arXiv rejects or does not know is named.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import feedparser
import httpx

from nonmun.catalog.identifiers import ArxivId, normalize_doi, parse_arxiv_id
from nonmun.catalog.records import PaperRecord, Version
from nonmun.errors import InputError, NetworkError
from nonmun.text.normalize import collapse

CONNECT_TIMEOUT = 5.0  # seconds: no route to the host is known quickly
MAX_ANSWER_BYTES = 50 << 20  # a page of 100 entries is well under 1 MB
MAX_IDS_PER_REQUEST = 100
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "nonmun (https://github.com/nonmun/nonmun; paper-review hub)"


class ArxivClient:
    """Fetches arXiv metadata; ``transport`` and ``sleep`` are replaceable for tests."""

    def __init__(
        self,
        base_url: str = "https://export.arxiv.org/api/query",
        *,
        delay: float = 3.0,
        timeout: float = 30.0,
        retries: int = 3,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[str], None] | None = None,
    ):
        self.base_url, self.delay, self.retries = base_url, delay, retries
        self._sleep, self._on_retry = sleep, on_retry
        self._last_request = float("-inf")
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
            transport=transport,
            headers={"User-Agent": USER_AGENT},
        )

    def close(self) -> None:
        self._http.close()

    def fetch(self, ids: Iterable[ArxivId]) -> dict[str, PaperRecord]:
        """Records for ``ids`` by versionless id; ids arXiv does not know are absent."""
        wanted = sorted({a.id for a in ids})
        found: dict[str, PaperRecord] = {}
        for start in range(0, len(wanted), MAX_IDS_PER_REQUEST):
            chunk = wanted[start : start + MAX_IDS_PER_REQUEST]
            for record in self.query(id_list=chunk, max_results=len(chunk)):
                if record.arxiv_id in chunk:
                    found[record.arxiv_id] = record
        return found

    def query(self, **params: Any) -> list[PaperRecord]:
        """One API call (``id_list``, ``search_query``, ``max_results``…), parsed."""
        if isinstance(params.get("id_list"), list | tuple):
            params["id_list"] = ",".join(params["id_list"])
        status, body = self._get(params)
        feed = feedparser.parse(body)
        errors = [e for e in feed.entries if "api/errors" in e.get("id", "")]
        if errors or status == 400:
            reason = errors[0].get("summary", "bad request") if errors else "bad request"
            raise InputError(f"arXiv API rejected the request: {reason}", source="arXiv API")
        if status != 200:
            raise NetworkError(f"arXiv API answered HTTP {status}", source="arXiv API")
        return [parse_entry(entry) for entry in feed.entries]

    def _get(self, params: dict[str, Any]) -> tuple[int, bytes]:
        """One answer (status, body), retried with backoff while arXiv is busy or slow;
        no connection at all (offline, no route) fails at once: waiting will not help."""
        last_error = ""
        for attempt in range(self.retries + 1):
            if attempt:
                wait = self.delay * 2**attempt
                if self._on_retry is not None:
                    self._on_retry(f"arXiv API: {last_error}; trying again in {wait:.0f} s")
                self._sleep(wait)
            self._wait_turn()
            try:
                status, body = self._answer(params)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                last_error = _describe(exc)
                break
            except httpx.TransportError as exc:
                last_error = _describe(exc)
                continue
            if status not in RETRY_STATUS:
                return status, body
            last_error = f"HTTP {status}"
        tries = f"after {attempt + 1} {'try' if attempt == 0 else 'tries'}"
        raise NetworkError(
            f"cannot reach the arXiv API ({last_error}) {tries}; "
            "check the connection and try again",
            source=httpx.URL(self.base_url).host,
        )

    def _answer(self, params: dict[str, Any]) -> tuple[int, bytes]:
        with self._http.stream("GET", self.base_url, params=params) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    raise NetworkError(
                        f"the arXiv API's answer is larger than {MAX_ANSWER_BYTES >> 20} MB",
                        source=httpx.URL(self.base_url).host,
                    )
            return response.status_code, bytes(body)

    def _wait_turn(self) -> None:
        wait = self._last_request + self.delay - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last_request = time.monotonic()


def _describe(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "no connection"
    return type(exc).__name__


def parse_entry(entry: Any) -> PaperRecord:
    """A feedparser Atom entry of the arXiv API as a ``PaperRecord``."""
    arxiv = parse_arxiv_id(entry.get("id", ""))
    if arxiv is None:
        raise InputError(f"unexpected entry id {entry.get('id')!r}", source="arXiv API")
    published, updated = _day(entry.get("published_parsed")), _day(entry.get("updated_parsed"))
    latest = arxiv.version or 1
    versions = [Version("v1", published)]
    if latest > 1:
        versions.append(Version(f"v{latest}", updated))
    primary = (entry.get("arxiv_primary_category") or {}).get("term")
    categories = [t["term"] for t in entry.get("tags", []) if t.get("term")]
    if primary in categories:
        categories.remove(primary)
    links = tuple(
        ("pdf", link["href"]) for link in entry.get("links", []) if link.get("title") == "pdf"
    )
    return PaperRecord(
        title=collapse(entry.get("title", "")),
        authors=tuple(collapse(a.get("name", "")) for a in entry.get("authors", [])),
        arxiv_id=arxiv.id,
        doi=normalize_doi(entry.get("arxiv_doi", "")),
        versions=tuple(versions),
        published=published,
        updated=updated,
        year=published.year if published else None,
        journal_ref=collapse(entry.get("arxiv_journal_ref", "")) or None,
        abstract=collapse(entry.get("summary", "")) or None,
        categories=tuple([primary] if primary else []) + tuple(categories),
        links=links,
        comments=collapse(entry.get("arxiv_comment", "")) or None,
    )


def _day(parsed: Sequence[int] | None) -> date | None:
    return date(parsed[0], parsed[1], parsed[2]) if parsed else None
