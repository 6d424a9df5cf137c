"""The quick regular expressions of reader.stories.text find what the plain ones do.

The plain patterns below are how the words, the capitalised words and the sentence openers
are defined (a look-behind before the capital, ``^`` among the openers, one pattern for any
text); the module's patterns are written so that the engine can skip ahead, and must find
the same words, in the same order, on any text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.stories import text

CAPITAL = text._CAPITAL  # (the letters are the module's; how it finds words is what is compared)
PLAIN_LONG_WORDS = re.compile(r"[^\W\d_][\w&-]+\w")
PLAIN_CAPITALISED = re.compile(rf"(?<![\w&-])[{CAPITAL}](?:[\w&-]*\w)?")
DASH = r"(?:[–—-]\s+)?"  # (a quote that opens with a dash)
CLOSING = r"(?:[\"'”’)]|\s*»)*"  # (quotes and brackets that close, and a French » with the spaces before it)
PLAIN_OPENING = re.compile(
    rf"(?:^|[.!?…:;]{CLOSING}\s+{DASH}|\n\s*{DASH}|[\"“‘(«„]\s*{DASH}|(?<![\w&-])['’])([{CAPITAL}](?:[\w&-]*\w)?)")

# Texts made of what the patterns care about: capitals (ASCII and not), small letters,
# digits, "&", "-", "_", sentence ends, quotes and brackets, spaces and line breaks.
TEXTS = st.text(alphabet="AaZzÉéİıßÞŁłЖжΣσȘșẤấҐґԵրἈἀＮｎ019_&-–.!?…:;\"'”’)(«»„“‘ \n\t\u00a0x", max_size=60)
ASCII_TEXTS = st.text(alphabet="AaZzx019_&-.!?:;\"')( \n\t", max_size=60)


def openers(source: str) -> list[str]:
    """The module's way: the start of the text apart, then the other openers."""
    found = text._OPENING.findall(source)
    first = text._FIRST.match(source)
    return [first[0], *found] if first else found


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_capitalised_words_as_the_plain_pattern_finds_them(source: str) -> None:
    assert text._CAPITALISED.findall(source) == PLAIN_CAPITALISED.findall(source)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_sentence_openers_as_the_plain_pattern_finds_them(source: str) -> None:
    assert openers(source) == PLAIN_OPENING.findall(source)


@settings(max_examples=600, deadline=None)
@given(ASCII_TEXTS)
def test_ascii_words_as_the_plain_pattern_finds_them(source: str) -> None:
    lower = source.lower()
    assert text._LONG_ASCII_WORDS.findall(lower) == PLAIN_LONG_WORDS.findall(lower)
    assert text._ASCII_WORDS.findall(lower) == text.WORDS.findall(lower)
    assert text.word_set(lower) == set(text.WORDS.findall(lower))


def test_examples_of_openers_and_names() -> None:
    assert openers("Investors left. Analysts said “Clearview sold”\nYouTube (Venmo) too") == [
        "Investors", "Analysts", "Clearview", "YouTube", "Venmo"]
    assert text._CAPITALISED.findall("Investors met Clearview-AI and x-Ray; aBc Dd") == ["Investors", "Clearview-AI", "Dd"]
    words = text.read_words("", "Investors left. Then Investors met Clearview. Analysts wrote.")
    assert words.names == frozenset({"investors", "clearview"})  # (once inside a sentence)
    assert words.openers == frozenset({"then", "analysts"})


def test_a_quote_that_opens_with_a_dash_opens_a_sentence() -> None:
    """Swedish and Danish open a quote with a dash: "– Vattnet kom i natt" starts a sentence, so
    "Vattnet" (the water) is no name; German opens one with „ or »."""
    words = text.read_words("Vattenläcka stänger skola i Umeå",
                            "Skolan stängs på måndag. – Vattnet kom i natt, säger rektorn.\n– Eleverna får vara hemma.")
    assert {"vattnet", "eleverna"} <= words.openers and not {"vattnet", "eleverna"} & words.names and "umeå" in words.names
    german = text.read_words("Strompreise steigen", "Die Stadtwerke erklärten: „Kunden müssen zahlen.“")
    assert "kunden" in german.openers
    french = text.read_words("Le président parle", "Selon le journal « Libération » Macron a dit non.")
    assert "macron" in french.names  # (» closes a French quote: what follows is no sentence start)


def test_a_quote_in_single_quotes_opens_a_sentence_and_an_apostrophe_does_not() -> None:
    """: 'My Olympic moment was stolen' opens a sentence at "My", as with double quotes;
    "Heraskevych's" and "l'Élysée" are apostrophes inside words."""
    assert openers("Heraskevych: 'My Olympic moment' ‘Our team’ (x) 'lower") == ["Heraskevych", "My", "Our"]
    words = text.read_words("Ukraine athlete Heraskevych: 'My Olympic moment was stolen'", "")
    assert "my" in words.openers and "my" not in words.names and "heraskevych" in words.names
    apostrophes = text.read_words("", "Officials said Clearview's Ton-That met Heraskevych’s coach at l'Élysée.")
    assert {"ton-that", "élysée"} <= apostrophes.names


def test_a_sentence_after_a_french_closing_guillemet_opens() -> None:
    """«Nous changerons la loi.» Ministère … and « C'est fini. » Syndicats …: a sentence opens
    after the period inside the closing », with or without the space before it; after a »
    with no period it does not."""
    assert openers("Il a dit : «Nous changerons la loi.» Ministère et « C'est fini. » Syndicats") == [
        "Il", "Nous", "Ministère", "C", "Syndicats"]
    words = text.read_words("Réforme", "Le ministre a déclaré : «Nous changerons la loi.» Ministère et syndicats "
                                       "discutent. Il a dit : « C'est fini. » Syndicats et patronat signent.")
    assert {"ministère", "syndicats"} <= words.openers and not {"ministère", "syndicats"} & words.names


def test_capitals_beyond_latin_1_make_names() -> None:
    """Cyrillic, Greek and Central European capitals are capitals too."""
    russian = text.read_words("Встреча в Кремле", "Президент России Владимир Путин встретился с лидером Китая.")
    assert {"россии", "владимир", "путин", "китая"} <= russian.names
    central = text.read_words("Factory news", "The plant in Łódź will build the new Škoda for Žilina and Μητσοτάκης.")
    assert {"łódź", "škoda", "žilina", "μητσοτάκης"} <= central.names


def test_armenian_and_polytonic_greek_capitals_make_names() -> None:
    """Armenian has capitals too; Georgian, Chinese, Coptic (whose capitals Ϣ, Ϥ … stand in
    Greek's block) and fullwidth Latin (inside Japanese text, which has no spaces, ＮＨＫによると
    would be one "name") have none."""
    words = text.read_words("report", "A visit to Երևան by Փաշինյան and Ἀθῆναι, then თბილისი, 北京, ⲡⲉⲛⲓⲱⲧ Ϣⲁⲓ Ϧⲏⲙⲓ and ＮＨＫによると.")
    assert {"երևան", "փաշինյան", "ἀθῆναι"} <= words.names
    assert not (words.names | words.openers) - {"երևան", "փաշինյան", "ἀθῆναι"}
    assert "თბილისი" in words.words


def test_the_armenian_full_stop_and_the_greek_question_mark_end_sentences() -> None:
    """Այնուհետև ("then") and Սակայն ("however") open sentences after ։; Ο after ;."""
    armenian = text.read_words("Հրդեհ", "Երեկ Երևանում բռնկվեց հրդեհ։ Այնուհետև հրշեջները ժամանեցին։ Սակայն ոչ ոք չտուժեց։")
    assert {"այնուհետև", "սակայն"} <= armenian.openers and not {"այնուհետև", "սակայն"} & armenian.names
    greek = text.read_words("Ερώτηση", "Τι έγινε\u037e Ο Μητσοτάκης μίλησε.")
    assert "ο" not in greek.names and "μητσοτάκης" in greek.names


def test_a_title_in_capitals_makes_none_of_its_words_names() -> None:
    """VOLKSWAGEN TO CLOSE … IN GERMANY: the capitals say nothing of names ("to", "in", "us"
    are no names); the text's own capitals still do."""
    words = text.read_words("VOLKSWAGEN TO CLOSE THREE PLANTS IN GERMANY FOR US MARKET",
                            "Volkswagen plans to close plants, the works council in Wolfsburg said.")
    assert not {"to", "in", "for", "us", "close", "plants", "market"} & words.names
    assert "wolfsburg" in words.names
    short = text.read_words("US TO BAN TIKTOK", "The ban was announced in Washington.")  # (too short to be a headline)
    assert not {"us", "to", "ban", "tiktok"} & short.names and "washington" in short.names


def test_names_in_latin_of_every_accent_greek_and_cyrillic() -> None:
    """Romanian (Ș, Ț: Latin Extended-B), Vietnamese (Ấ, Độ: Latin Extended Additional),
    Polish, Greek, Russian and Ukrainian (Ґ: the Cyrillic supplement) names inside a sentence."""
    words = text.read_words("report", "Officials said Ștefan met Țiriac in Timișoara, Nguyễn in Ấn Độ, "
                                      "Łukasz in Kraków, Αθήνα and Москва, then Ґданськ.")
    assert {"ștefan", "țiriac", "timișoara", "nguyễn", "ấn", "độ", "łukasz", "kraków", "αθήνα", "москва", "ґданськ"} <= words.names



def test_a_title_of_uncased_letters_and_an_acronym_is_not_in_capitals() -> None:
    """str.isupper leaves out letters without case: "NASA 宣布 新的 登月 计划" is no title in
    capitals (which would name nothing), so NASA, written specially, is a name as in any title."""
    assert "nasa" in text.read_words("NASA 宣布 新的 登月 计划", "美国宇航局 周二 宣布").names
    assert "nasa" not in text.read_words("NASA ANNOUNCES A NEW MOON PLAN", "The agency said on Tuesday.").names
    # (a letter without case among capitals, an ʻokina, leaves a title in capitals)
    assert not text.read_words("TSUNAMI WARNING ISSUED FOR HAWAIʻI", "The agency said on Tuesday.").names
