"""A local HTTP server that answers like the arXiv API, replaying recorded real responses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

RECORDED = Path(__file__).parent / "fixtures" / "arxiv_api"

BY_ID_LIST = {
    "1707.08567": ("query_idlist_0808.05394_1707.08567.xml", 200),
    "0808.05394,1707.08567": ("query_idlist_0808.05394_1707.08567.xml", 200),
    "astro-ph/0601001": ("query_idlist_astro-ph_0601001.xml", 200),
    "abc": ("query_idlist_abc_http400_error.xml", 400),
}
BY_SEARCH = {
    "testing": "query_search_testing_start0_max10.xml",
    "au:del_maestro": "legacy2016_search_au_del_maestro.xml",
}
EMPTY = "query_idlist_0000.0000_empty.xml"


@dataclass
class Recorder:
    """What the server was asked, and how many failures it should answer first."""

    requests: list[dict[str, list[str]]] = field(default_factory=list)
    fail_first: int = 0


def answer(query: dict[str, list[str]]) -> tuple[bytes, int]:
    id_list = query.get("id_list", [""])[0]
    if id_list in BY_ID_LIST:
        name, status = BY_ID_LIST[id_list]
        return (RECORDED / name).read_bytes(), status
    if id_list:
        return _combined(id_list.split(",")), 200
    search = query.get("search_query", [""])[0]
    if search.startswith("ti:"):  # any title search: the recorded search for "testing"
        search = "testing"
    return (RECORDED / BY_SEARCH.get(search, EMPTY)).read_bytes(), 200


def _combined(ids: list[str]) -> bytes:
    """A feed holding the recorded entries of several ids, as one id_list request returns."""
    entries = []
    for arxiv in ids:
        if arxiv in BY_ID_LIST and BY_ID_LIST[arxiv][1] == 200:
            text = (RECORDED / BY_ID_LIST[arxiv][0]).read_text(encoding="utf-8")
            entries.append(text[text.index("<entry>") : text.rindex("</entry>") + len("</entry>")])
    empty = (RECORDED / EMPTY).read_text(encoding="utf-8")
    return empty.replace("</feed>", "\n".join(entries) + "\n</feed>").encode()


@contextmanager
def arxiv_server() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = parse_qs(urlparse(self.path).query)
            recorder.requests.append(query)
            if recorder.fail_first > 0:
                recorder.fail_first -= 1
                self.send_response(503)
                self.end_headers()
                return
            body, status = answer(query)
            self.send_response(status)
            self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/query", recorder
    finally:
        server.shutdown()
        server.server_close()
