"""A fast reader for the plain YAML of front matter, built on rapidyaml, that gives exactly
what PyYAML's safe loader gives — or declines.

PyYAML stays the reference. :func:`load` returns :data:`DECLINED` whenever the text uses
anything this module does not reproduce exactly (anchors, aliases, tags, merge keys,
complex keys, tabs, a syntax error ...); the caller then uses PyYAML, which also gives the
error messages. Plain scalars are resolved and constructed by PyYAML's own resolver and
constructor, so ``yes``, ``0x1F``, ``1_000``, ``.inf``, ``~`` and timestamps mean the same.
A differential test over real and generated documents holds the two together.

rapidyaml writes its parse errors to the C-level standard error, so this module is used
where that stream is not the user's: in the worker processes of a parallel sync, which send
it to the null device (see :func:`silence_native_stderr`).
"""

from __future__ import annotations

import os
import re
from typing import Any, Final

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

try:
    import ryml
except ImportError:  # pragma: no cover - rapidyaml is optional; PyYAML does the work
    ryml = None

AVAILABLE: Final = ryml is not None


class _Declined:
    def __repr__(self) -> str:
        return "DECLINED"


#: What :func:`load` returns when PyYAML must do the job.
DECLINED: Final = _Declined()

_STR_TAG = "tag:yaml.org,2002:str"
_resolver = Resolver()
_constructor = SafeConstructor()
_CONSTRUCT = {
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": _constructor.construct_yaml_timestamp,
}
#: First characters with which a plain scalar may be something other than a string.
_MAYBE_TYPED = frozenset(
    ch for ch, resolvers in _resolver.yaml_implicit_resolvers.items() if ch is not None for _tag, _re in resolvers
)


#: Indicators with which rapidyaml lets a plain scalar start where PyYAML refuses it (``@``,
#: a backquote, ``]``, ``}``) or, in a flow collection, reads an indicator (``?``, ``:``).
#: Of the indicators only ``-`` is left to start a plain scalar read here.
_INDICATORS = frozenset("?:,[]{}#&*!|>'\"%@`")
#: Text rapidyaml reads and PyYAML refuses or reads otherwise: U+2028 and U+2029 (line
#: breaks for PyYAML), U+FEFF (skipped where it starts a line), U+FFFE and U+FFFF (refused),
#: and lines that start with a directive (PyYAML refuses unknown ones and YAML versions it
#: does not know) or a document end marker (refused before the document).
#: And the escapes ``\L`` and ``\P`` (U+2028, U+2029): their 3 bytes outgrow the escape's
#: 2, and rapidyaml then reads an earlier escaped backslash and ``a`` (``\\a``) as ``\a``.
_UNSAFE_TEXT = ("\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\n%", "\n...", "\\L", "\\P")
#: Control characters (in UTF-8), which PyYAML refuses, with tabs and CRs, which the two
#: treat differently; and U+0080 to U+009F (refused, but NEL is a line break for PyYAML).
_CONTROL_BYTES = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F])
_C1_CONTROL = re.compile(rb"\xc2[\x80-\x9f]")
#: The last line of a quoted key that began on an earlier line (``"a\n  b": c``): PyYAML
#: keeps an implicit key on one line. Checked when a quoted key was seen.
_QUOTED_KEY_END = re.compile(r"""^(?:(?:[^"\\\n]|\\.)*"|(?:[^'\n]|'')*')[ ]*:""", re.MULTILINE)
#: A ``:`` right before a flow indicator (``{a:}``, ``[a:, b]``): an error for PyYAML.
#: Checked when a flow collection was seen (as is a ``#`` anywhere: comments inside flow
#: collections are read differently by the two).
_FLOW_COLON = re.compile(r":[,?\[\]{}]")
#: A block scalar header followed by more than a comment (``| -``, ``>1 2``): an error for
#: PyYAML, ignored by rapidyaml. Checked when a block scalar was seen.
_BAD_BLOCK_HEADER = re.compile(r"(?:^|[:?-])[ ]*[|>][-+0-9]*[ ]+[^ #\n]", re.MULTILINE)
#: A block scalar header with an indentation indicator (``|2``, ``>1-``): rapidyaml drops the
#: spaces of a block scalar that has only blank lines. Checked when such a scalar was seen.
_INDENT_INDICATOR = re.compile(r"[|>](?:[1-9][-+]?|[-+][1-9])(?:[ ]|$)", re.MULTILINE)
#: PyYAML's longest implicit key (from its start to its ``:``), in characters.
_MAX_KEY_SPAN = 1024
#: Deeper nesting of mappings and lists is declined (documents refuse more than 64 levels;
#: PyYAML then gives the value to check).
MAX_DEPTH = 64


class _Decline(Exception):
    pass


#: Plain scalars seen before (keys, "true", "1024", "article" ... repeat a lot); all values
#: cached are immutable.
_seen: dict[str, Any] = {}
_SEEN_LIMIT = 50_000


def _plain(value: str) -> Any:
    if value and value[0] not in _MAYBE_TYPED:
        if value[0] in _INDICATORS:
            raise _Decline
        return value
    try:
        return _seen[value]
    except KeyError:
        pass
    tag = _resolver.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]  # (untyped in types-PyYAML)
    if tag == _STR_TAG:
        result: Any = value
    else:
        construct = _CONSTRUCT.get(tag)
        if construct is None:  # merge ("<<"), value ("=") or another special: PyYAML decides
            raise _Decline
        result = construct(ScalarNode(tag, value))
    if len(_seen) >= _SEEN_LIMIT:
        _seen.clear()
    _seen[value] = result
    return result


def load(text: str) -> Any:
    """The value PyYAML's safe loader gives for ``text``, or :data:`DECLINED`."""
    if ryml is None or text.startswith(("%", "...")) or any(unsafe in text for unsafe in _UNSAFE_TEXT):
        return DECLINED
    if not text.endswith("\n") and ("|" in text or ">" in text):
        return DECLINED  # a block scalar at the very end: rapidyaml adds a line break
    if _has_long_line(text):
        return DECLINED  # a key may be too long for PyYAML
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return DECLINED
    if len(data.translate(None, _CONTROL_BYTES)) != len(data) or (b"\xc2" in data and _C1_CONTROL.search(data)):
        return DECLINED
    try:
        tree = ryml.parse_in_arena(data)
    except Exception:  # a syntax error: PyYAML words it
        return DECLINED
    found = _Found()
    try:
        root = tree.root_id()
        if tree.is_stream(root):
            if tree.num_children(root) != 1:
                return DECLINED
            root = tree.first_child(root)
        value = _node(tree, root, found, _type(tree, root))
    except (_Decline, ValueError, UnicodeDecodeError, RecursionError):
        return DECLINED
    if found.quoted_key and _QUOTED_KEY_END.search(text):
        return DECLINED
    if found.flow and (_FLOW_COLON.search(text) or "#" in text):
        return DECLINED  # (a comment inside a flow collection, "{a: b #c}", swallows its end for PyYAML)
    if found.block and _BAD_BLOCK_HEADER.search(text):
        return DECLINED
    if found.blank_block and _INDENT_INDICATOR.search(text):
        return DECLINED
    return value


def _has_long_line(text: str) -> bool:
    """Whether a line of ``text`` is longer than :data:`_MAX_KEY_SPAN` characters."""
    start, end = 0, len(text)
    while end - start > _MAX_KEY_SPAN:
        newline = text.rfind("\n", start, start + _MAX_KEY_SPAN + 1)
        if newline < 0:
            return True
        start = newline + 1
    return False


class _Found:
    """What :func:`_node` met that needs a look at the text."""

    __slots__ = ("blank_block", "block", "flow", "quoted_key")

    def __init__(self) -> None:
        self.blank_block = False
        self.block = False
        self.flow = False
        self.quoted_key = False


if ryml is not None:
    from ryml import _ryml

    _type, _key, _val = _ryml.Tree_type, _ryml.Tree_key, _ryml.Tree_val
    _first, _next = _ryml.Tree_first_child, _ryml.Tree_next_sibling
    _NONE = ryml.NONE
    _SPECIAL = ryml.KEYANCH | ryml.VALANCH | ryml.KEYREF | ryml.VALREF | ryml.KEYTAG | ryml.VALTAG
    _VAL_STRING = ryml.VALQUO | ryml.VAL_LITERAL | ryml.VAL_FOLDED
    _MAP, _SEQ, _VAL, _KEYQUO, _VALNIL, _KEYNIL = ryml.MAP, ryml.SEQ, ryml.VAL, ryml.KEYQUO, ryml.VALNIL, ryml.KEYNIL
    _FLOW, _FLOW_ML = ryml.FLOW_SL | ryml.FLOW_ML, ryml.FLOW_ML
    _KEY_BLOCK, _VAL_BLOCK = ryml.KEY_LITERAL | ryml.KEY_FOLDED, ryml.VAL_LITERAL | ryml.VAL_FOLDED
    _CONTAINER = ryml.MAP | ryml.SEQ


def _node(tree: Any, node: int, found: _Found, flags: int, depth: int = 1) -> Any:
    """The value of ``node``, whose type flags are ``flags`` (one type query per node;
    flags tested in Python; scalars in a mapping are read in its loop, without a call)."""
    if flags & _SPECIAL:
        raise _Decline
    if flags & _MAP:
        if depth > MAX_DEPTH:
            raise _Decline
        if flags & _FLOW:
            if flags & _FLOW_ML:  # a key may span lines, which PyYAML refuses
                raise _Decline
            found.flow = True
        result: dict[Any, Any] = {}
        child = _first(tree, node)
        while child != _NONE:
            child_flags = _type(tree, child)
            if child_flags & (_SPECIAL | _KEYNIL):  # no key: "? \n: x" and ": x" look alike
                raise _Decline
            raw = str(_key(tree, child), "utf-8")
            if child_flags & _KEYQUO:
                key: Any = raw
                found.quoted_key = True
                if child_flags & _KEY_BLOCK:
                    found.block = True
                    if not raw.strip():
                        found.blank_block = True
            elif raw == "<<":
                raise _Decline
            else:
                key = _plain(raw)
            try:
                if child_flags & _CONTAINER:
                    result[key] = _node(tree, child, found, child_flags, depth + 1)
                elif not child_flags & _VAL:
                    result[key] = None
                elif child_flags & _VAL_STRING:
                    result[key] = _string(tree, child, child_flags, found)
                elif child_flags & _VALNIL:
                    result[key] = None
                else:
                    result[key] = _plain(str(_val(tree, child), "utf-8"))
            except TypeError:  # an unhashable key
                raise _Decline from None
            child = _next(tree, child)
        return result
    if flags & _SEQ:
        if depth > MAX_DEPTH:
            raise _Decline
        if flags & _FLOW:
            found.flow = True
        multiline_flow = flags & _FLOW_ML
        items = []
        child = _first(tree, node)
        while child != _NONE:
            child_flags = _type(tree, child)
            if multiline_flow and child_flags & _MAP:  # a key may span lines: [a\n b: c]
                raise _Decline
            items.append(_node(tree, child, found, child_flags, depth + 1))
            child = _next(tree, child)
        return items
    if not flags & _VAL:
        return None
    if flags & _VAL_STRING:
        return _string(tree, node, flags, found)
    if flags & _VALNIL:
        return None
    return _plain(str(_val(tree, node), "utf-8"))


def _string(tree: Any, node: int, flags: int, found: _Found) -> str:
    """A quoted or block scalar (noting block scalars, which need a look at the text)."""
    value = str(_val(tree, node), "utf-8")
    if flags & _VAL_BLOCK:
        found.block = True
        if not value.strip():
            found.blank_block = True
    return value


def silence_native_stderr() -> None:
    """Send this process's C-level standard error to the null device (for workers)."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)


__all__ = ["AVAILABLE", "DECLINED", "load", "silence_native_stderr", "yaml"]
