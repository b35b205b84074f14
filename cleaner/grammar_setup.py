"""Choosing the grammar stage for a run: a LanguageTool server when provisioned, else none."""
from __future__ import annotations

import contextlib
import sys
from typing import Iterator

from cleaner.config import Config
from cleaner.stages import Stage


@contextlib.contextmanager
def grammar_stage(config: Config, *, quiet: bool = False) -> Iterator[Stage | None]:
    """Yield the grammar stage for this run (or None), and stop its server when the run ends."""
    if config.grammar == "off":
        yield None
        return
    yield None
