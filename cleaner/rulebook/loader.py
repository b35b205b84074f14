"""Find rule packs, validate every file strictly, compile them into an immutable RuleSet."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

import jsonschema

from cleaner.errors import RuleFileError
from cleaner.rulebook import kinds
from cleaner.rulebook.kinds import Rule
from cleaner.rulebook.schema import PACK_SCHEMA, rule_schema
from cleaner.rulebook.transforms import TRANSFORMS
from cleaner.rulebook.yamlmarks import KEY, Marks, load_yaml, mark_for

PACK_FILE = "pack.yaml"


def builtin_rules_dir() -> Path:
    """The rule packs shipped with cleaner (``rules/`` in the source tree)."""
    return Path(str(resources.files("cleaner") / "rules")).resolve()


@dataclass(frozen=True)
class RuleSet:
    """Compiled rules in chain order; immutable, shared by every document and worker."""

    rules: tuple[Rule, ...]
    disabled: frozenset[str] = field(default_factory=frozenset)

    def for_stage(self, stage: str) -> list[Rule]:
        """The enabled rules of one stage, in pack order."""
        return [r for r in self.rules if r.stage == stage and self.is_enabled(r)]

    def is_enabled(self, rule: Rule) -> bool:
        """A rule runs when it is enabled in its file and not disabled by configuration."""
        return rule.enabled and rule.id not in self.disabled

    def get(self, rule_id: str) -> Rule:
        """The rule with this id; KeyError otherwise."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def ids(self) -> list[str]:
        """Every rule id, in chain order."""
        return [r.id for r in self.rules]

    def with_changes(self, disable: Iterable[str] = (), enable: Iterable[str] = ()) -> "RuleSet":
        """A copy with rules switched off or on (unknown ids raise KeyError)."""
        for rule_id in [*disable, *enable]:
            self.get(rule_id)
        enabled = set(enable)
        rules = tuple(replace(r, spec={**r.spec, "enabled": True}) if r.id in enabled else r
                      for r in self.rules)
        return RuleSet(rules, self.disabled | frozenset(disable))


def load_rules(extra: Iterable[str | Path] = (), *, builtin: bool = True) -> RuleSet:
    """Load the shipped packs (unless ``builtin`` is False) and each extra folder of packs.

    A RuleSet is immutable, so the same folders load once per process while no file in them
    changes (a run checks its rules up front and then builds its cleaners from the same set).
    """
    roots = tuple([builtin_rules_dir()] if builtin else []) + tuple(Path(p) for p in extra)
    key = (roots, _fingerprint(roots))
    if key[1] is None:
        return _load(roots)
    if key not in _LOADED:
        if len(_LOADED) >= 8:
            _LOADED.clear()
        _LOADED[key] = _load(roots)
    return _LOADED[key]


_LOADED: dict[tuple, RuleSet] = {}


def _fingerprint(roots: tuple[Path, ...]) -> tuple | None:
    """Name, size and modification time of every file under ``roots``; None if one cannot be read."""
    try:
        stats = [(str(f), f.stat()) for root in roots for f in sorted(root.rglob("*")) if f.is_file()]
        return tuple((name, stat.st_mtime_ns, stat.st_size) for name, stat in stats)
    except OSError:
        return None


def _load(roots: tuple[Path, ...]) -> RuleSet:
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for root in roots:
        packs = list(find_packs(root))
        if not packs:
            raise RuleFileError(root, "no rule pack found",
                                hint="a pack is a folder with a pack.yaml and one rule per .yaml file")
        for pack_dir in packs:
            for rule in load_pack(pack_dir):
                if rule.id in seen:
                    raise RuleFileError(rule.path, f"rule id {rule.id} is already defined in {seen[rule.id]}",
                                        hint="rename the file or the pack")
                seen[rule.id] = rule.path
                rules.append(rule)
    return RuleSet(tuple(rules))


def find_packs(root: Path) -> Iterator[Path]:
    """The pack folders in ``root``: root itself if it holds pack.yaml, else its sub-folders that do."""
    if not root.is_dir():
        raise RuleFileError(root, "rule folder not found", hint="check the path given to --rules")
    if (root / PACK_FILE).is_file():
        yield root
        return
    for child in sorted(root.iterdir()):
        if (child / PACK_FILE).is_file():
            yield child


def _read(path: Path) -> tuple[object, Marks]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(path, f"cannot read rule file: {exc}", hint="make it a readable UTF-8 file") from None
    return load_yaml(text, path)


def load_pack(pack_dir: Path) -> list[Rule]:
    """Validate a pack's pack.yaml and compile its rules in the pack's order."""
    pack_path = pack_dir / PACK_FILE
    pack, marks = _read(pack_path)
    _validate(pack, PACK_SCHEMA, marks, pack_path)
    name = pack.get("name", pack_dir.name)
    files = {p.stem: p for p in sorted(pack_dir.glob("*.yaml")) if p.name != PACK_FILE}
    order = pack.get("order", [])
    for i, stem in enumerate(order):
        if stem not in files:
            line, col = mark_for(marks, ("order", i))
            raise RuleFileError(pack_path, f"order names {stem!r}, but {stem}.yaml is not in the pack",
                                line=line, col=col, hint=_did_you_mean(stem, files))
    stems = list(order) + [s for s in sorted(files) if s not in order]
    return [load_rule(files[stem], f"{name}.{stem}", pack["stage"]) for stem in stems]


def load_rule(path: Path, rule_id: str, stage: str) -> Rule:
    """Validate one rule file against its kind's schema and compile it."""
    spec, marks = _read(path)
    if not isinstance(spec, dict):
        raise RuleFileError(path, "a rule file must be a mapping", line=1, col=1,
                            hint="start with 'kind:' and 'description:'")
    kind = spec.get("kind")
    if kind not in kinds.KINDS:
        line, col = mark_for(marks, ("kind",))
        raise RuleFileError(path, f"unknown rule kind {kind!r}", line=line or 1, col=col or 1,
                            hint=_did_you_mean(str(kind), kinds.KINDS) or f"one of {', '.join(kinds.KINDS)}")
    _validate(spec, rule_schema(kind), marks, path)
    for where in (("transform",), ("also", "transform")):
        transform = spec.get(where[0]) if len(where) == 1 else spec.get(where[0], {}).get(where[1])
        if transform is not None and transform not in TRANSFORMS:
            line, col = mark_for(marks, where)
            raise RuleFileError(path, f"unknown transform {transform!r}", line=line, col=col,
                                hint=_did_you_mean(transform, TRANSFORMS) or "see cleaner/rulebook/transforms.py")
    _check_word_lists(spec, marks, path)
    try:
        return kinds.build(kind, id=rule_id, stage=stage, path=str(path), spec=spec)
    except re.error as exc:
        key = "pattern" if "pattern" in spec else "patterns"
        line, col = mark_for(marks, (key,))
        raise RuleFileError(path, f"bad regular expression: {exc}", line=line, col=col,
                            hint="check the pattern's brackets and escapes") from None


def _check_word_lists(spec: dict, marks: Marks, path: Path) -> None:
    """A list in ``params`` holds no YAML boolean or null: unquoted, ``no``, ``on``, ``off``,
    ``yes`` and ``null`` are read as those, not as the words a transform looks for."""
    for where, params in ((("params",), spec.get("params")),
                          (("also", "params"), (spec.get("also") or {}).get("params"))):
        if not isinstance(params, dict):
            continue
        for key, value in params.items():
            if not isinstance(value, list):
                continue
            for i, item in enumerate(value):
                if isinstance(item, bool) or item is None:
                    line, col = mark_for(marks, where + (key, i))
                    raise RuleFileError(path, f"params.{key} lists {item!r}, which YAML read from an unquoted word",
                                        line=line, col=col,
                                        hint='quote it: "no", "yes", "on", "off", "null"')


def _validate(data: object, schema: dict, marks: Marks, path: Path) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    error = errors[0]
    where = tuple(error.absolute_path)
    message, hint = error.message, None
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        unknown = [k for k in error.instance if k not in allowed]
        if unknown:
            where = where + (unknown[0], KEY)
            message = f"unknown key {unknown[0]!r}"
            hint = _did_you_mean(str(unknown[0]), allowed) or f"allowed keys: {', '.join(allowed)}"
    elif error.validator == "required":
        message = error.message.replace("is a required property", "is required")
    line, col = mark_for(marks, where)
    raise RuleFileError(path, message, line=line, col=col, hint=hint)


def _did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean {close[0]!r}?" if close else None
