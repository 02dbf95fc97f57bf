"""IronBone opens no network connection: start-up, every page, the references and help."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from app.knowledge.content import load_content

CONTENT = Path(__file__).resolve().parents[1] / "content"


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise NetworkUsed(f"network access attempted: {args[:2]!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_start_and_read_every_page_offline(qtbot, no_network) -> None:
    from app.ui.main_window import MainWindow

    window = MainWindow(load_content(CONTENT))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    for node_id in window.content.pathway.node_ids:
        window.controller.select_node(node_id)
    for topic in window.content.topic_pages:
        window.controller.open_page("topic", topic)
    window.controller.open_page("ref", "")
    window.panel.follow_link("javascript:fetch('http://example.org')")
    assert no_network == []
    import sys

    assert "PySide6.QtNetwork" not in sys.modules  # Qt's own networking is never loaded


def test_remote_images_are_never_fetched(qtbot, no_network, mini_dir) -> None:
    from PySide6.QtCore import QUrl

    from app.ui.page_panel import PagePanel

    page = mini_dir / "nodes" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![remote](http://example.org/x.png)\n"
                    "![up](../../etc/passwd)\n", encoding="utf-8")
    panel = PagePanel(load_content(mini_dir))
    qtbot.addWidget(panel)
    panel.show_location("node", "alpha")
    assert "image not shown: remote" in panel.toPlainText()
    assert "image not shown: up" in panel.toPlainText()
    assert panel.loadResource(2, QUrl("http://example.org/x.png")) is None
    assert panel.loadResource(2, QUrl("file:///etc/hostname")) is None
    assert no_network == []
