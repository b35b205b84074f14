"""What a run tells the person watching it: a live progress line and the closing summary.

The progress line is drawn on stderr only when stderr is a terminal (and not with --quiet):
redirected to a file or a CI log it would only add noise. Messages printed while it is shown
go through :meth:`Progress.say`, which clears the line first and redraws it after.
"""
from __future__ import annotations

import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Tally:
    """The counts of one run: what the summary and the exit code are made of."""

    cleaned: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    records: bool = False  # some documents were records of JSON Lines / WARC files
    edits: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        """Documents finished this run (cleaned, unchanged or failed)."""
        return self.cleaned + self.unchanged + self.failed

    def rate(self, now: float | None = None) -> float:
        """Documents per second so far."""
        elapsed = (now or time.monotonic()) - self.started
        return self.done / elapsed if elapsed > 0 else 0.0


def summary_lines(tally: Tally, *, top: int = 5) -> list[str]:
    """``3 files cleaned, 12 unchanged, 1 failed in 0.4 s (37.5 docs/s)``, then the rules that
    made the most edits."""
    elapsed = time.monotonic() - tally.started
    unit = "document" if tally.records else "file"
    parts = [f"{tally.cleaned} {unit}{'s' if tally.cleaned != 1 else ''} cleaned", f"{tally.unchanged} unchanged"]
    if tally.failed:
        parts.append(f"{tally.failed} failed")
    if tally.skipped:
        parts.append(f"{tally.skipped} skipped (already done)")
    lines = [", ".join(parts) + f" in {elapsed:.1f} s ({tally.rate():.1f} docs/s)"]
    if tally.edits:
        common = tally.edits.most_common()
        shown = ", ".join(f"{rule} {count}" for rule, count in common[:top])
        more = f", and {len(common) - top} more rules" if len(common) > top else ""
        lines.append(f"edits by rule: {shown}{more}")
    return lines


class Progress:
    """A one-line, self-overwriting progress report on a terminal; nothing elsewhere."""

    def __init__(self, tally: Tally, stream: TextIO | None = None, *, enabled: bool | None = None,
                 interval: float = 0.2):
        self.tally = tally
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = _is_terminal(self.stream) and os.environ.get("TERM") != "dumb"
        self.enabled = enabled
        self.interval = interval
        self._drawn = False
        self._last = 0.0

    def tick(self) -> None:
        """Redraw the line if it is time to (a document has just finished)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._draw(now)

    def say(self, line: str) -> None:
        """Print a message line on the stream without garbling the progress line."""
        self._clear()
        print(line, file=self.stream)
        self.stream.flush()

    def close(self) -> None:
        """Remove the progress line (the summary takes its place)."""
        self._clear()

    def _draw(self, now: float) -> None:
        t = self.tally
        errors = f", {t.failed} error{'s' if t.failed != 1 else ''}" if t.failed else ""
        skipped = f", {t.skipped} skipped" if t.skipped else ""
        self.stream.write(f"\rcleaner: {t.done} docs, {t.rate(now):.1f} docs/s{errors}{skipped}\x1b[K")
        self.stream.flush()
        self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
