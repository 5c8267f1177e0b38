"""Reading user files and writing outputs, with errors that name the file (and the line).

Reading: every read has a size limit and takes regular files only (a FIFO or
``/dev/zero`` is refused, never read forever). Writing: outputs are built in a
temporary sibling folder and moved into place file by file, so a failure (a full
disk, an interrupted build) leaves the previous output whole, and only files the
previous output owned are ever replaced or removed — never anything else the
target folder holds.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from nonmun.errors import InputError, NonmunError

MAX_FILE_BYTES = 20 << 20  # any single input file (a page, a note, a manifest)
MAX_LINE_BYTES = 4 << 20  # any single line of a JSON-lines file


class DiskFullError(NonmunError):
    """The disk (or the quota) filled up while writing."""

    exit_code = 5


def disk_full(exc: OSError, what: Path | str) -> NonmunError:
    """The one-line error for an ``OSError`` while writing ``what``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"disk full while writing {what}; nothing was changed")
    return NonmunError(f"cannot write: {exc.strerror or exc}", source=str(what))


def regular_file(path: Path) -> os.stat_result:
    """The file's status; anything but a regular file (a FIFO, a device, a folder) is refused."""
    try:
        status = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    if not stat.S_ISREG(status.st_mode):
        what = "a folder" if stat.S_ISDIR(status.st_mode) else "not a regular file"
        raise InputError(f"{what}; only regular files are read", source=str(path))
    return status


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, at most ``limit`` of them (a larger file is an error)."""
    size = regular_file(path).st_size
    if size > limit:
        raise InputError(f"too large ({size >> 20} MB; at most {limit >> 20} MB)", source=str(path))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    if len(data) > limit:  # it grew while we looked
        raise InputError(f"too large (over {limit >> 20} MB)", source=str(path))
    return data


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """A UTF-8 text file (a byte-order mark is allowed)."""
    try:
        return read_bytes(path, limit).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", source=str(path)) from None


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """``(line number, object)`` for every non-blank line; bad JSON names its line.

    Read line by line (at most ``MAX_LINE_BYTES`` each), never whole; ``-`` is standard input.
    """
    if str(path) == "-":
        import sys

        yield from _jsonl(sys.stdin.buffer, "<stdin>")
        return
    regular_file(path)
    try:
        with path.open("rb") as handle:
            yield from _jsonl(handle, str(path))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None


def _jsonl(handle: Any, name: str) -> Iterator[tuple[int, Any]]:
    number = 0
    while line := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) > MAX_LINE_BYTES:
            raise InputError(
                f"line longer than {MAX_LINE_BYTES >> 20} MB", source=name, line=number
            )
        if not line.strip():
            continue
        try:
            yield number, orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc}", source=name, line=number) from None


@contextmanager
def replacing(target: Path, owned: Iterable[str] = ()) -> Iterator[Path]:
    """A temporary folder to build ``target``'s new content in; moved into place on success.

    ``owned`` names (relative paths) the files of the previous output in
    ``target``: those the new output lacks are removed; every other file of
    ``target`` is left alone. It is read when the new files are moved in, so a
    caller may take out of it, meanwhile, files it decided to keep as they are
    (an incremental build). On an error nothing in ``target`` changes.
    """
    target = Path(os.path.abspath(target))
    if target.exists() and not target.is_dir():
        raise InputError("not a folder", source=str(target))
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=parent))
    except OSError as exc:
        raise disk_full(exc, target) from None
    try:
        try:
            yield building
        except OSError as exc:
            raise disk_full(exc, target) from None
        _move_in(building, target, set(owned))
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _move_in(building: Path, target: Path, owned: set[str]) -> None:
    """Move every file of ``building`` into ``target``; remove the stale owned ones."""
    target.mkdir(exist_ok=True)
    new = sorted(p.relative_to(building).as_posix() for p in building.rglob("*") if p.is_file())
    for rel in sorted(owned - set(new)):  # first, so no stale journal meets a new database
        stale = target / rel
        if stale.is_file() or stale.is_symlink():
            stale.unlink()
            _prune(stale.parent, target)
    for rel in new:
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(building / rel, dest)


def _prune(folder: Path, top: Path) -> None:
    """Remove ``folder`` and its parents up to ``top`` while they are empty."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def write_output(path: Path | None, text: str) -> None:
    """Write ``text`` to ``path`` (``None`` or ``-``: standard output) whole or not at all.

    A regular file is written beside itself and renamed over (a symlink's target
    is replaced, not the link); a device or FIFO (``/dev/stdout``) is written to.
    """
    if path is None or str(path) == "-":
        import sys

        sys.stdout.write(text)
        return
    with output_file(path) as handle:
        handle.write(text)


@contextmanager
def output_file(path: Path) -> Iterator[Any]:
    """A text handle for ``path``; the file appears only when everything was written."""
    if path.is_dir():
        raise InputError("is a folder; give a file name", source=str(path))
    if path.exists() and not path.is_file():  # /dev/stdout, a FIFO: write straight to it
        try:
            with path.open("w", encoding="utf-8") as handle:
                yield handle
        except OSError as exc:
            raise disk_full(exc, path) from None
        return
    real = Path(os.path.realpath(path))  # a symlink's target is replaced, not the link
    if not real.parent.is_dir():
        raise InputError(f"no such folder: {real.parent}", source=str(path))
    partial = real.with_name(f".{real.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            yield handle
        os.replace(partial, real)
    except OSError as exc:
        raise disk_full(exc, path) from None
    finally:
        partial.unlink(missing_ok=True)
