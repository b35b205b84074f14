"""Many documents: work items, per-document isolation, and a process pool with stable order.

Each item is cleaned alone: an error (bad bytes, size or time limit, even a bug) becomes that
item's outcome and the others go on. Workers build one Cleaner per configuration and keep it,
so rules are compiled once per process. The pool is fed through a bounded window, so memory
stays flat however many documents go through, and a worker that dies costs only its own
document.
"""
from __future__ import annotations

import contextlib
import functools
import importlib
import itertools
import json
import multiprocessing
import os
import signal
import threading
import traceback
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from cleaner import files, readers, render
from cleaner.api import Cleaner
from cleaner.config import Config
from cleaner.errors import CleanerError, InputError
from cleaner.report import explain_lines


@dataclass
class Item:
    """One document to clean: a file (read by the worker), or text/bytes already in hand.

    ``label`` names the document in messages (``data.jsonl:12``, ``crawl.warc at offset 5120``;
    the name when unset). A record of a JSON Lines or WARC file has ``container`` (the file it
    came from), ``seq`` (its 1-based number there), ``fields`` (what is carried to its output
    record, with ``field`` the key the cleaned document goes under). ``skip`` items are passed
    through untouched (``--resume``); an ``end`` item closes its container.
    """

    index: int
    name: str
    config: Config
    path: Path | None = None
    rel: Path | None = None
    data: bytes | str | None = None
    source_format: str = "auto"
    fields: dict[str, Any] | None = None
    error: CleanerError | None = None
    label: str | None = None
    url: str | None = None
    charset: str | None = None
    field: str | None = None
    container: str | None = None
    seq: int = 0
    skip: bool = False
    end: bool = False

    @property
    def where(self) -> str:
        """How messages name this document."""
        return self.label or self.name


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
    trace: str | None = None
    skipped: bool = False

    @property
    def changed(self) -> bool:
        """True when a rule changed the document."""
        return self.edits > 0


@dataclass(frozen=True)
class Job:
    """How every item of a run is cleaned (sent once per batch to the workers)."""

    to: str | None = None
    explain: bool = False
    grammar_url: str | None = None
    render_options: tuple[tuple[str, Any], ...] = ()
    keep_original: bool = False
    allow_empty: bool = False
    debug: bool = False


@functools.lru_cache(maxsize=16)
def cleaner_for(config: Config, grammar_url: str | None = None) -> Cleaner:
    """One Cleaner per configuration per process (rules compiled once)."""
    return Cleaner(config, grammar_url=grammar_url)


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def clean_item(item: Item, to: str | None = None, explain: bool = False, grammar_url: str | None = None,
               render_options: dict | None = None, *, job: Job | None = None) -> Outcome:
    """Clean one item; ``to=None`` renders in the input's own format (for in-place writes).

    Never raises: whatever goes wrong becomes the outcome's one-line ``error``.
    """
    if job is None:
        job = Job(to, explain, grammar_url, tuple((render_options or {}).items()), keep_original=to is None)
    if item.skip or item.end:
        return Outcome(item, skipped=True)
    if item.error is not None:
        return Outcome(item, error=_message(item, item.error))
    try:
        _warm_up(item, job)
    except Exception:  # noqa: S110 - the same error comes back, reported, when the item is cleaned
        pass
    timeout = item.config.timeout
    try:
        with _time_limit(timeout):
            return _clean(item, job)
    except CleanerError as exc:
        return Outcome(item, error=_message(item, exc))
    except _Timeout:
        return Outcome(item, error=f"{item.where}: took longer than {timeout:g} s "
                                   "(raise --timeout, or split the document)")
    except Exception as exc:  # a bug must cost one document, not the run
        return Outcome(item, error=f"{item.where}: internal error: {type(exc).__name__}: {exc} "
                                   "(please report it; --debug shows the traceback)",
                       trace=traceback.format_exc() if job.debug else None)


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise _Timeout in the block after ``seconds`` (SIGALRM; main thread only, else no limit).

    The alarm is disarmed inside the caller's try, so one that fires at the last moment is
    still caught there and never escapes.
    """
    if not seconds or seconds <= 0 or not hasattr(signal, "SIGALRM") \
            or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _warm_up(item: Item, job: Job) -> None:
    """Build the Cleaner and import the reader before the clock starts: a worker's first
    document must not spend its time limit on one-off set-up."""
    cleaner_for(item.config, job.grammar_url)
    fmt = item.source_format if item.source_format != "auto" else readers.EXTENSIONS.get(
        Path(item.name).suffix.lower())
    if fmt in ("text", "html", "markdown"):
        importlib.import_module(f"cleaner.readers.{fmt}")


def _message(item: Item, exc: CleanerError) -> str:
    return str(exc) if exc.path else f"{item.where}: {exc}"


def _clean(item: Item, job: Job) -> Outcome:
    data = _source(item)
    if not data.strip():
        if job.allow_empty and isinstance(data, bytes):
            text = data.decode("utf-8", "replace")
            return Outcome(item, output=text, original=text, source_format="text")
        what = f"the '{item.field}' field is empty" if item.field and item.container else "file is empty"
        raise InputError(what, hint="nothing to clean", path=item.where)
    cleaner = cleaner_for(item.config, job.grammar_url)
    if isinstance(data, bytes) and item.charset:
        data = files.decode(data, item.where, declared=item.charset)
    extra = {"url": item.url} if item.url else {}
    doc = cleaner.parse(data, source_format=item.source_format, name=item.name, **extra)
    cleaner.pipeline.run(doc)
    fmt = job.to or {"text": "text", "markdown": "markdown", "html": "html"}[doc.source_format]
    options = dict(job.render_options) if fmt == "html" else {}
    output = render.render(doc, fmt, **options)
    if item.fields is not None:
        output = record_line(item, output, fmt)
    return Outcome(item, output=output, original=_original_text(data) if job.keep_original else None,
                   source_format=doc.source_format, edits=len(doc.edits),
                   edits_by_rule=Counter(e.rule for e in doc.edits),
                   explain=explain_lines(doc) if job.explain else [], warnings=list(doc.warnings))


def _source(item: Item) -> bytes | str:
    """The item's bytes or text: read from its file, or the data in hand (size-checked)."""
    if item.data is None and item.path is not None:
        return files.read_document_bytes(item.path, item.config.max_bytes)
    data = item.data if item.data is not None else b""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > item.config.max_bytes:
        raise InputError(f"document is {size} bytes, over the limit of {item.config.max_bytes}",
                         hint="raise --max-bytes or split the document", path=item.where)
    return data


def record_line(item: Item, output: str, to: str) -> str:
    """The JSON Lines output record of a record input.

    With ``--to json``: the carried fields, then cleaner's JSON object (whose keys win a
    clash). Otherwise: the carried fields with the document field holding the cleaned output.
    """
    fields = item.fields or {}
    if to == "json":
        record = {k: v for k, v in fields.items() if k != item.field}
        record.update(json.loads(output))
    else:
        record = dict(fields)
        record[item.field or to] = output
    return json.dumps(record, ensure_ascii=False) + "\n"


def _original_text(data: bytes | str | None) -> str | None:
    if isinstance(data, str) or data is None:
        return data
    try:
        return files.decode(data)
    except CleanerError:
        return None


def _clean_batch(batch: list[Item], job: Job) -> list[Outcome]:
    return [clean_item(item, job=job) for item in batch]


#: Items sent to a worker at once, and batches in flight per worker: enough to keep every
#: worker busy, few enough that memory does not grow with the size of the run.
BATCH = 8
WINDOW_PER_WORKER = 3


def process(items: Iterable[Item], *, to: str | None, jobs: int = 1, explain: bool = False,
            grammar_url: str | None = None, render_options: dict | None = None,
            keep_original: bool | None = None, allow_empty: bool = False, debug: bool = False,
            min_for_pool: int = 0) -> Iterator[Outcome]:
    """Clean every item, yielding outcomes in input order.

    ``jobs`` > 1 uses that many worker processes, but only once more than ``min_for_pool``
    items are waiting (starting workers costs more than cleaning a handful of documents).
    """
    job = Job(to, explain, grammar_url, tuple((render_options or {}).items()),
              keep_original=(to is None) if keep_original is None else keep_original,
              allow_empty=allow_empty, debug=debug)
    items = iter(items)
    if jobs > 1 and min_for_pool > 0:
        head = list(itertools.islice(items, min_for_pool + 1))
        if len(head) <= min_for_pool:
            jobs = 1
        items = itertools.chain(head, items)
    if jobs <= 1:
        for item in items:
            yield clean_item(item, job=job)
        return
    yield from _pooled(items, job, jobs)


def _batches(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while batch := list(itertools.islice(items, size)):
        yield batch


class _Pool:
    """A process pool that can be replaced when one of its workers dies."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.executor = self._start(jobs)

    @staticmethod
    def _start(jobs: int) -> ProcessPoolExecutor:
        if os.name == "posix":
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["cleaner.bulk", "cleaner.readers.text", "cleaner.readers.html",
                                              "cleaner.readers.markdown"])
        else:
            context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(jobs, mp_context=context)

    def restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start(self.jobs)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _pooled(items: Iterator[Item], job: Job, jobs: int) -> Iterator[Outcome]:
    pool = _Pool(jobs)
    pending: deque[tuple[list[Item], Any]] = deque()
    batches = _batches(items, BATCH)
    try:
        while True:
            while len(pending) < jobs * WINDOW_PER_WORKER and (batch := next(batches, None)) is not None:
                pending.append((batch, pool.executor.submit(_clean_batch, batch, job)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                yield from future.result()
            except BrokenProcessPool:
                # Which document killed its worker is unknown: retry what was in flight one by
                # one in a fresh single worker, so only the culprit fails, then go on as before.
                stranded = [batch] + [b for b, _ in pending]
                pending.clear()
                pool.restart()
                for item in itertools.chain.from_iterable(stranded):
                    yield _isolated(item, job)
    finally:
        pool.close()


def _isolated(item: Item, job: Job) -> Outcome:
    """Clean one item in a worker of its own; a crash there fails that item only."""
    with _Pool._start(1) as executor:
        try:
            return executor.submit(clean_item, item, job=job).result()
        except BrokenProcessPool:
            return Outcome(item, error=f"{item.where}: the worker process cleaning it died "
                                       "(out of memory, or a crash in a library; try it alone with --jobs 1)")


def discover_items(inputs: list[str], config_for: Callable[[Path], Config], *,
                   source_format: str = "auto") -> Iterator[Item]:
    """Items for files and folders (walked recursively for known extensions)."""
    for index, found in enumerate(files.discover(inputs)):
        yield Item(index, str(found.path), config_for(found.path), path=found.path, rel=found.rel,
                   source_format=source_format, error=found.error)


def output_path(out_dir: Path, rel: Path, to: str) -> Path:
    """Where an item's output goes under ``-o DIR``: the input's relative path, new suffix.

    A JSON Lines or WARC input gives a JSON Lines file (``crawl.warc.gz`` → ``crawl.warc.jsonl``).
    """
    kind = files.container_kind(rel)
    if kind == "jsonl":
        return out_dir / rel
    if kind == "warc":
        name = rel.name[:-3] if rel.name.lower().endswith(".gz") else rel.name
        return out_dir / rel.parent / (name + ".jsonl")
    return (out_dir / rel).with_suffix(render.SUFFIX[to])


__all__ = ["Item", "Job", "Outcome", "clean_item", "discover_items", "output_path", "process", "record_line"]
