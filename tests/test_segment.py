"""The segment stage: line breaks a scraper lost are put back in plain text, and recorded."""
from __future__ import annotations

from cleaner import Cleaner, Config
from cleaner.document import Block, BlockKind, Document, replay

CLEANER = Cleaner(Config(grammar="off"))

GLUED = ("Tickets go on sale Friday, Dec. 6.The band unveiled its plans on Monday night in Nashville, "
         "bringing out McDonald during an encore.The band is nominated for the Rock and Roll Hall of "
         "Fame's Class of 2020, which will be honored on May 2. It sits third in the Fan Vote.You may "
         "also like...Who will make the Rock Hall in 2020?Dave Matthews Band takes over Rock Hall Fan "
         "VoteDoobie Brothers perform with Santana in 2019")


def test_split_records_one_edit_per_point_and_replays():
    doc = Document([Block(0, BlockKind.PARAGRAPH, "One.Two.  Three", 1), Block(1, BlockKind.PARAGRAPH, "Four", 2)])
    pieces = doc.split(doc.blocks[0], [4, 8], rule="segment.test", stage="segment")
    assert [b.text for b in doc.blocks] == ["One.", "Two.", "Three", "Four"]
    assert [b.id for b in pieces] == [2, 3] and all(b.line == 1 for b in pieces)
    assert [(e.action, e.before, e.after) for e in doc.edits] == [
        ("split", "One.Two.  Three", "One.\nTwo.  Three"), ("split", "Two.  Three", "Two.\n  Three")]
    fresh = Document([Block(0, BlockKind.PARAGRAPH, "One.Two.  Three", 1), Block(1, BlockKind.PARAGRAPH, "Four", 2)])
    assert [b.text for b in replay(fresh, doc.edits).blocks] == ["One.", "Two.", "Three", "Four"]


def test_a_glued_document_gets_its_lines_back_and_loses_its_related_headlines():
    result = CLEANER.clean(GLUED, source_format="text", to="text")
    paragraphs = result.output.split("\n\n")
    assert "The band unveiled its plans on Monday night in Nashville, bringing out McDonald during an encore." in paragraphs
    assert "You may also like" not in result.output and "Dave Matthews" not in result.output
    assert "It sits third in the Fan Vote." in result.output
    assert sum(e.rule == "segment.lost-line-break" for e in result.edits) >= 5
    again = CLEANER.clean(result.output, source_format="text", to="text")
    assert again.output == result.output and again.edits == []


def test_a_single_missing_space_is_not_a_lost_line_break():
    result = CLEANER.clean("Prices rose.The ministry disagreed, and said so at length.", source_format="text", to="text")
    assert result.output.strip() == "Prices rose. The ministry disagreed, and said so at length."
    assert not any(e.action == "split" for e in result.edits)


def test_markdown_and_html_keep_their_own_blocks():
    text = "Prices rose.The ministry disagreed.Analysts were surprised.\n"
    for fmt in ("markdown", "html"):
        source = f"<p>{text}</p>" if fmt == "html" else text
        result = CLEANER.clean(source, source_format=fmt, to="text")
        assert not any(e.action == "split" for e in result.edits), fmt
