"""What the window shows of long values (reader/display.py) and language names (reader/language.py)."""

from __future__ import annotations

import pytest

from reader.display import ELLIPSIS, SPACE_CHARS, WORD_CHARS, breakable, cased_names, clip, clip_middle, cut_apart, kept_spaces, more
from reader.language import codes_of
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


def reads_as(cut: str, name: str) -> bool:
    """Whether ``cut`` could be ``name`` cut in the middle (its start, "…", its end)."""
    head, ellipsis, tail = cut.partition(ELLIPSIS)
    if not ellipsis:
        return cut == name
    return name.startswith(head) and name.endswith(tail) and len(name) >= len(head) + len(tail)


def middle(name: str, chars: int) -> str:
    """``name`` cut in the middle to ``chars`` characters (as Qt cuts it, in characters)."""
    tail = (chars - 1) // 2
    return name[: chars - 1 - tail] + ELLIPSIS + (name[-tail:] if tail else "")


TOPICS = ["AI", "AI Hardware", "AI in Autos", "AI in Finance", "AI in Healthcare", "AWS AI"]


@pytest.mark.parametrize("chars", [5, 6, 7, 8, 9, 10])
def test_cut_apart_keeps_names_of_one_section_apart(chars: int) -> None:
    """Cut to ``chars`` characters, each topic reads as itself alone where some cut of it
    does (at 5, "AI …e" cannot: "AI H…" for AI Hardware is the one apart)."""
    def fits(text: str) -> bool:
        return len(text) <= chars

    for name in TOPICS:
        if len(name) <= chars:
            continue
        cut = cut_apart(name, TOPICS, fits, middle(name, chars))
        assert fits(cut) and reads_as(cut, name)
        possible = [
            name[:h] + ELLIPSIS + name[len(name) - t:] for h in range(chars) for t in range(chars - h)
            if 0 < h + t and h + t + 1 <= chars and [n for n in TOPICS if reads_as(name[:h] + ELLIPSIS + name[len(name) - t:], n)] == [name]
        ]
        if possible:
            assert [n for n in TOPICS if reads_as(cut, n)] == [name], (name, cut)
        else:
            assert cut == middle(name, chars)


def test_cut_apart_keeps_a_middle_cut_that_is_apart_already() -> None:
    names = ["Business Insider", "Business Insider India"]
    for name, plain in zip(names, ("Busine…nsider", "Busine…India"), strict=True):
        assert cut_apart(name, names, lambda text: len(text) <= 13, plain) == plain
    # "AI Hardware" against "AI in Healthcare": the cut in the middle reads as both
    assert reads_as("AI …are", "AI Hardware") and reads_as("AI …are", "AI in Healthcare")
    assert cut_apart("AI Hardware", TOPICS, lambda text: len(text) <= 7, "AI …are") in ("AI…ware", "AI H…re")
    # the same name twice (two feeds of one name) cannot be told apart: cut in the middle
    assert cut_apart("AI Hardware", ["AI Hardware", "AI Hardware"], lambda text: len(text) <= 7, "AI …are") == "AI …are"


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
def test_codes_of(value: str, code: str | None) -> None:
    """The code a language's code or name stands for comes first (the other codes of the
    language after it); what is no language is None."""
    codes = codes_of(value)
    assert codes[0] == code if code is not None else codes is None


def test_lang_filter_takes_names() -> None:
    assert parse_query("lang:english").params == parse_query("lang:en").params == ("en", "eng")
    with pytest.raises(QueryError) as caught:
        parse_query("lang:klingonese")
    assert "'klingonese' is not a language" in caught.value.message


def test_kept_spaces_cuts_only_long_runs() -> None:
    assert kept_spaces("a\n    b\tc") == "a\n    b\tc"
    assert kept_spaces("a" + " " * (SPACE_CHARS + 5) + "b") == "a" + " " * SPACE_CHARS + "b"
    assert kept_spaces("\t" * 1000) == "\t" * SPACE_CHARS


def test_printable_leaves_no_control_character_or_lone_surrogate() -> None:
    from reader.display import printable

    assert printable("a\x1b[31mb\x9bc\x07d\ud800e\tf\ng\x7f") == "a\ufffd[31mb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffd"
    assert printable("line\tone\nline two\r\x1b", lines=True) == "line\tone\nline two\ufffd\ufffd"
    assert printable("Zürich · “quoted” 東京") == "Zürich · “quoted” 東京"
