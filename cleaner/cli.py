"""Command line: argument parsing, input discovery, output routing and exit codes; no text logic."""
from __future__ import annotations

import argparse
import functools
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cleaner import __version__, bulk, files, render
from cleaner import config as config_mod
from cleaner.config import Config
from cleaner.errors import CleanerError, UsageError
from cleaner.grammar_setup import grammar_server
from cleaner.report import summary_line, unified_diff
from cleaner.rulebook import load_rules

EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors say how to get help, in one line, with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``cleaner`` argument parser."""
    parser = _Parser(prog="cleaner", description="Clean scraped articles into republishable text.")
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    clean = sub.add_parser("clean", help="clean documents", description="Clean documents.")
    clean.add_argument("inputs", nargs="*", metavar="INPUT", help="files or folders; '-' or nothing for stdin")
    clean.add_argument("-o", "--output", metavar="OUTPUT", help="output folder (or file, for one input)")
    clean.add_argument("--to", choices=render.FORMATS, default=None, help="output format (default: markdown)")
    clean.add_argument("--from", dest="source_format", choices=("auto", "text", "html", "markdown"),
                       default="auto", help="input format (default: from the extension or content)")
    clean.add_argument("--rules", action="append", default=[], metavar="DIR", help="extra rule pack folder")
    clean.add_argument("--disable", action="append", default=[], metavar="RULE_ID", help="switch a rule off")
    clean.add_argument("--enable", action="append", default=[], metavar="RULE_ID", help="switch a rule on")
    clean.add_argument("--explain", action="store_true", help="list every edit on stderr")
    clean.add_argument("--no-grammar", action="store_true", help="skip the LanguageTool stage")
    clean.add_argument("--grammar", choices=("auto", "off", "require"), default=None,
                       help="auto: use LanguageTool when provisioned; require: fail without it")
    clean.add_argument("--languagetool-url", metavar="URL", help="use this LanguageTool server")
    clean.add_argument("--html-template", metavar="FILE|page", help="full HTML page instead of a fragment")
    clean.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    clean.add_argument("--diff", action="store_true", help="print a unified diff of what would change")
    clean.add_argument("--in-place", action="store_true", help="rewrite the files; exit 1 if any changed")
    clean.add_argument("--config", metavar="FILE", help="configuration file (default: nearest "
                       ".cleaner.toml or pyproject.toml with [tool.cleaner])")
    clean.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes")
    clean.add_argument("--url", metavar="URL", help="the page's URL (HTML input: picks the site pack)")
    clean.add_argument("--front-matter", action="store_true", help="Markdown output starts with metadata")
    clean.add_argument("--max-bytes", type=int, default=None, help="fail larger inputs (default 20 MB)")
    clean.add_argument("--timeout", type=float, default=None, help="seconds per document (default 60)")
    clean.add_argument("--quiet", action="store_true", help="no summary or warnings")
    clean.add_argument("--debug", action="store_true", help="tracebacks on errors")
    rules = sub.add_parser("rules", help="list rules and run their examples",
                           description="List the rules in chain order, or check their examples.")
    rules.add_argument("--rules", action="append", default=[], metavar="DIR", help="extra rule pack folder")
    rules.add_argument("--check", action="store_true", help="run every rule's examples; exit 1 on a failure")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cleaner`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "rules":
            return _rules_command(args)
        return _clean_command(args)
    except CleanerError as exc:
        if getattr(args, "debug", False):
            traceback.print_exc()
        print(f"cleaner: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("cleaner: interrupted", file=sys.stderr)
        return 130


def cli_overrides(args: argparse.Namespace) -> dict:
    """The Config fields the command line sets (only those given)."""
    if args.no_grammar and args.grammar == "require":
        raise UsageError("--no-grammar and --grammar require contradict each other", hint="keep one")
    values: dict = {"rule_dirs": tuple(args.rules), "disable": tuple(args.disable), "enable": tuple(args.enable)}
    if args.no_grammar:
        values["grammar"] = "off"
    elif args.grammar:
        values["grammar"] = args.grammar
    for name in ("languagetool_url", "max_bytes", "timeout", "url"):
        if getattr(args, name) is not None:
            values[name] = getattr(args, name)
    if args.front_matter:
        values["front_matter"] = True
    return values


class _Configs:
    """The Config for each input: nearest configuration file, then the command line."""

    def __init__(self, args: argparse.Namespace):
        self.overrides = cli_overrides(args)
        self.explicit = Path(args.config) if args.config else None
        self.cache: dict[Path | None, Config] = {}

    def __call__(self, path: Path | None) -> Config:
        found = self.explicit or (config_mod.find_config_file(path) if path is not None else
                                  config_mod.find_config_file(Path.cwd()))
        if found not in self.cache:
            settings = config_mod.file_settings(found) if found else {}
            config = config_mod.merged(Config(), settings, self.overrides)
            _check_rules(config)
            self.cache[found] = config
        return self.cache[found]


@functools.lru_cache(maxsize=16)
def _check_rules(config: Config) -> None:
    """Load the rules once up front, so a broken pack or unknown rule id stops the run early."""
    try:
        load_rules(config.rule_dirs).with_changes(config.disable, config.enable)
    except KeyError as exc:
        raise UsageError(f"unknown rule id {exc.args[0]}", hint="'cleaner rules' lists them") from None


@dataclass
class _Run:
    """What happened in one ``clean`` run, for the summary and the exit code."""

    cleaned: int = 0
    unchanged: int = 0
    failed: int = 0
    edits: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)


def _mode(args: argparse.Namespace) -> str:
    modes = [m for m in ("check", "diff", "in_place") if getattr(args, m)]
    if args.in_place and (args.check or args.diff):
        raise UsageError("--in-place writes files; --check and --diff only report", hint="pick one")
    if modes and args.output:
        raise UsageError(f"--{modes[0].replace('_', '-')} works on the input files; -o is not used",
                         hint="drop -o")
    if modes and args.to:
        raise UsageError(f"--{modes[0].replace('_', '-')} keeps each file's own format; --to is not used",
                         hint="drop --to")
    if modes and (not args.inputs or args.inputs == ["-"]):
        raise UsageError(f"--{modes[0].replace('_', '-')} needs files or folders, not stdin", hint="name the files")
    return "in_place" if args.in_place else ("report" if modes else "output")


def _clean_command(args: argparse.Namespace) -> int:
    mode = _mode(args)
    configs = _Configs(args)
    base = configs(None if not args.inputs or args.inputs == ["-"] else Path(args.inputs[0]))
    template = _template(args.html_template)
    options = {"template": template} if template else {}
    to = None if mode != "output" else (args.to or "markdown")
    run = _Run()
    with grammar_server(base, quiet=args.quiet) as url:
        items = _items(args, configs)
        jobs = args.jobs if args.jobs else 1
        outcomes = bulk.process(items, to=to, jobs=jobs, explain=args.explain, grammar_url=url,
                                render_options=options)
        writer = _Writer(args, mode, to)
        for outcome in outcomes:
            _account(run, outcome, args)
            if outcome.error is None:
                writer.emit(outcome)
    many = len(args.inputs) > 1 or any(Path(p).is_dir() for p in args.inputs if p != "-")
    if not args.quiet and (many or run.failed or args.output or mode != "output"):
        print(summary_line(run.cleaned, run.unchanged, run.failed), file=sys.stderr)
    if run.failed:
        return EXIT_ERROR
    return EXIT_CHANGED if mode != "output" and writer.changed else EXIT_OK


def _items(args: argparse.Namespace, configs: _Configs):
    if not args.inputs or args.inputs == ["-"]:
        data = sys.stdin.buffer.read()
        yield bulk.Item(0, "<stdin>", configs(None), data=data, source_format=args.source_format)
        return
    for index, (path, rel) in enumerate(files.discover(args.inputs)):
        try:
            config = configs(path)
        except CleanerError as exc:
            yield bulk.Item(index, str(path), Config(), path=path, rel=rel, error=exc)
            continue
        yield bulk.Item(index, str(path), config, path=path, rel=rel, source_format=args.source_format)


def _account(run: _Run, outcome: bulk.Outcome, args: argparse.Namespace) -> None:
    if outcome.error is not None:
        run.failed += 1
        print(f"cleaner: error: cannot clean {outcome.error}", file=sys.stderr)
        return
    for line in outcome.explain:
        print(line, file=sys.stderr)
    if not args.quiet:
        for warning in outcome.warnings:
            print(f"cleaner: warning: {warning}", file=sys.stderr)
    run.edits.update(outcome.edits_by_rule)
    if outcome.changed:
        run.cleaned += 1
    else:
        run.unchanged += 1


class _Writer:
    """Sends each outcome where the mode says: stdout, -o, a diff, or back into the file."""

    def __init__(self, args: argparse.Namespace, mode: str, to: str | None):
        self.args, self.mode, self.to = args, mode, to
        self.out = Path(args.output) if args.output else None
        inputs = args.inputs
        self.single = len(inputs) == 1 and inputs != ["-"] and not Path(inputs[0]).is_dir()
        self.stdin = not inputs or inputs == ["-"]
        self.changed = False

    def emit(self, outcome: bulk.Outcome) -> None:
        if self.mode != "output":
            self._report(outcome)
            return
        item = outcome.item
        if self.out is None:
            if not (self.single or self.stdin) and self.to != "json":
                sys.stdout.write(f"==> {item.name} <==\n")
            sys.stdout.write(outcome.output)
            sys.stdout.flush()
        elif (self.single or self.stdin) and not self.out.is_dir() and self.out.suffix:
            files.atomic_write(self.out, outcome.output)
        else:
            rel = item.rel or Path("stdin")
            files.atomic_write(bulk.output_path(self.out, rel, self.to), outcome.output)

    def _report(self, outcome: bulk.Outcome) -> None:
        if not outcome.changed or outcome.original is None or outcome.output == outcome.original:
            return
        self.changed = True
        name = outcome.item.name
        if self.args.diff:
            sys.stdout.write(unified_diff(outcome.original, outcome.output, name))
        if self.args.check and not self.args.quiet:
            print(f"would clean {name}", file=sys.stderr)
        if self.mode == "in_place":
            files.atomic_write(Path(name), outcome.output)
            if not self.args.quiet:
                print(f"cleaned {name}", file=sys.stderr)


def _template(option: str | None) -> str | None:
    if option is None or option == "page":
        return option
    try:
        return Path(option).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read --html-template {option}: {exc.strerror}", hint="check the path") from None


def _rules_command(args: argparse.Namespace) -> int:
    """List the rules in chain order; with --check, run their examples."""
    from cleaner.pipeline import CHAIN
    from cleaner.rulebook import load_rules
    from cleaner.rulebook.examples import run_examples

    rules = load_rules(args.rules)
    ordered = sorted(rules.rules, key=lambda r: CHAIN.index(r.stage))
    if not args.check:
        for rule in ordered:
            state = "" if rule.enabled else "  (disabled)"
            print(f"{rule.id:45} {rule.stage:12} {rule.description}{state}")
        return EXIT_OK
    results = [r for rule in ordered for r in run_examples(rule)]
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"FAIL {r.rule}: {r.expect} expected, got {r.got!r}: {r.example}")
    print(f"{len(results) - len(failed)} examples passed, {len(failed)} failed")
    return EXIT_CHANGED if failed else EXIT_OK
