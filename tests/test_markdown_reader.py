"""Markdown input: block structure, protected blocks, byte-identical round trips, minimal diffs, control comments."""
from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, Config
from cleaner.document import BlockKind
from cleaner.readers.markdown import read_markdown, render_markdown

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

CLEAN_POST = """\
---
title: "Tide tables, explained"
date: 2024-02-01
tags: [tides, guide]
---

# Tide tables, explained

A tide table lists the times and heights of high and low water for one place. Heights are
measured from chart datum, so a negative height means the water falls below it.

## Reading one line

| Time  | Height | Type |
|-------|-------:|------|
| 04:12 | 5.1 m  | High |
| 10:31 | 0.4 m  | Low  |

1. Find your port.
2. Find the date.
   - Summer time may be added already.
   - Check the table's header.
3. Read across.

> Always allow a margin: the wind and the air pressure move the water too.
>
> -- the harbour master

```python
def height(t):
    return  5.1 * cos(t)   # spacing kept as it is
```

    indented   code   stays too

<div class="note">HTML blocks pass through  untouched.</div>

<!-- a comment -->

See the [almanac][alm] for other ports.

[alm]: https://example.org/almanac  "The almanac"

Setext heading
--------------

Tables for the next month are published on the first working day, and the old ones stay
online for a year.

* * *
That is all there is to reading a tide table, whatever the port and the season.
"""


@pytest.mark.parametrize("variant", ["lf", "crlf", "cr", "no-final-newline", "crlf-no-final-newline"])
def test_clean_file_comes_out_byte_identical(rule_cleaner, variant):
    text = {
        "lf": CLEAN_POST,
        "crlf": CLEAN_POST.replace("\n", "\r\n"),
        "cr": CLEAN_POST.replace("\n", "\r"),
        "no-final-newline": CLEAN_POST.rstrip("\n"),
        "crlf-no-final-newline": CLEAN_POST.replace("\n", "\r\n").rstrip("\r\n"),
    }[variant]
    result = rule_cleaner.clean(text.encode(), source_format="markdown", name="post.md")
    assert result.edits == []
    assert result.output == text


@pytest.mark.parametrize("text", ["", "\n", "\n\n\n", "x", "# Title", "  \n# T\n\n\n", "---\n", "+++\na = 1\n",
                                  "- a\n-\n- b\n", "> \n>\n", "[x]: /y\n", "<!-- cleaner: off -->"])
def test_odd_files_round_trip(text):
    assert render_markdown(read_markdown(text)) == text


@pytest.mark.parametrize("path", sorted(SEEDS.glob("md-*.md")), ids=lambda p: p.name)
def test_seeds_round_trip_when_nothing_changes(path):
    text = path.read_text(encoding="utf-8")
    assert render_markdown(read_markdown(text)) == text


def test_blocks_and_kinds():
    doc = read_markdown(CLEAN_POST)
    kinds = [(b.kind, b.protected) for b in doc.blocks]
    assert kinds[0] == (BlockKind.FRONT_MATTER, True)
    assert kinds[1] == (BlockKind.TITLE, False)
    by_kind = {}
    for block in doc.blocks:
        by_kind.setdefault(block.kind, []).append(block)
    assert [b.text for b in by_kind[BlockKind.LIST_ITEM]] == [
        "Find your port.", "Find the date.", "Summer time may be added already.", "Check the table's header.",
        "Read across."]
    assert [b.markup for b in by_kind[BlockKind.LIST_ITEM]] == ["1. ", "2. ", "   - ", "   - ", "3. "]
    assert [b.text for b in by_kind[BlockKind.QUOTE]] == [
        "Always allow a margin: the wind and the air pressure move the water too.", "-- the harbour master"]
    assert all(b.protected for b in by_kind[BlockKind.TABLE] + by_kind[BlockKind.CODE] + by_kind[BlockKind.HTML])
    assert len(by_kind[BlockKind.CODE]) == 2
    html = [b.raw for b in by_kind[BlockKind.HTML]]
    assert '<div class="note">HTML blocks pass through  untouched.</div>' in html
    assert '[alm]: https://example.org/almanac  "The almanac"' in html
    assert "* * *" in html
    headings = [(b.text, b.level) for b in by_kind[BlockKind.HEADING]]
    assert headings == [("Reading one line", 2), ("Setext heading", 2)]
    assert by_kind[BlockKind.PARAGRAPH][0].text.count("\n") == 1  # a hard-wrapped paragraph is one block


def test_front_matter_metadata():
    doc = read_markdown(CLEAN_POST)
    assert doc.metadata == {"title": "Tide tables, explained", "date": "2024-02-01", "tags": ["tides", "guide"]}
    toml = read_markdown('+++\ntitle = "T"\n[extra]\nx = 1\n+++\n\nText.\n')
    assert toml.metadata == {"title": "T", "extra": {"x": 1}} and toml.blocks[0].kind == BlockKind.FRONT_MATTER
    broken = read_markdown("---\ntitle: [unclosed\n---\n\nText.\n")
    assert broken.metadata == {} and broken.blocks[0].kind == BlockKind.FRONT_MATTER


def test_edits_keep_prefixes_newlines_and_the_rest_of_the_file():
    text = ("# Title\r\n\r\n> quoted  line one\r\n> line two\r\n\r\n- item  one\r\n  continued\r\n"
            "- item two\r\n\r\n## Heading  here ##\r\n\r\nPara  graph.\r\n")
    doc = read_markdown(text)
    for block in doc.blocks:
        if "  " in block.text:
            doc.replace_text(block, block.text.replace("  ", " "), rule="t.space", stage="whitespace")
    assert render_markdown(doc) == ("# Title\r\n\r\n> quoted line one\r\n> line two\r\n\r\n- item one\r\n  continued\r\n"
                                    "- item two\r\n\r\n## Heading here ##\r\n\r\nPara graph.\r\n")


def test_edits_in_a_file_with_old_mac_newlines():
    doc = read_markdown("Para  one\rcontinued.\r\rPara two.\r")
    doc.replace_text(doc.blocks[0], "Para one\rcontinued\rand more.".replace("\r", "\n"), rule="t", stage="t")
    assert render_markdown(doc) == "Para one\rcontinued\rand more.\r\rPara two.\r"


def test_edit_that_changes_the_number_of_lines():
    doc = read_markdown("> one\n> two\n\n1. first\n   more\n")
    quote, item = doc.blocks
    doc.replace_text(quote, "one two three", rule="t", stage="t")
    doc.replace_text(item, "first\nmore\nand more", rule="t", stage="t")
    assert render_markdown(doc) == "> one two three\n\n1. first\n   more\n   and more\n"


def test_setext_heading_edit_keeps_its_underline():
    doc = read_markdown("Title  here\n==========\n\nText.\n")
    doc.replace_text(doc.blocks[0], "Title here", rule="t", stage="t")
    assert render_markdown(doc) == "Title here\n==========\n\nText.\n"


@pytest.mark.parametrize("drop, expected", [
    (1, "First.\n\nThird.\n"),
    (0, "Second.\n\nThird.\n"),
    (2, "First.\n\nSecond.\n"),
])
def test_a_dropped_block_goes_with_one_separator(drop, expected):
    doc = read_markdown("First.\n\nSecond.\n\nThird.\n")
    doc.drop(doc.blocks[drop], rule="t", stage="t")
    assert render_markdown(doc) == expected


def test_dropped_list_items_and_trailing_blocks():
    doc = read_markdown("Intro text.\n\n- keep\n- drop\n- keep too\n\nShare this.\n\nSubscribe now.\n")
    for block in doc.blocks:
        if block.text in ("drop", "Share this.", "Subscribe now."):
            doc.drop(block, rule="t", stage="t")
    assert render_markdown(doc) == "Intro text.\n\n- keep\n- keep too\n"
    doc = read_markdown("Only block.")
    doc.drop(doc.blocks[0], rule="t", stage="t")
    assert render_markdown(doc) == ""


def test_only_what_a_rule_changed_changes(rule_cleaner):
    text = CLEAN_POST.replace("A tide table lists", "A tide table  lists") + "\nThanks for reading! Subscribe to our newsletter.\n"
    result = rule_cleaner.clean(text, source_format="markdown", name="post.md")
    assert result.output == CLEAN_POST
    assert sorted(e.rule for e in result.edits) == ["boilerplate.subscribe-prompt", "whitespace.doubled-spaces"]


def test_cleaner_off_and_on_protect_the_blocks_between(rule_cleaner):
    text = ("Intro  text.\n\n<!-- cleaner: off -->\nKept  as  is.\n\nThanks for reading! Subscribe to our newsletter.\n"
            "<!-- cleaner: on -->\n\nCleaned  again.\n")
    result = rule_cleaner.clean(text, source_format="markdown", name="post.md")
    assert result.output == text.replace("Intro  text", "Intro text").replace("Cleaned  again", "Cleaned again")


def test_disable_comment_switches_rules_off_for_the_next_block(rule_cleaner):
    text = ("<!-- cleaner: disable=whitespace.doubled-spaces, boilerplate.subscribe-prompt -->\n"
            "Subscribe  to our newsletter today.\n\nSubscribe  to our newsletter today, friends.\n")
    doc = read_markdown(text)
    assert doc.blocks[1].disabled_rules == {"whitespace.doubled-spaces", "boilerplate.subscribe-prompt"}
    assert doc.blocks[2].disabled_rules == frozenset()
    result = rule_cleaner.clean(text, source_format="markdown", name="post.md")
    assert result.output.startswith(text.split("\n\n")[0] + "\n")
    assert "Subscribe  to our newsletter today, friends." not in result.output


def test_disable_all_rules():
    doc = read_markdown("<!-- cleaner: disable=* -->\nText  here.\n")
    assert doc.blocks[1].disabled_rules == {"*"}


def test_untouched_blocks_keep_raw_for_other_renderers():
    doc = read_markdown(CLEAN_POST)
    assert all(b.raw is not None for b in doc.blocks)
    result = Cleaner(Config(grammar="off")).clean(CLEAN_POST, source_format="markdown", to="html")
    assert "<table>" in result.output and "Tide tables, explained</h1>" in result.output
    assert "title:" not in result.output  # front matter is metadata, not text


def test_html_entities_in_markdown_are_syntax_and_stay():
    """"&lt;script&gt;" in a Markdown file is how its author writes "<script>" as text."""
    source = "# Notes\n\nEscape it as &lt;script&gt; and write caf&eacute; if you like, the guide says.\n"
    result = Cleaner(Config(grammar="off")).clean(source, source_format="markdown", to="markdown")
    assert result.output == source and result.edits == []
    html_out = Cleaner(Config(grammar="off")).clean(source, source_format="markdown", to="html").output
    assert "&lt;script&gt;" in html_out and "<script" not in html_out


def test_a_level_one_heading_after_a_kicker_heading_is_the_title():
    doc = read_markdown("###### immunology\n\n# Cells that taste danger\n\nThe immunologist looked deep inside "
                        "the lungs of mice, and what she found there surprised the whole lab.\n")
    assert [b.kind for b in doc.blocks] == [BlockKind.HEADING, BlockKind.TITLE, BlockKind.PARAGRAPH]


ARTICLE_MD = ("# Council approves the budget\n\n"
              "The council approved the budget on Tuesday after a long debate, and officials said the new "
              "spending would begin in the spring.\n\n"
              "The finance committee said revenue had beaten estimates for three years running, and the mayor "
              "told reporters that road repairs would come first.\n")


@pytest.mark.parametrize("line", [
    "[Share on Twitter](https://twitter.com/intent/tweet?url=https://example.com/budget)",
    "Follow us on [Twitter](https://twitter.com/example) and [Facebook](https://facebook.com/example)",
    "_Thank you for reading! Subscribe to our newsletter._",
    "[Back to top](#top)",
])
def test_boilerplate_written_with_links_and_emphasis_goes(line):
    """The rules read a Markdown block as a reader sees it: a link's text, not its address."""
    result = Cleaner(Config(grammar="off")).clean(ARTICLE_MD + "\n" + line + "\n", source_format="markdown")
    assert result.output == ARTICLE_MD


def test_an_image_of_the_post_stays():
    source = ARTICLE_MD + "\n![The council chamber](https://example.com/chamber.jpg)\n"
    assert Cleaner(Config(grammar="off")).clean(source, source_format="markdown").output == source


@pytest.mark.parametrize("heading", ["Navigation", "Footer", "Search", "Menu", "Loading", "Disabled"])
def test_a_heading_of_the_post_named_like_a_page_control_stays(heading):
    """A web-design guide's "## Navigation" is the author's heading, not a page's control."""
    lines = ARTICLE_MD.split("\n\n")
    source = "\n\n".join([*lines[:2], f"## {heading}", *lines[2:]])
    assert Cleaner(Config(grammar="off")).clean(source, source_format="markdown").output == source


def test_a_post_titled_like_a_section_label_keeps_its_title():
    source = ARTICLE_MD.replace("# Council approves the budget", "# Review")
    assert Cleaner(Config(grammar="off")).clean(source, source_format="markdown").output == source


@pytest.mark.parametrize("title", ["Search", "Subscribe", "Comments", "Advertisement"])
def test_a_post_titled_like_page_furniture_keeps_its_title(title):
    source = ARTICLE_MD.replace("# Council approves the budget", f"# {title}")
    assert Cleaner(Config(grammar="off")).clean(source, source_format="markdown").output == source
