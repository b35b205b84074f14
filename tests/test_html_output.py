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


def _flat(html_text: str) -> str:
    """The HTML without the line breaks between tags (one inside a paragraph becomes a space)."""
    return re.sub(r"(?<=[^>])\n(?=[^<])", " ", re.sub(r"\s*\n\s*(?=<)|(?<=>)\s*\n\s*", "", html_text))


@pytest.mark.parametrize("markdown_text, expected", [
    ("- a\n  - b\n    - c\n- d\n", "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"),
    ("1. a\n   1. b\n   2. c\n2. d\n", "<ol><li>a<ol><li>b</li><li>c</li></ol></li><li>d</li></ol>"),
    ("- a\n    - b\n- c\n", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"),
    ("1. a\n   - b\n     - c\n", "<ol><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ol>"),
    # the writer's layout for a nested HTML list: items apart, nested by the marker's width
    ("- a\n\n  - b\n\n- c\n", "<ul><li><p>a</p><ul><li>b</li></ul></li><li><p>c</p></li></ul>"),
    ("-\ta\n\t- b\n", "<ul><li>a<ul><li>b</li></ul></li></ul>"),
])
def test_nested_lists(markdown_text, expected):
    assert _flat(render_fragment(markdown_text)) == expected


@pytest.mark.parametrize("markdown_text, expected", [
    ("1. Stop.\n2. Install:\n\n       pip install x\n\n3. Start.\n",
     "<ol><li><p>Stop.</p></li><li><p>Install:</p><pre><code>pip install x</code></pre></li>"
     "<li><p>Start.</p></li></ol>"),
    ("- Run:\n\n  ```bash\n  make test\n    indented\n  ```\n\n- Done\n",
     '<ul><li><p>Run:</p><pre><code class="language-bash">make test\n  indented</code></pre></li>'
     "<li><p>Done</p></li></ul>"),
    ("- a\n\n  more a\n- b\n", "<ul><li><p>a</p><p>more a</p></li><li><p>b</p></li></ul>"),
])
def test_code_and_paragraphs_inside_list_items(markdown_text, expected):
    assert re.sub(r">\n+<", "><", render_fragment(markdown_text)) == expected


def test_table_alignment():
    html_out = _flat(render_fragment("| l | c | r | n |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n"))
    assert html_out == ('<table><thead><tr><th style="text-align: left">l</th><th style="text-align: center">c</th>'
                        '<th style="text-align: right">r</th><th>n</th></tr></thead><tbody><tr>'
                        '<td style="text-align: left">1</td><td style="text-align: center">2</td>'
                        '<td style="text-align: right">3</td><td>4</td></tr></tbody></table>')


def test_table_with_escaped_pipe_and_right_after_a_paragraph():
    html_out = _flat(render_fragment("Figures:\n| a | b |\n| --- | --- |\n| x \\| y | z |\n"))
    assert html_out.startswith("<p>Figures:</p><table>") and "<td>x | y</td><td>z</td>" in html_out


@pytest.mark.parametrize("markdown_text, expected", [
    ("```python\nx = 1 < 2\n```\n", '<pre><code class="language-python">x = 1 &lt; 2</code></pre>'),
    ("~~~js\nlet a;\n~~~\n", '<pre><code class="language-js">let a;</code></pre>'),
    ("````md\n```\ninner\n```\n````\n", '<pre><code class="language-md">```\ninner\n```</code></pre>'),
    ("```\nplain <b>\n```\n", "<pre><code>plain &lt;b&gt;</code></pre>"),
    ('```c++ title="main.cpp"\nint x;\n```\n', '<pre><code class="language-c++">int x;</code></pre>'),
    ("```js,ts\nx\n```\n", "<pre><code>x</code></pre>"),
    ("> ```sh\n> ls\n> ```\n", '<blockquote>\n<pre><code class="language-sh">ls</code></pre>\n</blockquote>'),
])
def test_fenced_code_language_class(markdown_text, expected):
    assert render_fragment(markdown_text) == expected


def test_front_matter_is_not_in_the_html():
    html_out = render_html("---\ntitle: Secret title\nauthor: A. Writer\n---\n\n# Heading\n\nBody\n")
    assert html_out == "<h1>Heading</h1>\n<p>Body</p>\n"
    assert "Secret" not in render_html("+++\ntitle = 'Secret'\n+++\nBody\n")


@pytest.mark.parametrize("markdown_text, expected", [
    ("3. three\n4. four\n", '<ol start="3"><li>three</li><li>four</li></ol>'),
    ("10) ten\n11) eleven\n", '<ol start="10"><li>ten</li><li>eleven</li></ol>'),
    ("1. one\n2. two\n", "<ol><li>one</li><li>two</li></ol>"),
])
def test_ordered_list_start(markdown_text, expected):
    assert _flat(render_fragment(markdown_text)) == expected


@pytest.mark.parametrize("markdown_text, expected", [
    ("Text:\n- a\n- b\n", "<p>Text:</p><ul><li>a</li><li>b</li></ul>"),
    ("- a\n- b\n\n- c\n", "<ul><li><p>a</p></li><li><p>b</p></li><li><p>c</p></li></ul>"),
    ("#tag is text\n", "<p>#tag is text</p>"),
    ("\\===\n\n1\\) not a list \\~ \\$\n", "<p>===</p><p>1) not a list ~ $</p>"),
    ("C:\\Users\\x\n", "<p>C:\\Users\\x</p>"),
    ("~~gone~~ H~2~O\n", "<p><del>gone</del> H~2~O</p>"),
    ("*a* **b** `c < d` [l](/x \"T\")\n",
     '<p><em>a</em> <strong>b</strong> <code>c &lt; d</code> <a href="/x" title="T" rel="noopener noreferrer">l</a></p>'),
    ("> q1\n> q2\n\n> > q3\n", "<blockquote><p>q1 q2</p></blockquote><blockquote><blockquote><p>q3</p></blockquote></blockquote>"),
    ("## H2 ##\n\nSetext\n===\n", "<h2>H2</h2><h1>Setext</h1>"),
    ('<div class="note">\n<p>Raw <b>HTML</b></p>\n</div>\n', "<div><p>Raw <b>HTML</b></p></div>"),
])
def test_commonmark_blocks_and_inlines(markdown_text, expected):
    assert _flat(render_fragment(markdown_text)) == expected


def test_renderer_is_per_thread():
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"# T{i}\n\n- a{i}\n  - b{i}\n" for i in range(40)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(render_fragment, texts))
    assert results == [render_fragment(t) for t in texts]


@pytest.mark.parametrize("markdown_text, expected", [
    ("> a\n\n> b\n", "<blockquote><p>a</p></blockquote><blockquote><p>b</p></blockquote>"),
    ("- a\n- b\n\n* c\n", "<ul><li>a</li><li>b</li></ul><ul><li>c</li></ul>"),
    ("1. a\n\n- b\n", "<ol><li>a</li></ol><ul><li>b</li></ul>"),
])
def test_blocks_that_commonmark_keeps_apart(markdown_text, expected):
    assert _flat(render_fragment(markdown_text)) == expected


def test_line_ends_and_deep_nesting():
    assert _flat(render_fragment("- a\r\n  - b\r\n\r\n1. x\r2. y\r")) == \
        "<ul><li>a<ul><li>b</li></ul></li></ul><ol><li>x</li><li>y</li></ol>"
    # deeper than Python-Markdown can recurse: the text survives, escaped, and the next render works
    assert render_fragment("- " * 1000 + "<b>x</b>\n\nNext").endswith("&lt;b&gt;x&lt;/b&gt;</p>\n<p>Next</p>")
    assert render_fragment("- a\n  - b\n") == "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"


def test_links_and_images_without_a_safe_url_leave_their_text():
    html_out = render_fragment('![a>b](https://x.org/i.png) ![c <e>](javascript:x) [t](javascript:1 "T") '
                               '[ok](https://x.org "a>b") <a title="q">plain</a>')
    assert html_out == ('<p><img alt="a&gt;b" src="https://x.org/i.png"> c &lt;e&gt; t '
                        '<a href="https://x.org" title="a&gt;b" rel="noopener noreferrer">ok</a> plain</p>')


# --- plain text stays plain: text and HTML sources are escaped where Markdown would read syntax ---

LITERAL = "Prices are *not* final [1], see <b>this</b> tag, AT&T &amp; file_name, `x` and 5 * 3 = 15."


def _cleaner(**options):
    from cleaner import Cleaner, Config
    return Cleaner(Config(grammar="off", **options))


def test_plain_text_characters_are_not_read_as_markdown():
    cleaner = _cleaner()
    text = "Title of the story\n\n" + LITERAL + "\n"
    markdown_out = cleaner.clean(text, source_format="text", to="markdown").output
    assert "\\*not\\*" in markdown_out and "\\[1\\]" in markdown_out and "&lt;b>" in markdown_out
    assert "file_name" in markdown_out and "5 * 3" in markdown_out
    html_out = cleaner.clean(text, source_format="text", to="html").output
    assert ("<p>Prices are *not* final [1], see &lt;b&gt;this&lt;/b&gt; tag, AT&amp;T &amp;amp; file_name, "
            "`x` and 5 * 3 = 15.</p>") in html_out
    # the Markdown written, read back as Markdown, gives the same page
    assert cleaner.clean(markdown_out, source_format="markdown", to="html").output == html_out


def test_html_source_text_stays_literal_and_links_stay_links():
    page = ("<html><body><article><h1>Harbour plan</h1><p>Prices are *not* final [1], see &lt;b&gt;this"
            "&lt;/b&gt; tag, and read <a href='https://example.org/a_b'>the plan</a> with <code>a*b</code> "
            "before the council votes on it next week.</p></article></body></html>")
    html_out = _cleaner(links=True).clean(page, source_format="html", to="html").output
    assert "Prices are *not* final [1], see &lt;b&gt;this&lt;/b&gt; tag" in html_out
    assert '<a href="https://example.org/a_b" rel="noopener noreferrer">the plan</a>' in html_out
    assert "<code>a*b</code>" in html_out


@pytest.mark.parametrize("unit", ["[", "[a](", "<a", "a.", "`", "*"])
def test_long_runs_of_markup_characters_render_in_time(unit):
    from test_html_reader import time_limit
    text = "Title of the story\n\nSome prose here. " + unit * 20_000 + "\n"
    with time_limit(30):
        html_out = _cleaner().clean(text, source_format="text", to="html").output
    assert "<script" not in html_out and len(html_out) > 20_000
