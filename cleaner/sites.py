"""Site packs: what one website puts around its articles, as CSS selectors and line patterns.

``rules/sites/<domain>.yaml`` names elements to remove from the page before extraction
(``remove``: CSS selectors) and blocks to drop after it (``drop``: whole-line patterns or
phrases, through ``Document.drop``). A pack applies to its domain and the domain's subdomains;
the page's domain comes from the ``url`` option, else its canonical URL or ``og:url``.
Files are validated strictly when loaded: an unknown key, a bad selector or a bad pattern
stops the run with ``file:line:col``.

Every change is recorded with the rule id ``site.<domain>.<name>``.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

import jsonschema
from lxml import etree

from cleaner.document import Document
from cleaner.errors import RuleFileError
from cleaner.rulebook.kinds import DEFAULT_SCOPE, line_matcher
from cleaner.rulebook.textshape import word_count
from cleaner.rulebook.yamlmarks import load_yaml, mark_for

_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
_NAME = {"type": "string", "pattern": r"^[a-z][a-z0-9-]*$"}
_DOMAIN = r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$"

SITE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["description"],
    "anyOf": [{"required": ["remove"]}, {"required": ["drop"]}],
    "properties": {
        "description": {"type": "string", "minLength": 1},
        "aliases": {"type": "array", "items": {"type": "string", "pattern": _DOMAIN}},
        "remove": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "selector", "examples"],
            "properties": {
                "name": _NAME,
                "description": {"type": "string"},
                "selector": {"type": "string", "minLength": 1},
                "examples": {"type": "object", "additionalProperties": False, "required": ["remove", "keep"],
                             "properties": {"remove": _STRINGS, "keep": _STRINGS}},
            },
        }},
        "drop": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "examples"],
            "anyOf": [{"required": ["patterns"]}, {"required": ["phrases"]}],
            "properties": {
                "name": _NAME,
                "description": {"type": "string"},
                "patterns": _STRINGS,
                "phrases": _STRINGS,
                "match": {"enum": ["line", "start", "anywhere"]},
                "case_sensitive": {"type": "boolean"},
                "max_words": {"type": "integer", "minimum": 1},
                "examples": {"type": "object", "additionalProperties": False, "required": ["drop", "keep"],
                             "properties": {"drop": _STRINGS, "keep": _STRINGS}},
            },
        }},
    },
}


def builtin_sites_dir() -> Path:
    """The site packs shipped with cleaner (``rules/sites/``)."""
    return Path(str(resources.files("cleaner") / "rules" / "sites")).resolve()


@dataclass(frozen=True)
class Removal:
    """A CSS selector whose elements are removed before extraction."""

    id: str
    selector: str
    xpath: etree.XPath
    examples: dict


@dataclass(frozen=True)
class LineDrop:
    """Blocks dropped after extraction when their whole text matches."""

    id: str
    matcher: object
    max_words: int
    examples: dict

    def matches(self, text: str) -> bool:
        """True when ``text`` is this site's boilerplate."""
        return word_count(text) <= self.max_words and self.matcher.matches(text.strip())


@dataclass(frozen=True)
class SitePack:
    """One site's compiled pack."""

    domain: str
    path: str
    domains: tuple[str, ...]
    removals: tuple[Removal, ...]
    drops: tuple[LineDrop, ...]

    def remove_elements(self, tree: etree._Element) -> list[tuple[str, str, int]]:
        """Remove matching elements in place; (rule id, the element's text, its line) for each with text."""
        removed = []
        for removal in self.removals:
            for node in removal.xpath(tree):
                parent = node.getparent()
                if parent is None:
                    continue
                text = " ".join(" ".join(node.itertext()).split())
                if text:
                    removed.append((removal.id, text, node.sourceline or 1))
                _remove_keep_tail(node, parent)
        return removed

    def drop_lines(self, doc: Document) -> None:
        """Drop the blocks this site adds inside its articles (recorded in the ledger)."""
        for block in list(doc.alive()):
            if block.protected or block.kind not in DEFAULT_SCOPE:
                continue
            for drop in self.drops:
                if drop.matches(block.text):
                    doc.drop(block, rule=drop.id, stage="sites", message="site pack line")
                    break


def _remove_keep_tail(node: etree._Element, parent: etree._Element) -> None:
    tail = node.tail
    previous = node.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


@dataclass(frozen=True)
class SiteBook:
    """Every loaded site pack, by domain; immutable and shared by all documents."""

    packs: tuple[SitePack, ...] = ()

    def for_domain(self, domain: str | None) -> SitePack | None:
        """The pack for ``domain`` or its nearest parent domain, else None."""
        if not domain:
            return None
        by_domain = {d: p for p in self.packs for d in p.domains}
        labels = domain.lower().split(".")
        for start in range(len(labels) - 1):
            pack = by_domain.get(".".join(labels[start:]))
            if pack is not None:
                return pack
        return None

    @property
    def ids(self) -> list[str]:
        """Every site rule id."""
        return [r.id for p in self.packs for r in (*p.removals, *p.drops)]

    def without(self, disabled: Iterable[str]) -> "SiteBook":
        """A copy without the rules whose ids are in ``disabled`` (unknown ids raise KeyError)."""
        disabled = set(disabled)
        for rule_id in disabled - set(self.ids):
            raise KeyError(rule_id)
        if not disabled:
            return self
        packs = tuple(SitePack(p.domain, p.path, p.domains,
                               tuple(r for r in p.removals if r.id not in disabled),
                               tuple(d for d in p.drops if d.id not in disabled)) for p in self.packs)
        return SiteBook(packs)


def load_sites(extra: Iterable[str | Path] = (), *, builtin: bool = True) -> SiteBook:
    """Load ``rules/sites/*.yaml`` and each extra folder of site packs."""
    roots = ([builtin_sites_dir()] if builtin else []) + [Path(p) for p in extra]
    packs: list[SitePack] = []
    owner: dict[str, str] = {}
    for root in roots:
        if not root.is_dir():
            if root == builtin_sites_dir():
                continue
            raise RuleFileError(root, "site pack folder not found", hint="check the path given to --sites")
        for path in sorted(root.glob("*.yaml")):
            pack = load_site(path)
            for domain in pack.domains:
                if domain in owner:
                    raise RuleFileError(path, f"domain {domain} already has a site pack in {owner[domain]}",
                                        line=1, col=1, hint="merge the two files")
                owner[domain] = str(path)
            packs.append(pack)
    return SiteBook(tuple(packs))


def load_site(path: Path) -> SitePack:
    """Validate and compile one site pack; errors name ``file:line:col``."""
    domain = path.name[: -len(".yaml")].lower()
    if not re.match(_DOMAIN, domain):
        raise RuleFileError(path, f"file name {path.name!r} is not a domain", line=1, col=1,
                            hint="name the file after the site, e.g. example.com.yaml")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(path, f"cannot read site pack: {exc}", hint="make it a readable UTF-8 file") from None
    spec, marks = load_yaml(text, path)
    if not isinstance(spec, dict):
        raise RuleFileError(path, "a site pack must be a mapping", line=1, col=1,
                            hint="start with 'description:' and 'remove:' or 'drop:'")
    _validate(spec, marks, path)
    names: set[str] = set()
    removals = tuple(_removal(item, i, domain, marks, path, names) for i, item in enumerate(spec.get("remove", ())))
    drops = tuple(_drop(item, i, domain, marks, path, names) for i, item in enumerate(spec.get("drop", ())))
    return SitePack(domain, str(path), (domain, *spec.get("aliases", ())), removals, drops)


def _unique(name: str, names: set[str], where: tuple, marks, path: Path) -> None:
    if name in names:
        line, col = mark_for(marks, where)
        raise RuleFileError(path, f"duplicate name {name!r}", line=line, col=col, hint="names must be unique in a pack")
    names.add(name)


def _removal(item: dict, index: int, domain: str, marks, path: Path, names: set[str]) -> Removal:
    from lxml.cssselect import CSSSelector, SelectorError

    _unique(item["name"], names, ("remove", index, "name"), marks, path)
    try:
        xpath = CSSSelector(item["selector"], translator="html")
    except (SelectorError, etree.XPathError) as exc:
        line, col = mark_for(marks, ("remove", index, "selector"))
        raise RuleFileError(path, f"bad CSS selector {item['selector']!r}: {exc}", line=line, col=col,
                            hint="use CSS3 selectors (tags, .class, #id, [attr], descendants, :not())") from None
    return Removal(f"site.{domain}.{item['name']}", item["selector"], xpath, item["examples"])


def _drop(item: dict, index: int, domain: str, marks, path: Path, names: set[str]) -> LineDrop:
    _unique(item["name"], names, ("drop", index, "name"), marks, path)
    try:
        matcher = line_matcher(item)
    except re.error as exc:
        key = "patterns" if "patterns" in item else "phrases"
        line, col = mark_for(marks, ("drop", index, key))
        raise RuleFileError(path, f"bad regular expression: {exc}", line=line, col=col,
                            hint="check the pattern's brackets and escapes") from None
    return LineDrop(f"site.{domain}.{item['name']}", matcher, item.get("max_words", 40), item["examples"])


def _validate(spec: dict, marks, path: Path) -> None:
    validator = jsonschema.Draft202012Validator(SITE_SCHEMA)
    errors = sorted(validator.iter_errors(spec), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))),
                    reverse=True)
    if not errors:
        return
    error = errors[0]
    where = tuple(error.absolute_path)
    message, hint = error.message, None
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        unknown = [k for k in error.instance if k not in allowed]
        if unknown:
            where += (unknown[0],)
            message = f"unknown key {unknown[0]!r}"
            close = difflib.get_close_matches(str(unknown[0]), list(allowed), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed keys: {', '.join(allowed)}"
    elif error.validator == "required":
        message = error.message.replace("is a required property", "is required")
    elif error.validator == "anyOf" and not where:
        message, hint = "a site pack needs 'remove' or 'drop'", "add a list of selectors or of line patterns"
    elif error.validator == "anyOf":
        message, hint = "a drop needs 'patterns' or 'phrases'", "add one of them"
    line, col = mark_for(marks, where)
    raise RuleFileError(path, message, line=line, col=col, hint=hint)
