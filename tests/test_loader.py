"""Broken rule packs give one clear error naming the file, line and column, and the fix."""
import pytest

from cleaner.errors import RuleFileError
from cleaner.rulebook import load_rules

GOOD = """kind: drop-block
description: Lines that say hello.
patterns: ['hello']
examples:
  drop: ["Hello"]
  keep: ["Hello there, said the minister to the waiting crowd."]
"""


def pack(tmp_path, files, stage="boilerplate", extra=""):
    folder = tmp_path / "mypack"
    folder.mkdir()
    (folder / "pack.yaml").write_text(f"stage: {stage}\n{extra}")
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def error_for(folder):
    with pytest.raises(RuleFileError) as info:
        load_rules([folder], builtin=False)
    return str(info.value)


def test_good_pack_loads_with_ids_from_pack_and_file(tmp_path):
    rules = load_rules([pack(tmp_path, {"hello.yaml": GOOD})], builtin=False)
    assert rules.ids == ["mypack.hello"]


def test_unknown_key_names_line_column_and_suggests(tmp_path):
    folder = pack(tmp_path, {"hello.yaml": GOOD.replace("patterns:", "paterns:")})
    message = error_for(folder)
    assert message.startswith(f"{folder / 'hello.yaml'}:3:1: unknown key 'paterns'")
    assert "did you mean 'patterns'?" in message


def test_bad_regex_points_at_the_pattern(tmp_path):
    message = error_for(pack(tmp_path, {"hello.yaml": GOOD.replace("'hello'", "'hel(lo'")}))
    assert ":3:11: bad regular expression" in message


def test_unknown_kind(tmp_path):
    message = error_for(pack(tmp_path, {"hello.yaml": GOOD.replace("drop-block", "drop-blok")}))
    assert ":1:7: unknown rule kind 'drop-blok'" in message and "did you mean 'drop-block'?" in message


def test_invalid_yaml(tmp_path):
    message = error_for(pack(tmp_path, {"hello.yaml": "kind: [unclosed\n"}))
    assert "hello.yaml:2:1: invalid YAML" in message


def test_missing_examples_is_required(tmp_path):
    text = GOOD.split("examples:")[0]
    assert "'examples' is required" in error_for(pack(tmp_path, {"hello.yaml": text}))


def test_wrong_type(tmp_path):
    message = error_for(pack(tmp_path, {"hello.yaml": GOOD + "max_words: many\n"}))
    assert "hello.yaml:7:12: 'many' is not of type 'integer'" in message


def test_pack_order_must_name_files(tmp_path):
    message = error_for(pack(tmp_path, {"hello.yaml": GOOD}, extra="order: [helo]\n"))
    assert "pack.yaml:2:9: order names 'helo'" in message and "did you mean 'hello'?" in message


def test_unknown_stage(tmp_path):
    assert "pack.yaml:1:8:" in error_for(pack(tmp_path, {"hello.yaml": GOOD}, stage="boilerplat"))


def test_folder_without_packs(tmp_path):
    assert "no rule pack found" in error_for(tmp_path)


def test_duplicate_id_across_packs(tmp_path):
    folder = pack(tmp_path, {"hello.yaml": GOOD})
    with pytest.raises(RuleFileError, match="already defined"):
        load_rules([folder, folder], builtin=False)


def test_unknown_transform(tmp_path):
    rule = """kind: substitute
description: x
pattern: 'a'
transform: no-such-thing
examples: {fix: [["a", "b"]], keep: ["c"]}
"""
    assert "unknown transform 'no-such-thing'" in error_for(pack(tmp_path, {"t.yaml": rule}, stage="repair"))


def test_unquoted_yaml_word_in_params_points_at_it(tmp_path):
    rule = """kind: substitute
description: x
pattern: 'a'
transform: glued-words
params:
  function_words: [the, and,
                   no, off]
examples: {fix: [["a", "b"]], keep: ["c"]}
"""
    message = error_for(pack(tmp_path, {"t.yaml": rule}, stage="repair"))
    assert "t.yaml:7:20: params.function_words lists False" in message and 'quote it: "no"' in message


def test_disable_and_enable_unknown_ids_raise(tmp_path):
    rules = load_rules([pack(tmp_path, {"hello.yaml": GOOD})], builtin=False)
    assert rules.with_changes(disable=["mypack.hello"]).for_stage("boilerplate") == []
    with pytest.raises(KeyError):
        rules.with_changes(disable=["mypack.nope"])


def test_loaded_once_until_a_file_changes(tmp_path):
    folder = pack(tmp_path, {"hello.yaml": GOOD})
    first = load_rules([folder], builtin=False)
    assert load_rules([folder], builtin=False) is first
    (folder / "bye.yaml").write_text(GOOD.replace("hello", "goodbye").replace("Hello", "Goodbye"))
    second = load_rules([folder], builtin=False)
    assert second is not first and second.ids == ["mypack.bye", "mypack.hello"]
    (folder / "bye.yaml").write_text("kind: drop-block\n")
    assert "bye.yaml" in error_for(folder)
