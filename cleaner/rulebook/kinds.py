"""Rule kinds: the closed set of behaviours a YAML rule can have.

A kind compiles its rule's data once (regexes, phrase sets) and applies it to a document
through the document's API only, so every change lands in the ledger with the rule's id.
"""
from __future__ import annotations

import collections
import functools
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable, Mapping

import ftfy

from cleaner import lexicon
from cleaner.document import Block, BlockKind, Document, Suggestion
from cleaner.errors import RuleFileError
from cleaner.rulebook import blockview, literals, textshape
from cleaner.rulebook.blockview import BlockView
from cleaner.rulebook.mojibake import ftfy_inert_check, later_spacing, looks_bad, mojibake_marks
from cleaner.rulebook.scan import Joined, joinable
from cleaner.rulebook.transforms import FIRST_TESTS, TRANSFORMS

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

    #: The source formats the kind runs on when the rule's file names none (None: every one).
    default_formats: ClassVar[tuple[str, ...] | None] = None

    def runs_on_format(self, doc: Document) -> bool:
        """True when the rule runs on documents of ``doc``'s source format (its ``formats``,
        else the kind's default)."""
        formats = self.spec.get("formats", self.default_formats)
        return formats is None or doc.source_format in formats

    def applies_to(self, block: Block) -> bool:
        """True for an editable block in scope that has not switched this rule off."""
        return (block.dropped_by is None and not block.protected and block.kind in self.scope
                and (not block.disabled_rules
                     or (self.id not in block.disabled_rules and "*" not in block.disabled_rules)))

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
    """Replace ``{name}`` with ``(?:value)``; other braces (``{2,3}``) are left alone.

    A variable's value may use variables defined before or after it.
    """
    for _ in range(len(variables) + 1):
        before = pattern
        for name, value in variables.items():
            pattern = pattern.replace("{" + name + "}", f"(?:{value})")
        if pattern == before:
            break
    return pattern


@dataclass(frozen=True)
class _LineMatcher:
    """Whole-line, line-start, line-end or anywhere matching of patterns and literal phrases.

    A rule's patterns are compiled into one alternation, so a block costs one regex call per
    rule whatever the number of patterns. In ``anywhere`` mode the patterns anchored with "^"
    are kept in an alternation of their own, tried at the start only, so they do not slow the
    search of the others. ``end`` mode searches only the last ``END_WINDOW`` characters: its
    patterns end in "$" and describe how a line closes (a photo credit). ``requires`` lists
    words one of which the text must contain (in any case) before any pattern is tried.
    ``gate`` is the same read from the patterns themselves (:func:`literals.required`): a
    document holding none of its strings is not searched.
    """

    pattern: re.Pattern | None
    phrases: frozenset[str]
    mode: str
    anchored: re.Pattern | None = None
    requires: Requires | None = None
    gate: frozenset[str] | None = None

    @functools.cached_property
    def _scan(self) -> tuple[re.Pattern | None, re.Pattern | None] | None:
        """The patterns as one search each over many lines joined by newlines (see
        :meth:`candidates`): ``pattern`` (in ``line`` and ``start`` modes led by the newline
        before a line, so the search skips from newline to newline) and ``anchored`` (led by a
        newline too); None when a pattern could behave differently there (see :func:`joinable`)
        or, in ``end`` mode, would search more than the end of each line.
        """
        if (self.pattern is not None and self.mode == "end") or not joinable(self.pattern) \
                or not joinable(self.anchored):
            return None
        pattern = None
        if self.pattern is not None:
            source = self.pattern.pattern
            if self.mode == "line":
                source = f"\\n(?:{source})(?=\\n)"
            elif self.mode == "start":
                source = f"\\n(?:{source})"
            pattern = re.compile(source, self.pattern.flags | re.MULTILINE)
        anchored = None if self.anchored is None else re.compile(
            f"\\n(?:{self.anchored.pattern})", self.anchored.flags | re.MULTILINE)
        return pattern, anchored

    def candidates(self, view: "BlockView", indexes: list[int], high: int) -> list[int]:
        """The blocks among ``indexes`` (all with at most ``high`` words) that may match.

        A phrase is a set look-up. For the patterns, only blocks holding one of the strings
        every match needs (``gate``, see :mod:`cleaner.rulebook.literals`) can match; when more
        than a few do, ``requires``, or else each pattern, runs once over the blocks' texts
        joined by newlines, not once per block: a block no match touches cannot match on its
        own, since a pattern fit for this (see :func:`joinable`) finds there whatever it finds
        in the block alone. The blocks returned still take :meth:`matches`.
        """
        if not indexes or (self.pattern is None and self.anchored is None and not self.phrases):
            return indexes
        found: set[int] = set()
        if self.phrases:
            found.update(view.with_phrases(self.phrases, high))
        pool = indexes if self.pattern is not None or self.anchored is not None else []
        if self.gate is not None:
            holding = view.holding(self.gate)
            pool = [i for i in indexes if i in holding]
            if self.mode == "end":  # only the line's end is searched: a string must be there
                pool = [i for i in pool if len(view.texts[i]) <= END_WINDOW
                        or literals.holds_any(view.texts[i][-END_WINDOW:], self.gate)]
        scan = self._scan if self.requires is None else None
        if len(pool) <= _FEW or (self.requires is None and scan is None):
            found.update(pool)  # each is tried alone
        else:
            # the pool's texts alone when the gate narrowed it, else all (joined once a stage)
            def joined(lines: bool) -> Joined:
                return view.joined(high, lines=lines) if pool is indexes else view.joined_of(pool, lines=lines)

            touched: set[int] = set()
            if self.requires is not None:
                text = joined(False)
                if self.requires.found_in(text.lower, lowered=True):
                    touched = text.touched(self.requires.pattern, lower=True)
            else:
                pattern, anchored = scan
                if anchored is not None:
                    touched |= joined(False).touched(anchored, lead=1)
                if pattern is not None:
                    if self.mode == "anywhere":
                        touched |= joined(False).touched(pattern)
                    else:
                        touched |= joined(True).touched(pattern, lead=1)
            found.update(i for i in pool if i in touched)
        return [i for i in indexes if i in found]

    def matches(self, text: str, normalised: str | None = None, line: str | None = None) -> bool:
        """True when ``text`` matches (``normalised``: its :func:`textshape.normalise_line`;
        ``line``: it with edge punctuation trimmed, when the caller has them)."""
        if self.phrases:
            if normalised is None:
                normalised = textshape.normalise_line(text)
            if normalised in self.phrases:
                return True
        if self.requires is not None and not self.requires.found_in(text):
            return False
        if self.anchored is not None and self.anchored.match(text) is not None:
            return True
        if self.pattern is None:
            return False
        if self.mode == "anywhere":
            return self.pattern.search(text) is not None
        if self.mode == "end":
            return self.pattern.search(text, max(0, len(text) - END_WINDOW)) is not None
        if line is None:
            line = text.strip(textshape.EDGE_PUNCT)
        if self.mode == "line":
            return self.pattern.fullmatch(line) is not None
        return self.pattern.match(line) is not None


#: Up to this many blocks that may match are tried one by one, not by a search of joined text.
_FEW = 4
#: How much of a line's end ``match: end`` patterns look at.
END_WINDOW = 160


def line_matcher(spec: Mapping[str, Any], key: str = "patterns") -> _LineMatcher:
    """Build the matcher for a drop-block or keep-block rule (``key``: which patterns)."""
    phrases = frozenset(textshape.normalise_line(p) for p in spec.get("phrases", ())) if key == "patterns" \
        else frozenset()
    patterns = compile_patterns(spec, key)
    mode = spec.get("match", "line")
    anchored = None
    if mode == "anywhere":
        anchored = _alternation([p for p in patterns if p.pattern.startswith("^")])
        patterns = [p for p in patterns if not p.pattern.startswith("^")]
    requires = requires_pattern(spec.get("requires", ())) if key == "patterns" else None
    pattern = _alternation(patterns)
    gate = literals.required([pattern, anchored]) if key == "patterns" else None
    return _LineMatcher(pattern, phrases, mode, anchored, requires, gate)


def requires_pattern(words: Iterable[str]) -> "Requires | None":
    """A rule's ``requires`` (see :class:`Requires`); None for none."""
    words = tuple(dict.fromkeys(w.lower() for w in words))
    return Requires(words, re.compile("|".join(re.escape(w) for w in words))) if words else None


@dataclass(frozen=True)
class Requires:
    """A rule's cheap first test: words one of which the text must hold, in any case.

    Text without any of them cannot match, and the rule's own patterns are not run on it. The
    words are looked for in the lower-cased text: a plain substring search, many times faster
    than a case-insensitive regular expression.
    """

    words: tuple[str, ...]
    pattern: re.Pattern  # the words' alternation, for lower-cased text

    def found_in(self, text: str, lowered: bool = False) -> bool:
        """True when ``text`` holds one of the words, in any case (``lowered``: ``text`` is in
        lower case already)."""
        low = text if lowered else text.lower()
        return any(word in low for word in self.words)

    def found_in_joined(self, joined: Joined) -> bool:
        """:meth:`found_in` for blocks' texts joined by newlines, through their lower case made
        once for every rule that asks (a word without a newline is found across none)."""
        if any("\n" in word for word in self.words):
            return self.found_in(joined.inner)
        return self.found_in(joined.lower, lowered=True)


def _alternation(patterns: list[re.Pattern]) -> re.Pattern | None:
    """One pattern matching where any of ``patterns`` does (same flags); None for none."""
    if not patterns:
        return None
    if len(patterns) == 1:
        return patterns[0]
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:  # e.g. the same group name in two patterns: keep them apart
        return _Any(tuple(patterns))  # type: ignore[return-value]


@dataclass(frozen=True)
class _Any:
    """Stand-in for an alternation that cannot be compiled as one pattern."""

    patterns: tuple[re.Pattern, ...]

    def search(self, text: str, pos: int = 0):
        return next((m for p in self.patterns if (m := p.search(text, pos))), None)

    def match(self, text: str):
        return next((m for p in self.patterns if (m := p.match(text))), None)

    def fullmatch(self, text: str):
        return next((m for p in self.patterns if (m := p.fullmatch(text))), None)


def _shape_holds(shape: Mapping[str, Any] | None, text: str) -> bool:
    """True when ``text`` has every property a rule's ``shape`` asks for."""
    if not shape:
        return True
    if shape.get("no_sentence") and textshape.ends_sentence(text):
        return False
    if shape.get("no_punctuation") and textshape.has_punctuation(text):
        return False
    if "hashtag_ratio" in shape:
        tokens = text.split()
        tags = sum(1 for t in tokens if t.startswith("#") and len(t) > 1 and t[1] != "#")
        if not tokens or tags / len(tokens) < shape["hashtag_ratio"]:
            return False
    if "max_letters_ratio" in shape:
        letters = sum(ch.isalpha() for ch in text)
        if text and letters / len(text) > shape["max_letters_ratio"]:
            return False
    if "max_lowercase_ratio" in shape and textshape.lowercase_share(text) > shape["max_lowercase_ratio"]:
        return False
    if shape.get("not_prose") and textshape.is_prose(text):
        return False
    return True


@dataclass(frozen=True)
class DropBlock(Rule):
    """Drop whole blocks that are boilerplate: matched by pattern, phrase, shape and position.

    A rule file says, as data:

    - what the text is: ``patterns`` (``match``: ``line`` whole line, ``start``, ``end`` the
      line's close, ``anywhere``), ``phrases`` (whole normalised lines), ``requires`` (words one
      of which must occur, checked first), ``min_words`` / ``max_words``;
    - its ``shape``: ``no_sentence``, ``not_prose``, ``max_lowercase_ratio``, ``hashtag_ratio``,
      ``max_letters_ratio``, ``no_punctuation``, ``min_run`` (a run of such lines);
    - where it is: ``position`` ``header`` / ``trailer`` / ``edges`` / ``after-start`` relative
      to the article's body (the densest span of prose, see :meth:`BlockView.body`), ``section``
      (a label and the short lines after it; ``section_teasers``: or the teasers, headline and
      summary, of a list of other stories; ``section_items``: only lines a later block repeats,
      a contents list's entries, and marker lines), ``ends_page`` (the block closes the page: it and
      everything after it go, unless a run of article prose follows it);
    - guards: ``unless`` (patterns that veto), ``unless_next_to`` (a neighbour still standing
      that vetoes), ``unless_beside`` (the page's own neighbour, dropped or not, that vetoes),
      ``near_body`` (extra conditions for blocks not yet detached from the body by furniture),
      ``keep_between_runs`` (a block between two runs of article prose stays, the article's own:
      see :func:`blockview.between_runs`), ``keep_announced_lists`` (so do the short lines after
      a sentence that announces them with a colon: see :func:`blockview.announced_lists`),
      ``keep_numbered_sections`` (so do, and end a section, a ranking's numbered entries that
      number on from one in the body: see :func:`blockview.numbered_sections`), ``formats``
      (the source formats the rule runs on), and ``max_share`` for the stage's safety valve.

    A Markdown file's title (its first-level heading) is its author's: no drop rule takes it.
    """

    kind: ClassVar[str] = "drop-block"
    matcher: _LineMatcher = field(default=None)  # type: ignore[assignment]
    unless: _LineMatcher | None = field(default=None)

    @functools.cached_property
    def _has_text_test(self) -> bool:
        return "patterns" in self.spec or "phrases" in self.spec
    unless_next_to: _LineMatcher | None = field(default=None)
    near_body: _Guards | None = field(default=None)
    unless_beside: _LineMatcher | None = field(default=None)

    @property
    def watches_neighbours(self) -> bool:
        """True when a guard looks at the blocks next to a candidate that are still standing, so
        that drops made after the rule ran can change its verdict."""
        return self.unless_next_to is not None

    def matches(self, block: Block) -> bool:
        """True when the block's text is this rule's boilerplate (position aside)."""
        text = block.text.strip()
        words = textshape.word_count(text)
        if words > self.spec.get("max_words", 40) or words < self.spec.get("min_words", 0):
            return False
        return self._text_holds(text, None)

    def _text_holds(self, text: str, normalised: str | None, line: str | None = None) -> bool:
        if self._has_text_test and not self.matcher.matches(text, normalised, line):
            return False
        if self.unless is not None and self.unless.matches(text):
            return False
        return self._shape_holds(text)

    def _shape_holds(self, text: str) -> bool:
        return _shape_holds(self.spec.get("shape"), text)

    def apply(self, doc: Document) -> None:
        self.apply_view(doc, BlockView(doc))

    def apply_view(self, doc: Document, view: BlockView) -> None:
        """Drop this rule's blocks, measuring them through ``view`` (shared by a stage's rules).

        With ``near_body``, its extra conditions hold for every block first; then, for blocks
        detached from the body (a dropped block lies between them and it), the rule's own
        conditions alone decide.
        """
        spec = self.spec
        matcher = self.matcher
        if not self.runs_on_format(doc):
            return
        if self._has_text_test and matcher.gate is not None and not matcher.phrases \
                and not view.holding(matcher.gate):
            return  # no block holds a string every match needs (most rules, most documents)
        position = spec.get("position", "any")
        high = spec.get("max_words", 40)
        candidates = view.within(spec.get("min_words", 0), high)
        if candidates and self._has_text_test:
            candidates = self.matcher.candidates(view, candidates, high)
        if candidates and (spec.get("shape") or {}).get("hashtag_ratio", 0) > 0:
            candidates = [i for i in candidates if "#" in view.texts[i]]  # a hashtag needs its mark
        if not candidates:
            return
        start, end = view.body() if position != "any" else (0, -1)
        if position != "any" and start > end:
            return  # no prose at all: nothing to be a header or trailer of
        # Guards that look at other blocks (neighbours, detachment, runs) can change as blocks
        # drop, so such a rule runs until it drops nothing more: cleaning its output again
        # then finds nothing to do.
        settle = self.near_body is not None or self.unless_next_to is not None
        texts_hold: dict[int, bool] = {}  # the text tests' verdicts, which no drop changes
        while True:
            dropped = len(doc.edits)
            self._drop_hits(doc, view, self._hits(view, candidates, position, start, end, self.near_body,
                                                  texts_hold))
            if self.near_body is not None:
                detached = blockview.detached(view, start, end, self.id)
                rest = [i for i in candidates if i in detached]
                if rest:
                    self._drop_hits(doc, view, self._hits(view, rest, position, start, end, None, texts_hold))
            if not settle or len(doc.edits) == dropped:
                break
            candidates = [i for i in candidates if view.blocks[i].dropped_by is None]

    def _hits(self, view: BlockView, indexes: list[int], position: str, start: int, end: int,
              extra: "_Guards | None", texts_hold: dict[int, bool]) -> list[int]:
        """The blocks among ``indexes`` that this rule (and ``extra``, if given) drops
        (``texts_hold``: the text tests' verdicts so far, by index, filled in here)."""
        hits = []
        scope, blocks = self.scope, view.blocks
        phrases = bool(self.matcher.phrases)
        trimmed = self.matcher.mode in ("line", "start")
        runs, lists = self.spec.get("keep_between_runs"), self.spec.get("keep_announced_lists")
        numbered = self.spec.get("keep_numbered_sections")
        first_run, last_run, announced = 0, -1, None  # measured at the first hit
        authored_title = view.doc.source_format == "markdown"  # a post's "# Search" is its title
        for i in indexes:
            block = blocks[i]
            if (block.dropped_by is not None or block.protected or block.kind not in scope
                    or (block.disabled_rules and not self.applies_to(block))
                    or (authored_title and block.kind == BlockKind.TITLE)):
                continue
            if position != "any" and not blockview.in_position(position, i, start, end):
                continue
            text = view.texts[i]
            holds = texts_hold.get(i)
            if holds is None:
                holds = texts_hold[i] = self._text_holds(text, view.normalised(i) if phrases else None,
                                                         view.line(i) if trimmed else None)
            if not holds:
                continue
            if extra is not None and not extra.hold(view, i, text):
                continue
            if numbered and position != "any" and i in blockview.numbered_sections(view):
                continue  # the article's next numbered entry, past the links under the one before
            if runs or lists:
                if announced is None:
                    first_run, last_run = blockview.between_runs(view, runs) if runs else (0, -1)
                    announced = blockview.announced_lists(view, lists) if lists else set()
                if first_run < i < last_run or i in announced:
                    continue  # the article's own list or table: between two runs of its prose, or announced
            hits.append(i)
        if self.unless_next_to is not None:
            hits = [i for i in hits if not blockview.next_to(view, i, self.unless_next_to)]
        if self.unless_beside is not None:
            hits = [i for i in hits if not blockview.beside(view, i, self.unless_beside)]
        run = (self.spec.get("shape") or {}).get("min_run")
        if run:
            hits = blockview.in_runs(view, hits, run)
        if "ends_page" in self.spec:
            hits = next(([i] for i in hits if self._ends_page(view, i)), [])
        return hits

    def _drop_hits(self, doc: Document, view: BlockView, hits: list[int]) -> None:
        dropped_to = -1
        for i in hits:
            block = view.blocks[i]
            if i <= dropped_to or block.dropped_by is not None:
                continue
            if self.suggest_only:
                doc.suggest(Suggestion(self.stage, self.id, block.id, block.line, 0,
                                       len(block.text), block.text, ("",), self.message))
                continue
            doc.drop(block, rule=self.id, stage=self.stage, message=self.message)
            if self.spec.get("section"):
                dropped_to = self._drop_section(doc, view, i + 1)
            if "ends_page" in self.spec:
                self._drop_rest(doc, view, i + 1)
                return

    def _drop_rest(self, doc: Document, view: BlockView, index: int) -> None:
        """Drop every block from ``index`` to the end of the page (protected ones stay)."""
        message = f"{self.message} (after the page's end, line {view.blocks[index - 1].line})"
        for block in view.blocks[index:]:
            if block.dropped_by is None and not block.protected and self.applies_to(block):
                doc.drop(block, rule=self.id, stage=self.stage, message=message)

    def _ends_page(self, view: BlockView, index: int) -> bool:
        """True when no run of article prose follows the block at ``index``: a run of
        ``unless_run.paragraphs`` paragraphs of prose in a row (no other line between them) with
        ``unless_run.words`` words in all says the article goes on past it."""
        guard = self.spec["ends_page"]["unless_run"]
        run = words = 0
        for j in range(index + 1, len(view.blocks)):
            if view.blocks[j].dropped_by is None and view.content(j):
                run, words = run + 1, words + view.words[j]
                if run >= guard["paragraphs"] and words >= guard["words"]:
                    return False
            else:
                run = words = 0
        return True

    @functools.cached_property
    def _section_markers(self) -> re.Pattern | None:
        source = (self.spec.get("section_items") or {}).get("markers")
        return None if source is None else re.compile(source, re.IGNORECASE)

    def _marker(self, view: BlockView, index: int) -> bool:
        """True when the block is a marker line between a section's items (``section_items.markers``)."""
        markers = self._section_markers
        return markers is not None and markers.fullmatch(view.texts[index]) is not None

    def _drop_section(self, doc: Document, view: BlockView, index: int) -> int:
        """Drop the short, non-prose blocks that follow a section label (a list of links), up to
        the next paragraph of prose or a line ending in a colon; with ``section_items``, only
        while each is an entry that a block further down repeats (a contents list's headings) or
        a marker line.

        Returns the index of the last block looked at as part of the section.
        """
        teasers = self.spec.get("section_teasers")
        items = self.spec.get("section_items")
        numbered: set[int] | None = None
        last_item = -1
        while index < len(view.blocks):
            block = view.blocks[index]
            if block.dropped_by is not None:
                index += 1
                continue
            if not self.applies_to(block) or block.kind == BlockKind.TITLE or block.text.rstrip().endswith(":"):
                break  # a line introducing what follows ends the list
            if items and not (view.repeated_below(index) and not view.prose(index)) and not self._marker(view, index):
                break  # a contents list ends at the first line that is neither an entry nor a marker
            if numbered is None and self.spec.get("keep_numbered_sections"):
                numbered = blockview.numbered_sections(view)  # as the page stood when the list began
            if numbered and index in numbered:
                break  # "2. Stanford GSB" after the links under "1. Harvard ...": the article's next entry
            if view.prose(index) or view.words[index] > 25:
                # prose ends the list, unless the list is of teasers: the headline just taken
                # and this paragraph begin a run of (headline, summary) pairs
                end = blockview.teaser_run(view, last_item, teasers) if teasers and last_item >= 0 else -1
                if end < 0:
                    break
                for teaser in view.blocks[index:end]:
                    if self.applies_to(teaser):  # alive, in scope, not protected
                        doc.drop(teaser, rule=self.id, stage=self.stage, message=self.message + " (section teaser)")
                index = end
                continue
            doc.drop(block, rule=self.id, stage=self.stage, message=self.message + " (section item)")
            last_item = index
            index += 1
        return index - 1


@dataclass(frozen=True)
class _Guards:
    """Extra conditions (a rule's ``near_body``): a shape, vetoing patterns, vetoing neighbours."""

    shape: Mapping[str, Any]
    unless: _LineMatcher | None
    unless_next_to: _LineMatcher | None

    def hold(self, view: BlockView, index: int, text: str) -> bool:
        if self.unless is not None and self.unless.matches(text):
            return False
        if self.unless_next_to is not None and blockview.next_to(view, index, self.unless_next_to):
            return False
        return _shape_holds(self.shape, text)


@dataclass(frozen=True)
class KeepBlock(Rule):
    """Mark blocks that must be kept (credit lines): later drop rules and grammar skip them."""

    kind: ClassVar[str] = "keep-block"
    matcher: _LineMatcher = field(default=None)  # type: ignore[assignment]

    def matches(self, block: Block) -> bool:
        """True when the block is one this rule keeps."""
        text = block.text.strip()
        return self.matcher.matches(text) and textshape.word_count(text) <= self.spec.get("max_words", 60)

    def apply(self, doc: Document) -> None:
        blocks = [block for block in doc.alive() if self.applies_to(block)]
        gate = self.matcher.gate
        if gate is not None and not self.matcher.phrases:
            # only a block holding one of the strings every match needs can match: the document
            # first, then its blocks
            if not literals.holds_any("\n".join(block.text for block in blocks), gate):
                return
            blocks = [block for block in blocks if literals.holds_any(block.text, gate)]
        for block in blocks:
            if self.matches(block):
                block.kind = BlockKind.CREDIT


def document_language(doc: Document) -> str:
    """The primary language tag a document declares, in lower case ("en" for "en-US", "fr" for
    "fr_FR"); when it declares none (plain text, Markdown without front matter, a page without
    ``lang``), the language its most frequent words show (:func:`lexicon.guess_language`), or ""
    when they show none clearly."""
    value = doc.metadata.get("language") or doc.metadata.get("lang") or ""
    declared = re.split(r"[-_\s]", str(value).strip(), maxsplit=1)[0].lower()
    if declared:
        return declared
    if doc.language_guess is None:
        text, size = [], 0
        for block in doc.blocks:
            if block.alive and size < _GUESS_CHARS:
                text.append(block.text)
                size += len(block.text)
        doc.language_guess = lexicon.guess_language("\n".join(text))
    return doc.language_guess


#: How much of a document's text the language guess reads.
_GUESS_CHARS = 1500


@dataclass(frozen=True)
class Substitute(Rule):
    """Replace each match of a pattern, by a template or by a named transform."""

    kind: ClassVar[str] = "substitute"
    pattern: re.Pattern = field(default=None)  # type: ignore[assignment]
    requires: Requires | None = field(default=None)  # see requires_pattern
    gate: frozenset[str] | None = field(default=None)  # see literals.required
    unless_document: re.Pattern | None = field(default=None)
    languages: frozenset[str] | None = field(default=None)  # lower case; None: any
    skip_languages: frozenset[str] = field(default=frozenset())

    def runs_on(self, doc: Document) -> bool:
        """False for a document the rule leaves alone as a whole: one whose language (the
        primary tag of the page's ``lang`` or the front matter's ``lang``/``language``, else
        the one its most frequent words show: :func:`document_language`) is known and not
        among the rule's ``languages`` (the repair rules know English only), or is one
        its ``skip_languages`` names; or one in which an ``unless_document`` pattern is found (a
        convention the document follows: French spacing before "!" shows in its guillemets,
        « like this »)."""
        if self.languages is not None or self.skip_languages:
            language = document_language(doc)
            if language and ((self.languages is not None and language not in self.languages)
                             or language in self.skip_languages):
                return False
        if self.unless_document is not None:
            return self.unless_document.search("\n".join(b.text for b in doc.blocks if b.alive)) is None
        return True

    def replacement(self, match: re.Match) -> str | None:
        """What the match becomes, or None for no edit."""
        if "transform" in self.spec:
            return TRANSFORMS[self.spec["transform"]](match, self.spec.get("params", {}))
        return match.expand(self.spec["replace"])

    @functools.cached_property
    def _scan(self) -> re.Pattern | None:
        """The pattern for one search over the blocks' texts joined by newlines ("^" and "$" at
        each line); None when it could find less there than in each block alone (see
        :func:`joinable`)."""
        if not joinable(self.pattern):
            return None
        return re.compile(self.pattern.pattern, self.pattern.flags | re.MULTILINE)

    def apply(self, doc: Document) -> None:
        blocks, joined = self._blocks(doc)
        if not blocks:
            return
        # The rule's tests run once over the document's text, not once per block: the first
        # tests, then the pattern itself, which picks the blocks to edit (a rule's edits to one
        # block do not change another's text).
        text = joined.inner
        if self.requires is not None and not self.requires.found_in_joined(joined):
            return
        if self.gate is not None and not literals.holds_any(text, self.gate):
            return
        first_test = FIRST_TESTS.get(self.spec.get("transform", ""))
        if first_test is not None:
            verdict = first_test(text, self.pattern, self.spec.get("params", {}))
            if not verdict:
                return
            if callable(verdict):  # a test for each block
                blocks = [b for b in blocks if verdict(b.text)]
                joined = Joined(list(range(len(blocks))), [b.text for b in blocks])
        scan = self._scan
        if scan is not None and len(blocks) > 1:
            touched = joined.touched(scan)
            blocks = [b for i, b in enumerate(blocks) if i in touched]
        if blocks and not self.runs_on(doc):  # last: the language may have to be guessed
            return
        for block in blocks:
            self.apply_block(doc, block)

    def _blocks(self, doc: Document) -> tuple[list[Block], Joined]:
        """The blocks the rule applies to and their texts joined, shared through ``doc.memo`` by
        the rules of a stage with the same scope until an edit changes the document."""
        disabled = doc.memo.get("disabled")
        if disabled is None:
            disabled = doc.memo["disabled"] = any(b.disabled_rules for b in doc.blocks)
        key = ("substitute", self.scope, self.id if disabled else None)
        found = doc.memo.get(key)
        if found is not None and found[0] == len(doc.edits):
            return found[1], found[2]
        blocks = [b for b in doc.blocks if self.applies_to(b)]
        joined = Joined(list(range(len(blocks))), [b.text for b in blocks])
        doc.memo[key] = (len(doc.edits), blocks, joined)
        return blocks, joined

    def apply_block(self, doc: Document, block: Block) -> None:
        """Apply every non-overlapping match in one block, right to left so offsets stay valid."""
        if self.requires is not None and not self.requires.found_in(block.text):
            return
        guarded = None
        edits = []
        for match in self.pattern.finditer(block.text):
            if guarded is None:
                guarded = textshape.protected_spans(block.text)
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
class SplitBlock(Rule):
    """Break a block where a line break was lost: where each match of ``pattern`` ends (a
    pattern that starts with the character it needs is quick to search for), in documents of the
    ``formats`` named (``text`` by default) and blocks with at least ``min_points`` such points.
    In a block that breaks, ``also`` adds the points its own pattern finds where its
    ``transform`` returns a line break (a test that needs word knowledge). Points in URLs,
    e-mail addresses and code are left alone."""

    kind: ClassVar[str] = "split-block"
    default_formats: ClassVar[tuple[str, ...] | None] = ("text",)
    pattern: re.Pattern = field(default=None)  # type: ignore[assignment]
    also: re.Pattern | None = field(default=None)

    def points(self, text: str) -> list[int]:
        """Where ``text`` breaks, in order; [] when it has fewer than ``min_points``."""
        least = self.spec.get("min_points", 1)
        found = [m.end() for m in self.pattern.finditer(text)]
        if len(found) < least:
            return []
        guarded = textshape.protected_spans(text)
        found = [p for p in found if not textshape.overlaps((p - 1, p + 1), guarded)]
        if len(found) < least:
            return []
        if self.also is not None:
            also = self.spec["also"]
            test, params = TRANSFORMS[also["transform"]], also.get("params", {})
            found += [m.end() for m in self.also.finditer(text)
                      if test(m, params) == "\n" and not textshape.overlaps((m.end() - 1, m.end() + 1), guarded)]
            found = sorted(set(found))
        return found

    def apply(self, doc: Document) -> None:
        if not self.runs_on_format(doc):
            return
        for block in list(doc.blocks):
            if self.applies_to(block):
                points = self.points(block.text)
                if points:
                    doc.split(block, points, rule=self.id, stage=self.stage, message=self.message)


def _names_site(part: str, dropped: str, most: int) -> bool:
    """True when a title's ``part`` reads as a name (at most ``most`` words, the first capitalised
    or a digit, no sentence's end) and the ``dropped`` text (lower case) holds it as words."""
    if not part[:1].isupper() and not part[:1].isdigit():
        return False
    if textshape.word_count(part) > most or part.endswith((".", "!", "?")):
        return False
    return re.search(r"(?<!\w)" + re.escape(part.casefold()) + r"(?!\w)", dropped) is not None


@dataclass(frozen=True)
class DropDuplicate(Rule):
    """Drop a block that repeats the title, or repeats an earlier block.

    With ``title_parts`` (separators, such as "|"), the title is read as parts ("Story | Site"):
    a later block that repeats one part of at least ``min_words`` words (the story) goes, and
    the title becomes that part, its other parts (the site's name) being page furniture.
    """

    kind: ClassVar[str] = "drop-duplicate"

    def _key(self, text: str) -> str:
        if self.spec.get("compare", "normalised") == "exact":
            return text.strip()
        return textshape.normalise_line(text)

    @functools.cached_property
    def _title_split(self) -> re.Pattern | None:
        marks = self.spec.get("title_parts")
        if not marks:
            return None
        return re.compile(r"\s+(?:" + "|".join(re.escape(m) for m in marks) + r")\s+")

    def _apply_title_parts(self, doc: Document) -> None:
        title = next((b for b in doc.alive() if b.kind == BlockKind.TITLE), None)
        if title is None or not self.applies_to(title):
            return
        pieces = self._title_split.split(title.text)  # the parts, as written
        if len(pieces) < 2:
            self._drop_titled_repeat(doc, title)
            return
        parts = [piece.strip() for piece in pieces]
        min_words = self.spec.get("min_words", 1)
        wanted = {self._key(part): part for part in parts if textshape.word_count(part) >= min_words}
        # a block another rule dropped shows the story only when it repeats the title's longest
        # part: a masthead the page's furniture repeats ("Firefox Nightly News", "The New York
        # Times") is the site's name, not the story
        longest = max(textshape.word_count(part) for part in parts)
        wanted_dropped = {key: part for key, part in wanted.items() if textshape.word_count(part) >= longest}
        repeated = None  # a block standing that repeats the story, else one a rule already dropped
        for block in doc.blocks:
            if (block is title or block.kind == BlockKind.TITLE
                    or not (self.applies_to(block) or (block.dropped_by and block.kind in self.scope))):
                continue
            part = (wanted if block.dropped_by is None else wanted_dropped).get(self._key(block.text))
            if part is not None and (repeated is None or block.dropped_by is None):
                repeated = (block, part)
                if block.dropped_by is None:
                    break
        if repeated is not None:
            block, part = repeated
            if block.dropped_by is None:
                doc.drop(block, rule=self.id, stage=self.stage, message=self.message)
            doc.replace_text(title, part, rule=self.id, stage=self.stage,
                             message=f"{self.message} (the title keeps the story, not the site's name)")
            return
        # no repeat: the title keeps its other parts, with their separators as written
        rest = self._without_site_name(doc, title, parts)
        if rest is not None and textshape.word_count(rest) >= min_words:
            doc.replace_text(title, rest.strip(), rule=self.id, stage=self.stage,
                             message=f"{self.message} (the site's name taken off the title)")

    def _drop_titled_repeat(self, doc: Document, title: Block) -> None:
        """A title of one part ("Storm hits the coast") and a later block that is the title and
        a short name after or before it ("Storm hits the coast - The Daily Courier", the page's
        title printed with its headline): the block goes as the title's repeat. The name has
        at most ``site_name_dropped`` words, so a headline with a clause after a dash ("Storm
        hits the coast - and more rain is coming") stays."""
        most = self.spec.get("site_name_dropped")
        if not most:
            return
        wanted = self._key(title.text)
        for block in doc.alive():
            if block is title or block.kind == BlockKind.TITLE or not self.applies_to(block):
                continue
            parts = [part.strip() for part in self._title_split.split(block.text)]
            if len(parts) < 2 or wanted not in (self._key(parts[0]), self._key(parts[-1])):
                continue
            rest = parts[1:] if self._key(parts[0]) == wanted else parts[:-1]
            if all(0 < textshape.word_count(part) <= most for part in rest):
                doc.drop(block, rule=self.id, stage=self.stage,
                         message=f"{self.message} (the headline again, with the site's name)")
                return

    def _without_site_name(self, doc: Document, title: Block, parts: list[str]) -> str | None:
        """The title without its first or last part when that part is a site's name by its shape
        ("cleveland.com"), or without the last parts that name what page furniture the other
        rules dropped names too ("... | Fox Business" and "© 2019 Fox Business"; "... - Breaking
        News - The Jerusalem Post" and a menu's "BREAKING NEWS"); None when neither."""
        separators = [match.span() for match in self._title_split.finditer(title.text)]
        site = self._site_name
        if site is not None and site.fullmatch(parts[-1]):
            return title.text[:separators[-1][0]]
        if site is not None and site.fullmatch(parts[0]):
            return title.text[separators[0][1]:]
        most = self.spec.get("site_name_dropped")
        if not most:
            return None
        dropped = "\n".join(b.text for b in doc.blocks if b.dropped_by is not None and b is not title).casefold()
        cut = len(parts)
        while cut > 1 and _names_site(parts[cut - 1], dropped, most):
            cut -= 1
        return None if cut == len(parts) else title.text[:separators[cut - 1][0]]

    def _drop_contents(self, doc: Document, recurring: int | None) -> None:
        """Drop a contents list that has no label: ``contents_run.min_items`` short lines or more
        in a row, each repeated further down by a heading, the headings in the same order and
        each followed by prose before the next. The list goes and the headings stay where the
        article has them (the plain rule would keep the list's copies and drop the headings).
        Lines without a letter ("8", a code listing's line numbers) and lines found
        ``recurring`` times or more are no entries."""
        spec = self.spec["contents_run"]
        blocks = [b for b in doc.alive() if b.kind != BlockKind.TITLE]
        keys = [self._key(b.text) if any(ch.isalpha() for ch in b.text) else "" for b in blocks]
        where: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            where.setdefault(key, []).append(i)
        if recurring:
            keys = [key if len(where[key]) < recurring else "" for key in keys]
        prose = [textshape.is_prose(b.text) for b in blocks]

        def heading_below(i: int, after: int) -> int | None:
            """The first later copy of block i past ``after`` that is short, not prose, and
            has prose right after it (a section's heading)."""
            for j in where[keys[i]]:
                if j > after and j + 1 < len(blocks) and prose[j + 1] and not prose[j]:
                    return j
            return None

        i = 0
        while i < len(blocks):
            run: list[tuple[int, int]] = []  # (an entry, the heading further down that repeats it)
            j = i
            while (j < len(blocks) and keys[j] and not prose[j]
                   and textshape.word_count(blocks[j].text) <= spec.get("max_words", 12)):
                previous = run[-1][1] if run else j
                below = heading_below(j, max(previous, j))
                if below is None or (run and below <= previous + 1):
                    break
                run.append((j, below))
                j += 1
            if len(run) >= spec["min_items"] and run[0][1] > run[-1][0]:
                for k, _ in run:
                    if self.applies_to(blocks[k]):
                        doc.drop(blocks[k], rule=self.id, stage=self.stage,
                                 message=f"{self.message} (a contents list: the headings it repeats stay)")
                i = j
            else:
                i += 1

    @functools.cached_property
    def _site_name(self) -> re.Pattern | None:
        source = self.spec.get("site_name")
        return None if source is None else re.compile(source)

    def apply(self, doc: Document) -> None:
        if self._title_split is not None:
            self._apply_title_parts(doc)
            return
        against = self.spec.get("against", "any")
        min_words = self.spec.get("min_words", 1)
        recurring = self.spec.get("keep_recurring")
        if self.spec.get("contents_run"):
            self._drop_contents(doc, recurring)
        blocks = list(doc.alive())
        keys = [self._key(block.text) for block in blocks]
        kept: set[str] = set()
        if recurring:  # a text found this many times is the article's own recurring line
            kept = {key for key, n in collections.Counter(keys).items() if n >= recurring}
        entries = self.spec.get("keep_list_entries")
        seen: dict[str, int] = {}  # a text's key -> where it was first seen
        for j, (block, key) in enumerate(zip(blocks, keys)):
            if not key:
                continue
            if (key in seen and key not in kept and self.applies_to(block)
                    and textshape.word_count(block.text) >= min_words
                    and not (entries and _new_list_entry(blocks, keys, seen[key], j, entries["max_words"]))):
                doc.drop(block, rule=self.id, stage=self.stage, message=self.message)
                continue
            if against == "any" or block.kind == BlockKind.TITLE:
                seen.setdefault(key, j)


#: A line that is one field of a list of facts: a short label, a colon or bar, a value.
_FIELD = re.compile(r"\W{0,3}(\w[^:|]{0,39}?)\s*[:|]\s*\S")


def _field_label(text: str, max_label_words: int = 4) -> str | None:
    """The label of a field line ("Memory: 16GB DDR5" -> "memory"), or None."""
    match = _FIELD.match(text)
    if match is None or len(match.group(1).split()) > max_label_words:
        return None
    return match.group(1).casefold()


def _new_list_entry(blocks: list[Block], keys: list[str], first: int, j: int, max_words: int) -> bool:
    """True when block ``j``, a repeat of block ``first``, is a field of a list of facts of its
    own ("Memory: 16GB DDR5" in a second laptop's specs, "Location: Boston, Massachusetts" in a
    second school's): it stands in a run of short lines (``max_words`` words at most) that is not
    the first copy's run nor a copy of it, that holds a line not seen before it, and whose fields
    share two labels or more with the first copy's run (the same facts of another thing). A
    scraper's duplicate comes with its neighbours (a menu or a section printed twice), and page
    furniture repeats its lines among others without such a structure."""
    def run(i: int) -> tuple[int, int]:
        start = end = i
        while start > 0 and textshape.word_count(blocks[start - 1].text) <= max_words:
            start -= 1
        while end + 1 < len(blocks) and textshape.word_count(blocks[end + 1].text) <= max_words:
            end += 1
        return start, end

    def labels(span: tuple[int, int]) -> set[str]:
        found = (_field_label(blocks[i].text) for i in range(span[0], span[1] + 1))
        return {label for label in found if label is not None}

    if textshape.word_count(blocks[j].text) > max_words or _field_label(blocks[j].text) is None:
        return False
    start, end = span = run(j)
    first_span = run(first)
    if start <= first_span[1] or keys[start:end + 1] == keys[first_span[0]:first_span[1] + 1]:
        return False
    seen = set(keys[:start])
    return (any(key and key not in seen for key in keys[start:end + 1])
            and len(labels(span) & labels(first_span)) >= 2)


@dataclass(frozen=True)
class Unicode(Rule):
    """Repair mojibake and broken Unicode with ftfy; the options live in the rule file."""

    kind: ClassVar[str] = "unicode"
    config: Any = field(default=None)
    inert: Any = field(default=None)

    @functools.cached_property
    def markdown_config(self) -> ftfy.TextFixerConfig:
        """The rule's ftfy options for Markdown text: HTML entities are left as written."""
        return self.config._replace(unescape_html=False)

    def apply(self, doc: Document) -> None:
        blocks = [block for block in doc.blocks if self.applies_to(block)]
        # The blocks' texts joined by line breaks (which no fixer rewrites) are inert exactly
        # when each text is: one test of the whole document clears most documents at once.
        joined = "\n".join(block.text for block in blocks)
        verdict = self.inert(joined)
        if verdict is True or (verdict is None and not self.may_look_bad(joined)):
            return
        suspects = []
        for block in blocks:
            verdict = self.inert(block.text)
            if verdict is None:  # mojibake, maybe behind spacing the whitespace stage will fold
                spaced = later_spacing(block.text)
                verdict = not (self.looks_bad(block.text) or (spaced != block.text and self.looks_bad(spaced)))
            if not verdict:
                suspects.append(block)
        for block in suspects:
            self._fix(doc, block)

    def _fix(self, doc: Document, block: Block) -> None:
        config = self.config
        if doc.source_format == "markdown" and config.unescape_html:
            config = self.markdown_config  # in Markdown an entity ("&lt;") is syntax, not damage
        fixed, steps = ftfy.fix_and_explain(block.text, config=config)
        spaced = later_spacing(block.text)
        if spaced != block.text:
            # Mojibake hidden by spacing the whitespace stage will fold ("Â\t\t" becomes the
            # "Â " of a mangled no-break space): fixed now with the spacing folded, or a second
            # cleaning of the output would fix it then.
            refixed, resteps = ftfy.fix_and_explain(spaced, config=config)
            if refixed != later_spacing(fixed):
                fixed, steps = refixed, resteps
        if fixed != block.text:
            names = ", ".join(step.parameter if step.action == "apply" else step.action for step in steps or ())
            doc.replace_text(block, fixed, rule=self.id, stage=self.stage,
                             message=f"{self.message} [{names}]" if names else self.message)

    def may_look_bad(self, text: str) -> bool:
        """False when ``text`` cannot be mojibake to ftfy (or the rule does not fix encodings):
        it holds none of the characters every mojibake sequence holds one of."""
        if not self.config.fix_encoding:
            return False
        marks = mojibake_marks()
        return marks is None or marks.search(text) is not None

    def looks_bad(self, text: str) -> bool:
        """ftfy's mojibake test (when the rule fixes encodings), run only around the marks."""
        return self.config.fix_encoding and looks_bad(text)


@dataclass(frozen=True)
class LanguageToolAllow(Rule):
    """The allow-list of LanguageTool rules whose fixes may be applied; the grammar stage reads it.

    An entry is a rule id, or a mapping with the id under ``rule`` and an optional ``gate``: a
    regular expression every sentence that rule can flag matches (a cheap lexical precondition,
    deliberately over-inclusive; ``{name}`` expands the rule's ``vars``, where a list of strings
    stands for their alternation). A gate comes with ``examples``: ``check`` sentences it must
    let through (ones LanguageTool flags) and ``skip`` sentences it must hold back; they run
    when the pack is loaded, so a pack whose gate misses its own examples is refused. A rule
    without a gate is always checked.
    """

    kind: ClassVar[str] = "languagetool"
    gates: Mapping[str, re.Pattern | None] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        gates: dict[str, re.Pattern | None] = {}
        variables = {name: "|".join(value) if isinstance(value, list) else value
                     for name, value in self.spec.get("vars", {}).items()}
        for entry in self.spec["allow"]:
            if isinstance(entry, str):
                gates[entry] = None
                continue
            rule, source = entry["rule"], entry.get("gate")
            if source is None:
                gates[rule] = None
                continue
            try:
                gate = re.compile(expand_vars(source, variables))
            except re.error as exc:
                raise RuleFileError(self.path, f"gate of {rule}: bad regular expression: {exc}",
                                    hint="check the gate's brackets and escapes") from None
            examples = entry.get("examples", {})
            for expect in ("check", "skip"):
                for sentence in examples.get(expect, []):
                    if (gate.search(sentence) is not None) != (expect == "check"):
                        verb = "lets through" if expect == "skip" else "holds back"
                        raise RuleFileError(self.path, f"the gate of {rule} {verb} its {expect!r} example {sentence!r}",
                                            hint="fix the gate or the example")
            gates[rule] = gate
        object.__setattr__(self, "gates", gates)

    @property
    def allowed(self) -> frozenset[str]:
        """LanguageTool rule ids (or ``category:NAME``) whose first replacement is applied."""
        return frozenset(self.gates)


KINDS: dict[str, type[Rule]] = {k.kind: k for k in (DropBlock, KeepBlock, Substitute, SplitBlock,
                                                      DropDuplicate, Unicode, LanguageToolAllow)}


def build(kind: str, **fields: Any) -> Rule:
    """Compile a validated spec into its kind's rule object; raises re.error on a bad pattern."""
    spec = fields["spec"]
    cls = KINDS[kind]
    if "scope" in spec:
        fields["scope"] = frozenset(BlockKind(s) for s in spec["scope"])
    if cls in (DropBlock, KeepBlock):
        fields["matcher"] = line_matcher(spec)
    if cls is DropBlock and "unless" in spec:
        fields["unless"] = line_matcher({**spec, "match": "anywhere"}, "unless")
    if cls is DropBlock and "unless_next_to" in spec:
        fields["unless_next_to"] = line_matcher({**spec, "match": "anywhere"}, "unless_next_to")
    if cls is DropBlock and "unless_beside" in spec:
        fields["unless_beside"] = line_matcher({**spec, "match": "anywhere"}, "unless_beside")
    if cls is DropBlock and "near_body" in spec:
        near = {**spec, **spec["near_body"], "match": "anywhere"}
        fields["near_body"] = _Guards(spec["near_body"].get("shape", {}),
                                      line_matcher(near, "unless") if "unless" in near else None,
                                      line_matcher(near, "unless_next_to") if "unless_next_to" in near else None)
    if cls is SplitBlock:
        fields["pattern"] = compile_patterns(spec, "pattern")[0]
        if "also" in spec:
            fields["also"] = compile_patterns({**spec, **spec["also"]}, "pattern")[0]
    if cls is Substitute:
        fields["pattern"] = compile_patterns(spec, "pattern")[0]
        fields["requires"] = requires_pattern(spec.get("requires", ()))
        fields["gate"] = literals.required([fields["pattern"]])
        fields["unless_document"] = _alternation(compile_patterns(spec, "unless_document"))
        if "languages" in spec:
            fields["languages"] = frozenset(s.lower() for s in spec["languages"])
        fields["skip_languages"] = frozenset(s.lower() for s in spec.get("skip_languages", ()))
    if cls is Unicode:
        fields["config"] = ftfy.TextFixerConfig(**spec.get("ftfy", {}))
        fields["inert"] = ftfy_inert_check(fields["config"])
    return cls(**fields)
