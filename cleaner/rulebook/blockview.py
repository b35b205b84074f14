"""What the drop rules measure on a document's blocks (:class:`BlockView`), and the position
and neighbour tests built on it: the article's body, detachment, runs, teaser lists.
"""
from __future__ import annotations

import bisect
import functools
import re
from typing import TYPE_CHECKING, Mapping

from cleaner.document import BlockKind, Document
from cleaner.readers.markdown import inline_text
from cleaner.rulebook import literals, textshape
from cleaner.rulebook.scan import Joined

if TYPE_CHECKING:
    from cleaner.rulebook.kinds import _LineMatcher


class BlockView:
    """What the drop rules measure on a document's blocks, measured once per stage run.

    Text does not change while blocks are being dropped, so each block's word count, trimmed
    and normalised forms, and whether it reads as prose are computed once and shared by every
    rule. In a Markdown document the text measured is what a reader sees (a link's text, not
    its address and brackets: :func:`cleaner.readers.markdown.inline_text`). ``body`` finds the
    article's main body (see :meth:`body`); positions are relative to it.
    """

    def __init__(self, doc: Document, prefilter: literals.Prefilter | None = None):
        self.doc = doc
        self.prefilter = prefilter
        self._holding: list[set[int]] | None = None
        self._verdicts: dict[tuple[int, int], bool] = {}
        self._body: tuple[int, tuple[int, int]] | None = None
        self._folded: list[str] | None = None
        self.blocks = [b for b in doc.blocks if b.dropped_by is None]
        if doc.source_format == "markdown":  # the rules read what a reader sees, not the markup
            self.texts = [inline_text(b.text).strip() for b in self.blocks]
        else:
            self.texts = [b.text.strip() for b in self.blocks]
        self.words = [textshape.word_count(text) for text in self.texts]
        self._lines: list[str | None] = [None] * len(self.blocks)
        self._normalised: list[str | None] = [None] * len(self.blocks)
        self._by_words = sorted(range(len(self.blocks)), key=self.words.__getitem__)
        self._sorted_words = [self.words[i] for i in self._by_words]
        # A block repeating an earlier alive one is left to the dedupe stage: it does not count
        # as prose or as a neighbour here, so positions are the same before and after it goes.
        self._copies: dict[str, list[int]] = {}
        for i in range(len(self.blocks)):
            self._copies.setdefault(self.normalised(i), []).append(i)
        self._prose = [self.words[i] >= 10 and textshape.is_content(block)
                       for i, block in enumerate(self.blocks)]
        self._joined: dict[tuple[int, bool], Joined] = {}
        self._by_normalised: dict[int, dict[str, list[int]]] = {}
        #: Measures of the blocks as they stand, keyed with the ledger's length (see _per_state).
        self.cache: dict[object, object] = {}

    def test(self, matcher: _LineMatcher, index: int) -> bool:
        """``matcher.matches`` on the block's text, asked once per view (a guard looks at the
        same neighbours again as blocks drop)."""
        key = (id(matcher), index)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = matcher.matches(self.texts[index])
        return verdict

    def holding(self, gate: frozenset[str]) -> set[int]:
        """Indexes of the blocks whose text holds one of ``gate``'s strings (see
        :mod:`cleaner.rulebook.literals`): found in one pass of the stage's prefilter for every
        rule it knows, by substring search for others."""
        if self._folded is None:
            self._folded = [literals.fold(text) for text in self.texts]
            if self.prefilter is not None:
                self._holding = self.prefilter.locate_gates(self._folded)
        if self._holding is not None:
            number = self.prefilter.gate_number.get(gate)
            if number is not None:
                return self._holding[number]
        return {i for i, text in enumerate(self._folded) if any(string in text for string in gate)}

    def repeat(self, index: int) -> bool:
        """True when an earlier block still alive has the same (normalised) text."""
        copies = self._copies[self.normalised(index)]
        if copies[0] == index:
            return False
        return any(j < index and self.blocks[j].dropped_by is None for j in copies)

    def repeated_below(self, index: int) -> bool:
        """True when a later block still alive has the same (normalised) text."""
        return any(j > index and self.blocks[j].dropped_by is None for j in self._copies[self.normalised(index)])

    def content(self, index: int) -> bool:
        """True when the block reads as prose and is not a repeat."""
        return self._prose[index] and not self.repeat(index)

    def prose(self, index: int) -> bool:
        """True when the block reads as prose, repeat or not."""
        return self._prose[index]

    def line(self, index: int) -> str:
        """The block's text with edge punctuation trimmed (cached)."""
        value = self._lines[index]
        if value is None:
            value = self._lines[index] = self.texts[index].strip(textshape.EDGE_PUNCT)
        return value

    def normalised(self, index: int) -> str:
        """The block's text as :func:`textshape.normalise_line` gives it (cached)."""
        value = self._normalised[index]
        if value is None:
            value = self._normalised[index] = textshape.normalise_line(self.texts[index])
        return value

    def joined(self, high: int, *, lines: bool) -> Joined:
        """The texts (or, with ``lines``, the trimmed lines) of the blocks with at most about
        ``high`` words, joined by newlines; cached per size bucket."""
        bucket = next((b for b in _JOIN_BUCKETS if b >= high), high)
        key = (bucket, lines)
        joined = self._joined.get(key)
        if joined is None:
            indexes = self.within(0, bucket)
            texts = [self.line(i) for i in indexes] if lines else [self.texts[i] for i in indexes]
            joined = self._joined[key] = Joined(indexes, texts)
        return joined

    def joined_of(self, indexes: list[int], *, lines: bool) -> Joined:
        """The texts (or trimmed lines) of the blocks at ``indexes``, joined by newlines."""
        return Joined(indexes, [self.line(i) for i in indexes] if lines else [self.texts[i] for i in indexes])

    def with_phrases(self, phrases: frozenset[str], high: int) -> list[int]:
        """Indexes of the blocks (with at most about ``high`` words) whose normalised text is one of ``phrases``."""
        bucket = next((b for b in _JOIN_BUCKETS if b >= high), high)
        table = self._by_normalised.get(bucket)
        if table is None:
            table = self._by_normalised[bucket] = {}
            for i in self.within(0, bucket):
                table.setdefault(self.normalised(i), []).append(i)
        return [i for key in phrases & table.keys() for i in table[key]]

    def within(self, low: int, high: int) -> list[int]:
        """Indexes, in document order, of blocks with ``low`` to ``high`` words."""
        start = bisect.bisect_left(self._sorted_words, low)
        end = bisect.bisect_right(self._sorted_words, high)
        if end - start == len(self.blocks):
            return list(range(len(self.blocks)))
        return sorted(self._by_words[start:end])

    def body(self) -> tuple[int, int]:
        """First and last index of the main body among blocks still alive; (0, -1) if none.

        The body is the densest span of prose (:func:`textshape.densest_span`): a paragraph of
        prose earns its words, a loose line that is not prose costs :data:`NON_PROSE_COST`. A
        block this stage dropped costs the same when it lies in a run of dropped blocks (a menu,
        a related-stories list, a share bar): furniture the page put there still separates what
        is on either side. A single dropped line between paragraphs (a caption, an ad label)
        costs nothing.

        The span changes only when a block drops (a ledger entry), so it is computed once for
        each length of the ledger.
        """
        if self._body is not None and self._body[0] == len(self.doc.edits):
            return self._body[1]
        span = self._densest_body()
        self._body = (len(self.doc.edits), span)
        return span

    def _densest_body(self) -> tuple[int, int]:
        blocks = self.blocks
        gone = [b.dropped_by is not None for b in blocks]
        in_run = [g and ((i > 0 and gone[i - 1]) or (i + 1 < len(gone) and gone[i + 1]))
                  for i, g in enumerate(gone)]
        scores = []
        for i, block in enumerate(blocks):
            if not gone[i] and self.content(i):
                scores.append(self.words[i])
            elif block.kind in _COSTLY_KINDS and (in_run[i] or not gone[i]):
                scores.append(-NON_PROSE_COST)
            else:
                scores.append(0)
        start, end = textshape.densest_span(scores)
        if start > end:
            return 0, -1
        return start, end  # a span starts and ends with prose: both ends are alive


#: Word-count limits for which BlockView joins block texts: a rule's ``max_words`` is rounded up
#: to one, so a few joined texts serve every rule.
_JOIN_BUCKETS = (6, 16, 40, 80, 160)


#: What a line that is not prose costs the span it is in when the main body is looked for; a
#: paragraph of prose earns its word count. A run of menu lines longer than its neighbouring
#: paragraphs' words / cost splits the page; captions or a subheading between paragraphs do not.
NON_PROSE_COST = 4
#: Only loose lines cost: a source with structure (Markdown, HTML) marks its own headings, lists,
#: tables and code, and those neither earn nor cost.
_COSTLY_KINDS = frozenset({BlockKind.PARAGRAPH, BlockKind.TITLE})


def teaser_run(view: BlockView, start: int, teasers: Mapping[str, int]) -> int:
    """Where a run of teasers that starts with the headline at ``start`` ends (the index past
    its last summary), or -1 when fewer than ``teasers["min_pairs"]`` pairs make it.

    A teaser is a headline (a title-like line that is not prose), at most one short line after
    it (an author's name, a date), and a summary: one paragraph of prose of at most
    ``teasers["max_words"]`` words. Two paragraphs of prose in a row end the run, and past its
    end they mean the article goes on: that is an article's sections, not other stories.
    """
    blocks, count, j, end = view.blocks, 0, start, -1

    def alive(k: int) -> int:  # the next block standing (the headline at ``start`` just went as an item)
        while k < len(blocks) and (blocks[k].dropped_by is not None and k != start):
            k += 1
        return k

    while True:
        j = alive(j)
        if j >= len(blocks) or view.prose(j) or not textshape.title_like(view.texts[j]):
            break
        j = alive(j + 1)
        if j < len(blocks) and not view.prose(j) and view.words[j] <= 4:
            j = alive(j + 1)  # a byline or a date under the headline
        if j >= len(blocks) or not view.prose(j) or view.words[j] > teasers["max_words"]:
            break
        count, end = count + 1, j + 1
        j = j + 1
    if count < teasers["min_pairs"] or prose_run(view, end):
        return -1
    return end


def _per_state(measure):
    """``measure(view, *specs)`` once per state of the blocks: kept in ``view.cache`` under its
    name, its specs' items and the ledger's length (a block dropped is a new state)."""
    @functools.wraps(measure)
    def measured(view: BlockView, *specs: Mapping[str, int]):
        key = (measure.__name__, *(tuple(sorted(spec.items())) for spec in specs), len(view.doc.edits))
        found = view.cache.get(key)
        if found is None:
            found = view.cache[key] = measure(view, *specs)
        return found
    return measured


@_per_state
def between_runs(view: BlockView, run: Mapping[str, int]) -> tuple[int, int]:
    """The first block of the first run of article prose and the last block of the last one, or
    (len, -1) when there is no run: ``run["paragraphs"]`` paragraphs of prose in a row (blocks
    still standing, no other line between them but a subheading of at most
    ``run["subheading_words"]`` words, if given), each of ``run["each"]`` words or more and
    ``run["words"]`` in all.

    The body (:meth:`BlockView.body`) is the densest span of prose, and an article whose
    sections are mostly lists (a buying guide's specs, pros and cons; a checklist) splits into
    several spans there: the lines between two such runs are still the article's.
    """
    first, last = len(view.blocks), -1
    size, each, words = run["paragraphs"], run["each"], view.words
    long = {j for j in view.within(each, 1 << 30) if view.blocks[j].dropped_by is None and view.content(j)}
    if len(long) >= size:
        alive = [j for j, block in enumerate(view.blocks) if block.dropped_by is None]
        heading = run.get("subheading_words", 0)
        if heading:  # a subheading between two paragraphs does not break their run
            alive = [j for n, j in enumerate(alive)
                     if not (0 < n < len(alive) - 1 and words[j] <= heading and not view.prose(j)
                             and view.prose(alive[n - 1]) and view.prose(alive[n + 1]))]
        for k in range(len(alive) - size + 1):
            window = alive[k:k + size]
            if all(j in long for j in window) and sum(words[j] for j in window) >= run["words"]:
                first, last = min(first, window[0]), max(last, window[-1])
    return first, last


@_per_state
def announced_lists(view: BlockView, spec: Mapping[str, int]) -> set[int]:
    """Indexes of the short lines that follow a sentence announcing them with a colon ("the
    following books were also popular with the clubs on our platform:"): at most
    ``spec["max_lines"]`` of them, up to the next paragraph of prose or a block another rule
    dropped (page furniture ends the list).

    The announcing line has ``spec["min_words"]`` words or more, mostly in lower case, as a
    sentence has them ("Share this article:" and "Follow us:" are too short).
    """
    out: set[int] = set()
    blocks = view.blocks
    for i, block in enumerate(blocks):
        text = view.texts[i]
        if (block.dropped_by is not None or not text.endswith(":") or view.words[i] < spec["min_words"]
                or textshape.lowercase_share(text) < 0.5):
            continue
        taken = 0
        for j in range(i + 1, len(blocks)):
            if blocks[j].dropped_by is not None or view.prose(j) or taken >= spec["max_lines"]:
                break
            out.add(j)
            taken += 1
    return out


#: A line that opens with an item's number: "2. Stanford GSB", "#3 Wharton", "No. 4: Kellogg".
_NUMBERED = re.compile(r"\s*(?:#|[Nn]o\.\s*)?(\d{1,3})(?:[.):]\s+|\s+(?=[A-Z]))\S")


@_per_state
def numbered_sections(view: BlockView) -> set[int]:
    """Indexes of the article's numbered section headings outside its body: lines that open
    with a number ("2. Stanford GSB"), a paragraph of prose right under them, numbered on from
    such a heading in the body (or back from one), each next to the one before.

    A ranking whose every entry carries a list of links ("More on Stanford GSB: ...") splits
    its densest span of prose: the entries past the first lists are the article's still. A
    numbered list of other stories' headlines under a "Most read" label does not count: it
    numbers on from nothing in the body.
    """
    lines = view.cache.get("numbered_lines")  # texts do not change in a stage: matched once
    if lines is None:
        lines = view.cache["numbered_lines"] = {}
        for j, text in enumerate(view.texts):
            if text[:1].isdigit() or text[:1] in "#Nn":
                match = _NUMBERED.match(text)
                if match is not None:
                    lines[j] = int(match.group(1))
    numbers: dict[int, int] = {}
    if len(lines) >= 2:
        blocks = view.blocks
        for j, number in lines.items():
            if blocks[j].dropped_by is None:
                k = j + 1
                while k < len(blocks) and blocks[k].dropped_by is not None:
                    k += 1
                if k < len(blocks) and view.content(k):
                    numbers[j] = number
    if len(numbers) < 2:
        return set()
    start, end = view.body()
    kept = {j for j in numbers if start <= j <= end}
    if kept:
        # numbered on down the page from a kept heading, then back up it
        for order, step in ((sorted(numbers), 1), (sorted(numbers, reverse=True), -1)):
            seen: set[int] = set()  # the numbers of kept headings met so far in this direction
            for j in order:
                if j not in kept and numbers[j] - step in seen:
                    kept.add(j)
                if j in kept:
                    seen.add(numbers[j])
    return kept


def prose_run(view: BlockView, start: int, paragraphs: int = 2) -> bool:
    """True when ``paragraphs`` paragraphs of prose in a row (no other line between them) follow
    ``start``: the article goes on there (a related box inside it, not other stories' teasers
    at the page's end)."""
    run = 0
    for j in range(start, len(view.blocks)):
        if view.blocks[j].dropped_by is not None:
            continue
        run = run + 1 if view.content(j) else 0
        if run >= paragraphs:
            return True
    return False


def next_to(view: BlockView, index: int, matcher: _LineMatcher) -> bool:
    """True when the block before or after ``index`` matches ``matcher``.

    Repeats of an earlier block (the dedupe stage removes them) are looked through; a dropped
    block is not: a line past a share bar or a menu is no longer next to the one before it.
    """
    for step in (-1, 1):
        j = index + step
        while 0 <= j < len(view.blocks) and view.blocks[j].dropped_by is None and view.repeat(j):
            j += step
        if 0 <= j < len(view.blocks) and view.blocks[j].dropped_by is None and view.test(matcher, j):
            return True
    return False


def beside(view: BlockView, index: int, matcher: _LineMatcher) -> bool:
    """True when the block just before or after ``index`` in the source, dropped or not, matches."""
    return any(0 <= j < len(view.blocks) and view.test(matcher, j) for j in (index - 1, index + 1))


def detached(view: BlockView, start: int, end: int, rule: str) -> set[int]:
    """Indexes outside the body with page furniture between them and the body.

    Lines the page put right against the article (a list, a table, a note) stay attached to
    it; past a menu, a share bar or a related-stories label, the rest is page furniture. What
    separates is a block another rule dropped, or two or more in a row that ``rule`` dropped (a
    menu): one line ``rule`` took for a label may be the article's own subheading. A paragraph
    of article prose (40 words or more) still standing past them attaches what follows it again:
    the article goes on there (a list-shaped article whose body's span ended early), and a
    teaser's one-sentence summary is too short to count.
    """
    out: set[int] = set()
    blocks = view.blocks
    for indexes in (range(start - 1, -1, -1), range(end + 1, len(blocks))):
        seen_drop = False
        own_run = 0
        for i in indexes:
            by = blocks[i].dropped_by
            if by is None:
                own_run = 0
                if seen_drop and view.content(i) and view.words[i] >= 40:
                    seen_drop = False  # article prose still standing: what follows is attached again
                elif seen_drop:
                    out.add(i)
            elif by != rule:
                seen_drop = True
            else:
                own_run += 1
                seen_drop = seen_drop or own_run >= 2
    return out


def in_runs(view: BlockView, hits: list[int], length: int) -> list[int]:
    """The hits that belong to a run of at least ``length`` hits next to each other.

    Blocks already dropped do not break a run: they are gone from the page as the reader sees it.
    """
    kept: list[int] = []
    run: list[int] = []
    for i in hits:
        if run and any(view.blocks[j].dropped_by is None for j in range(run[-1] + 1, i)):
            if len(run) >= length:
                kept.extend(run)
            run = []
        run.append(i)
    if len(run) >= length:
        kept.extend(run)
    return kept


def in_position(position: str, index: int, start: int, end: int) -> bool:
    header, trailer = index < start, index > end
    return {"any": True, "header": header, "trailer": trailer, "edges": header or trailer,
            "after-start": index > start}[position]
