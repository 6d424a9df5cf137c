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


class _Decline(Exception):
    pass


#: Plain scalars seen before (keys, "true", "1024", "article" ... repeat a lot); all values
#: cached are immutable.
_seen: dict[str, Any] = {}
_SEEN_LIMIT = 50_000


def _plain(value: str) -> Any:
    if value and value[0] not in _MAYBE_TYPED:
        return value
    try:
        return _seen[value]
    except KeyError:
        pass
    tag = _resolver.resolve(ScalarNode, value, (True, False))
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
    if ryml is None or "\t" in text or "\r" in text:
        return DECLINED
    try:
        tree = ryml.parse_in_arena(text.encode("utf-8"))
    except Exception:  # a syntax error: PyYAML words it
        return DECLINED
    try:
        root = tree.root_id()
        if tree.is_stream(root):
            if tree.num_children(root) != 1:
                return DECLINED
            root = tree.first_child(root)
        return _node(tree, root)
    except (_Decline, ValueError, UnicodeDecodeError, RecursionError):
        return DECLINED


if ryml is not None:
    from ryml import _ryml

    _type, _key, _val = _ryml.Tree_type, _ryml.Tree_key, _ryml.Tree_val
    _first, _next = _ryml.Tree_first_child, _ryml.Tree_next_sibling
    _NONE = ryml.NONE
    _SPECIAL = ryml.KEYANCH | ryml.VALANCH | ryml.KEYREF | ryml.VALREF | ryml.KEYTAG | ryml.VALTAG
    _VAL_STRING = ryml.VALQUO | ryml.VAL_LITERAL | ryml.VAL_FOLDED
    _MAP, _SEQ, _VAL, _KEYQUO, _VALNIL, _KEYNIL = ryml.MAP, ryml.SEQ, ryml.VAL, ryml.KEYQUO, ryml.VALNIL, ryml.KEYNIL


def _node(tree: Any, node: int) -> Any:
    """The value of ``node`` (one type query per node; flags tested in Python)."""
    flags = _type(tree, node)
    if flags & _SPECIAL:
        raise _Decline
    if flags & _MAP:
        result: dict[Any, Any] = {}
        child = _first(tree, node)
        while child != _NONE:
            child_flags = _type(tree, child)
            if child_flags & _SPECIAL:
                raise _Decline
            raw = str(_key(tree, child), "utf-8")
            if child_flags & _KEYQUO:
                key: Any = raw
            elif raw == "<<":
                raise _Decline
            else:
                key = None if child_flags & _KEYNIL else _plain(raw)
            try:
                result[key] = _node(tree, child)
            except TypeError:  # an unhashable key
                raise _Decline from None
            child = _next(tree, child)
        return result
    if flags & _SEQ:
        items = []
        child = _first(tree, node)
        while child != _NONE:
            items.append(_node(tree, child))
            child = _next(tree, child)
        return items
    if not flags & _VAL:
        return None
    if flags & _VAL_STRING:
        return str(_val(tree, node), "utf-8")
    if flags & _VALNIL:
        return None
    return _plain(str(_val(tree, node), "utf-8"))


def silence_native_stderr() -> None:
    """Send this process's C-level standard error to the null device (for workers)."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)


__all__ = ["AVAILABLE", "DECLINED", "load", "silence_native_stderr", "yaml"]
