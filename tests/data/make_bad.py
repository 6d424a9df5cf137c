"""Make the bad and tricky inputs Reader's tests read.

Two kinds of inputs:

* the committed catalogue: ``tests/data/bad/`` (files that must each be a problem) and
  ``tests/data/tricky/`` (odd files that must read fine), each with a README.md that lists
  the files (a folder note: the folder walk skips it). Rewrite them after changing this
  script with ``python tests/data/make_bad.py --catalogue tests/data``;
* inputs that cannot be committed as they are (a 50 MB file, symbolic links, a file nobody
  may read, a folder named like a document, thousands of files in deep folders): the tests
  make them in a temporary folder with :func:`make_generated`, or by hand with
  ``python tests/data/make_bad.py DIR``.

Only the standard library is used, so the script runs without Reader installed.
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    """One input: its file name, what it is and what Reader must make of it."""

    name: str
    what: str
    #: bad inputs: parts of the problem's reason, in order, separated by "…" (libyaml and
    #: PyYAML word some errors differently); tricky inputs: the article's title.
    expect: str
    data: bytes


def reason_matches(reason: str, expect: str) -> bool:
    """Whether ``reason`` holds the parts of a bad entry's ``expect`` (separated by "…"), in
    order."""
    position = 0
    for part in (p.strip() for p in expect.split("…")):
        found = reason.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


# --------------------------------------------------------------------------- building blocks

TITLE = "Robots learn to sort recycling"
BODY = "The arms pick plastic bottles from a conveyor belt.\n\nA second paragraph.\n"

#: The front matter of a typical news document, field by field (the text after ``key:``).
FIELDS: dict[str, str] = {
    "title": f" {TITLE}",
    "excerpt": " A start-up says its arms pick plastic from a conveyor belt faster than people do.",
    "publishedDateTime": " 2020-02-05T22:56:00Z",
    "webUrl": " https://news.example/2020/02/robots-recycling",
    "provider": "\n  name: Example News\n  domain: news.example",
    "topics": "\n  - AI\n  - Robotics",
    "images": "\n  - url: https://news.example/img/robot.jpg\n    width: 1024\n    height: 682",
    "quality": " 57",
}


def news_text(newline: str = "\n", body: str = BODY, **changes: str) -> str:
    """A news document, with the fields in ``changes`` written differently."""
    fields = {**FIELDS, **changes}
    lines = ["---", *(f"{key}:{value}" for key, value in fields.items()), "---"]
    text = "\n".join(lines) + "\n" + body
    return text.replace("\n", newline)


def news(**changes: str) -> bytes:
    return news_text(**changes).encode("utf-8")


def utf16(order: str) -> bytes:
    """The news document in UTF-16 (``order``: "le" or "be"), without a byte-order mark."""
    return news_text().encode(f"utf-16-{order}")


def png_image() -> bytes:
    """A valid 1x1 PNG (one grey pixel)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x80", 9)  # filter byte 0, one grey pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def zip_archive() -> bytes:
    """A valid zip archive holding one news document (stored, with a fixed date)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        info = zipfile.ZipInfo("robots-recycling.md", date_time=(2020, 2, 5, 22, 56, 0))
        archive.writestr(info, news())
    return buffer.getvalue()


def alias_bomb() -> bytes:
    """'Billion laughs': ten lines that expand to 9**9 (387 million) strings."""
    lines = ["---", f"title: {TITLE}", 'lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{refs}]")
    return ("\n".join(lines) + "\n---\n").encode("utf-8")


def long_title(length: int = 100_000) -> str:
    words = ("endless headline " * (length // 17 + 1))[:length]
    assert len(words) == length and words == words.strip()
    return words


# --------------------------------------------------------------------------- the catalogue

NEVER_CLOSED = "front matter never closed (no '---' line after the one on line 1)"
UTF16 = "encoded as UTF-16; Reader reads UTF-8 documents"
TOO_DEEP = "front matter is nested too deeply (more than 64 levels)"
TOO_MANY = "front matter has too many values (more than 20,000)"
CAP_BYTES = 5 * 1024 * 1024


def bad_entries() -> list[Entry]:
    """The committed files that must each be a problem (in ``tests/data/bad/``)."""
    never_closed = news_text().replace("\n---\n", "\n\n", 1)  # the closing line goes
    return [
        Entry("empty.md", "zero bytes", "empty file", b""),
        Entry("only-blank-lines.md", "blank lines, spaces and a tab", "empty file (only blank space)", b"\n  \n\t\n\n"),
        Entry("only-dashes.md", "a single `---` line", NEVER_CLOSED, b"---\n"),
        Entry("never-closed.md", "front matter and a body, no closing `---`", NEVER_CLOSED, never_closed.encode()),
        Entry(
            "yaml-syntax-error.md",
            "a flow list never closed (`topics: [AI, Robotics` on line 9)",
            "line 10: … expected ',' or ']'",
            news(topics=" [AI, Robotics"),
        ),
        Entry(
            "yaml-bad-mapping.md",
            "an unquoted colon in a value",
            "line 3: mapping values are not allowed",
            news(excerpt=" Robots: they sort recycling now"),
        ),
        Entry(
            "yaml-unclosed-quote.md",
            "a quoted title that never ends",
            "found unexpected end of stream",
            news(title=f' "{TITLE}'),
        ),
        Entry(
            "front-matter-list.md",
            "front matter that is a YAML list",
            "front matter is a list, not a set of fields",
            f"---\n- {TITLE}\n- Example News\n---\n{BODY}".encode(),
        ),
        Entry(
            "front-matter-scalar.md",
            "front matter that is one line of text",
            "front matter is text, not a set of fields",
            f"---\n{TITLE}\n---\n{BODY}".encode(),
        ),
        Entry(
            "tab-indented.md",
            "the provider's fields indented with tabs",
            "line 7: indented with a tab (YAML indents with spaces)",
            news(provider="\n\tname: Example News\n\tdomain: news.example"),
        ),
        Entry(
            "invalid-utf8.md",
            "an excerpt saved as Latin-1 (`caf\\xe9`)",
            "not UTF-8: line 3 has the invalid byte 0xE9",
            news(excerpt=" Robots now sort recycling in a café near you.").replace("é".encode(), b"\xe9"),
        ),
        Entry("utf16-le.md", "UTF-16, little-endian, with a byte-order mark", UTF16, b"\xff\xfe" + utf16("le")),
        Entry("utf16-be.md", "UTF-16, big-endian, with a byte-order mark", UTF16, b"\xfe\xff" + utf16("be")),
        Entry("utf16-no-bom.md", "UTF-16, little-endian, without a byte-order mark", UTF16, utf16("le")),
        Entry("png-image.md", "a valid 1x1 PNG image", "not a text document: it is a PNG image", png_image()),
        Entry("zip-archive.md", "a valid zip archive of a document", "not a text document: it is a zip archive", zip_archive()),
        Entry(
            "alias-bomb.md",
            "'billion laughs': YAML aliases that expand to 387 million strings",
            "front matter expands to more than 20,000 values through YAML aliases (an alias bomb)",
            alias_bomb(),
        ),
        Entry(
            "deep-nesting-10000.md",
            "lists nested 10,000 deep (`[[[...]]]`)",
            TOO_DEEP,
            news(related=" " + "[" * 10_000 + "]" * 10_000),
        ),
        Entry(
            "deep-nesting-10000-block.md",
            "block lists nested 10,000 deep (`- - - ...`)",
            TOO_DEEP,
            news(related="\n  " + "- " * 10_000 + "deep"),
        ),
        Entry("title-number.md", "`title: 2020`", "title is a number, not text", news(title=" 2020")),
        Entry(
            "title-list.md",
            "the title as a list of two lines",
            "title is a list, not text",
            news(title="\n  - Robots learn\n  - to sort recycling"),
        ),
        Entry(
            "title-100000-chars.md",
            "a title of 100,000 characters",
            "title is 100,000 characters long (at most 1,000)",
            news(title=" " + long_title()),
        ),
        Entry("topics-string.md", "`topics: AI, Robotics`", "topics is text, not a list", news(topics=" AI, Robotics")),
        Entry(
            "images-mapping.md",
            "one image written as a mapping instead of a list",
            "images is a set of fields, not a list",
            news(images="\n  url: https://news.example/img/robot.jpg\n  width: 1024"),
        ),
        Entry("quality-high.md", "`quality: high`", "quality: 'high' is not a whole number", news(quality=" high")),
        Entry(
            "heat-past-64-bits.md",
            "`heat: 9223372036854775808` (2^63: one more than SQLite's largest integer)",
            "heat: '9223372036854775808' is out of range",
            news(heat=" 9223372036854775808"),
        ),
        Entry(
            "quality-very-negative.md",
            "`quality: -99999999999999999999` (far below SQLite's smallest integer)",
            "quality: '-99999999999999999999' is out of range",
            news(quality=" -99999999999999999999"),
        ),
        Entry(
            "image-width-past-64-bits.md",
            "an image 10^30 pixels wide",
            "images item 1 width: '1000000000000000000000000000000' is out of range",
            news(images="\n  - url: https://news.example/img/robot.jpg\n    width: 1000000000000000000000000000000"),
        ),
        Entry(
            "date-yesterday.md",
            "`publishedDateTime: yesterday`",
            "publishedDateTime: 'yesterday' is not a date",
            news(publishedDateTime=" yesterday"),
        ),
        Entry(
            "date-2020-13-45.md",
            "`publishedDateTime: 2020-13-45` (month 13, day 45)",
            "line 4: '2020-13-45' is not a date (month must be in 1..12)",
            news(publishedDateTime=" 2020-13-45"),
        ),
    ]


RTL_TITLE = "الروبوتات تتعلم فرز النفايات — רובוטים לומדים למיין מחזור (AI)"


def tricky_entries() -> list[Entry]:
    """The committed odd files that must read fine (in ``tests/data/tricky/``)."""
    bom = b"\xef\xbb\xbf"
    return [
        Entry("bom.md", "a UTF-8 byte-order mark", TITLE, bom + news()),
        Entry("crlf.md", "CRLF line endings (Windows)", TITLE, news_text("\r\n").encode()),
        Entry("lone-cr.md", "lone CR line endings (classic Mac OS)", TITLE, news_text("\r").encode()),
        Entry("bom-crlf.md", "a byte-order mark and CRLF (Windows Notepad)", TITLE, bom + news_text("\r\n").encode()),
        Entry(
            "control-characters-in-title.md",
            "raw SOH, ESC, DEL and NEL in an unquoted title (they become spaces)",
            "Robots learn to sort recycling today",
            news(title=" Robots\x01learn\x1bto sort\x7frecycling\x85today"),
        ),
        Entry("right-to-left-title.md", "an Arabic and Hebrew title with some Latin", RTL_TITLE, news(title=f' "{RTL_TITLE}"')),
        Entry("tabs-in-values.md", "tabs after the colon and in the title", TITLE, news(title="\tRobots\tlearn to sort recycling")),
    ]


def long_link(length: int) -> str:
    """An http link of ``length`` characters (a query string that goes on)."""
    start = "https://news.example/2020/02/robots?ref="
    return start + "x" * (length - len(start))


def long_field_entries(huge: bool = False) -> list[Entry]:
    """The committed documents with one very long value (in ``tests/data/long/``): they read
    fine (``reader check`` passes, the value kept whole), and the window must show each at
    once (laying such text out whole took Qt from 6 s to minutes). ``huge``: the larger ones,
    not committed (the tests write them to a temporary folder)."""
    if huge:
        return [
            Entry("long-link-1250000.md", "a link of 1,250,000 characters", TITLE, news(webUrl=" " + long_link(1_250_000))),
            Entry("long-word-body-4000000.md", "a text of one 4,000,000-character word", TITLE, news(body="w" * 4_000_000 + "\n")),
            Entry("long-excerpt-1000000.md", "an excerpt of one 1,000,000-character word", TITLE,
                  news(excerpt=" " + "e" * 1_000_000)),
        ]
    return [
        Entry("long-link-100000.md", "a link of 100,000 characters", TITLE, news(webUrl=" " + long_link(100_000))),
        Entry("long-link-300000.md", "a link of 300,000 characters", TITLE, news(webUrl=" " + long_link(300_000))),
        Entry("long-topic-250000.md", "a topic of 250,000 characters", TITLE, news(topics="\n  - AI\n  - " + "t" * 250_000)),
        Entry("long-source-100000.md", "a source name of 100,000 characters", TITLE,
              news(provider="\n  name: " + ("Example News " * 7_693)[:100_000] + "\n  domain: news.example")),
        Entry("long-word-body-200000.md", "a text of one 200,000-character word", TITLE, news(body="w" * 200_000 + "\n")),
    ]


def readme(title: str, intro: str, column: str, entries: Sequence[Entry], after: str = "") -> str:
    rows = "".join(f"| `{e.name}` | `{e.expect}` | {e.what} |\n" for e in entries)
    return f"# {title}\n\n{intro}\n\n| File | {column} | What it is |\n|---|---|---|\n{rows}{after}"


BAD_INTRO = """\
Every file here must be a *problem* for Reader (never a crash): `reader check --json
tests/data/bad` exits 1 with one line per file, each `"ok": false` with the reason below.
The tests (`tests/test_bad_input.py`, `tests/ui/test_bad_input_window.py`) check every file
through `reader check` and the window's Problems view.

Made by `python tests/data/make_bad.py --catalogue tests/data`: change the script, not the
files. This README is a folder note, so Reader skips it."""

TRICKY_INTRO = """\
Odd files that must read fine: `reader check tests/data/tricky` exits 0 and each file is a
news article with the title below.

Made by `python tests/data/make_bad.py --catalogue tests/data`: change the script, not the
files. This README is a folder note, so Reader skips it."""


LONG_INTRO = """\
Documents with one very long value that must read fine — `reader check tests/data/long`
exits 0, each a news article with the title below and the long value kept whole — and that
the window must show at once: it lays out at most a bounded part of each value (see
`reader/display.py`; `tests/ui/test_long_fields.py`, `bench/long_fields.py`).

Made by `python tests/data/make_bad.py --catalogue tests/data`: change the script, not the
files. This README is a folder note, so Reader skips it."""


def write_catalogue(data_dir: str | os.PathLike[str]) -> None:
    """Write ``bad/``, ``tricky/`` and ``long/`` (with their READMEs) under ``data_dir``."""
    generated = "".join(f"- `{name}`: {what} — `{reason or 'read fine'}`\n" for name, (reason, what) in GENERATED.items())
    after = (
        f"\nNot committed (made by `make_generated()` in a temporary folder):\n\n{generated}\n"
        "Simulated in the tests: a file deleted, or made unreadable, between the scan and the read\n"
        "— `the file disappeared before it could be read`, `permission denied`.\n"
    )
    bad, tricky, long = bad_entries(), tricky_entries(), long_field_entries()
    huge = "".join(f"- `{e.name}`: {e.what}\n" for e in long_field_entries(huge=True))
    for folder, entries, text in (
        ("bad", bad, readme("Bad documents", BAD_INTRO, "Reason (parts of it, in order)", bad, after)),
        ("tricky", tricky, readme("Tricky documents", TRICKY_INTRO, "Title", tricky)),
        ("long", long, readme("Long fields", LONG_INTRO, "Title", long, f"\nNot committed (written by the tests):\n\n{huge}")),
    ):
        target = Path(data_dir) / folder
        target.mkdir(parents=True, exist_ok=True)
        for entry in entries:
            (target / entry.name).write_bytes(entry.data)
        (target / "README.md").write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- not committable

LARGE_BYTES = 50 * 1024 * 1024
DEEP_BRANCHES, DEEP_LEVELS, FILES_PER_FOLDER = 10, 100, 3

#: name -> (a part of the problem's reason, or None when it reads fine; what it is)
GENERATED: dict[str, tuple[str | None, str]] = {
    "too-large-50mb.md": ("too large: 50.0 MB (documents may be at most 5.0 MB)", "a 50 MB file (a document, then a hole)"),
    "symlink-loop.md": ("a symbolic link that loops", "a symbolic link to itself"),
    "dev-zero.md": ("not a regular file (a device, pipe or socket)", "a symbolic link to /dev/zero"),
    "list-5mb.md": (TOO_MANY, "a list of 1.3 million items, just under the 5 MB cap (`- a` lines)"),
    "flow-list-5mb.md": (TOO_MANY, "a flow list of 2.6 million items on one line, just under the 5 MB cap"),
    "unreadable.md": ("permission denied", "a good document with mode 000 (root reads it anyway)"),
    "folder-named-like-a-document.md": (None, "a folder, walked like any other (holds inside.md)"),
    "folder-loop": (None, "a symbolic link to its own folder (walked once)"),
    "deep": (None, f"{DEEP_BRANCHES * DEEP_LEVELS * FILES_PER_FOLDER:,} documents in folders {DEEP_LEVELS} deep"),
}


def ignores_permissions() -> bool:
    """Whether this process reads a file of mode 000 (root does): then ``unreadable.md`` reads
    fine."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe"
        probe.write_bytes(b"x")
        probe.chmod(0)
        try:
            probe.read_bytes()
        except PermissionError:
            return False
        return True


def make_generated(directory: str | os.PathLike[str], *, deep: bool = True) -> dict[str, Path]:
    """Make the inputs of :data:`GENERATED` in ``directory`` (``deep``: also the thousands of
    files). Returns name -> path of what was made (no ``dev-zero.md`` without /dev/zero)."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}

    large = root / "too-large-50mb.md"
    with open(large, "wb") as handle:
        handle.write(news())
        handle.truncate(LARGE_BYTES)  # the rest is a hole: nothing more is written
    made[large.name] = large

    head = news_text(body="").removesuffix("---\n") + "items:\n"
    block = root / "list-5mb.md"
    block.write_text(head + "- a\n" * ((CAP_BYTES - len(head) - 8) // 4) + "---\n", encoding="utf-8")
    made[block.name] = block
    flow = root / "flow-list-5mb.md"
    flow.write_text(head + "  [" + "a," * ((CAP_BYTES - len(head) - 16) // 2) + "a]\n---\n", encoding="utf-8")
    made[flow.name] = flow

    loop = root / "symlink-loop.md"
    loop.symlink_to(loop.name)
    made[loop.name] = loop

    if os.path.exists("/dev/zero"):
        zero = root / "dev-zero.md"
        zero.symlink_to("/dev/zero")
        made[zero.name] = zero

    locked = root / "unreadable.md"
    locked.write_bytes(news(title=" A document nobody may read", webUrl=" https://news.example/unreadable"))
    locked.chmod(0)
    made[locked.name] = locked

    folder = root / "folder-named-like-a-document.md"
    folder.mkdir()
    inside = news(title=" Inside a folder named like a document", webUrl=" https://news.example/inside")
    (folder / "inside.md").write_bytes(inside)
    made[folder.name] = folder

    folder_loop = root / "folder-loop"
    folder_loop.symlink_to(".", target_is_directory=True)
    made[folder_loop.name] = folder_loop

    if deep:
        made["deep"] = make_deep(root / "deep")
    return made


def make_deep(root: Path) -> Path:
    """:data:`FILES_PER_FOLDER` documents in every folder of :data:`DEEP_BRANCHES` chains
    :data:`DEEP_LEVELS` folders deep."""
    n = 0
    for branch in range(DEEP_BRANCHES):
        folder = root / f"b{branch}"
        for level in range(1, DEEP_LEVELS + 1):
            folder = folder / f"d{level}"
            folder.mkdir(parents=True)
            for _ in range(FILES_PER_FOLDER):
                text = news_text(title=f" Deep document {n}", webUrl=f" https://news.example/deep/{n}", body="")
                (folder / f"doc-{n:05d}.md").write_text(text, encoding="utf-8")
                n += 1
    return root


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", metavar="DIR", help="where to make the inputs")
    parser.add_argument("--catalogue", action="store_true", help="write the committed bad/ and tricky/ under DIR instead")
    parser.add_argument("--no-deep", action="store_true", help="without the thousands of files in deep folders")
    args = parser.parse_args(argv)
    if args.catalogue:
        write_catalogue(args.directory)
        print(f"wrote {len(bad_entries())} bad, {len(tricky_entries())} tricky and {len(long_field_entries())} long-field documents under {args.directory}")
        return 0
    if os.path.lexists(args.directory) and any(Path(args.directory).iterdir()):
        parser.error(f"{args.directory} is not empty")
    made = make_generated(args.directory, deep=not args.no_deep)
    print(f"made {', '.join(made)} in {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
