"""Starting with no display at all: the GUI says in one line what is missing and how to run without
a screen, and exits 2 (Qt itself would abort with SIGABRT); the runs that draw offscreen
(--screenshot, --smoke-test, --self-test) need no display and choose the offscreen platform."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="X11 / Wayland systems only")


def _headless_env(tmp_path: Path) -> dict[str, str]:
    """This environment without a display or a chosen Qt platform, and with private folders."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(IRONBONE_DATA_DIR=str(tmp_path / "data"), IRONBONE_CACHE_DIR=str(tmp_path / "cache"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    return env


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=_headless_env(tmp_path),
                          capture_output=True, text=True, timeout=180)


def test_the_gui_without_a_display_says_what_is_missing_and_exits_2(tmp_path) -> None:
    out = _run(tmp_path)
    assert out.returncode == 2, (out.returncode, out.stderr)  # not -6 (SIGABRT)
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    line = lines[0]
    assert "no display" in line and "DISPLAY" in line and "WAYLAND_DISPLAY" in line  # what is missing
    assert "QT_QPA_PLATFORM=offscreen" in line  # how to run without one
    assert out.stdout == ""
    assert not (tmp_path / "data" / "recovery").exists()  # nothing was started


def test_a_session_file_on_the_command_line_gets_the_same_answer(tmp_path) -> None:
    out = _run(tmp_path, str(tmp_path / "lesson.ironbone"))
    assert out.returncode == 2 and "QT_QPA_PLATFORM=offscreen" in out.stderr


@pytest.mark.parametrize("args", [["--smoke-test"], ["--screenshot", "shot.png"], ["--self-test"]],
                         ids=["smoke-test", "screenshot", "self-test"])
def test_runs_that_draw_offscreen_need_no_display(tmp_path, args) -> None:
    args = [str(tmp_path / a) if a.endswith(".png") else a for a in args]
    out = _run(tmp_path, *args)
    assert out.returncode == 0, out.stderr
    assert "no display" not in out.stderr
    if "--screenshot" in args:
        from PySide6.QtGui import QImage

        image = QImage(args[-1])
        assert not image.isNull() and image.width() > 800
