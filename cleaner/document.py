"""The document model: blocks of text and the ledger of every edit made to them.

Only :meth:`Document.replace` and :meth:`Document.drop` change text, and each appends an
:class:`Edit` naming the rule that made it, so ``--explain``, JSON output and the safety
checks all read one ledger.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Iterator


class BlockKind(StrEnum):
    """What a block is; renderers and rule scopes use it."""

    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    CODE = "code"
    TABLE = "table"
    FRONT_MATTER = "front_matter"
    HTML = "html"
    CREDIT = "credit"


@dataclass(eq=False)
class Block:
    """One block of the document, in source order; two blocks are the same only when they are
    one object (a block's text may equal another's).

    ``raw`` is the block's verbatim source where a reader keeps it (Markdown), so an untouched
    block can be written back byte for byte; ``markup`` is what a renderer puts before the text
    (``"## "``, ``"- "``); ``level`` is a heading level.
    """

    id: int
    kind: BlockKind
    text: str
    line: int
    protected: bool = False
    dropped_by: str | None = None
    level: int = 0
    markup: str = ""
    raw: str | None = None
    edited: bool = False
    disabled_rules: frozenset[str] = frozenset()

    @property
    def alive(self) -> bool:
        """True while no rule has dropped the block."""
        return self.dropped_by is None


@dataclass(frozen=True)
class Edit:
    """One change, as the ledger records it. ``line`` is 1-based in the decoded input."""

    stage: str
    rule: str
    action: str  # "drop" | "replace" | "insert" | "delete" | "split"
    block: int
    line: int
    start: int
    end: int
    before: str
    after: str
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by ``--to json``."""
        return {"rule": self.rule, "stage": self.stage, "action": self.action,
                "before": self.before, "after": self.after, "line": self.line,
                "block": self.block, "message": self.message}


@dataclass(frozen=True)
class Suggestion:
    """Something a rule found but did not apply (``level: suggest``, or LanguageTool)."""

    stage: str
    rule: str
    block: int
    line: int
    start: int
    end: int
    text: str
    replacements: tuple[str, ...]
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by ``--to json``."""
        return {"rule": self.rule, "stage": self.stage, "line": self.line, "text": self.text,
                "replacements": list(self.replacements), "message": self.message}


class EditRefused(Exception):
    """Raised when a stage tries to edit a protected or dropped block."""


@dataclass
class Document:
    """A parsed document: blocks, metadata, and the ledger."""

    blocks: list[Block]
    source: str = "<stdin>"
    source_format: str = "text"
    metadata: dict[str, Any] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    newline: str = "\n"
    final_newline: bool = True
    guess_title: bool = False  # plain text has no markup: the first headline-like line is the title
    layout: Any = None  # a reader's record of the source between blocks (Markdown keeps it verbatim)
    #: What a stage's rules share while it runs (see RuleStage.apply): emptied before and after.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    #: The language a document that declares none is written in, guessed once when a rule first
    #: asks (see rulebook.kinds.document_language); "" when its words do not show one.
    language_guess: str | None = field(default=None, repr=False, compare=False)

    def alive(self) -> Iterator[Block]:
        """Blocks not dropped, in order."""
        return (b for b in self.blocks if b.dropped_by is None)

    def editable(self) -> Iterator[Block]:
        """Blocks a stage may edit: alive and not protected."""
        return (b for b in self.blocks if b.dropped_by is None and not b.protected)

    def replace(self, block: Block, start: int, end: int, new: str, *, rule: str, stage: str,
                message: str = "") -> bool:
        """Replace ``block.text[start:end]`` by ``new``; record it. False for a no-op edit."""
        self._check_editable(block, rule)
        old = block.text[start:end]
        if old == new:
            return False
        action = "insert" if not old else ("delete" if not new else "replace")
        block.text = block.text[:start] + new + block.text[end:]
        block.edited = True
        self.edits.append(Edit(stage, rule, action, block.id, block.line, start, end, old, new, message))
        return True

    def replace_text(self, block: Block, new_text: str, *, rule: str, stage: str,
                     message: str = "") -> bool:
        """Replace a block's whole text, recording only the changed span (common prefix/suffix trimmed)."""
        old = block.text
        if old == new_text:
            return False
        start = _common_prefix(old, new_text)
        limit = min(len(old), len(new_text)) - start
        tail = _common_prefix(old[::-1], new_text[::-1], limit)
        return self.replace(block, start, len(old) - tail, new_text[start:len(new_text) - tail],
                            rule=rule, stage=stage, message=message)

    def split(self, block: Block, points: list[int], *, rule: str, stage: str,
              message: str = "") -> list[Block]:
        """Break a block into several at ``points`` (offsets into its text, ascending), as a lost
        line break is restored; each piece is a new block after it, of the same kind and line.

        One ``split`` edit per point, on the block being cut at that moment: ``before`` is the
        text around the point, ``after`` the same with a newline where the block breaks.
        Whitespace at a point goes with the break. Returns the new blocks.
        """
        self._check_editable(block, rule)
        pieces: list[Block] = []
        current, consumed = block, 0
        next_id = max(b.id for b in self.blocks) + 1
        for point in points:
            at = point - consumed
            text = current.text
            start, end = max(0, at - _SPLIT_CONTEXT), min(len(text), at + _SPLIT_CONTEXT)
            head, tail = text[:at].rstrip(), text[at:].lstrip()
            if not head or not tail:
                continue
            self.edits.append(Edit(stage, rule, "split", current.id, current.line, start, end,
                                   text[start:end], text[start:at] + "\n" + text[at:end], message))
            current.text, current.edited = head, True
            piece = Block(next_id, current.kind, tail, current.line, edited=True,
                          disabled_rules=current.disabled_rules)
            next_id += 1
            self.blocks.insert(self.blocks.index(current) + 1, piece)
            pieces.append(piece)
            current, consumed = piece, point + (len(text) - at - len(tail))
        return pieces

    def drop(self, block: Block, *, rule: str, stage: str, message: str = "") -> None:
        """Soft-delete a block: it stays in ``blocks`` so the ledger and safety checks see it."""
        self._check_editable(block, rule)
        block.dropped_by = rule
        self.edits.append(Edit(stage, rule, "drop", block.id, block.line, 0, len(block.text),
                               block.text, "", message))

    def restore(self, block: Block, *, reason: str) -> None:
        """Undo a drop (used by the safety valve); the drop's ledger entry is removed."""
        self.edits = [e for e in self.edits if not (e.action == "drop" and e.block == block.id)]
        block.dropped_by = None
        self.warnings.append(reason)

    def suggest(self, suggestion: Suggestion) -> None:
        """Record something found but not applied."""
        self.suggestions.append(suggestion)

    def word_count(self) -> int:
        """Words in the alive blocks."""
        return sum(len(b.text.split()) for b in self.alive())

    def _check_editable(self, block: Block, rule: str) -> None:
        if block.protected:
            raise EditRefused(f"rule {rule} tried to edit protected block {block.id}")
        if block.dropped_by is not None:
            raise EditRefused(f"rule {rule} tried to edit block {block.id}, dropped by {block.dropped_by}")


#: Characters of context kept on each side of a split point in the ledger.
_SPLIT_CONTEXT = 20


def _common_prefix(a: str, b: str, limit: int | None = None) -> int:
    n = min(len(a), len(b)) if limit is None else limit
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def replay(doc: Document, edits: list[Edit]) -> Document:
    """Apply a ledger to a freshly read document, in order; the result must equal the cleaned one.

    Edits carry offsets into the block text as it was when each was made, so replaying them in
    order reproduces every step. Used by the tests to prove the ledger is complete.
    """
    by_id = {b.id: b for b in doc.blocks}
    for edit in edits:
        block = by_id[edit.block]
        if edit.action == "drop":
            block.dropped_by = edit.rule
            continue
        if block.text[edit.start:edit.end] != edit.before:
            raise ValueError(f"ledger does not replay at block {edit.block}: {edit}")
        if edit.action == "split":
            (piece,) = doc.split(block, [edit.start + edit.after.index("\n")], rule=edit.rule,
                                 stage=edit.stage, message=edit.message)
            doc.edits.pop()
            by_id[piece.id] = piece
            continue
        block.text = block.text[:edit.start] + edit.after + block.text[edit.end:]
    return doc
