"""Hostile values put into every field and key of a YAML file, one at a time, and the check that
every message a loader then gives is one short line: the deterministic side of the hostile-values
fuzzing (fuzz_content.hostile_values draws from the same places at random).
Load it by path (tests/ is no package under --import-mode=importlib):
    hf = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "hostile_fields.py")))
"""

from __future__ import annotations

import copy
import json
import os
import re
import runpy
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

fd = SimpleNamespace(**runpy.run_path(str(Path(__file__).with_name("fuzz_data.py"))))

# The values every field gets, each wrong somewhere: the longest text a content file may hold (an
# id-like one, so checks that accept ids take it and echo it further), a text holding every kind of
# line break and an escape sequence, a nested list and a mapping of long texts (text where a list
# belongs and the reverse: unhashable, unsortable), and a 401-digit integer (no text, no float).
# Each echoed in full makes a message far over MAX_CHARS; the nested list is 20 texts, not more,
# because every case is parsed by the pure-Python YAML loader and the sweep must stay fast.
LONG = "long" * 5_000
NESTED = [["a long text in a nested list " * 4] * 20]
LINES = "first line\nsecond line\r\nthird\u2028fourth\u2029fifth\x85sixth\x1b[31m"
MAPPING = {"a key in a mapping " * 20: "a value in a mapping " * 20}
NUMBER = 10**400
VALUES = {"long": LONG, "nested": NESTED, "lines": LINES, "mapping": MAPPING, "number": NUMBER}
KEYS = {"long": LONG, "lines": LINES}  # a key is text (YAML refuses a list as a key)
# A message at most this long still reads as one line of a report or a terminal. Values from the
# file are shown shortened (numbers.shown: 40 characters, numbers.shown_names: five names of 30), so
# a message is its fixed text plus a value or two: the longest any check gives in the sweep is 251
# characters (an objective's verb hint: the value, then ten of the verbs). Any echo of the values
# above goes far past 300 (LINES, 70 characters raw, is caught by its line breaks instead).
MAX_CHARS = 300
BREAKS = "\n\r\u2028\u2029\x85"

Path_ = tuple[Any, ...]


def fields(data: Any) -> list[tuple[str, Path_]]:
    """("value", path) for every value below the root and ("key", path) for every mapping key,
    the first of each shape: the items of a list count as one (a quiz's 40 questions are one
    question with all the keys any of them has)."""
    out: list[tuple[str, Path_]] = []
    seen: set[tuple[str, tuple]] = set()

    def walk(node: Any, path: Path_, shape: tuple) -> None:
        if isinstance(node, dict):
            items: Iterable[tuple[Any, Any, Any]] = ((k, v, repr(k)) for k, v in node.items())
        elif isinstance(node, list):
            items = ((i, v, "*") for i, v in enumerate(node))
        else:
            return
        for step, value, s in items:
            here = (*shape, s)
            kinds = ("value", "key") if isinstance(node, dict) else ("value",)
            for kind in kinds:
                if (kind, here) not in seen:
                    seen.add((kind, here))
                    out.append((kind, (*path, step)))
            walk(value, (*path, step), here)

    walk(data, (), ())
    return out


def changed(data: Any, kind: str, path: Path_, value: Any) -> Any:
    """A deep copy of `data` with the value at `path` replaced by `value` (kind "value"), or the
    key at `path` renamed to `value` in its place (kind "key")."""
    data = copy.deepcopy(data)
    parent = fd._get(data, path[:-1])
    if kind == "value":
        parent[path[-1]] = value
    else:
        items = list(parent.items())
        parent.clear()
        parent.update((value if k == path[-1] else k, v) for k, v in items)
    return data


# Characters YAML does not allow raw, or folds into a space inside a quoted text: JSON leaves them
# (it escapes only those below U+0020), YAML's own escapes keep them.
_YAML_ESCAPES = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF",
                 **{chr(c): f"\\x{c:02X}" for c in [0x7F, *range(0x80, 0x85), *range(0x86, 0xA0)]}}


def dump(data: Any) -> str:
    """`data` as YAML: JSON written one value a line (JSON is YAML; PyYAML's pure-Python emitter
    would take most of the time of a sweep), a key longer than YAML's 1,024 characters for a plain
    one written as an explicit `? key`, the characters YAML needs escaped."""
    def emit(value: Any, indent: str) -> str:
        inner = indent + " "
        if isinstance(value, dict) and value:
            items = [("? " if len(str(k)) > 1000 else "") + json.dumps(str(k), ensure_ascii=False) + ": "
                     + emit(v, inner) for k, v in value.items()]
            return "{\n" + ",\n".join(inner + item for item in items) + "\n" + indent + "}"
        if isinstance(value, list) and value:
            return "[\n" + ",\n".join(inner + emit(v, inner) for v in value) + "\n" + indent + "]"
        return json.dumps(value, ensure_ascii=False)

    text = emit(data, "")
    return text.translate(str.maketrans(_YAML_ESCAPES)) if any(c in text for c in _YAML_ESCAPES) else text


# Every value in every field when this is set (several minutes); otherwise each field gets one of
# them in turn (field 1 the first value, field 2 the second...), so every value still reaches a fifth
# of the fields and a sweep takes a second or two.
ALL = os.environ.get("IRONBONE_HOSTILE_FIELDS") == "all"


def cases(data: Any, every: bool | None = None) -> Iterator[tuple[str, Any]]:
    """(what was changed, the changed data) for every field and key of `data` and every hostile
    value that fits there (`every`, default ALL), or one value for each in turn."""
    every = ALL if every is None else every
    for i, (kind, path) in enumerate(fields(data)):
        values = list((VALUES if kind == "value" else KEYS).items())
        for name, value in (values if every else [values[i % len(values)]]):
            yield f"{kind} {fd.show_path(path)} = {name}", changed(data, kind, path, value)


def bad_messages(messages: Iterable[str], max_chars: int = MAX_CHARS) -> list[str]:
    """The messages that are not one short line (shown shortened, for the failure report)."""
    return [f"{len(m)} chars: {m[:150]!r}" for m in messages
            if len(m) >= max_chars or any(c in m for c in BREAKS)]


def problem_faults(problems: Iterable[Any], max_chars: int = MAX_CHARS) -> list[str]:
    """What is wrong with the problems a loader reported: a message that is not one short line, no
    file named, a line below 1."""
    problems = list(problems)
    out = bad_messages([p.message for p in problems], max_chars)
    out += [f"no file: {str(p)[:150]!r}" for p in problems if not isinstance(p.file, str) or not p.file]
    out += [f"line {p.line}: {str(p)[:150]!r}" for p in problems if not isinstance(p.line, int) or p.line < 1]
    return out


def _raised(exc: BaseException) -> str:
    """An exception a loader let escape, with the line of app/ it came from."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/app/" in f.filename.replace("\\", "/")]
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"raised {type(exc).__name__}{where}: {str(exc)[:100]!r}"


def sweep(original: Any, check: Callable[[Any], list[str]], tried: list[int] | None = None) -> list[str]:
    """check(changed data) for every hostile case of `original`; the faults found, each with its
    case. An exception out of `check` is a fault too (a hostile file must never crash a loader).
    `tried`, when given, gets the number of cases appended."""
    faults = []
    n = 0
    for what, data in cases(original):
        n += 1
        try:
            found = check(data)
        except Exception as exc:  # noqa: BLE001 - any exception is what this sweep reports
            found = [_raised(exc)]
        faults += [f"{what}: {fault}" for fault in found]
    if tried is not None:
        tried.append(n)
    return faults


# Where a hostile value starts in a message (how each of VALUES and KEYS reads once echoed).
_ECHOES = ("longlong", "first line", "a long text in a nested", "a key in a mapping", "1" + "0" * 20)


def summary(faults: list[str], limit: int = 40) -> str:
    """The faults grouped by the message they come from (the text before the hostile value), one
    example of each: one bug echoing a value usually shows in dozens of cases."""
    groups: dict[str, list[str]] = {}
    for fault in faults:
        text = fault.split(": ", 1)[1] if ": " in fault else fault
        if text.startswith("raised "):  # one group for each place an exception came from
            groups.setdefault(text.split(": ", 1)[0], []).append(fault)
            continue
        cut = min([i for i in (text.find(e) for e in _ECHOES) if i >= 0] or [80])
        groups.setdefault(re.sub(r"'[^']{0,40}'|\d+", "_", text[:min(cut, 80)]), []).append(fault)
    lines = [f"{len(faults)} faults in {len(groups)} groups:"]
    lines += [f"[{len(v)}x] {v[0][:400]}" for v in list(groups.values())[:limit]]
    return "\n".join(lines)
