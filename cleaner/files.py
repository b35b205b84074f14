"""Bytes in and out: binary sniffing, encoding detection, atomic writes, input discovery."""
from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

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
    """Read a file, refusing folders, unreadable files and files over ``max_bytes``."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"file is {size} bytes, over the limit of {max_bytes}",
                             hint="raise --max-bytes or split the file", path=path)
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", hint="check the path", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder", hint="give files, or a folder to walk", path=path) from None
    except PermissionError:
        raise InputError("permission denied", hint="make it readable", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None


def atomic_write(path: Path, data: str | bytes, *, newline: str | None = None) -> None:
    """Write ``data`` to ``path`` all or nothing: temp file in the same folder, fsync, rename.

    An existing file's permissions are kept. A run killed at any moment leaves either the old
    file or the new one, never a truncated one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


INPUT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".md", ".markdown", ".mdown")


def discover(paths: list[str]) -> list[tuple[Path, Path]]:
    """Expand files and folders into (file, path relative to its root) pairs, sorted per folder.

    Folders are walked recursively for known extensions; hidden files and folders are skipped.
    A missing path is returned as is, so it fails alone with a clear error.
    """
    found: list[tuple[Path, Path]] = []
    for name in paths:
        root = Path(name)
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for filename in sorted(filenames):
                    if filename.startswith(".") or not filename.lower().endswith(INPUT_SUFFIXES):
                        continue
                    full = Path(dirpath) / filename
                    found.append((full, full.relative_to(root)))
        else:
            found.append((root, Path(root.name)))
    return found
