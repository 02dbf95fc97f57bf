"""YAML loading that remembers the line of every mapping, for `file:line` messages."""

from __future__ import annotations

import math
from typing import Any

import yaml


class LineDict(dict):
    """A dict that knows the (1-based) line its mapping started on."""

    line: int = 0


class LineList(list):
    line: int = 0


# libyaml's C parser is ~10x faster (start-up parses every content file); same safe constructors.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    d = LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:  # `? [a, b]: c` makes a list the key: valid YAML, never valid content
            raise yaml.MarkedYAMLError(
                problem="a key must be plain text or a number, not a list or mapping",
                problem_mark=key_node.start_mark,
            ) from None
        if key in d:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
            )
        d[key] = loader.construct_object(value_node, deep=True)
    d.line = node.start_mark.line + 1
    return d


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    seq = LineList(loader.construct_object(child, deep=True) for child in node.value)
    seq.line = node.start_mark.line + 1
    return seq


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlError(Exception):
    """Malformed YAML, with the 1-based line where the parser gave up."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def load_yaml(text: str, *, line_offset: int = 0, track_lines: bool = True) -> Any:
    """Parse YAML text; raise YamlError(message, line) on malformed input. Without
    `track_lines` the plain C loader is used (several times faster: page front matter)."""
    loader = _Loader if track_lines else _Base
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - SafeLoader or its subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        msg = exc.problem or str(exc)
        raise YamlError(f"malformed YAML: {msg}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"malformed YAML: {exc}", 1 + line_offset) from None
    except RecursionError:  # a hand-written or hostile file nested thousands of levels deep
        raise YamlError("malformed YAML: nested too deeply", 1 + line_offset) from None


def line_of(obj: Any, default: int = 1) -> int:
    return getattr(obj, "line", 0) or default


def finite_number(value: Any) -> float | None:
    """A YAML int or float as a finite float; None for anything else (bool, text, inf, nan)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def str_list(value: Any) -> list[str] | None:
    """A list of non-empty strings: missing -> [], a lone string -> [it]; None if malformed."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
        return list(value)
    return None
