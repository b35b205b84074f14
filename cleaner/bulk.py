"""Many documents: work items, per-document isolation, and a process pool with stable order.

Each item is cleaned alone: an error becomes that item's outcome and the others go on. Workers
build one Cleaner per configuration and keep it, so rules are compiled once per process.
"""
from __future__ import annotations

import functools
import multiprocessing
import os
import signal
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from cleaner import files, readers, render
from cleaner.api import Cleaner
from cleaner.config import Config
from cleaner.errors import CleanerError, InputError
from cleaner.report import explain_lines


@dataclass
class Item:
    """One document to clean: a file (read by the worker), or text/bytes already in hand."""

    index: int
    name: str
    config: Config
    path: Path | None = None
    rel: Path | None = None
    data: bytes | str | None = None
    source_format: str = "auto"
    fields: dict[str, Any] | None = None
    error: CleanerError | None = None


@dataclass
class Outcome:
    """What became of one item. ``original`` is the decoded input (for --diff and --in-place)."""

    item: Item
    output: str | None = None
    original: str | None = None
    source_format: str = "text"
    edits: int = 0
    edits_by_rule: Counter = field(default_factory=Counter)
    explain: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def changed(self) -> bool:
        """True when a rule changed the document."""
        return self.edits > 0


@functools.lru_cache(maxsize=16)
def cleaner_for(config: Config, grammar_url: str | None = None) -> Cleaner:
    """One Cleaner per configuration per process (rules compiled once)."""
    from cleaner.grammar_setup import stage_for_url
    return Cleaner(config, grammar=stage_for_url(config, grammar_url))


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def clean_item(item: Item, to: str | None, explain: bool, grammar_url: str | None = None,
               render_options: dict | None = None) -> Outcome:
    """Clean one item; ``to=None`` renders in the input's own format (for in-place writes)."""
    if item.error is not None:
        return Outcome(item, error=str(item.error))
    use_alarm = item.config.timeout and hasattr(signal, "SIGALRM")
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, item.config.timeout)
    try:
        return _clean(item, to, explain, grammar_url, render_options or {})
    except CleanerError as exc:
        return Outcome(item, error=str(exc) if exc.path else f"{item.name}: {exc}")
    except _Timeout:
        return Outcome(item, error=f"{item.name}: took longer than {item.config.timeout:g} s "
                                   "(raise the timeout, or split the document)")
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _clean(item: Item, to: str | None, explain: bool, grammar_url: str | None, options: dict) -> Outcome:
    cleaner = cleaner_for(item.config, grammar_url)
    data = item.data
    if data is None and item.path is not None:
        data = files.read_document_bytes(item.path, item.config.max_bytes)
    if isinstance(data, bytes):
        if not data.strip():
            raise InputError("file is empty", hint="nothing to clean", path=item.name)
    doc = cleaner.parse(data or "", source_format=item.source_format, name=item.name)
    original = _original_text(data)
    cleaner.pipeline.run(doc)
    fmt = to or {"text": "text", "markdown": "markdown", "html": "html"}[doc.source_format]
    output = render.render(doc, fmt, **(options if fmt == "html" else {}))
    return Outcome(item, output=output, original=original, source_format=doc.source_format,
                   edits=len(doc.edits), edits_by_rule=Counter(e.rule for e in doc.edits),
                   explain=explain_lines(doc) if explain else [], warnings=list(doc.warnings))


def _original_text(data: bytes | str | None) -> str | None:
    if isinstance(data, str) or data is None:
        return data
    try:
        return files.decode(data)
    except CleanerError:
        return None


def process(items: Iterable[Item], *, to: str | None, jobs: int = 1, explain: bool = False,
            grammar_url: str | None = None, render_options: dict | None = None) -> Iterator[Outcome]:
    """Clean every item, yielding outcomes in input order; ``jobs`` > 1 uses a process pool."""
    work = functools.partial(clean_item, to=to, explain=explain, grammar_url=grammar_url,
                             render_options=render_options)
    if jobs <= 1:
        yield from map(work, items)
        return
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    with context.Pool(jobs) as pool:
        yield from pool.imap(work, items, chunksize=4)


def discover_items(inputs: list[str], config_for, *, source_format: str = "auto") -> Iterator[Item]:
    """Items for files and folders (walked recursively for known extensions)."""
    for index, (path, rel) in enumerate(files.discover(inputs)):
        yield Item(index, str(path), config_for(path), path=path, rel=rel, source_format=source_format)


def output_path(out_dir: Path, rel: Path, to: str) -> Path:
    """Where an item's output goes under ``-o DIR``: the input's relative path, new suffix."""
    return (out_dir / rel).with_suffix(render.SUFFIX[to])


__all__ = ["Item", "Outcome", "clean_item", "discover_items", "output_path", "process", "readers"]
