"""The layers of nonmun's packages (drawn in docs/design.md), and a check of its imports.

    .venv/bin/python scripts/layers.py

prints which package (or top-level module) imports which, and every import that
goes up or sideways across ``LAYERS``; tests/test_layers.py fails on any. A
package may import its own modules and anything in a lower layer, never a higher
one nor a neighbour in its own layer.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).parents[1] / "nonmun"
LAYERS: list[tuple[str, ...]] = [  # lowest first
    ("errors",),
    ("config", "files", "text", "background"),
    ("db",),  # schema, engines, migrations, and the events writers announce
    ("sources",),
    ("catalog",),
    ("linking", "search"),  # search listens to db.events; neither imports the other
    ("ingest",),  # readers of every format, the one review store, the export format
    ("reviews", "overview", "demo"),
    ("pages",),  # what each page shows, rendering and templates: the site's and the web app's
    ("digests",),  # weeks, assembling issues, rendering one as Markdown, a page or an e-mail
    ("site", "web"),
    ("cli",),
    ("__main__",),
]


def unit(path: Path) -> str:
    """A package (``catalog``) or a top-level module (``reviews``) of nonmun."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return parts[0]


def imports() -> dict[str, set[str]]:
    """Which units each unit imports (at any depth, lazily or not)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        me = unit(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "nonmun" and len(parts) > 1 and parts[1] != me:
                    graph[me].add(parts[1])
    return graph


def violations() -> list[str]:
    """Every import that does not go down the layers (and every unit not in a layer)."""
    level = {name: i for i, layer in enumerate(LAYERS) for name in layer}
    found = []
    for name, imported in sorted(imports().items()):
        for other in sorted(imported):
            if name not in level or other not in level:
                found.append(f"{name} -> {other}: not in LAYERS")
            elif level[other] >= level[name]:
                found.append(f"{name} -> {other}: imports a package of its own or a higher layer")
    return found


if __name__ == "__main__":
    for name, imported in sorted(imports().items()):
        print(f"{name:10} -> {', '.join(sorted(imported))}")
    for line in violations():
        print(line)
