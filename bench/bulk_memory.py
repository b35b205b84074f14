"""Memory and throughput of a bulk run: does memory stay flat however many documents go through?

Writes N documents (default 20,000) as text files and as HTML pages into a folder tree, runs

    cleaner clean DIR -o OUT --no-grammar --quiet --jobs J

for each format and each J, samples the resident memory of the whole process tree (the command
and its workers) with psutil every 0.1 s, and reports docs/s, the peak, and the peak in the
first and last tenth of the run (equal means flat), with the machine's load average (the
figures are only comparable on an otherwise idle machine).

The articles are the texts of ../shared/bench-data/scrapinghub-aeb-text/text/ when that folder
exists (91 real articles with the boilerplate scrapers leave, each copy given its own title
and a few of the usual boilerplate lines); otherwise generated prose of similar length. The
script says which it used.

    python bench/bulk_memory.py                 # 20,000 documents, text and HTML, --jobs 1 and 2
    python bench/bulk_memory.py --docs 2000 --jobs 2 --formats text
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from html import escape
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SHARED_TEXTS = ROOT.parent / "shared" / "bench-data" / "scrapinghub-aeb-text" / "text"

BOILERPLATE = ["Share this article", "Advertisement", "Related Articles", "Thank you for reading this post, "
               "don't forget to subscribe!", "Back to top button", "12 comments", "Home > News > World",
               "#News #World #Politics", "Sign up for our newsletter"]
WORDS = ("the council city officials budget year new spring plan said would people school market report "
         "week government million state public company business police court water energy health data "
         "season team project program region local national during after before about which their").split()


def article_texts(seed: int) -> tuple[list[str], str]:
    """Article bodies to build documents from, and where they came from."""
    if SHARED_TEXTS.is_dir():
        texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SHARED_TEXTS.glob("*.txt"))]
        texts = [t for t in texts if t.strip()]
        if texts:
            return texts, f"{len(texts)} articles from {SHARED_TEXTS.relative_to(ROOT.parent)}"
    rng = random.Random(seed)
    texts = []
    for _ in range(100):
        paragraphs = []
        for _ in range(rng.randint(4, 14)):
            sentences = []
            for _ in range(rng.randint(2, 5)):
                words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
                sentences.append(" ".join(words).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        texts.append("\n\n".join(paragraphs))
    return texts, f"generated prose ({SHARED_TEXTS} is absent)"


def paragraphs_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def document(n: int, body: str, rng: random.Random) -> tuple[str, list[str]]:
    """A title and the paragraphs of document n: the article with a few boilerplate lines."""
    paragraphs = paragraphs_of(body)
    for line in rng.sample(BOILERPLATE, k=rng.randint(1, 3)):
        paragraphs.insert(rng.randint(0, len(paragraphs)), line)
    return f"Report {n}: {' '.join(paragraphs_of(body)[0].split()[:6])}", paragraphs


def as_text(title: str, paragraphs: list[str]) -> str:
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def as_html(title: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head><body>"
            "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/sport\">Sport</a></nav>"
            f"<main><article><h1>{escape(title)}</h1>\n{body}\n</article>"
            "<aside><h2>Related Articles</h2><ul><li><a href=\"/a\">Another story</a></li></ul></aside></main>"
            "<footer><p>© 2024 The Daily Example. All rights reserved.</p></footer></body></html>\n")


def write_corpus(folder: Path, count: int, fmt: str, texts: list[str], seed: int) -> int:
    """Write ``count`` documents in folders of 100; returns the bytes written."""
    rng = random.Random(seed)
    total = 0
    for n in range(count):
        title, paragraphs = document(n, texts[n % len(texts)], rng)
        sub = folder / f"batch{n // 100:04}"
        sub.mkdir(parents=True, exist_ok=True)
        data = as_text(title, paragraphs) if fmt == "text" else as_html(title, paragraphs)
        (sub / f"doc{n:06}.{'txt' if fmt == 'text' else 'html'}").write_text(data, encoding="utf-8")
        total += len(data.encode("utf-8"))
    return total


@dataclass
class Sample:
    at: float
    rss: int
    processes: int


def tree_rss(proc: psutil.Process) -> tuple[int, int]:
    """Resident bytes of a process and all its descendants, and how many there are."""
    total, count = 0, 0
    try:
        family = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for member in family:
        try:
            total += member.memory_info().rss
            count += 1
        except psutil.Error:
            pass
    return total, count


def measure(argv: list[str], interval: float = 0.1) -> tuple[float, int, list[Sample], str]:
    """Run ``argv``, sampling the tree's memory; returns (seconds, exit code, samples, stderr)."""
    samples: list[Sample] = []
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(proc.pid)
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.append(proc.stderr.read()), daemon=True)
    reader.start()
    while proc.poll() is None:
        rss, count = tree_rss(watched)
        if count:
            samples.append(Sample(time.monotonic() - started, rss, count))
        time.sleep(interval)
    elapsed = time.monotonic() - started
    reader.join(timeout=5)
    return elapsed, proc.returncode, samples, "".join(stderr)


def window_peak(samples: list[Sample], start: float, end: float, total: float) -> int:
    inside = [s.rss for s in samples if start * total <= s.at <= end * total]
    return max(inside) if inside else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--jobs", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--formats", default="text,html", help="text, html or both")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "bulk_memory")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    texts, origin = article_texts(args.seed)
    print(f"articles: {origin}")
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
          f"python {sys.version.split()[0]}")
    rows = []
    for fmt in args.formats.split(","):
        corpus = args.work / f"in-{fmt}"
        if corpus.exists():
            shutil.rmtree(corpus)
        size = write_corpus(corpus, args.docs, fmt, texts, args.seed)
        print(f"{fmt}: {args.docs} documents, {size / 2**20:.1f} MiB in {corpus}")
        for jobs in [int(j) for j in args.jobs.split(",")]:
            out = args.work / f"out-{fmt}-{jobs}"
            if out.exists():
                shutil.rmtree(out)
            command = [sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out), "--no-grammar",
                       "--quiet", "--jobs", str(jobs)]
            load_before = os.getloadavg()[0]
            elapsed, code, samples, stderr = measure(command)
            load = max(load_before, os.getloadavg()[0])
            written = sum(1 for _ in out.rglob("*.md")) if out.exists() else 0
            peak = max((s.rss for s in samples), default=0)
            first = window_peak(samples, 0.0, 0.1, elapsed)
            last = window_peak(samples, 0.9, 1.0, elapsed)
            procs = max((s.processes for s in samples), default=0)
            row = (f"| {fmt} | {jobs} | {args.docs} | {written} | {code} | {elapsed:.0f} s | {args.docs / elapsed:.0f} "
                   f"| {peak / 2**20:.0f} MiB | {first / 2**20:.0f} MiB | {last / 2**20:.0f} MiB | {procs} | {load:.1f} |")
            rows.append(row)
            print(row, flush=True)
            if code not in (0, 2) or stderr.strip():
                print("stderr:", stderr.strip()[:2000])
    print()
    print("| input | --jobs | documents | written | exit | time | docs/s | peak RSS (tree) | peak, first 10% "
          "| peak, last 10% | processes | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
