"""Rule kinds: the closed set of behaviours a YAML rule can have.

A kind compiles its rule's data once (regexes, phrase sets) and applies it to a document
through the document's API only, so every change lands in the ledger with the rule's id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

import ftfy

from cleaner.document import Block, BlockKind, Document, Suggestion
from cleaner.rulebook import textshape
from cleaner.rulebook.transforms import TRANSFORMS

DEFAULT_SCOPE = frozenset({BlockKind.TITLE, BlockKind.HEADING, BlockKind.PARAGRAPH,
                           BlockKind.LIST_ITEM, BlockKind.QUOTE})


@dataclass(frozen=True)
class Rule:
    """A compiled rule. ``spec`` is the validated YAML mapping it came from."""

    id: str
    stage: str
    path: str
    spec: Mapping[str, Any]
    scope: frozenset[BlockKind] = DEFAULT_SCOPE
    kind: ClassVar[str] = ""

    @property
    def description(self) -> str:
        """What the rule is for."""
        return self.spec["description"]

    @property
    def message(self) -> str:
        """The message recorded with each edit."""
        return self.spec.get("message") or self.spec["description"]

    @property
    def enabled(self) -> bool:
        """Rules may ship disabled and be switched on by configuration."""
        return self.spec.get("enabled", True)

    @property
    def suggest_only(self) -> bool:
        """``level: suggest`` rules report, never apply."""
        return self.spec.get("level", "fix") == "suggest"

    def applies_to(self, block: Block) -> bool:
        """True for an editable block in scope that has not switched this rule off."""
        return (block.alive and not block.protected and block.kind in self.scope
                and self.id not in block.disabled_rules and "*" not in block.disabled_rules)

    def apply(self, doc: Document) -> None:
        """Apply the rule to the document (no-op for kinds a stage drives itself)."""


def compile_patterns(spec: Mapping[str, Any], key: str) -> list[re.Pattern]:
    """Compile ``spec[key]`` (a string or list) with ``vars`` substituted; raises re.error."""
    raw = spec.get(key)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else raw
    flags = 0 if spec.get("case_sensitive", key == "pattern") else re.IGNORECASE
    return [re.compile(expand_vars(p, spec.get("vars", {})), flags) for p in items]


def expand_vars(pattern: str, variables: Mapping[str, str]) -> str:
    """Replace ``{name}`` with ``(?:value)``; other braces (``{2,3}``) are left alone."""
    for name, value in variables.items():
        pattern = pattern.replace("{" + name + "}", f"(?:{value})")
    return pattern


@dataclass(frozen=True)
class _LineMatcher:
    """Whole-line, line-start or anywhere matching of patterns and literal phrases."""

    patterns: tuple[re.Pattern, ...]
    phrases: frozenset[str]
    mode: str

    def matches(self, text: str) -> bool:
        line = text.strip(textshape.EDGE_PUNCT) if self.mode != "anywhere" else text
        if self.phrases and textshape.normalise_line(text) in self.phrases:
            return True
        for pattern in self.patterns:
            if self.mode == "line" and pattern.fullmatch(line):
                return True
            if self.mode == "start" and pattern.match(line):
                return True
            if self.mode == "anywhere" and pattern.search(line):
                return True
        return False


def line_matcher(spec: Mapping[str, Any]) -> _LineMatcher:
    """Build the matcher for a drop-block or keep-block rule."""
    phrases = frozenset(textshape.normalise_line(p) for p in spec.get("phrases", ()))
    return _LineMatcher(tuple(compile_patterns(spec, "patterns")), phrases, spec.get("match", "line"))


@dataclass(frozen=True)
class DropBlock(Rule):
    """Drop whole blocks that are boilerplate: matched by pattern, phrase, shape and position."""

    kind: ClassVar[str] = "drop-block"
    matcher: _LineMatcher = field(default=None)  # type: ignore[assignment]

    def matches(self, block: Block) -> bool:
        """True when the block's text is this rule's boilerplate (position aside)."""
        text = block.text.strip()
        words = textshape.word_count(text)
        if words > self.spec.get("max_words", 40) or words < self.spec.get("min_words", 0):
            return False
        has_text_matcher = "patterns" in self.spec or "phrases" in self.spec
        if has_text_matcher and not self.matcher.matches(text):
            return False
        return self._shape_holds(text)

    def _shape_holds(self, text: str) -> bool:
        shape = self.spec.get("shape") or {}
        tokens = text.split()
        if "hashtag_ratio" in shape:
            tags = sum(1 for t in tokens if t.startswith("#") and len(t) > 1 and t[1] != "#")
            if not tokens or tags / len(tokens) < shape["hashtag_ratio"]:
                return False
        if "max_letters_ratio" in shape:
            letters = sum(ch.isalpha() for ch in text)
            if text and letters / len(text) > shape["max_letters_ratio"]:
                return False
        if shape.get("no_sentence") and textshape.ends_sentence(text):
            return False
        return True

    def apply(self, doc: Document) -> None:
        position = self.spec.get("position", "any")
        alive = list(doc.alive())
        first, last = _content_bounds(alive)
        index = 0
        while index < len(alive):
            block = alive[index]
            index += 1
            if not self.applies_to(block) or not _in_position(position, index - 1, first, last):
                continue
            if not self.matches(block):
                continue
            if self.suggest_only:
                doc.suggest(Suggestion(self.stage, self.id, block.id, block.line, 0,
                                       len(block.text), block.text, ("",), self.message))
                continue
            doc.drop(block, rule=self.id, stage=self.stage, message=self.message)
            if self.spec.get("section"):
                index = self._drop_section(doc, alive, index)

    def _drop_section(self, doc: Document, alive: list[Block], index: int) -> int:
        """Drop the short, non-prose blocks that follow a section label (a list of links)."""
        while index < len(alive):
            block = alive[index]
            if (not self.applies_to(block) or textshape.is_content(block)
                    or textshape.word_count(block.text) > 25 or block.kind == BlockKind.TITLE):
                break
            doc.drop(block, rule=self.id, stage=self.stage, message=self.message + " (section item)")
            index += 1
        return index


def _content_bounds(alive: list[Block]) -> tuple[int, int]:
    """Indexes of the first and last content blocks; (len, -1) when there are none."""
    indexes = [i for i, b in enumerate(alive) if textshape.is_content(b)]
    return (indexes[0], indexes[-1]) if indexes else (len(alive), -1)


def _in_position(position: str, index: int, first: int, last: int) -> bool:
    header, trailer = index < first, index > last
    return {"any": True, "header": header, "trailer": trailer, "edges": header or trailer}[position]


@dataclass(frozen=True)
class KeepBlock(Rule):
    """Mark blocks that must be kept (credit lines): later drop rules and grammar skip them."""

    kind: ClassVar[str] = "keep-block"
    matcher: _LineMatcher = field(default=None)  # type: ignore[assignment]

    def matches(self, block: Block) -> bool:
        """True when the block is one this rule keeps."""
        text = block.text.strip()
        return textshape.word_count(text) <= self.spec.get("max_words", 60) and self.matcher.matches(text)

    def apply(self, doc: Document) -> None:
        for block in doc.alive():
            if self.applies_to(block) and self.matches(block):
                block.kind = BlockKind.CREDIT


@dataclass(frozen=True)
class Substitute(Rule):
    """Replace each match of a pattern, by a template or by a named transform."""

    kind: ClassVar[str] = "substitute"
    pattern: re.Pattern = field(default=None)  # type: ignore[assignment]

    def replacement(self, match: re.Match) -> str | None:
        """What the match becomes, or None for no edit."""
        if "transform" in self.spec:
            return TRANSFORMS[self.spec["transform"]](match, self.spec.get("params", {}))
        return match.expand(self.spec["replace"])

    def apply(self, doc: Document) -> None:
        for block in doc.blocks:
            if self.applies_to(block):
                self.apply_block(doc, block)

    def apply_block(self, doc: Document, block: Block) -> None:
        """Apply every non-overlapping match in one block, right to left so offsets stay valid."""
        guarded = textshape.protected_spans(block.text)
        edits = []
        for match in self.pattern.finditer(block.text):
            if textshape.overlaps(match.span(), guarded):
                continue
            new = self.replacement(match)
            if new is not None and new != match.group(0):
                edits.append((match.start(), match.end(), new))
        for start, end, new in reversed(edits):
            if self.suggest_only:
                doc.suggest(Suggestion(self.stage, self.id, block.id, block.line, start, end,
                                       block.text[start:end], (new,), self.message))
            else:
                doc.replace(block, start, end, new, rule=self.id, stage=self.stage, message=self.message)


@dataclass(frozen=True)
class DropDuplicate(Rule):
    """Drop a block that repeats the title, or repeats an earlier block."""

    kind: ClassVar[str] = "drop-duplicate"

    def _key(self, text: str) -> str:
        if self.spec.get("compare", "normalised") == "exact":
            return text.strip()
        return textshape.normalise_line(text)

    def apply(self, doc: Document) -> None:
        against = self.spec.get("against", "any")
        min_words = self.spec.get("min_words", 1)
        seen: set[str] = set()
        for block in list(doc.alive()):
            key = self._key(block.text)
            if not key:
                continue
            if key in seen and self.applies_to(block) and textshape.word_count(block.text) >= min_words:
                doc.drop(block, rule=self.id, stage=self.stage, message=self.message)
                continue
            if against == "any" or block.kind == BlockKind.TITLE:
                seen.add(key)


@dataclass(frozen=True)
class Unicode(Rule):
    """Repair mojibake and broken Unicode with ftfy; the options live in the rule file."""

    kind: ClassVar[str] = "unicode"

    def apply(self, doc: Document) -> None:
        config = ftfy.TextFixerConfig(**self.spec.get("ftfy", {}))
        for block in doc.blocks:
            if not self.applies_to(block):
                continue
            fixed, steps = ftfy.fix_and_explain(block.text, config=config)
            if fixed != block.text:
                names = ", ".join(step.parameter if step.action == "apply" else step.action for step in steps or ())
                doc.replace_text(block, fixed, rule=self.id, stage=self.stage,
                                 message=f"{self.message} [{names}]" if names else self.message)


@dataclass(frozen=True)
class LanguageToolAllow(Rule):
    """The allow-list of LanguageTool rules whose fixes may be applied; the grammar stage reads it."""

    kind: ClassVar[str] = "languagetool"

    @property
    def allowed(self) -> frozenset[str]:
        """LanguageTool rule ids (or ``category:NAME``) whose first replacement is applied."""
        return frozenset(self.spec["allow"])


KINDS: dict[str, type[Rule]] = {k.kind: k for k in (DropBlock, KeepBlock, Substitute, DropDuplicate,
                                                      Unicode, LanguageToolAllow)}


def build(kind: str, **fields: Any) -> Rule:
    """Compile a validated spec into its kind's rule object; raises re.error on a bad pattern."""
    spec = fields["spec"]
    cls = KINDS[kind]
    if "scope" in spec:
        fields["scope"] = frozenset(BlockKind(s) for s in spec["scope"])
    if cls in (DropBlock, KeepBlock):
        fields["matcher"] = line_matcher(spec)
    if cls is Substitute:
        fields["pattern"] = compile_patterns(spec, "pattern")[0]
    return cls(**fields)
