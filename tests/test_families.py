"""Families of boilerplate lines, each between or around an article's paragraphs: every one goes
wherever it stands; the article's own sentences that share their words stay; attribution stays.

The lines are written for these tests, as they come on many sites (not copied from the bench
documents): a rule that matches one site's wording and not its family fails here.
"""
from __future__ import annotations

import pytest

from cleaner import Cleaner, Config

CLEANER = Cleaner(Config(grammar="off"))

#: Paragraphs of an article, long enough to make runs of prose around the probed line.
ARTICLE = [
    "The council approved the budget on Tuesday after a long debate, and officials said the new "
    "spending would begin in the spring. Opposition members argued that the plan relied on "
    "optimistic forecasts.",
    "The finance committee said revenue had beaten estimates for three years running, and the "
    "mayor told reporters that the first projects would be road repairs and two new libraries.",
    "Work on the northern districts starts in April, the city's engineers said, and the roads "
    "around the old market will close for six weeks while crews replace the drains.",
    "Residents will be able to comment on the plans at two public meetings next month, and the "
    "council will publish the full schedule of works on its website before the summer.",
]

BOILERPLATE = [
    'Sign up for our daily newsletter',
    'Get the latest news delivered to your inbox',
    'Subscribe to our YouTube channel',
    'Join our Telegram channel for the latest updates',
    'Follow us on Instagram',
    'Like us on Facebook',
    'Share on WhatsApp',
    'Email this article',
    'Print this page',
    'Copy link',
    'Link copied!',
    'Listen to this article',
    'Listen to this story',
    'Audio is not supported by your browser.',
    'Updated: Nov. 19, 2019, 4:15 p.m.',
    'Published 3:12 p.m. ET Nov. 19, 2019',
    'Last updated on 12 March 2020',
    '5 min read',
    'Comments (12)',
    'Leave a comment',
    'Leave a Reply Cancel reply',
    'Your email address will not be published. Required fields are marked *',
    'Save my name, email, and website in this browser for the next time I comment.',
    'You must be logged in to post a comment.',
    'View comments',
    'Show comments',
    'Advertisement',
    'ADVERTISEMENT',
    'Sponsored Content',
    'Paid Content',
    'Story continues below advertisement',
    'Article continues below',
    'Scroll to continue with content',
    'Continue reading below',
    'Trending Now',
    'Popular Stories',
    'Most Popular',
    "Editor's Picks",
    'Recommended for you',
    'You might also like',
    'More Stories',
    'More from Reuters',
    'Related Coverage',
    'Related Topics',
    'Latest News',
    'Top Stories',
    "Don't miss",
    'Sponsored Links',
    'Promoted Stories',
    'We use cookies to improve your experience on our site.',
    'By continuing to use this site, you agree to our use of cookies.',
    'Accept All Cookies',
    'Manage preferences',
    'Please enable JavaScript to view the comments powered by Disqus.',
    'Your browser does not support the video tag.',
    'This content is not available in your region',
    'Copyright © 2020 The Associated Press. All rights reserved.',
    'All rights reserved.',
    '© 2021 Gannett Co., Inc.',
    'This material may not be published, broadcast, rewritten or redistributed.',
    'Terms of Service | Privacy Policy | Contact Us',
    'Home » News » World',
    'You are here: Home / Politics',
    'Back to top',
    'Scroll to top',
    'Tags: politics, budget, city council',
    'Filed Under: Local News',
    'Posted in Politics',
    'Categories: News',
    '#budget #citycouncil #politics',
    'Click here to read more',
    'Read the full story here',
    'Read more: Council passes budget',
    'READ MORE: Mayor announces new libraries',
    'ALSO READ | City to repair roads',
    'WATCH: Mayor speaks on budget',
    'RELATED: Budget vote delayed',
    'Photo: John Smith/Reuters',
    '(Photo by Jane Doe/Getty Images)',
    'Image: Getty Images',
    'Credit: AP',
    'Thank you for reading!',
    'Thanks for reading. If you enjoyed this article, please share it.',
    'If you like this post, please share it with your friends.',
    "Don't forget to subscribe and hit the bell icon!",
    'Support our journalism. Donate today.',
    'Become a member today',
    'Already a subscriber? Log in',
    'Create a free account to continue reading',
    'You have reached your limit of free articles.',
    'Download our app',
    'Get the app',
    'Have a news tip? Email us at tips@example.com',
    'Contact the author at jdoe@example.com',
    'Follow Jane Doe on Twitter @janedoe',
    'About the author',
    'Next article',
    'Previous article',
    'Next Post',
    'Prev',
    'Page 1 of 3',
    '1 2 3 Next',
    'Load more',
    'Show more',
    'See all',
    'View all posts',
    'Report an error',
    'Send us feedback',
    'Our Standards: The Thomson Reuters Trust Principles.',
    'Get our newsletter',
    'Sign up to receive our newsletter',
    'Newsletter Sign-Up',
    'Enter your email address',
    'Subscribe to our mailing list',
    'Want more stories like this? Sign up here.',
    'Follow @nytimes on Twitter',
    'Share this:',
    'Share via Email',
    'Click to email a link to a friend (Opens in new window)',
    'Pin it',
    'Tweet this',
    'Like this:',
    'Like Loading...',
    'Related posts:',
    'You may be interested in',
    'Recommended',
    'Read next',
    'Up next',
    'More in Politics',
    'Also on CNN',
    'From around the web',
    'Around the Web',
    'Sponsored Stories',
    'Recommended by Outbrain',
    'By Jane Doe, Reuters',
    'By JANE DOE Associated Press',
    'Published: 10:01 EST, 19 November 2019 | Updated: 12:12 EST, 19 November 2019',
    'Last Modified: November 19, 2019',
    'Posted: Nov 19, 2019 / 10:00 AM EST',
    'Photo credit: Getty',
    '(AP Photo/Evan Vucci)',
    'Getty Images',
    'Image source, Reuters',
    'Click to enlarge',
    'Enlarge this image',
    'toggle caption',
    'Hide caption',
    'Open in app',
    'Skip Ad',
    'Report this ad',
    'Print Friendly, PDF & Email',
    'Loading...',
    'Font size',
    'Text size',
    'Terms & Conditions',
    'Privacy Policy',
    'Cookie Settings',
    'Do Not Sell My Personal Information',
    'Accessibility',
    'Site Map',
    'Advertise with us',
    '3 Comments',
    '12 Shares',
    '1.2K views',
    'Reading time: 4 minutes',
    'Share this story',
    'Join the conversation',
    'Show Comments',
    'Most Viewed',
    'Read This Next',
    'What to Read Next',
    'Keep Reading',
    'Popular on the site',
    'Comments are closed.',
    'This entry was posted in News and tagged budget, council.',
    'Bookmark the permalink.',
    'Posted by Jane Doe at 10:15 AM',
    'Written by Jane Doe',
    'Previous Post',
    'Newer Post Older Post Home',
    'Subscribe to: Post Comments (Atom)',
    'Labels: budget, council',
    'No comments:',
    'Post a Comment',
    'Powered by WordPress',
    'Theme by Example Themes',
    'Proudly powered by WordPress',
    'Sorry, your browser does not support inline SVG.',
    'Opens in new window',
    'Copy Link',
    'Save',
    'Saved',
    'Gift this article',
    'Unlock this article',
    'Subscribe for full access',
    'Get unlimited access',
    'Log in to continue reading',
    'Continue reading with a subscription',
    'Jump to Recipe',
    'Print Recipe',
    'Pin Recipe',
    'Rate this recipe',
    'Jump to Recipe Print Recipe',
    'Skip to content',
    'Toggle navigation',
    'Search for:',
    'Search …',
    'Primary Menu',
    'Close menu',
    'Reader Interactions',
    'Primary Sidebar',
    'Footer',
    'Continue reading →',
    'Read more »',
    'Filed Under: Recipes, Dinner',
    'Cover image by Jane Doe on Unsplash',
    'Photo by Jane Doe on Unsplash',
    'Image via Shutterstock',
    '(Reuters)',
    'Follow me on Instagram @janedoe',
    'Get the latest from TODAY',
    'Sign up for our free newsletter',
    'Click here to subscribe',
    'Want to read more? Subscribe today.',
    'Support us on Patreon',
    'Buy me a coffee',
    'Donate',
    'Share your thoughts in the comments below!',
    'What do you think? Let us know in the comments.',
    'Let us know what you think in the comments below.',
    'Did you enjoy this article?',
    'Was this article helpful?',
    'Yes No',
    'Thanks for your feedback!',
    'Report an issue',
    'Suggest an edit',
    'Edit this page',
    'Last updated: March 3, 2021',
    'Reviewed by Dr. Jane Doe, MD',
    'Fact checked by John Smith',
    'Table of Contents',
    'In this article',
    'jane.doe@example.com',
    'Write to Jane Doe at jane.doe@example.com',
    'Contact Jane Doe: jane.doe@example.com',
    '12.3K shares',
    '2 hours ago',
    '5h ago',
    'Just now',
    'View gallery',
    '1 of 12',
    'Photo 3 of 10',
    'Expand',
    'Collapse',
    'Show less',
    'Read less',
    'Open image in gallery',
    'Watch live',
    'Trending:',
    'Topics:',
    'In this story:',
    'Related Topics: Politics, Budget',
    'Story continues',
    'Continue Reading Below',
    'Most Shared',
    "Editors' Picks",
    'Featured',
    'Also Read',
    'See more',
    'More Videos',
    'Up Next',
    'Autoplay',
    'Volume 90%',
    'Press shift question mark to access a list of keyboard shortcuts',
    'Keyboard Shortcuts',
    'Enabled',
    'Disabled',
    'Loading video',
    'Watch Next',
    'Sign in to comment',
    'Log in or register to post comments',
    'Comments have been disabled for this article.',
    'Please read our Comment Policy before commenting.',
    'Thanks for signing up!',
    'By clicking Sign up, you agree to our privacy policy.',
    'Invalid email address',
    'Check your email to confirm your subscription',
    'Get breaking news alerts',
    'Turn on notifications',
    'Allow notifications',
    'Download PDF',
    'Print article',
    'Cite this article',
    'Reprints & Permissions',
    'License this content',
    'Corrections policy',
    'Send a tip',
]

#: The article's own sentences with the words the boilerplate rules look for.
CONTENT = [
    'More than 2 million people subscribe to the service, the company said.',
    'Shares of the retailer fell 8 percent in early trading on Wednesday.',
    'Follow the river north for two miles and you reach the old mill.',
    'The senator said she would print the full report and share it with colleagues.',
    'Comments from the minister drew criticism from opposition parties.',
    'The advertisement ran during the Super Bowl and cost $5 million.',
    'Cookies were handed out to children at the parade.',
    'Download speeds in rural areas remain far below the national average.',
    'Listen to the victims, the judge told the court.',
    'The video shows officers entering the building shortly after midnight.',
    'Page after page of the diary describes life in the camp.',
    'Tags on the animals help researchers track their migration.',
    'Posted in front of the building, guards checked every visitor.',
    'Read the room, her coach told her before the final.',
    'Related species were found on the other side of the island.',
    'Back to the drawing board, the engineers said after the test failed.',
    'Print newspapers have lost half their readers since 2010.',
    'Sign up deadlines for the program have been extended to March.',
    'Thank you, the mayor said to the volunteers who cleaned the park.',
    'Email records obtained by the newspaper show the deal was discussed in May.',
    'Privacy advocates criticised the new law as too weak.',
    'Copyright lawsuits against the company have multiplied this year.',
    "All rights reserved for members, the club's rules say, including the parking spots.",
    'Learn from the mistakes of the past, the general said.',
    'See you in court, the lawyer told reporters outside.',
    'Continue reading to the end, the teacher told her students.',
    'Watch out for ice on the roads tonight, forecasters warned.',
    'Join us in welcoming the new principal, the school wrote to parents.',
    'About 300 people attended the vigil on Sunday evening.',
    'Most read books in the library were about local history.',
    'Trending topics on the platform included the election and the weather.',
    'Already a member of the union, he joined the strike on Monday.',
    'Next week the council will vote on the plan.',
    'Previous attempts to pass the bill failed in 2015 and 2017.',
    'Home prices rose 5 percent in the year to March.',
    'Menu prices at the restaurant rose after the new tax.',
    'Search teams found the hikers on Tuesday morning.',
    'Close to 40 percent of voters remain undecided.',
    'Top officials met in Geneva on Friday.',
    'Login attempts from abroad were blocked by the bank.',
    'Photo identification will be required at polling stations from next year.',
    'Image quality on the new phone is much better, reviewers said.',
    'Reporting from the scene was difficult because of the smoke.',
    'Audio recordings of the meeting were released by the council.',
    "This content was produced in partnership with the university's medical school.",
    'You have reached the end of the trail when you see the lake.',
    'Already a subscriber to the newspaper, she wrote a letter to the editor.',
    'Contact the author of the study, the agency advised reporters.',
    'See all the photos from the parade in our gallery, the station said.',
]

#: Attribution and disclosures a republisher must keep, as credit lines are kept.
ATTRIBUTION = [
    'This article was originally published on The Conversation.',
    'This story was originally published by ProPublica.',
    'Originally published at example.com',
    "Editor's note: This story has been updated.",
    'Reporting by Jane Doe; Editing by John Smith',
    'This post may contain affiliate links.',
    'As an Amazon Associate I earn from qualifying purchases.',
    'Disclosure: This post contains affiliate links.',
    'Originally posted on Medium.',
    'This article is sponsored by Example Bank.',
]


def _placed(line: str, where: str) -> str:
    parts = {"start": [line, *ARTICLE], "middle": [*ARTICLE[:2], line, *ARTICLE[2:]],
             "end": [*ARTICLE, line]}[where]
    return "\n".join(parts)


def _blocks(line: str, where: str) -> list[str]:
    return CLEANER.clean(_placed(line, where), source_format="text", to="text").output.strip().split("\n\n")


#: Prompts that open a comment section: between two paragraphs of the article no section follows.
EDGES_ONLY = {"Leave a comment", "Leave a Reply Cancel reply", "3 Comments", "Comments are closed.", "Post a Comment"}


@pytest.mark.parametrize(("line", "where"), [(line, where) for line in BOILERPLATE
                                            for where in ("start", "middle", "end")
                                            if not (where == "middle" and line in EDGES_ONLY)])
def test_boilerplate_goes_wherever_it_stands(line, where):
    assert _blocks(line, where) == ARTICLE


@pytest.mark.parametrize("where", ["start", "middle", "end"])
@pytest.mark.parametrize("line", CONTENT + ATTRIBUTION)
def test_the_articles_own_lines_stay(line, where):
    blocks = _blocks(line, where)
    assert line in blocks
    assert [b for b in blocks if b != line] == ARTICLE


#: The same families on pages in other languages, each beside an article in its language.
ARTICLES = {
    "de": ["Der Stadtrat hat am Dienstag nach einer langen Debatte den Haushalt beschlossen, und die Verwaltung erklärte, dass die neuen Ausgaben im Frühjahr beginnen sollen.",
      "Die Opposition kritisierte, dass der Plan auf zu optimistischen Prognosen beruhe, doch der Finanzausschuss verwies auf die Einnahmen der vergangenen drei Jahre.",
      "Als erste Projekte nannte die Bürgermeisterin die Sanierung von Straßen und den Bau von zwei neuen Bibliotheken in den nördlichen Stadtteilen.",
      "Die Bürger können die Pläne im nächsten Monat bei zwei öffentlichen Versammlungen kommentieren, und der Zeitplan erscheint vor dem Sommer auf der Website der Stadt."],
    "fr": ["Le conseil municipal a adopté mardi le budget après un long débat, et les services de la ville ont indiqué que les nouvelles dépenses commenceraient au printemps.",
      "L'opposition a estimé que le plan reposait sur des prévisions trop optimistes, mais la commission des finances a rappelé les recettes des trois dernières années.",
      "La maire a cité comme premiers projets la réfection des routes et la construction de deux nouvelles bibliothèques dans les quartiers nord de la ville.",
      "Les habitants pourront commenter les projets lors de deux réunions publiques le mois prochain, et le calendrier sera publié sur le site de la ville avant l'été."],
    "es": ["El ayuntamiento aprobó el martes el presupuesto tras un largo debate, y los responsables explicaron que los nuevos gastos comenzarán en la primavera.",
      "La oposición criticó que el plan se basa en previsiones demasiado optimistas, pero la comisión de hacienda recordó los ingresos de los tres últimos años.",
      "La alcaldesa citó como primeros proyectos la reparación de calles y la construcción de dos nuevas bibliotecas en los barrios del norte de la ciudad.",
      "Los vecinos podrán comentar los planes en dos reuniones públicas el mes que viene, y el calendario se publicará en la web del ayuntamiento antes del verano."],
}
FOREIGN = {
    "de": [
        'Artikel teilen',
        'Teilen',
        'Auf Facebook teilen',
        'Mehr zum Thema',
        'Lesen Sie auch',
        'Das könnte Sie auch interessieren',
        'Anzeige',
        'Zum Seitenanfang',
        'Newsletter abonnieren',
        'Jetzt abonnieren',
        'Kommentare',
        'Datenschutz',
        'Impressum',
        'Alle Rechte vorbehalten.',
        'Foto: dpa',
        'Bild: picture alliance / dpa',
        'Weiterlesen',
        'Mehr lesen',
        'Zurück nach oben',
        'Drucken',
        'Schlagworte: Haushalt, Stadtrat',
        'Diesen Artikel teilen',
    ],
    "fr": [
        'Partager',
        'Partager sur Facebook',
        'Lire aussi',
        'À lire aussi',
        'Abonnez-vous',
        'Publicité',
        'Sur le même sujet',
        'Tous droits réservés',
        'Photo : AFP',
        'Retour en haut',
        'Imprimer',
        'Commentaires',
        'Mentions légales',
    ],
    "es": [
        'Compartir',
        'Compartir en Facebook',
        'Lee también',
        'Te puede interesar',
        'Suscríbete',
        'Publicidad',
        'Todos los derechos reservados',
        'Foto: EFE',
        'Volver arriba',
        'Imprimir',
        'Comentarios',
        'Aviso legal',
    ],
}
FOREIGN_CONTENT = {
    "de": ["Teilen Sie uns Ihre Meinung mit, bat die Bürgermeisterin die Anwohner.",
           "Kommentare des Ministers sorgten am Mittwoch für Kritik in der Opposition.",
           "Mehr zum Thema Haushalt will der Stadtrat im Januar vorlegen."],
    "fr": ["Partager les coûts entre les communes reste difficile, selon le maire.",
           "Les commentaires du ministre ont suscité des critiques mercredi."],
    "es": ["Compartir los gastos entre los municipios sigue siendo difícil, según el alcalde.",
           "Los comentarios del ministro provocaron críticas el miércoles."],
}


@pytest.mark.parametrize(("language", "line", "where"), [
    (language, line, where) for language, lines in FOREIGN.items() for line in lines for where in ("start", "end")])
def test_boilerplate_in_other_languages_goes(language, line, where):
    article = ARTICLES[language]
    source = "\n".join([line, *article] if where == "start" else [*article, line])
    blocks = CLEANER.clean(source, source_format="text", to="text").output.strip().split("\n\n")
    assert blocks == article


@pytest.mark.parametrize(("language", "line"), [
    (language, line) for language, lines in FOREIGN_CONTENT.items() for line in lines])
def test_sentences_in_other_languages_with_those_words_stay(language, line):
    article = ARTICLES[language]
    source = "\n".join([*article[:2], line, *article[2:]])
    blocks = CLEANER.clean(source, source_format="text", to="text").output.strip().split("\n\n")
    assert blocks == [*article[:2], line, *article[2:]]


#: What pages print between the headline and the article.
TITLE = "Council approves budget after long debate"
UNDER_THE_TITLE = [
    ["COUNCIL APPROVES BUDGET AFTER LONG DEBATE"],
    ["Council approves budget after long debate - The Daily Courier"],
    ["Home » News » Council approves budget after long debate"],
    ["By Jane Doe | November 19, 2019"],
    ["By Jane Doe", "November 19, 2019"],
    ["Jane Doe, Staff Writer", "Published 9:02 a.m. ET Nov. 19, 2019"],
    ["Nov 19, 2019 | 3 min read"],
    ["Updated November 19, 2019 at 9:02 am"],
    ["Share", "Tweet", "Email"],
    ["Posted by Jane Doe on November 19, 2019"],
    ["Jane Doe", "Senior Reporter"],
    ["5 comments"],
    ["Advertisement"],
    ["Listen to this article"],
]


@pytest.mark.parametrize("lines", UNDER_THE_TITLE, ids=lambda lines: lines[0])
def test_what_stands_under_the_title_goes(lines):
    source = "\n".join([TITLE, *lines, *ARTICLE])
    output = CLEANER.clean(source, source_format="text", to="markdown").output
    assert output.strip().split("\n\n") == [f"# {TITLE}", *ARTICLE]


#: What pages print after the article, several lines at a time.
AFTER_THE_ARTICLE = [
    ["Share this:", "Twitter", "Facebook", "Like this:", "Like Loading...", "Related"],
    ["Related Articles", "City unveils new library plans", "Mayor announces road repairs", "Budget vote delayed again"],
    ["About the Author", "Jane Doe is a reporter for the Daily Courier. She covers city hall and local politics."],
    ["Tags: budget, council, city hall", "Share on Facebook", "Share on Twitter"],
    ["Leave a Reply", "Your email address will not be published. Required fields are marked *", "Comment",
     "Name *", "Email *", "Website", "Post Comment"],
    ["You may also like", "City unveils new library plans",
     "The mayor said on Monday that two new libraries would open next year in the north of the city.",
     "Mayor announces road repairs",
     "Work on the roads will start in April and last for six weeks, the city's engineers said."],
    ["© 2019 The Daily Courier. All rights reserved.", "Privacy Policy | Terms of Use | Contact Us"],
    ["Sign up for our newsletter", "Enter your email", "Subscribe", "We respect your privacy."],
    ["Most Popular", "1", "City unveils new library plans", "2", "Mayor announces road repairs", "3",
     "Budget vote delayed again"],
    ["Previous article", "City unveils new library plans", "Next article", "Mayor announces road repairs"],
    ["Jane Doe", "Jane Doe is a staff writer covering city hall and local politics for the Courier.", "View all posts"],
]


@pytest.mark.parametrize("lines", AFTER_THE_ARTICLE, ids=lambda lines: lines[0])
def test_what_follows_the_article_goes(lines):
    source = "\n".join([TITLE, *ARTICLE, *lines])
    output = CLEANER.clean(source, source_format="text", to="markdown").output
    assert output.strip().split("\n\n") == [f"# {TITLE}", *ARTICLE]


@pytest.mark.parametrize("kicker", ["Opinion", "Politics", "Breaking News", "EXCLUSIVE", "Analysis", "Live"])
def test_a_section_label_over_the_headline_goes_and_the_headline_is_the_title(kicker):
    output = CLEANER.clean("\n".join([kicker, TITLE, *ARTICLE]), source_format="text", to="markdown").output
    assert output.strip().split("\n\n") == [f"# {TITLE}", *ARTICLE]


def test_a_one_word_title_that_is_no_section_label_stays():
    output = CLEANER.clean("\n".join(["Hamlet", *ARTICLE]), source_format="text", to="markdown").output
    assert output.strip().split("\n\n") == ["# Hamlet", *ARTICLE]
