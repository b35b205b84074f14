"""Where documents come from: files, folders, stdin, JSON Lines and WARC files.

Everything here is lazy: a folder is walked as it is cleaned, a JSON Lines or WARC file is read
record by record, so a run holds only the documents in flight. A record that cannot be read
(bad JSON, a truncated WARC record) becomes an item with an error naming the file and the line
or offset; the records after it are still read.
"""
from __future__ import annotations

import contextlib
import io
import json
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from cleaner import files
from cleaner.bulk import Item
from cleaner.config import Config
from cleaner.errors import CleanerError, InputError

#: A JSON Lines field named like a format says what it holds.
_FIELD_FORMATS = {"html": "html", "markdown": "markdown", "md": "markdown", "text": "auto"}
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class Inputs:
    """What the command line says about the inputs.

    ``resume_from`` tells, for a JSON Lines or WARC input, how many of its records are already
    done (None: the whole file is done, skip it); ``done`` tells whether a document's output
    is already complete. Both are set only with ``--resume``.
    """

    paths: list[str]
    source_format: str = "auto"
    jsonl_field: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    containers: bool = True
    skip_dir: Path | None = None
    resume_from: Callable[[str, Path], int | None] | None = None
    done: Callable[[Path], bool] | None = None  # given the input's relative path
    stdin: BinaryIO | None = None
    _count: int = field(default=0, repr=False)

    def next_index(self) -> int:
        self._count += 1
        return self._count - 1


def is_stdin(paths: list[str]) -> bool:
    """True when the input is standard input (no paths, or '-')."""
    return not paths or paths == ["-"]


def items(inputs: Inputs, config_for: Callable[[Path | None], Config]) -> Iterator[Item]:
    """Every document of the inputs, in order, as work items."""
    if is_stdin(inputs.paths):
        yield from _stdin_items(inputs, config_for)
        return
    suffixes = files.DOCUMENT_SUFFIXES + (files.CONTAINER_SUFFIXES if inputs.containers else ())
    for found in files.discover(inputs.paths, include=inputs.include, exclude=inputs.exclude,
                                suffixes=suffixes, skip=inputs.skip_dir):
        try:
            config = config_for(found.path)
        except CleanerError as exc:
            yield Item(inputs.next_index(), str(found.path), Config(), path=found.path, rel=found.rel, error=exc)
            continue
        kind = files.container_kind(found.path) if found.error is None else None
        if kind is not None:
            yield from _container_items(kind, found, config, inputs)
            continue
        item = Item(inputs.next_index(), str(found.path), config, path=found.path, rel=found.rel,
                    source_format=inputs.source_format, error=found.error)
        item.skip = found.error is None and inputs.done is not None and inputs.done(found.rel)
        yield item


def _stdin_items(inputs: Inputs, config_for) -> Iterator[Item]:
    config = config_for(None)
    stream = inputs.stdin or sys.stdin.buffer
    if inputs.jsonl_field:
        yield from _records(jsonl_records(stream, "<stdin>", inputs.jsonl_field, config.max_bytes),
                            "<stdin>", Path("stdin.jsonl"), config, inputs, start=0)
        return
    data = stream.read(config.max_bytes + 1)
    yield Item(inputs.next_index(), "<stdin>", config, data=data, source_format=inputs.source_format)


def _container_items(kind: str, found: files.Found, config: Config, inputs: Inputs) -> Iterator[Item]:
    name = str(found.path)
    if not inputs.containers:
        yield Item(inputs.next_index(), name, config, path=found.path, rel=found.rel, error=InputError(
            "JSON Lines and WARC files are cleaned into new files only", hint="use -o", path=name))
        return
    start = inputs.resume_from(name, found.rel) if inputs.resume_from else 0
    if start is None:
        yield Item(inputs.next_index(), name, config, path=found.path, rel=found.rel, container=name, skip=True)
        return
    try:
        handle = open(found.path, "rb")
    except OSError as exc:
        yield Item(inputs.next_index(), name, config, path=found.path, rel=found.rel,
                   error=_open_error(exc, found.path))
        return
    with handle:
        field_name = inputs.jsonl_field or ("text" if kind == "jsonl" else None)
        records = (jsonl_records(handle, name, field_name, config.max_bytes) if kind == "jsonl"
                   else warc_records(handle, name, config.max_bytes, field_name))
        yield from _records(records, name, found.rel, config, inputs, start=start)


def _open_error(exc: OSError, path: Path) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError("no such file", hint="check the path", path=path)
    if isinstance(exc, IsADirectoryError):
        return InputError("is a folder", hint="give files, or a folder to walk", path=path)
    if isinstance(exc, PermissionError):
        return InputError("permission denied", hint="make it readable", path=path)
    return InputError(f"cannot read: {exc.strerror or exc}", hint="check the file", path=path)


@dataclass
class Record:
    """One record of a JSON Lines or WARC file, before it becomes an item."""

    label: str
    name: str
    data: str | bytes | None = None
    fields: dict | None = None
    field: str | None = None
    source_format: str = "auto"
    url: str | None = None
    charset: str | None = None
    error: CleanerError | None = None


def _records(records: Iterator[Record], name: str, rel: Path, config: Config, inputs: Inputs,
             *, start: int) -> Iterator[Item]:
    """Items for the records of one file (the first ``start`` ones marked done), then the closing item."""
    seq = 0
    for seq, record in enumerate(records, start=1):
        if seq <= start:  # done by the run --resume goes on from
            yield Item(inputs.next_index(), record.name, config, rel=rel, label=record.label,
                       container=name, seq=seq, skip=True)
            continue
        fmt = inputs.source_format if inputs.source_format != "auto" else record.source_format
        yield Item(inputs.next_index(), record.name, config, rel=rel, data=record.data, source_format=fmt,
                   fields=record.fields, error=record.error, label=record.label, url=record.url,
                   charset=record.charset, field=record.field, container=name, seq=seq)
    if seq == 0:
        yield Item(inputs.next_index(), name, config, rel=rel, container=name, seq=0, error=InputError(
            "has no documents", hint="nothing to clean: check the file and --jsonl-field", path=name))
    yield Item(inputs.next_index(), name, config, rel=rel, container=name, seq=seq, end=True)


# --- JSON Lines ------------------------------------------------------------------------------

def jsonl_records(handle: BinaryIO, name: str, field_name: str, max_bytes: int) -> Iterator[Record]:
    """The records of a JSON Lines stream, one per non-blank line.

    Each record's ``field_name`` holds the document; the other fields are carried through.
    A line that is not a JSON object with that field as a string is a record with an error.
    """
    fmt = _FIELD_FORMATS.get(field_name.lower(), "auto")
    for number, line, whole in _lines(handle, max_bytes):
        label = f"{name}:{number}"
        if not whole:
            yield Record(label, label, error=InputError(
                f"record is over the limit of {max_bytes} bytes", hint="raise --max-bytes", path=label))
            continue
        if not line.strip():
            continue
        yield _jsonl_record(line, label, field_name, fmt, first=number == 1)


def _jsonl_record(line: bytes, label: str, field_name: str, fmt: str, *, first: bool) -> Record:
    if first and line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    try:
        value = json.loads(line.rstrip(b"\r\n"))
    except UnicodeDecodeError as exc:
        return Record(label, label, error=InputError(
            f"not UTF-8 (byte {exc.start})", hint="JSON Lines must be UTF-8; fix or remove the line", path=label))
    except ValueError as exc:
        detail = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        return Record(label, label, error=InputError(
            f"not valid JSON: {detail}", hint="fix or remove the line", path=label))
    if not isinstance(value, dict):
        return Record(label, label, error=InputError(
            f"a JSON {type(value).__name__}, not an object", hint="each line must be a JSON object", path=label))
    if field_name not in value:
        return Record(label, label, error=InputError(
            f"no '{field_name}' field", hint="name the document's field with --jsonl-field", path=label))
    document = value[field_name]
    if not isinstance(document, str):
        return Record(label, label, error=InputError(
            f"the '{field_name}' field is not a string", hint="it must hold the document's text", path=label))
    value[field_name] = None
    return Record(label, label, data=document, fields=value, field=field_name, source_format=fmt)


def _lines(handle: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, line, whole) for each line; a line longer than ``max_bytes`` is skipped
    unread past the limit and reported with whole=False."""
    number = 0
    limit = max_bytes + 2  # the record, and its CR LF
    while True:
        line = handle.readline(limit)
        if not line:
            return
        number += 1
        if len(line) >= limit and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, b"", False
            continue
        yield number, line, True


# --- WARC ------------------------------------------------------------------------------------

def warc_records(handle: BinaryIO, name: str, max_bytes: int, field_name: str | None = None) -> Iterator[Record]:
    """The HTML responses of a WARC file (plain or gzipped), read with warcio.

    Only ``response`` records whose HTTP status is 2xx and whose content type is HTML are
    documents; the target URI becomes the document's name and URL. A record that cannot be
    read (truncated, corrupt) becomes a record with an error naming its offset, and reading
    resumes at the next record start found after it.
    """
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:  # pragma: no cover - depends on the installation
        yield Record(name, name, error=InputError("reading WARC files needs the warcio package",
                                                  hint="pip install warcio", path=name))
        return
    gzipped = handle.read(2) == b"\x1f\x8b"
    position: int | None = 0
    while position is not None:
        handle.seek(position)
        start, overran, iterator = position, False, None
        try:
            iterator = ArchiveIterator(handle)
            records = iter(iterator)
            while True:
                with _hushed():
                    warc = next(records, None)
                    if warc is None:
                        break
                    start = iterator.offset
                    record, overran = _read_warc(iterator, warc, name, start, max_bytes, field_name)
                if record is not None:
                    yield record
                if overran:  # it ate the start of the next record: find that again
                    break
            if not overran:
                if _ends_inside_record(handle, iterator.offset):
                    label = f"{name} at offset {iterator.offset}"
                    yield Record(label, label, error=InputError(
                        "truncated record: the file ends inside it",
                        hint="the file was cut short; the records before it were read", path=label))
                return
            position = _next_record_start(handle, start + 1, gzipped)
        except Exception as exc:  # warcio and zlib raise many kinds on damaged input
            failed_at = max(getattr(iterator, "offset", position), start)
            yield _warc_error(exc, name, failed_at)
            position = _next_record_start(handle, max(failed_at, position) + 1, gzipped)


def _hushed():
    """warcio reports some damage itself, on stderr or through logging: that would garble ours."""
    return contextlib.redirect_stderr(io.StringIO())


def _read_warc(iterator, warc, name: str, offset: int, max_bytes: int,
               field_name: str | None) -> tuple[Record | None, bool]:
    """The record for one WARC record (None when it is not an HTML response), and whether it
    ran past its end (a wrong length or a cut: the next record will not parse either)."""
    record = _warc_record(warc, name, offset, max_bytes, field_name)
    missing = getattr(warc.raw_stream, "limit", 0)
    errors = iterator.err_count
    iterator.read_to_end()
    overran = iterator.err_count > errors
    if record is None or record.error is not None:
        return record, overran
    label = record.label
    if missing:
        return Record(label, record.name, error=InputError(
            f"truncated record ({missing} of its {warc.length} bytes missing)",
            hint="the file was cut short; fetch it again", path=label)), overran
    if overran:
        return Record(label, record.name, error=InputError(
            "record runs past its end (truncated, or a wrong Content-Length)",
            hint="the file is damaged; the other records were read", path=label)), True
    return record, False


def _warc_record(warc, name: str, offset: int, max_bytes: int, field_name: str | None) -> Record | None:
    if warc.rec_type != "response" or warc.http_headers is None:
        return None
    status = warc.http_headers.get_statuscode() or ""
    ctype = (warc.http_headers.get_header("Content-Type") or "").lower()
    if not status.startswith("2") or ctype.split(";")[0].strip() not in _HTML_TYPES:
        return None
    uri = warc.rec_headers.get_header("WARC-Target-URI") or f"{name} at offset {offset}"
    label = f"{name} at offset {offset} ({uri})"
    body = warc.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Record(label, uri, error=InputError(f"response is over the limit of {max_bytes} bytes",
                                                   hint="raise --max-bytes", path=label))
    fields = {"url": uri, "warc_date": warc.rec_headers.get_header("WARC-Date"),
              "warc_record_id": warc.rec_headers.get_header("WARC-Record-ID")}
    if field_name:
        fields[field_name] = None
    return Record(label, uri, data=body, fields=fields, field=field_name, source_format="html",
                  url=uri, charset=_charset(ctype))


def _charset(ctype: str) -> str | None:
    for part in ctype.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _ends_inside_record(handle: BinaryIO, end: int) -> bool:
    """True when bytes other than blank lines follow the last record read."""
    handle.seek(end)
    return bool(handle.read(1 << 16).strip(b"\r\n\t \x00"))


def _warc_error(exc: Exception, name: str, offset: int) -> Record:
    label = f"{name} at offset {offset}"
    text = str(exc).strip()
    if isinstance(exc, (EOFError, zlib.error)):
        reason = f"truncated or corrupt ({text or type(exc).__name__})"
    elif "first line" in text:  # warcio quotes the bytes it found, which may be binary
        reason = "no WARC header where a record should start"
    elif "non-chunked gzip" in text:
        reason = "the whole file is one gzip stream, not one per record"
    else:
        reason = "".join(c for c in text.splitlines()[0][:100] if c.isprintable()) if text else type(exc).__name__
    return Record(label, label, error=InputError(
        f"unreadable WARC record: {reason}", hint="the file is damaged or cut short; the other records were read",
        path=label))


def _next_record_start(handle: BinaryIO, after: int, gzipped: bool) -> int | None:
    """The offset of the next record start at or after ``after`` (a WARC header line at the
    start of a line, or a gzip member that inflates to one), or None at the end of the file."""
    marker = b"\x1f\x8b\x08" if gzipped else b"WARC/1."
    position = after
    while True:
        handle.seek(position)
        chunk = handle.read(1 << 16)
        if not chunk:
            return None
        found = chunk.find(marker)
        if found < 0:
            position += max(1, len(chunk) - len(marker))
            continue
        candidate = position + found
        if _starts_record(handle, candidate, gzipped):
            return candidate
        position = candidate + 1


def _starts_record(handle: BinaryIO, offset: int, gzipped: bool) -> bool:
    if not gzipped:
        handle.seek(offset)
        return re.match(rb"WARC/1\.[01]\r?\n", handle.read(10)) is not None
    handle.seek(offset)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(handle.read(4096), 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")
