"""The run's configuration: one immutable value, built from defaults, files and CLI options."""
from __future__ import annotations

from dataclasses import dataclass

GRAMMAR_MODES = ("auto", "off", "require")


@dataclass(frozen=True)
class Config:
    """Everything a run can be told. Immutable, so workers and caches can share it.

    ``rule_dirs`` are extra rule-pack folders; ``disable``/``enable`` switch rules by id;
    ``grammar`` is ``auto`` (use LanguageTool when provisioned), ``off`` or ``require``.
    """

    rule_dirs: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    grammar: str = "auto"
    languagetool_url: str | None = None
    languagetool_jars: str | None = None
    max_bytes: int = 20 * 1024 * 1024
    front_matter: bool = False
