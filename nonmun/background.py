"""Running an iterator in a helper thread, a few items ahead of its consumer.

Decompressing (zlib, lzma) and SQLite (stepping statements, committing) release
the GIL, so a producer thread overlaps them with the Python work of the
consumer. Errors in the producer are raised in the consumer; a consumer that
stops early stops the producer.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
_ITEM, _DONE, _ERROR = range(3)
_POLL = 0.1


def in_background(items: Iterable[T], ahead: int = 2) -> Iterator[T]:
    """Yield ``items``, produced by a helper thread up to ``ahead`` items in advance."""
    channel: queue.Queue[tuple[int, Any]] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def send(message: tuple[int, Any]) -> bool:
        while not stop.is_set():
            try:
                channel.put(message, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not send((_ITEM, item)):
                    return
            send((_DONE, None))
        except BaseException as exc:  # handed to the consumer, who raises it
            send((_ERROR, exc))

    worker = threading.Thread(target=produce, name="nonmun-background", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = channel.get()
            if kind == _DONE:
                return
            if kind == _ERROR:
                raise value
            yield value
    finally:
        stop.set()
        worker.join()
