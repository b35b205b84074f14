"""Tests for cleaner.lexicon: verb base forms, known words and glued-word splits."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.lexicon import base_form, is_adverb, is_past_form, is_word, split_glued

FUNCTION_WORDS = frozenset(
    "the and of to in for on with that a an as at by from is was but or".split()
)

# --- base_form ---------------------------------------------------------------------------------

PAST_TO_BASE = {
    # regular
    "stationed": "station", "agreed": "agree", "launched": "launch", "signed": "sign",
    "deployed": "deploy", "imposed": "impose", "warned": "warn", "vowed": "vow",
    "criticized": "criticize", "criticised": "criticise", "learned": "learn",
    # doubled consonant, -ied, -ked
    "stopped": "stop", "planned": "plan", "admitted": "admit", "referred": "refer",
    "occurred": "occur", "travelled": "travel", "traveled": "travel", "panicked": "panic",
    "carried": "carry", "studied": "study", "applied": "apply", "denied": "deny", "tried": "try",
    "died": "die", "dyed": "dye",
    # irregular past tense
    "went": "go", "made": "make", "began": "begin", "saw": "see", "paid": "pay", "held": "hold",
    "built": "build", "fled": "flee", "led": "lead", "bought": "buy", "brought": "bring",
    "thought": "think", "taught": "teach", "fought": "fight", "sought": "seek", "won": "win",
    "chose": "choose", "wrote": "write", "flew": "fly", "grew": "grow", "knew": "know",
    "drew": "draw", "threw": "throw", "froze": "freeze", "broke": "break", "stole": "steal",
    "wore": "wear", "swam": "swim", "sank": "sink", "ate": "eat", "forgot": "forget",
    "rose": "rise", "fell": "fall", "lost": "lose", "left": "leave", "spent": "spend",
    "sent": "send", "kept": "keep", "met": "meet", "sold": "sell", "told": "tell",
    "struck": "strike", "shot": "shoot", "laid": "lay",
    # irregular participles and prefixed verbs
    "chosen": "choose", "written": "write", "taken": "take", "given": "give", "gone": "go",
    "forgiven": "forgive", "withdrew": "withdraw", "upheld": "uphold", "understood": "understand",
    "overtook": "overtake", "undertook": "undertake", "misled": "mislead",
    "re-elected": "re-elect",
}


@pytest.mark.parametrize(("past", "base"), sorted(PAST_TO_BASE.items()))
def test_base_form_of_past_forms(past: str, base: str) -> None:
    assert base_form(past) == base
    assert is_past_form(past)


@pytest.mark.parametrize(("word", "expected"), [
    ("Stopped", "Stop"), ("Went", "Go"), ("WENT", "GO"), ("Agreed", "Agree"),
    ("STATIONED", "STATION"), ("Re-elected", "Re-elect"),
])
def test_base_form_keeps_capitalisation(word: str, expected: str) -> None:
    assert base_form(word) == expected


NOT_REPAIRABLE = [
    # not verbs, or -ed words that are not past forms
    "red", "bed", "hundred", "sacred", "naked", "kindred", "rugged", "hatred", "beloved",
    "unprecedented", "unrivalled", "Ahmed", "Ted", "Fred", "Reed", "children", "the",
    # base forms, including ones ending in -ed/-eed
    "need", "feed", "seed", "speed", "breed", "shred", "embed", "wed", "station", "agree",
    "launch", "go",
    # past form identical to the base form: nothing to change
    "put", "cut", "set", "read", "let", "hit", "cost", "shut", "hurt", "spread", "quit",
    "come", "become", "run", "overcome",
    # just as plausibly the base form of another verb ("would found a company")
    "found", "lay", "wound", "ground", "bore",
    # auxiliaries and modals
    "had", "been", "was", "were", "did", "could", "would", "should", "might",
    # adverbs and other words that follow modals
    "rather", "hardly", "permanently",
    # not plain words
    "", "10km", "well-known", "must-see", "fee'd",
]


@pytest.mark.parametrize("word", NOT_REPAIRABLE)
def test_base_form_none(word: str) -> None:
    assert base_form(word) is None


@pytest.mark.parametrize(("word", "expected"), [
    ("put", True), ("cut", True), ("come", True), ("had", True), ("went", True),
    ("stationed", True), ("red", False), ("need", False), ("hundred", False), ("go", False),
    ("", False), ("10km", False),
])
def test_is_past_form(word: str, expected: bool) -> None:
    assert is_past_form(word) is expected


@pytest.mark.parametrize(("word", "expected"), [
    ("permanently", True), ("also", True), ("not", True), ("soon", True), ("never", True),
    ("stationed", False), ("warships", False), ("", False), ("5G", False),
])
def test_is_adverb(word: str, expected: bool) -> None:
    assert is_adverb(word) is expected


@given(st.text(max_size=20))
@settings(max_examples=300, deadline=None)
def test_base_form_never_raises_and_returns_words(text: str) -> None:
    result = base_form(text)
    assert result is None or (isinstance(result, str) and result)


# --- is_word -----------------------------------------------------------------------------------

@pytest.mark.parametrize("word", [
    "therein", "another", "together", "Britain", "often", "Thereafter", "ashore", "abed",
    "afoot", "officials", "Italy", "drones",
])
def test_is_word_true(word: str) -> None:
    assert is_word(word)


@pytest.mark.parametrize("token", [
    "Italythe", "saidthat", "ofthe", "inthe", "theofficials", "openand", "10km", "", "a_b",
])
def test_is_word_false(token: str) -> None:
    assert not is_word(token)


# --- split_glued -------------------------------------------------------------------------------

GLUED = {
    "Italythe": ("Italy", "the"), "openand": ("open", "and"),
    "theofficials": ("the", "officials"), "saidthat": ("said", "that"),
    "Theofficials": ("The", "officials"), "Thepresident": ("The", "president"),
    "ofthe": ("of", "the"), "inthe": ("in", "the"), "tothe": ("to", "the"),
    "andthe": ("and", "the"), "forthe": ("for", "the"), "onthe": ("on", "the"),
    "withthe": ("with", "the"), "fromthe": ("from", "the"), "wasthe": ("was", "the"),
    "atthe": ("at", "the"), "bythe": ("by", "the"), "thatthe": ("that", "the"),
    "Andthe": ("And", "the"), "Forthe": ("For", "the"), "saidthe": ("said", "the"),
    "Chinaand": ("China", "and"), "Trumpand": ("Trump", "and"), "Bidenand": ("Biden", "and"),
    "Japanand": ("Japan", "and"), "Koreathat": ("Korea", "that"), "Tokyothe": ("Tokyo", "the"),
    "Russiafrom": ("Russia", "from"), "Londonwith": ("London", "with"),
    "Beijingin": ("Beijing", "in"), "Washingtonand": ("Washington", "and"),
    "thecompany": ("the", "company"), "theminister": ("the", "minister"),
    "thepresident": ("the", "president"), "announcedthat": ("announced", "that"),
    "reportedthat": ("reported", "that"), "troopsin": ("troops", "in"),
    "warshipsto": ("warships", "to"), "exportsto": ("exports", "to"),
    "andofficials": ("and", "officials"), "presidentand": ("president", "and"),
    "agreementwith": ("agreement", "with"), "militaryand": ("military", "and"),
    "governmentand": ("government", "and"), "weaponsand": ("weapons", "and"),
    "economyis": ("economy", "is"), "navywas": ("navy", "was"),
    "ministerof": ("minister", "of"), "allianceof": ("alliance", "of"),
    "defenseof": ("defense", "of"), "countriesfor": ("countries", "for"),
    "securityfor": ("security", "for"), "missilesthat": ("missiles", "that"),
    "shipsfrom": ("ships", "from"), "islandsand": ("islands", "and"),
    "sanctionsbut": ("sanctions", "but"), "anofficial": ("an", "official"),
    "aneconomic": ("an", "economic"), "apolice": ("a", "police"),
    "tobuilding": ("to", "building"), "andtagline": ("and", "tagline"),
}


@pytest.mark.parametrize(("token", "parts"), sorted(GLUED.items()))
def test_split_glued_positive(token: str, parts: tuple[str, str]) -> None:
    assert split_glued(token, FUNCTION_WORDS) == parts


NOT_GLUED = [
    # real words, including rare ones made of a function word and a word
    "therein", "another", "together", "became", "often", "ashore", "nowhere", "Britain",
    "Thereafter", "abed", "atop", "afoot", "aboard", "anew", "awhile", "aright", "afar",
    "asunder", "alight", "amass", "atone", "thereon", "whereon", "hereon", "whereto",
    "wherefrom", "forthwith", "inasmuch", "upon", "into", "onto", "within", "without", "forgo",
    "format", "offset", "inform", "intent", "inward", "onward", "toward", "forward",
    "Tomorrow", "Tonight", "Online", "offline", "Forum",
    # names and brands
    "Andover", "Inman", "Forman", "Atwood", "Onslow", "Bywater", "Rankin", "Larkin", "Bergin",
    "Parkin", "Harkin", "Dunkin", "Hickson", "Hilton", "Carson", "Burton", "Newton", "Seton",
    "Canton", "Anton", "Tofino", "Isabel", "Orwell", "Aman", "Andalusia", "Ontario", "Tobago",
    "Toby", "Islam", "Istanbul", "Byron", "Inca", "Theon", "Theis", "Andor", "Toto", "Isan",
    "Toan", "Clarkin", "Topicon", "Ameris", "Anasa", "Inexhibit", "wasmer", "Wasabi",
    # camelCase, acronyms, URLs, handles, code, numbers with units
    "iPhone", "YouTube", "McDonald's", "PlayStation", "eBay", "WhatsApp", "LinkedIn",
    "TheStreet", "ItalyThe", "fromChina", "andiPad", "ITALYTHE", "NATO", "UNESCO",
    "http://openand.com", "openand.com", "www.saidthat.org", "saidthat@example.com",
    "#openand", "@saidthat", "the_officials", "dotted.names", "10km", "5G", "3D", "COVID19",
    # words of other languages
    "ainda", "Anda", "mainan", "tobat", "Thema", "Themen", "anfallen",
    # too short or not glued at all
    "ofa", "Italy", "the", "",
]


@pytest.mark.parametrize("token", NOT_GLUED)
def test_split_glued_negative(token: str) -> None:
    assert split_glued(token, FUNCTION_WORDS) is None


def test_split_glued_uses_only_the_callers_function_words() -> None:
    assert split_glued("saidthat", frozenset({"the", "and"})) is None
    assert split_glued("openand", frozenset({"the", "and"})) == ("open", "and")
    assert split_glued("Italythe", frozenset({"The", "AND"})) == ("Italy", "the")


CONTENT_WORDS = [
    "said", "officials", "Italy", "open", "government", "warships", "security", "president",
    "minister", "troops", "agreement", "Japan", "missiles", "announced", "defense", "other",
    "shore", "here", "where", "man", "tone", "ward", "form", "put",
]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=24))
@settings(max_examples=400, deadline=None)
def test_split_glued_parts_concatenate_to_input(token: str) -> None:
    parts = split_glued(token, FUNCTION_WORDS)
    assert parts is None or (parts[0] + parts[1] == token and parts[0] and parts[1])


@given(st.sampled_from(CONTENT_WORDS), st.sampled_from(sorted(FUNCTION_WORDS)), st.booleans())
@settings(max_examples=300, deadline=None)
def test_split_glued_on_glued_pairs(content: str, function: str, function_first: bool) -> None:
    token = function + content if function_first else content + function
    parts = split_glued(token, FUNCTION_WORDS)
    if parts is not None:
        assert parts[0] + parts[1] == token
        assert parts[0].lower() in FUNCTION_WORDS or parts[1].lower() in FUNCTION_WORDS


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=14))
@settings(max_examples=400, deadline=None)
def test_split_glued_lowercase_strings(token: str) -> None:
    parts = split_glued(token, FUNCTION_WORDS)
    if parts is not None:
        assert parts[0] + parts[1] == token
        assert not is_word(token)


@pytest.mark.parametrize("text, language", [
    ("The council approved the budget on Tuesday after a long debate, and officials said that the "
     "new spending would begin in the spring. It is the first time the city has done so with this "
     "much support from both parties.", "en"),
    ("Der Rat hat den Haushalt am Dienstag nach einer langen Debatte beschlossen, und die Beamten "
     "sagten, dass die neuen Ausgaben im Frühjahr beginnen. Es ist das erste Mal, dass die Stadt "
     "das mit so viel Unterstützung tut, und sie ist nicht allein.", "de"),
    ("Le conseil a adopté le budget mardi après un long débat, et les responsables ont dit que les "
     "nouvelles dépenses commenceraient au printemps. C'est la première fois que la ville le fait "
     "avec autant de soutien, et elle n'est pas seule.", "fr"),
    ("El consejo aprobó el presupuesto el martes después de un largo debate, y los funcionarios "
     "dijeron que el nuevo gasto comenzará en la primavera. Es la primera vez que la ciudad lo hace "
     "con tanto apoyo de los dos partidos y de los vecinos.", "es"),
    ("Palm Bay d. Rockledge 70-44. Tolivert 25 points. Davis 17 points.", ""),  # too few words to tell
])
def test_guess_language(text: str, language: str) -> None:
    from cleaner.lexicon import guess_language
    assert guess_language(text) == language
