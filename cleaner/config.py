"""The run's configuration: one immutable value, built from defaults, files and CLI options.

Configuration files are ``.cleaner.toml`` (top-level keys) or ``pyproject.toml`` (the
``[tool.cleaner]`` table), found by walking up from each input file. Unknown keys are an
error naming the key and the file.
"""
from __future__ import annotations

import difflib
import functools
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from cleaner.errors import ConfigError

GRAMMAR_MODES = ("auto", "off", "require")
#: ``typography`` values and the rules each switches on: ``keep`` leaves quotes as the
#: publisher set them (republishing); ``straight`` turns curly quotes into straight ones.
TYPOGRAPHY = {"keep": (), "straight": ("unicode.straight-quotes",)}


@dataclass(frozen=True)
class Config:
    """Everything a run can be told. Immutable, so workers and caches can share it.

    ``rule_dirs`` are extra rule-pack folders; ``disable``/``enable`` switch rules by id;
    ``grammar`` is ``auto`` (use LanguageTool when provisioned), ``off`` or ``require``;
    ``grammar_suggestions`` asks LanguageTool for everything it finds (slower), not only the
    allow-listed fixes.
    For HTML input: ``url`` is the page's address when the page does not name it (site pack,
    metadata); ``links`` and ``images`` keep them as Markdown; ``site_dirs`` are extra folders
    of site packs. ``front_matter`` writes an HTML page's metadata as YAML front matter.
    ``typography`` is ``keep`` (curly quotes stay) or ``straight`` (see :data:`TYPOGRAPHY`).
    """

    rule_dirs: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    grammar: str = "auto"
    languagetool_url: str | None = None
    languagetool_jars: str | None = None
    max_bytes: int = 20 * 1024 * 1024
    timeout: float = 60.0
    front_matter: bool = False
    links: bool = False
    images: bool = False
    site_dirs: tuple[str, ...] = ()
    url: str | None = None
    grammar_suggestions: bool = False
    typography: str = "keep"

    @property
    def enabled_rules(self) -> tuple[str, ...]:
        """Rules switched on: ``enable`` plus those the ``typography`` setting asks for."""
        return tuple(self.enable) + tuple(r for r in TYPOGRAPHY[self.typography] if r not in self.enable)


#: Keys accepted in a configuration file, and the Config field each sets.
FILE_KEYS = {
    "rules": "rule_dirs",
    "disable": "disable",
    "enable": "enable",
    "grammar": "grammar",
    "languagetool-url": "languagetool_url",
    "languagetool-jars": "languagetool_jars",
    "max-bytes": "max_bytes",
    "timeout": "timeout",
    "front-matter": "front_matter",
    "typography": "typography",
    "links": "links",
    "images": "images",
    "sites": "site_dirs",
}
_LISTS = {"rule_dirs", "disable", "enable", "site_dirs"}


def find_config_file(start: Path) -> Path | None:
    """The nearest ``.cleaner.toml``, or ``pyproject.toml`` with ``[tool.cleaner]``, from ``start`` up."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        dotfile = candidate / ".cleaner.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "cleaner" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


@functools.lru_cache(maxsize=64)
def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", hint="fix the file's syntax", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=path) from None


def file_settings(path: Path) -> dict[str, Any]:
    """The Config fields a configuration file sets, validated; relative rule folders resolved."""
    data = _read_toml(path)
    table = data.get("tool", {}).get("cleaner", {}) if path.name == "pyproject.toml" else data
    where = "[tool.cleaner] in " if path.name == "pyproject.toml" else ""
    settings: dict[str, Any] = {}
    for key, value in table.items():
        if key not in FILE_KEYS:
            close = difflib.get_close_matches(key, FILE_KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(FILE_KEYS)}"
            raise ConfigError(f"unknown key '{key}' {where}".rstrip(), hint=hint, path=path)
        name = FILE_KEYS[key]
        settings[name] = _check(name, value, path)
    for name in ("rule_dirs", "site_dirs"):
        if name in settings:
            settings[name] = tuple(str((path.parent / d).resolve()) for d in settings[name])
    return settings


def _check(name: str, value: Any, path: Path) -> Any:
    expected = {f.name: f.type for f in fields(Config)}[name]
    if name in _LISTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"'{name}' must be a list of strings", path=path)
        return tuple(value)
    if name == "grammar" and value not in GRAMMAR_MODES:
        raise ConfigError(f"grammar must be one of {', '.join(GRAMMAR_MODES)}, not {value!r}", path=path)
    if name == "typography" and value not in TYPOGRAPHY:
        raise ConfigError(f"typography must be one of {', '.join(TYPOGRAPHY)}, not {value!r}", path=path)
    kinds = {"int": int, "float": (int, float), "bool": bool, "str": str}
    for label, kind in kinds.items():
        if label in str(expected) and not isinstance(value, kind):
            raise ConfigError(f"'{name}' must be a {label}, not {value!r}", path=path)
    return value


def merged(base: Config, settings: dict[str, Any], overrides: dict[str, Any]) -> Config:
    """``base`` with a file's ``settings`` applied, then the command line's ``overrides``.

    List settings add up (file rules and CLI rules both apply); scalars from the command line win.
    """
    values = dict(settings)
    for name, value in overrides.items():
        if name in _LISTS:
            values[name] = tuple(values.get(name, ())) + tuple(value)
        else:
            values[name] = value
    return replace(base, **values)
