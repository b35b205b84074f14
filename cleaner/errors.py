"""Typed errors. They stay exceptions until the CLI renders them as one line each."""
from __future__ import annotations

from pathlib import Path


class CleanerError(Exception):
    """Base of every error the CLI reports as a one-line message (exit 2).

    ``hint`` says what the user can do about it; the CLI prints it after the cause.
    """

    def __init__(self, message: str, *, hint: str | None = None, path: str | Path | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = str(path) if path is not None else None

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        tail = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{tail}"


class RuleFileError(CleanerError):
    """A rule pack that cannot be loaded: names the file, the line and column, and the problem."""

    def __init__(self, path: str | Path, message: str, *, line: int | None = None,
                 col: int | None = None, hint: str | None = None):
        super().__init__(message, hint=hint, path=path)
        self.line = line
        self.col = col

    def __str__(self) -> str:
        where = self.path or "?"
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        tail = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.message}{tail}"


class InputError(CleanerError):
    """A document that cannot be read or cleaned (binary, undecodable, too large, missing)."""


class UsageError(CleanerError):
    """A bad option or combination of options."""


class ConfigError(CleanerError):
    """A broken configuration file."""
