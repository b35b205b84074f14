"""Page metadata from an HTML tree: title, author, date, canonical URL, site name, language.

Reads the places publishers put them on purpose (``<meta>`` tags, Open Graph, JSON-LD, the
canonical link, ``<html lang>``, the first ``<h1>``) and nothing else. It is a few XPath
look-ups, so it costs a millisecond or two per page; a heuristic date search over the whole
body (what htmldate does) would cost more than the main-content extraction itself.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from lxml import etree

#: The order of the keys in JSON and in front matter.
FIELDS = ("title", "author", "date", "url", "site_name", "description", "language")

_TITLE_SPLIT = re.compile(r"(\s+[|–—·•»:~/-]\s+|\s+-{2}\s+)")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SPACE = re.compile(r"\s+")
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "webpage",
                  "analysisnewsarticle", "opinionnewsarticle", "techarticle", "scholarlyarticle",
                  "report", "socialmediaposting", "liveblogposting", "review", "howto", "recipe")
_JSON_LD_LIMIT = 200_000


def extract(tree: etree._Element, url: str | None = None) -> dict[str, str]:
    """The page's metadata as a dict of the non-empty ``FIELDS``."""
    page = _scan(tree)
    meta = page.meta
    ld = _json_ld_article(page.scripts)
    site = _first(meta.get("og:site_name"), _ld_name(ld.get("publisher")), meta.get("application-name"))
    canonical = _canonical(page, url)
    found = {
        "title": _title(page, ld, site or domain_of(canonical)),
        "author": _author(tree, meta, ld),
        "date": _date(page, ld),
        "url": canonical,
        "site_name": site,
        "description": _first(meta.get("og:description"), meta.get("description"),
                              meta.get("twitter:description"), _text(ld.get("description"))),
        "language": _first(tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
                           meta.get("content-language"), meta.get("og:locale")),
    }
    return {k: v for k, v in found.items() if v}


@dataclass
class _Page:
    """What one walk over the tree collects (a walk per look-up would cost more than all the rest)."""

    meta: dict[str, str] = field(default_factory=dict)
    canonical: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    h1: list[str] = field(default_factory=list)
    times: list[tuple[bool, str]] = field(default_factory=list)  # (marked datePublished, datetime)


def _scan(tree: etree._Element) -> _Page:
    page = _Page()
    for node in tree.iter("meta", "link", "script", "title", "h1", "time"):
        tag = node.tag
        if tag == "meta":
            content = node.get("content")
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = node.get(attr)
                if key and content:
                    page.meta.setdefault(key.strip().lower(), content)
        elif tag == "link":
            if "canonical" in (node.get("rel") or "").lower().split() and node.get("href"):
                page.canonical.append(node.get("href"))
        elif tag == "script":
            if "ld+json" in (node.get("type") or "").lower() and node.text:
                page.scripts.append(node.text)
        elif tag == "title":
            page.titles.append(node.text or "")
        elif tag == "h1":
            if len(page.h1) < 3:
                page.h1.append(" ".join(node.itertext()))
        elif node.get("datetime"):
            page.times.append((node.get("itemprop") == "datePublished", node.get("datetime")))
    return page


def domain_of(url: str | None) -> str | None:
    """The host of a URL, lower-cased, without ``www.`` and port; None if it has none."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = _SPACE.sub(" ", value).strip()
    return value or None


def _first(*values: Any) -> str | None:
    for value in values:
        value = _clean(value)
        if value:
            return value
    return None


def _json_ld_objects(scripts: list[str]) -> Iterator[dict]:
    for raw in scripts:
        if not raw.strip() or len(raw) > _JSON_LD_LIMIT:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        yield from _walk_ld(data, 0)


def _walk_ld(data: Any, depth: int) -> Iterator[dict]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_ld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk_ld(data["@graph"], depth + 1)


def _ld_types(obj: dict) -> set[str]:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _json_ld_article(scripts: list[str]) -> dict:
    """The first JSON-LD object typed as an article (or web page), else an empty dict."""
    best: dict = {}
    for obj in _json_ld_objects(scripts):
        kinds = _ld_types(obj)
        if kinds & set(_ARTICLE_TYPES) - {"webpage"}:
            return obj
        if "webpage" in kinds and not best:
            best = obj
    return best


def _ld_name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    if isinstance(value, dict):
        return _clean(value.get("name"))
    return _clean(value)


def _text(value: Any) -> str | None:
    return _clean(value) if isinstance(value, str) else None


def _title(page: _Page, ld: dict, site: str | None) -> str | None:
    meta = page.meta
    h1 = _first(*page.h1)
    for candidate in (meta.get("og:title"), meta.get("twitter:title"), _text(ld.get("headline")),
                      _first(*page.titles), h1):
        title = strip_site_suffix(_clean(candidate), site, h1)
        if title:
            # a title cut short for the tab ("... and k") when the page's h1 has it whole
            if h1 and len(h1) > len(title) and h1.casefold().startswith(title.rstrip(" .…").casefold()):
                return h1
            return title
    return None


def strip_site_suffix(title: str | None, site: str | None, h1: str | None = None) -> str | None:
    """``"Story | Site"`` → ``"Story"`` when the first or last part is the site's name, or a part is the ``<h1>``."""
    if not title:
        return title
    pieces = _TITLE_SPLIT.split(title)  # text, separator, text, separator, ...
    parts = pieces[::2]
    if len(parts) < 2:
        return title
    if h1:
        for part in parts:
            if part.strip().casefold() == h1.casefold():
                return part.strip()
    if site:
        key = site.casefold()
        if _same_site(parts[-1], key):
            return "".join(pieces[:-2]).strip() or title
        if _same_site(parts[0], key):
            return "".join(pieces[2:]).strip() or title
    return title


def _same_site(part: str, site: str) -> bool:
    part = part.strip().casefold()
    return bool(part) and (part in site or site in part)


def _author(tree: etree._Element, meta: dict, ld: dict) -> str | None:
    for value in (_ld_name(ld.get("author")), meta.get("author"), meta.get("article:author"),
                  meta.get("parsely-author"), meta.get("sailthru.author"), meta.get("dc.creator"),
                  meta.get("byl")):
        value = _clean(value)
        if value and not value.startswith(("http://", "https://", "/")):
            return re.sub(r"^(?i:by)\s+", "", value)
    node = next(iter(tree.xpath('(//*[@rel="author"] | //*[@itemprop="author"])[1]')), None)
    if node is not None:
        return _clean(" ".join(node.itertext()))
    return None


def _date(page: _Page, ld: dict) -> str | None:
    meta = page.meta
    candidates: Iterable[Any] = (
        ld.get("datePublished"), meta.get("article:published_time"), meta.get("og:published_time"),
        meta.get("datepublished"), meta.get("date"), meta.get("pubdate"), meta.get("publishdate"),
        meta.get("parsely-pub-date"), meta.get("sailthru.date"), meta.get("dc.date.issued"),
        meta.get("dc.date"), meta.get("dcterms.date"), ld.get("dateCreated"),
        *(value for marked, value in page.times if marked), *(value for _, value in page.times[:1]),
        ld.get("dateModified"), meta.get("article:modified_time"),
    )
    for value in candidates:
        value = _clean(value)
        if not value:
            continue
        match = _ISO_DATE.search(value)
        if match and 1900 < int(match.group(1)) < 2100 and 1 <= int(match.group(2)) <= 12:
            return match.group(0)
    return None


def _canonical(page: _Page, url: str | None) -> str | None:
    for value in (*page.canonical, page.meta.get("og:url"), url):
        value = _clean(value)
        if not value:
            continue
        absolute = urljoin(url, value) if url else value
        if absolute.startswith(("http://", "https://")):
            return absolute
    return None


def front_matter(meta: dict[str, Any]) -> str:
    """The metadata as a YAML front matter block (``---`` lines included, no final newline)."""
    import yaml

    ordered = {k: meta[k] for k in FIELDS if meta.get(k)}
    ordered.update({k: v for k, v in meta.items() if k not in ordered and v and isinstance(v, (str, int, float))})
    body = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=10_000).rstrip("\n")
    return f"---\n{body}\n---"
