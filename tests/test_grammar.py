"""The grammar stage against a real LanguageTool server (started once per test session)."""
import os
import subprocess
import sys

import pytest

from cleaner import Cleaner, Config
from cleaner.cli import main
from cleaner.languagetool import GrammarCache, GrammarClient
from cleaner.rulebook import load_rules
from cleaner.stages.grammar import GrammarStage

RULES = load_rules()


@pytest.fixture
def cache(tmp_path):
    return GrammarCache("test", path=tmp_path / "grammar.sqlite3")


def cleaner_with(url, cache, suggestions=False):
    stage = GrammarStage(GrammarClient(url, cache=cache), RULES, suggestions=suggestions)
    return Cleaner(Config(grammar="auto"), grammar=stage)


def clean(c, text):
    return c.clean(text, source_format="text", to="text")


def test_allow_listed_fix_is_applied_with_its_rule_id(languagetool_url, cache):
    result = clean(cleaner_with(languagetool_url, cache), "Story\n\nThis is an test of the new system, officials said.\n")
    assert "This is a test of the new system" in result.output
    assert [(e.rule, e.before, e.after) for e in result.edits if e.stage == "grammar"] == [
        ("languagetool:EN_A_VS_AN", "an", "a")]


def test_other_findings_are_suggestions_never_applied(languagetool_url, cache):
    result = clean(cleaner_with(languagetool_url, cache, suggestions=True),
                   "Story\n\nHe go to school every day, his mother said on Tuesday.\n")
    assert "He go to school" in result.output
    assert any(s.rule == "languagetool:HE_VERB_AGR" and "goes" in s.replacements
               for s in result.document.suggestions)
    assert not [e for e in result.edits if e.stage == "grammar"]


def test_quotes_credits_and_urls_are_never_edited(languagetool_url, cache):
    text = ("Story\n\nShe wrote \"this is an test\" on the board before the lesson began.\n\n"
            "See https://example.com/an-test-page for an example of the the layout.\n\n"
            "Reporting by Kim Cohill; Editing by Gerry Doyle\n")
    result = clean(cleaner_with(languagetool_url, cache), text)
    assert "\"this is an test\"" in result.output
    assert "https://example.com/an-test-page" in result.output
    assert "Reporting by Kim Cohill; Editing by Gerry Doyle" in result.output


def test_emoji_before_the_error_keeps_the_span_right(languagetool_url, cache):
    result = clean(cleaner_with(languagetool_url, cache), "Story\n\n🎉🎉 This is an test of the system, she said.\n")
    assert "🎉🎉 This is a test of the system" in result.output


def test_paragraph_cache_skips_unchanged_text(languagetool_url, cache):
    text = "Story\n\nThis is an test of the cache, the engineers said on Monday.\n"
    first = GrammarClient(languagetool_url, cache=cache)
    clean(Cleaner(Config(), grammar=GrammarStage(first, RULES)), text)
    second = GrammarClient(languagetool_url, cache=cache)
    result = clean(Cleaner(Config(), grammar=GrammarStage(second, RULES)), text)
    assert second.requests_sent == 0
    assert "This is a test of the cache" in result.output


def test_cli_uses_an_existing_server(languagetool_url, tmp_path, capsys):
    doc = tmp_path / "a.txt"
    doc.write_text("Story\n\nThis is an test of the command line, the team said.\n")
    code = main(["clean", str(doc), "--to", "text", "--languagetool-url", languagetool_url, "--explain"])
    out, err = capsys.readouterr()
    assert code == 0 and "This is a test of the command line" in out
    assert "languagetool:EN_A_VS_AN: 'an' → 'a'" in err


def test_require_without_languagetool_is_an_error(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Story\n\nThis is an test.\n")
    env = {**os.environ, "CLEANER_LANGUAGETOOL_JARS": str(tmp_path / "nothing-here")}
    run = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(doc), "--grammar", "require"],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("cleaner: error: LanguageTool is not provisioned")
    assert "Traceback" not in run.stderr


def test_auto_without_languagetool_notes_once_and_runs_the_rest(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Story\n\nThis is an test.\n\nShare this article\n")
    env = {**os.environ, "CLEANER_LANGUAGETOOL_JARS": str(tmp_path / "nothing-here")}
    run = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(doc), "--to", "text"],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout == "Story\n\nThis is an test.\n"
    assert run.stderr.count("grammar stage skipped") == 1


def test_a_run_that_starts_its_own_server_leaves_no_jvm(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Story\n\nThis is an test of the server lifecycle, they said.\n")
    before = _java_pids()
    run = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(doc), "--to", "text",
                          "--grammar", "require"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "This is a test of the server lifecycle" in run.stdout
    assert _java_pids() <= before


def _java_pids():
    pids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    if b"org.languagetool.server.HTTPServer" in handle.read():
                        pids.add(int(entry))
            except OSError:
                pass
    return pids


def test_documents_in_other_languages_are_not_checked(languagetool_url, cache):
    text = ("Überschrift\n\nDas Fest findet an einem Samstag statt und beginnt an der Kirche, "
            "sagte die Stadt am Montag.\n")
    result = clean(cleaner_with(languagetool_url, cache), text)
    assert "an einem Samstag" in result.output and "an der Kirche" in result.output
    assert not [e for e in result.edits if e.stage == "grammar"]
