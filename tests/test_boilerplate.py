"""The boilerplate stage on whole documents: what goes, what must stay, and the safety valve."""
from __future__ import annotations

from pathlib import Path

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Config
from cleaner.rulebook import load_rules

CLEANER = Cleaner(Config(grammar="off"))
REPO = Path(__file__).resolve().parent.parent
TRUTH = REPO / "tests" / "data" / "aeb-truth"  # the reference texts of the golden seeds

PROSE = [
    "The council approved the budget on Tuesday after a long debate, and officials said the new "
    "spending would begin in the spring.",
    "Opposition members argued that the plan relied on optimistic forecasts, but the finance "
    "committee said revenue had beaten estimates for three years running.",
    "The mayor told reporters that the first projects would be road repairs and two new libraries "
    "in the northern districts of the city.",
]


def clean(*lines: str) -> str:
    return CLEANER.clean("\n".join(lines), source_format="text", to="text").output


def kept(output: str, line: str) -> bool:
    return any(block == line for block in output.split("\n\n")) or line in output


# --- the safety valve -------------------------------------------------------------------------

def _pack(tmp_path: Path, rule: str) -> Path:
    pack = tmp_path / "greedy"
    pack.mkdir()
    (pack / "pack.yaml").write_text("stage: boilerplate\n")
    (pack / "everything.yaml").write_text(rule)
    return tmp_path


def test_a_rule_that_would_drop_most_of_the_document_is_undone_and_warned_about(tmp_path):
    rules = load_rules([_pack(tmp_path, (
        "kind: drop-block\n"
        "description: Drops any line with a vowel - far too broad.\n"
        "match: anywhere\nmax_words: 100\npatterns: ['[aeiou]']\n"
        "examples: {drop: ['The council met.'], keep: ['1234']}\n"))], builtin=False)
    result = Cleaner(Config(grammar="off"), rules=rules).clean(
        "\n".join(PROSE), source_format="text", to="text")
    for paragraph in PROSE:
        assert paragraph in result.output
    assert any("greedy.everything" in w and "undone" in w for w in result.document.warnings)
    assert not [e for e in result.edits if e.action == "drop"]


def test_the_valve_stays_shut_for_a_rule_that_removes_a_small_share(tmp_path):
    result = CLEANER.clean("\n".join([*PROSE, "Share this article", "Advertisement"]),
                           source_format="text", to="text")
    assert "Share this article" not in result.output
    assert not result.document.warnings


# --- line-shaped rules: boilerplate goes, prose that mentions the same words stays -------------

@pytest.mark.parametrize("sentence", [
    "More than 40,000 readers subscribe to the paper's print edition, the company said on Monday.",
    "Shares of the company fell 4% after the report, and analysts expect more cuts next year.",
    "Share prices fell sharply today after the results were published by the regulator.",
    "The bakery sold 2,000 cookies on the first day, the owner said, and plans a second shop.",
    "Regulators said the new cookie policy would be reviewed by the commission in the spring.",
    "Follow-up talks are planned for next week, the ministry said today in a short statement.",
    "Twitter said it would share more data with researchers, and follow the new EU rules.",
])
def test_sentences_that_mention_subscribe_share_or_cookies_survive(sentence):
    output = clean(PROSE[0], sentence, PROSE[1])
    assert sentence in output


@pytest.mark.parametrize("line", [
    "Thank you for reading this post, don't forget to subscribe!",
    "Share this article",
    "Follow us on Twitter and Instagram",
    "We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.",
    "Advertisement",
    "Back to top button",
])
def test_boilerplate_lines_between_paragraphs_are_dropped(line):
    output = clean(PROSE[0], line, PROSE[1])
    assert line not in output
    assert PROSE[0] in output and PROSE[1] in output


def test_a_hashtag_line_goes_but_hashtags_in_prose_stay():
    prose = "The campaign used #MeToo and #TimesUp to rally support across the country, organisers said."
    output = clean(PROSE[0], prose, "#Japan #Military #Ties #Ally", PROSE[1])
    assert prose in output
    assert "#Japan #Military" not in output


def test_credit_lines_are_kept_among_footer_boilerplate():
    credit = "Reporting by Tim Kelly; Editing by Kim Cohill and Gerry Doyle"
    output = clean(*PROSE, credit, "Our standards: Thomson Reuters Trust Principles.",
                   "Share this article", "Related Articles")
    assert credit in output
    assert "Thomson Reuters Trust Principles" not in output


# --- sections and positions --------------------------------------------------------------------

def test_a_related_section_drops_its_headlines_and_stops_at_prose():
    output = clean(PROSE[0], "Related Articles", "Britain sends carrier to Asia",
                   "Japan's defence budget hits record", PROSE[1], PROSE[2])
    assert "Britain sends carrier" not in output and "defence budget hits" not in output
    assert PROSE[1] in output and PROSE[2] in output


def test_navigation_before_the_article_and_footer_links_after_it_go():
    output = clean("Home", "World", "Business", "Real Estate", "Sign In", *PROSE,
                   "About Us", "Contact", "Terms of Use")
    assert output.split("\n\n")[0] == PROSE[0]
    for line in ("Real Estate", "Sign In", "About Us", "Contact"):
        assert not kept(output, line), line


def test_other_stories_past_a_dropped_share_bar_go_but_a_list_ending_the_article_stays():
    tour = ["The Doobie Brothers Tour Dates", "June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre",
            "June 10 – Tampa, FL @ MIDFLORIDA Credit Union Amphitheatre",
            "June 14 – Alpharetta, GA @ Ameris Bank Amphitheatre"]
    teasers = ["Gronk may have found his true calling", "Rams top Bears as offenses struggle"]
    output = clean(*PROSE, *tour, "Share this article", *teasers)
    for line in tour:
        assert line in output, line
    for line in teasers:
        assert line not in output, line


def _dropped_by(result, rule: str) -> list[str]:
    return [e.before for e in result.edits if e.action == "drop" and e.rule == rule]


# Other stories' teasers in the page's own end: each a headline and a one-sentence summary.
TEASERS = [
    "Why farmers may want to paint their cows with zebra stripes",
    "Some people thought the striped cattle in a Japanese pasture were a joke, but the science "
    "behind them could save farmers money.",
    "Cities urge boycott of meat companies linked to fires",
    "Lawmakers in the two biggest cities want to cut ties with businesses that import the beef.",
]


LONG = [  # paragraphs of 40 words and more, as an article's own are
    "Small and medium businesses require private cloud solutions that balance performance with "
    "cost, and the providers in this group offer dedicated servers, simple pricing and support "
    "teams that answer quickly, which matters more to a company without its own operations staff.",
    "Growing companies can benefit from the ability to scale between virtual and physical "
    "infrastructure as their needs change, and the platform also suits workloads that must stay "
    "in one country for compliance, since every data center is run by the provider itself.",
]


def test_article_prose_past_a_dropped_line_attaches_the_lines_after_it_again():
    # a list right under the article's last paragraph read as a menu, but the article's own
    # paragraphs follow it: the lines between them are the article's, not page furniture
    names = ["Cherry Servers", "Leaseweb", "OVHcloud", "phoenixNAP", "AWS Outposts", "Azure Stack",
             "Google Distributed Cloud", "Red Hat OpenShift", "Vultr", "Hetzner", "Linode", "IONOS",
             "Scaleway", "DigitalOcean", "Rackspace", "Kamatera", "Liquid Web", "OpenNebula", "Nutanix",
             "VMware Cloud"]  # long enough that the body's span ends before it
    features = ["Rapid deployment times for pre-configured servers", "Limited managed services offerings"]
    result = CLEANER.clean("\n".join([*PROSE, *names, LONG[0], *features, "Home", "About us"]),
                           source_format="text", to="text")
    assert set(_dropped_by(result, "boilerplate.edge-fragment")) <= {*names, "About us"}
    for line in [*PROSE, LONG[0], *features]:
        assert kept(result.output, line), line


def test_a_related_section_of_teasers_goes_with_their_summaries():
    result = CLEANER.clean("\n".join([*PROSE, "More stories", *TEASERS]), source_format="text", to="text")
    assert result.output.strip().split("\n\n") == PROSE
    assert _dropped_by(result, "boilerplate.related-section") == ["More stories", *TEASERS]


def test_trailing_teasers_may_outweigh_a_short_article():
    # a page's "Related" block of other stories can hold more words than the article itself
    # (here too): the safety valve leaves the rule that share, since no article prose follows it
    teasers = [*TEASERS,
               "Port strike enters its second week with no talks planned",
               "Dock workers and the shipping companies blame each other as containers pile up on "
               "the quays and retailers warn of empty shelves.",
               "School board delays vote on the new start times",
               "Parents packed the hall to ask for more time, and the board agreed to hear a "
               "transport study before it decides anything.",
               "Museum returns a stolen painting to its owners",
               "The portrait, taken from a private house in 1972, was found in a storeroom during "
               "an inventory and handed back at a small ceremony."]
    result = CLEANER.clean("\n".join([*PROSE, "Related", *teasers]), source_format="text", to="text")
    assert result.output.strip().split("\n\n") == PROSE
    assert not result.document.warnings


SCHOOLS = [  # a ranking: each entry a numbered heading, a paragraph, and a list of links
    ("1. Harvard Business School", "Harvard Business School is known for its case method, and its graduates "
     "lead companies in every industry, from banking and consulting to technology and health care."),
    ("2. Stanford GSB", "Stanford is famous for its ties to Silicon Valley and to venture capital, and its "
     "small classes make it the hardest of the leading business schools to get into."),
    ("3. UPenn Wharton", "Wharton is strong in almost every area, finance above all, and its alumni network "
     "is the largest of any business school in the world, with chapters in every major city."),
]


def test_a_rankings_numbered_entries_stay_past_the_links_under_each():
    lines = [PROSE[0], PROSE[1]]
    for heading, paragraph in SCHOOLS:
        name = heading.split(". ", 1)[1]
        lines += [heading, paragraph, f"More on {name}:", f"How to get into {name}",
                  f"{name} interview guide", f"{name} employment report"]
    result = CLEANER.clean("\n".join(lines), source_format="text", to="text")
    for heading, paragraph in SCHOOLS:
        assert kept(result.output, heading) and kept(result.output, paragraph), heading
    assert "More on" not in result.output and "interview guide" not in result.output


def test_a_numbered_list_of_other_stories_still_goes():
    # numbered from 1 under a "Most read" label: nothing in the article numbers it on
    stories = ["1. Port strike enters its second week", "2. School board delays its vote",
               "3. Museum returns a stolen painting"]
    assert clean(*PROSE, "Most Read", *stories).strip().split("\n\n") == PROSE


def test_a_byline_may_sit_under_each_teaser_headline():
    teasers = [TEASERS[0], "Jane Smith", TEASERS[1], TEASERS[2], "Ann Lee", TEASERS[3]]
    assert clean(*PROSE, "Related Articles", *teasers).strip().split("\n\n") == PROSE


@pytest.mark.parametrize("text, prose, headline", [
    ("Microsoft offers a Surface Go kids bundle plus a pair of JBL he...", False, True),  # cut short
    ("Microsoft offers a Surface Go kids bundle plus a pair of JBL he…", False, True),
    # longer than a headline: a paragraph that trails off
    ("The council met on Tuesday, and the members waited in the hall for more than an hour for the "
     "mayor, who had promised to explain the budget, to arrive...", True, False),
    ("Then the lights went out... and the council met in the dark for an hour.", True, False),
    ("The council met again.", False, False),
    # a stop before a word in lower case closes an abbreviation, not a sentence: headlines
    ("Smudge, a salad-hating cat from Ont. becomes a viral meme", False, True),
    ("World shares retreat on jitters over U.S. bill on Hong Kong", False, True),
    ("A salad-hating cat from Ont. became a viral meme. Then it won a prize", True, True),
])
def test_what_reads_as_prose_and_what_as_a_headline(text, prose, headline):
    from cleaner.rulebook import textshape
    assert textshape.is_prose(text) is prose
    assert textshape.title_like(text) is headline


def test_teasers_cut_short_by_the_page_go_with_their_label():
    # headlines and summaries the page cut to length ("... JBL he...") are still teasers: a
    # line cut off with "..." is neither a sentence's end nor prose
    teasers = ["Microsoft offers a Surface Go kids bundle plus a pair of JBL he...",
               "Microsoft is now offering a deal on its Surface Go that is tailored to families with "
               "kids who love tech, starting from a low price for the bas...",
               "Dell has released its list of Black Friday deals to help get the holiday sea...",
               "Dell is starting the season with a discount on the laptop it sells most, and the "
               "offer, which covers every model in stock, runs until the end of the mon..."]
    article = [*PROSE,
               "Residents who spoke at the meeting welcomed the libraries but asked the council to "
               "publish a timetable for the road works before the summer holidays begin.",
               "The finance committee will report on the first quarter's spending in June, when the "
               "council meets again to review the forecasts and the progress of each project."]
    assert clean(*article, "Related Articles", *teasers).strip().split("\n\n") == article


@pytest.mark.parametrize("after", [
    [TEASERS[0], TEASERS[1], PROSE[1], PROSE[2]],                 # one headline, then the article
    [*TEASERS, PROSE[1], PROSE[2]],   # headed short paragraphs, then the article goes on: its sections
    [TEASERS[0], TEASERS[1]],         # one pair is no list of teasers
])
def test_prose_after_a_related_label_stays_unless_teasers_repeat(after):
    output = clean(PROSE[0], "Related Articles", *after)
    assert TEASERS[0] not in output  # the headline under the label still goes
    for line in after[1:]:
        assert kept(output, line), line


def test_everything_after_the_site_copyright_footer_goes():
    result = CLEANER.clean("\n".join([*PROSE, "© 2019 Example Media Inc. All Rights Reserved.",
                                      "World", *TEASERS]), source_format="text", to="text")
    assert result.output.strip().split("\n\n") == PROSE
    dropped = _dropped_by(result, "boilerplate.page-end")
    assert dropped[0] == "© 2019 Example Media Inc. All Rights Reserved."
    assert dropped[1:] == ["World", *TEASERS]  # each drop in the ledger, with the rule that made it


@pytest.mark.parametrize("credit", ["© 2019 Example Media Inc. All Rights Reserved.",  # footer printed first
                                    "© 2019 Bloomberg Finance LP",  # a chart's credit
                                    "Photo: © 2019 Getty Images"])
def test_a_copyright_line_with_article_prose_after_it_does_not_end_the_page(credit):
    result = CLEANER.clean("\n".join([PROSE[0], credit, "Markets", PROSE[1], PROSE[2]]),
                           source_format="text", to="text")
    assert not _dropped_by(result, "boilerplate.page-end")
    for paragraph in PROSE:
        assert paragraph in result.output


def test_the_readers_comments_go_from_their_head_to_the_end():
    comments = ["34 responses to “Council approves the budget”",
                "jjackwagon says:", "November 19, 2019 at 9:03 am",
                "Typical council, spending money it does not have on roads nobody uses.",
                "Leave a Reply Cancel reply"]
    result = CLEANER.clean("\n".join([*PROSE, *comments]), source_format="text", to="text")
    assert result.output.strip().split("\n\n") == PROSE
    assert _dropped_by(result, "boilerplate.comment-section")[0] == comments[0]


def test_a_comment_count_under_the_headline_keeps_the_article_after_it():
    article = [f"On day {n + 1}, {p[0].lower()}{p[1:]}" for n in range(2) for p in PROSE]
    result = CLEANER.clean("\n".join(["Council approves the budget", article[0], "12 Comments",
                                      *article[1:]]), source_format="text", to="text")
    assert not _dropped_by(result, "boilerplate.comment-section")
    for paragraph in article:
        assert paragraph in result.output


def test_a_related_list_dropped_after_the_article_still_separates_it_from_the_headlines_past_it():
    related = ["Most Read", "Hockey league renames its age divisions",
               "Hotel honours bartender's last wish with a cocktail", "Cat from Ottawa becomes a meme",
               "Air fares set to rise in the new year", "Snow closes schools across the north"]
    later = ["Actor did not want the part. Then he met the boy who changed his mind",
             "HEALTH", "Fake doctors drive sales of painkillers abroad",
             "Why couples drink alike? It could be in their genes"]
    output = clean(*PROSE, *related, *later)
    assert output.strip().split("\n\n")[:3] == PROSE
    # (headlines that read as two sentences are prose to the position rules and stay)
    assert not kept(output, "HEALTH") and "Fake doctors" not in output


def test_a_decimal_in_a_headline_does_not_make_the_headlines_around_it_a_table():
    teasers = ["Climate impacts to cost world US$7.9 trillion: report",
               "Emirates to buy Dreamliners for US$8.8 billion",
               "World shares slip 1.5 percent on trade jitters"]
    output = clean(*PROSE, "Share this article", *teasers)
    for line in teasers:
        assert line not in output, line
    schedule = ["Doors open at 7.30 P.M.", "Opening act from 8:00 pm", "Main show from 9:15 pm"]
    output = clean(*PROSE, "Share this article", *schedule)
    for line in schedule:
        assert line in output, line


def test_a_table_after_the_article_keeps_its_names_and_numbers():
    # (a header row of plain words, "Piloto" / "Pontos", reads as a menu and may go)
    rows = ["1", "Kyle Busch", "5040", "2", "Martin Truex Jr.", "5035", "3", "Kevin Harvick", "5033"]
    output = clean(*PROSE, "Pos.", "Piloto", "Pontos", *rows)
    for cell in rows:
        assert kept(output, cell), cell


def test_a_short_sentence_of_the_article_at_its_edge_survives():
    output = clean(*PROSE, "Colombia had lost to Belgium on Monday.")
    assert "Colombia had lost to Belgium on Monday." in output


def test_a_paragraph_scraped_twice_goes_but_a_line_recurring_in_the_article_stays():
    twice = "The minister resigned on Friday after the vote."
    output = clean(PROSE[0], twice, PROSE[1], twice, PROSE[2])
    assert output.count(twice) == 1
    day = ["Breakfast", "Eat every 2-3 hours", "Oatmeal with berries and a boiled egg"]
    days = [line for n in (1, 2, 3) for line in (f"Day {n}", *day)]
    output = clean(*PROSE, *days)
    assert output.count("Eat every 2-3 hours") == 3
    assert output.count("Oatmeal with berries and a boiled egg") == 3


def test_a_document_without_prose_loses_nothing_to_position_rules():
    lines = ["Gronk may have found his true calling", "Rams top Bears", "Chiefs beat Chargers"]
    output = clean(*lines)
    for line in lines:
        assert line in output


# --- golden documents: no content lost ---------------------------------------------------------

#: The benchmark document each aeb seed was copied from (its truth file's name).
GOLDEN = {
    "aeb-nypost": "a1fca19b884e0e946ad3fbe2a7f5031e5e3b23372702a76db302b6143c77cb31",
    "aeb-physorg": "e1c7023ee2148901b086256fdd30a0893d10b0720b510d5ff07a021109347266",
    "aeb-9to5mac": "ad826691a8a2f9c4ce50cf0b885af933c4b5119c1f6235cd7df1dfb83f255bcc",
    "aeb-aljazeera": "7916ecca969ffdd8f6fc32d171fbe0dd63db40fe4c1d2ade02b1dec5929a162f",
    "aeb-sportsnet": "0d46122928b6f468cc4bbc694051d0dbae5702bc75a16dab82a99b58daf150a0",
    "aeb-spacenews": "d1c57d7821e5a5b27fb468c59489601bb2a042b1c05221166e3221d2b5dc217f",
    "aeb-cleveland": "35b158918c676ff2c74445517db76c83db70a805cc50b64e1369b354a027fcbd",
    "aeb-page-profootballtalk": "8e3efab59f48fd29a1e1e7aa135880c4251a9f090f94999668cdbaec59d30b5a",
}


def _shingles(text: str) -> set[tuple[str, ...]]:
    import re
    tokens = re.findall(r"\w+", text)
    return {tuple(tokens[i:i + 4]) for i in range(max(1, len(tokens) - 3))} if tokens else set()


def name_of(prefix: str) -> str:
    return next(name for name, digest in GOLDEN.items() if digest == prefix)


def _truth(prefix: str) -> Path | None:
    if not TRUTH.is_dir():
        return None
    path = TRUTH / f"{name_of(prefix)}.txt"
    return path if path.is_file() else None


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_every_truth_paragraph_of_a_golden_document_survives(name):
    truth_path = _truth(GOLDEN[name])
    assert truth_path is not None, f"tests/data/aeb-truth/{name}.txt is missing"
    source = (REPO / "seeds" / f"{name}.txt").read_text(encoding="utf-8")
    output = CLEANER.clean(source, source_format="text", to="text").output
    have_in, have_out = _shingles(source), _shingles(output)
    for paragraph in truth_path.read_text(encoding="utf-8").splitlines():
        # what the input had of this paragraph must all still be there
        missing = (_shingles(paragraph) & have_in) - have_out
        assert not missing, f"{name}: lost from {paragraph[:80]!r}: {sorted(missing)[:3]}"


# --- the Unicode stage's shortcut never hides a fix ---------------------------------------------

UNICODE_RULE = load_rules().get("unicode.repair")
_TRICKY = st.sampled_from(list("aé ’“”–—…ÃâÂ€™‚¬„¢\u00a0ﬁ&;#x<>\x85\x92\x1b\u2028Ω漢\u0301e"))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(_TRICKY, max_size=24), st.text(max_size=24),
                 st.lists(_TRICKY | st.sampled_from(["&amp;", "&#39;", "&EACUTE;", "&#x41;", "&nbsp;", "AT&T", "&lt",
                                                     "Q&A;", " & "]), max_size=12).map("".join)))
def test_text_the_unicode_rule_skips_is_text_ftfy_leaves_alone(text):
    rule = UNICODE_RULE
    verdict = rule.inert(text)
    if verdict is True or (verdict is None and not rule.looks_bad(text)):
        assert ftfy.fix_text(text, config=rule.config) == text


# --- menus scraped as loose lines -------------------------------------------------------------

MENU = ["Sections", "Economy", "Real Time Economics", "U.S.", "Columns & Blogs", "Private Equity",
        "Venture Capital", "Aerospace & Defense", "Health Care"]


def test_a_menu_run_goes_wherever_it_sits():
    output = CLEANER.clean("\n".join([PROSE[0], *MENU, PROSE[1], PROSE[2]]), source_format="text", to="text")
    assert [e.rule for e in output.edits if e.before in MENU] == ["boilerplate.menu-run"] * len(MENU)
    assert all(kept(output.output, p) for p in PROSE)


@pytest.mark.parametrize("lines", [
    MENU[:7],                                             # too short a run to be a menu
    ["Paris, Texas", "Austin, Texas", "Dallas, Texas", "Houston, Texas", "El Paso, Texas",
     "Waco, Texas", "Tyler, Texas", "Plano, Texas"],      # places, with commas
    ["2 eggs", "3 cups of flour", "1 lemon", "200g butter", "4 apples", "1 pinch of salt",
     "2 tsp sugar", "1 cup milk"],                         # quantities
])
def test_lists_of_the_article_are_not_menus(lines):
    output = CLEANER.clean("\n".join([PROSE[0], *lines, PROSE[1], PROSE[2]]), source_format="text", to="text")
    assert not [e for e in output.edits if e.rule == "boilerplate.menu-run"]



STATES = ["Connecticut", "Hawaii", "Illinois", "Maine", "Maryland", "Massachusetts", "Minnesota",
          "New York", "Oregon", "Rhode Island", "Vermont", "Washington", "District of Columbia"]
#: paragraphs long enough to make runs of article prose (two in a row, 30 words or more each)
LONG = [f"{p} {q}" for p in PROSE for q in PROSE if p != q][:4]


def test_an_article_list_of_names_between_runs_of_its_prose_stays_and_a_menu_after_them_goes():
    output = CLEANER.clean("\n".join([LONG[0], LONG[1], *STATES, LONG[2], LONG[3], *MENU]),
                           source_format="text", to="text")
    assert all(kept(output.output, state) for state in STATES)
    assert [e.rule for e in output.edits if e.before in MENU] == ["boilerplate.menu-run"] * len(MENU)


# --- a title that carries the site's name, repeated as the headline ---------------------------

@pytest.mark.parametrize("title, headline, story", [
    ("Prince Andrew struggles to dispel allegations | Washington Examiner",
     "Prince Andrew struggles to dispel allegations", "Prince Andrew struggles to dispel allegations"),
    ("Gregory Szorc's Digital Home | Mercurial's Journey to Python 3",
     "Mercurial's Journey to Python 3", "Mercurial's Journey to Python 3"),
    ("Economy in stress; time to be careful? - Moneycontrol.com",
     "ECONOMY IN STRESS; TIME TO BE CAREFUL?", "Economy in stress; time to be careful?"),
])
def test_the_title_keeps_the_story_and_the_headline_goes(title, headline, story):
    source = "\n\n".join([title, headline, *PROSE])
    result = CLEANER.clean(source, source_format="text", to="markdown")
    assert result.output.startswith(f"# {story}\n"), result.output[:200]
    assert result.output.count(story) == 1 and headline not in result.output.split("\n", 1)[1]
    assert {e.rule for e in result.edits} >= {"dedupe.title-with-site-name"}
    assert all(kept(result.output, p) for p in PROSE)
    again = CLEANER.clean(result.output, source_format="markdown", to="markdown")
    assert again.output == result.output


@pytest.mark.parametrize("title, later", [
    ("Review – A quiet triumph of a film", "A quiet triumph of a film, and a slow one."),  # not a repeat
    ("Storm | Coast", "Storm"),                  # parts too short to be a story
    ("Prince Andrew struggles to dispel allegations | Washington Examiner", "Washington Examiner"),
])
def test_a_title_without_its_story_repeated_stays_whole(title, later):
    source = "\n\n".join([title, PROSE[0], later, *PROSE[1:]])
    result = CLEANER.clean(source, source_format="text", to="markdown")
    assert result.output.startswith(f"# {title}\n")
    assert "dedupe.title-with-site-name" not in {e.rule for e in result.edits}


@pytest.mark.parametrize("title, story", [
    ("Doobie Brothers to reunite with Michael McDonald for Blossom show - cleveland.com",
     "Doobie Brothers to reunite with Michael McDonald for Blossom show"),
    ("Express.co.uk | Hong Kong chaos: China deploys troops", "Hong Kong chaos: China deploys troops"),
    ("Kindle for PC: change the hotkey | Notes - www.example.de", "Kindle for PC: change the hotkey | Notes"),
])
def test_a_domain_name_goes_from_the_title_without_a_repeat(title, story):
    result = CLEANER.clean("\n\n".join([title, *PROSE]), source_format="text", to="markdown")
    assert result.output.startswith(f"# {story}\n"), result.output[:120]
    assert CLEANER.clean(result.output, source_format="markdown", to="markdown").output == result.output


@pytest.mark.parametrize("title", ["Node.js - A guide to streams in practice", "Analysis - Why it matters",
                                   "cleveland.com - Ohio"])
def test_a_title_whose_parts_are_not_a_domain_and_a_story_stays(title):
    result = CLEANER.clean("\n\n".join([title, *PROSE]), source_format="text", to="markdown")
    assert result.output.startswith(f"# {title}\n"), result.output[:120]


@pytest.mark.parametrize("title, story", [
    ("Pensioners protest over fuel bills in Leeds | Northern Daily", "Pensioners protest over fuel bills in Leeds"),
    ("Pensioners protest over fuel bills in Leeds - Breaking News - The Northern Daily",
     "Pensioners protest over fuel bills in Leeds"),
])
def test_the_site_name_goes_from_the_title_when_the_page_furniture_names_it(title, story):
    # no headline below the title, but the menu and the footer (dropped) name the site and section
    menu = ["Home", "News", "Sport", "Breaking News", "Weather", "Sign In"]
    footer = ["© 2024 The Northern Daily. All rights reserved.", "Privacy Policy"]
    result = CLEANER.clean("\n".join([title, *menu, *PROSE, *footer]), source_format="text", to="markdown")
    assert result.output.startswith(f"# {story}\n"), result.output[:160]
    assert all(kept(result.output, p) for p in PROSE)
    assert CLEANER.clean(result.output, source_format="markdown", to="markdown").output == result.output


def test_a_headline_another_rule_dropped_still_shows_the_titles_story():
    # the headline sits in a related-stories list the boilerplate rules drop
    title = "Storm damage closes coastal road for a week | The Coast Courier"
    lines = [title, *PROSE, "Related Articles", "Storm damage closes coastal road for a week",
             "Ferry services resume after the winter break", "Harbour festival returns in June"]
    result = CLEANER.clean("\n".join(lines), source_format="text", to="markdown")
    assert result.output.startswith("# Storm damage closes coastal road for a week\n"), result.output[:160]
    assert "Courier" not in result.output


def test_a_masthead_the_page_furniture_repeats_is_not_the_titles_story():
    # the site's name stands in the dropped menu: it is the part to take off, not the one to keep
    title = "These Weeks in Firefox: Issue 85 – Firefox Nightly News"
    menu = ["Firefox Nightly News", "Home", "Releases", "Add-ons", "About", "Sign In"]
    result = CLEANER.clean("\n".join([title, *menu, *PROSE]), source_format="text", to="markdown")
    assert result.output.startswith("# These Weeks in Firefox: Issue 85\n"), result.output[:160]


def test_a_last_part_only_the_article_names_stays_in_the_title():
    # "Taylor Swift" is in the article's prose, not in page furniture: it is the story's, not a site
    title = "Streaming royalties rise again - Taylor Swift"
    prose = [PROSE[0], "Taylor Swift said the change would help new artists more than her.", *PROSE[1:]]
    result = CLEANER.clean("\n".join([title, *prose, "Home", "Sign In"]), source_format="text", to="markdown")
    assert result.output.startswith(f"# {title}\n"), result.output[:160]


# --- a table of contents ----------------------------------------------------------------------

SECTIONS = ["Why the budget matters", "What the council decided", "What happens next"]


def _article_with_contents(*contents: str) -> list[str]:
    return ["Council approves the city budget", PROSE[0], *contents,
            SECTIONS[0], PROSE[1], SECTIONS[1], PROSE[2], SECTIONS[2],
            "Work on the first roads starts in April, and the libraries open a year later."]


@pytest.mark.parametrize("contents", [
    ["Table of Contents", *SECTIONS],
    ["In this article:", "hide", "1", SECTIONS[0], "2", SECTIONS[1], "3", SECTIONS[2]],
])
def test_a_contents_list_goes_and_the_headings_it_points_at_stay(contents):
    result = CLEANER.clean("\n".join(_article_with_contents(*contents)), source_format="text", to="text")
    assert "Contents" not in result.output and "In this article" not in result.output
    for heading in SECTIONS:
        assert result.output.count(heading) == 1, heading
    # each heading stays where the article has it: above its own paragraph
    assert result.output.index(SECTIONS[0]) > result.output.index(PROSE[0])
    assert result.output.index(SECTIONS[1]) < result.output.index(PROSE[2])
    assert all(kept(result.output, p) for p in PROSE)
    assert {e.rule for e in result.edits if e.action == "drop"} == {"boilerplate.contents-list"}


def test_a_contents_list_without_a_label_goes_and_the_headings_stay_in_place():
    lines = _article_with_contents(*SECTIONS)  # the list right under the first paragraph
    result = CLEANER.clean("\n".join(lines), source_format="text", to="text")
    paragraphs = result.output.strip().split("\n\n")
    for heading, following in zip(SECTIONS, [PROSE[1], PROSE[2], "Work on the first roads"]):
        assert paragraphs.count(heading) == 1
        assert paragraphs[paragraphs.index(heading) + 1].startswith(following), heading


def test_lines_repeated_together_further_down_are_no_contents_list():
    # a box of short lines scraped twice: the copy further down goes, as any repeated block does
    box = ["The budget is approved in full", "Two new libraries come first", "Road repairs begin in spring"]
    result = CLEANER.clean("\n".join([PROSE[0], *box, PROSE[1], *box, PROSE[2]]), source_format="text", to="text")
    assert result.output.strip().split("\n\n") == [PROSE[0], *box, PROSE[1], PROSE[2]]


LAPTOPS = [["Acer Nitro V 16", "Processor: AMD Ryzen 5 7640HS", "Graphics: Nvidia GeForce RTX 4050",
            "Memory: 16GB DDR5 4800MHz", "Storage: 512GB NVMe SSD", "Battery life: about 7.5 hours"],
           ["Lenovo LOQ 15", "Processor: Intel Core i5-12450HX", "Graphics: Nvidia GeForce RTX 4050",
            "Memory: 16GB DDR5 4800MHz", "Storage: 1TB NVMe SSD", "Battery life: about 5 hours"]]


def test_a_field_repeated_in_the_facts_of_another_thing_stays():
    result = CLEANER.clean("\n".join([PROSE[0], *LAPTOPS[0], PROSE[1], *LAPTOPS[1], PROSE[2]]),
                           source_format="text", to="text")
    assert result.output.strip().split("\n\n") == [PROSE[0], *LAPTOPS[0], PROSE[1], *LAPTOPS[1], PROSE[2]]


def test_a_list_of_facts_scraped_twice_goes_the_second_time():
    result = CLEANER.clean("\n".join([PROSE[0], *LAPTOPS[0], PROSE[1], *LAPTOPS[0], PROSE[2]]),
                           source_format="text", to="text")
    assert result.output.strip().split("\n\n") == [PROSE[0], *LAPTOPS[0], PROSE[1], PROSE[2]]


def test_lines_after_a_contents_label_that_nothing_repeats_stay():
    # a collapsed contents box: the label, then the article goes straight on
    lines = ["Council approves the city budget", "Table of Contents", "Key points",
             "Spending begins in the spring", PROSE[0], PROSE[1], PROSE[2]]
    output = CLEANER.clean("\n".join(lines), source_format="text", to="text").output
    assert "Table of Contents" not in output
    for line in lines[2:]:
        assert kept(output, line), line


def test_a_contents_list_in_a_markdown_file_is_the_authors():
    source = "\n\n".join(["# Council approves the city budget", PROSE[0], "## Contents",
                            "\n".join(f"- {h}" for h in SECTIONS),
                            f"## {SECTIONS[0]}", PROSE[1], f"## {SECTIONS[1]}", PROSE[2], f"## {SECTIONS[2]}",
                            "Work on the first roads starts in April."])
    result = CLEANER.clean(source, source_format="markdown", to="markdown")
    assert "## Contents" in result.output
    assert all(f"- {h}" in result.output for h in SECTIONS)


def test_the_lines_of_code_in_a_plain_text_article_all_stay():
    code = ["for (int i = 0; i < 10; i++) {", 'printf("%d", i);', "}", "return 0;", "});"]
    output = clean(PROSE[0], *code, PROSE[1])
    for line in code:
        assert kept(output, line), line


def test_a_list_between_two_runs_of_article_prose_stays():
    # a buying guide: an introduction, a long list of short lines (its checklist), then the
    # reviews. The list splits the article's densest span in two, but prose on both sides of it
    # says it is the article's own; the menu above the introduction still goes.
    intro = [
        "Looking for a packing list to help you prepare for an upcoming trip? Our experts have "
        "spent years on the trail and have put together the gear we carry on every outing.",
        "Some of the items on our list overlap with our hiking gear list, and we have included "
        "options for those who want to travel light and for those who want every comfort.",
    ]
    checklist = ["Shelter and sleep", "Backpacking pack", "Rain cover or dry bag", "Tent and poles",
                 "Ground tarp", "Sleeping bag", "Camping pillow", "Food and water", "Water bottle",
                 "Water filter", "Stove and fuel", "Cook pot", "Spork", "Safety gear", "First aid kit",
                 "Headlamp", "Extra batteries", "Map", "Compass", "Pocket knife", "Whistle",
                 "Bear spray", "Trail guidebook", "Sun hat", "Rain jacket", "Warm gloves"]
    reviews = [PROSE[0] + " " + PROSE[1], PROSE[1] + " " + PROSE[2], PROSE[2] + " " + PROSE[0],
               "We tested every tent on this list in the mountains for three seasons, in wind, rain "
               "and snow, and we set each one up and took it down more than a hundred times.",
               "Our reviewers carried the packs on long trips with heavy loads and recorded how they "
               "felt at the end of each day, how they wore, and how easily they could be adjusted."]
    menu = ["Home", "Reviews", "Hiking", "Camping", "Climbing", "Travel", "Deals"]
    output = clean(*menu, *intro, *checklist, *reviews)
    for line in checklist:
        assert kept(output, line), line
    assert "Climbing" not in output


def test_a_list_announced_by_a_sentence_with_a_colon_stays_past_the_body():
    announce = ("Rounding out the top books of the year, the following titles published this year "
                "were also popular with the book clubs on our platform:")
    books = ["Here One Moment by Liane Moriarty", "Beautiful Ugly by Alice Feeney",
             "Quicksilver by Callie Hart", "One Golden Summer by Carley Fortune",
             "The Boyfriend by Freida McFadden", "Intermezzo by Sally Rooney",
             "The Names by Florence Knapp", "Lights Out by Navessa Allen"]
    footer = ["Company", "About Us", "Privacy Policy", "Terms of Use", "Pricing", "Careers"]
    output = clean(*PROSE, announce, *books, "Create a free account to organise your club.", *footer)
    for line in books:
        assert kept(output, line), line
    assert "Careers" not in output


def test_a_subheading_between_two_paragraphs_does_not_break_their_run():
    from cleaner.rulebook import blockview
    paragraph = PROSE[0] + " " + PROSE[1]  # 40 words
    lines = [paragraph, "Verdict", paragraph.replace("Tuesday", "Monday"), "Servers: up to 128 cores",
             "Billing: by the hour", paragraph.replace("Tuesday", "Friday"), "Our pick",
             paragraph.replace("Tuesday", "Sunday")]
    doc = CLEANER.parse("\n".join(lines), source_format="text")
    view = blockview.BlockView(doc)
    run = {"paragraphs": 2, "words": 60, "each": 30}
    assert blockview.between_runs(view, run) == (len(view.blocks), -1)  # no two paragraphs in a row
    assert blockview.between_runs(view, {**run, "subheading_words": 8}) == (0, len(view.blocks) - 1)
    assert blockview.between_runs(view, {**run, "subheading_words": 1}) == (0, 2)  # "Our pick" has 2 words
