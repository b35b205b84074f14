"""Command line: argument parsing, input discovery, output routing and exit codes; no text logic."""
from __future__ import annotations

import argparse
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from cleaner import __version__, files, render
from cleaner.api import Cleaner, Result
from cleaner.config import Config
from cleaner.errors import CleanerError, UsageError
from cleaner.report import explain_lines, summary_line

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
    clean.add_argument("--to", choices=render.FORMATS, default="markdown", help="output format")
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
    clean.add_argument("--max-bytes", type=int, default=Config.max_bytes, help="skip larger inputs")
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


def config_from_args(args: argparse.Namespace) -> Config:
    """The run's Config from the parsed options."""
    grammar = "off" if args.no_grammar else (args.grammar or "auto")
    if args.no_grammar and args.grammar == "require":
        raise UsageError("--no-grammar and --grammar require contradict each other", hint="keep one")
    return Config(rule_dirs=tuple(args.rules), disable=tuple(args.disable), enable=tuple(args.enable),
                  grammar=grammar, languagetool_url=args.languagetool_url, max_bytes=args.max_bytes)


def _make_cleaner(config: Config) -> Cleaner:
    try:
        cleaner = Cleaner(config)
    except KeyError as exc:
        raise UsageError(f"unknown rule id {exc.args[0]}", hint="'cleaner rules' lists them") from None
    return cleaner


@dataclass
class _Run:
    """What happened in one ``clean`` run, for the summary and the exit code."""

    cleaned: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)


def _clean_command(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    template = _template(args.html_template)
    from cleaner.grammar_setup import grammar_stage
    with grammar_stage(config, quiet=args.quiet) as grammar:
        cleaner = Cleaner(config, rules=_make_cleaner(config).rules, grammar=grammar)
        run = _Run()
        inputs = args.inputs or ["-"]
        if inputs == ["-"]:
            _clean_stdin(cleaner, args, run, template)
        else:
            _clean_paths(cleaner, args, inputs, run, template)
    if not args.quiet and (len(args.inputs) > 1 or run.failed or args.output):
        print(summary_line(run.cleaned, run.unchanged, len(run.failed)), file=sys.stderr)
    return EXIT_ERROR if run.failed else EXIT_OK


def _template(option: str | None) -> str | None:
    if option is None or option == "page":
        return option
    try:
        return Path(option).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read --html-template {option}: {exc.strerror}", hint="check the path") from None


def _render_options(args: argparse.Namespace, template: str | None) -> dict:
    return {"template": template} if args.to == "html" and template else {}


def _clean_stdin(cleaner: Cleaner, args, run: _Run, template) -> None:
    data = sys.stdin.buffer.read()
    result = _clean_one(cleaner, args, run, lambda: cleaner.clean(
        data, source_format=args.source_format, to=args.to, name="<stdin>", **_render_options(args, template)),
        "<stdin>")
    if result is not None:
        _emit(result, args, Path(args.output) if args.output else None)


def _clean_paths(cleaner: Cleaner, args, inputs: list[str], run: _Run, template) -> None:
    found = files.discover(inputs)
    single = len(found) == 1 and not Path(inputs[0]).is_dir()
    out_dir = Path(args.output) if args.output else None
    for path, rel in found:
        result = _clean_one(cleaner, args, run, lambda: cleaner.clean(
            files.read_document_bytes(path, cleaner.config.max_bytes), source_format=args.source_format,
            to=args.to, name=str(path), **_render_options(args, template)), str(path))
        if result is None:
            continue
        if out_dir is None:
            if not single and args.to != "json":
                sys.stdout.write(f"==> {path} <==\n")
            _emit(result, args, None)
        elif single and not out_dir.is_dir() and out_dir.suffix:
            _emit(result, args, out_dir)
        else:
            _emit(result, args, (out_dir / rel).with_suffix(render.SUFFIX[args.to]))


def _clean_one(cleaner: Cleaner, args, run: _Run, job, name: str) -> Result | None:
    try:
        result = job()
    except CleanerError as exc:
        if args.debug:
            traceback.print_exc()
        message = str(exc) if exc.path else f"{name}: {exc}"
        print(f"cleaner: error: cannot clean {message}", file=sys.stderr)
        run.failed.append(name)
        return None
    if args.explain:
        for line in explain_lines(result.document):
            print(line, file=sys.stderr)
    if not args.quiet:
        for warning in result.document.warnings:
            print(f"cleaner: warning: {warning}", file=sys.stderr)
    if result.changed:
        run.cleaned += 1
    else:
        run.unchanged += 1
    return result


def _emit(result: Result, args, target: Path | None) -> None:
    if target is None:
        sys.stdout.write(result.output)
        sys.stdout.flush()
    else:
        files.atomic_write(target, result.output)


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
