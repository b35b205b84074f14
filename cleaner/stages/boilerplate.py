"""Boilerplate stage: keep-rules mark credits first, then drop-rules remove boilerplate blocks.

A safety valve undoes any single rule that removed a large share of the document's words:
a rule that matches most of an article is matching the article, not its boilerplate.
"""
from __future__ import annotations

from collections import Counter
from typing import ClassVar

from cleaner.document import BlockKind, Document
from cleaner.rulebook import literals, memo, textshape
from cleaner.rulebook import RuleSet
from cleaner.rulebook.blockview import BlockView
from cleaner.rulebook.kinds import DropBlock, KeepBlock
from cleaner.stages import RuleStage

#: A rule may remove at most this share of a document's words unless its file says otherwise.
DEFAULT_MAX_SHARE = 0.5
#: How many times the rules that watch their neighbours run again after the others (see _apply_rules).
MAX_RERUNS = 3
#: Below this many removed words the valve stays shut (a short note may be mostly boilerplate).
VALVE_MIN_WORDS = 30


class BoilerplateStage(RuleStage):
    """Apply keep-block rules, then drop-block rules, then the safety valve."""

    name: ClassVar[str] = "boilerplate"

    def __init__(self, rules: RuleSet):
        super().__init__(rules)
        self.rules.sort(key=lambda r: not isinstance(r, KeepBlock))
        # every drop rule's literals, looked for in one pass over a document's text
        self.prefilter = literals.Prefilter(r.matcher.gate for r in self.rules if isinstance(r, DropBlock))

    def apply(self, doc: Document) -> None:
        if doc.guess_title:
            _guess_title(doc)
        total = _distinct_words(b.text for b in doc.alive())
        first_edit = len(doc.edits)
        undone: set[str] = set()
        while True:
            self._apply_rules(doc, [r for r in self.rules if r.id not in undone])
            newly = self._safety_valve(doc, total, first_edit, self.rules) - undone
            if not newly:
                break
            # The blocks an undone rule had dropped go back to the other rules, as if it had
            # not run: one it took first (a page's end, say) may still be another's boilerplate.
            undone |= newly
        # Then each undone rule is tried once more on what is left, as a second cleaning of the
        # output would try it: where the others' drops leave it under the valve's limits, it
        # applies now, and the second cleaning finds nothing to do.
        for rule in [r for r in self.rules if r.id in undone]:
            first, before = len(doc.edits), _distinct_words(b.text for b in doc.alive())
            self._apply_rules(doc, [rule])
            if not self._safety_valve(doc, before, first, [rule]) and len(doc.edits) > first:
                note = _valve_note(doc, rule.id)  # it applied after all: its warning goes
                doc.warnings[:] = [w for w in doc.warnings if not w.startswith(note)]
        _promote_title(doc)

    def _apply_rules(self, doc: Document, rules: list) -> None:
        """Apply ``rules`` in their order (keep rules first, then drop rules in pack order); drop
        rules in a row share one view of the blocks."""
        view = None
        watched_from = None  # the ledger's length after the first rule that watches neighbours
        for rule in rules:
            if isinstance(rule, DropBlock):
                if view is None:
                    view = BlockView(doc, self.prefilter)
                rule.apply_view(doc, view)
                if watched_from is None and rule.watches_neighbours:
                    watched_from = len(doc.edits)
            else:
                rule.apply(doc)
                view = None
        # A rule whose guards look at the neighbours still standing (a lone number stays beside
        # a line of words) decided before the rules after it dropped blocks: such rules run
        # again while something goes, so that a second cleaning finds nothing more to do.
        watched = [r for r in rules if isinstance(r, DropBlock) and r.watches_neighbours]
        for _ in range(MAX_RERUNS):
            if watched_from is None or len(doc.edits) == watched_from:
                break
            watched_from = len(doc.edits)
            view = BlockView(doc, self.prefilter)
            for rule in watched:
                rule.apply_view(doc, view)

    def _safety_valve(self, doc: Document, total: int, first_edit: int, rules: list) -> set[str]:
        """Undo each of ``rules`` that removed too large a share of the ``total`` words in the
        edits from ``first_edit`` on; return their ids."""
        # Words are counted over distinct block texts, so a block repeated by the scraper (which
        # the dedupe stage removes next) does not tip the valve one way on the first run and the
        # other way on a second run of the output; for the same reason a dropped copy of a
        # block that stays (the title printed again) removes no words.
        kept = {_normal(b.text) for b in doc.alive()}
        dropped: dict[str, list[str]] = {}
        for edit in doc.edits[first_edit:]:
            if edit.action == "drop" and _normal(edit.before) not in kept:
                dropped.setdefault(edit.rule, []).append(edit.before)
        removed = Counter({rule: _distinct_words(texts) for rule, texts in dropped.items()})
        undone = set()
        for rule in rules:
            words = removed.get(rule.id, 0)
            share = rule.spec.get("max_share", DEFAULT_MAX_SHARE)
            if words >= VALVE_MIN_WORDS and total and words / total > share:
                reason = (f"{_valve_note(doc, rule.id)}{words} of {total} words "
                          f"({words / total:.0%} > {share:.0%}); its drops were undone")
                for block in doc.blocks:
                    if block.dropped_by == rule.id:
                        doc.restore(block, reason=reason)
                doc.warnings[:] = list(dict.fromkeys(doc.warnings))
                undone.add(rule.id)
        return undone


def _valve_note(doc: Document, rule_id: str) -> str:
    """How the safety valve's warning about ``rule_id`` begins."""
    return f"{doc.source}: rule {rule_id} would remove "


@memo.of_texts(4096)  # the valve counts the same blocks before and after the rules
def _normal(text: str) -> str:
    """A block's text with its spacing folded and its case ignored (for counting words)."""
    return " ".join(text.split()).casefold()


def _distinct_words(texts) -> int:
    """Words in the distinct (normalised) texts."""
    return sum(textshape.word_count(t) for t in {_normal(t) for t in texts})


def _promote_title(doc: Document) -> None:
    """When the title line was boilerplate, the first surviving headline-like line takes its role;
    in plain text also when the first line was no headline and went.

    Without this the title would depend on what the scraper put first, and cleaning the output
    again would pick a different title than the first run did.
    """
    if any(b.kind == BlockKind.TITLE for b in doc.alive()):
        return
    if doc.guess_title or any(b.kind == BlockKind.TITLE for b in doc.blocks):
        _guess_title(doc)


def _guess_title(doc: Document) -> None:
    """The first line (alive, with letters) is the title when it reads as a headline and more follows.

    Lines without a letter (a stray mark, a rule of dashes, a count such as "#0" or "12") cannot
    be a headline: they are passed over, as they would be once dropped, so the title is the same
    whether a later rule drops them or not.
    """
    alive = [b for b in doc.alive() if any(ch.isalpha() for ch in b.text)]
    if (len(alive) >= 2 and alive[0].kind == BlockKind.PARAGRAPH and not alive[0].protected
            and textshape.title_like(alive[0].text)):
        alive[0].kind = BlockKind.TITLE
