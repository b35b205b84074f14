"""Shared fixtures: the repository's folders and a cleaner with the grammar stage off."""
from pathlib import Path

import pytest

from cleaner import Cleaner, Config

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def rule_cleaner() -> Cleaner:
    """The shipped rules, no LanguageTool: the deterministic stages only."""
    return Cleaner(Config(grammar="off"))
