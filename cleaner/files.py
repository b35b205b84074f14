"""Bytes in and out: binary sniffing, encoding detection, atomic writes, input discovery."""
from __future__ import annotations

import codecs
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from cleaner.errors import InputError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SNIFF = 8192


def decode(data: bytes, name: str = "<stdin>", *, declared: str | None = None) -> str:
    """Decode document bytes: BOM, then strict UTF-8, then a declared charset, then detection.

    Binary data (NUL bytes, or mostly control bytes) is refused rather than guessed at.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, name)
    offset = data.find(b"\x00", 0, _SNIFF)
    if offset >= 0:
        raise InputError(f"input is binary (NUL byte at offset {offset})",
                         hint="give a text, HTML or Markdown file", path=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return _detect(data, name)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot decode as {encoding} (byte {exc.start})",
                         hint="re-save the file as UTF-8", path=name) from None


def _detect(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    control = sum(1 for b in data[:_SNIFF] if b < 32 and b not in (9, 10, 12, 13))
    if best is None or control > len(data[:_SNIFF]) * 0.1:
        raise InputError("input is not text in any encoding that could be detected",
                         hint="convert it to UTF-8 first", path=name)
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputError(f"cannot decode as {best.encoding}", hint="convert it to UTF-8 first",
                         path=name) from None


def read_document_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file, refusing folders, unreadable files and files over ``max_bytes``.

    At most ``max_bytes + 1`` bytes are read, so a file that grows while it is read (or a
    device that never ends) cannot exhaust memory.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_big(size, max_bytes, path)
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _too_big(len(data), max_bytes, path, at_least=True)
        return data
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError("is a broken symbolic link", hint="fix or remove the link", path=path) from None
        raise InputError("no such file", hint="check the path", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder", hint="give files, or a folder to walk", path=path) from None
    except PermissionError:
        raise InputError("permission denied", hint="make it readable", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", hint="check the file", path=path) from None


def _too_big(size: int, max_bytes: int, path: Path, at_least: bool = False) -> InputError:
    size_text = f"more than {max_bytes}" if at_least else str(size)
    return InputError(f"file is {size_text} bytes, over the limit of {max_bytes}",
                      hint="raise --max-bytes or split the file", path=path)


# Temporary files of atomic writes: hidden, tagged with the writer's process id, so discovery
# skips them and a later write to the same file can remove those left by a killed run.
_TEMP = re.compile(r"^\.(?P<name>.+)\.cleaner-(?P<pid>\d+)-[^.]+\.tmp$")


def temp_prefix(path: Path) -> str:
    """The name prefix of ``path``'s temporary files while an atomic write is under way."""
    return f".{path.name}.cleaner-{os.getpid()}-"


def atomic_write(path: Path, data: str | bytes, *, newline: str | None = None) -> None:
    """Write ``data`` to ``path`` all or nothing: temp file in the same folder, fsync, rename.

    An existing file's permissions are kept; a symbolic link is followed, so the link stays a
    link and its target gets the new content. A run killed at any moment leaves either the old
    file or the new one, never a truncated one; its temporary file is hidden, and removed by
    the first write into the same folder by a later run.
    """
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    if path.parent not in _SWEPT:
        _SWEPT.add(path.parent)
        sweep_stale_temps(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


#: Folders already swept by this process (one listing per folder, however many files it gets).
_SWEPT: set[Path] = set()


def sweep_stale_temps(folder: Path) -> int:
    """Remove the temporary files in ``folder`` left by writers that are no longer running."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        match = _TEMP.match(entry.name)
        if not match or _alive(int(match["pid"])):
            continue
        try:
            os.unlink(entry.path)
            removed += 1
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


DOCUMENT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".md", ".markdown", ".mdown")
JSONL_SUFFIXES = (".jsonl",)
WARC_SUFFIXES = (".warc", ".warc.gz")
CONTAINER_SUFFIXES = JSONL_SUFFIXES + WARC_SUFFIXES
INPUT_SUFFIXES = DOCUMENT_SUFFIXES


def container_kind(path: Path | str) -> str | None:
    """``"jsonl"`` or ``"warc"`` for files holding many documents, else None."""
    name = str(path).lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    return None


@dataclass(frozen=True)
class Found:
    """One input found by :func:`discover`: the file, its path relative to the folder it was
    found in (its own name for a file given directly), or the error met on the way."""

    path: Path
    rel: Path
    error: InputError | None = None


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression over '/'-separated relative paths.

    ``*`` and ``?`` stay within one path segment, ``**`` spans folders (``**/`` none or
    more), ``[...]`` is a character class (``[!...]`` negated). A pattern without '/' matches
    a name at any depth, as in .gitignore; a trailing '/' is ignored.
    """
    pattern = pattern.strip().rstrip("/")
    if "/" not in pattern:
        pattern = "**/" + pattern
    out, i, n = [], 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (end := _class_end(pattern, i)) > 0:
            body = pattern[i + 1:end]
            body = "^" + body[1:] if body.startswith("!") else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _class_end(pattern: str, start: int) -> int:
    """Index of the ']' closing the class opened at ``start``, or -1."""
    j = start + 1
    if pattern.startswith("!", j):
        j += 1
    if pattern.startswith("]", j):
        j += 1
    return pattern.find("]", j)


class Filter:
    """``--include`` / ``--exclude`` globs, matched against paths relative to the folder given.

    A file is taken when it matches an include pattern (or there are none) and no exclude
    pattern; an excluded folder is not walked at all.
    """

    def __init__(self, include: Iterable[str] = (), exclude: Iterable[str] = ()):
        self.include = [glob_regex(p) for p in include]
        self.exclude = [glob_regex(p) for p in exclude]

    def takes(self, rel: str) -> bool:
        """True when the file at ``rel`` is to be cleaned."""
        if any(p.match(rel) for p in self.exclude):
            return False
        return not self.include or any(p.match(rel) for p in self.include)

    def prunes(self, rel_dir: str) -> bool:
        """True when the folder at ``rel_dir`` is excluded as a whole."""
        return any(p.match(rel_dir) for p in self.exclude)


def discover(paths: list[str], *, include: Iterable[str] = (), exclude: Iterable[str] = (),
             suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES, skip: Path | None = None) -> Iterator[Found]:
    """Expand files and folders into :class:`Found` inputs, in a stable order.

    Folders are walked recursively (sorted, lazily) for files with one of ``suffixes``;
    hidden files and folders are skipped, so are temporary files of atomic writes, and the
    folder ``skip`` (the output folder, when it lies inside an input folder). A path given
    directly is taken as it is, so a missing file fails alone with a clear error, and so does
    a folder that cannot be read.
    """
    filt = Filter(include, exclude)
    skip = skip.resolve() if skip is not None else None
    for name in paths:
        root = Path(name)
        if root.is_dir():
            yield from _walk(root, filt, suffixes, skip)
        else:
            yield Found(root, Path(root.name))


def _walk(root: Path, filt: Filter, suffixes: tuple[str, ...], skip: Path | None) -> Iterator[Found]:
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        while errors:
            yield _folder_error(errors.pop(0))
        folder = Path(dirpath)
        rel_folder = folder.relative_to(root)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not filt.prunes((rel_folder / d).as_posix())
                             and not (skip is not None and (folder / d).resolve() == skip))
        for filename in sorted(filenames):
            if filename.startswith(".") or not filename.lower().endswith(suffixes):
                continue
            rel = rel_folder / filename
            if filt.takes(rel.as_posix()):
                yield Found(folder / filename, rel)
    while errors:
        yield _folder_error(errors.pop(0))


def _folder_error(exc: OSError) -> Found:
    path = Path(exc.filename) if exc.filename else Path("?")
    reason = "permission denied" if isinstance(exc, PermissionError) else f"cannot read: {exc.strerror or exc}"
    return Found(path, Path(path.name),
                 InputError(f"folder {reason}", hint="make it readable, or --exclude it", path=path))


class RecordFile:
    """A JSON Lines output written record by record, and complete only once closed.

    Lines go to a hidden ``.NAME.partial`` file beside the target. After each input record,
    a hidden ``.NAME.progress`` sidecar gets a line ``RECORDS BYTES``: how many input records
    are done, and how long the partial file then was. :meth:`close` makes the partial file
    durable, renames it onto the target and removes the sidecar. A run stopped on the way
    leaves both, so ``--resume`` can cut the partial file back to the last length noted and
    read the input on from the record after (see :meth:`resume_point`).
    """

    def __init__(self, target: Path):
        self.target = Path(target)
        self.partial = self.target.parent / f".{self.target.name}.partial"
        self.progress = self.target.parent / f".{self.target.name}.progress"
        self._out = None
        self._log = None

    def resume_point(self) -> int | None:
        """Input records already done: None when the target is complete, else a count (0: none)."""
        state = self._state()
        if state is not None:
            return state[0]
        return None if self.target.exists() else 0

    def _state(self) -> tuple[int, int] | None:
        """The last (records, bytes) the sidecar noted, when the partial file still holds them."""
        try:
            lines = self.progress.read_bytes().split(b"\n")[:-1]  # the last may be cut short
            size = self.partial.stat().st_size
        except OSError:
            return None
        for line in reversed(lines):
            parts = line.split()
            if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and int(parts[1]) <= size:
                return int(parts[0]), int(parts[1])
        return (0, 0) if lines == [] else None

    def open(self, *, resume: bool = False) -> int:
        """Start writing (or go on where a stopped run left off); returns records already done."""
        self.target.parent.mkdir(parents=True, exist_ok=True)
        state = self._state() if resume else None
        if state is None:
            self._out = open(self.partial, "wb")
            self._log = open(self.progress, "wb")
            return 0
        self._out = open(self.partial, "r+b")
        self._out.truncate(state[1])
        self._out.seek(state[1])
        self._log = open(self.progress, "ab")
        return state[0]

    def write(self, line: str | None, done: int) -> None:
        """Append one output line (None: the record failed) and note that ``done`` records are done."""
        if line:
            self._out.write(line.encode("utf-8"))
            self._out.flush()
        self._log.write(f"{done} {self._out.tell()}\n".encode())
        self._log.flush()

    def close(self) -> None:
        """Make the output complete: fsync, rename onto the target, drop the sidecar."""
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        self._log.close()
        try:
            mode = self.target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(self.partial, mode)
        os.replace(self.partial, self.target)
        os.unlink(self.progress)
        _fsync_dir(self.target.parent)

    def abandon(self) -> None:
        """Stop writing, leaving the partial file and sidecar for ``--resume``."""
        for handle in (self._out, self._log):
            if handle is not None and not handle.closed:
                handle.close()
