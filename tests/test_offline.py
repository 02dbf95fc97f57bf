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
    from app.ui.app import create_window

    window = create_window(load_content(CONTENT))
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
    from PySide6.QtGui import QImage

    from app.ui.shell.page_panel import PagePanel

    page = mini_dir / "nodes" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![remote](http://example.org/x.png)\n"
                    "![up](../../etc/passwd)\n", encoding="utf-8")
    panel = PagePanel(load_content(mini_dir))
    qtbot.addWidget(panel)
    panel.show_location("node", "alpha")
    assert "image not shown: remote" in panel.toPlainText()
    assert "image not shown: up" in panel.toPlainText()
    for url in ("http://example.org/x.png", "file:///etc/hostname"):
        image = panel.loadResource(2, QUrl(url))  # an empty image: None would let Qt fetch it itself
        assert isinstance(image, QImage) and image.isNull(), url
    assert no_network == []


def test_a_class_session_offline_tour_quiz_export_and_session(qtbot, no_network, tmp_path) -> None:
    """Everything a lecture touches, end to end, with every socket call refused."""
    from PySide6.QtCore import Qt

    from app.quiz.questions import SingleChoice
    from app.ui.app import create_window
    from app.ui.shell.export import export_diagram_png, export_diagram_svg, export_plots

    window = create_window(load_content(CONTENT))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model_controller is not None)
    # A tour, stepped to its end.
    window.features["lecture"].start_tour("iron-after-menopause")
    while window.features["lecture"].runner.next():
        pass
    window.features["lecture"].runner.leave()
    # A practice quiz: one single-choice question answered by clicking.
    window.features["quiz"].act_practice.trigger()
    panel = window.features["quiz"].panel
    panel.type_combo.setCurrentIndex(panel.type_combo.findData("single"))
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    q = panel.session.current
    assert isinstance(q, SingleChoice)
    qtbot.mouseClick(panel.view.buttons[q.answer], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    assert panel.feedback.toPlainText().startswith("Correct")
    # Exports of the diagram and a plot, and a saved and reopened session.
    export_diagram_png(window.scene, tmp_path / "d.png", 2)
    export_diagram_svg(window.scene, tmp_path / "d.svg")
    export_plots((window.plots.rate_plot, window.plots.mass_plot), tmp_path / "plots.png")
    window.features["session"].manager.save_to(tmp_path / "class.ironbone")
    assert window.features["session"].manager.open_path(tmp_path / "class.ironbone")
    assert all((tmp_path / n).stat().st_size > 0 for n in ("d.png", "d.svg", "plots.png", "class.ironbone"))
    assert no_network == []
    import sys

    assert "PySide6.QtNetwork" not in sys.modules


def test_quiz_exchange_offline_even_when_a_file_points_at_the_network(no_network, tmp_path) -> None:
    """Export and import in both formats; an XML file naming a remote DTD or entity is refused
    without fetching it (the parser never resolves external entities)."""
    from app.cli import main
    from app.quiz.exchange import import_gift, import_moodle_xml

    gift, xml = tmp_path / "bank.gift", tmp_path / "bank.xml"
    assert main(["export-quiz", "--format", "gift", str(gift)]) == 0
    assert main(["export-quiz", "--format", "moodle-xml", str(xml)]) == 0
    assert import_gift(gift.read_text(encoding="utf-8")).questions
    assert import_moodle_xml(xml.read_bytes()).questions
    for head in ('<!DOCTYPE quiz SYSTEM "http://example.com/quiz.dtd">',
                 '<!DOCTYPE quiz [<!ENTITY r SYSTEM "https://example.com/r.txt">]>'):
        result = import_moodle_xml(f'<?xml version="1.0"?>\n{head}\n<quiz>&r;</quiz>')
        assert result.questions == () and "not allowed" in result.problems[0].message
    assert no_network == []
