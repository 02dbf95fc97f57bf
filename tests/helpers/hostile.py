"""Hostile inputs shared by the core's fuzz and hardening tests: a "hostile strings" hypothesis
strategy (rich text that loads devices, huge numbers, control and separator characters, lone
surrogates, device paths, very long texts), hostile files (FIFOs, device links) and a guard that
fails a test, instead of hanging it, when a call blocks.
Load it by path (tests/ is no package under --import-mode=importlib):
    hs = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "hostile.py")))
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# Rich text that makes Qt allocate or block if it is ever interpreted (an image from a device or a
# FIFO), script and markup that must stay text, and the HTML entities of the same.
HTML = ["<img src=/dev/zero>", "<img src='/dev/zero' width=99999 height=99999>", "<img src=file:///dev/urandom>",
        "<b>bold</b>", "<script>alert(1)</script>", "<a href='javascript:alert(1)'>x</a>", "<table><tr><td>",
        "&lt;img src=/dev/zero&gt;", "<!--", "<![CDATA[x]]>", "<?xml version='1.0'?>", "<style>*{}</style>",
        "![x](/dev/zero)", "![x](//127.0.0.1:9/x.png)", "[x](javascript:alert(1))"]
NUMBERS = ["1e308", "-1e308", "1e309", "NaN", "Infinity", "-0", "9" * 5000, "0x10", "1_000", "٣", "１"]
CONTROL = ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029", "\u200b", "\u202e", "\ufeff", "\ufffe",
           "\r", "\r\n", "\t", "\v", "\f"]
SURROGATES = ["\ud800", "\udfff", "a\udc80b"]
DEVICES = ["/dev/zero", "/dev/urandom", "/dev/stdin", "/dev/tty", "/proc/self/mem", "\\\\127.0.0.1\\share\\x.png",
           "%2F%2F127.0.0.1%3A9/x.png", "CON", "NUL", "../../../../etc/passwd", "file:///etc/passwd"]
# Long texts as (piece, times): a strategy holding the texts themselves would have a repr of
# hundreds of kB, which hypothesis builds for its reports (and warns about).
LONG = [("a", 100_000), ("é", 20_000), ("<b>", 10_000), ("x\n", 50_000), ("[", 5_000), ("𝔘", 10_000)]
ALL = HTML + NUMBERS + CONTROL + SURROGATES + DEVICES + [piece * n for piece, n in LONG]


def hostile_strings(*, surrogates: bool = True, long: bool = True) -> st.SearchStrategy[str]:
    """One hostile string: a sample from the lists above, or one embedded in ordinary text.
    `surrogates=False` where the text must survive UTF-8 (a file's bytes); `long=False` keeps
    every example under a few hundred characters."""
    pool = HTML + NUMBERS + CONTROL + DEVICES + (SURROGATES if surrogates else [])
    sample = st.sampled_from(pool)
    if long:
        sample = sample | st.sampled_from(LONG).map(lambda spec: spec[0] * spec[1])
    plain = st.text(st.characters(blacklist_categories=("Cs",) if not surrogates else ()), max_size=12)
    return st.one_of(sample, st.builds(lambda a, h, b: a + h + b, plain, sample, plain))


# --- hostile files -----------------------------------------------------------------------------
def make_fifo(path: Path) -> Path:
    """A named pipe at `path` that no one writes to: opening or reading it blocks forever."""
    os.mkfifo(path)
    return path


def link_to_device(path: Path, device: str = "/dev/zero") -> Path:
    """A symlink at `path` to a device that never ends."""
    os.symlink(device, path)
    return path


needs_fifo = sys.platform == "win32" or not hasattr(os, "mkfifo")


def _release(fifo: Path | None) -> None:
    """Open a writer on `fifo` and close it at once: a reader blocked on it sees end of file."""
    if fifo is None:
        return
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    os.close(fd)


def promptly(fn: Callable[[], Any], *, seconds: float = 10.0, fifo: Path | None = None) -> Any:
    """Call fn() in a thread; fail (instead of hanging the suite) if it has not returned within
    `seconds`, which is ample: the calls guarded here take milliseconds. A call blocked on `fifo`
    is released before failing so the thread can end. Returns fn()'s result, re-raises its error."""
    import pytest

    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test below
            out["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        _release(fifo)
        thread.join(5)
        pytest.fail(f"blocked for more than {seconds:g} s", pytrace=False)
    if "error" in out:
        raise out["error"]
    return out.get("value")
