"""What the window shows of long values (reader/display.py) and language names (reader/language.py)."""

from __future__ import annotations

import pytest

from reader.display import ELLIPSIS, SPACE_CHARS, WORD_CHARS, breakable, cased_names, clip, clip_middle, kept_spaces, more
from reader.language import code_of
from reader.search import QueryError, parse_query


def test_clip() -> None:
    assert clip("short", 10) == "short"
    assert clip("a" * 11, 10) == "a" * 9 + ELLIPSIS
    assert len(clip("x" * 1_000_000, 200)) == 200


def test_clip_middle_keeps_both_ends() -> None:
    link = "https://news.example/" + "x" * 1000 + "/end.html"
    shown = clip_middle(link, 120)
    assert len(shown) == 120 and shown.startswith("https://news.example/") and shown.endswith("/end.html")
    assert clip_middle("Business Insider India", 12) != clip_middle("Business Insider", 12)
    assert clip_middle("short", 120) == "short"


def test_breakable_breaks_only_long_runs() -> None:
    assert breakable("ordinary words of ordinary length") == "ordinary words of ordinary length"
    broken = breakable("w" * (3 * WORD_CHARS + 5))
    assert broken.count("\u200b") == 3 and broken.replace("\u200b", "") == "w" * (3 * WORD_CHARS + 5)


def test_more() -> None:
    assert more(105, 100) == "… and 5 more"
    assert more(100, 100) == ""


def test_cased_names_of_a_story_evidence() -> None:
    text = "Clearview AI met New York officials; Venmo said no."
    assert cased_names("the same names: ai, clearview, new, venmo, york", text) == (
        "the same names: AI, Clearview, New, Venmo, York"
    )
    assert cased_names("the same names: zorro", text) == "the same names: zorro"  # not in the text: as it was
    assert cased_names("similar titles (85%)", text) == "similar titles (85%)"
    # as the grouping writes it, with how many names the two share
    assert cased_names("the same names (4): venmo, clearview, york, ai", text) == (
        "the same names (4): Venmo, Clearview, York, AI"
    )
    assert cased_names("similar to the story (0.43): venmo, clearview", text) == "similar to the story (0.43): venmo, clearview"
    # (what the grouping writes, by its own constant: the two must not drift apart)
    from reader.stories.matching import NAMES_REASON
    assert cased_names(f"{NAMES_REASON} (2): venmo, ai", text) == f"{NAMES_REASON} (2): Venmo, AI"


@pytest.mark.parametrize(
    ("value", "code"),
    [("en", "en"), ("EN", "en"), ("sv-SE", "sv"), ("English", "en"), ("swedish", "sv"), ("German", "de"),
     ("Scots Gaelic", "gd"), ("scots_gaelic", "gd"), ("klingonese", None), ("", None)],
)
def test_code_of(value: str, code: str | None) -> None:
    assert code_of(value) == code


def test_lang_filter_takes_names() -> None:
    assert parse_query("lang:english").params == parse_query("lang:en").params == ("en",)
    with pytest.raises(QueryError) as caught:
        parse_query("lang:klingonese")
    assert "'klingonese' is not a language" in caught.value.message


def test_kept_spaces_cuts_only_long_runs() -> None:
    assert kept_spaces("a\n    b\tc") == "a\n    b\tc"
    assert kept_spaces("a" + " " * (SPACE_CHARS + 5) + "b") == "a" + " " * SPACE_CHARS + "b"
    assert kept_spaces("\t" * 1000) == "\t" * SPACE_CHARS
