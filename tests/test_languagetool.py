"""cleaner.languagetool: finding the jars, the server's lifecycle, the client, offsets and cache.

Tests that need a server use the real LanguageTool (``languagetool_url`` from tests/lt_fixture.py,
or a server of their own when they test its lifecycle); nothing here fakes its answers.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import re
import textwrap
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.errors import CleanerError
from cleaner.languagetool import (
    SERVER_CLASS,
    GrammarCache,
    GrammarClient,
    GrammarMatch,
    LanguageToolError,
    LanguageToolServer,
    SentenceGate,
    cache_key,
    default_cache_dir,
    find_languagetool,
    healthcheck,
    matches_from_response,
    pom_languagetool_version,
    py_to_utf16_offset,
    sentence_spans,
    server_version,
    utf16_to_py_offsets,
)

REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- helpers


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def process_alive(pid: int) -> bool:
    """True if ``pid`` exists and is not a zombie (an orphaned zombie may wait for init)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def languagetool_pids(port: int) -> list[int]:
    """Live processes running LanguageTool's HTTPServer on ``port``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if SERVER_CLASS.encode() in argv and str(port).encode() in argv and process_alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def fake_provisioned(folder: Path, jar_bytes: bytes = b"not a jar") -> Path:
    (folder / "jars").mkdir(parents=True)
    (folder / "jars" / "languagetool-server-0.0.jar").write_bytes(jar_bytes)
    (folder / ".complete").touch()
    return folder


# --------------------------------------------------------------------------- offsets (no server)


def test_utf16_offsets_ascii_are_unchanged():
    assert utf16_to_py_offsets("This is an test.", [0, 8, 10, 16]) == [0, 8, 10, 16]


def test_utf16_offsets_skip_the_second_half_of_each_astral_character():
    text = "😀a😀😀b"  # each emoji is two UTF-16 units
    assert utf16_to_py_offsets(text, [0, 2, 3, 5, 7, 8]) == [0, 1, 2, 3, 4, 5]


def test_utf16_offset_inside_a_surrogate_pair_maps_to_that_character():
    assert utf16_to_py_offsets("a😀b", [2]) == [1]


def test_utf16_offsets_out_of_range_are_rejected():
    with pytest.raises(ValueError):
        utf16_to_py_offsets("😀", [3])
    with pytest.raises(ValueError):
        utf16_to_py_offsets("abc", [-1])


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_utf16_offsets_round_trip_every_index(text):
    units = [utf16_len(text[:index]) for index in range(len(text) + 1)]
    assert utf16_to_py_offsets(text, units) == list(range(len(text) + 1))
    assert [py_to_utf16_offset(text, index) for index in range(len(text) + 1)] == units


def test_match_spans_are_converted_for_start_and_end():
    text = "🙂 I saw a 👩‍👩‍👧 famly."  # astral characters before the error and inside the context
    start = text.index("famly")
    answer = {
        "matches": [
            {
                "message": "Possible spelling mistake found.",
                "offset": py_to_utf16_offset(text, start),
                "length": 5,
                "replacements": [{"value": "family"}],
                "context": {"text": text, "offset": 0, "length": 5},
                "rule": {"id": "MORFOLOGIK_RULE_EN_US", "category": {"id": "TYPOS"}},
            }
        ]
    }
    [match] = matches_from_response(text, answer)
    assert text[match.start : match.end] == "famly"
    assert match == GrammarMatch(
        "MORFOLOGIK_RULE_EN_US", "TYPOS", "Possible spelling mistake found.", start, start + 5,
        ("family",), text,
    )
    assert GrammarMatch.from_json(match.to_json()) == match


# --------------------------------------------------------------------------- locating the jars


def test_pom_version_is_read_from_the_repository_pom():
    version = pom_languagetool_version(REPO / "languagetool" / "pom.xml")
    assert version and version[0].isdigit()


def test_find_languagetool_needs_the_complete_stamp(tmp_path):
    home = tmp_path / "lt"
    (home / "jars").mkdir(parents=True)
    (home / "jars" / "x.jar").write_bytes(b"")
    assert find_languagetool(home) is None
    (home / ".complete").touch()
    assert find_languagetool(home) == home.resolve()


def test_find_languagetool_prefers_the_environment_variable(tmp_path, monkeypatch):
    home = fake_provisioned(tmp_path / "from-env")
    monkeypatch.setenv("CLEANER_LANGUAGETOOL_JARS", str(home))
    assert find_languagetool() == home.resolve()
    monkeypatch.setenv("CLEANER_LANGUAGETOOL_JARS", str(tmp_path / "missing"))
    assert find_languagetool() is None


def test_find_languagetool_walks_up_to_the_repository(tmp_path, monkeypatch):
    monkeypatch.delenv("CLEANER_LANGUAGETOOL_JARS", raising=False)
    (tmp_path / "languagetool").mkdir()
    (tmp_path / "languagetool" / "pom.xml").write_text(
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><properties>'
        "<languagetool.version>9.9</languagetool.version></properties></project>"
    )
    home = fake_provisioned(tmp_path / ".cache" / "languagetool" / "9.9")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert find_languagetool() == home


def test_the_repository_is_provisioned():
    # `make setup` runs before the tests; this names the problem if it did not.
    assert find_languagetool() is not None, "run `make setup` to fetch the LanguageTool jars"


# --------------------------------------------------------------------------- server errors


def test_unprovisioned_folder_is_a_clear_error(tmp_path):
    with pytest.raises(LanguageToolError) as caught:
        LanguageToolServer(tmp_path).start()
    assert isinstance(caught.value, CleanerError)
    assert "make setup" in str(caught.value)


def test_java_failing_to_start_reports_its_output(tmp_path):
    server = LanguageToolServer(fake_provisioned(tmp_path / "broken"))
    with pytest.raises(LanguageToolError) as caught:
        server.start()
    message = str(caught.value)
    assert "exited with code" in message
    assert SERVER_CLASS in message  # java's own "Could not find or load main class ..." line
    assert not server.running() and server.pid is None


def test_startup_timeout_is_a_clear_error_and_kills_the_jvm(languagetool_home):
    server = LanguageToolServer(languagetool_home, startup_timeout=0.2)
    with pytest.raises(LanguageToolError, match="did not answer .*/v2/healthcheck"):
        server.start()
    assert not server.running()


def test_a_port_in_use_is_a_clear_error(languagetool_home):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = LanguageToolServer(languagetool_home, port=taken.getsockname()[1], warm_up=None)
        with pytest.raises(LanguageToolError, match="could not bind"):
            server.start()
    assert not server.running()


# --------------------------------------------------------------------------- the shared server


def test_healthcheck_and_version(languagetool_url):
    assert languagetool_url.startswith("http://127.0.0.1:")
    assert healthcheck(languagetool_url)
    assert server_version(languagetool_url) == pom_languagetool_version(REPO / "languagetool" / "pom.xml")


def test_command_line(languagetool_home, tmp_path):
    server = LanguageToolServer(languagetool_home, heap="512m", config={"maxTextLength": 50000})
    argv = server.command(12345, tmp_path)
    assert "--public" not in argv  # loopback only
    assert argv[argv.index("--port") + 1] == "12345"
    assert argv[argv.index("--allow-origin") + 1] == "*"
    assert "-Xmx512m" in argv
    assert argv[argv.index("-cp") + 1] == f"{languagetool_home / 'jars'}/*"
    properties = Path(argv[argv.index("--config") + 1]).read_text()
    assert sorted(properties.splitlines()) == ["maxTextLength=50000", "pipelineCaching=true"]
    assert "-Dlogback.configurationFile=" + str(tmp_path / "logback.xml") in argv
    override = LanguageToolServer(languagetool_home, config={"pipelineCaching": False})
    argv = override.command(1, tmp_path)
    assert Path(argv[argv.index("--config") + 1]).read_text() == "pipelineCaching=false\n"


def test_server_listens_on_loopback_only(languagetool_url):
    port = int(languagetool_url.rsplit(":", 1)[1])
    listening = Path("/proc/net/tcp6").read_text() + Path("/proc/net/tcp").read_text()
    local = [line.split()[1] for line in listening.splitlines()[1:] if line.split()[3] == "0A"]
    ours = [address for address in local if address.endswith(f":{port:04X}")]
    assert ours, f"nothing listens on port {port}"
    loopback = {"0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000"}
    assert all(address.rsplit(":", 1)[0] in loopback for address in ours), ours


@pytest.fixture
def client(languagetool_url):
    with GrammarClient(languagetool_url, cache=None) as grammar:
        yield grammar


@pytest.mark.parametrize(
    ("text", "rule_id", "flagged", "suggestion"),
    [
        ("This is an test.", "EN_A_VS_AN", "an", "a"),
        ("He go to school.", "HE_VERB_AGR", "go", "goes"),
    ],
)
def test_known_errors(client, text, rule_id, flagged, suggestion):
    matches = client.check(text)
    match = next(m for m in matches if m.rule_id == rule_id)
    assert text[match.start : match.end] == flagged
    assert suggestion in match.replacements
    assert match.message and match.category and match.context


def test_correct_text_has_no_matches(client):
    assert client.check("This is a test.") == []


def test_emoji_before_the_error_gives_python_spans(client):
    text = "😀😀 This is an test. 🎉 He go to school."
    matches = {m.rule_id: m for m in client.check(text)}
    assert text[matches["EN_A_VS_AN"].start : matches["EN_A_VS_AN"].end] == "an"
    assert matches["EN_A_VS_AN"].start == 11  # 13 in UTF-16 units
    assert text[matches["HE_VERB_AGR"].start : matches["HE_VERB_AGR"].end] == "go"


def test_unknown_language_is_a_clear_error(languagetool_url):
    with pytest.raises(LanguageToolError):
        GrammarClient(languagetool_url, language="xx-NOPE", cache=None)


def test_check_many_keeps_order_and_sends_each_distinct_paragraph_once(client):
    texts = ["He go to school.", "", "This is an test.", "He go to school.", "   ", "All good here."]
    results = client.check_many(texts)
    assert [[m.rule_id for m in r] for r in results] == [
        ["HE_VERB_AGR"], [], ["EN_A_VS_AN"], ["HE_VERB_AGR"], [], []
    ]
    assert client.requests_sent == 3  # blanks are not sent, the repeat is sent once


def test_threads_give_the_same_answers_as_one_thread(languagetool_url):
    texts = [f"Paragraph {n}: He go to school and this is an test." for n in range(12)]
    with GrammarClient(languagetool_url, cache=None, threads=1) as single, \
            GrammarClient(languagetool_url, cache=None, threads=4) as pooled:
        assert pooled.check_many(texts) == single.check_many(texts)


def test_rule_settings_come_from_the_language_tool_object(client):
    client.tool.disabled_rules = {"EN_A_VS_AN"}
    assert client.request_options()["disabledRules"] == "EN_A_VS_AN"
    assert [m.rule_id for m in client.check("This is an test.")] == []


# --------------------------------------------------------------------------- cache


def test_cache_answers_repeats_without_the_server(languagetool_url, tmp_path):
    path = tmp_path / "grammar.sqlite3"
    texts = ["This is an test.", "He go to school.", "🙂 He go to school."]
    with GrammarClient(languagetool_url, cache=GrammarCache("t", path)) as first:
        fresh = first.check_many(texts)
        assert first.requests_sent == 3
        assert first.check_many(texts) == fresh
        assert first.check(texts[2]) == fresh[2]
        assert first.requests_sent == 3
    # A later run (new client, new connection to the same file) does not ask the server either.
    with GrammarClient(languagetool_url, cache=GrammarCache("t", path)) as later:
        assert later.check_many(texts) == fresh
        assert later.requests_sent == 0
        # Other rule settings are another key.
        later.tool.disabled_rules = {"EN_A_VS_AN"}
        assert later.check(texts[0]) == []
        assert later.requests_sent == 1


def test_cache_key_covers_language_version_options_and_text():
    base = cache_key("en-US", "6.8", "text")
    assert base != cache_key("en-GB", "6.8", "text")
    assert base != cache_key("en-US", "6.9", "text")
    assert base != cache_key("en-US", "6.8", "text", {"level": "picky"})
    assert base != cache_key("en-US", "6.8", "text ")
    assert base == cache_key("en-US", "6.8", "text", {})


def test_cache_round_trip_and_default_location(tmp_path, monkeypatch):
    monkeypatch.delenv("CLEANER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert GrammarCache.default_path("6.8") == tmp_path / "xdg" / "cleaner" / "grammar-6.8.sqlite3"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
    match = GrammarMatch("R", "C", "m", 1, 3, ("x", "y"), "ctx 🙂")
    with GrammarCache("6.8") as cache:
        assert cache.path == tmp_path / "mine" / "grammar-6.8.sqlite3"
        assert cache.put_many({"k1": [match], "k2": []})
        assert cache.get_many(["k1", "k2", "k3"]) == {"k1": [match], "k2": []}
        assert len(cache) == 2


def test_cache_skips_writes_while_another_process_holds_the_lock(tmp_path):
    path = tmp_path / "grammar.sqlite3"
    match = GrammarMatch("R", "C", "m", 0, 1, (), "c")
    with GrammarCache("6.8", path, busy_timeout=0.05) as cache:
        assert cache.put("old", [match])
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # the write lock, as a concurrent writer would hold it
            assert cache.put("new", [match]) is False
            assert cache.skipped_writes == 1
            assert cache.get("old") == [match]  # WAL: reads go on during the other's write
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert cache.put("new", [match])


def test_unusable_cache_file_disables_the_cache(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    cache = GrammarCache("6.8", blocker / "grammar.sqlite3")
    assert not cache.enabled
    assert cache.put("k", []) is False
    assert cache.get("k") is None


# --------------------------------------------------------------------------- lifecycle


def test_stop_leaves_no_java_process_even_when_started_from_a_short_lived_thread(languagetool_home):
    server = LanguageToolServer(languagetool_home, warm_up=None)
    failure: list[BaseException] = []

    def start() -> None:
        try:
            server.start()
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=start)
    worker.start()
    worker.join()
    assert not failure, failure
    try:
        # PR_SET_PDEATHSIG follows the forking thread; the JVM must survive its caller's thread.
        time.sleep(1)
        assert healthcheck(server.url)
        assert 0 < server.healthy_seconds <= server.startup_seconds
        pid, port = server.pid, int(server.url.rsplit(":", 1)[1])
        assert languagetool_pids(port) == [pid]
    finally:
        server.stop()
    assert not server.running()
    assert not process_alive(pid)
    assert languagetool_pids(port) == []
    assert not healthcheck(f"http://127.0.0.1:{port}", timeout=1)
    server.stop()  # a second stop is harmless


def test_leaving_the_with_block_on_keyboard_interrupt_stops_the_server(languagetool_home):
    with pytest.raises(KeyboardInterrupt):
        with LanguageToolServer(languagetool_home, warm_up=None) as server:
            pid = server.pid
            raise KeyboardInterrupt
    assert not process_alive(pid)


CHILD = textwrap.dedent(
    """
    import signal, sys, time
    from cleaner.languagetool import LanguageToolServer
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in an interactive shell
    with LanguageToolServer(sys.argv[1], warm_up=None) as server:
        print(server.pid, server.log_path.parent, flush=True)
        time.sleep(600)
    """
)


def start_child(languagetool_home: Path) -> tuple[subprocess.Popen[str], int, Path]:
    """A Python process that runs a LanguageTool server; returns it, the JVM's pid and temp folder."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(languagetool_home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    line = child.stdout.readline()
    if not line.strip():
        child.kill()
        _, err = child.communicate()
        pytest.fail(f"child could not start a server: {err}")
    pid, workdir = line.split(maxsplit=1)
    return child, int(pid), Path(workdir.strip())


def test_jvm_dies_when_python_is_killed_with_sigkill(languagetool_home):
    child, jvm, workdir = start_child(languagetool_home)
    try:
        assert process_alive(jvm)
        child.send_signal(signal.SIGKILL)  # no atexit, no finally: only the kernel can help
        child.communicate(timeout=10)
        assert wait_until(lambda: not process_alive(jvm), timeout=5), "orphaned JVM"
    finally:
        if process_alive(jvm):
            os.kill(jvm, signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)  # a SIGKILLed process cannot remove it


def test_ctrl_c_in_python_stops_the_jvm(languagetool_home):
    child, jvm, workdir = start_child(languagetool_home)
    try:
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
        assert "KeyboardInterrupt" in err
        assert not process_alive(jvm)
        assert not workdir.exists()
    finally:
        if child.poll() is None:
            child.kill()
        if process_alive(jvm):
            os.kill(jvm, signal.SIGKILL)


WRITER = textwrap.dedent(
    """
    import sys
    from cleaner.languagetool import GrammarCache, GrammarMatch
    path, name = sys.argv[1], sys.argv[2]
    match = GrammarMatch("R", "C", name, 0, 1, ("x",), "ctx")
    with GrammarCache("6.8", path, busy_timeout=0.05) as cache:
        stored = 0
        for batch in range(40):
            entries = {f"{name}-{batch}-{n}": [match] for n in range(5)}
            if cache.put_many(entries):
                stored += len(entries)
            cache.get_many(list(entries))
        print(stored)
    """
)


def test_cache_is_shared_safely_by_concurrent_processes(tmp_path):
    path = tmp_path / "grammar.sqlite3"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"p{n}"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, cwd=REPO)
        for n in range(4)
    ]
    stored = 0
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        stored += int(out)
    assert stored > 0
    with GrammarCache("6.8", path) as cache:
        assert len(cache) == stored  # every write either landed whole or was skipped whole


# --------------------------------------------------------------------------- sentence gate


def pieces(text, spans):
    return [text[start:end] for start, end in spans]


def test_sentence_spans_split_at_plain_sentence_ends_only():
    text = ("Officials said so. Then Mr. Smith left at 5 p.m. Tuesday, the U.S. Army said. "
            "It was \"fine.\" Really? Yes!  Two spaces keep this together. e.g. This too. 🎉 Ends here.")
    assert pieces(text, sentence_spans(text)) == [
        "Officials said so.",
        "Then Mr. Smith left at 5 p.m. Tuesday, the U.S. Army said.",
        "It was \"fine.\"",
        "Really?",
        "Yes!  Two spaces keep this together. e.g. This too. 🎉 Ends here.",
    ]


@given(st.lists(st.sampled_from(["Word", "word", "said.", "Mr.", "so.", "it?", " ", "  ", "🎉", "\"", "U.S."]),
                max_size=30).map(" ".join))
def test_sentence_spans_cover_the_text_but_single_spaces(text):
    spans = sentence_spans(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert text[end:start] == " "
    assert "".join(text[s:e] + " " for s, e in spans)[:-1] == text


def test_gate_sends_the_sentences_it_selects_merging_neighbours():
    gate = SentenceGate([re.compile(r"(?i)\ban\b"), re.compile(r"  ")])
    text = "All is well here. It was an test. An other one. Nothing here. Two  spaces. Done."
    assert pieces(text, gate.spans(text)) == ["It was an test. An other one.", "Two  spaces."]
    assert gate.spans("Nothing to see here. Nor here.") == []
    assert SentenceGate([re.compile("x"), None]).spans("Any text. At all.") == [(0, 17)]
    assert SentenceGate([re.compile("x")]).key != SentenceGate([re.compile("y")]).key


def gated_client(url, cache=None):
    client = GrammarClient(url, cache=cache)
    client.tool.enabled_rules = {"EN_A_VS_AN", "WHITESPACE_RULE"}
    client.tool.enabled_rules_only = True
    return client


GATE = SentenceGate([re.compile(r"\b[aA][nN]?\b"), re.compile(r"\s{2}")])


def test_gated_check_maps_matches_back_to_the_paragraph(languagetool_url, monkeypatch):
    texts = ["🎉🎉 The launch went well, officials said. It was an test of the 🚀 engine. All  fine.",
             "Nothing in this one needs checking. Not here either.",
             "🙂 This sentence has no articles. Then 🙂 an apple fell and an tree grew."]
    with gated_client(languagetool_url) as client:
        whole = client.check_joined(texts)
        sent = []
        real = client._request
        monkeypatch.setattr(client, "_request", lambda text, options: sent.append(text) or real(text, options))
        gated = client.check_joined(texts, gate=GATE)
    # The same matches (only the context snippets, taken from what was sent, differ).
    assert [[(m.rule_id, m.start, m.end, m.replacements, m.message) for m in ms] for ms in gated] == \
        [[(m.rule_id, m.start, m.end, m.replacements, m.message) for m in ms] for ms in whole]
    found = [[(m.rule_id, text[m.start:m.end], m.start) for m in ms] for text, ms in zip(texts, gated)]
    assert found == [[("EN_A_VS_AN", "an", texts[0].index("an test")), ("WHITESPACE_RULE", "  ", texts[0].index("  "))],
                     [],
                     [("EN_A_VS_AN", "an", texts[2].index("an tree"))]]
    assert sent == ["It was an test of the 🚀 engine. All  fine.\n\nThen 🙂 an apple fell and an tree grew."]


def test_gated_out_paragraphs_are_neither_sent_nor_cached(languagetool_url, tmp_path):
    cache = GrammarCache("t", tmp_path / "grammar.sqlite3")
    with gated_client(languagetool_url, cache) as client:
        assert client.check_joined(["Nothing to check here.", "Nor here, officials said."], gate=GATE) == [[], []]
        assert client.requests_sent == 0 and len(cache) == 0


def test_the_gate_is_part_of_the_cache_key(languagetool_url, tmp_path):
    path = tmp_path / "grammar.sqlite3"
    text = "Nothing to see here. It was an test."
    with gated_client(languagetool_url, GrammarCache("t", path)) as first:
        gated = first.check_joined([text], gate=GATE)
        assert first.check_joined([text], gate=GATE) == gated and first.requests_sent == 1
    with gated_client(languagetool_url, GrammarCache("t", path)) as second:
        assert second.check_joined([text])[0][0].start == gated[0][0].start  # same answer, other question
        assert second.requests_sent == 1
        assert second.check_joined([text], gate=SentenceGate([re.compile("test")])) == gated
        assert second.requests_sent == 2
