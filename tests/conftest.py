"""Shared fixtures: the repository's folders and a cleaner with the grammar stage off."""
from pathlib import Path

import pytest

from cleaner import Cleaner, Config
from lt_fixture import languagetool_home, languagetool_server, languagetool_url  # noqa: F401  (shared fixtures)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def rule_cleaner() -> Cleaner:
    """The shipped rules, no LanguageTool: the deterministic stages only."""
    return Cleaner(Config(grammar="off"))
