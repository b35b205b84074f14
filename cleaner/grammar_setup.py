"""Choosing the grammar stage for a run: a LanguageTool server when provisioned, else none.

The main process starts (or finds) one server per run and hands its URL to every worker;
each worker builds its own grammar stage against that URL. The server is stopped when the
run ends, also on Ctrl-C or an error.
"""
from __future__ import annotations

import contextlib
import sys
from typing import Iterator

from cleaner.config import Config
from cleaner.errors import CleanerError
from cleaner.rulebook import RuleSet

_NOT_PROVISIONED = ("LanguageTool is not provisioned", "run 'make setup' in the cleaner checkout, "
                    "pass --languagetool-url, or --no-grammar")


@contextlib.contextmanager
def grammar_server(config: Config, *, quiet: bool = False) -> Iterator[str | None]:
    """Yield the URL of a LanguageTool server for this run (None: grammar off or unavailable).

    ``grammar = "auto"`` skips the stage with one note when LanguageTool cannot be had;
    ``"require"`` makes that an error.
    """
    if config.grammar == "off":
        yield None
        return
    from cleaner import languagetool as lt

    if config.languagetool_url:
        if not lt.healthcheck(config.languagetool_url, timeout=5.0):
            _unavailable(config, f"no LanguageTool answers at {config.languagetool_url}",
                         "start it, or drop --languagetool-url", quiet)
            yield None
            return
        yield config.languagetool_url
        return
    home = lt.find_languagetool(config.languagetool_jars)
    if home is None:
        _unavailable(config, *_NOT_PROVISIONED, quiet)
        yield None
        return
    try:
        server = lt.LanguageToolServer(home).start()
    except lt.LanguageToolError as exc:
        _unavailable(config, f"LanguageTool did not start: {exc.message}", exc.hint or "see the message", quiet)
        yield None
        return
    try:
        yield server.url
    finally:
        server.stop()


def _unavailable(config: Config, message: str, hint: str, quiet: bool) -> None:
    if config.grammar == "require":
        raise CleanerError(message, hint=hint)
    if not quiet:
        print(f"cleaner: note: grammar stage skipped: {message} ({hint})", file=sys.stderr)


def stage_for_url(config: Config, rules: RuleSet, url: str | None):
    """The grammar stage talking to ``url``, or None when there is no server."""
    if url is None or config.grammar == "off":
        return None
    from cleaner.languagetool import GrammarClient
    from cleaner.stages.grammar import GrammarStage

    return GrammarStage(GrammarClient(url), rules, suggestions=config.grammar_suggestions)
