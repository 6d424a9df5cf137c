"""Plain article text: headlines, captions, shortening, paragraphs and titles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.plaintext import (
    DERIVED_TITLE_CHARS,
    EXCERPT_CHARS,
    HEADING,
    PREFORMATTED,
    TEXT,
    Block,
    blocks,
    first_sentence,
    is_caption,
    looks_like_headline,
    paragraphs,
    read_plain_text,
    shorten,
)

# --------------------------------------------------------------------------- headlines


@pytest.mark.parametrize(
    "line",
    [
        "Facebook Joins YouTube & LinkedIn, Warns Clearview AI To Stop Scraping Images From Their Platforms",
        "Twitter demands AI company stops 'collecting faces'",
        "Is this the end of face recognition?",
        "Robots are coming!",
        "Wait for it...",
        "AI",
        "  Padded headline  ",
        "x" * 160,
        " ".join(["word"] * 24),
    ],
)
def test_headlines(line: str) -> None:
    assert looks_like_headline(line)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   ",
        "This line ends like a sentence.",
        "Ends with a comma,",
        "Ends with a semicolon;",
        "Ends with a colon:",
        "x" * 161,
        " ".join(["word"] * 25),
        "Photo: Getty Images",
        "A robot at work (AP Photo/Patrick Semansky)",
    ],
)
def test_not_headlines(line: str) -> None:
    assert not looks_like_headline(line)


# --------------------------------------------------------------------------- captions


@pytest.mark.parametrize(
    "paragraph",
    [
        "This March 20, 2018 file photo shows the YouTube app on an iPad in Baltimore. (AP Photo/Patrick Semansky)",
        "Denna filbild visar YouTube-appen på en iPad i Baltimore. (AP Photo/Patrick Semansky)",
        "Photo: Getty Images",
        "photo : someone",
        "Foto: TT",
        "Bild: Reuters",
        "Image: Shutterstock",
        "Protesters outside the building (Foto: TT)",
        "Protesters outside the building (Bild: Reuters)",
        "The scene on Monday (Reuters)",
        "The scene on Monday (Getty Images)  ",
        "The scene on Monday (AFP via Getty)",
        "A factory floor (Picture: Alamy)",
    ],
)
def test_captions(paragraph: str) -> None:
    assert is_caption(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Facebook gick med i YouTube, Twitter och betaltjänsten Venmo.",
        "The company released photos of the robot on Monday.",
        "The photo app (which has 1 billion users) was fined.",
        "He told Reuters the deal was off.",
        "A new camera arrives (photos inside)",  # "photos" is not the word "photo"
        "The image (see above) shows it.",  # the parenthesis does not end the paragraph
        "",
    ],
)
def test_not_captions(paragraph: str) -> None:
    assert not is_caption(paragraph)


# --------------------------------------------------------------------------- shorten


def test_shorten_keeps_short_text_whole_with_spacing_normalized() -> None:
    assert shorten("A short   text\n here", 40) == "A short text here"
    assert shorten("exactly ten", 11) == "exactly ten"


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    text = "The quick brown fox jumps over the lazy dog"
    assert shorten(text, 20) == "The quick brown fox…"
    assert shorten(text, 25) == "The quick brown fox…"  # "jumps" would not fit
    assert shorten(text, 26) == "The quick brown fox jumps…"


def test_shorten_drops_trailing_punctuation_before_the_ellipsis() -> None:
    assert shorten("One, two, three, four, five, six", 15) == "One, two…"
    assert shorten("Alpha - beta - gamma - delta", 14) == "Alpha - beta…"


def test_shorten_cuts_inside_a_word_rather_than_losing_most_of_the_text() -> None:
    # The only space is too early to cut at: the word itself is cut.
    assert shorten("Hi ansiktsigenkänningsföretaget", 20) == "Hi ansiktsigenkänni…"


def test_shorten_limit_one() -> None:
    assert shorten("Hello world", 1) == "…"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=200))
def test_shorten_never_exceeds_the_limit(text: str, limit: int) -> None:
    result = shorten(text, limit)
    assert len(result) <= limit
    normal = " ".join(text.split())
    if len(normal) <= limit:
        assert result == normal
    else:
        assert result.endswith("…")
        kept = result[:-1]
        assert normal.startswith(kept)
        # When a space falls in the second half of the room, the cut is at a word boundary:
        # the text goes on with a space (or with punctuation dropped before the ellipsis).
        if " " in normal[limit // 2 + 1 : limit]:
            assert normal[len(kept)] in " ,;:-–—"


# --------------------------------------------------------------------------- paragraphs


def test_paragraphs_separated_by_blank_lines() -> None:
    text = "First paragraph\ncontinues here.\n\n\nSecond   paragraph.\n  \t \nThird."
    assert paragraphs(text) == ["First paragraph continues here.", "Second paragraph.", "Third."]


def test_paragraphs_one_per_line_when_there_are_no_blank_lines() -> None:
    text = "  First line.\nSecond line.\n\tThird   line.\n"
    assert paragraphs(text) == ["First line.", "Second line.", "Third line."]


def test_paragraphs_of_nothing() -> None:
    assert paragraphs("") == []
    assert paragraphs("\n\n  \n") == []


def test_first_sentence() -> None:
    assert first_sentence("One thing happened. Then another.") == "One thing happened."
    assert first_sentence('"Quoted," he said. "Next one."') == '"Quoted," he said.'
    assert first_sentence("Is it? Yes.") == "Is it?"
    assert first_sentence("Version 2.0 is out. Then 3.") == "Version 2.0 is out."
    assert first_sentence("Mr. smith stayed. End.") == "Mr. smith stayed."
    assert first_sentence("No end at all") == "No end at all"
    assert first_sentence("Sverige röstade. Överraskande nog.") == "Sverige röstade."


# --------------------------------------------------------------------------- read_plain_text


def test_read_plain_text_blank() -> None:
    assert read_plain_text("") is None
    assert read_plain_text(" \n\t\n ") is None


def test_read_plain_text_headline_and_body() -> None:
    plain = read_plain_text("\n\n  Robots Take Over  \n\nFirst paragraph here.\n\nSecond paragraph.\n")
    assert plain is not None
    assert plain.title == "Robots Take Over"
    assert plain.excerpt == "First paragraph here."
    assert plain.body == "First paragraph here.\n\nSecond paragraph."


def test_read_plain_text_headline_only() -> None:
    plain = read_plain_text("Just a headline\n")
    assert plain is not None
    assert plain.title == "Just a headline"
    assert plain.body == ""
    assert plain.excerpt is None


def test_read_plain_text_title_from_the_first_sentence() -> None:
    text = "The company said on Monday it would stop. It gave no reason.\n\nMore text follows."
    plain = read_plain_text(text)
    assert plain is not None
    assert plain.title == "The company said on Monday it would stop."
    assert plain.excerpt == "The company said on Monday it would stop. It gave no reason."
    assert plain.body == text.strip()


def test_read_plain_text_skips_a_leading_caption() -> None:
    text = (
        "A robot stands in a lab on March 3, 2020. (AP Photo/Jane Doe)\n\n"
        "Researchers said the robot learned to walk. It took a week.\n\n"
        "Second paragraph."
    )
    plain = read_plain_text(text)
    assert plain is not None
    assert plain.title == "Researchers said the robot learned to walk."
    assert plain.excerpt == "Researchers said the robot learned to walk. It took a week."
    assert "AP Photo" in plain.body


def test_read_plain_text_only_captions() -> None:
    plain = read_plain_text("A robot in a lab on Monday. (AP Photo/Jane Doe)")
    assert plain is not None
    assert plain.title == "A robot in a lab on Monday."


def test_read_plain_text_long_sentence_title_is_shortened() -> None:
    sentence = " ".join(["word"] * 60) + "."
    plain = read_plain_text(sentence)
    assert plain is not None
    assert plain.title.endswith("…")
    assert len(plain.title) <= DERIVED_TITLE_CHARS
    assert plain.title == " ".join(["word"] * 18) + "…"  # 89 characters and the ellipsis


def test_read_plain_text_long_excerpt_is_shortened() -> None:
    paragraph = " ".join(["lorem"] * 100)
    plain = read_plain_text("Headline\n\n" + paragraph)
    assert plain is not None
    assert plain.excerpt is not None
    assert plain.excerpt.endswith("…")
    assert len(plain.excerpt) <= EXCERPT_CHARS
    assert paragraph.startswith(plain.excerpt[:-1])


def test_read_plain_text_one_paragraph_per_line() -> None:
    plain = read_plain_text("Headline\nFirst line of text.\nSecond line of text.")
    assert plain is not None
    assert plain.title == "Headline"
    assert plain.excerpt == "First line of text."
    assert plain.body == "First line of text.\nSecond line of text."


def test_read_plain_text_one_huge_line() -> None:
    text = "word " * 50_000
    plain = read_plain_text(text)
    assert plain is not None
    assert len(plain.title) <= DERIVED_TITLE_CHARS
    assert plain.excerpt is not None and len(plain.excerpt) <= EXCERPT_CHARS


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_read_plain_text_titles_are_bounded_and_present(text: str) -> None:
    plain = read_plain_text(text)
    if not text.strip():
        assert plain is None
        return
    assert plain is not None
    assert plain.title.strip()
    assert len(plain.title) <= 160
    assert plain.excerpt is None or len(plain.excerpt) <= EXCERPT_CHARS


# --------------------------------------------------------------------------- shapes


def test_blocks_keep_headings_and_preformatted_text() -> None:
    text = "Intro\n\nHow to\n\nRun this:\n\ndef main():\n    print('hi')\n    return 0\n\nDone."
    assert blocks(text) == [
        Block(TEXT, "Intro"),  # followed by a heading: not one itself
        Block(HEADING, "How to"),
        Block(TEXT, "Run this:"),
        Block(PREFORMATTED, "def main():\n    print('hi')\n    return 0"),
        Block(TEXT, "Done."),
    ]


def test_indentation_of_a_preformatted_block_is_kept_from_its_first_line() -> None:
    text = "Usage:\n\n  reader check FILE\n    --json   as JSON\n\nThat is all."
    assert blocks(text)[1] == Block(PREFORMATTED, "  reader check FILE\n    --json   as JSON")
    # a text that is only a preformatted block stays one block
    assert blocks("x = 1\n  y = 2\n  z = 3") == [Block(PREFORMATTED, "x = 1\n  y = 2\n  z = 3")]


def test_wrapped_prose_is_text() -> None:
    text = "The ferry company will run\nfewer crossings from\nDecember on.\n\nTickets stay valid."
    assert blocks(text) == [
        Block(TEXT, "The ferry company will run fewer crossings from December on."),
        Block(TEXT, "Tickets stay valid."),
    ]
    # without blank lines, one paragraph a line, as paragraphs() splits them
    assert [b.text for b in blocks("One.\nTwo.\nThree.")] == paragraphs("One.\nTwo.\nThree.")


@pytest.mark.parametrize(
    "short",
    [
        "• a list item",
        "- a list item",
        "1. the first step",
        "Run this:",
        "Done.",
        "Photo: Getty Images",
        "Really!",
        "(a note)",
        " ".join(["word"] * 13),
    ],
)
def test_short_lines_that_are_no_headings(short: str) -> None:
    assert blocks(f"{short}\n\nA paragraph of text follows here, as a sentence does.")[0] == Block(TEXT, short)


def test_a_run_of_short_lines_or_a_last_line_is_no_heading() -> None:
    rows = "Oslo 4\n\nBergen 7\n\nTromsø 12\n\nThe forecast for tomorrow."
    assert [b.kind for b in blocks(rows)][:2] == [TEXT, TEXT]
    assert blocks("A sentence.\n\nThe end")[-1] == Block(TEXT, "The end")


def test_one_huge_word_is_one_text_block() -> None:
    assert blocks("x" * 200_000) == [Block(TEXT, "x" * 200_000)]


def test_an_excerpt_within_the_text_whatever_its_line_breaks() -> None:
    """The article pane shows an excerpt apart only when the text does not show it already:
    anywhere in the text, whatever its line breaks and spaces, maybe cut short with an
    ellipsis (then long enough to say nothing more than the text)."""
    from reader.plaintext import within

    text = "The council voted on Tuesday\nto expand the bus network.\n\nMore buses will run from June.\n\nPhoto gallery: the new buses"
    assert within("The council voted on Tuesday to expand the bus network.", text)  # wrapped in the text
    assert within("The council voted on Tues…", text)
    assert within("The council voted on Tuesday [...]", text)
    assert within("to expand the bus network.", text)  # a sentence from a paragraph's middle
    assert within("More buses will run from June. Photo gallery…", text)  # running into the next paragraph
    assert within("More buses will run from May…", text) is False  # other words
    assert within("Photo…", text) is False  # cut too short: says more than "Photo gallery: ..."
    assert within("Short.", "Short.\n\nThe rest of the text.")  # whole, however short
    assert within("…", text) is False and within("", text) is False


def test_a_feeds_summary_that_starts_its_text_is_no_excerpt_of_its_own() -> None:
    """A feed's summary is kept as the article's excerpt unless it is only the start of the
    text: one that is another part of it (a paragraph of its own, a quoted sentence) stays the
    article's summary for lists, searches and exports."""
    from reader.plaintext import starts

    text = "The council voted on Tuesday\nto expand the bus network.\n\nMore buses will run from June."
    assert starts("The council voted on Tuesday to expand the bus network.", text)
    assert starts("The council voted on Tues…", text)
    assert starts("More buses will run from June.", text) is False  # a later paragraph
    assert starts("Python 3.11.16", "Python 3.11.16\n\nThe release notes.") is False  # short: kept as the summary
