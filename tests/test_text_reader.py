"""The plain-text reader: a block per paragraph, whether a paragraph is one line or hard-wrapped."""
from __future__ import annotations

import textwrap

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Config
from cleaner.readers.text import read_text, wrap_width

CLEANER = Cleaner(Config(grammar="off"))

PARAGRAPHS = [
    "Dock workers walked out on Monday after talks with the shipping companies broke down, and the "
    "union said the strike would go on until the companies returned to the table with a new offer "
    "on pay and on the hours of the night shifts.",
    "The Port Authority said about forty ships were waiting off the coast. Retailers, including the "
    "Denver Post's largest advertisers, warned that shelves could be empty within two weeks, and the "
    "governor asked both sides to meet again before March 20.",
    "Neither side has said when the talks might start again. A spokesman for the companies said "
    "they had made their final offer, and the union's leader told reporters that the walkout had "
    "the support of every local on the West Coast.",
]


def test_a_hard_wrapped_article_reads_as_its_paragraphs():
    text = "\n\n".join(textwrap.fill(p, 72) for p in PARAGRAPHS)
    assert wrap_width(text.splitlines()) is not None
    assert [b.text for b in read_text(text).blocks] == PARAGRAPHS


def test_an_indented_first_line_counts_towards_the_width():
    # the indent is part of the line as wrapped: "... said on Tuesday that the" / "New Year
    # fireworks ..." broke there only because of it
    first = ("Officials in the city of Springfield said on Tuesday that the New Year fireworks would "
             "go ahead as planned despite the forecast of strong winds along the river.")
    text = "\n\n".join(textwrap.fill(p, 72, initial_indent=" " * 10) for p in [first, *PARAGRAPHS])
    assert text.splitlines()[1].startswith("New Year")
    assert [b.text for b in read_text(text).blocks] == [first, *PARAGRAPHS]


def test_a_wrapped_line_that_looks_like_a_date_or_a_name_stays_in_its_paragraph():
    # lines that start with a capital ("Denver Post's ...", "March 20.") are the rest of a
    # sentence, not a heading or a dateline for the boilerplate rules to take
    text = "\n\n".join(textwrap.fill(p, 60) for p in PARAGRAPHS)
    output = CLEANER.clean(text, source_format="text", to="text").output
    assert output.strip().split("\n\n") == PARAGRAPHS


def test_a_hyphenated_word_split_at_the_line_end_is_whole_again():
    text = textwrap.fill("The company sold its plug-in hybrid models in twelve countries last year "
                         "and expects to add four more this year, with a smaller battery and the "
                         "well-known warranty that covers the motor and the electronics for eight "
                         "years; sales rose by a third, the company said, and the factory in the "
                         "north will hire two hundred people to build the new model", 76)
    assert "well-\nknown" in text  # textwrap breaks after the hyphen here
    blocks = [b.text for b in read_text(text).blocks]
    assert len(blocks) == 1 and "the well-known warranty" in blocks[0]


def test_a_short_line_broken_inside_a_word_is_joined_to_the_next():
    text = "Officials said the infor-\nmation was wrong.\n\nA new para-\nGraph stays apart."
    assert [b.text for b in read_text(text).blocks] == [
        "Officials said the infor-mation was wrong.", "A new para-", "Graph stays apart."]


def test_lists_and_one_line_paragraphs_are_not_read_as_wrapped():
    menu = ["Home", "News", "Sport", "Weather", "Sign in"]
    assert wrap_width(menu) is None
    assert wrap_width(PARAGRAPHS) is None  # a paragraph on each line, as scrapers write them
    items = ["Things to bring for the day on the water:", "- a hat and sunscreen for the whole afternoon",
             "- two litres of water for each person in the boat", "- a dry bag for phones and keys"]
    assert len(read_text("\n".join(items)).blocks) == 4


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", min_size=2, max_size=12)


@settings(max_examples=60, deadline=None)
@given(paragraphs=st.lists(st.lists(_WORDS, min_size=30, max_size=60), min_size=2, max_size=5),
       width=st.integers(min_value=50, max_value=90))
def test_any_text_wrapped_at_a_width_reads_back_as_its_paragraphs(paragraphs, width):
    texts = [" ".join(words) + "." for words in paragraphs]
    filled = [textwrap.fill(t, width, break_on_hyphens=False) for t in texts]
    assume(sum(f.count("\n") for f in filled) >= 3)  # the reader needs three wrapped lines to see a width
    wrapped = "\n\n".join(filled)
    assert [b.text for b in read_text(wrapped).blocks] == texts
