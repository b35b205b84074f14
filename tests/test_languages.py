"""Rules that leave a language's own conventions alone: French spacing before ! ? : ;"""
from cleaner import Cleaner, Config

CLEANER = Cleaner(Config(grammar="off"))
PAGE = """<html lang="{lang}"><head><title>Match</title></head><body><article>
<h1>Match</h1><p>{text}</p><p>Le match a été long et disputé, devant un public nombreux et bruyant.</p>
</article></body></html>"""
FRENCH = "C'est terminé au Moustoir ! Lorient a tenu tête : score nul ; quelle fin ?"


def _text(source: str, fmt: str) -> str:
    return CLEANER.clean(source, source_format=fmt, to="text").output


def test_french_page_keeps_its_spacing():
    assert FRENCH in _text(PAGE.format(lang="fr-FR", text=FRENCH), "html")


def test_page_in_another_language_loses_the_space():
    out = _text(PAGE.format(lang="en", text="Why now ? It ended : here"), "html")
    assert "Why now? It ended: here" in out


def test_french_front_matter_keeps_its_spacing():
    post = f"---\ntitle: Match\nlang: fr\n---\n\n{FRENCH}\n"
    assert _text(post, "markdown").count(" !") == 1


def test_text_spaced_the_french_way_keeps_its_spacing():
    text = f"Le titre\n\nIl a dit « non » hier.\n\n{FRENCH}\n"
    assert FRENCH in _text(text, "text")


def test_space_before_comma_goes_in_french_too():
    out = _text(PAGE.format(lang="fr", text="C'est fini , dit-il ."), "html")
    assert "C'est fini, dit-il." in out


def test_english_text_loses_the_space():
    assert "Why now?" in _text("A title\n\nWhy now ? Nobody knows.\n", "text")


GERMAN = "Wir würden gerne die die Initiative ergreifen, die Entscheidungen waren intransparent und autoritär."


def test_english_repairs_leave_a_german_page_alone():
    out = _text(PAGE.format(lang="de-DE", text=GERMAN), "html")
    assert "gerne die die Initiative" in out and "intransparent" in out


def test_english_repairs_run_on_english_and_undeclared_pages():
    text = "The council would permanently stationed two warships in the the harbour, officials said."
    for lang in ("en-US", ""):
        out = _text(PAGE.format(lang=lang, text=text), "html")
        assert "would permanently station two warships in the harbour" in out, lang


def test_document_language_reads_the_primary_tag():
    from cleaner.document import Document
    from cleaner.rulebook.kinds import document_language
    assert document_language(Document([], metadata={"language": "fr_FR"})) == "fr"
    assert document_language(Document([], metadata={"lang": "EN-gb"})) == "en"
    assert document_language(Document([])) == ""
