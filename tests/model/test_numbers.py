"""The one range check (app/model/numbers.py): a finite number within bounds, or one line that
starts with where the number came from and shows the value shortened, whatever the value is."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from app.model.numbers import MAX_YEARS, HugeNumber, in_range, json_float, json_int, shown_names
from app.model.simulation import Inputs


@pytest.mark.parametrize(("value", "expected"), [
    (5, 5.0), (2.5, 2.5), (0, 0.0), (120, 120.0), (np.float32(3.5), 3.5), (np.int64(7), 7.0)])
def test_a_number_in_range_comes_back_as_a_float(value: object, expected: float) -> None:
    got = in_range("x", value, 0, 120, "%")
    assert got == expected and type(got) is float


ODD = [
    (121, "121"), (-0.5, "-0.5"), (math.nan, "nan"), (math.inf, "inf"), (True, "true"), (None, "null"),
    ("50", "'50'"), ([1, 2], "[1, 2]"), ({"a": 1}, '{"a": 1}'), (np.bool_(True), type(np.bool_(True)).__name__),
    (10**400, "a number with 401 digits"), (-(10**5000), "a negative number with 5,001 digits"),
    (HugeNumber("9" * 5000), "a number with 5,000 digits"), (HugeNumber("1e999"), "1e999"),
    ("x" * 100_000, "'" + "x" * 38 + "…"), ("a\u2028b\x00\ud800", "'a\\u2028b\\x00\\ud800'"),
    ([10**5000], "a list of 1 items"),
]


@pytest.mark.parametrize(("value", "got"), ODD, ids=[f"odd{i}" for i in range(len(ODD))])  # repr() fails on 10**5000
def test_anything_else_is_one_short_line_naming_the_place(value: object, got: str) -> None:
    with pytest.raises(ValueError) as info:
        in_range("pinned[0].formation[3]", value, 0, 120, "%")
    kind = "be" if isinstance(value, (int, float, HugeNumber)) and value == value and type(value) is not bool \
        else "be a number"  # out of range, or no number at all (text, true, NaN)
    assert str(info.value) == f"pinned[0].formation[3] must {kind} between 0 and 120 % (got {got})"


def test_the_value_may_be_shown_as_typed() -> None:
    with pytest.raises(ValueError, match=r"^--years must be between 0 and 60 years \(got '1e400'\)$"):
        in_range("--years", float("1e400"), 0, MAX_YEARS, "years", given="1e400")


def test_json_hooks_turn_unholdable_numbers_into_huge_numbers() -> None:
    data = json.loads('[1, -2, 1.5, 1e999, -1e999, ' + "7" * 5000 + "]", parse_int=json_int, parse_float=json_float)
    assert data[:3] == [1, -2, 1.5]
    assert [str(x) for x in data[3:]] == ["1e999", "-1e999", "a number with 5,000 digits"]


def test_the_models_inputs_use_the_one_check() -> None:
    with pytest.raises(ValueError) as info:
        Inputs(estrogen=10, ferritin=50, clamps={"ros": "x" * 10_000})
    assert str(info.value) == f"clamp ros must be a number between 0 and 1 (activity) (got '{'x' * 38}…)"


def test_names_from_a_file_are_listed_short_on_one_line() -> None:
    assert shown_names(["rankl", "opg"]) == "rankl, opg"
    assert shown_names("first\nsecond") == "first\\nsecond"
    assert shown_names([str(i) for i in range(7)]) == "0, 1, 2, 3, 4, … (7 in all)"
    long = shown_names(["long" * 5_000, ["a list"] * 1_000, 10**400])
    # each name at most 30 characters, the last one the ellipsis
    assert long == "longlonglonglonglonglonglongl…, [\"a list\", \"a list\", \"a list\"…, a number with 401 digits"
