"""The Python API: a Cleaner compiles rules once and cleans many documents."""
from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

from cleaner import files, readers, render
from cleaner.config import Config
from cleaner.document import Document, Edit
from cleaner.pipeline import Pipeline
from cleaner.readers.html import decode_html
from cleaner.rulebook import RuleSet, load_rules
from cleaner.sites import load_sites
from cleaner.stages import RunContext, Stage


@dataclass
class Result:
    """A cleaned document: the rendered ``output`` and the ``document`` with its ledger."""

    output: str
    document: Document
    format: str

    @property
    def edits(self) -> list[Edit]:
        """Every edit made, in order."""
        return self.document.edits

    @property
    def title(self) -> str | None:
        """The document's title, when it has one."""
        return render.title_of(self.document)

    @property
    def markdown(self) -> str:
        """The cleaned document as Markdown."""
        return render.to_markdown(self.document)

    @property
    def text(self) -> str:
        """The cleaned document as plain text."""
        return render.to_text(self.document)

    @property
    def changed(self) -> bool:
        """True when any rule changed the document."""
        return bool(self.document.edits)


class Cleaner:
    """Rules and stages compiled once for one configuration; ``clean`` is then cheap."""

    def __init__(self, config: Config = Config(), *, rules: RuleSet | None = None,
                 grammar: Stage | None = None, grammar_url: str | None = None):
        """Compile the rules for ``config``. The grammar stage runs when ``grammar`` is given, or
        ``grammar_url`` names a LanguageTool server (see :func:`cleaner.grammar_setup.grammar_server`)."""
        self.config = config
        site_disable = [rule_id for rule_id in config.disable if rule_id.startswith("site.")]
        if rules is None:
            rules = load_rules(config.rule_dirs).with_changes(
                [rule_id for rule_id in config.disable if rule_id not in site_disable], config.enabled_rules)
        self.rules = rules
        self.sites = load_sites(config.site_dirs).without(site_disable)
        self.read_options = readers.ReadOptions(url=config.url, links=config.links, images=config.images,
                                                front_matter=config.front_matter, sites=self.sites)
        if grammar is None and grammar_url is not None:
            from cleaner.grammar_setup import stage_for_url
            grammar = stage_for_url(config, rules, grammar_url)
        self.pipeline = Pipeline(config, rules, grammar=grammar)
        self.context = RunContext()

    def parse(self, source: str | bytes, *, source_format: str = "auto", name: str = "<string>",
              url: str | None = None) -> Document:
        """Decode and read a source into a Document, without cleaning it.

        Bytes that may be HTML are decoded as a browser would: BOM, UTF-8, then the charset
        the page declares in its first bytes, then detection. ``url`` is the page's address.
        """
        if isinstance(source, bytes):
            text = decode_html(source, name) if source_format in ("auto", "html") else files.decode(source, name)
        else:
            text = source
        fmt = readers.detect_format(text, name if name != "<string>" else None) \
            if source_format == "auto" else source_format
        options = self.read_options if url is None else replace(self.read_options, url=url)
        return readers.read(text, fmt, name, options)

    def preload(self) -> "Cleaner":
        """Load now the word lists the repair rules otherwise load on first need (about 2 s).

        A long run pays this once whenever it comes; a benchmark, a server or a worker pool that
        wants even times per document calls this first. The grammar stage is not run.
        """
        doc = self.parse(_PRELOAD_SAMPLE, source_format="text", name="<preload>")
        for stage in self.pipeline.stages:
            if stage.name != "grammar":
                stage.apply(doc)
        return self

    def clean(self, source: str | bytes, *, source_format: str = "auto", to: str = "markdown",
              name: str = "<string>", url: str | None = None, **render_options) -> Result:
        """Clean one document given as text or bytes; ``to`` picks the output format."""
        if to not in render.FORMATS:
            raise ValueError(f"unknown output format {to!r}; use one of {', '.join(render.FORMATS)}")
        doc = self.parse(source, source_format=source_format, name=name, url=url)
        self.pipeline.run(doc)
        self.context.count(doc)
        return Result(render.render(doc, to, **render_options), doc, to)

    def clean_file(self, path: str | Path, *, source_format: str = "auto", to: str = "markdown") -> Result:
        """Read and clean one file."""
        path = Path(path)
        data = files.read_document_bytes(path, self.config.max_bytes)
        return self.clean(data, source_format=source_format, to=to, name=str(path))


@functools.lru_cache(maxsize=8)
def _cleaner_for(config: Config) -> Cleaner:
    return Cleaner(config)


def clean(source: str | bytes, *, source_format: str = "auto", to: str = "markdown",
          rules: tuple[str, ...] | list[str] = (), config: Config | None = None,
          grammar: bool = False, name: str = "<string>") -> Result:
    """Clean one document: ``cleaner.clean(text).output`` is the cleaned Markdown.

    ``rules`` adds rule-pack folders to the shipped ones. The grammar stage needs a running
    LanguageTool, so it is off here unless ``grammar=True`` (see :class:`Cleaner` for control).
    """
    config = config or Config()
    config = replace(config, rule_dirs=tuple(config.rule_dirs) + tuple(str(r) for r in rules),
                     grammar=config.grammar if grammar else "off")
    return _cleaner_for(config).clean(source, source_format=source_format, to=to, name=name)


def clean_file(path: str | Path, **options) -> Result:
    """Clean one file; options as for :func:`clean`."""
    data = files.read_document_bytes(Path(path), (options.get("config") or Config()).max_bytes)
    return clean(data, name=str(path), **options)


#: Text that takes every repair rule down the paths that load word lists (a glued word, a
#: modal with a past form, a doubled word).
_PRELOAD_SAMPLE = ("A sample\n\nThe council would permanently stationed two ships in the the bay, "
                   "with Britain and Italythe first andthe last.\n")
