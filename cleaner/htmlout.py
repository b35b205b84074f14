"""HTML output: the cleaned Markdown rendered by Python-Markdown, then sanitised by nh3.

Python-Markdown runs with its ``tables`` and ``sane_lists`` extensions (ordered lists keep their
start number, bullets and numbers do not mix) and three of pymdown-extensions: ``superfences``
(fenced code anywhere, also inside list items and block quotes, with a ``language-xxx`` class),
``saneheaders`` (``#tag`` at the start of a line is text, as in CommonMark) and ``tilde``
(``~~struck~~``, no subscript). Every ASCII punctuation character can be backslash-escaped, as in
CommonMark (the Markdown writer escapes ``=`` and ``)`` at the start of a line, for one).

Python-Markdown nests list content by four spaces where CommonMark (and GitHub, and this
project's writer) nests it at the item's content column: two spaces after ``-``, three after
``1.``. So before rendering, the Markdown is parsed by markdown-it-py (in the dialect the
Markdown reader parses) and only the layout is rewritten, see :func:`normalise`: list item
content is re-indented to four spaces a level (nested lists and indented code in items survive),
``1)`` markers become ``1.``, a fence's info string keeps only its language (pymdown-extensions
would take ``python title="x"`` for no fence at all), blank lines go where CommonMark needs none
(a list or table right after a paragraph, the items of a loose list) and an empty comment
between two top-level block quotes or lists that CommonMark keeps apart. Known limits, where the
output still differs from CommonMark: lists inside block quotes keep their own indentation (so
they need four spaces to nest); a list of one item with a blank line inside gets no ``<p>``; two
nested lists that differ only in the bullet merge into one; an empty item (``-`` alone) is text;
Markdown inside a raw HTML block stays as typed; a backslash at the end of a line is not a line
break (two trailing spaces are); an image's alt text keeps its Markdown as typed; code blocks
end without a final newline; a document nested deeper than Python can recurse (hundreds of list
markers on one line) comes out as plain paragraphs of escaped text.

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
import string
import threading

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
    """An HTML fragment with everything executable or unknown removed.

    A link or image whose URL was dropped (``javascript:``, ``data:`` and the like) is no link or
    image: the link's text stays, and the image's alt text.
    """
    return _LINK.sub(_unwrap_link, _IMAGE.sub(_drop_image, _clean(fragment)))


# The sanitiser's output writes every attribute as name="value", with " escaped inside values,
# and has no nested links, so these patterns read its tags exactly.
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
_IMAGE = re.compile(r'<img((?:\s+[\w:-]+="[^"]*")*)\s*/?>')
_LINK = re.compile(r'<a((?:\s+[\w:-]+="[^"]*")*)\s*>(.*?)</a>', re.S)


def _drop_image(match: re.Match) -> str:
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    if "src" in attributes:
        return match.group(0)
    return html.escape(html.unescape(attributes.get("alt", "")), quote=False)


def _unwrap_link(match: re.Match) -> str:
    return match.group(0) if "href" in dict(_ATTRIBUTE.findall(match.group(1))) else match.group(2)


def _clean(fragment: str) -> str:
    return nh3.clean(fragment, tags=set(_TAGS), clean_content_tags=set(_DROP_WITH_CONTENT),
                     attributes=_ATTRIBUTES, attribute_filter=_keep_attribute, strip_comments=True,
                     link_rel="noopener noreferrer", url_schemes=set(_URL_SCHEMES))


@functools.lru_cache(maxsize=1)
def _parser():
    """markdown-it-py in the dialect the Markdown reader parses, to see where the blocks are."""
    from markdown_it import MarkdownIt

    # blocks only: the inline parse (emphasis, links) is not needed to see the layout
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).disable(
        ["inline", "text_join"])


_EXTENSIONS = ["tables", "sane_lists", "pymdownx.highlight", "pymdownx.superfences",
               "pymdownx.saneheaders", "pymdownx.tilde"]
_EXTENSION_CONFIGS = {"pymdownx.highlight": {"use_pygments": False},
                      "pymdownx.tilde": {"subscript": False}}
_LOCAL = threading.local()  # a Markdown instance is not thread-safe: one per thread


def _markdown():
    md = getattr(_LOCAL, "markdown", None)
    if md is None:
        import markdown

        md = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS,
                               output_format="html")
        md.ESCAPED_CHARS = sorted(set(md.ESCAPED_CHARS) | set(string.punctuation))
        _LOCAL.markdown = md
    return md.reset()


_MARKER = re.compile(r"[ ]*(?:[-+*]|\d{1,9}[.)])")
#: A line that may start a block whose layout :func:`normalise` rewrites (or a table's pipe).
_LAYOUT = re.compile(r"^[ \t]*(?:[-+*>|<]|\d{1,9}[.)]|`{3}|~{3})|\|", re.M)
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})(.*)$")
_LANGUAGE = re.compile(r"[\w+#.-]{1,40}")
_PAREN_MARKER = re.compile(r"^([ ]*\d{1,9})\)")


def _expand(line: str) -> str:
    """The line with tabs in its leading white space expanded to stops of four."""
    body = line.lstrip(" \t")
    lead = line[: len(line) - len(body)]
    return lead.expandtabs(4) + body if "\t" in lead else line


def _language_only(match: re.Match) -> str:
    """A fence with only its language: other words (``title="x"``) would make it no fence at all."""
    words = match.group(2).split()
    return match.group(1) + (words[0] if words and _LANGUAGE.fullmatch(words[0]) else "")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_column(line: str) -> int:
    """Where a list item's content starts on its marker line: 1 to 4 spaces after the marker."""
    marker = _MARKER.match(line)
    end = marker.end() if marker else _indent(line)
    rest = line[end:]
    spaces = len(rest) - len(rest.lstrip(" "))
    return end + (1 if spaces == 0 or spaces > 4 or not rest.strip() else spaces)


def normalise(md_text: str) -> str:
    """The Markdown with its list layout rewritten the way Python-Markdown reads it.

    Each line inside a list item (outside block quotes) is indented four spaces per enclosing
    item plus whatever it had beyond the innermost item's content column; ``1)`` markers become
    ``1.``; a blank line is put between top-level blocks that touch, and between the items of a
    loose list (one with a blank line inside); an empty HTML comment (which the sanitiser drops)
    keeps apart two top-level block quotes, or two lists of a kind, that CommonMark keeps apart.
    A fence's info string keeps only its language. Nothing else changes.
    """
    if not _LAYOUT.search(md_text):
        return md_text  # no list, quote, table, fence or HTML block: nothing to rewrite
    # line ends as Python-Markdown reads them, so that markdown-it-py counts the same lines
    md_text = md_text.replace("\r\n", "\n").replace("\r", "\n")
    lines = md_text.split("\n")
    depth = [0] * len(lines)
    column = [0] * len(lines)
    marker_lines: set[int] = set()
    gaps: set[int] = set()  # lines that get a blank line before them
    splits: set[int] = set()  # lines that get an empty comment before them, to end a block there
    fences: set[int] = set()  # opening lines of fenced code
    quotes = 0
    previous = ""  # the type of the last top-level block
    lists: list[tuple[int, list[int], list[bool]]] = []  # (level, item lines, [loose]) of open lists
    for token in _parser().parse(md_text):
        if token.type == "blockquote_open":
            quotes += 1
        elif token.type == "blockquote_close":
            quotes -= 1
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append((token.level, [], [False]))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            _, starts, loose = lists.pop()
            if loose[0] and not quotes:
                # a loose list: a blank line before each item, so that Python-Markdown sees it too
                gaps.update(first for first in starts[1:] if lines[first - 1].strip())
        elif token.type == "paragraph_open" and lists and token.level == lists[-1][0] + 2 and not token.hidden:
            lists[-1][2][0] = True
        if not token.map or token.nesting < 0:
            continue
        first, end = token.map
        if token.type == "fence":
            fences.add(first)
        if token.level == 0:
            if first > 0 and lines[first - 1].strip():
                gaps.add(first)
            if token.type == previous and token.nesting == 1 and token.type != "paragraph_open":
                # two quotes or two lists of a kind in a row: Python-Markdown would merge them
                splits.add(first)
            previous = token.type
        if token.type == "list_item_open" and not quotes:
            lines[first] = _expand(lines[first])
            marker_lines.add(first)
            lists[-1][1].append(first)
            content = _content_column(lines[first])
            for number in range(first + 1, min(end, len(lines))):
                depth[number] += 1
                column[number] = content  # items come in document order: the innermost is last
    if not marker_lines and not gaps and not splits and not fences:
        return md_text
    out: list[str] = []
    for number, line in enumerate(lines):
        if number in splits:
            out.extend(("", "<!-- -->", ""))
        elif number in gaps:
            out.append("")
        if depth[number] and line.strip():
            line = _expand(line)
            line = " " * (4 * depth[number] + max(0, _indent(line) - column[number])) + line.lstrip(" ")
        if number in marker_lines:
            line = _PAREN_MARKER.sub(r"\1.", line)
        if number in fences:
            line = _FENCE_OPEN.sub(_language_only, line, count=1)
        out.append(line)
    return "\n".join(out)


def render_fragment(md_text: str) -> str:
    """Markdown → sanitised HTML fragment."""
    body = strip_front_matter(md_text)
    try:
        rendered = _markdown().convert(normalise(body))
    except RecursionError:
        # nesting deeper than Python can recurse (hundreds of lists on one line): plain paragraphs
        _LOCAL.markdown = None
        paragraphs = (p.strip() for p in re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n")))
        rendered = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)
    return sanitise(rendered.replace("\n<!-- -->\n\n", "\n")).strip("\n")


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
