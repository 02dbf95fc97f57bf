"""YAML loading that remembers the line of every mapping, for `file:line` messages."""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING, Any

from app.knowledge import limits

if TYPE_CHECKING:  # PyYAML (~17 ms to import) is loaded on the first parse: a warm start never parses
    import yaml


class LineDict(dict):
    """A dict that knows the (1-based) line its mapping started on."""

    line: int = 0


class LineList(list):
    line: int = 0


# YAML also breaks lines at NEL (U+0085) and the Unicode line and paragraph separators, which no
# editor does: where a text holds one, lines are counted from the character index of a mark.
_ODD_BREAKS = ("\x85", "\u2028", "\u2029")


def _newlines(text: str) -> list[int] | None:
    """Positions of every "\n" when the text holds an odd line break (None: YAML's count is right)."""
    if not any(b in text for b in _ODD_BREAKS):
        return None
    return [i for i, c in enumerate(text) if c == "\n"]


def _line(mark: Any, newlines: list[int] | None) -> int:
    """The 0-based line of a mark, as an editor counts lines."""
    if newlines is None:
        return mark.line
    from bisect import bisect_left

    return bisect_left(newlines, mark.index)


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
    d.line = _line(node.start_mark, loader.newlines) + 1
    return d


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LineList:
    seq = LineList(_construct(loader, child) for child in node.value)
    seq.line = _line(node.start_mark, loader.newlines) + 1
    return seq


class _Refused(Exception):
    """Raised while composing: the message and the mark of the event that broke a rule."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.mark = mark


def _bounded_composer() -> type:
    """The composer mixin every loader here uses (built with PyYAML's event and node classes)."""
    from yaml.events import (
        AliasEvent,
        MappingEndEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    class BoundedComposer:
        """Builds the node tree from parser events (the C parser's when available) and refuses, at
        the event, before anything is constructed: anchors and aliases (a "billion laughs" file of a
        few hundred bytes expands to gigabytes once printed or walked), merge keys, nesting deeper
        than `max_depth`, more than `max_values` values and a text longer than `max_text`. It costs
        what the C composer it replaces costs (content/: 31 ms either way)."""

        max_depth = limits.YAML_MAX_DEPTH
        max_values = limits.YAML_MAX_VALUES
        max_text = limits.YAML_MAX_TEXT
        allow_tags = True  # False for other people's files (packs, user folders): '!!binary', '!x' refused

        def get_single_node(self) -> Any:
            self.get_event()  # StreamStartEvent
            node = None
            if type(self.peek_event()) is not StreamEndEvent:
                self._count = 0
                self.get_event()  # DocumentStartEvent
                node = self._node(0)
                self.get_event()  # DocumentEndEvent
            event = self.peek_event()
            if type(event) is not StreamEndEvent:
                raise _Refused("a file holds one YAML document (found a second '---' document)",
                               event.start_mark)
            self.get_event()
            return node

        def _node(self, depth: int) -> Any:
            event = self.get_event()
            cls = type(event)
            if cls is AliasEvent or event.anchor is not None:
                raise _Refused(ALIAS_MESSAGE, event.start_mark)
            self._count += 1
            if self._count > self.max_values:
                raise _Refused(f"more than {self.max_values:,} values in one file", event.start_mark)
            tag = event.tag
            if not self.allow_tags and tag is not None and tag != "!":
                raise _Refused(f"YAML tags such as {tag[:40]!r} are not allowed in this file (it is plain data)",
                               event.start_mark)
            if cls is ScalarEvent:
                if len(event.value) > self.max_text:
                    raise _Refused(f"a text of {len(event.value):,} characters is too long "
                                   f"(at most {self.max_text:,})", event.start_mark)
                if tag is None or tag == "!":
                    tag = self.resolve(ScalarNode, event.value, event.implicit)
                if tag == MERGE_TAG:
                    raise _Refused(MERGE_MESSAGE, event.start_mark)
                return ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
            if depth >= self.max_depth:
                raise _Refused(f"nested more than {self.max_depth} levels deep", event.start_mark)
            if cls is SequenceStartEvent:
                if tag is None or tag == "!":
                    tag = self.resolve(SequenceNode, None, event.implicit)
                node = SequenceNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
                items = node.value
                while type(self.peek_event()) is not SequenceEndEvent:
                    items.append(self._node(depth + 1))
            else:  # MappingStartEvent
                if tag is None or tag == "!":
                    tag = self.resolve(MappingNode, None, event.implicit)
                node = MappingNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
                pairs = node.value
                while type(self.peek_event()) is not MappingEndEvent:
                    key = self._node(depth + 1)
                    pairs.append((key, self._node(depth + 1)))
            node.end_mark = self.get_event().end_mark
            return node

    return BoundedComposer


ALIAS_MESSAGE = "YAML aliases (&anchor / *alias) are not allowed: write the value out in full"
MERGE_MESSAGE = "YAML merge keys (<<) are not allowed: write the keys out in full"
MERGE_TAG = "tag:yaml.org,2002:merge"


@cache
def _loaders() -> tuple[type, type]:
    """(line-tracking loader, plain loader), built on first use so importing this module is cheap.
    libyaml's C parser is ~10x faster (start-up parses every content file); same safe constructors.
    Both compose through the bounded composer."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    composer = _bounded_composer()

    class _Plain(composer, base):  # type: ignore[misc, valid-type]
        pass

    class _Loader(_Plain):
        pass

    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return _Loader, _Plain


class YamlError(Exception):
    """Malformed or refused YAML, with the 1-based line where the parser gave up."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def load_yaml(text: str, *, line_offset: int = 0, track_lines: bool = True, allow_tags: bool = True) -> Any:
    """Parse YAML text (safe constructors only); raise YamlError(message, line) on malformed input
    and on what the bounded composer refuses (aliases, anchors, merge keys, too deep, too many values,
    too long a text). Without `track_lines` the plain loader is used (several times faster: page
    front matter). Every YAML the core reads goes through here."""
    import yaml

    tracking, plain = _loaders()
    loader = (tracking if track_lines else plain)(text)
    loader.allow_tags = allow_tags
    loader.newlines = newlines = _newlines(text)
    try:
        return loader.get_single_data()
    except _Refused as exc:
        raise YamlError(str(exc), _line(exc.mark, newlines) + 1 + line_offset) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (_line(mark, newlines) + 1 if mark else 1) + line_offset
        msg = exc.problem or str(exc).split("\n", 1)[0]
        raise YamlError(f"malformed YAML: {msg}", line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (control characters)
        line = text.count("\n", 0, max(exc.position, 0)) + 1 + line_offset
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise YamlError(f"malformed YAML: the character U+{char:04X} is not allowed in YAML text", line) from None
    except yaml.YAMLError as exc:
        first = str(exc).split("\n", 1)[0]  # PyYAML adds lines saying where; the line number says it
        raise YamlError(f"malformed YAML: {first}", 1 + line_offset) from None
    except RecursionError:  # defensive: the composer stops nesting long before Python's limit
        raise YamlError("malformed YAML: nested too deeply", 1 + line_offset) from None
    except (ValueError, OverflowError) as exc:  # a scalar Python cannot build, outside any tracked mapping
        raise YamlError(f"malformed YAML: a value cannot be read ({_reason(exc)})", 1 + line_offset) from None
    finally:
        loader.dispose()


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
