"""YAML loading that remembers the line of every mapping, for `file:line` messages."""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # PyYAML (~17 ms to import) is loaded on the first parse: a warm start never parses
    import yaml


class LineDict(dict):
    """A dict that knows the (1-based) line its mapping started on."""

    line: int = 0


class LineList(list):
    line: int = 0


def _marked_error(problem: str, node: yaml.Node) -> yaml.MarkedYAMLError:
    import yaml

    return yaml.MarkedYAMLError(problem=problem, problem_mark=node.start_mark)


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """construct_object, with a scalar YAML parses but Python cannot build (2001-02-30, an integer
    of 5000 digits) turned into an error at its line."""
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:
        text = node.value if isinstance(node.value, str) else "this value"
        shown = text if len(text) <= 40 else text[:37] + "…"
        raise _marked_error(f"cannot read {shown} ({_reason(exc)})", node) from None


def _reason(exc: Exception) -> str:
    return "too many digits for a number" if "integer string conversion" in str(exc) else str(exc)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    d = LineDict()
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        try:
            hash(key)
        except TypeError:  # `? [a, b]: c` makes a list the key: valid YAML, never valid content
            raise _marked_error("a key must be plain text or a number, not a list or mapping", key_node) from None
        if key in d:
            raise _marked_error(f"duplicate key {key!r}", key_node)
        d[key] = _construct(loader, value_node)
    d.line = node.start_mark.line + 1
    return d


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LineList:
    seq = LineList(_construct(loader, child) for child in node.value)
    seq.line = node.start_mark.line + 1
    return seq


@cache
def _loaders() -> tuple[type, type]:
    """(line-tracking loader, plain loader), built on first use so importing this module is cheap.
    libyaml's C parser is ~10x faster (start-up parses every content file); same safe constructors."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Loader(base):  # type: ignore[misc, valid-type]
        pass

    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return _Loader, base


class YamlError(Exception):
    """Malformed YAML, with the 1-based line where the parser gave up."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def load_yaml(text: str, *, line_offset: int = 0, track_lines: bool = True) -> Any:
    """Parse YAML text; raise YamlError(message, line) on malformed input. Without
    `track_lines` the plain C loader is used (several times faster: page front matter)."""
    import yaml

    tracking, plain = _loaders()
    loader = tracking if track_lines else plain
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
    except (ValueError, OverflowError) as exc:  # a scalar Python cannot build, outside any tracked mapping
        raise YamlError(f"malformed YAML: a value cannot be read ({_reason(exc)})", 1 + line_offset) from None


def line_of(obj: Any, default: int = 1) -> int:
    return getattr(obj, "line", 0) or default


def finite_number(value: Any) -> float | None:
    """A YAML int or float as a finite float; None for anything else (bool, text, inf, nan)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        f = float(value)
    except OverflowError:  # an integer too large for a float
        return None
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
