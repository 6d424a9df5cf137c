"""Names in languages other than English: function words, days and months are never names;
quotes in single quotes and French guillemets; capitals of other
scripts. (reader.stories.text and the grouping that reads its names.)"""

from __future__ import annotations

import shutil
from pathlib import Path

from rapidfuzz.utils import default_process

from reader import stories
from reader.library import Library

_DAY = 86_400.0
_START = 1_709_539_200.0  # 2024-03-04 08:00 UTC


def _item(item_id: str, hours: float, title: str, excerpt: str, language: str | None) -> stories.Item:
    return stories.Item(item_id, _START + hours * 3_600, stories.read_words(title, excerpt), frozenset(),
                        title=default_process(title), language=language)


def _stories(*items: stories.Item) -> dict[str, str]:
    grouper = stories.Grouper()
    for item in sorted(items, key=lambda i: i.order):
        grouper.add(item)
    return {item.id: grouper.story_of[item.id] for item in items}


# --------------------------------------------------------------------------- function words


def test_function_words_days_and_months_of_other_languages_are_never_names() -> None:
    french = stories.read_words("Revue de presse", "Ce matin, selon Le Monde, La Croix et Les Echos, la réforme passe. "
                                                   "EN IMAGES, le défilé du mardi.")
    assert {"monde", "croix", "echos"} <= french.names
    assert not {"le", "la", "les", "en", "ce", "selon"} & (french.names | french.openers)
    german = stories.read_words("Presse", "Heute berichten Die Zeit, Der Spiegel und Das Erste. Der Rat tagt am Montag "
                                          "und am Dienstag im Januar; Weitere Informationen finden Sie im Dezember.")
    assert not {"die", "der", "das", "montag", "dienstag", "januar", "dezember", "sie", "im"} & (german.names | german.openers)
    assert {"montag", "dienstag", "januar", "dezember"} <= german.words  # (never a name, still a word)
    others = stories.read_words("Notizie", "Secondo Il Sole, El País y Los Angeles; Het Parool en De Telegraaf; "
                                           "O Globo e Os Lusíadas; Den svenska Dagens Nyheter i Januari.")
    assert not {"il", "el", "los", "het", "de", "en", "o", "os", "den", "januari"} & (others.names | others.openers)
    assert {"sole", "país", "angeles", "parool", "telegraaf", "globo", "dagens", "nyheter"} <= others.names


def test_acronyms_that_are_function_words_elsewhere_stay_names_in_capitals() -> None:
    """UN and MIT are names; French "Un" and German "Mit" opening a sentence are not."""
    english = stories.read_words("Report", "The UN, AI firms in LA and researchers at MIT said so. Un, dos, tres. Mit Vergnügen.")
    assert {"un", "ai", "la", "mit"} <= english.names
    french = stories.read_words("Un incendie", "Un incendie a ravagé un immeuble. Mit dem Feuer.")
    assert not {"un", "mit"} & (french.names | french.openers)


def test_a_newspaper_named_le_monde_makes_no_french_article_a_name() -> None:
    """Once an article quotes Le Monde, La Croix and Les Echos, a Paris fire and a Paris strike
    (both opening sentences with Le, La, Les, Un) must not share those as names."""
    background = _item("bg", -24 * 60, "Revue de presse", "Ce matin, la presse parisienne est unanime, selon Le Monde, "
                                                         "La Croix et Les Echos. Le sujet reste la réforme.", "fr")
    fire = _item("fire", 0, "Un incendie ravage un immeuble",
                 "Un incendie a ravagé un immeuble du XIe arrondissement de Paris lundi soir. Le feu a pris au troisième "
                 "étage. La cause reste inconnue. Les habitants ont été relogés.", "fr")
    strike = _item("strike", 6, "Grève dans les transports",
                   "Une grève perturbe le métro à Paris depuis lundi matin. Le trafic est très réduit sur plusieurs "
                   "lignes. La direction appelle au dialogue. Les usagers sont invités à différer leurs déplacements.", "fr")
    placed = _stories(background, fire, strike)
    assert placed["fire"] != placed["strike"]


FEEDS = Path(__file__).parent / "data" / "feeds-real"


# --------------------------------------------------------------------------- quotes


def test_a_title_quoting_in_single_quotes_joins_its_story_in_the_real_feed(tmp_path: Path) -> None:
    """Deutsche Welle's feed: "Ukraine athlete Heraskevych: 'My Olympic moment was stolen'" is
    the skeleton racer banned over his memorial helmet, as are "IOC bars Ukrainian skeleton
    racer …" and "Vladislav Heraskevych's Olympic helmet appeal dismissed" ("My" opens the
    quote: it is no name, nor the title's subject)."""
    folder = tmp_path / "feed"
    folder.mkdir()
    shutil.copy(FEEDS / "kagi-rdf-dw-141-items.xml", folder)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        story_of = dict(library.db.execute("SELECT a.title, m.story FROM articles a JOIN story_members m ON m.article = a.id"))
    quoted = story_of["Ukraine athlete Heraskevych: 'My Olympic moment was stolen'"]
    assert quoted == story_of["Vladislav Heraskevych's Olympic helmet appeal dismissed"]
    assert quoted == story_of["IOC bars Ukrainian skeleton racer from wearing memorial helmet at Olympics"]
