"""The CLI contract: outputs, formats, exit codes and one-line errors."""
import json
import subprocess
import sys

import pytest

from cleaner.cli import main

ARTICLE = ("Title of the story\n\nThe council approved the budget on Tuesday after a long debate.\n\n"
           "Share this article\n\nOfficials said the new spending would begin in the spring.\n")


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE)
    return path


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_one_input_goes_to_stdout_as_markdown(article, capsys):
    code, out, err = run(["clean", str(article), "--no-grammar"], capsys)
    assert code == 0 and err == ""
    assert out == ("# Title of the story\n\nThe council approved the budget on Tuesday after a long debate.\n\n"
                   "Officials said the new spending would begin in the spring.\n")


def test_text_and_html_formats(article, capsys):
    _, text, _ = run(["clean", str(article), "--to", "text", "--no-grammar"], capsys)
    assert text.startswith("Title of the story\n\nThe council") and "Share this" not in text
    _, html, _ = run(["clean", str(article), "--to", "html", "--no-grammar"], capsys)
    assert html.startswith("<h1>Title of the story</h1>") and "<p>Officials said" in html


def test_json_has_the_contract_fields_and_edits(article, capsys):
    _, out, _ = run(["clean", str(article), "--to", "json", "--no-grammar"], capsys)
    record = json.loads(out)
    assert {"source", "title", "markdown", "text", "edits", "metadata"} <= set(record)
    assert record["title"] == "Title of the story"
    assert record["edits"] == [{"rule": "boilerplate.share-follow", "stage": "boilerplate", "action": "drop",
                                "before": "Share this article", "after": "", "line": 5, "block": 2,
                                "message": record["edits"][0]["message"]}]


def test_several_inputs_to_json_lines(article, tmp_path, capsys):
    other = tmp_path / "other.txt"
    other.write_text("Another story\n\nA paragraph of prose that says something worth keeping here.\n")
    _, out, _ = run(["clean", str(article), str(other), "--to", "json", "--no-grammar", "--quiet"], capsys)
    lines = out.splitlines()
    assert [json.loads(line)["source"] for line in lines] == [str(article), str(other)]


def test_output_folder_mirrors_tree(tmp_path, capsys):
    src = tmp_path / "in"
    (src / "a" / "b").mkdir(parents=True)
    (src / "a" / "b" / "one.txt").write_text(ARTICLE)
    (src / "two.txt").write_text(ARTICLE)
    (src / "ignored.bin").write_bytes(b"\x00\x01")
    code, _, err = run(["clean", str(src), "-o", str(tmp_path / "out"), "--to", "text", "--no-grammar"], capsys)
    assert code == 0
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.*")) == [
        "a/b/one.txt", "two.txt"]
    assert "2 files cleaned, 0 unchanged" in err


def test_explain_lists_edits_on_stderr(article, capsys):
    _, _, err = run(["clean", str(article), "--explain", "--no-grammar"], capsys)
    assert f"{article}:5: boilerplate.share-follow: dropped 'Share this article'" in err


def test_binary_input_fails_alone_and_others_are_written(tmp_path, article, capsys):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    out_dir = tmp_path / "out"
    code, _, err = run(["clean", str(binary), str(article), "-o", str(out_dir), "--no-grammar"], capsys)
    assert code == 2
    assert f"cleaner: error: cannot clean {binary}: input is binary (NUL byte at offset 8)" in err
    assert (out_dir / "story.md").read_text().startswith("# Title of the story")
    assert not (out_dir / "photo.md").exists()
    assert "1 file cleaned, 0 unchanged, 1 failed" in err


def test_missing_file(tmp_path, capsys):
    code, out, err = run(["clean", str(tmp_path / "nope.txt"), "--no-grammar"], capsys)
    assert code == 2 and out == ""
    assert f"cannot clean {tmp_path / 'nope.txt'}: no such file (check the path)" in err
    assert "Traceback" not in err


def test_broken_rule_pack_stops_before_any_output(tmp_path, article, capsys):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("stage: boilerplate\nsurprise: 1\n")
    code, out, err = run(["clean", str(article), "--rules", str(pack), "--no-grammar"], capsys)
    assert code == 2 and out == ""
    assert err.strip() == (f"cleaner: error: {pack / 'pack.yaml'}:2:1: unknown key 'surprise' "
                           "(allowed keys: name, stage, description, order)")


def test_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["clean", "--frobnicate"])
    assert info.value.code == 2
    assert "unrecognized arguments: --frobnicate" in capsys.readouterr().err


def test_unknown_rule_id_to_disable(article, capsys):
    code, _, err = run(["clean", str(article), "--disable", "boilerplate.nope", "--no-grammar"], capsys)
    assert code == 2 and "unknown rule id boilerplate.nope" in err


def test_disable_keeps_the_block(article, capsys):
    _, out, _ = run(["clean", str(article), "--disable", "boilerplate.share-follow", "--no-grammar"], capsys)
    assert "Share this article" in out


def test_stdin_to_stdout_via_python_m():
    proc = subprocess.run([sys.executable, "-m", "cleaner", "clean", "--to", "text", "--no-grammar"],
                          input=ARTICLE.encode(), capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().startswith("Title of the story\n\nThe council approved")


def test_rules_command_lists_and_checks(capsys):
    code, out, _ = run(["rules"], capsys)
    assert code == 0 and "boilerplate.subscribe-prompt" in out
    code, out, _ = run(["rules", "--check"], capsys)
    assert code == 0 and "examples passed" in out
