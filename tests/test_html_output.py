"""HTML output: rendered from the cleaned Markdown, sanitised so nothing executable survives."""
from __future__ import annotations

import re

import pytest

from cleaner.htmlout import render_fragment, render_html, sanitise, strip_front_matter


@pytest.mark.parametrize("markdown_text, forbidden", [
    ("<script>alert(1)</script>After.", ["<script", "alert"]),
    ("<style>body{display:none}</style>After.", ["<style", "display:none"]),
    ('<iframe src="https://evil.example/"></iframe>After.', ["<iframe", "evil.example"]),
    ('<img src="x.png" onerror="alert(1)">', ["onerror", "alert"]),
    ('<a href="/a" onclick="steal()" onmouseover="x()">a</a>', ["onclick", "onmouseover", "steal"]),
    ("[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](jav&#x61;script:alert(1))", ['href="', "<a"]),
    ('<a href="javascript:alert(1)">a</a> <a href="JAVASCRIPT:x()">b</a>', ["javascript", "alert"]),
    ('<a href="jav&#x61;script:alert(1)">a</a> <a href=" javascript:x()">b</a>', ["javascript", "alert"]),
    ('<a href="vbscript:msgbox(1)">a</a> <img src="data:image/svg+xml;base64,PHN2Zz4=">', ["vbscript", "data:"]),
    ("![i](data:image/svg+xml;base64,PHN2Zz4=)", ['src="data', "<img"]),
    ('<svg onload="alert(1)"><script>alert(1)</script></svg>', ["<svg", "alert"]),
    ('<form action="https://evil.example"><input name="p"></form>', ["<form", "<input"]),
    ('<object data="x.swf"></object><embed src="x.swf">', ["<object", "<embed", "x.swf"]),
    ('<p style="position:fixed;top:0">z</p>', ["position", "style="]),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', ["refresh", "evil"]),
    ('<base href="https://evil.example/">[a](/x)', ["<base", "evil"]),
])
def test_nothing_executable_survives(markdown_text, forbidden):
    html_out = render_fragment(markdown_text).lower()
    for bad in forbidden:
        assert bad not in html_out
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*(?:javascript|vbscript|data):""", html_out)


def test_links_keep_safe_urls_and_get_rel():
    html_out = render_fragment("[x](https://example.org/a?b=1) [y](/relative) [z](mailto:a@example.org)")
    assert '<a href="https://example.org/a?b=1" rel="noopener noreferrer">x</a>' in html_out
    assert 'href="/relative"' in html_out and 'href="mailto:a@example.org"' in html_out


def test_structure_survives():
    html_out = render_fragment("# T\n\n## H\n\n- a\n- b\n\n> q\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
                               "```python\nx = 1 < 2\n```\n\n![alt](https://example.org/i.png \"t\")\n")
    for fragment in ("<h1>T</h1>", "<h2>H</h2>", "<li>a</li>", "<blockquote>", "<table>",
                     '<th style="text-align: left">a</th>', '<code class="language-python">x = 1 &lt; 2',
                     '<img alt="alt" src="https://example.org/i.png" title="t">'):
        assert fragment in html_out


def test_only_language_classes_on_code():
    assert sanitise('<code class="language-js evil">x</code><p class="x">y</p>') == \
        '<code class="language-js">x</code><p>y</p>'


@pytest.mark.parametrize("text, body", [
    ("---\ntitle: T\ntags: [a]\n---\n\n# Hi\n", "# Hi\n"),
    ("+++\ntitle = 'T'\n+++\nText\n", "Text\n"),
    ("---\n\nNot front matter, a rule above\n", "---\n\nNot front matter, a rule above\n"),
    ("# Hi\n\n---\ntitle: x\n---\n", "# Hi\n\n---\ntitle: x\n---\n"),
])
def test_front_matter_is_not_rendered(text, body):
    assert strip_front_matter(text) == body


def test_page_template():
    page = render_html("# Hello\n\n<script>x()</script>Text", title='A <b>"title"</b> {body}', template="page")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>A &lt;b&gt;&quot;title&quot;&lt;/b&gt; {body}</title>" in page
    assert "<h1>Hello</h1>" in page and "<script" not in page


def test_user_template_with_braces():
    template = "<html><style>body { margin: 0 }</style><h1>{title}</h1><main>{body}</main></html>"
    page = render_html("Text", title="T", template=template)
    assert page == "<html><style>body { margin: 0 }</style><h1>T</h1><main><p>Text</p></main></html>"


def test_fragment_ends_with_one_newline():
    assert render_html("Text") == "<p>Text</p>\n"
    assert render_html("") == ""
