"""Importing by URL, and OPML lists of feeds, from a local server (the network stays out)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from nonmun.db.engine import Hub
from nonmun.db.schema import Review
from nonmun.ingest.fetch import Fetcher
from nonmun.ingest.importer import import_paths

DATA = Path(__file__).parent / "data"
FEED = (
    Path(__file__).parent / "fixtures" / "blog_feeds" / "meituan_tech_blog_rss2.xml"
).read_bytes()
OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>my feeds</title></head><body>
  <outline text="ML blogs">
    <outline text="Meituan" type="rss" xmlUrl="{base}/feed.xml"/>
    <outline text="Gone" type="rss" xmlUrl="{base}/gone.xml"/>
  </outline>
</body></opml>"""


@pytest.fixture
def site() -> Iterator[str]:
    routes: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/slow":  # a byte a second, for ever
                self.send_response(200)
                self.end_headers()
                try:
                    for _ in range(60):
                        self.wfile.write(b"<")
                        self.wfile.flush()
                        time.sleep(1)
                except OSError:  # the client gave up, as it should
                    pass
                return
            body = routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"not found")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes.update({
        "/feed.xml": FEED,
        "/list.opml": OPML.replace(b"{base}", base.encode()),
        "/me.opml": b'<?xml version="1.0"?><opml version="1.0"><body><outline xmlUrl="%s/me.opml"/>'
        b'<outline xmlUrl="%s/again.opml"/></body></opml>' % (base.encode(), base.encode()),
        "/again.opml": b'<opml version="1.0"><body><outline xmlUrl="%s/me.opml"/></body></opml>' % base.encode(),
        "/local.opml": b'<opml version="1.0"><body><outline xmlUrl="%s"/><outline xmlUrl="file://%s"/>'
        b"</body></opml>" % (str(DATA / "ml-papers").encode(), str(DATA / "ml-papers").encode()),
        "/post": (DATA / "html" / "jekyll-minima.html").read_bytes(),
        "/digest.txt": (Path(__file__).parents[1] / "nonmun/data/demo/samples/digest-weekly-arxiv.txt").read_bytes(),
    })  # fmt: skip
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()
    server.server_close()


def test_urls_and_opml(hub: Hub, site: str) -> None:
    report = import_paths(hub, [f"{site}/list.opml", f"{site}/post", f"{site}/digest.txt"])
    assert report.imported == 10 + 1 + 21
    assert report.skipped == [f"{site}/gone.xml: HTTP 404"]
    assert report.shapes[f"{site}/list.opml"] == "OPML (2 feeds)"
    assert report.shapes[f"{site}/post"] == "html (jekyll)"
    with hub.session() as session:
        post = session.scalars(
            select(Review).where(Review.title.like("Deep Double Descent%"))
        ).one()
        assert (
            post.url == "https://duemoo.github.io/2021/05/02/double-descent.html"
        )  # canonical wins
    again = import_paths(hub, [f"{site}/list.opml", f"{site}/post", f"{site}/digest.txt"])
    assert again.unchanged == 32 and again.imported == 0


def test_opml_with_entities_is_refused(hub: Hub, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.opml"
    bomb.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body>&a;</body></opml>'
    )
    report = import_paths(hub, [bomb])
    assert report.skipped == [f"{bomb}: OPML with a DOCTYPE or entities is refused"]


def test_a_slow_server_meets_the_deadline(hub: Hub, site: str) -> None:
    started = time.monotonic()
    report = import_paths(hub, [f"{site}/slow"], fetcher=Fetcher(timeout=5, deadline=2))
    assert time.monotonic() - started < 10
    assert report.skipped == [f"{site}/slow: took longer than 2 s; gave up"]


def test_an_opml_that_lists_itself_is_followed_once(hub: Hub, site: str) -> None:
    report = import_paths(hub, [f"{site}/me.opml"])
    assert report.shapes == {
        f"{site}/me.opml": "OPML (2 feeds)",
        f"{site}/again.opml": "OPML (1 feeds)",
    }
    assert report.skipped == []


def test_an_opml_never_makes_nonmun_read_local_files(hub: Hub, site: str) -> None:
    report = import_paths(hub, [f"{site}/local.opml"])
    assert report.imported == 0
    assert len(report.skipped) == 2
    assert all("an OPML entry must be an http(s) URL" in s for s in report.skipped)


def test_an_invalid_url_is_one_skip(hub: Hub) -> None:
    report = import_paths(hub, ["http://[::1", "https://exa mple.com/x"])
    assert len(report.skipped) == 2 and report.skipped[0].startswith("http://[::1: ")
