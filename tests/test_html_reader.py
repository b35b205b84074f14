"""HTML input: decoding, main-content blocks, metadata, link-only lines, site packs, hostile pages."""
from __future__ import annotations

import contextlib
import signal
import textwrap
from pathlib import Path

import pytest

from cleaner import Cleaner, Config
from cleaner.document import BlockKind
from cleaner.errors import InputError, RuleFileError
from cleaner.readers import ReadOptions
from cleaner.readers.html import decode_html, read_html, sniff_charset
from cleaner.sites import builtin_sites_dir, load_site, load_sites

PARAGRAPH = ("The council voted on Tuesday to extend the harbour wall by forty metres, "
             "a plan that has divided the town for most of the last decade. ")


def page(body: str, head: str = "<title>Harbour wall vote</title>") -> str:
    """A page whose article has enough prose for any extractor to keep it."""
    return f"<!DOCTYPE html><html><head>{head}</head><body><nav><a href='/'>Home</a></nav>" \
           f"<article>{body}</article><footer>Copyright</footer></body></html>"


def prose(n: int = 3) -> str:
    return "".join(f"<p>{PARAGRAPH * 2}Paragraph {i}.</p>" for i in range(n))


@contextlib.contextmanager
def time_limit(seconds: float):
    """Fail the test if the block runs longer than ``seconds`` (POSIX alarm)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- decoding ------------------------------------------------------------------------------

@pytest.mark.parametrize("head, expected", [
    (b'<meta charset="utf-8">', "utf-8"),
    (b"<meta charset='ISO-8859-1'>", "cp1252"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">', "cp1251"),
    (b'<META HTTP-EQUIV="content-type" CONTENT="text/html;charset=Shift_JIS">', "shift_jis"),
    (b'<meta charset="no-such-encoding">', None),
    (b"<p>no declaration</p>", None),
])
def test_sniff_charset(head, expected):
    assert sniff_charset(b"<html><head>" + head + b"</head>") == expected


def test_declared_single_byte_charset_is_used():
    data = '<html><head><meta charset="iso-8859-1"></head><body><p>Grüße aus Köln – “quoted”</p>'.encode("cp1252")
    assert "Grüße aus Köln – “quoted”" in decode_html(data)


def test_declared_utf8_with_a_bad_byte_keeps_the_rest():
    data = '<meta charset="utf-8"><p>Zażółć gęślą jaźń</p>'.encode() + b"\xff<p>end</p>"
    text = decode_html(data)
    assert "Zażółć gęślą jaźń" in text and "\ufffd" in text


def test_wrong_declaration_does_not_crash():
    data = '<meta charset="utf-8"><p>Café crème brûlée</p>'.encode("cp1252") * 50
    text = decode_html(data)
    assert "crème" in text or "cr\ufffdme" in text


def test_bom_wins_over_declaration():
    data = b"\xef\xbb\xbf" + '<meta charset="windows-1252"><p>naïve</p>'.encode()
    assert "naïve" in decode_html(data)


def test_cleaner_decodes_html_bytes_by_meta_charset(rule_cleaner):
    body = f"<h1>Köln</h1>{prose()}<p>Ein Straßenfest für alle Größen.</p>"
    data = page(body, '<meta charset="windows-1252"><title>Köln</title>').encode("cp1252")
    result = rule_cleaner.clean(data, source_format="html", to="text")
    assert "Straßenfest für alle Größen" in result.output


# --- blocks ----------------------------------------------------------------------------------

def test_structure_becomes_blocks():
    body = (f"<h1>Harbour wall vote</h1>{prose(2)}<h2>What happens next</h2>{prose(1)}"
            "<ul><li>First point of the plan, with enough words.</li><li>Second point of the plan."
            "<ul><li>A nested point.</li></ul></li></ul>"
            f"<blockquote><p>{PARAGRAPH}</p></blockquote>"
            "<table><tr><th>Year</th><th>Cost</th></tr><tr><td>2024</td><td>£1m | est.</td></tr>"
            "<tr><td>2025</td><td>£2m</td></tr></table>"
            f"<pre><code>print('hello')\nprint('world')</code></pre>{prose(1)}")
    doc = read_html(page(body))
    kinds = [b.kind for b in doc.alive()]
    assert kinds[0] == BlockKind.TITLE and doc.blocks[0].text == "Harbour wall vote"
    assert BlockKind.HEADING in kinds and BlockKind.QUOTE in kinds
    items = [b for b in doc.alive() if b.kind == BlockKind.LIST_ITEM]
    assert [b.text for b in items][:2] == ["First point of the plan, with enough words.", "Second point of the plan."]
    assert items[2].markup == "  - " and items[2].text == "A nested point."
    table = next(b for b in doc.alive() if b.kind == BlockKind.TABLE)
    assert table.protected
    assert table.text.splitlines() == ["| Year | Cost |", "| --- | --- |", "| 2024 | £1m \\| est. |", "| 2025 | £2m |"]
    code = next(b for b in doc.alive() if b.kind == BlockKind.CODE)
    assert code.protected and code.text.startswith("```") and "print('world')" in code.text


def test_title_is_inserted_when_the_body_does_not_start_with_it():
    doc = read_html(page(prose(), '<title>Harbour wall vote | The Gazette</title>'
                                  '<meta property="og:site_name" content="The Gazette">'))
    first = next(doc.alive())
    assert first.kind == BlockKind.TITLE and first.text == "Harbour wall vote"
    assert sum(b.kind == BlockKind.TITLE for b in doc.blocks) == 1


def test_metadata():
    head = """<title>Harbour wall vote - The Gazette</title>
      <link rel="canonical" href="https://www.gazette.example/news/harbour-wall">
      <meta property="og:site_name" content="The Gazette">
      <meta name="description" content="The council extends the wall.">
      <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": "Harbour wall vote", "datePublished": "2024-05-07T09:00:00Z",
         "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chan"}]}]}</script>"""
    doc = read_html(page(prose(), head).replace("<html>", '<html lang="en-GB">'))
    assert doc.metadata == {"title": "Harbour wall vote", "author": "Ann Lee, Bo Chan", "date": "2024-05-07",
                            "url": "https://www.gazette.example/news/harbour-wall", "site_name": "The Gazette",
                            "description": "The council extends the wall.", "language": "en-GB"}


def test_url_option_gives_the_address_when_the_page_has_none():
    doc = read_html(page(prose()), options=ReadOptions(url="https://news.example.org/a"))
    assert doc.metadata["url"] == "https://news.example.org/a"


def test_front_matter_option(rule_cleaner):
    cleaner = Cleaner(Config(grammar="off", front_matter=True))
    head = '<title>Harbour wall vote</title><meta name="author" content="Ann Lee">'
    result = cleaner.clean(page(prose(), head).encode(), source_format="html")
    assert result.output.startswith("---\ntitle: Harbour wall vote\nauthor: Ann Lee\n---\n\n# Harbour wall vote\n")
    assert "Ann Lee" not in result.text and "Ann Lee" not in cleaner.clean(
        page(prose(), head).encode(), source_format="html", to="html").output


def test_links_and_images_only_when_asked():
    body = (f"<p>{PARAGRAPH}See <a href='https://example.org/plan'>the plan</a> for details.</p>"
            f"{prose()}<figure><img src='https://example.org/wall.jpg' alt='The wall'></figure>{prose()}")
    plain = read_html(page(body))
    assert "See the plan for details." in plain.blocks[1].text
    rich = read_html(page(body), options=ReadOptions(links=True, images=True))
    texts = [b.text for b in rich.alive()]
    assert any("[the plan](https://example.org/plan)" in t for t in texts)
    images = [b for b in rich.alive() if b.kind == BlockKind.HTML]
    assert images and images[0].text == "![The wall](https://example.org/wall.jpg)"


def test_link_only_lines_are_dropped_in_the_ledger():
    related = "".join(f"<p><a href='/story/{i}'>Another story headline number {i}</a></p>" for i in range(3))
    headline = "<p><strong><a href='/app'>CLICK HERE TO GET THE NEWS APP</a></strong></p>"
    body = f"{prose(3)}{related}{prose(2)}{headline}{prose(1)}"
    doc = read_html(page(body))
    dropped = {b.text: b.dropped_by for b in doc.blocks if b.dropped_by}
    assert dropped["Another story headline number 0"] == "extract.link-list"
    assert dropped["CLICK HERE TO GET THE NEWS APP"] == "extract.link-headline"
    assert all(e.stage == "extract" and e.action == "drop" for e in doc.edits)


def test_a_single_link_in_prose_stays():
    body = f"{prose(2)}<p><a href='/x'>A single linked line between paragraphs</a></p>{prose(2)}"
    assert not read_html(page(body)).edits


# --- site packs ------------------------------------------------------------------------------

def test_shipped_site_packs_load():
    book = load_sites()
    assert {"thehill.com", "express.co.uk"} <= {p.domain for p in book.packs}
    assert book.for_domain("www.thehill.com".removeprefix("www.")).domain == "thehill.com"
    assert book.for_domain("news.express.co.uk").domain == "express.co.uk"
    assert book.for_domain("example.com") is None


@pytest.mark.parametrize("path", sorted(builtin_sites_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_site_pack_examples(path):
    from lxml import html as lxml_html
    pack = load_site(path)
    for removal in pack.removals:
        for snippet in removal.examples["remove"]:
            assert removal.xpath(lxml_html.fromstring(f"<div>{snippet}</div>")), (removal.id, snippet)
        for snippet in removal.examples["keep"]:
            assert not removal.xpath(lxml_html.fromstring(f"<div>{snippet}</div>")), (removal.id, snippet)
    for drop in pack.drops:
        assert all(drop.matches(line) for line in drop.examples["drop"]), drop.id
        assert not any(drop.matches(line) for line in drop.examples["keep"]), drop.id


def test_site_pack_applies_by_canonical_domain_and_records_drops():
    head = '<title>Vote</title><link rel="canonical" href="https://thehill.com/news/1-vote">'
    body = (f"<p>{PARAGRAPH}Rep. <span class='rollover-people'><a href='/people/x'>Jane Roe</a>"
            "<span class='rollover-people-block'><a href='/people/x'>Jane Roe</a>"
            "<a href='/n/2'>Other headline</a></span></span> (D) said so.</p>" + prose())
    doc = read_html(page(body, head), options=ReadOptions(sites=load_sites()))
    assert "Rep. Jane Roe (D) said so." in doc.blocks[2].text
    edit = doc.edits[0]
    assert (edit.rule, edit.stage, edit.action) == ("site.thehill.com.people-rollover", "sites", "drop")
    assert "Other headline" in edit.before


def test_url_option_picks_the_site_pack():
    tagged = ("<p><a href='/a'>China furious at Macron for Hong Kong protest jibe</a> [<strong>INSIGHT]|<br></strong>"
              "<a href='/b'>Lakers vs Nets: NBA make final decision on game amid China turmoil</a> "
              "[<strong>VIDEO]</strong></p>")
    body = prose(2) + "<p><strong>DON'T MISS</strong></p>" + tagged + prose(1)
    plain = read_html(page(body), options=ReadOptions(sites=load_sites()))
    assert not plain.edits
    doc = read_html(page(body), options=ReadOptions(sites=load_sites(), url="https://www.express.co.uk/news/1"))
    assert [e.rule for e in doc.edits] == ["site.express.co.uk.dont-miss", "site.express.co.uk.tagged-links"]


def test_site_rules_can_be_disabled():
    cleaner = Cleaner(Config(grammar="off", disable=("site.thehill.com.people-rollover",)))
    assert not any(p.removals for p in cleaner.sites.packs if p.domain == "thehill.com")
    with pytest.raises(KeyError):
        Cleaner(Config(grammar="off", disable=("site.thehill.com.no-such-rule",)))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.mark.parametrize("name, text, message", [
    ("example.com.yaml", """\
        description: x
        remove:
          - name: a
            selektor: div.x
            examples: {remove: ['<div class="x"></div>'], keep: ['<p></p>']}
        """, "example.com.yaml:4:15: unknown key 'selektor' (did you mean 'selector'?)"),
    ("example.com.yaml", """\
        description: x
        remove:
          - name: a
            selector: "div[["
            examples: {remove: ['<div class="x"></div>'], keep: ['<p></p>']}
        """, "example.com.yaml:4:15: bad CSS selector"),
    ("example.com.yaml", """\
        description: x
        drop:
          - name: a
            patterns: ['(unclosed']
            examples: {drop: [a], keep: [b]}
        """, "example.com.yaml:4:15: bad regular expression"),
    ("example.com.yaml", """\
        description: x
        """, "example.com.yaml:1:1: a site pack needs 'remove' or 'drop'"),
    ("example.com.yaml", """\
        description: x
        drop:
          - name: a
            patterns: [x]
        """, "example.com.yaml:3:5: 'examples' is required"),
    ("not a domain.yaml", "description: x\n", "not a domain.yaml:1:1: file name 'not a domain.yaml' is not a domain"),
    ("example.com.yaml", "description: [x\n", "example.com.yaml:2:1: invalid YAML"),
])
def test_site_pack_errors_name_file_line_and_column(tmp_path, name, text, message):
    path = write(tmp_path, name, text)
    with pytest.raises(RuleFileError) as caught:
        load_site(path)
    assert str(caught.value).startswith(str(tmp_path / message.split(":")[0]) + ":" + message.split(":", 1)[1])


def test_extra_site_folder_and_duplicate_domain(tmp_path):
    write(tmp_path, "example.com.yaml", """\
        description: x
        drop:
          - name: promo
            phrases: ["Buy the print edition"]
            examples: {drop: ["Buy the print edition!"], keep: ["We bought the print edition."]}
        """)
    cleaner = Cleaner(Config(grammar="off", site_dirs=(str(tmp_path),)))
    body = prose(2) + "<p>Buy the print edition!</p>" + prose(1)
    result = cleaner.clean(page(body), source_format="html", url="https://example.com/a")
    assert [e.rule for e in result.edits if e.stage == "sites"] == ["site.example.com.promo"]
    write(tmp_path / "..", "thehill.com.yaml", "description: x\ndrop: [{name: a, phrases: [x], "
                                               "examples: {drop: [x], keep: [y]}}]\n")
    with pytest.raises(RuleFileError, match="already has a site pack"):
        load_sites([tmp_path.parent])


# --- hostile input ---------------------------------------------------------------------------

def test_hostile_page_gives_safe_html(rule_cleaner):
    body = ("<h1>Harbour wall vote</h1>" + prose(2) +
            "<p>Read <a href='javascript:alert(1)'>this</a> and <a href='https://example.org'>that</a>"
            " <img src=x onerror=alert(1)> carefully, since the council may vote again next year.</p>"
            "<script>alert('x')</script><style>body{display:none}</style>"
            "<iframe src='https://evil.example/'></iframe>" + prose(1))
    for links in (False, True):
        cleaner = Cleaner(Config(grammar="off", links=links, images=True))
        html_out = cleaner.clean(page(body).encode(), source_format="html", to="html").output.lower()
        for bad in ("<script", "alert(", "onerror", "javascript:", "<iframe", "<style", "display:none"):
            assert bad not in html_out


def test_broken_nesting_is_read(rule_cleaner):
    body = ("<p>Para <b>bold <i>both</b> italic</i> text that runs on long enough to count as prose here.</p>"
            "<table><tr><td>cell<p>para in cell</table><div><p>unclosed para<p>" + PARAGRAPH * 3)
    result = rule_cleaner.clean(("<html><body>" + body).encode(), source_format="html", to="text")
    assert "Para bold both italic text" in result.output and "forty metres" in result.output


def test_deeply_nested_page_is_cut_with_a_warning_in_time(rule_cleaner):
    data = ("<html><body><article><h1>T</h1>" + "<div><p>Some words in a paragraph that goes on.</p>" * 400_000
            + "</div>" * 400_000 + "</article></body></html>").encode()
    assert len(data) > 5_000_000
    with time_limit(20):
        result = rule_cleaner.clean(data, source_format="html", to="html")
    assert "<script" not in result.output
    assert any("deeper than 255 levels" in w for w in result.document.warnings)


def test_five_megabytes_of_bare_nested_divs_in_time(rule_cleaner):
    data = ("<html><body>" + "<div>x " * 700_000 + "</div>" * 700_000 + "</body></html>").encode()
    with time_limit(20):
        result = rule_cleaner.clean(data, source_format="html", to="html")
    assert "<div" not in result.output


@pytest.mark.parametrize("data", [b"plain words, no markup", b"<html></html>", b"<<<>>>", b"<p>x</p>" * 3])
def test_odd_pages_give_little_or_no_content_not_a_crash(rule_cleaner, data):
    result = rule_cleaner.clean(data, source_format="html", name="odd.html")
    assert isinstance(result.output, str)


@pytest.mark.parametrize("data", [b"", b"   \n"])
def test_blank_page_is_an_input_error(rule_cleaner, data):
    with pytest.raises(InputError, match="the page is empty"):
        rule_cleaner.clean(data, source_format="html", name="blank.html")


def test_binary_input_is_an_input_error(rule_cleaner):
    with pytest.raises(InputError, match="binary"):
        rule_cleaner.clean(b"<html>\x00\x01\x02" + bytes(range(256)), source_format="html")


def test_runs_of_brackets_in_page_text_in_time(rule_cleaner):
    body = "<h1>Harbour plan</h1>" + prose(2) + "<p>" + "[" * 100_000 + "</p><p>" + "[a](" * 30_000 + "</p>"
    with time_limit(20):
        result = Cleaner(Config(grammar="off", links=True)).clean(page(body).encode(), source_format="html",
                                                                  to="text")
    assert "forty metres" in result.output
