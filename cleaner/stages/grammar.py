"""Grammar stage: LanguageTool checks prose blocks; allow-listed fixes are applied, the rest suggested.

Fixes go through the document's API with rule ids ``languagetool:<RULE_ID>``. A match is never
applied inside a quotation, a URL or code, or where it would change a name; such matches and
every rule outside the allow-list become suggestions. Suggestions cost a full check, so they
are computed only when they will be shown (``--explain``, JSON output); otherwise the server
runs the allow-listed rules alone, which is several times faster, and when every allow-listed
rule has a ``gate`` in its rule pack, only the sentences some gate lets through are sent
(:class:`~cleaner.languagetool.SentenceGate`): tagging the others would find nothing to fix.
"""
from __future__ import annotations

import re
from typing import ClassVar

from cleaner.document import Block, BlockKind, Document, Suggestion
from cleaner.languagetool import GrammarClient, GrammarMatch, SentenceGate
from cleaner.rulebook import RuleSet, textshape
from cleaner.rulebook.kinds import LanguageToolAllow

STAGE = "grammar"
_SCOPE = frozenset({BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.HEADING})
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|‘[^’]*’(?!\w)")
# A capitalised word that does not open a sentence is a name as far as this stage is concerned.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")


class GrammarStage:
    """Apply LanguageTool's allow-listed fixes; record everything else as suggestions."""

    name: ClassVar[str] = STAGE

    def __init__(self, client: GrammarClient, rules: RuleSet, *, suggestions: bool = False):
        self.client = client
        allow_rules = [r for r in rules.for_stage(STAGE) if isinstance(r, LanguageToolAllow)]
        self.allowed = frozenset().union(*(r.allowed for r in allow_rules))
        self.suggestions = suggestions
        #: Picks the sentences worth sending; None when every sentence is sent.
        self.gate: SentenceGate | None = None
        if not suggestions:
            client.tool.enabled_rules = set(self.allowed)
            client.tool.enabled_rules_only = True
            gate = SentenceGate(g for r in allow_rules for g in r.gates.values())
            if self.allowed and not gate.always:
                self.gate = gate
        else:
            # Spelling on news text flags every name; it is never applied, so do not ask for it.
            client.tool.disabled_rules = {"MORFOLOGIK_RULE_EN_US", "MORFOLOGIK_RULE_EN_GB"}

    def apply(self, doc: Document) -> None:
        if not _english(doc):
            return  # the server checks English; on other languages its fixes are wrong ("an" in German)
        blocks = [b for b in doc.editable()
                  if b.kind in _SCOPE and b.text.strip() and "*" not in b.disabled_rules]
        if not blocks:
            return
        results = self.client.check_joined([b.text for b in blocks], gate=self.gate)
        for block, matches in zip(blocks, results):
            self._apply_block(doc, block, matches)

    def _apply_block(self, doc: Document, block: Block, matches: list[GrammarMatch]) -> None:
        guarded = textshape.protected_spans(block.text) + [m.span() for m in _QUOTED.finditer(block.text)]
        fixes = []
        last_start = len(block.text) + 1
        for match in sorted(matches, key=lambda m: m.start, reverse=True):
            rule = f"languagetool:{match.rule_id}"
            if (rule not in block.disabled_rules and self._safe(block.text, match, guarded)
                    and match.end <= last_start):
                fixes.append((match, rule))
                last_start = match.start
            elif self.suggestions:
                doc.suggest(Suggestion(STAGE, rule, block.id, block.line, match.start, match.end,
                                       block.text[match.start:match.end], match.replacements[:5], match.message))
        for match, rule in fixes:  # already right to left
            doc.replace(block, match.start, match.end, match.replacements[0], rule=rule, stage=STAGE,
                        message=match.message)

    def _safe(self, text: str, match: GrammarMatch, guarded: list[tuple[int, int]]) -> bool:
        if match.rule_id not in self.allowed or not match.replacements:
            return False
        if textshape.overlaps((match.start, match.end), guarded):
            return False
        before = text[match.start:match.end]
        after = match.replacements[0]
        return _names(before) == _names(after)


def _names(text: str) -> list[str]:
    return [m.group(0) for m in _NAME.finditer(text)]


_ENGLISH_MARKERS = frozenset({"the", "and", "of", "to", "is", "that", "with", "for", "was", "are"})


def _english(doc: Document) -> bool:
    """True when the document declares English, or (undeclared) reads as English."""
    language = str(doc.metadata.get("language") or "").lower()
    if language:
        return language.startswith("en")
    words = [w.lower() for b in doc.alive() for w in b.text.split()[:200]]
    return not words or sum(w in _ENGLISH_MARKERS for w in words) >= 0.04 * len(words)
