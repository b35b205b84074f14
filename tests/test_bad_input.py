"""Bad input: one line naming the file and what to do, exit 2, no traceback, the rest still done.

Most cases run ``cleaner.cli.main`` in-process; a few run the real command (``python -m
cleaner``) in a subprocess. The suite runs as root, which can read any file, so "unreadable"
is simulated: a dangling symbolic link, a folder where a file is expected, and an operating
system refusal injected in-process (PermissionError from ``open`` / ``os.scandir``).
"""
import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.cli import main

GOOD = ("Title of the story\n\nThe council approved the budget on Tuesday after a long debate.\n\n"
        "Share this article\n\nOfficials said the new spending would begin in the spring.\n")
GOOD_OUT = ("# Title of the story\n\nThe council approved the budget on Tuesday after a long debate.\n\n"
            "Officials said the new spending would begin in the spring.\n")
SUMMARY = re.compile(r"^\d+ (files?|documents?) cleaned, \d+ unchanged.* in \d+\.\d s \(\d+\.\d docs/s\)$")


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def messages(err: str) -> list[str]:
    """stderr without the summary lines (their timings vary)."""
    return [line for line in err.splitlines() if not SUMMARY.match(line) and not line.startswith("edits by rule:")]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.txt").write_text(GOOD)
    return tmp_path


def assert_good_written(out_dir: Path):
    assert (out_dir / "good.md").read_text() == GOOD_OUT


def test_binary_file(folder, capsys):
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, _, err = run(["clean", "photo.txt", "good.txt", "-o", "out", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == ["cleaner: error: cannot clean photo.txt: input is binary (NUL byte at offset 8) "
                             "(give a text, HTML or Markdown file)"]
    assert_good_written(folder / "out")
    assert not (folder / "out" / "photo.md").exists()


def test_undecodable_text(folder, capsys):
    (folder / "noise.txt").write_bytes(b"\x81\x02\x83\x04" * 60)
    code, _, err = run(["clean", "noise.txt", "good.txt", "-o", "out", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == ["cleaner: error: cannot clean noise.txt: input is not text in any encoding that "
                             "could be detected (convert it to UTF-8 first)"]
    assert_good_written(folder / "out")


def test_bad_bytes_after_a_bom(folder, capsys):
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbfcaf\xe9\n")
    code, _, err = run(["clean", "bom.txt", "good.txt", "-o", "out", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == ["cleaner: error: cannot clean bom.txt: cannot decode as utf-8-sig (byte 3) "
                             "(re-save the file as UTF-8)"]


def test_empty_file(folder, capsys):
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n\t\n")
    code, _, err = run(["clean", "empty.txt", "blank.txt", "good.txt", "-o", "out", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == ["cleaner: error: cannot clean empty.txt: file is empty (nothing to clean)",
                             "cleaner: error: cannot clean blank.txt: file is empty (nothing to clean)"]
    assert_good_written(folder / "out")


def test_empty_file_is_clean_in_repo_modes(folder, capsys):
    """An empty post in a content repo has nothing to fix: the hook must not fail on it."""
    (folder / "empty.md").write_bytes(b"")
    code, _, err = run(["clean", "--check", "empty.md", "--no-grammar"], capsys)
    assert code == 0 and messages(err) == []


def test_file_over_the_size_limit(folder, capsys):
    (folder / "big.txt").write_text("A long line of article text that goes on.\n" * 100)
    code, _, err = run(["clean", "big.txt", "good.txt", "-o", "out", "--max-bytes", "1000", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == ["cleaner: error: cannot clean big.txt: file is 4200 bytes, over the limit of 1000 "
                             "(raise --max-bytes or split the file)"]
    assert_good_written(folder / "out")


def test_stdin_over_the_size_limit(capsys, monkeypatch):
    import io
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 5000)))
    code, out, err = run(["clean", "--max-bytes", "1000", "--no-grammar"], capsys)
    assert code == 2 and out == ""
    assert messages(err) == ["cleaner: error: cannot clean <stdin>: document is 1001 bytes, over the limit of 1000 "
                             "(raise --max-bytes or split the document)"]


def test_missing_path(folder, capsys):
    code, _, err = run(["clean", "nope.txt", "no-folder", "good.txt", "-o", "out", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == ["cleaner: error: cannot clean nope.txt: no such file (check the path)",
                             "cleaner: error: cannot clean no-folder: no such file (check the path)"]
    assert_good_written(folder / "out")


def test_dangling_symlink_in_a_folder(folder, capsys):
    (folder / "posts").mkdir()
    (folder / "posts" / "good.txt").write_text(GOOD)
    (folder / "posts" / "gone.txt").symlink_to(folder / "posts" / "deleted.txt")
    code, _, err = run(["clean", "posts", "-o", "out", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == [f"cleaner: error: cannot clean {Path('posts') / 'gone.txt'}: is a broken symbolic link "
                             "(fix or remove the link)"]
    assert_good_written(folder / "out")


def test_unreadable_file(folder, capsys, monkeypatch):
    """Root reads everything, so the refusal is injected where the file is opened."""
    import builtins

    import cleaner.files
    (folder / "secret.txt").write_text(GOOD)

    def refuse(path, *args, **kwargs):
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)
    monkeypatch.setattr(cleaner.files, "open", refuse, raising=False)
    code, _, err = run(["clean", "secret.txt", "good.txt", "-o", "out", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == ["cleaner: error: cannot clean secret.txt: permission denied (make it readable)"]
    assert_good_written(folder / "out")


def test_unreadable_folder(folder, capsys, monkeypatch):
    """A folder the walk cannot list fails alone; its siblings are still cleaned."""
    (folder / "posts" / "locked").mkdir(parents=True)
    (folder / "posts" / "good.txt").write_text(GOOD)
    (folder / "posts" / "locked" / "inside.txt").write_text(GOOD)
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)
    code, _, err = run(["clean", "posts", "-o", "out", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == [f"cleaner: error: cannot clean {Path('posts') / 'locked'}: folder permission denied "
                             "(make it readable, or --exclude it)"]
    assert_good_written(folder / "out")


def test_folder_where_a_file_is_expected(folder, capsys):
    (folder / "conf").mkdir()
    code, out, err = run(["clean", "good.txt", "--config", "conf", "--no-grammar"], capsys)
    assert code == 2 and out == ""
    assert messages(err) == ["cleaner: error: conf: cannot read: Is a directory"]
    code, out, err = run(["clean", "good.txt", "--html-template", "conf", "--no-grammar"], capsys)
    assert code == 2 and out == ""
    assert messages(err) == ["cleaner: error: cannot read --html-template conf: Is a directory (check the path)"]


def test_broken_rule_pack_stops_before_any_output(folder, capsys):
    pack = folder / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("stage: boilerplate\norder: [\n")
    code, out, err = run(["clean", "good.txt", "-o", "out", "--rules", "pack", "--no-grammar"], capsys)
    assert code == 2 and out == ""
    assert len(messages(err)) == 1
    assert messages(err)[0].startswith(f"cleaner: error: {Path('pack') / 'pack.yaml'}:3:1: ")
    assert not (folder / "out").exists()


def test_broken_config_stops_before_any_output(folder, capsys):
    (folder / ".cleaner.toml").write_text("grammar = 'off'\nmax-bytes = 'lots'\n")
    code, out, err = run(["clean", "good.txt", "-o", "out"], capsys)
    assert code == 2 and out == ""
    assert messages(err) == [f"cleaner: error: {folder / '.cleaner.toml'}: 'max_bytes' must be a int, not 'lots'"]
    assert not (folder / "out").exists()


def test_broken_config_in_a_subfolder_fails_only_its_files(folder, capsys):
    (folder / "posts" / "odd").mkdir(parents=True)
    (folder / "posts" / "good.txt").write_text(GOOD)
    (folder / "posts" / "odd" / "story.txt").write_text(GOOD)
    (folder / "posts" / "odd" / ".cleaner.toml").write_text("disable = [\n")
    code, _, err = run(["clean", "posts", "-o", "out", "--no-grammar"], capsys)
    assert code == 2
    [line] = messages(err)
    assert line.startswith(f"cleaner: error: cannot clean {folder / 'posts' / 'odd' / '.cleaner.toml'}: invalid TOML: ")
    assert line.endswith("(fix the file's syntax)")
    assert_good_written(folder / "out")


def test_unknown_option(capsys):
    with pytest.raises(SystemExit) as info:
        main(["clean", "--frobnicate", "x.txt"])
    assert info.value.code == 2
    assert capsys.readouterr().err == ("cleaner: error: unrecognized arguments: --frobnicate "
                                       "(see 'cleaner --help')\n")


@pytest.mark.parametrize("argv, line", [
    (["--jobs", "0"], "cleaner: error: --jobs must be 1 or more, not 0 (omit it for one per CPU core)"),
    (["--max-bytes", "-1"], "cleaner: error: --max-bytes must be more than 0, not -1 (give a limit)"),
    (["--resume"], "cleaner: error: --resume needs -o (it skips inputs whose output is already there) (add -o DIR)"),
])
def test_bad_option_values(folder, capsys, argv, line):
    code, out, err = run(["clean", "good.txt", "--no-grammar", *argv], capsys)
    assert code == 2 and out == ""
    assert messages(err) == [line]


def test_malformed_jsonl_records_fail_alone(folder, capsys):
    (folder / "docs.jsonl").write_text(
        '{"id": 1, "text": "Title one\\n\\nA paragraph of the first story that is worth keeping."}\n'
        '{"id": 2, "text": \n'
        '[1, 2]\n'
        '{"id": 4, "body": "no text"}\n'
        '{"id": 5, "text": 5}\n'
        '\n'
        '{"id": 7, "text": "Title seven\\n\\nA paragraph of the seventh story worth keeping."}\n')
    code, _, err = run(["clean", "docs.jsonl", "-o", "out", "--to", "text", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == [
        "cleaner: error: cannot clean docs.jsonl:2: not valid JSON: Expecting value at column 19 "
        "(fix or remove the line)",
        "cleaner: error: cannot clean docs.jsonl:3: a JSON list, not an object (each line must be a JSON object)",
        "cleaner: error: cannot clean docs.jsonl:4: no 'text' field (name the document's field with --jsonl-field)",
        "cleaner: error: cannot clean docs.jsonl:5: the 'text' field is not a string "
        "(it must hold the document's text)",
    ]
    lines = (folder / "out" / "docs.jsonl").read_text().splitlines()
    assert lines == ['{"id": 1, "text": "Title one\\n\\nA paragraph of the first story that is worth keeping.\\n"}',
                     '{"id": 7, "text": "Title seven\\n\\nA paragraph of the seventh story worth keeping.\\n"}']


def test_jsonl_record_over_the_size_limit(folder, capsys):
    big = "word " * 400
    (folder / "docs.jsonl").write_text(f'{{"text": "{big}"}}\n{{"text": "Short story\\n\\nA kept paragraph here."}}\n')
    code, out, err = run(["clean", "docs.jsonl", "--max-bytes", "1000", "--to", "text", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == ["cleaner: error: cannot clean docs.jsonl:1: record is over the limit of 1000 bytes "
                             "(raise --max-bytes)"]
    assert out == '{"text": "Short story\\n\\nA kept paragraph here.\\n"}\n'


def warc_record(uri: str, body: bytes, ctype: str = "text/html; charset=utf-8") -> bytes:
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype.encode() + b"\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uri[-1]}>\r\n"
            f"WARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


PAGE = ("<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
        "<p>The council approved budget number {n} on Tuesday after a long and heated debate in the chamber.</p>"
        "<p>Officials said the new spending would begin in the spring and last for several years.</p>"
        "</article></body></html>")


def test_truncated_warc_record_fails_alone(folder, capsys):
    pytest.importorskip("warcio")
    records = [gzip.compress(warc_record(f"https://example.com/{n}", PAGE.format(n=n).encode())) for n in range(3)]
    cut = records[0] + records[1][:-40] + records[2]
    (folder / "crawl.warc.gz").write_bytes(cut)
    code, _, err = run(["clean", "crawl.warc.gz", "-o", "out", "--to", "text", "--no-grammar"], capsys)
    assert code == 2
    offset = len(records[0])
    assert messages(err) == [f"cleaner: error: cannot clean crawl.warc.gz at offset {offset}: unreadable WARC record: "
                             "no WARC header where a record should start (the file is damaged or cut short; "
                             "the other records were read)"]
    out = (folder / "out" / "crawl.warc.jsonl").read_text().splitlines()
    assert [line.split('"')[3] for line in out] == ["https://example.com/0", "https://example.com/2"]


def test_warc_cut_short_at_the_end(folder, capsys):
    pytest.importorskip("warcio")
    records = [warc_record(f"https://example.com/{n}", PAGE.format(n=n).encode()) for n in range(2)]
    (folder / "crawl.warc").write_bytes(b"".join(records)[:-100])
    code, out, err = run(["clean", "crawl.warc", "--to", "text", "--no-grammar"], capsys)
    assert code == 2
    offset, length = len(records[0]), len(records[1]) - records[1].index(b"HTTP/1.1") - 4
    assert messages(err) == [f"cleaner: error: cannot clean crawl.warc at offset {offset} (https://example.com/1): "
                             f"truncated record (96 of its {length} bytes missing) (the file was cut short; "
                             "fetch it again)"]
    assert out.count("\n") == 1 and '"url": "https://example.com/0"' in out


def test_debug_shows_the_traceback_of_an_internal_error(folder, capsys, monkeypatch):
    import cleaner.bulk

    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(cleaner.bulk, "cleaner_for", broken)
    code, _, err = run(["clean", "good.txt", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == ["cleaner: error: cannot clean good.txt: internal error: RuntimeError: boom "
                             "(please report it; --debug shows the traceback)"]
    code, _, err = run(["clean", "good.txt", "--no-grammar", "--debug"], capsys)
    assert code == 2 and "Traceback (most recent call last)" in err and 'raise RuntimeError("boom")' in err


# --- the real command, in a subprocess ----------------------------------------------------------

def cleaner(*argv, cwd):
    return subprocess.run([sys.executable, "-m", "cleaner", *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_real_command_mixed_batch(folder):
    (folder / "photo.txt").write_bytes(b"GIF89a\x00\x01")
    (folder / "empty.txt").write_bytes(b"")
    proc = cleaner("clean", "photo.txt", "good.txt", "empty.txt", "missing.txt", "-o", "out", "--no-grammar",
                   cwd=folder)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert messages(proc.stderr) == [
        "cleaner: error: cannot clean photo.txt: input is binary (NUL byte at offset 6) "
        "(give a text, HTML or Markdown file)",
        "cleaner: error: cannot clean empty.txt: file is empty (nothing to clean)",
        "cleaner: error: cannot clean missing.txt: no such file (check the path)",
    ]
    assert proc.stderr.splitlines()[-2].startswith("1 file cleaned, 0 unchanged, 3 failed in ")
    assert_good_written(folder / "out")


def test_real_command_unknown_option_and_broken_config(folder):
    proc = cleaner("clean", "--frobnicate", cwd=folder)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == "cleaner: error: unrecognized arguments: --frobnicate (see 'cleaner --help')\n"
    (folder / ".cleaner.toml").write_text("disabel = []\n")
    proc = cleaner("clean", "good.txt", cwd=folder)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == (f"cleaner: error: {folder / '.cleaner.toml'}: unknown key 'disabel' "
                           "(did you mean 'disable'?)\n")


def test_real_command_timeout_fails_only_the_slow_document(folder):
    """A rule with catastrophic backtracking meets a document that triggers it: the time
    limit stops that document, the others are cleaned, in one worker and in a pool."""
    pack = folder / "slow" / "house"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text("stage: repair\n")
    (pack / "nested.yaml").write_text(
        "kind: substitute\ndescription: A pattern that backtracks forever on long runs of a.\n"
        "pattern: '(a+)+b'\nreplace: 'b'\n"
        "examples: {fix: [['aab', 'b']], keep: ['no match here']}\n")
    (folder / "slow.txt").write_text("Title\n\n" + "a" * 40 + "c is a very long word.\n")
    for jobs in ("1", "2"):
        proc = cleaner("clean", "slow.txt", "good.txt", "-o", f"out{jobs}", "--rules", "slow", "--timeout", "3",
                       "--jobs", jobs, "--no-grammar", cwd=folder)
        assert proc.returncode == 2, proc.stderr
        assert messages(proc.stderr) == [
            "cleaner: error: cannot clean slow.txt: took longer than 3 s (raise --timeout, or split the document)"]
        assert_good_written(folder / f"out{jobs}")


def test_output_that_cannot_be_written(folder, capsys, monkeypatch):
    """A full disk (injected) fails the document whose output it hit; the others are written."""
    import cleaner.files
    (folder / "other.txt").write_text(GOOD)
    real = cleaner.files.atomic_write

    def full(path, data, **kwargs):
        if path.name == "other.md":
            raise OSError(28, "No space left on device")
        return real(path, data, **kwargs)
    monkeypatch.setattr(cleaner.files, "atomic_write", full)
    code, _, err = run(["clean", "good.txt", "other.txt", "-o", "out", "--no-grammar"], capsys)
    assert code == 2
    assert messages(err) == [f"cleaner: error: cannot clean other.txt: cannot write {Path('out') / 'other.md'}: "
                             "No space left on device (check the output folder)"]
    assert err.splitlines()[-2].startswith("1 file cleaned, 0 unchanged, 1 failed in ")
    assert_good_written(folder / "out")


def test_jsonl_output_that_cannot_be_written_stops_the_run(folder, capsys):
    (folder / "docs.jsonl").write_text('{"text": "Short story\\n\\nA kept paragraph here."}\n')
    (folder / "out").write_text("a file where the output folder should be")
    code, out, err = run(["clean", "docs.jsonl", "-o", "out/x", "--no-grammar"], capsys)
    assert code == 2 and out == ""
    assert messages(err) == [f"cleaner: error: cannot write {Path('out') / 'x' / 'docs.jsonl'}: Not a directory "
                             "(check the output folder, then run again with --resume)"]
