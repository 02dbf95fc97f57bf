"""Hypothesis strategies for the other files a person hands IronBone: session files (JSON), GIFT
text and quiz-bank YAML. Structure-aware mutations of a valid document (delete, replace or retype
a value at any depth, absurd numbers, hostile strings from hostile.py, very long lists, deep
nesting) and byte/text-level damage.
Load it by path (tests/ is no package under --import-mode=importlib):
    fd = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "fuzz_data.py")))
"""

from __future__ import annotations

import copy
import json
import math
import os
import runpy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

ODD_TEXT = ["", " ", "\x00", "\ufeff", "\u202e", "\ud800", "é" * 300, "a" * 5000, "-1", "1e400", "NaN",
            "Infinity", "null", "true", "[]", "{}", "\\", '"', "\n", "\r\n", "𝔘𝔫𝔦", "\u0301", "node:", "topic:"]
ODD_NUMBERS = [0, -0.0, -1, 1, 2**53 + 1, -(2**63), 10**400, -(10**400), 1e308, -1e308, 5e-324, 0.1,
               999_999_999, 1.5, 10_000, 200.0001, 120.0000001]

hostile = SimpleNamespace(**runpy.run_path(str(Path(__file__).with_name("hostile.py"))))
json_scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(ODD_TEXT), st.sampled_from(ODD_NUMBERS),
    hostile.hostile_strings(),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=5)),
    max_leaves=20)
yaml_scalars = st.one_of(json_scalars, st.floats(), st.sampled_from([math.nan, math.inf, -math.inf]))
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.booleans()), inner,
                                            max_size=5)),
    max_leaves=20)


def fuzz_settings(env: str, default: int, *, fixtures: bool = False) -> settings:
    """Reproducible (derandomized) settings; the environment variable `env` sets the number of
    examples for longer runs. `fixtures`: the test takes function-scoped fixtures."""
    checks = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
    if fixtures:
        checks.append(HealthCheck.function_scoped_fixture)
    return settings(max_examples=int(os.environ.get(env, str(default))), deadline=None, database=None,
                    derandomize=True, suppress_health_check=checks)


def plain_yaml(data: Any, **kw: Any) -> str:
    """YAML text for `data` with every shared value written out in full: PyYAML's dumper writes a
    value met twice (as `[x] * 50` makes) as &anchor / *alias, which IronBone refuses on sight."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    return yaml.dump(data, Dumper=Dumper, **kw)


# --- structure-aware mutations -----------------------------------------------------------------
Path_ = tuple[Any, ...]


def _paths(tree: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every path to a value inside `tree` (dict keys and list indexes), the root included."""
    out = [prefix]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out += _paths(v, (*prefix, i))
    return out


def _get(tree: Any, path: Path_) -> Any:
    for p in path:
        tree = tree[p]
    return tree


def show_path(path: Path_) -> str:
    """A path as the session messages write it: inputs.clamps.rankl, timeline[0].t."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


@st.composite
def mutation(draw, tree: Any, values: st.SearchStrategy = json_values, *, big: bool = True) -> tuple[Any, Path_]:
    """One structural change somewhere in a deep copy of `tree`: (new tree, path changed).
    `big`: the change may make very long lists or deep nesting."""
    tree = copy.deepcopy(tree)
    ops = ["delete", "replace", "retype", "number", "text", "add"] + (["long", "deep"] if big else [])
    op = draw(st.sampled_from(ops))
    paths = _paths(tree)
    if op in ("number", "text"):  # mostly where a number or a text already is
        same = [p for p in paths if isinstance(_get(tree, p), (int, float) if op == "number" else str)]
        paths = same if same and draw(st.integers(0, 3)) else paths
    path = draw(st.sampled_from(paths))
    old = _get(tree, path)
    if op == "delete" and path:
        parent = _get(tree, path[:-1])
        del parent[path[-1]]
        return tree, path
    if op == "add" and isinstance(old, dict):
        old[draw(st.sampled_from(["x", "inputs", "version", "t", "id", "type", "__proto__", "é", ""]))] = \
            draw(values)
        return tree, path
    if op == "number":
        new: Any = draw(st.one_of(st.sampled_from(ODD_NUMBERS), st.integers(),
                                  st.floats(allow_nan=False, allow_infinity=False)))
    elif op == "text":
        new = draw(st.one_of(st.sampled_from(ODD_TEXT), hostile.hostile_strings(), st.just(str(old)[:100])))
    elif op == "retype":
        new = draw(st.sampled_from([[old], {"value": old}, str(old)[:100], None, True, 0, [], {}]))
    elif op == "long":
        small = isinstance(old, (dict, list)) and len(json.dumps(old, default=str)) > 50
        new = [old] * draw(st.sampled_from([2, 51, 201] if small else [2, 51, 201, 1001, 5000]))
    elif op == "deep":
        new = old
        for _ in range(draw(st.sampled_from([5, 33, 200, 900]))):
            new = [new] if draw(st.booleans()) else {"a": new}
    else:
        new = draw(values)
    if not path:
        return new, path
    _get(tree, path[:-1])[path[-1]] = new
    return tree, path


@st.composite
def mutated_tree(draw, tree: Any, values: st.SearchStrategy = json_values) -> tuple[Any, list[Path_]]:
    """One to three mutations: (new tree, the paths changed)."""
    paths = []
    n = draw(st.integers(1, 3))
    for i in range(n):
        tree, path = draw(mutation(tree, values, big=i == n - 1))  # a long list or deep nest comes last
        paths.append(path)
    return tree, paths


# --- byte- and text-level damage --------------------------------------------------------------
@st.composite
def damaged_bytes(draw, data: bytes) -> bytes:
    """Cut short, bits flipped, bytes inserted or deleted."""
    n = len(data)
    op = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "swap"]))
    if op == "truncate":
        return data[:draw(st.integers(0, n))]
    out = bytearray(data)
    if op == "flip":
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, n - 1))
            out[i] ^= 1 << draw(st.integers(0, 7))
        return bytes(out)
    a = draw(st.integers(0, n))
    if op == "insert":
        return bytes(out[:a]) + draw(st.one_of(st.binary(min_size=1, max_size=20), st.sampled_from(
            [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xef\xbb\xbf", b"\\", b'"', b",", b"{", b"]"]))) + \
            bytes(out[a:])
    b = draw(st.integers(a, min(n, a + 30)))
    if op == "delete":
        return bytes(out[:a] + out[b:])
    return bytes(out[:a] + out[b:] + out[a:b])  # a span moved to the end


@st.composite
def damaged_text(draw, text: str, junk: list[str]) -> str:
    """A valid text cut short, or a span replaced by (format-specific) junk."""
    n = len(text)
    a = draw(st.integers(0, n))
    if draw(st.integers(0, 4)) == 0:
        return text[:a]
    b = draw(st.integers(a, min(n, a + 40)))
    return text[:a] + draw(st.one_of(st.text(max_size=15), st.sampled_from(junk))) + text[b:]
