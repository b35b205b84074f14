"""Run a rule's own examples: each must fire where it says, and stay quiet where it says.

The test suite runs every example of every pack, and ``cleaner rules --check`` does the same
for a user's packs. Each example is placed in a small document beside a paragraph of prose, so
that position rules (header, trailer) see it where they would in an article.
"""
from __future__ import annotations

from dataclasses import dataclass

from cleaner.document import Block, BlockKind, Document
from cleaner.rulebook.kinds import DropBlock, DropDuplicate, KeepBlock, Rule, SplitBlock, Substitute, Unicode

PROSE = ("The council approved the budget on Tuesday after a long debate, and officials said the "
         "new spending would begin in the spring.")


@dataclass(frozen=True)
class ExampleResult:
    """One example's outcome: ``ok`` is False when the rule did not do what the example says."""

    rule: str
    expect: str
    example: str
    got: str
    ok: bool


def _doc(*items: tuple[BlockKind, str]) -> Document:
    return Document([Block(i, kind, text, i + 1) for i, (kind, text) in enumerate(items)], source="<example>")


def _around(rule: Rule, text: str) -> tuple[Document, Block]:
    position = rule.spec.get("position", "any")
    prose = (BlockKind.PARAGRAPH, PROSE)
    run = (rule.spec.get("shape") or {}).get("min_run")
    if run:  # a rule for runs of lines: the example stands for each line of a run
        doc = _doc(prose, *[(BlockKind.PARAGRAPH, text)] * run, prose)
        return doc, doc.blocks[1]
    if position == "header":
        doc = _doc((BlockKind.PARAGRAPH, text), prose)
        return doc, doc.blocks[0]
    if position in ("trailer", "edges"):
        doc = _doc(prose, (BlockKind.PARAGRAPH, text))
        return doc, doc.blocks[1]
    doc = _doc(prose, (BlockKind.PARAGRAPH, text), prose)
    return doc, doc.blocks[1]


def run_examples(rule: Rule) -> list[ExampleResult]:
    """Every example of ``rule`` with its outcome (an empty list for kinds without examples)."""
    examples = rule.spec.get("examples") or {}
    if isinstance(rule, (DropBlock, KeepBlock)):
        return _block_examples(rule, examples)
    if isinstance(rule, DropDuplicate):
        return _duplicate_examples(rule, examples)
    if isinstance(rule, (Substitute, Unicode, SplitBlock)):
        return _fix_examples(rule, examples)
    return []


def _block_examples(rule: Rule, examples: dict) -> list[ExampleResult]:
    fire = "mark" if isinstance(rule, KeepBlock) else "drop"
    results = []
    for expect in (fire, "keep"):
        for text in examples.get(expect, []):
            doc, block = _around(rule, text)
            rule.apply(doc)
            fired = block.kind == BlockKind.CREDIT if fire == "mark" else block.dropped_by == rule.id
            got = fire if fired else "keep"
            results.append(ExampleResult(rule.id, expect, text, got, got == expect))
    return results


def _example_kind(rule: Rule) -> BlockKind:
    """The kind of block an example stands for: a paragraph, unless the rule's scope leaves them out."""
    scope = rule.spec.get("scope")
    if not scope or "paragraph" in scope:
        return BlockKind.PARAGRAPH
    return BlockKind(next(s for s in scope if s != "title"))


def _duplicate_examples(rule: DropDuplicate, examples: dict) -> list[ExampleResult]:
    kind = _example_kind(rule)
    first_kind = BlockKind.TITLE if rule.spec.get("against") == "title" else kind
    results = []
    for expect in ("drop", "keep"):
        for first, second in examples.get(expect, []):
            doc = _doc((first_kind, first), (BlockKind.PARAGRAPH, PROSE), (kind, second))
            rule.apply(doc)
            got = "drop" if doc.blocks[2].dropped_by == rule.id else "keep"
            results.append(ExampleResult(rule.id, expect, f"{first!r} then {second!r}", got, got == expect))
    return results


def _fix_examples(rule: Rule, examples: dict) -> list[ExampleResult]:
    cases = [(before, after) for before, after in examples.get("fix", [])]
    cases += [(text, text) for text in examples.get("keep", [])]
    results = []
    for before, after in cases:
        doc = _doc((BlockKind.PARAGRAPH, before))
        rule.apply(doc)
        got = "\n".join(b.text for b in doc.blocks)  # a split-block example shows its pieces a line each
        expect = "fix" if before != after else "keep"
        results.append(ExampleResult(rule.id, expect, f"{before!r} -> {after!r}", got, got == after))
    return results
