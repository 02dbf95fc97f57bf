"""Small screens, projectors and HiDPI: the window opens inside the screen's available area (restored
positions included), and at 1024×768, 1366×768 and 2560×1440 at scale 2 nothing is clipped: the
clock's buttons stay on the toolbar, the inputs scroll instead of cutting, the diagram's labels stay
legible with the quiz open, presentation mode shows labels of at least 14 px with whole titles, axes
and legends, a compact tour bar, the side docks closed (and back after), and a mark for inquiry mode.

The screen sizes are real: each size runs tests/helpers/screen_probe.py in its own process on Qt's
offscreen platform configured with that screen (QT_SCALE_FACTOR for HiDPI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings, QSize, Qt

from app.ui.shell.layout import DEFAULT_SIZE
from app.ui.shell.screen_fit import FRAME, clamped, first_geometry

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "content"
PREFERRED = QSize(*DEFAULT_SIZE)


def _fits(client: QRect, area: QRect) -> bool:
    """The client rectangle and a window manager's frame around it lie in `area`."""
    return area.contains(client.marginsAdded(FRAME))


@pytest.mark.parametrize(("w", "h", "maximise"), [(1024, 768, True), (1366, 768, True), (1280, 720, True),
                                                  (1920, 1080, False), (2560, 1440, False)])
def test_the_first_size_fits_the_screen(w, h, maximise) -> None:
    area = QRect(0, 0, w, h - 40)  # a panel at the bottom
    rect, maximised = first_geometry(area, PREFERRED)
    assert maximised == maximise
    assert _fits(rect, area)
    if not maximise:  # room to spare: the preferred size, centred
        assert rect.size() == PREFERRED
        assert abs(rect.center().x() - area.center().x()) <= 1


@pytest.mark.parametrize("saved", [QRect(3000, 2000, 1280, 800), QRect(-900, -500, 1280, 800),
                                   QRect(100, 100, 2400, 1600), QRect(1000, 10, 600, 400)])
def test_a_saved_geometry_is_pulled_back_onto_a_smaller_screen(saved) -> None:
    area = QRect(0, 0, 1024, 740)
    rect = clamped(saved, area)
    assert _fits(rect, area)
    assert rect.width() == min(saved.width(), area.width() - FRAME.left() - FRAME.right())


def test_restored_settings_stay_on_the_screen_they_open_on(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    window.showNormal()
    window.setGeometry(QRect(0, 30, 800, 760))  # fits the offscreen test screen (800×800)...
    window.close()
    assert QSettings().value("window/geometry") is not None
    again = make_window(CONTENT, show=False)
    small = QRect(0, 0, 1000, 620)  # ...not a 1000×620 one: the screen-size provider says this one
    again.settings.available = lambda: small
    again.settings.restore()
    assert again.height() > 560 and _fits(again.geometry(), small)


def test_first_start_on_a_small_screen_opens_maximised(qtbot, make_window) -> None:
    window = make_window(CONTENT, show=False)
    window.settings.available = lambda: QRect(0, 0, 1024, 740)
    window.settings.place()
    assert window.windowState() & Qt.WindowState.WindowMaximized
    assert _fits(window.geometry(), QRect(0, 0, 1024, 740))
    big = make_window(CONTENT, show=False)
    big.settings.available = lambda: QRect(0, 0, 1920, 1040)
    big.settings.place()
    assert not big.windowState() & Qt.WindowState.WindowMaximized and big.size() == PREFERRED


# --- real screens ----------------------------------------------------------------------------------
SCREENS = {"1024x768": (1024, 768, 1), "1366x768": (1366, 768, 1), "2560x1440 at scale 2": (2560, 1440, 2)}


@pytest.fixture(scope="module", params=list(SCREENS))
def probe(request, tmp_path_factory):  # noqa: ANN001
    """What screen_probe.py measured on one screen (one process per screen, shared by the tests)."""
    width, height, scale = SCREENS[request.param]
    tmp = tmp_path_factory.mktemp("screen")
    config = tmp / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "probe", "x": 0, "y": 0, "width": width, "height": height,
                                                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=str(scale),
               XDG_CONFIG_HOME=str(tmp / "config"), XDG_DATA_HOME=str(tmp / "data"),
               IRONBONE_CACHE_DIR=str(tmp / "cache"))
    out = subprocess.run([sys.executable, str(ROOT / "tests" / "helpers" / "screen_probe.py")], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["screen"] = (width // scale, height // scale, scale)
    return data


def test_the_window_opens_inside_the_screen(probe) -> None:
    w, h, scale = probe["screen"]
    assert probe["available"] == [0, 0, w, h] and probe["dpr"] == scale
    x, y, fw, fh = probe["frame"]
    assert probe["maximized"] and x >= 0 and y >= 0 and x + fw <= w and y + fh <= h


def test_nothing_is_clipped_in_the_normal_window(probe) -> None:
    assert all(probe["toolbar"].values()), probe["toolbar"]  # Play, Step, Reset on the bar itself
    assert probe["controls"] == []  # every value box, tick box and "?" whole once scrolled to
    assert probe["plots"] == []
    assert probe["diagram"]["label_px"] >= 7 and not probe["diagram"]["overview"]


def test_with_the_quiz_open_the_diagram_stays_legible(probe) -> None:
    quiz = probe["quiz"]
    assert quiz["diagram"]["label_px"] >= 7 and not quiz["diagram"]["overview"]  # labels, not empty boxes
    assert all(quiz["toolbar"].values()) and quiz["controls"] == [] and quiz["plots"] == []


def test_presentation_mode_reads_from_the_back_row(probe) -> None:
    f5 = probe["f5"]
    w, h, _scale = probe["screen"]
    assert f5["frame"] == [0, 0, w, h]
    assert f5["diagram"]["label_px"] >= 14 and not f5["diagram"]["overview"]
    assert f5["focus_centre_shown"]  # the step's path and nodes are in view
    assert f5["plots"] == []  # titles, axis names and legends whole, none over another
    assert f5["plots_height"] >= 180
    assert f5["side_docks"] == []  # the quiz dock is put away while presenting...
    assert probe["after_f5"]["quiz_dock"]  # ...and back afterwards
    assert f5["tour_height"] <= f5["tour_needs"] + 2 and not f5["caption_scrolls"]  # compact, all shown
    assert f5["label_px_larger"] > f5["diagram"]["label_px"] and f5["scale_back"]  # Ctrl+= scales labels
    assert f5["inquiry_badge"] and not f5["inquiry_badge_after"]
    assert probe["after_f5"]["label_px"] < 14 and probe["after_f5"]["tour_title_bar"]


def test_plot_curves_are_never_hairlines(probe) -> None:
    _w, _h, scale = probe["screen"]
    assert probe["cosmetic"] and all(width >= 2 * scale for width in probe["curve_pens"])
