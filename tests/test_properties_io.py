"""Invariants of the file-facing side: whatever bytes arrive, the command ends with exit 0 or 2
and one-line messages (never a traceback, never an internal error), and no paragraph goes
missing unless a rule's edit names it."""
import contextlib
import gzip
import importlib.util
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Config, files
from cleaner.cli import main
from cleaner.errors import InputError

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SUFFIXES = [".txt", ".html", ".jsonl", ".warc", ".warc.gz"] + (
    [".md"] if importlib.util.find_spec("cleaner.readers.markdown") else [])
if not importlib.util.find_spec("cleaner.readers.html"):
    SUFFIXES.remove(".html")

FRAGMENTS = [b"", b"\n", b"\r\n", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"<html><body><p>", b"</p>",
             b"Share this article\n", b"The council approved the budget on Tuesday.\n", b'{"text": "',
             b'"}\n', b"WARC/1.0\r\n", b"Content-Length: 12\r\n\r\n", b"\x1f\x8b\x08", b"caf\xe9 ",
             b"\xc3\xa9", b"---\ntitle: x\n---\n", b"```\ncode\n```\n"]
blobs = st.one_of(st.binary(max_size=3000),
                  st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=40)), max_size=30).map(b"".join))


def clean_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def assert_clean_failure_mode(code: int, err: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    for line in err.splitlines():
        assert line.startswith(("cleaner: error: cannot clean ", "cleaner: warning: ")) or " cleaned, " in line \
            or line.startswith("edits by rule: "), line


@SETTINGS
@given(blobs, st.sampled_from(SUFFIXES), st.sampled_from(["markdown", "json"]))
def test_any_bytes_in_any_kind_of_file(data, suffix, to):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(gzip.compress(data) if suffix == ".warc.gz" and data[:1] == b"W" else data)
        code, _, err = clean_cli(["clean", str(path), "-o", str(Path(tmp) / "out"), "--to", to, "--no-grammar",
                                  "--jobs", "1"])
        assert_clean_failure_mode(code, err)


@SETTINGS
@given(st.lists(st.one_of(
    st.builds(lambda t, n: json.dumps({"id": n, "text": t}), st.text(max_size=200), st.integers()),
    st.text(max_size=60).map(lambda s: s.replace("\n", " ")),
    st.sampled_from(['{"text": 1}', "[]", "{}", '{"text": "Share this article"}', "null", '{"text": ""}'])),
    max_size=12))
def test_json_lines_each_line_is_one_output_or_one_error(lines):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        code, out, err = clean_cli(["clean", str(path), "--to", "text", "--no-grammar", "--jobs", "1"])
        assert_clean_failure_mode(code, err)
        # blank means ASCII white space only, as in JSON: a line holding a no-break space is a record
        records = [line for line in lines if line.encode("utf-8").strip()]
        errors = [line for line in err.splitlines() if line.startswith("cleaner: error: ")]
        no_documents = any("has no documents" in line for line in errors)
        assert len(out.splitlines()) + len(errors) - no_documents == len(records)


@SETTINGS
@given(st.binary(max_size=4000))
def test_decode_raises_only_input_errors(data):
    try:
        text = files.decode(data, "blob")
    except InputError:
        return
    assert isinstance(text, str)


CLEANER = Cleaner(Config(grammar="off"))
LINES = ["Thank you for reading this post, don't forget to subscribe!", "Share this article", "Related Articles",
         "Advertisement", "#Japan #Military #Ties", "Home > News > World", "12 comments",
         "The council approved the budget on Tuesday after a long debate , officials said.",
         "Prices rose  sharply,, and analysts were surprised!!", "Reporting by Tim Kelly; Editing by Kim Cohill",
         "The Mona Lisa doesnÃ¢â‚¬â„¢t have eyebrows.", "It was a cold day in the city and nobody went out."]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(LINES), st.text(min_size=1, max_size=80)), min_size=1, max_size=15))
def test_no_paragraph_is_lost_unless_an_edit_names_it(lines):
    text = "\n\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "story.txt"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        code, out, err = clean_cli(["clean", str(path), "--to", "json", "--no-grammar", "--jobs", "1"])
    assert_clean_failure_mode(code, err)
    if code == 2:  # not decodable as text (lone surrogates) or empty: refused, not mangled
        return
    record = json.loads(out)
    edited = {edit["block"] for edit in record["edits"]}
    for block in CLEANER.parse(text, source_format="text").blocks:
        assert block.id in edited or block.text in record["text"] or block.text in record["markdown"], block
