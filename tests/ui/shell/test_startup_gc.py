"""Start-up and the cyclic garbage collector (app.cli, app.ui.app.settle_startup_objects).

The collector is off while the window is built, on again from the first paint, and the objects
alive at the first paint (and again once the model is ready) are frozen, so later collections
skip them. Each run here is a real `python -c` process: freezing would otherwise touch pytest's
own objects."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import gc, sys
import app.ui.shell.main_window as mw
seen = {}
build = mw.MainWindow.__init__
def init(self, *a, **k):
    seen['collecting while building'] = gc.isenabled()
    build(self, *a, **k)
mw.MainWindow.__init__ = init
paint = mw.MainWindow.paintEvent
def on_paint(self, event):
    seen.setdefault('frozen at first paint', gc.get_freeze_count())
    paint(self, event)
mw.MainWindow.paintEvent = on_paint
from app.cli import main
code = main(sys.argv[1:])
seen['collecting after'] = gc.isenabled()
seen['frozen after'] = gc.get_freeze_count()
print(repr(seen))
sys.exit(code)
"""


def _probe(tmp_path: Path, *args: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IRONBONE_CACHE_DIR=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own probe's repr of a dict


def test_the_smoke_test_builds_without_collections_and_freezes_at_the_first_paint(tmp_path) -> None:
    seen = _probe(tmp_path, "--smoke-test")
    assert seen["collecting while building"] is False
    assert seen["collecting after"] is True
    # Everything built before the first paint (tens of thousands of objects) is frozen.
    assert seen["frozen after"] > 10_000


def test_the_model_set_up_is_frozen_too(tmp_path) -> None:
    seen = _probe(tmp_path, "--screenshot", str(tmp_path / "shot.png"))  # waits for the model
    assert (tmp_path / "shot.png").exists()
    assert seen["collecting after"] is True
    # numpy, pyqtgraph, the model and the plots arrive after the first paint and are frozen as well.
    assert seen["frozen after"] > seen.get("frozen at first paint", 0) + 1_000


def test_collection_comes_back_when_the_gui_cannot_start(monkeypatch) -> None:
    import app.ui.app
    from app.cli import main

    def broken(**_kw):
        assert not gc.isenabled()  # it was off while starting
        raise RuntimeError("no display")

    monkeypatch.setattr(app.ui.app, "run_gui", broken)
    assert gc.isenabled()
    assert main(["--smoke-test"]) == 1
    assert gc.isenabled()


@pytest.mark.parametrize("args", [["simulate", "--years", "1"], ["check-content"]])
def test_sub_commands_leave_the_collector_alone(args, capsys) -> None:
    from app.cli import main

    main(args)
    assert gc.isenabled() and gc.get_freeze_count() == 0
