"""The name IronBone was started by, for usage lines (one place, shared by every sub-command)."""

from __future__ import annotations

import sys
from pathlib import Path


def program_name() -> str:
    """How the user started IronBone, for usage lines: `python -m app`, or the command's own name
    (`ironbone`, `ironbone-cli`, the bundle's `ironbone`), without Windows' `.exe`."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if name in ("", "-c", "-m", "__main__.py"):
        return "python -m app"
    return name[:-4] if name.lower().endswith(".exe") else name
