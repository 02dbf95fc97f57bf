"""Fixtures that build real main windows for GUI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.knowledge.content import load_content


@pytest.fixture
def make_window(qtbot):
    from app.ui.main_window import MainWindow

    def make(root: Path, *, show: bool = True):
        window = MainWindow(load_content(root))
        qtbot.addWidget(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
            window.activateWindow()
            qtbot.waitUntil(window.isActiveWindow)
            window.view.fit_all()
        return window

    return make
