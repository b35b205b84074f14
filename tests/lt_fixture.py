"""Session-wide LanguageTool server for the test suite.

Imported by ``tests/conftest.py``, so every test module can ask for its fixtures.
One JVM serves every test that asks for ``languagetool_url``; it starts on first use and stops
when the session ends. A missing LanguageTool is an error, not a skip, so CI cannot go green
without exercising the real server.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner.languagetool import LanguageToolServer, find_languagetool


@pytest.fixture(scope="session")
def languagetool_home() -> Path:
    """The provisioned LanguageTool folder (holding ``jars/``); fails the test if there is none."""
    home = find_languagetool()
    if home is None:
        pytest.fail(
            "LanguageTool is not provisioned: run `make setup` (it fetches the jars into "
            ".cache/languagetool/<version>/) or point CLEANER_LANGUAGETOOL_JARS at such a folder",
            pytrace=False,
        )
    return home


@pytest.fixture(scope="session")
def languagetool_server(languagetool_home: Path) -> Iterator[LanguageToolServer]:
    """A running :class:`LanguageToolServer`, shared by the whole session."""
    with LanguageToolServer(languagetool_home) as server:
        yield server


@pytest.fixture(scope="session")
def languagetool_url(languagetool_server: LanguageToolServer) -> str:
    """``http://127.0.0.1:PORT`` of the session's LanguageTool server."""
    return languagetool_server.url
