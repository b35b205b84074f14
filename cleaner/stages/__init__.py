"""Pipeline stages. Each compiles what it needs once and edits documents only through their API."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from cleaner.document import Document
from cleaner.rulebook import RuleSet
from cleaner.rulebook.kinds import Rule


@dataclass
class RunContext:
    """Per-run counters (per worker), mergeable at the end."""

    documents: int = 0
    edits_by_rule: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, doc: Document) -> None:
        """Add one document's ledger to the counters."""
        self.documents += 1
        for edit in doc.edits:
            self.edits_by_rule[edit.rule] = self.edits_by_rule.get(edit.rule, 0) + 1

    def merge(self, other: "RunContext") -> None:
        """Fold another worker's counters into this one."""
        self.documents += other.documents
        for rule, n in other.edits_by_rule.items():
            self.edits_by_rule[rule] = self.edits_by_rule.get(rule, 0) + n
        self.warnings.extend(other.warnings)


class Stage(Protocol):
    """A named step of the chain."""

    name: ClassVar[str]

    def apply(self, doc: Document) -> None:
        """Edit one document in place, through its API."""


class RuleStage:
    """A stage that applies its rules in pack order, each to the whole document."""

    name: ClassVar[str] = ""

    def __init__(self, rules: RuleSet, name: str | None = None):
        if name:
            self.name = name
        self.rules: list[Rule] = rules.for_stage(self.name)

    def apply(self, doc: Document) -> None:
        # Rules may share what they computed from the document's blocks (Document.memo), keyed
        # by the ledger's length: in these stages every change to a block is an edit.
        doc.memo.clear()
        try:
            for rule in self.rules:
                rule.apply(doc)
        finally:
            doc.memo.clear()
