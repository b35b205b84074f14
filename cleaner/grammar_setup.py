"""Choosing the grammar stage for a run: a LanguageTool server when provisioned, else none.

The main process starts (or finds) one server per run and hands its URL to every worker;
each worker builds its own grammar stage against that URL.
"""
from __future__ import annotations

import contextlib
from typing import Iterator

from cleaner.config import Config
from cleaner.stages import Stage


@contextlib.contextmanager
def grammar_server(config: Config, *, quiet: bool = False) -> Iterator[str | None]:
    """Yield the URL of a LanguageTool server for this run (None: grammar off or unavailable)."""
    if config.grammar == "off":
        yield None
        return
    yield config.languagetool_url


def stage_for_url(config: Config, url: str | None) -> Stage | None:
    """The grammar stage talking to ``url``, or None when there is no server."""
    return None
