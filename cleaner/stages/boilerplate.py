"""Boilerplate stage: keep-rules mark credits first, then drop-rules remove boilerplate blocks.

A safety valve undoes any single rule that removed a large share of the document's words:
a rule that matches most of an article is matching the article, not its boilerplate.
"""
from __future__ import annotations

from collections import Counter
from typing import ClassVar

from cleaner.document import Document
from cleaner.rulebook import RuleSet
from cleaner.rulebook.kinds import KeepBlock
from cleaner.stages import RuleStage

#: A rule may remove at most this share of a document's words unless its file says otherwise.
DEFAULT_MAX_SHARE = 0.5
#: Below this many removed words the valve stays shut (a short note may be mostly boilerplate).
VALVE_MIN_WORDS = 30


class BoilerplateStage(RuleStage):
    """Apply keep-block rules, then drop-block rules, then the safety valve."""

    name: ClassVar[str] = "boilerplate"

    def __init__(self, rules: RuleSet):
        super().__init__(rules)
        self.rules.sort(key=lambda r: not isinstance(r, KeepBlock))

    def apply(self, doc: Document) -> None:
        total = doc.word_count()
        first_edit = len(doc.edits)
        super().apply(doc)
        self._safety_valve(doc, total, first_edit)

    def _safety_valve(self, doc: Document, total: int, first_edit: int) -> None:
        removed: Counter[str] = Counter()
        for edit in doc.edits[first_edit:]:
            if edit.action == "drop":
                removed[edit.rule] += len(edit.before.split())
        for rule in self.rules:
            words = removed.get(rule.id, 0)
            share = rule.spec.get("max_share", DEFAULT_MAX_SHARE)
            if words >= VALVE_MIN_WORDS and total and words / total > share:
                reason = (f"{doc.source}: rule {rule.id} would remove {words} of {total} words "
                          f"({words / total:.0%} > {share:.0%}); its drops were undone")
                for block in doc.blocks:
                    if block.dropped_by == rule.id:
                        doc.restore(block, reason=reason)
                doc.warnings[:] = list(dict.fromkeys(doc.warnings))
