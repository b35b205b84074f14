"""HTML output: the cleaned Markdown rendered by the ``markdown`` package, then sanitised by nh3.

Nothing executable from the input may reach the output, so the sanitiser runs last, on the
whole fragment, whatever the input format was.
"""
from __future__ import annotations

import html

import markdown
import nh3

_EXTENSIONS = ["extra", "sane_lists"]
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


def render_fragment(md_text: str) -> str:
    """Markdown → sanitised HTML fragment."""
    raw = markdown.markdown(md_text, extensions=_EXTENSIONS, output_format="html")
    return nh3.clean(raw, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def render_html(md_text: str, *, title: str | None = None, template: str | None = None) -> str:
    """A fragment, or a whole page when ``template`` is ``"page"`` or a format string with {title} and {body}."""
    body = render_fragment(md_text)
    if template is None:
        return body + ("\n" if body and not body.endswith("\n") else "")
    page = _PAGE if template == "page" else template
    return page.format(title=html.escape(title or ""), body=body)
