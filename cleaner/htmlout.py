"""HTML output: the cleaned Markdown rendered by markdown-it-py, then sanitised by nh3.

The renderer is CommonMark with GitHub tables and strikethrough, the dialect the Markdown
reader parses: Python-Markdown would flatten lists nested by two or three spaces and turn a
list item's indented code into text.

Nothing executable from the input may reach the output, so the sanitiser runs last, on the
whole fragment, whatever the input format was: an allow-list of tags and attributes (no
``script``, ``style``, ``iframe``, ``object``, forms or SVG; no ``on*`` handlers, no ``style``
attributes), links and images only with ``http``, ``https`` or ``mailto`` URLs (or relative
ones), and ``rel="noopener noreferrer"`` on every link. Front matter at the top of the
Markdown is metadata, not text, and is not rendered.
"""
from __future__ import annotations

import copy
import functools
import html
import re

import nh3

_URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: Tags whose content is dropped with them (the rest of the disallowed tags keep their text).
_DROP_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed",
                                "svg", "math", "textarea", "select", "title"})
_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n")
_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{title}</title>
</head>
<body>
{body}
</body>
</html>
"""


def _attributes() -> dict[str, set[str]]:
    attributes = copy.deepcopy(nh3.ALLOWED_ATTRIBUTES)
    attributes.setdefault("a", set()).add("title")
    attributes.setdefault("img", set()).add("title")
    attributes.setdefault("code", set()).add("class")  # fenced code's language-xxx
    attributes.setdefault("th", set()).add("style")  # table alignment, filtered below
    attributes.setdefault("td", set()).add("style")
    return attributes


_ATTRIBUTES = _attributes()
_TAGS = frozenset(nh3.ALLOWED_TAGS) - {"area", "map"}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Only ``language-*`` classes on code, and only ``text-align`` styles on table cells."""
    if attribute == "class":
        kept = [c for c in value.split() if re.fullmatch(r"language-[\w+#.-]{1,40}", c)]
        return " ".join(kept) or None
    if attribute == "style":
        match = re.fullmatch(r"\s*text-align:\s*(left|right|center)\s*;?\s*", value)
        return f"text-align: {match.group(1)}" if match else None
    return value


def strip_front_matter(md_text: str) -> str:
    """The Markdown without a leading YAML (``---``) or TOML (``+++``) front matter block."""
    match = _FRONT_MATTER.match(md_text)
    if not match:
        return md_text
    fence = md_text[:3]
    closers = ("---", "...") if fence == "---" else ("+++",)
    lines = md_text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip(" \t") in closers:
            return "".join(lines[index + 1:]).lstrip("\r\n")
    return md_text


def sanitise(fragment: str) -> str:
    """An HTML fragment with everything executable or unknown removed."""
    return nh3.clean(fragment, tags=set(_TAGS), clean_content_tags=set(_DROP_WITH_CONTENT),
                     attributes=_ATTRIBUTES, attribute_filter=_keep_attribute, strip_comments=True,
                     link_rel="noopener noreferrer", url_schemes=set(_URL_SCHEMES))


@functools.lru_cache(maxsize=1)
def _renderer():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def render_fragment(md_text: str) -> str:
    """Markdown → sanitised HTML fragment."""
    return sanitise(_renderer().render(strip_front_matter(md_text))).strip("\n")


def render_html(md_text: str, *, title: str | None = None, template: str | None = None) -> str:
    """A fragment, or a whole page when ``template`` is ``"page"`` or a page with ``{title}`` and ``{body}``.

    Only those two placeholders are replaced (other braces, as in CSS, stay as they are); the
    title is escaped and the body is the sanitised fragment.
    """
    body = render_fragment(md_text)
    if template is None:
        return body + ("\n" if body and not body.endswith("\n") else "")
    page = _PAGE if template == "page" else template
    escaped = html.escape(title or "")
    # one pass, so a title that contains "{body}" is not expanded
    return re.sub(r"\{(title|body)\}", lambda m: escaped if m.group(1) == "title" else body, page)
