"""Reading user files, with errors that name the file (and the line) instead of tracebacks."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from nonmun.errors import InputError


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None


def read_text(path: Path) -> str:
    """A UTF-8 text file (a byte-order mark is allowed)."""
    try:
        return read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", source=str(path)) from None


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """``(line number, object)`` for every non-blank line; bad JSON names its line."""
    for number, line in enumerate(read_bytes(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc}", source=str(path), line=number) from None


@contextmanager
def building_dir(target: Path) -> Iterator[Path]:
    """A temporary sibling of ``target`` to build in; swapped in for ``target`` on success.

    Readers of ``target`` see the old folder or the new one, never half of either.
    """
    target = target.resolve()
    building = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    try:
        yield building
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        building.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(building, ignore_errors=True)
