"""The document's API is the only way text changes, and every change is in the ledger."""
import pytest

from cleaner.document import Block, BlockKind, Document, EditRefused


def make(*texts, kind=BlockKind.PARAGRAPH):
    return Document([Block(i, kind, t, i + 1) for i, t in enumerate(texts)])


def test_replace_records_the_span_and_action():
    doc = make("it would do so built a jet")
    assert doc.replace(doc.blocks[0], 9, 20, "build", rule="r.x", stage="repair")
    assert doc.blocks[0].text == "it would build a jet"
    edit = doc.edits[0]
    assert (edit.rule, edit.action, edit.before, edit.after, edit.line) == ("r.x", "replace", "do so built", "build", 1)


def test_no_op_edits_are_refused():
    doc = make("same")
    assert not doc.replace(doc.blocks[0], 0, 4, "same", rule="r", stage="s")
    assert not doc.replace_text(doc.blocks[0], "same", rule="r", stage="s")
    assert doc.edits == []


def test_replace_text_records_smallest_span():
    doc = make("Italythe first project")
    doc.replace_text(doc.blocks[0], "Italy, the first project", rule="r", stage="s")
    edit = doc.edits[0]
    assert (edit.start, edit.end, edit.before, edit.after, edit.action) == (5, 5, "", ", ", "insert")


def test_protected_and_dropped_blocks_refuse_edits():
    doc = make("code", "text")
    doc.blocks[0].protected = True
    with pytest.raises(EditRefused):
        doc.replace_text(doc.blocks[0], "x", rule="r", stage="s")
    doc.drop(doc.blocks[1], rule="r", stage="s")
    with pytest.raises(EditRefused):
        doc.drop(doc.blocks[1], rule="r", stage="s")
    assert [b.text for b in doc.alive()] == ["code"]


def test_restore_undoes_a_drop_and_its_ledger_entry():
    doc = make("a", "b")
    doc.drop(doc.blocks[1], rule="r", stage="s")
    doc.restore(doc.blocks[1], reason="valve")
    assert doc.edits == [] and doc.blocks[1].alive and doc.warnings == ["valve"]
