"""Monkey test: thousands of random user events from a fixed seed must raise nothing, log no Qt
warning (pytest-qt fails the test on either) and leave the window responsive.

Short run by default; IRONBONE_MONKEY_EVENTS=20000 for a long run on demand, and
IRONBONE_MONKEY_SEED=N for other sequences."""

from __future__ import annotations

import os
import random
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

CONTENT = Path(__file__).resolve().parents[2] / "content"
EVENTS = int(os.environ.get("IRONBONE_MONKEY_EVENTS", "1500"))
SEED = int(os.environ.get("IRONBONE_MONKEY_SEED", "20231126"))
KEYS = [Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up,
        Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_F, Qt.Key.Key_Equal, Qt.Key.Key_Minus,
        Qt.Key.Key_0, Qt.Key.Key_Escape, Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Home,
        Qt.Key.Key_A, Qt.Key.Key_R, Qt.Key.Key_O, Qt.Key.Key_Backspace, Qt.Key.Key_F5, Qt.Key.Key_I,
        Qt.Key.Key_PageUp]
MODS = [Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier,
        Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ShiftModifier]
SKIP_ACTIONS = {"Quit"}


def _lecture(window):  # noqa: ANN001, ANN202
    return window.features["lecture"]


def _quiz(window):  # noqa: ANN001, ANN202
    return window.features["quiz"]


def _click_node(qtbot, window, node_id: str) -> None:  # noqa: ANN001
    """A left click where the node is drawn, as a person would: the view scrolls to it first."""
    window.view.centre_on_node(node_id)
    at = window.view.mapFromScene(window.scene.node_items[node_id].pos())
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)


def _close_popups() -> None:
    for w in QApplication.topLevelWidgets():
        if w.isVisible() and w.isWindow() and w.windowType() in (Qt.WindowType.Dialog, Qt.WindowType.Popup):
            w.close()


def test_random_events_break_nothing(qtbot, make_window) -> None:
    rng = random.Random(SEED)
    window = make_window(CONTENT)
    # Actions ending in "…" open a modal file or input dialog (a person answers those; the
    # export tests drive them with answered dialogs).
    actions = [a for a in window.actions() if a.text().replace("&", "") not in SKIP_ACTIONS
               and not a.text().endswith("…")]
    # The quiz's "Practice…" and "Exam…" open its dock (no dialog): the monkey answers quizzes too.
    actions += [_quiz(window).act_practice, _quiz(window).act_exam]
    node_ids = list(window.content.pathway.node_ids)
    for i in range(EVENTS):
        kind = rng.random()
        target: QWidget = window.childAt(QPoint(rng.randrange(window.width()),
                                                rng.randrange(window.height()))) or window
        pos = QPoint(rng.randrange(max(1, target.width())), rng.randrange(max(1, target.height())))
        if kind < 0.35:
            button = rng.choice([Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton])
            qtbot.mouseClick(target, button, pos=pos)
            if button == Qt.MouseButton.RightButton:
                _close_popups()
        elif kind < 0.45:
            qtbot.mouseMove(target, pos)
        elif kind < 0.75:
            qtbot.keyClick(target, rng.choice(KEYS), rng.choice(MODS))
        elif kind < 0.85:
            view = window.view.viewport()
            p = QPointF(rng.randrange(view.width()), rng.randrange(view.height()))
            delta = QPoint(0, rng.choice([-240, -120, 120, 240]))
            event = QWheelEvent(p, QPointF(view.mapToGlobal(p.toPoint())), QPoint(0, 0), delta,
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                Qt.ScrollPhase.NoScrollPhase, False)
            QApplication.sendEvent(view, event)
        elif kind < 0.95:
            rng.choice(actions).trigger()
            _close_popups()
        elif kind < 0.955 and window.model_controller is not None:
            _lecture(window).tours_menu.aboutToShow.emit()
            tours = [a for a in _lecture(window).tours_menu.actions() if a.objectName().startswith("tour:")]
            rng.choice(tours).trigger()
        elif kind < 0.975:
            _click_node(qtbot, window, rng.choice(node_ids))
        else:
            window.panel.follow_link(rng.choice(["node:ros", "topic:help", "ref:cai2023", "javascript:x",
                                                 "node:nope", "topic:nope", "data:x", "file:///"]))
        if i % 100 == 0:
            QApplication.processEvents()
    _close_popups()
    _lecture(window).presentation.leave()
    # Still responsive: a click on a node still opens its page.
    window.view.fit_all()
    _click_node(qtbot, window, "hepcidin")
    assert window.panel.location == ("node", "hepcidin")
    assert window.controller.selected == "hepcidin" and window.scene.node_items["hepcidin"].selected
    assert window.isVisible()
