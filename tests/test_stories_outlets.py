"""An outlet's own boilerplate: words in most of one outlet's earlier articles weigh less in
its next ones (reader.stories.weights: Weights.weigh), so a fire brigade's call-outs or a
vendor's press releases do not meet by the lines each of them ends with."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from rapidfuzz.utils import default_process

from reader import stories
from reader.library import Library

_DAY = 86_400.0
_START = 1_709_539_200.0  # 2024-03-04 08:00 UTC
FEEDS = Path(__file__).parent / "data" / "feeds-real"


def _item(item_id: str, days: float, title: str, excerpt: str, outlet: str) -> stories.Item:
    return stories.Item(item_id, _START + days * _DAY, stories.read_words(title, excerpt), frozenset(),
                        title=default_process(title), language="en", outlet=outlet)


def _stories(*items: stories.Item) -> dict[str, str]:
    grouper = stories.Grouper()
    for item in sorted(items, key=lambda i: i.order):
        grouper.add(item)
    return {item.id: grouper.story_of[item.id] for item in items}


_SUBJECTS = ("tomato harvest at the allotments", "a new cycle lane on the high street", "the library's longer opening hours",
             "a jazz festival in the park", "repairs to the swimming pool roof", "a school choir's winter concert",
             "the bus timetable for the holidays", "a bakery opening near the station", "the river clean-up weekend",
             "a chess tournament at the town hall")


def _background() -> list[stories.Item]:
    """Twenty local reports of ten outlets, one subject each, over the first forty days: the
    words a library has seen, which rarity weighs against."""
    return [_item(f"bg{n}", n * 2.0, f"Town news: {_SUBJECTS[n % 10]} {n}",
                  f"Residents heard about {_SUBJECTS[n % 10]} on day {n}. The council will report again.",
                  f"town{n % 10}.example") for n in range(20)]


_ABOUT = ("About Acmeco: Acmeco is a leading provider of industrial sensor software for factories, utilities and "
          "logistics operators worldwide, headquartered in Springfield with offices in Rotterdam and Singapore.")


def test_a_vendors_releases_sharing_only_their_about_paragraph_are_apart() -> None:
    """Acmeco ends every release with one "About Acmeco" paragraph, which no other outlet
    writes (so it is rare in the library). Its releases on a thermal camera and on a logistics
    deal a day apart share nothing but that paragraph and the firm's name, and their titles
    name no new firm (nothing tells two subjects apart): two pieces of news."""
    earlier = [_item(f"acme{n}", 1.0 + n * 17, title, f"{lead} {_ABOUT}", "acmeco.example") for n, (title, lead) in enumerate([
        ("Acmeco opens a research lab in Oslo", "The laboratory will study vibration analytics for wind turbines."),
        ("Acmeco names Priya Raman chief technology officer", "Raman previously led engineering at a robotics startup."),
        ("Acmeco reports record quarterly revenue", "Revenue grew on demand for predictive maintenance subscriptions."),
    ])]
    camera = _item("camera", 60.0, "Acmeco launches a handheld thermal camera",
                   f"The camera spots overheating bearings on conveyor belts. {_ABOUT}", "acmeco.example")
    deal = _item("deal", 61.0, "Acmeco signs a fleet telematics partnership",
                 f"Delivery trucks will carry telematics boxes that track fuel use on every route. {_ABOUT}",
                 "acmeco.example")
    placed = _stories(*_background(), *earlier, camera, deal)
    assert placed["camera"] != placed["deal"]


def test_two_outlets_reports_of_one_event_still_join_with_their_own_boilerplate() -> None:
    """Two papers, each ending every article with its own line, report one crane collapse in
    Rotterdam's port; their earlier articles (other news, the same closing lines) make those
    lines weigh less, never the event's words."""
    ledger_end = "Subscribe to the Daily Ledger for morning briefings delivered to your inbox."
    courier_end = "The Harbour Courier is read by shipping professionals in forty countries."
    earlier = [
        *[_item(f"ledger{n}", 30.0 + n, f"Daily Ledger: {_SUBJECTS[n]}", f"Our reporters followed {_SUBJECTS[n]}. {ledger_end}",
                "dailyledger.example") for n in range(4)],
        *[_item(f"courier{n}", 30.5 + n, f"Harbour Courier: {_SUBJECTS[n + 5]}",
                f"Our correspondents covered {_SUBJECTS[n + 5]}. {courier_end}", "harbourcourier.example") for n in range(4)],
    ]
    ledger = _item("ledger", 40.0, "Container crane collapses onto a freighter in Rotterdam port",
                   f"A container crane collapsed onto the freighter Nordic Pearl at the Maasvlakte terminal in Rotterdam "
                   f"on Monday; two dockworkers were injured and the terminal was closed. {ledger_end}",
                   "dailyledger.example")
    courier = _item("courier", 40.2, "Crane collapse at Rotterdam's Maasvlakte terminal injures two dockworkers",
                    f"Two dockworkers were injured when a container crane collapsed onto the freighter Nordic Pearl at "
                    f"Rotterdam's Maasvlakte terminal, which closed for the day. {courier_end}", "harbourcourier.example")
    placed = _stories(*_background(), *earlier, ledger, courier)
    assert placed["ledger"] == placed["courier"]


_CALL_OUT = re.compile(r"\]\s*(?P<kind>.+)$")
_SITE = re.compile(r"Einsatzort:\s*(?P<site>.+?)\s*Alarmierung", re.S)


def test_a_fire_brigades_call_outs_of_other_types_or_sites_are_apart(tmp_path: Path) -> None:
    """A fire brigade's feed: 15 call-outs, each its own event, each written as its type,
    "Einsatzort: <site>", "Alarmierung: …", "Eingesetzte Fahrzeuge: …" and the same closing
    line. Once the brigade has three call-outs before one, the lines every call-out has
    weigh little in it: call-outs of another type, or at another site (its words, in any
    order), are never one story. (The first three are read before anything is known of the
    outlet; call-outs of one type at one site read alike but for their time.)"""
    folder = tmp_path / "feed"
    folder.mkdir()
    shutil.copy(FEEDS / "chfr-rss091-stadtfeuerwehr-iso-8859-1.xml", folder)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        rows = library.db.execute("SELECT a.title, coalesce(a.excerpt, '') || ' ' || a.body, a.published, m.story FROM articles a "
                                  "JOIN story_members m ON m.article = a.id ORDER BY a.published, a.id").fetchall()
    assert len(rows) == 15
    call_outs = []
    for title, excerpt, _, story in rows:
        kind, site = _CALL_OUT.search(title.strip()), _SITE.search(excerpt)
        assert kind is not None and site is not None
        call_outs.append((kind["kind"].strip(), frozenset(re.findall(r"\w+", site["site"])), story))
    together = [(a[:2], b[:2]) for i, a in enumerate(call_outs) for j, b in enumerate(call_outs)
                if i < j and j >= 3 and a[2] == b[2] and a[:2] != b[:2]]
    kinds = [kind for kind, _, _ in call_outs]
    assert kinds.count("Brandmeldeanlagenalarm") == 7  # (the feed as read: seven fire alarms at four sites)
    assert together == []


def test_a_game_lists_entries_sharing_one_word_of_their_names_are_apart_among_many_outlets(tmp_path: Path) -> None:
    """All the real feeds in one library (68 files, 3,284 articles). One of them lists
    games and their anti-cheat's state under Linux, each entry the game's name and a line
    from one template ("<game> was newly added and is "Broken"", "Status: Broken => Running").
    Those lines are in many of its recent entries; counted over all it ever wrote, they
    weighed enough, with the word its names share, to join different games: "Tower Alliance
    Online was newly added" with five other games "… Online" written in the days before it,
    and Honkai Star Rail's two changes of 12 February 2024 with Helldivers 2 and PROJECT:
    PLAYTIME. Another game is another thing."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    for path in FEEDS.iterdir():
        if path.name != "EXPECTATIONS.json" and path.suffix != ".md":
            shutil.copy(path, folder)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        rows = library.db.execute("SELECT a.title, a.published, m.story FROM articles a "
                                  "JOIN story_members m ON m.article = a.id").fetchall()
    titles: dict[str, set[str]] = {}
    for title, _, story in rows:
        titles.setdefault(story, set()).add(title.strip())
    tower = [story for title, _, story in rows if title.strip() == "Tower Alliance Online"]
    assert len(tower) == 1
    assert titles[tower[0]] == {"Tower Alliance Online"}
    day = 1_707_696_000.0  # 2024-02-12 00:00 UTC
    honkai = [story for title, published, story in rows
              if title.strip() == "Honkai Star Rail" and day <= published < day + _DAY]
    assert len(honkai) == 2
    for story in honkai:
        assert titles[story] == {"Honkai Star Rail"}
