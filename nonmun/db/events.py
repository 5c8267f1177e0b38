"""What writers announce, so that data derived from the catalog and the reviews keeps up.

The catalog (papers written or deleted, a whole snapshot loaded), the linker
(nicknames learned) and the review store (reviews written or deleted) announce
their writes here, inside their own transaction; the search index
(``nonmun.search.index``) and the linker's titles (``nonmun.linking.titles``) listen
and update themselves in the same transaction, so they are never behind and a
writer never imports a package above it. Listeners are
the modules named in ``LISTENERS``, imported on the first announcement: no writer
can forget them, and a command that writes nothing never loads them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, ParamSpec

from sqlalchemy import Connection
from sqlalchemy.orm import Session

P = ParamSpec("P")
LISTENERS = ("nonmun.search.index", "nonmun.linking.titles")
_loaded = False


class Event(Generic[P]):
    """One kind of change; ``connect`` a listener, call the event to announce it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Callable[P, Any]] = []

    def connect(self, listener: Callable[P, Any]) -> Callable[P, Any]:
        """Hear this event (usable as a decorator)."""
        self._listeners.append(listener)
        return listener

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> None:
        _load_listeners()
        for listener in self._listeners:
            listener(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Event({self.name!r})"


def _load_listeners() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in LISTENERS:
            importlib.import_module(module)


# papers stored or merged, given as rows of the paper table (id, arxiv_id, title, …)
papers_written: Event[[Connection, Sequence[dict[str, Any]]]] = Event("papers_written")
# papers whose nicknames or other derived data changed, by id
papers_changed: Event[[Connection, Iterable[int]]] = Event("papers_changed")
papers_deleted: Event[[Connection, Sequence[int]]] = Event("papers_deleted")
# many papers at once (a snapshot, a restored export): statistics are worth recounting
catalog_loaded: Event[[Connection]] = Event("catalog_loaded")
# reviews stored (flushed, with their source and authors loaded)
reviews_written: Event[[Session, Iterable[Any]]] = Event("reviews_written")
reviews_deleted: Event[[Connection, Sequence[int]]] = Event("reviews_deleted")
