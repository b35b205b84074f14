"""The rules' first tests never lose a block the rule matches alone.

A drop-block rule finds its candidate blocks from the literal strings its patterns need (one
automaton pass for all rules, ``literals.Prefilter``) and one search over the blocks joined by
newlines (``_LineMatcher.candidates``); the exact test then runs on those only. A substitute
rule searches the joined text once and edits only the blocks a match touches. These tests check
that every block the exact test accepts is among the candidates, for every shipped rule, on
lines taken from the rules' own examples and on arbitrary text, in any letter case.
"""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.document import Block, BlockKind, Document
from cleaner.rulebook import literals, load_rules
from cleaner.rulebook.blockview import BlockView
from cleaner.rulebook.kinds import DropBlock, KeepBlock, Substitute, requires_pattern
from cleaner.rulebook.scan import Joined, joinable

RULES = [r for r in load_rules().rules if isinstance(r, DropBlock) and r._has_text_test]
PREFILTER = literals.Prefilter(r.matcher.gate for r in RULES)
SUBSTITUTES = [r for r in load_rules().rules if isinstance(r, Substitute)]
EXAMPLE_LINES = sorted({line for rule in RULES for group in ("drop", "keep")
                        for example in rule.spec.get("examples", {}).get(group, [])
                        for line in (example if isinstance(example, list) else [example])
                        if isinstance(line, str)})


def _document(lines: list[str]) -> Document:
    return Document([Block(i, BlockKind.PARAGRAPH, text, i + 1) for i, text in enumerate(lines)])


def _example_lines(rule) -> list[str]:
    """A rule's example texts (the first text of a pair: the text before a fix)."""
    return [line for group in rule.spec.get("examples", {}).values() for example in group
            for line in (example[:1] if isinstance(example, list) else [example])]


def _exact(rule: DropBlock, view: BlockView, indexes: list[int]) -> set[int]:
    return {i for i in indexes if rule.matcher.matches(view.texts[i], view.normalised(i), view.line(i))}


def _check_all_rules(lines: list[str]) -> None:
    # with the automaton (as the stage runs) and with the substring search (a view without it)
    for view in (BlockView(_document(lines), PREFILTER), BlockView(_document(lines))):
        for rule in RULES:
            high = rule.spec.get("max_words", 40)
            indexes = view.within(rule.spec.get("min_words", 0), high)
            kept = set(rule.matcher.candidates(view, indexes, high))
            missed = _exact(rule, view, indexes) - kept
            assert not missed, (rule.id, [lines[i] for i in missed])
    _check_substitutes(lines)


def _check_substitutes(lines: list[str]) -> None:
    """Every block a substitute rule's pattern finds alone is touched by its joined search."""
    joined = Joined(list(range(len(lines))), lines)
    for rule in SUBSTITUTES:
        if rule.gate is not None:
            unheld = [line for line in lines if rule.pattern.search(line) and not literals.holds_any(line, rule.gate)]
            assert not unheld, (rule.id, unheld)
        if rule._scan is None:
            continue
        touched = joined.touched(rule._scan)
        missed = [line for i, line in enumerate(lines) if rule.pattern.search(line) and i not in touched]
        assert not missed, (rule.id, missed)


def test_examples_in_one_document_are_all_candidates():
    assert len(EXAMPLE_LINES) > 200
    _check_all_rules(EXAMPLE_LINES)


def test_examples_one_by_one_between_neighbours():
    # the same lines with other text around them: what lies past the newline must not matter
    for i, line in enumerate(EXAMPLE_LINES):
        _check_all_rules([EXAMPLE_LINES[i - 1], line, "x" + line, line + ".", EXAMPLE_LINES[(i + 1) % len(EXAMPLE_LINES)]])


def test_end_rules_find_a_line_end_after_long_text():
    # "match: end" rules search a line's last characters, and their strings are looked for
    # there: a line whose end matches stays a candidate however much text comes before it
    ends = [r for r in RULES if r.matcher.mode == "end"]
    assert ends
    lines = [line for r in ends for line in _example_lines(r)]
    for line in lines:
        longer = [("word " * n)[:n * 5 - k] + line for n in (8, 30, 34) for k in (0, 3)]
        longer += ["Photo credit: (AP) more less [File: x] " + "y" * k + " " + line for k in (120, 160, 200)]
        _check_all_rules(longer)


def test_an_end_rule_looks_for_its_strings_in_the_whole_window():
    # a match may start anywhere in the last END_WINDOW characters; its strings are there
    from cleaner.rulebook import kinds
    rule = kinds.build("drop-block", id="t.long-credit", stage="boilerplate", path="t.yaml",
                       spec={"kind": "drop-block", "description": "t", "match": "end", "max_words": 300,
                             "patterns": ["Pictured:[^.]{0,200}$"]})
    assert rule.matcher.gate == frozenset({"pictured:"})
    for start in range(kinds.END_WINDOW - 12, kinds.END_WINDOW + 4):
        tail = "Pictured:" + "x" * (start - len("Pictured:"))
        line = "Pictured: not here. " + "word " * 30 + "end." + tail
        view = BlockView(_document(["Some prose.", line]))
        found = rule.matcher.candidates(view, view.within(0, 300), 300)
        assert (1 in found) == rule.matcher.matches(view.texts[1]), start
        assert (1 in found) == (start <= kinds.END_WINDOW), start


KEEPS = [r for r in load_rules().rules if isinstance(r, KeepBlock)]


def _kept(rule: KeepBlock, lines: list[str]) -> list[int]:
    doc = _document(lines)
    rule.apply(doc)
    return [b.id for b in doc.blocks if b.kind == BlockKind.CREDIT]


def test_keep_rules_first_test_keeps_every_match():
    # a keep rule tests only blocks holding one of its strings: each block its exact test
    # accepts, alone or among others, in any case, is still kept
    assert KEEPS and all(rule.matcher.gate for rule in KEEPS)
    lines = sorted({line for rule in KEEPS for group in rule.spec["examples"].values() for example in group
                    for line in (example if isinstance(example, list) else [example]) if isinstance(line, str)})
    for rule in KEEPS:
        for variant in (lines, [x.upper() for x in lines], [x.swapcase() for x in lines],
                        [x.replace("i", "İ") for x in lines]):
            exact = [i for i, line in enumerate(variant) if rule.matches(Block(i, BlockKind.PARAGRAPH, line, i + 1))]
            assert _kept(rule, variant) == exact, rule.id
        assert any(_kept(rule, [line]) for line in lines), rule.id


def test_prefilter_narrows():
    # a document of prose leaves no candidate to most rules: the first test does work
    view = BlockView(_document(["The council met on Tuesday and approved the budget for next year."] * 5))
    narrowed = [r for r in RULES if not r.matcher.candidates(view, view.within(0, 40), 40)]
    assert len(narrowed) > len(RULES) // 2


def _recase(pair: tuple[str, list[int]]) -> str:
    """The line with each letter kept (0), in the other case (1), or written the way only a
    case-blind pattern takes it (2: "İ" or "ı" for "i", "ſ" for "s", the Kelvin sign for "k")."""
    text, moves = pair
    odd = {"i": "İ", "s": "ſ", "k": "\u212a"}
    out = []
    for ch, move in zip(text, moves + [0] * len(text)):
        if move == 1:
            ch = ch.swapcase()
        elif move == 2:
            ch = odd.get(ch.lower(), "ı" if ch == "I" else ch.swapcase())
        out.append(ch)
    return "".join(out)


line = st.one_of(st.sampled_from(EXAMPLE_LINES), st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
                 st.sampled_from(EXAMPLE_LINES).map(lambda s: s.upper()),
                 st.sampled_from(EXAMPLE_LINES).map(lambda s: s.replace(" ", "\n", 1)),
                 st.tuples(st.sampled_from(EXAMPLE_LINES), st.lists(st.integers(0, 2), max_size=80)).map(_recase))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line, min_size=1, max_size=8))
def test_arbitrary_documents(lines):
    _check_all_rules(lines)


@pytest.mark.parametrize("pattern, expected", [
    (r"(?<![.])x", True),           # the lookbehind cannot match a newline
    (r"(?<![\w])x", True),
    (r"x(?![\w'’-])", True),
    (r"(?<!.)x", True),             # "." takes no newline
    (r"(?<=^\s)x", True),           # positive lookarounds only find more
    (r"(?<!\s)x", False),           # a newline is a space: the neighbour could veto
    (r"(?<![^a])x", False),
    (r"(?!$)x", False),
    (r"(?!\n)x", False),
    (r"\Ax", False), (r"x\Z", False),
    (r"(?>a+)b", False), (r"a++b", False),
    (r"(?s)(?<!.)x", False),        # DOTALL: "." takes a newline
    (r"x(?! +(?:be|do)(?![\w'-]))", True),   # a look-around inside one that takes no newline
    (r"x(?!a(?=\s))", False),                # ... but this one sees the newline as a space
])
def test_joinable(pattern, expected):
    assert joinable(re.compile(pattern)) is expected


def test_every_case_of_every_example_is_a_candidate():
    # letter case must not hide a line from the literal prefilter (it compares folded text)
    for text in EXAMPLE_LINES:
        _check_all_rules([text.upper(), text.title(), text.swapcase(), text.replace("i", "İ").replace("s", "ſ"),
                          text.replace("i", "ı").replace("k", "\u212a")])


def test_substitute_examples_are_touched():
    lines = [line for rule in SUBSTITUTES for line in _example_lines(rule)]
    assert len(lines) > 50
    _check_substitutes(lines)
    for i, text in enumerate(lines):
        _check_substitutes([lines[i - 1], text, "x" + text, text + ".", lines[(i + 1) % len(lines)]])


def test_requires_over_joined_blocks():
    joined = Joined([0, 1], ["We use COOKIES", "here"])
    assert requires_pattern(["Cookie"]).found_in_joined(joined)
    assert not requires_pattern(["cookies here"]).found_in_joined(joined)   # not across blocks ...
    assert requires_pattern(["cookies\nhere"]).found_in_joined(joined)      # ... unless the word says so
    assert not requires_pattern(["\nwe"]).found_in_joined(joined)          # nor before the first


def test_requires_is_case_blind_and_literal():
    requires = requires_pattern(["Cookie", "a.b"])
    assert requires.words == ("cookie", "a.b")
    assert requires.found_in("We use COOKIES here")
    assert requires.found_in("see a.b") and not requires.found_in("see axb")


def _rule(**spec) -> DropBlock:
    from cleaner.rulebook.kinds import build
    return build("drop-block", id="test.rule", stage="boilerplate", path="test.yaml",
                 spec={"kind": "drop-block", "description": "test", **spec})


@pytest.mark.parametrize("spec, line", [
    ({"phrases": ["Skip to content"]}, "» Skip to content «"),
    ({"phrases": ["Skip to content"], "patterns": ["menu"]}, "skip   TO content"),
    ({"patterns": ["(?<![.])menu"], "match": "line"}, "Menu"),
    ({"patterns": ["^menu"], "match": "anywhere"}, "menu of the day"),
    ({"patterns": ["menu"], "match": "start"}, "• Menu and more"),
    ({"patterns": ["menu"], "match": "anywhere", "requires": ["MENU"]}, "the Menu here"),
    ({"patterns": ["menu\\s+bar"], "match": "line"}, "menu\nbar"),
])
def test_each_way_of_matching_keeps_its_block(spec, line):
    rule = _rule(**spec)
    lines = ["A paragraph of prose that no rule here matches at all.", line, "Another line."]
    view = BlockView(_document(lines))
    assert rule.matcher.matches(view.texts[1], view.normalised(1), view.line(1))
    assert rule.matcher.candidates(view, view.within(0, 40), 40) == [1]


MOJIBAKE_ALPHABET = "".join(chr(c) for c in [*range(0x20, 0x7f), *range(0x80, 0x250), *range(0x2010, 0x2040),
                                              *range(0x370, 0x460), *range(0x2500, 0x2590), 0x20ac, 0x2122, 0xfffd])


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=MOJIBAKE_ALPHABET, min_size=1, max_size=12))
def test_mojibake_marks_cover_every_bad_text(text):
    # the unicode rule runs ftfy's is_bad only on text holding a mark: none may be missed
    from ftfy.badness import is_bad
    from cleaner.rulebook.mojibake import mojibake_marks
    if is_bad(text):
        assert mojibake_marks().search(text), text


def test_mojibake_marks_pass_over_typography():
    from cleaner.rulebook.mojibake import mojibake_marks
    assert mojibake_marks().search("“Quoted” – and ‘this’ … • item\u00a0here") is None
    assert mojibake_marks().search("doesnÃ¢â‚¬â„¢t")


def _rule_edits(rule, text: str, first_test: bool) -> list:
    """The edits ``rule`` makes to ``text`` (a block a line), with or without its transform's first test."""
    from cleaner.rulebook import transforms
    saved = dict(transforms.FIRST_TESTS)
    if not first_test:
        transforms.FIRST_TESTS.clear()
    try:
        doc = _document(text.split("\n"))
        rule.apply(doc)
        return [(e.line, e.before, e.after) for e in doc.edits]
    finally:
        transforms.FIRST_TESTS.update(saved)


GLUED = next(r for r in load_rules().rules if r.id == "repair.glued-words")
GLUE_LINES = _example_lines(GLUED)


def test_glue_first_test_keeps_every_example_edit():
    assert len(GLUE_LINES) > 15
    for line in GLUE_LINES:
        assert _rule_edits(GLUED, line, True) == _rule_edits(GLUED, line, False), line


glue_word = st.sampled_from(["the", "and", "Italy", "open", "Britain", "president", "with", "also", "nation",
                             "iPhone", "of", "Google", "was", "mustbe", "However", "U.S.", "thepresident"])
glue_gap = st.sampled_from([" ", "", ", ", ". ", "\n", " (", "“", "”", ": "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(glue_word, glue_gap), min_size=1, max_size=10))
def test_glue_first_test_never_hides_an_edit(parts):
    text = "".join(w + g for w, g in parts)
    assert _rule_edits(GLUED, text, True) == _rule_edits(GLUED, text, False)


def test_glue_first_test_passes_over_clean_text():
    from cleaner.rulebook.transforms import may_hold_glue
    params = GLUED.spec["params"]
    assert not may_hold_glue("The president met the nation's allies in Italy and Britain.", GLUED.pattern, params)
    assert may_hold_glue("with Britain and Italythe first", GLUED.pattern, params)


DOUBLED = next(r for r in load_rules().rules if r.id == "repair.doubled-word")
DOUBLED_LINES = _example_lines(DOUBLED)


def test_doubled_word_first_test_keeps_every_example_edit():
    assert len(DOUBLED_LINES) > 15
    fixed = 0
    for line in DOUBLED_LINES:
        edits = _rule_edits(DOUBLED, line, True)
        assert edits == _rule_edits(DOUBLED, line, False), line
        fixed += bool(edits)
    assert fixed >= 8


double_word = st.sampled_from(["the", "The", "THE", "of", "Calendar", "San", "had", "k", "\u212a", "İn", "in", "ın",
                               "that", "is", "brunch", "Will", "will", "“the", "the”", "(of", "of)", "Straße",
                               "Kit", "\u212ait"])
double_gap = st.sampled_from([" ", "  ", "\t", ", ", ". ", "\n", " (", "-", "’s ", "é ", "", "é"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(double_word, double_gap), min_size=1, max_size=10))
def test_doubled_word_first_test_never_hides_an_edit(parts):
    text = "".join(w + g for w, g in parts)
    assert _rule_edits(DOUBLED, text, True) == _rule_edits(DOUBLED, text, False)


def test_doubled_word_first_test_passes_over_clean_text():
    from cleaner.rulebook.transforms import may_hold_double
    assert not may_hold_double("The council met the nation’s allies; of the 12, all agreed.", DOUBLED.pattern, {})
    assert may_hold_double("It was one of of the first", DOUBLED.pattern, {})
    assert may_hold_double("Kit \u212ait is here", DOUBLED.pattern, {})  # the Kelvin sign matches "K" case-blind
    assert may_hold_double("Both İ and x“the the", DOUBLED.pattern, {})  # a letter glued to the quote before


@pytest.mark.parametrize("text", ["Kit \u212ait sold.", "Bags: x“the the best” they said.", "İstanbul hit hit records."])
def test_doubled_word_first_test_on_edge_characters(text):
    assert _rule_edits(DOUBLED, text, False), text   # the rule edits these ...
    assert _rule_edits(DOUBLED, text, True) == _rule_edits(DOUBLED, text, False)   # ... with its first test too


def test_preload_loads_the_word_lists_and_changes_nothing():
    from cleaner import Cleaner, Config, lexicon
    cleaner = Cleaner(Config(grammar="off"))
    text = "A title\n\nThe council would permanently stationed two ships, with Italythe first.\n"
    before = cleaner.clean(text, source_format="text").output
    assert cleaner.preload() is cleaner
    assert lexicon._foreign_words.cache_info().currsize >= 1
    assert cleaner.clean(text, source_format="text").output == before


@pytest.mark.parametrize("pattern, strings", [
    (r"(?:please )?subscribe to (?:our|the) newsletter", {"subscribe to our newsletter", "subscribe to the newsletter"}),
    (r"\d+ comments?", {" comment"}),
    (r"[Ss]ubscribe", {"subscribe"}),
    (r"(?i)SIGN UP", {"sign up"}),
    (r"colou?r", {"color", "colour"}),
    (r"back to top|top of page|back to top button", {"back to top", "top of page"}),
    (r"(?=.*copyright)\d{4}", {"copyright"}),   # a look-ahead's text is in the line too
    (r"@\w+", {"@"}),                           # one mark says enough
    (r"Straße", {"strasse"}),                   # compared case-folded
    (r"\w+", None),
    (r"x?y", None),                             # one letter says nothing
    (r"(\w+) \1", None),
    (r"(?<!not )\.", None),                     # what a negative look-around names need not be there
    (r"menu|\d+", None),                        # one branch needs nothing
])
def test_required_literals(pattern, strings):
    found = literals.required([re.compile(pattern, re.IGNORECASE)])
    assert (set(found) if found is not None else None) == strings


def test_prefilter_locates_each_literal():
    prefilter = literals.Prefilter([frozenset({"back to top", "subscribe"}), frozenset({"read more"}), None])
    texts = [literals.fold(t) for t in ["Back to TOP", "An article to read. More later.", "Read more • Subscribe"]]
    assert prefilter.locate(texts) == {"back to top": {0}, "read more": {2}, "subscribe": {2}}
    by_gate = prefilter.locate_gates(texts)
    assert by_gate[prefilter.gate_number[frozenset({"back to top", "subscribe"})]] == {0, 2}
    assert by_gate[prefilter.gate_number[frozenset({"read more"})]] == {2}
    assert prefilter.locate([]) == {}
    assert literals.fold("İSTANBUL ıs STRASSE Straße") == "istanbul is strasse strasse"


def test_substitute_rules_of_a_stage_see_each_others_edits():
    # the rules of a stage share their blocks' joined text (Document.memo) until an edit
    from cleaner.rulebook.kinds import build
    from cleaner.stages import RuleStage

    def rule(name, pattern, replace):
        return build("substitute", id=f"test.{name}", stage="repair", path="test.yaml",
                     spec={"kind": "substitute", "description": "test", "pattern": pattern, "replace": replace})

    class Rules:
        def for_stage(self, name):
            return [rule("first", "glued", "split apart"), rule("second", "apart", "in two"),
                    rule("third", "never", "x")]

    doc = _document(["Some glued text.", "Other text."])
    RuleStage(Rules(), name="repair").apply(doc)
    assert [b.text for b in doc.blocks] == ["Some split in two text.", "Other text."]
    assert [e.rule for e in doc.edits] == ["test.first", "test.second"]
    assert doc.memo == {}  # nothing is kept past the stage


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["Ã©", "â€™", "Ã", "©", "é", "ä", " ", "a", "Z", "×²", "вЂ", "ØŸ", "\n", "Â\xa0",
                                 "œ!", "‚Ä†", "Ãƒ", "—", "£", "¼", "Ø§Ù„", "Ã¢â‚¬â„¢", "â€œ", "Ã‰", "Ø", "Ù",
                                 "·", "–", "Ø³Ø"]), max_size=30)
       .map("".join) | st.text(alphabet=MOJIBAKE_ALPHABET, max_size=40))
def test_windowed_mojibake_test_agrees_with_ftfy(text):
    # the unicode rule searches only around the marks; it must say what ftfy's is_bad says
    from ftfy.badness import is_bad
    from cleaner.rulebook.mojibake import _badness_width, looks_bad
    assert _badness_width() is not None
    assert looks_bad(text) == is_bad(text), text
    padded = "x " * 25 + text + " y" * 25
    assert looks_bad(padded) == is_bad(padded), text
