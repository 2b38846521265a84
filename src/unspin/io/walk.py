"""The one walker: files, folders and glob patterns to the files every command reads.

Folders are walked recursively in name order, taking files of a supported
format and skipping hidden ones. A quoted glob pattern (``'crawl/**/*.warc.gz'``,
for argument lists too long for a shell) works like a folder walk filtered by
the pattern. Problems (a missing path, an unsupported file named directly, a
folder with nothing to read) come out as BadRecords in walk order, so a typo
never silently reads nothing.
"""

from __future__ import annotations

import glob
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from unspin.io.formats import FORMATS, SUFFIX_LIST, suffix_of
from unspin.io.records import DEFAULT_MAX_DOCUMENT_BYTES, BadRecord, Item, as_items, os_reason

_GLOB_MAGIC = re.compile(r"[*?[]")


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file to read.

    ``name`` is the id of its document when the file holds one article: the
    path relative to the folder (or pattern) it was found under, with POSIX
    separators, or the file's name when it was given directly. ``where``
    names the file in messages.
    """

    path: Path
    name: str
    where: str


def read_documents(
    paths: Sequence[str | Path], *, max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
) -> Iterator[Item]:
    """Every article in ``paths`` (files, folders, glob patterns), and a BadRecord per problem.

    Record formats are streamed one record at a time; no article or record
    over ``max_document_bytes`` is ever held in memory.
    """
    for found in walk(paths):
        if isinstance(found, BadRecord):
            yield found
        else:
            yield from read_file(found, max_document_bytes=max_document_bytes)


def read_file(
    file: InputFile, *, max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
) -> Iterator[Item]:
    """Every article of one file found by :func:`walk`; every problem becomes a BadRecord."""
    suffix = suffix_of(file.path)
    if suffix is None:
        yield BadRecord(file.where, _unsupported(file.path))
        return
    read = FORMATS[suffix].read
    yield from as_items(read(file.path, file.name, file.where, max_document_bytes), file.where)


def find_inputs(paths: Sequence[str | Path]) -> tuple[list[InputFile], list[BadRecord]]:
    """The files :func:`walk` finds, and its problems, as two lists."""
    files: list[InputFile] = []
    problems: list[BadRecord] = []
    for found in walk(paths):
        if isinstance(found, BadRecord):
            problems.append(found)
        else:
            files.append(found)
    return files, problems


def estimate_records(files: Sequence[InputFile]) -> int | None:
    """About how many records ``files`` hold (for a progress bar), or None when unknown.

    Parquet knows its row count; JSON lines and CSV are counted by lines
    (cheap next to checking them); WARC cannot be counted without reading it.
    """
    total = 0
    for file in files:
        suffix = suffix_of(file.path)
        count = FORMATS[suffix].count if suffix is not None else None
        if count is None:
            return None
        try:
            total += count(file.path)
        except Exception:  # a broken file is reported when read, not here
            return None
    return total


def walk(paths: Sequence[str | Path]) -> Iterator[InputFile | BadRecord]:
    """The files to read under ``paths``, in order, and a BadRecord for each problem."""
    if isinstance(paths, str | Path):  # a bare string is a Sequence too: one path, not characters
        paths = [paths]
    for given in paths:
        path = Path(given)
        where = str(given)
        try:
            info = path.stat()
        except FileNotFoundError:
            if _GLOB_MAGIC.search(where):
                yield from _walk_pattern(where)
            else:
                yield BadRecord(where, "no such file or folder")
            continue
        except OSError as error:
            yield BadRecord(where, os_reason(error))
            continue
        if stat.S_ISDIR(info.st_mode):
            files = _input_files(path, _walk_folder(path, "", {_inode(info)}))
            yield from _unless_empty(files, where, "in folder")
        elif suffix_of(path) is None:
            yield BadRecord(where, _unsupported(path))
        else:
            yield InputFile(path, path.name, where)


def _walk_pattern(pattern: str) -> Iterator[InputFile | BadRecord]:
    """The files matching a glob pattern (folders that match are walked), ids relative to
    the pattern's fixed leading folders."""
    root = Path(*_fixed_parts(Path(pattern).parts))

    def found() -> Iterator[str | BadRecord]:
        for match in sorted(glob.glob(pattern, recursive=True)):
            path = Path(match)
            relative = path.relative_to(root).as_posix()
            relative = "" if relative == "." else relative
            try:
                if path.is_dir():
                    yield from _walk_folder(root, relative, {_inode(path.stat())})
                elif path.is_file() and suffix_of(path) is not None:
                    yield relative
            except OSError as error:
                yield BadRecord(match, os_reason(error))

    yield from _unless_empty(_input_files(root, found()), pattern, "match")


def _fixed_parts(parts: Sequence[str]) -> Iterator[str]:
    for part in parts:
        if _GLOB_MAGIC.search(part):
            return
        yield part


def _input_files(root: Path, found: Iterator[str | BadRecord]) -> Iterator[InputFile | BadRecord]:
    for item in found:
        yield (
            item if isinstance(item, BadRecord) else InputFile(root / item, item, str(root / item))
        )


def _unless_empty(
    found: Iterator[InputFile | BadRecord], where: str, verb: str
) -> Iterator[InputFile | BadRecord]:
    """``found``, or a BadRecord when it is empty: else a typo would silently read nothing."""
    found_any = False
    for item in found:
        found_any = True
        yield item
    if not found_any:
        yield BadRecord(where, f"no {SUFFIX_LIST} files {verb}")


def _walk_folder(root: Path, prefix: str, seen: set[tuple[int, int]]) -> Iterator[str | BadRecord]:
    """The supported files under ``root/prefix`` as POSIX paths relative to ``root``."""
    folder = root / prefix if prefix else root
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield BadRecord(str(folder), os_reason(error))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        relative = f"{prefix}/{entry.name}" if prefix else entry.name
        try:
            if entry.is_dir():
                # Symlinked folders are followed, but each folder only once: no loops.
                inode = _inode(entry.stat())
                if inode not in seen:
                    seen.add(inode)
                    yield from _walk_folder(root, relative, seen)
            elif entry.is_file() and suffix_of(Path(entry.name)) is not None:
                yield relative
        except OSError as error:
            yield BadRecord(str(root / relative), os_reason(error))


def _unsupported(path: Path) -> str:
    shown = f"'{path.suffix.lower()}'" if path.suffix else "(no extension)"
    return f"unsupported file type {shown}; expected {SUFFIX_LIST}"


def _inode(info: os.stat_result) -> tuple[int, int]:
    return (info.st_dev, info.st_ino)
