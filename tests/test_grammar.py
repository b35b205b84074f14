"""The grammar stage against a real LanguageTool server (started once per test session)."""
import os
import subprocess
import sys
import re
import zipfile

import pytest

from cleaner import Cleaner, Config
from cleaner.cli import main
from cleaner.errors import RuleFileError
from cleaner.languagetool import GrammarCache, GrammarClient
from cleaner.rulebook import load_rules
from cleaner.rulebook.kinds import LanguageToolAllow
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


# --------------------------------------------------------------------------- sentence gate

ALLOW = [r for r in RULES.rules if isinstance(r, LanguageToolAllow)]
GATED = [(entry["rule"], entry) for r in ALLOW for entry in r.spec["allow"]
         if isinstance(entry, dict) and "gate" in entry]


def grammar_edits(result):
    return [(e.rule, e.before, e.after) for e in result.edits if e.stage == "grammar"]


def cleaner_and_stage(url, cache):
    stage = GrammarStage(GrammarClient(url, cache=cache), RULES)
    return Cleaner(Config(grammar="auto"), grammar=stage), stage


def spy(client, monkeypatch):
    """Record the text of every request ``client`` sends."""
    sent = []
    real = client._request
    monkeypatch.setattr(client, "_request", lambda text, options: sent.append(text) or real(text, options))
    return sent


def test_every_shipped_allow_listed_rule_has_a_gate_so_fix_only_runs_are_gated(languagetool_url, cache):
    stage = GrammarStage(GrammarClient(languagetool_url, cache=cache), RULES)
    assert stage.gate is not None and {rule for rule, _ in GATED} == stage.allowed
    # Suggestions need every sentence: that check is never gated.
    assert GrammarStage(GrammarClient(languagetool_url, cache=cache), RULES, suggestions=True).gate is None


@pytest.mark.parametrize("before", [
    "",
    "🎉🎉 Party time. ",
    "🎉🎉 Party time.\n\nAnother paragraph with nothing to fix, officials said. ",
])
def test_a_garble_in_one_sentence_of_a_paragraph_is_fixed_at_its_offsets(languagetool_url, cache, monkeypatch, before):
    text = ("🚀 The launch went well on Tuesday, the agency said. Officials said it was an test of the "
            "new 🛰 engine  and that crews cheered. The next launch is in May.")
    c, stage = cleaner_and_stage(languagetool_url, cache)
    sent = spy(stage.client, monkeypatch)
    result = clean(c, "Story\n\n" + before + text + "\n")
    assert result.output.endswith("🚀 The launch went well on Tuesday, the agency said. Officials said it was a "
                                  "test of the new 🛰 engine and that crews cheered. The next launch is in May.\n")
    assert sorted(grammar_edits(result)) == [("languagetool:EN_A_VS_AN", "an", "a"),
                                             ("languagetool:WHITESPACE_RULE", "  ", " ")]
    # Only the garbled sentence went to the server, once.
    assert sent == ["Officials said it was an test of the new 🛰 engine  and that crews cheered."]


def test_a_paragraph_the_gates_hold_back_is_not_sent(languagetool_url, cache, monkeypatch):
    c, stage = cleaner_and_stage(languagetool_url, cache)
    sent = spy(stage.client, monkeypatch)
    clean_text = "Story\n\nThe council approved the budget on Tuesday, officials said.\n\nIt takes effect in May.\n"
    result = clean(c, clean_text)
    assert result.output == clean_text and stage.client.requests_sent == 0 and sent == []
    result = clean(c, clean_text + "\nThis is an test, the clerk said.\n")
    assert sent == ["This is an test, the clerk said."] and stage.client.requests_sent == 1
    assert "This is a test, the clerk said." in result.output


def test_gated_and_full_checks_make_the_same_edits(languagetool_url, tmp_path):
    text = ("Story\n\nIt was an historic day.  The mayor said the the plan would went ahead , and "
            "a engineer (  from Ohio) agreed.. Prices rose,then fell. 🎉 The end.\n\n"
            "He can't taken it back. We'll built a new jet.\n")
    gated, _ = cleaner_and_stage(languagetool_url, GrammarCache("t", tmp_path / "a.sqlite3"))
    whole, stage = cleaner_and_stage(languagetool_url, GrammarCache("t", tmp_path / "b.sqlite3"))
    stage.gate = None
    a, b = clean(gated, text), clean(whole, text)
    assert {rule for rule, _, _ in grammar_edits(b)} >= {f"languagetool:{r}" for r in (
        "EN_A_VS_AN", "MD_BASEFORM", "DOUBLE_PUNCTUATION", "COMMA_PARENTHESIS_WHITESPACE", "WHITESPACE_RULE")}
    assert grammar_edits(a) == grammar_edits(b) and a.output == b.output


@pytest.mark.parametrize(("rule", "entry"), GATED, ids=[rule for rule, _ in GATED])
def test_gate_examples_agree_with_languagetool(languagetool_url, rule, entry):
    """The sentences a gate must let through are ones the rule flags; those it holds back are not."""
    with GrammarClient(languagetool_url, cache=None) as client:
        client.tool.enabled_rules = {rule}
        client.tool.enabled_rules_only = True
        examples = entry["examples"]
        results = client.check_many(examples["check"] + examples["skip"])
    flagged = [any(m.rule_id == rule for m in matches) for matches in results]
    assert flagged == [True] * len(examples["check"]) + [False] * len(examples["skip"])


def test_the_a_an_gate_lets_through_every_exception_languagetool_knows(languagetool_home):
    """det_an.txt lists words that take "an" whatever their first letter ("an hour", "an MBA"),
    det_a.txt words that take "a" ("a university", "a one-off"): the rule flags the other
    article before any of them, so the gate must let each through."""
    pattern = next(r.gates["EN_A_VS_AN"] for r in ALLOW if r.gates.get("EN_A_VS_AN"))
    jar = next((languagetool_home / "jars").glob("language-en-*.jar"))
    with zipfile.ZipFile(jar) as archive:
        for name, article in (("det_an.txt", "a"), ("det_a.txt", "an")):
            lines = archive.read(f"org/languagetool/rules/en/{name}").decode("utf-8").splitlines()
            words = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
            assert len(words) > 500
            for word in words:
                # Entries without "*" match in any case.
                forms = [word[1:]] if word.startswith("*") else [word, word.lower(), word.capitalize(), word.upper()]
                for form in forms:
                    for sentence in (f"It was {article} {form} case.", f"{article.capitalize()} {form} came."):
                        assert pattern.search(sentence), sentence


def write_pack(folder, gate, check, skip):
    folder.mkdir()
    (folder / "pack.yaml").write_text("stage: grammar\n")
    (folder / "fixes.yaml").write_text(
        "kind: languagetool\ndescription: test\nallow:\n  - rule: EN_A_VS_AN\n"
        f"    gate: '{gate}'\n    examples:\n      check: [{check!r}]\n      skip: [{skip!r}]\n")
    return folder


def test_a_gate_that_misses_its_examples_is_refused_when_the_pack_loads(tmp_path):
    ok = write_pack(tmp_path / "ok", r"\ban\b", "It was an test.", "It was a test.")
    assert load_rules([ok], builtin=False).rules[0].gates["EN_A_VS_AN"].pattern == r"\ban\b"
    for name, gate, check, skip, message in [
        ("misses", r"\ban\b", "A apple fell.", "It was a test.", "holds back its 'check' example 'A apple fell.'"),
        ("loose", r"\ba", "It was an test.", "It was a test.", "lets through its 'skip' example 'It was a test.'"),
        ("broken", r"(an", "It was an test.", "It was a test.", "gate of EN_A_VS_AN: bad regular expression"),
    ]:
        with pytest.raises(RuleFileError, match=re.escape(message)):
            load_rules([write_pack(tmp_path / name, gate, check, skip)], builtin=False)
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "pack.yaml").write_text("stage: grammar\n")
    (bare / "fixes.yaml").write_text("kind: languagetool\ndescription: test\nallow:\n  - rule: X\n    gate: x\n")
    with pytest.raises(RuleFileError):  # a gate needs examples
        load_rules([bare], builtin=False)


def test_a_doubled_word_that_is_right_is_left_alone(languagetool_url, cache):
    """ENGLISH_WORD_REPEAT_RULE is not allow-listed: on clean text its fixes were wrong (bench/grammar_allowlist.py)."""
    text = "Story\n\nNeither he nor anyone he knew had had contact with her in a decade, she said.\n"
    result = clean(cleaner_with(languagetool_url, cache), text)
    assert result.output == text and not [e for e in result.edits if e.stage == "grammar"]
