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
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Iterable, Iterator

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


def _context():
    """Worker processes come from a fork server that has the readers imported already."""
    if os.name != "posix":
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["cleaner.bulk", "cleaner.readers.text", "cleaner.readers.html",
                                    "cleaner.readers.markdown"])
    return context


def _serve(conn: Connection, job: Job) -> None:
    """A worker: clean the batches sent down ``conn`` until told to stop (None) or cut off."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        seq, batch = message
        try:
            conn.send((seq, _clean_batch(batch, job)))
        except (OSError, EOFError):  # the parent is gone or has stopped listening
            return


class _Worker:
    """One worker process and its pipe; ``batch`` is what it is cleaning now (None: idle)."""

    def __init__(self, context, job: Job):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, job), daemon=True)
        self.process.start()
        child.close()
        self.batch: tuple[int, list[Item]] | None = None

    def send(self, seq: int, batch: list[Item]) -> bool:
        self.batch = (seq, batch)
        try:
            self.conn.send((seq, batch))
            return True
        except (OSError, EOFError):
            return False

    def receive(self) -> tuple[int, list[Outcome]] | None:
        """The finished batch, or None when the worker died instead."""
        try:
            if self.conn.poll():
                message = self.conn.recv()
                self.batch = None
                return message
        except (EOFError, OSError):
            pass
        return None

    def stop(self, *, now: bool = False) -> None:
        if not now:
            try:
                self.conn.send(None)
            except (OSError, EOFError):
                pass
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _pooled(items: Iterator[Item], job: Job, jobs: int) -> Iterator[Outcome]:
    """Batches go to idle workers; results come back in any order and leave in input order.

    At most ``jobs * WINDOW_PER_WORKER`` batches are between being read and being yielded, so
    memory does not grow with the run. A worker that dies is replaced, and the batch it had is
    cleaned again one document at a time in processes of their own, so only the document that
    killed it fails.
    """
    context = _context()
    workers = [_Worker(context, job) for _ in range(jobs)]
    batches = enumerate(_batches(items, BATCH))
    done: dict[int, list[Outcome]] = {}
    next_seq, sent, exhausted = 0, 0, False
    finished = False
    try:
        while True:
            for worker in workers:
                if worker.batch is None and not exhausted and sent - next_seq < jobs * WINDOW_PER_WORKER:
                    task = next(batches, None)
                    if task is None:
                        exhausted = True
                    else:
                        sent += 1
                        worker.send(*task)
            while next_seq in done:
                yield from done.pop(next_seq)
                next_seq += 1
            busy = [w for w in workers if w.batch is not None]
            if not busy:
                if exhausted and not done:
                    finished = True
                    return
                continue
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for index, worker in enumerate(workers):
                if worker.batch is None or not {worker.conn, worker.process.sentinel} & ready:
                    continue
                result = worker.receive()
                if result is not None:
                    done[result[0]] = result[1]
                    continue
                worker.process.join(timeout=1)  # the pipe reads as ready once it is cut
                if not worker.process.is_alive():
                    seq, batch = worker.batch
                    worker.stop(now=True)
                    workers[index] = _Worker(context, job)
                    done[seq] = [_isolated(item, job, context) for item in batch]
    finally:
        for worker in workers:
            worker.stop(now=not finished)


def _isolated(item: Item, job: Job, context) -> Outcome:
    """Clean one item in a process of its own; a crash there fails that item only."""
    worker = _Worker(context, job)
    try:
        if worker.send(0, [item]):
            while True:
                wait([worker.conn, worker.process.sentinel])
                result = worker.receive()
                if result is not None:
                    return result[1][0]
                worker.process.join(timeout=1)  # the pipe reads as ready once it is cut
                if not worker.process.is_alive():
                    break
        code = worker.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return Outcome(item, error=f"{item.where}: the worker process cleaning it died ({how}: out of memory, "
                                   "or a crash in a library; try it alone with --jobs 1)")
    finally:
        worker.stop(now=worker.batch is not None)


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


__all__ = ["Item", "Job", "Outcome", "clean_item", "output_path", "process", "record_line"]
