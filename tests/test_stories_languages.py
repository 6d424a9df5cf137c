"""Names in languages other than English: their function words, days and months make no other
article's sentence opener a name;
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


def test_other_languages_function_words_inside_a_sentence_make_no_other_articles_opener_a_name() -> None:
    """Le Monde, Die Zeit, EN IMAGES, IM (an instant messenger): capitalised inside a sentence of
    one article, le, die, en, im make no later article's sentence opener a name."""
    grouper = stories.Grouper()
    grouper.add(_item("press", 0, "Revue de presse", "Ce matin, selon Le Monde, La Croix et Les Echos, la réforme passe. "
                                                     "Heute berichten Die Zeit und Das Erste. EN IMAGES, le défilé. Un IM client. "
                                                     "Made In America.", None))
    later = _item("later", 1, "Le feu", "Le feu a pris. La cause reste inconnue. Les habitants sont relogés. Un voisin a "
                                         "appelé. En effet. Die Feuerwehr kam. Das Haus brannte. Im Keller war nichts. In der Nacht.", "fr")
    vector = grouper.weights.vector(later.words)
    assert not {"@le", "@la", "@les", "@un", "@en", "@die", "@das", "@im", "@in"} & vector.keys()
    # (an English word capitalised inside a sentence still makes another article's opener a name)
    grouper.add(_item("en", 2, "Mozilla", "Mozilla shipped Firefox OS phones in Las Vegas.", "en"))
    assert "@firefox" in grouper.weights.vector(_item("x", 3, "Firefox", "Firefox is back.", "en").words)


def test_real_names_and_acronyms_that_are_function_words_elsewhere_stay_names() -> None:
    """Las Vegas, Des Moines, Heung-min Son, Firefox OS, the UN, MIT, CES: names inside a sentence
    or in capitals, whatever they mean in other languages."""
    english = stories.read_words("Report", "The UN, AI firms in LA and researchers at MIT and CES said so; Firefox OS "
                                           "shipped in Las Vegas and Des Moines, and Heung-min Son scored.")
    assert {"un", "ai", "la", "mit", "ces", "os", "las", "des", "son"} <= english.names


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
