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


def test_english_repairs_leave_undeclared_german_text_alone():
    # plain text and Markdown without front matter declare no language: the document's most
    # frequent words tell ("der", "und", "nicht" against "the", "and", "of")
    text = ("Die Initiative\n\n" + GERMAN + " Der Rat hat den Haushalt am Dienstag beschlossen, und "
            "die Beamten sagten, dass die neuen Ausgaben im Frühjahr beginnen. Es ist das erste Mal, "
            "dass die Stadt das mit so viel Unterstützung tut.\n")
    for fmt in ("text", "markdown"):
        out = _text(text, fmt)
        assert "gerne die die Initiative" in out and "intransparent" in out, fmt


def test_undeclared_french_text_keeps_its_spacing():
    text = ("Le match\n\n" + FRENCH + " Le match a été long et disputé, devant un public nombreux. "
            "Les joueurs de Lorient ont tenu tête à leurs adversaires pendant toute la rencontre, et "
            "le public est resté jusqu'à la fin.\n")
    assert FRENCH in _text(text, "text")


def test_document_language_guesses_when_none_is_declared():
    from cleaner.document import Block, BlockKind, Document
    from cleaner.rulebook.kinds import document_language
    text = (GERMAN + " Der Rat hat den Haushalt beschlossen, und die Beamten sagten, dass es nicht "
            "das erste Mal ist, dass die Stadt das tut.")
    assert document_language(Document([Block(0, BlockKind.PARAGRAPH, text, 1)])) == "de"
    declared = Document([Block(0, BlockKind.PARAGRAPH, text, 1)], metadata={"language": "en"})
    assert document_language(declared) == "en"  # what a document declares wins
