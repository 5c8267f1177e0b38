"""The packages depend one way: each imports only lower layers (docs/design.md)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "scripts" / "layers.py"


def test_packages_import_only_lower_layers() -> None:
    spec = importlib.util.spec_from_file_location("layers", SCRIPT)
    assert spec is not None and spec.loader is not None
    layers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(layers)
    assert layers.imports()["cli"], "the import graph was read"
    assert layers.violations() == []


def test_writers_announce_and_the_search_index_listens() -> None:
    """The catalog and the store never import search; the index hears their events."""
    from nonmun.db import events

    events._load_listeners()
    assert any(
        getattr(f, "__module__", "") == "nonmun.search.index"
        for f in events.papers_written._listeners
    )
