"""Fixtures that build real main windows for GUI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.knowledge.content import load_content


def _active_within(window) -> bool:  # noqa: ANN001
    from PySide6.QtWidgets import QApplication

    active = QApplication.activeWindow()
    while active is not None and active is not window:
        active = active.parentWidget()
    return active is window


@pytest.fixture
def make_window(qtbot):
    from app.ui.app import create_window

    def make(root: Path, *, show: bool = True, features=None):  # noqa: ANN001 - None: every feature
        window = create_window(load_content(root)) if features is None else create_window(load_content(root),
                                                                                          features=features)
        qtbot.addWidget(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
            window.activateWindow()
            # Active, or one of its own windows is (a message the start-up opened may take focus).
            qtbot.waitUntil(lambda: _active_within(window))
            window.view.fit_all()
            # The start page opens just after the first paint; wait for it like a person would.
            qtbot.waitUntil(lambda: window.controller.location is not None)
        return window

    return make


@pytest.fixture
def window(qtbot, make_window):
    """The main window on the shipped content, shown, with its model loaded (just after the
    first paint). Test files that need something else define their own `window`."""
    w = make_window(Path(__file__).resolve().parents[2] / "content")
    qtbot.waitUntil(lambda: w.model_controller is not None)
    return w


@pytest.fixture(autouse=True)
def _palette_restored(qapp):
    """A test that turns the app dark (View ▸ Appearance) does not leave the next one dark."""
    before = qapp.palette()
    yield
    if qapp.palette() != before:
        qapp.setPalette(before)


@pytest.fixture(autouse=True)
def opened_urls(monkeypatch) -> list[str]:
    """No test ever launches a browser: external links are recorded instead."""
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    return opened
