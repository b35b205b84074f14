"""Content-repo modes (--check, --diff, --in-place) and configuration files."""
import os
import stat

import pytest

from cleaner.cli import main

DIRTY = ("Title of the story\n\nThe council approved the budget on Tuesday after a long debate.\n\n"
         "Share this article\n\nOfficials said the new spending would begin in the spring.\n")
CLEAN = ("Title of the story\n\nThe council approved the budget on Tuesday after a long debate.\n\n"
         "Officials said the new spending would begin in the spring.\n")


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "dirty.txt").write_text(DIRTY)
    (tmp_path / "posts" / "clean.txt").write_text(CLEAN)
    return tmp_path


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_check_writes_nothing_and_exits_1(repo, capsys):
    code, out, err = run(["clean", "--check", "--no-grammar", str(repo / "posts")], capsys)
    assert code == 1 and out == ""
    assert f"would clean {repo / 'posts' / 'dirty.txt'}" in err
    assert (repo / "posts" / "dirty.txt").read_text() == DIRTY


def test_check_on_clean_files_exits_0(repo, capsys):
    code, _, _ = run(["clean", "--check", "--no-grammar", str(repo / "posts" / "clean.txt")], capsys)
    assert code == 0


def test_diff_prints_unified_diff(repo, capsys):
    code, out, _ = run(["clean", "--diff", "--no-grammar", str(repo / "posts")], capsys)
    assert code == 1
    assert f"--- a/{repo / 'posts' / 'dirty.txt'}" in out and "-Share this article\n" in out
    assert "clean.txt" not in out


def test_in_place_rewrites_then_is_stable(repo, capsys):
    target = repo / "posts" / "dirty.txt"
    os.chmod(target, 0o640)
    code, _, _ = run(["clean", "--in-place", "--no-grammar", str(repo / "posts")], capsys)
    assert code == 1
    assert target.read_text() == CLEAN
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not [p for p in (repo / "posts").iterdir() if p.name.startswith(".")]
    code, _, _ = run(["clean", "--in-place", "--no-grammar", str(repo / "posts")], capsys)
    assert code == 0


def test_modes_refuse_stdin_and_output(repo, capsys):
    assert run(["clean", "--check"], capsys)[0] == 2
    assert run(["clean", "--in-place", str(repo), "-o", str(repo / "o")], capsys)[0] == 2
    assert run(["clean", "--check", "--in-place", str(repo)], capsys)[0] == 2


def test_config_file_disables_a_rule(repo, capsys):
    (repo / ".cleaner.toml").write_text('disable = ["boilerplate.share-follow"]\ngrammar = "off"\n')
    code, _, _ = run(["clean", "--check", str(repo / "posts" / "dirty.txt")], capsys)
    assert code == 0


def test_pyproject_tool_table_is_found_upward(repo, capsys):
    (repo / "pyproject.toml").write_text('[project]\nname = "site"\n\n[tool.cleaner]\ndisable = ["boilerplate.share-follow"]\n')
    code, _, _ = run(["clean", "--check", "--no-grammar", str(repo / "posts" / "dirty.txt")], capsys)
    assert code == 0


def test_unknown_config_key_names_key_and_file(repo, capsys):
    (repo / ".cleaner.toml").write_text('disabel = ["x"]\n')
    code, _, err = run(["clean", "--no-grammar", str(repo / "posts" / "dirty.txt")], capsys)
    assert code == 2
    assert f"{repo / '.cleaner.toml'}: unknown key 'disabel' (did you mean 'disable'?)" in err


def test_broken_toml(repo, capsys):
    (repo / ".cleaner.toml").write_text('disable = [\n')
    code, _, err = run(["clean", "--no-grammar", str(repo / "posts" / "dirty.txt")], capsys)
    assert code == 2 and "invalid TOML" in err


def test_config_rule_folder_is_relative_to_the_file(repo, capsys):
    pack = repo / "myrules" / "house"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text("stage: boilerplate\n")
    (pack / "signature.yaml").write_text(
        "kind: drop-block\ndescription: The house sign-off line.\npatterns: ['see you next week']\n"
        "examples: {drop: ['See you next week!'], keep: ['We will see you next week in Paris, she told the crowd.']}\n")
    (repo / ".cleaner.toml").write_text('rules = ["myrules"]\n')
    (repo / "posts" / "note.txt").write_text(CLEAN + "\nSee you next week!\n")
    code, out, _ = run(["clean", "--no-grammar", "--to", "text", str(repo / "posts" / "note.txt")], capsys)
    assert code == 0 and out == CLEAN.replace("\n\n", "\n\n")
    assert "See you" not in out


def test_jobs_keep_order(repo, capsys):
    for i in range(6):
        (repo / "posts" / f"n{i}.txt").write_text(f"Story {i}\n\nParagraph {i} of the story says a thing.\n")
    _, serial, _ = run(["clean", "--no-grammar", "--quiet", str(repo / "posts")], capsys)
    _, parallel, _ = run(["clean", "--no-grammar", "--quiet", "--jobs", "2", str(repo / "posts")], capsys)
    assert parallel == serial and serial.count("==>") == 8


CURLY = "Title of the story\n\nThe mayor’s office called the plan “a start” on Tuesday.\n"


def test_typography_keeps_curly_quotes_by_default(repo, capsys):
    (repo / "posts" / "curly.txt").write_text(CURLY)
    code, _, _ = run(["clean", "--check", "--no-grammar", str(repo / "posts" / "curly.txt")], capsys)
    assert code == 0


def test_typography_straight_from_the_config_file(repo, capsys):
    target = repo / "posts" / "curly.txt"
    target.write_text(CURLY)
    (repo / ".cleaner.toml").write_text('typography = "straight"\ngrammar = "off"\n')
    code, _, err = run(["clean", "--in-place", "--explain", str(target)], capsys)
    assert code == 1
    assert target.read_text() == CURLY.replace("’", "'").replace("“", '"').replace("”", '"')
    assert "unicode.straight-quotes" in err
    assert run(["clean", "--check", str(target)], capsys)[0] == 0


def test_typography_option_and_bad_value(repo, capsys):
    (repo / "posts" / "curly.txt").write_text(CURLY)
    code, out, _ = run(["clean", "--no-grammar", "--typography", "straight", "--to", "text",
                        str(repo / "posts" / "curly.txt")], capsys)
    assert code == 0 and "mayor's office called the plan \"a start\"" in out
    (repo / ".cleaner.toml").write_text('typography = "fancy"\n')
    code, _, err = run(["clean", "--no-grammar", str(repo / "posts" / "curly.txt")], capsys)
    assert code == 2
    assert f"{repo / '.cleaner.toml'}: typography must be one of keep, straight, not 'fancy'" in err


def test_config_file_keeps_links_and_reads_site_folder(repo, capsys):
    sites = repo / "house-sites"
    sites.mkdir()
    (sites / "example.org.yaml").write_text(
        "description: Example pages.\ndrop:\n  - name: promo\n    description: The house promo line.\n"
        "    phrases: ['try our app today']\n    max_words: 5\n"
        "    examples: {drop: ['Try our app today'], keep: ['Residents said they would try our app today.']}\n")
    page = ("<html><head><link rel='canonical' href='https://example.org/a'></head><body><article>"
            "<h1>Harbour plan approved</h1><p>The council approved the <a href='https://example.org/plan'>"
            "harbour plan</a> on Tuesday after a debate that lasted most of the evening.</p>"
            "<p>Try our app today</p><p>Work on the new quay is due to begin in the spring of next year, "
            "officials said.</p></article></body></html>")
    (repo / "posts" / "page.html").write_text(page)
    (repo / ".cleaner.toml").write_text('links = true\nsites = ["house-sites"]\ngrammar = "off"\n')
    code, out, err = run(["clean", "--to", "markdown", str(repo / "posts" / "page.html")], capsys)
    assert code == 0, err
    assert "[harbour plan](https://example.org/plan)" in out
    assert "Try our app" not in out and "new quay" in out
