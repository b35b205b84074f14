"""Command line: argument parsing, input discovery, output routing and exit codes; no text logic."""
from __future__ import annotations

import argparse
import functools
import os
import sys
import traceback
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cleaner import __version__, bulk, files, render, sources
from cleaner import config as config_mod
from cleaner.config import Config
from cleaner.errors import CleanerError, UsageError
from cleaner.grammar_setup import grammar_server
from cleaner.progress import Progress, Tally, summary_lines
from cleaner.report import unified_diff
from cleaner.rulebook import load_rules

EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2

#: With the default --jobs, worker processes start only past this many documents: starting
#: them costs more than cleaning a handful (a pre-commit hook run, a few files by hand).
POOL_THRESHOLD = 100


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
    clean.add_argument("inputs", nargs="*", metavar="INPUT",
                       help="files, folders, .jsonl or .warc[.gz] files; '-' or nothing for stdin")
    clean.add_argument("-o", "--output", metavar="OUTPUT", help="output folder (or file, for one input)")
    clean.add_argument("--to", choices=render.FORMATS, default=None, help="output format (default: markdown)")
    clean.add_argument("--from", dest="source_format", choices=("auto", "text", "html", "markdown"),
                       default="auto", help="input format (default: from the extension or content)")
    clean.add_argument("--include", action="append", default=[], metavar="GLOB",
                       help="in folders, clean only files matching (relative path; repeatable)")
    clean.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="in folders, skip files and folders matching (repeatable)")
    clean.add_argument("--jsonl-field", metavar="FIELD", help="JSON Lines: the field holding the document "
                       "(default: text); with '-', read JSON Lines from stdin")
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
    clean.add_argument("--resume", action="store_true",
                       help="with -o: skip documents whose output is already complete")
    clean.add_argument("--config", metavar="FILE", help="configuration file (default: nearest "
                       ".cleaner.toml or pyproject.toml with [tool.cleaner])")
    clean.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                       help="worker processes (default: one per CPU core)")
    clean.add_argument("--url", metavar="URL", help="the page's URL (HTML input: picks the site pack)")
    clean.add_argument("--front-matter", action="store_true", help="Markdown output starts with metadata")
    clean.add_argument("--typography", choices=("keep", "straight"), default=None,
                       help="keep curly quotes as published (default) or make them straight")
    clean.add_argument("--links", action="store_true", help="HTML input: keep links as Markdown links")
    clean.add_argument("--images", action="store_true", help="HTML input: keep images as Markdown images")
    clean.add_argument("--sites", action="append", default=[], metavar="DIR",
                       help="extra folder of site packs (<domain>.yaml) for HTML input")
    clean.add_argument("--max-bytes", type=int, default=None, metavar="N",
                       help="fail larger documents (default 20 MB)")
    clean.add_argument("--timeout", type=float, default=None, metavar="S",
                       help="seconds per document (default 60)")
    clean.add_argument("--quiet", action="store_true", help="no progress, summary or warnings")
    clean.add_argument("--debug", action="store_true", help="tracebacks on errors")
    rules = sub.add_parser("rules", help="list rules and run their examples",
                           description="List the rules in chain order, or check their examples.")
    rules.add_argument("--rules", action="append", default=[], metavar="DIR", help="extra rule pack folder")
    rules.add_argument("--check", action="store_true", help="run every rule's examples; exit 1 on a failure")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cleaner`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        if args.command == "rules":
            return _rules_command(args)
        return _clean_command(args)
    except CleanerError as exc:
        if debug:
            traceback.print_exc()
        print(f"cleaner: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("cleaner: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of stdout went away (`cleaner clean … | head`): stop quietly.
        _silence_stdout()
        return EXIT_ERROR
    except Exception as exc:
        if debug:
            raise
        print(f"cleaner: error: internal error: {type(exc).__name__}: {exc} "
              "(please report it; --debug shows the traceback)", file=sys.stderr)
        return EXIT_ERROR


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def cli_overrides(args: argparse.Namespace) -> dict:
    """The Config fields the command line sets (only those given)."""
    if args.no_grammar and args.grammar == "require":
        raise UsageError("--no-grammar and --grammar require contradict each other", hint="keep one")
    values: dict = {"rule_dirs": tuple(args.rules), "disable": tuple(args.disable), "enable": tuple(args.enable)}
    if args.no_grammar:
        values["grammar"] = "off"
    elif args.grammar:
        values["grammar"] = args.grammar
    for name in ("languagetool_url", "max_bytes", "timeout", "url", "typography"):
        if getattr(args, name) is not None:
            values[name] = getattr(args, name)
    if args.front_matter:
        values["front_matter"] = True
    if args.links:
        values["links"] = True
    if args.images:
        values["images"] = True
    if args.sites:
        values["site_dirs"] = tuple(args.sites)
    if args.explain or args.to == "json":
        values["grammar_suggestions"] = True  # shown only there; a full check costs more
    return values


class _Configs:
    """The Config for each input: nearest configuration file, then the command line."""

    def __init__(self, args: argparse.Namespace):
        self.overrides = cli_overrides(args)
        self.explicit = Path(args.config) if args.config else None
        self.cache: dict[Path | None, Config] = {}
        self.folders: dict[Path, Path | None] = {}  # folder → its configuration file

    def __call__(self, path: Path | None) -> Config:
        found = self.explicit or self._file_for(path)
        if found not in self.cache:
            settings = config_mod.file_settings(found) if found else {}
            config = config_mod.merged(Config(), settings, self.overrides)
            _check_rules(config)
            self.cache[found] = config
        return self.cache[found]

    def _file_for(self, path: Path | None) -> Path | None:
        """The configuration file for ``path``, looked up once per folder."""
        folder = Path.cwd() if path is None else (path if path.is_dir() else path.parent)
        if folder not in self.folders:
            self.folders[folder] = config_mod.find_config_file(folder)
        return self.folders[folder]


@functools.lru_cache(maxsize=16)
def _check_rules(config: Config) -> None:
    """Load the rules once up front, so a broken pack or unknown rule id stops the run early."""
    try:
        load_rules(config.rule_dirs).with_changes(config.disable, config.enabled_rules)
    except KeyError as exc:
        raise UsageError(f"unknown rule id {exc.args[0]}", hint="'cleaner rules' lists them") from None


def _mode(args: argparse.Namespace) -> str:
    """``output``, ``report`` (--check / --diff) or ``in_place``; refuses contradictory options."""
    modes = [m for m in ("check", "diff", "in_place") if getattr(args, m)]
    flag = f"--{modes[0].replace('_', '-')}" if modes else ""
    if args.in_place and (args.check or args.diff):
        raise UsageError("--in-place writes files; --check and --diff only report", hint="pick one")
    if modes and args.output:
        raise UsageError(f"{flag} works on the input files; -o is not used", hint="drop -o")
    if modes and args.to:
        raise UsageError(f"{flag} keeps each file's own format; --to is not used", hint="drop --to")
    if modes and sources.is_stdin(args.inputs):
        raise UsageError(f"{flag} needs files or folders, not stdin", hint="name the files")
    if args.resume and not args.output:
        raise UsageError("--resume needs -o (it skips inputs whose output is already there)", hint="add -o DIR")
    if args.resume and sources.is_stdin(args.inputs):
        raise UsageError("--resume cannot skip what comes from stdin", hint="give files, or drop --resume")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {args.jobs}", hint="omit it for one per CPU core")
    for name in ("max_bytes", "timeout"):
        value = getattr(args, name)
        if value is not None and value <= 0:
            raise UsageError(f"--{name.replace('_', '-')} must be more than 0, not {value:g}", hint="give a limit")
    if args.jsonl_field is not None and not args.jsonl_field:
        raise UsageError("--jsonl-field needs a field name", hint="for example --jsonl-field text")
    _check_output(args)
    return "in_place" if args.in_place else ("report" if modes else "output")


def _check_output(args: argparse.Namespace) -> None:
    if not args.output:
        return
    out = Path(args.output)
    many = len(args.inputs) > 1 or any(Path(p).is_dir() for p in args.inputs if p != "-")
    if many and out.exists() and not out.is_dir():
        raise UsageError(f"-o {out} is a file, but there are several inputs", hint="give a folder")


def _clean_command(args: argparse.Namespace) -> int:
    mode = _mode(args)
    configs = _Configs(args)
    stdin = sources.is_stdin(args.inputs)
    base = configs(None if stdin else Path(args.inputs[0]))
    template = _template(args.html_template)
    options = {"template": template} if template else {}
    to = None if mode != "output" else (args.to or "markdown")
    tally = Tally()
    progress = Progress(tally, enabled=False if args.quiet else None)
    writer = _Writer(args, mode, to, progress.say, tally)
    inputs = sources.Inputs(
        paths=args.inputs, source_format=args.source_format, jsonl_field=args.jsonl_field,
        include=tuple(args.include), exclude=tuple(args.exclude), containers=mode == "output",
        skip_dir=Path(args.output) if args.output else None,
        resume_from=writer.resume_from if args.resume else None,
        done=writer.done if args.resume else None)
    jobs = args.jobs or os.cpu_count() or 1
    with grammar_server(base, quiet=args.quiet) as url:
        outcomes = bulk.process(sources.items(inputs, configs), to=to, jobs=jobs, explain=args.explain,
                                grammar_url=url, render_options=options, allow_empty=mode != "output",
                                debug=args.debug, min_for_pool=0 if args.jobs else POOL_THRESHOLD)
        try:
            for outcome in outcomes:
                writer.take(outcome)
                _account(tally, outcome, args, progress)
                progress.tick()
        finally:
            writer.close()
            progress.close()
    many = len(args.inputs) > 1 or any(Path(p).is_dir() for p in args.inputs if p != "-")
    if not args.quiet and (many or tally.failed or args.output or mode != "output" or tally.records):
        for line in summary_lines(tally):
            print(line, file=sys.stderr)
    if tally.failed:
        return EXIT_ERROR
    return EXIT_CHANGED if mode != "output" and writer.changed else EXIT_OK


def _account(tally: Tally, outcome: bulk.Outcome, args: argparse.Namespace, progress: Progress) -> None:
    item = outcome.item
    if item.end:
        return
    tally.records = tally.records or item.container is not None
    if outcome.skipped:
        tally.skipped += 1
        return
    if outcome.error is not None:
        tally.failed += 1
        if outcome.trace:
            progress.say(outcome.trace.rstrip())
        progress.say(f"cleaner: error: cannot clean {outcome.error}")
        return
    for line in outcome.explain:
        progress.say(line)
    if not args.quiet:
        for warning in outcome.warnings:
            progress.say(f"cleaner: warning: {warning}")
    tally.edits.update(outcome.edits_by_rule)
    if outcome.changed:
        tally.cleaned += 1
    else:
        tally.unchanged += 1


class _Writer:
    """Sends each outcome where the mode says: stdout, -o, a diff, or back into the file.

    Records of a JSON Lines or WARC input go to one JSON Lines output per input file (stdout,
    or a :class:`files.RecordFile` under -o, complete only once its input is done).
    """

    #: Outputs under -o are written by a few threads (fsync waits on the disk, not the CPU),
    #: at most this many waiting at once.
    WRITERS, WAITING = 4, 64

    def __init__(self, args: argparse.Namespace, mode: str, to: str | None, say, tally: Tally):
        self.args, self.mode, self.to, self.say, self.tally = args, mode, to, say, tally
        self.writes: ThreadPoolExecutor | None = None
        self.waiting: deque = deque()
        self.out = Path(args.output) if args.output else None
        inputs = args.inputs
        self.stdin = sources.is_stdin(inputs)
        self.single = len(inputs) == 1 and not self.stdin and not Path(inputs[0]).is_dir()
        self.changed = False
        self.sink: files.RecordFile | None = None
        self.sink_for: str | None = None
        self.targets: set[int] = set()

    # --- where outputs go ----------------------------------------------------------------

    def target(self, rel: Path | None) -> Path | None:
        """The output file for an input at ``rel`` under -o (None: stdout)."""
        if self.out is None:
            return None
        if (self.single or self.stdin) and not self.out.is_dir() and self.out.suffix:
            return self.out
        return bulk.output_path(self.out, rel or Path("stdin"), self.to or "markdown")

    def done(self, rel: Path) -> bool:
        """--resume: the document's output file is there (and so complete: writes are atomic)."""
        target = self.target(rel)
        return target is not None and target.exists()

    def resume_from(self, name: str, rel: Path) -> int | None:
        """--resume: records of the JSON Lines / WARC input already done (None: all of them)."""
        return files.RecordFile(self.target(rel)).resume_point()

    # --- writing ---------------------------------------------------------------------------

    def take(self, outcome: bulk.Outcome) -> None:
        """Route one outcome (a failed or skipped one only moves record outputs along)."""
        item = outcome.item
        if item.container is not None:
            self._record(outcome)
        elif outcome.error is None and not outcome.skipped:
            self._document(outcome)

    def _document(self, outcome: bulk.Outcome) -> None:
        if self.mode != "output":
            self._report(outcome)
            return
        item = outcome.item
        target = self.target(item.rel)
        if target is None:
            if not (self.single or self.stdin) and self.to != "json":
                sys.stdout.write(f"==> {item.name} <==\n")
            sys.stdout.write(outcome.output)
            sys.stdout.flush()
            return
        key = hash(str(target))
        if key in self.targets:
            self._fail(f"{item.where}: its output {target} was already written for another input this run "
                       "(rename one of them, or clean them into separate folders)")
            return
        self.targets.add(key)
        if self.writes is None:
            self.writes = ThreadPoolExecutor(self.WRITERS, thread_name_prefix="cleaner-write")
        self._collect(self.WAITING)
        self.waiting.append((self.writes.submit(files.atomic_write, target, outcome.output), target, outcome))

    def _collect(self, keep: int) -> None:
        """Report the background writes that are done, waiting until at most ``keep`` remain."""
        while self.waiting and (len(self.waiting) > keep or self.waiting[0][0].done()):
            future, target, outcome = self.waiting.popleft()
            try:
                future.result()
            except OSError as exc:
                self._write_failed(target, outcome, exc)

    def _write(self, target: Path, text: str, outcome: bulk.Outcome) -> bool:
        try:
            files.atomic_write(target, text)
            return True
        except OSError as exc:
            self._write_failed(target, outcome, exc)
            return False

    def _write_failed(self, target: Path, outcome: bulk.Outcome, exc: OSError) -> None:
        # Counted as cleaned or unchanged when it came back from cleaning: move it to failed.
        if outcome.changed:
            self.tally.cleaned -= 1
        else:
            self.tally.unchanged -= 1
        self._fail(f"{outcome.item.where}: cannot write {target}: {exc.strerror or exc} (check the output folder)")

    def _fail(self, message: str) -> None:
        self.tally.failed += 1
        self.say(f"cleaner: error: cannot clean {message}")

    def _record(self, outcome: bulk.Outcome) -> None:
        item = outcome.item
        if item.skip:
            return
        if self.sink_for != item.container:
            self._close_sink()
            self.sink_for = item.container
            self.sink = self._open_sink(item)
        line = outcome.output if outcome.error is None and not outcome.skipped else None
        if self.sink is None:
            if line:
                sys.stdout.write(line)
                sys.stdout.flush()
            return
        try:
            self.sink.write(line, item.seq)
            if item.end:
                self._close_sink()
        except OSError as exc:
            raise _output_error(self.sink.target, exc) from None

    def _open_sink(self, item: bulk.Item) -> files.RecordFile | None:
        target = self.target(item.rel)
        if target is None:
            return None
        sink = files.RecordFile(target)
        try:
            sink.open(resume=self.args.resume)
        except OSError as exc:
            raise _output_error(target, exc) from None
        return sink

    def _close_sink(self) -> None:
        if self.sink is not None:
            self.sink.close()
        self.sink, self.sink_for = None, None

    def close(self) -> None:
        """End of run (or an interruption): writes finish; an unfinished record output stays resumable."""
        if self.writes is not None:
            self._collect(0)
            self.writes.shutdown(wait=True)
        if self.sink is not None:
            self.sink.abandon()
            self.sink, self.sink_for = None, None

    def _report(self, outcome: bulk.Outcome) -> None:
        if not outcome.changed or outcome.original is None or outcome.output == outcome.original:
            return
        self.changed = True
        name = outcome.item.name
        if self.args.diff:
            sys.stdout.write(unified_diff(outcome.original, outcome.output, name))
            sys.stdout.flush()
        if self.args.check and not self.args.quiet:
            self.say(f"would clean {name}")
        if self.mode == "in_place" and self._write(Path(name), outcome.output, outcome) and not self.args.quiet:
            self.say(f"cleaned {name}")


def _output_error(target: Path, exc: OSError) -> CleanerError:
    """A JSON Lines output that cannot be written stops the run (its partial file stays)."""
    return CleanerError(f"cannot write {target}: {exc.strerror or exc}",
                        hint="check the output folder, then run again with --resume")


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
