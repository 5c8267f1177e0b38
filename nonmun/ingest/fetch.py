"""Fetching pages and feeds by URL (httpx): timeouts, a total deadline, redirects, a size
limit and clear errors.

httpx's timeouts bound each read, not the whole answer: a server that sends a
byte every few seconds would never time out. Every fetch therefore also has a
deadline for the whole body and a size limit, checked as the bytes arrive.
"""

from __future__ import annotations

import time

import httpx

from nonmun import __version__
from nonmun.errors import NetworkError

MAX_BYTES = 20 << 20


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


class Fetcher:
    """GETs documents; ``transport`` is replaceable for tests."""

    def __init__(
        self,
        timeout: float = 20.0,
        transport: httpx.BaseTransport | None = None,
        *,
        deadline: float = 60.0,
        max_bytes: int = MAX_BYTES,
    ):
        self.deadline, self.max_bytes = deadline, max_bytes
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
            transport=transport,
            headers={"User-Agent": f"nonmun/{__version__} (paper-review importer)"},
        )

    def get(self, url: str) -> bytes:
        """The body at ``url``; unreachable, failing, slow or oversized answers are errors."""
        end = time.monotonic() + self.deadline
        try:
            with self._http.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise NetworkError(f"HTTP {response.status_code}", source=url)
                body = bytearray()
                # decoded as it comes: a compressed chunk of a network read (≤ 64 KB)
                # holds at most ~70 MB, so a compression bomb stops at the limit
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise NetworkError(f"larger than {self.max_bytes >> 20} MB", source=url)
                    if time.monotonic() > end:
                        raise NetworkError(
                            f"took longer than {self.deadline:.0f} s; gave up", source=url
                        )
                return bytes(body)
        except httpx.TimeoutException:
            raise NetworkError("timed out", source=url) from None
        except httpx.InvalidURL as exc:
            raise NetworkError(f"not a valid URL ({exc})", source=url) from None
        except httpx.HTTPError as exc:
            raise NetworkError(f"cannot fetch ({type(exc).__name__})", source=url) from None

    def close(self) -> None:
        self._http.close()
