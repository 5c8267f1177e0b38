"""``nonmun preview``: a built site served on the local machine, to look at before
publishing (Python's own HTTP server; not for the public)."""

from __future__ import annotations

import functools
import http.server
import sys
from collections.abc import Callable
from pathlib import Path

from nonmun.errors import InputError
from nonmun.site.manifest import MARK


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would bury the addresses printed at the start


def serve(site: Path, port: int, say: Callable[[str], None], host: str = "127.0.0.1") -> None:
    """Serve ``site`` until interrupted."""
    if not (site / MARK).is_file():
        raise InputError("no site built here; run `nonmun build` first", source=str(site))
    handler = functools.partial(_Quiet, directory=str(site))
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise InputError(f"cannot serve on port {port}: {exc.strerror}", source=str(site)) from None
    say(f"serving {site} on http://{host}:{port}/ (Ctrl-C stops)")
    sam = site / "papers" / "2010.01412" / "index.html"
    if sam.is_file():
        say(f"  the SAM paper page: http://{host}:{port}/papers/2010.01412/")
    sys.stdout.flush()  # seen at once even through a pipe (make run | tee)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say("stopped")
    finally:
        server.server_close()
