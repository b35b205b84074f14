"""Every example of every shipped rule: drops drop, keeps keep, fixes fix."""
import pytest

from cleaner.rulebook import load_rules
from cleaner.rulebook.examples import run_examples

RULES = load_rules()


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_rule_examples(rule):
    results = run_examples(rule)
    if rule.kind != "languagetool":
        assert results, f"{rule.id} has no examples"
    failures = [f"{r.expect} expected, got {r.got!r}: {r.example}" for r in results if not r.ok]
    assert not failures, f"{rule.path}:\n" + "\n".join(failures)


@pytest.mark.parametrize("rule", [r for r in RULES.rules if r.kind != "languagetool"], ids=lambda r: r.id)
def test_every_rule_has_positive_and_negative_examples(rule):
    expects = {r.expect for r in run_examples(rule)}
    assert "keep" in expects and len(expects) == 2, f"{rule.id} needs examples that fire and that must not"
