"""Fetching pages and feeds by URL (httpx): timeouts, redirects, a size limit, clear errors."""

from __future__ import annotations

import httpx

from nonmun import __version__
from nonmun.errors import NetworkError

MAX_BYTES = 20 << 20


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


class Fetcher:
    """GETs documents; ``transport`` is replaceable for tests."""

    def __init__(self, timeout: float = 20.0, transport: httpx.BaseTransport | None = None):
        self._http = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            transport=transport,
            headers={"User-Agent": f"nonmun/{__version__} (paper-review importer)"},
        )

    def get(self, url: str) -> bytes:
        """The body at ``url``; unreachable, failing or oversized answers are errors."""
        try:
            with self._http.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise NetworkError(f"HTTP {response.status_code}", source=url)
                body = b""
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_BYTES:
                        raise NetworkError(f"larger than {MAX_BYTES >> 20} MB", source=url)
                return body
        except httpx.TimeoutException:
            raise NetworkError("timed out", source=url) from None
        except httpx.HTTPError as exc:
            raise NetworkError(f"cannot fetch ({type(exc).__name__})", source=url) from None

    def close(self) -> None:
        self._http.close()
