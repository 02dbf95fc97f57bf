"""The one range check for numbers from outside the model (sessions, pinned runs, content, the
command line, the model's own inputs) and the limit of the model clock.

Every check gives a float or a one-line ValueError that starts with where the number came from
(a key path such as `pinned[0].formation[3]`, a flag such as `--years`) and shows the value
shortened: a 100,000-character argument or a 5,000-digit integer is never echoed in full.
"""

from __future__ import annotations

import json
import math

# The model clock stops here, everywhere: the GUI's play and step, sessions and their timeline,
# tours and the command line. Sixty years after a menopause at about 50 reaches 110, past any life
# the model is about; its calibration (SWAN, Greendale 2012; Kim 2012) covers the first decades.
MAX_YEARS = 60.0
SHOWN_CHARS = 40  # a value is shown with at most this many characters in a message
_MAX_DIGITS = 40  # a whole number longer than this is shown as "a number with N digits"


class HugeNumber:
    """A number written in a file that no float holds: more digits than Python will convert
    (a JSON integer of 5,000 digits), or beyond 1.8e308. Kept as its digit count so the check of
    the field it sits in can name the key path; `in_range` always refuses it."""

    __slots__ = ("digits", "literal", "negative")

    def __init__(self, literal: str) -> None:
        self.literal = literal.strip()
        self.negative = self.literal.startswith("-")
        self.digits = sum(c.isdigit() for c in self.literal.lower().split("e")[0])

    def __str__(self) -> str:
        if len(self.literal) <= 20:  # 1e999, -1E+400: short enough to show as written
            return self.literal
        return f"a {'negative ' if self.negative else ''}number with {self.digits:,} digits"

    __repr__ = __str__


def json_int(literal: str) -> int | HugeNumber:
    """`parse_int` for json.loads: Python refuses to convert over 4,300 digits (with a message
    naming no key), so a long one becomes a HugeNumber for the field's own check to report."""
    return HugeNumber(literal) if len(literal) > _MAX_DIGITS else int(literal)


def json_float(literal: str) -> float | HugeNumber:
    """`parse_float` for json.loads: 1e999 is a HugeNumber (refused with its key path), not inf."""
    value = float(literal)
    return value if math.isfinite(value) else HugeNumber(literal)


def _digits(n: int) -> int:
    """Decimal digits of |n| without str(), which refuses over 4,300 digits."""
    n = abs(n)
    k = max(1, int(n.bit_length() * 0.30102999566398114))
    while 10 ** k <= n:
        k += 1
    while k > 1 and 10 ** (k - 1) > n:
        k -= 1
    return k


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A value for a one-line message, at most `limit` characters: text quoted with its control
    characters, line separators and lone surrogates escaped; true / false / null as in JSON; a
    whole number of over 40 digits as "a number with N digits"."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, HugeNumber):
        return str(value)
    if isinstance(value, int):
        if abs(value) >= 10 ** _MAX_DIGITS:
            return f"a {'negative ' if value < 0 else ''}number with {_digits(value):,} digits"
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, str):
        text = repr(value[: limit + 1])  # repr escapes U+2028, control characters and surrogates
    elif isinstance(value, (list, tuple, dict)):
        try:
            text = json.dumps(value, ensure_ascii=True, default=str)
        except (TypeError, ValueError, RecursionError):  # a huge integer or deep nesting inside
            text = f"a {'list' if not isinstance(value, dict) else 'mapping'} of {len(value)} items"
    else:
        text = type(value).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_names(values: object, most: int = 5, limit: int = 30) -> str:
    """Names from a file (unknown keys, ids, sections) for a one-line list in a message: each
    unquoted with its control characters and line separators escaped and at most `limit`
    characters, the first `most` of them, then how many there are in all. A lone text or number is
    one name; a mapping gives its keys."""
    if isinstance(values, (str, bytes, int, float)) or values is None or not hasattr(values, "__iter__"):
        values = [values]
    names = []
    for value in values:  # type: ignore[union-attr]
        text = repr(value)[1:-1] if isinstance(value, str) else shown(value, limit)
        names.append(text if len(text) <= limit else text[: limit - 1] + "…")
    more = f", … ({len(names)} in all)" if len(names) > most else ""
    return ", ".join(names[:most]) + more


_AS_VALUE = object()


def in_range(name: str, value: object, lo: float, hi: float, unit: str = "", *, given: object = _AS_VALUE) -> float:
    """`value` as a float if it is a finite number (not true/false) within [lo, hi]; otherwise a
    one-line ValueError, "NAME must be a number between LO and HI UNIT (got VALUE)" when it is no
    number (text, true, NaN) and "NAME must be between LO and HI UNIT (got VALUE)" when it is out of
    range (infinity and numbers no float holds too); VALUE is shown shortened. NAME is where the number came from:
    a key path, a flag, a field. `given`: what to show instead of `value` (text as typed)."""
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool) or _is_numpy_number(value)
    v = math.inf if isinstance(value, HugeNumber) else math.nan
    if numeric:
        try:
            v = float(value)  # type: ignore[arg-type]
        except OverflowError:  # an integer too large for a float is out of range too
            v = math.inf
    if not (math.isfinite(v) and lo <= v <= hi):
        units = f" {unit}" if unit else ""
        what = "be a number" if math.isnan(v) else "be"
        raise ValueError(f"{name} must {what} between {lo:g} and {hi:g}{units} "
                         f"(got {shown(value if given is _AS_VALUE else given)})")
    return v


def _is_numpy_number(value: object) -> bool:
    """numpy scalars count as numbers, without importing numpy here."""
    kind = type(value).__module__
    return kind == "numpy" and hasattr(value, "dtype") and value.dtype.kind in "iuf"  # type: ignore[attr-defined]
