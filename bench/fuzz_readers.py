"""Fuzz the input side: random and mutated inputs through every reader, crashes reported.

Targets: ``files.decode``; the text reader; the HTML and Markdown readers when they exist
(``cleaner.readers.html`` / ``cleaner.readers.markdown``); the JSON Lines and WARC record readers
of ``cleaner.sources``. The inputs are mutations of the documents in ``seeds/`` (bit flips,
cut, spliced, repeated, with hostile tokens put in) plus purely random bytes, from a fixed seed,
so a run is repeatable. A CleanerError is the expected way to refuse an input; anything else,
or a case slower than the time limit, is a crash: its input goes to ``bench/out/fuzz/`` with the
traceback beside it, to be replayed with ``--replay FILE``.

    python bench/fuzz_readers.py                # 5,000 cases, seed 0
    python bench/fuzz_readers.py 20000 --seed 3
    python bench/fuzz_readers.py --replay bench/out/fuzz/html-00042.bin
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import io
import json
import random
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cleaner import files, sources  # noqa: E402
from cleaner.errors import CleanerError  # noqa: E402

OUT = ROOT / "bench" / "out" / "fuzz"
LIMIT = 20.0  # seconds a single case may take before it counts as a hang

HTML_SEED = (b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Budget passes</title>"
             b"<meta property='og:title' content='Budget passes'></head><body><nav><a href='/'>Home</a></nav>"
             b"<article><h1>Budget passes</h1><p>The council approved the budget on Tuesday after a long "
             b"debate.</p><p>Share this article</p><ul><li>One</li><li>Two</li></ul><table><tr><td>a</td>"
             b"<td>b</td></tr></table><pre><code>x = 1</code></pre><blockquote>A quote.</blockquote>"
             b"<p>Officials said the new spending would begin in the spring.</p></article>"
             b"<footer>&copy; 2024 Example</footer></body></html>")
TOKENS = [b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80", b"\r", b"\r\n",
          b"\n\n", b"<", b">", b"</p>", b"<p>", b"<script>", b"<![CDATA[", b"<!--", b"-->", b"&#0;", b"&#xD800;",
          b"&amp", b"```", b"~~~", b"---\n", b"+++\n", b"> ", b"- ", b"1. ", b"#", b"|---|", b"\\", b'"', b"{", b"}",
          b"WARC/1.0\r\n", b"Content-Length: 99999999\r\n", b"\r\n\r\n", b"\x1f\x8b\x08", b"\t", "\u2028".encode(),
          "\u0301".encode() * 50, b"a" * 5000, b"<div>" * 300, b"> " * 200, b"[" * 500, b"*" * 1000]


def seed_documents() -> list[bytes]:
    seeds = [p.read_bytes() for p in sorted((ROOT / "seeds").iterdir()) if p.is_file()]
    return seeds + [HTML_SEED]


def warc_of(body: bytes, uri: str = "https://example.com/a") -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    """One to four random edits of ``data``."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        at = rng.randint(0, len(data))
        if op == 0 and data:  # flip bits
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(data))
                data[i] ^= 1 << rng.randrange(8)
        elif op == 1:  # cut short
            data = data[:at]
        elif op == 2:  # delete a span
            del data[at:at + rng.randint(1, 200)]
        elif op == 3:  # hostile token
            data[at:at] = rng.choice(TOKENS) * rng.choice((1, 1, 2, 50))
        elif op == 4 and data:  # repeat a span
            start = rng.randrange(len(data))
            span = data[start:start + rng.randint(1, 300)]
            data[at:at] = span * rng.randint(2, 20)
        elif op == 5:  # splice another seed
            other = rng.choice(pool)
            start = rng.randrange(max(1, len(other)))
            data[at:at] = other[start:start + rng.randint(1, 2000)]
        elif op == 6:  # random bytes
            data[at:at] = rng.randbytes(rng.randint(1, 64))
        else:  # change an encoding wholesale
            try:
                data = bytearray(bytes(data).decode("utf-8", "replace").encode(
                    rng.choice(["utf-16", "latin-1", "cp1252", "utf-32", "shift_jis"]), "replace"))
            except (UnicodeError, LookupError):
                pass
    return bytes(data)


def as_text(data: bytes) -> str:
    try:
        return files.decode(data, "fuzz")
    except CleanerError:
        return data.decode("utf-8", "replace")


def reader_targets() -> dict[str, Callable[[bytes], object]]:
    from cleaner import readers
    targets: dict[str, Callable[[bytes], object]] = {
        "decode": lambda data: files.decode(data, "fuzz"),
        "text": lambda data: readers.read(as_text(data), "text", "fuzz.txt"),
    }
    for fmt in ("html", "markdown"):
        if importlib.util.find_spec(f"cleaner.readers.{fmt}") is not None:
            targets[fmt] = (lambda f: lambda data: readers.read(as_text(data), f, f"fuzz.{f}"))(fmt)
    targets["jsonl"] = lambda data: [r for r in sources.jsonl_records(io.BytesIO(data), "fuzz.jsonl", "text", 1 << 20)]
    if importlib.util.find_spec("warcio") is not None:
        targets["warc"] = lambda data: [r for r in sources.warc_records(io.BytesIO(data), "fuzz.warc", 1 << 20)]
    return targets


def inputs_for(target: str, data: bytes) -> bytes:
    """Seeds fit for the target: JSON Lines and WARC wrap the document first."""
    if target == "jsonl":
        text = data.decode("utf-8", "replace")
        return (json.dumps({"id": 1, "text": text}) + "\n" + json.dumps({"id": 2, "html": text}) + "\n").encode()
    if target == "warc":
        record = warc_of(data)
        return record + gzip.compress(warc_of(data[: len(data) // 2], "https://example.com/b"))
    return data


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def run_case(target: Callable[[bytes], object], data: bytes) -> tuple[str | None, float]:
    """(traceback or None, seconds) for one input."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, LIMIT)
    started = time.perf_counter()
    try:
        target(data)
        return None, time.perf_counter() - started
    except CleanerError:
        return None, time.perf_counter() - started
    except Hang:
        return f"hang: more than {LIMIT:g} s\n", time.perf_counter() - started
    except Exception:
        return traceback.format_exc(), time.perf_counter() - started
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def fuzz(cases: int, seed: int) -> int:
    rng = random.Random(seed)
    pool = seed_documents()
    targets = reader_targets()
    crashes = {name: 0 for name in targets}
    slowest = {name: 0.0 for name in targets}
    started = time.monotonic()
    for case in range(cases):
        if rng.random() < 0.1:
            base = rng.randbytes(rng.randint(0, 3000))
        else:
            base = mutate(rng.choice(pool), rng, pool)
        for name, target in targets.items():
            data = inputs_for(name, base) if name in ("jsonl", "warc") else base
            if name in ("jsonl", "warc") and rng.random() < 0.5:
                data = mutate(data, rng, pool)
            error, seconds = run_case(target, data)
            slowest[name] = max(slowest[name], seconds)
            if error:
                crashes[name] += 1
                OUT.mkdir(parents=True, exist_ok=True)
                stem = OUT / f"{name}-{case:05}"
                stem.with_suffix(".bin").write_bytes(data)
                stem.with_suffix(".txt").write_text(error)
                print(f"crash: {name} case {case}: {error.strip().splitlines()[-1]} ({stem}.bin)", flush=True)
        if (case + 1) % 500 == 0:
            print(f"... {case + 1} cases, {sum(crashes.values())} crashes, {time.monotonic() - started:.0f} s",
                  file=sys.stderr, flush=True)
    missing = [fmt for fmt in ("html", "markdown", "warc") if fmt not in targets]
    parts = ", ".join(f"{name} {crashes[name]}" for name in targets)
    print(f"fuzz_readers: {cases} cases, seed {seed}, {time.monotonic() - started:.0f} s: crashes: {parts}"
          f" (total {sum(crashes.values())}); slowest case {max(slowest.values()):.2f} s"
          + (f"; not available: {', '.join(missing)}" if missing else ""))
    return 1 if any(crashes.values()) else 0


def replay(path: Path) -> int:
    name = path.name.split("-")[0]
    target = reader_targets()[name]
    error, seconds = run_case(target, path.read_bytes())
    print(error or f"{name}: no crash ({seconds:.2f} s)")
    return 1 if error else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="?", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replay", type=Path, help="run one saved input again")
    args = parser.parse_args(argv)
    if args.replay:
        return replay(args.replay)
    return fuzz(args.cases, args.seed)


if __name__ == "__main__":
    sys.exit(main())
