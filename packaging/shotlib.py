"""What the screenshot scripts share: running the event loop until the window has settled, and the
environment of a fresh user on an offscreen screen of a given size (packaging/*screenshots.py)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path


def settle(app, until=lambda: True, seconds: float = 20.0, after: int = 30) -> None:  # noqa: ANN001
    """Run the event loop until `until()` holds (at most `seconds`), then `after` more short turns so
    late layout and paints land (the model loads just after the first paint)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and not until():
        app.processEvents()
        time.sleep(0.01)
    for _ in range(after):
        app.processEvents()
        time.sleep(0.01)


def screen_env(width: int, height: int, folder: Path) -> dict[str, str]:
    """The environment for a child process on one offscreen screen of `width`×`height` at 96 dpi, as a
    fresh user: settings, data and progress in `folder`, which the caller creates and removes."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    return dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
                XDG_CONFIG_HOME=str(folder / "config"), XDG_DATA_HOME=str(folder / "data"),
                IRONBONE_DATA_DIR=str(folder / "data"))
