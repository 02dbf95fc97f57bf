"""The diagram slice driven as a person would: clicks, hover, search, zoom, keys and links."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPainter

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "content"


def _view_point(window, node_id: str) -> QPoint:
    item = window.scene.node_items[node_id]
    return window.view.mapFromScene(item.pos())


def test_clicking_a_node_selects_it_and_opens_its_page(qtbot, make_window, mini_dir) -> None:
    window = make_window(mini_dir)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=_view_point(window, "gamma"))
    assert window.controller.selected == "gamma"
    assert window.scene.node_items["gamma"].selected
    assert window.panel.location == ("node", "gamma")
    assert "Gamma heading" in window.panel.toPlainText()
    assert window.node_list.selected_id() == "gamma"


def test_clicking_every_real_node_opens_its_page(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    for node in window.content.pathway.nodes:
        qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=_view_point(window, node.id))
        assert window.panel.location == ("node", node.id), node.id


def test_hover_highlights_the_node_and_its_neighbours(qtbot, make_window, mini_dir) -> None:
    window = make_window(mini_dir)
    qtbot.mouseMove(window.view.viewport(), _view_point(window, "beta"))
    qtbot.waitUntil(lambda: window.scene.hovered == "beta")
    assert window.scene.highlighted_nodes() == {"alpha", "beta", "gamma"}
    assert window.scene.node_items["delta"].dimmed
    assert "Beta receptor" in window.scene.node_items["beta"].toolTip()
    # Moving to empty space clears the highlight.
    qtbot.mouseMove(window.view.viewport(), window.view.mapFromScene(QPointF(400, 290)))
    qtbot.waitUntil(lambda: window.scene.hovered is None)
    assert window.scene.highlighted_nodes() == set()


def test_search_highlights_matches_and_enter_opens_the_first(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.edit.hasFocus()
    qtbot.keyClicks(window.search.edit, "nf-kb")
    assert "nfkb" in window.scene.search_matches
    assert window.scene.node_items["nfkb"].search_hit
    assert not window.scene.node_items["osteoblast"].search_hit
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Return)
    assert window.controller.selected == "nfkb"
    assert window.panel.location == ("node", "nfkb")


@pytest.mark.parametrize("query, expected", [("ferroportin", "fpn1"), ("E2", "estrogen"),
                                             ("TfR1", "tfr1"), ("BM-MSCs", "bm_mscs"),
                                             ("tgf beta", "tgf_beta")])
def test_search_matches_aliases_and_abbreviations(qtbot, make_window, query, expected) -> None:
    window = make_window(CONTENT)
    window.search.edit.setFocus()
    qtbot.keyClicks(window.search.edit, query)
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Return)
    assert window.controller.selected == expected


def test_zoom_keys_wheel_and_fit_change_the_view(qtbot, make_window, mini_dir) -> None:
    window = make_window(mini_dir)
    fitted = window.view.zoom()
    qtbot.keyClick(window.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.view.zoom() == pytest.approx(fitted * 1.25)
    qtbot.keyClick(window.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.view.zoom() == pytest.approx(fitted * 0.8)
    window.acts.fit.trigger()
    assert window.view.zoom() == pytest.approx(fitted)
    qtbot.keyClick(window.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F)
    assert window.view.zoom() == pytest.approx(fitted)


def test_wheel_zooms_around_the_cursor(qtbot, make_window, mini_dir) -> None:
    from PySide6.QtCore import QPoint as P
    from PySide6.QtGui import QWheelEvent

    window = make_window(mini_dir)
    view = window.view
    for _ in range(5):
        view.zoom_in()  # scrollable in both directions, so nothing clamps the anchor
    anchor = view.viewport().rect().center() + QPoint(37, -21)
    scene_before = view.mapToScene(anchor)
    event = QWheelEvent(QPointF(anchor), QPointF(view.viewport().mapToGlobal(anchor)), P(0, 0),
                        P(0, 240), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    before = view.zoom()
    view.wheelEvent(event)
    assert view.zoom() > before * 1.2
    scene_after = view.mapToScene(anchor)
    assert abs(scene_after.x() - scene_before.x()) < 3 and abs(scene_after.y() - scene_before.y()) < 3


def test_drag_pans_the_view(qtbot, make_window, mini_dir) -> None:
    window = make_window(mini_dir)
    view = window.view
    for _ in range(3):
        view.zoom_in()
    start = view.mapToScene(view.viewport().rect().center())
    empty = view.mapFromScene(QPointF(410, 290))  # between compartments: no node there
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=empty)
    for dx in range(0, 120, 20):
        qtbot.mouseMove(view.viewport(), empty + QPoint(-dx, 0))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=empty + QPoint(-100, 0))
    end = view.mapToScene(view.viewport().rect().center())
    assert end.x() > start.x() + 20


def test_keyboard_reaches_every_node_and_enter_opens(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    window.view.setFocus()
    qtbot.waitUntil(lambda: window.view.hasFocus())
    n = len(window.content.pathway.nodes)
    for _ in range(n):  # Shift+Tab back to the first node, wherever the cursor started
        qtbot.keyClick(window.view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        if not window.view.hasFocus():
            window.view.setFocus()
            break
    seen = {window.view.keyboard_cursor}
    for _ in range(n - 1):
        qtbot.keyClick(window.view, Qt.Key.Key_Tab)
        seen.add(window.view.keyboard_cursor)
    assert seen == set(window.content.pathway.node_ids)
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert window.controller.selected == window.view.keyboard_cursor


def test_arrow_keys_move_to_the_nearest_node_in_that_direction(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    window.view.setFocus()
    window.view.set_keyboard_cursor("rankl")
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert window.view.keyboard_cursor == "rank"
    qtbot.keyClick(window.view, Qt.Key.Key_Down)
    assert window.view.keyboard_cursor in {"osteoclast", "opg"}
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert window.panel.location == ("node", window.view.keyboard_cursor)


def test_node_list_mirrors_the_selection_both_ways(qtbot, make_window, mini_dir) -> None:
    window = make_window(mini_dir)
    window.acts.node_list.trigger()
    assert window.node_dock.isVisible()
    row = next(i for i in range(window.node_list.count())
               if window.node_list.item(i).data(Qt.ItemDataRole.UserRole) == "delta")
    item = window.node_list.item(row)
    assert "Delta outcome" in item.data(Qt.ItemDataRole.AccessibleTextRole)
    rect = window.node_list.visualItemRect(item)
    qtbot.mouseClick(window.node_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.controller.selected == "delta"
    assert window.scene.node_items["delta"].selected
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=_view_point(window, "alpha"))
    assert window.node_list.selected_id() == "alpha"


def test_node_links_navigate_and_back_forward_work(qtbot, make_window, mini_dir) -> None:
    window = make_window(mini_dir)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=_view_point(window, "delta"))
    window.panel.follow_link("node:alpha")
    assert window.controller.selected == "alpha"
    assert window.panel.location == ("node", "alpha")
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.panel.location == ("node", "delta")
    assert window.controller.selected == "delta"
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.panel.location == ("topic", "overview")
    assert not window.acts.back.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.panel.location == ("node", "delta")


def test_citation_link_opens_the_reference_entry(qtbot, make_window, mini_dir) -> None:
    window = make_window(mini_dir)
    window.panel.follow_link("ref:smith2001")
    assert window.panel.location == ("ref", "smith2001")
    assert "Alpha and beta" in window.panel.toPlainText()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi",
                                 "ftp://example.org/x", "mailto:a@b.c"])
def test_unsafe_links_are_refused_with_a_message(qtbot, make_window, mini_dir, monkeypatch, url) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda u: opened.append(u.toString()) or True)
    window = make_window(mini_dir)
    window.controller.select_node("alpha")
    before = window.panel.location
    window.panel.anchorClicked.emit(QUrl(url))
    assert opened == []
    assert window.panel.location == before
    assert "Refused to open link" in window.statusBar().currentMessage()


def test_http_links_open_in_the_system_browser(qtbot, make_window, mini_dir, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda u: opened.append(u.toString()) or True)
    window = make_window(mini_dir)
    window.controller.select_node("alpha")
    window.panel.anchorClicked.emit(QUrl("https://example.org/alpha"))
    assert opened == ["https://example.org/alpha"]


def test_clicking_a_rendered_javascript_link_in_the_panel_is_refused(qtbot, make_window, mini_dir, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda u: opened.append(u.toString()) or True)
    window = make_window(mini_dir)
    window.controller.select_node("alpha")
    panel = window.panel
    doc = panel.document()
    # Find the rendered "a trap" anchor and click on it like a person would.
    cursor = doc.find("a trap")
    assert not cursor.isNull()
    assert cursor.charFormat().anchorHref() == "javascript:alert(1)"
    panel.setTextCursor(cursor)
    rect = panel.cursorRect(cursor)
    pos = rect.center() - QPoint(10, 0)
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: "Refused" in window.statusBar().currentMessage())
    assert opened == []


def test_raw_html_is_not_rendered(qtbot, make_window, mini_dir) -> None:
    window = make_window(mini_dir)
    window.controller.select_node("alpha")
    text = window.panel.toPlainText()
    assert "<b>raw html</b>" in text  # shown as text
    assert "<script>" in text
    assert "<b>" not in window.panel.toHtml().split("</style>")[-1].replace("&lt;b&gt;", "")


def test_app_starts_on_broken_content_and_shows_the_error(qtbot, make_window, mini_dir) -> None:
    (mini_dir / "nodes" / "beta.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    window = make_window(mini_dir)
    assert "1 content problem" in window.problems_button.text()
    window.controller.select_node("beta")
    text = window.panel.toPlainText()
    assert "could not be shown" in text
    assert "content/nodes/beta.md:" in text


def test_app_starts_when_the_pathway_itself_is_broken(qtbot, make_window, mini_dir) -> None:
    (mini_dir / "pathway.yaml").write_text("nodes: [ {id: 1\n", encoding="utf-8")
    window = make_window(mini_dir)
    assert window.scene.node_items == {}
    assert "content problem" in window.problems_button.text()
    assert "malformed YAML" in window.content.problems[0].message


def test_no_label_overlaps_another_or_is_cut_off(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    items = window.scene.node_items
    rects = {nid: it.label_rect() for nid, it in items.items()}
    for nid, item in items.items():
        outline = item.mapRectToScene(item.shape().boundingRect())
        assert outline.contains(rects[nid]), f"label of {nid} is wider than its node"
        for other, orect in rects.items():
            if other != nid:
                assert not rects[nid].intersects(orect), f"labels of {nid} and {other} overlap"
    for nid, item in items.items():  # node outlines do not overlap either
        for other, oitem in items.items():
            if nid < other:
                a = item.mapRectToScene(item.shape().boundingRect())
                b = oitem.mapRectToScene(oitem.shape().boundingRect())
                assert not a.intersects(b), f"{nid} and {other} overlap"
    # Every node lies inside the compartment it belongs to.
    comps = {c.id: c.rect for c in window.content.pathway.compartments}
    for nid, item in items.items():
        x, y, w, h = comps[item.node.compartment]
        r = item.mapRectToScene(item.shape().boundingRect())
        assert x <= r.left() and r.right() <= x + w and y + 18 <= r.top() and r.bottom() <= y + h, nid


def test_window_defaults_and_minimum_size(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    assert (window.width(), window.height()) == (1280, 800)
    assert window.minimumSize().width() == 800 and window.minimumSize().height() == 560  # fits 1024×768 screens
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    assert window.view.width() > 450 and window.panel.width() >= 300


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_painting_does_not_leak_references_to_none(qtbot, make_window) -> None:
    # PySide6 6.12.0 decremented None on every void QPainter call and crashed at exit.
    import gc

    window = make_window(CONTENT)
    qtbot.waitUntil(lambda: window.model_controller is not None)  # start-up's objects come and go first
    image = QImage(800, 600, QImage.Format.Format_ARGB32)
    gc.collect()
    gc.disable()  # a collection freeing other objects would move None's count too
    try:
        before = sys.getrefcount(None)
        for _ in range(5):
            painter = QPainter(image)
            window.scene.render(painter)
            painter.end()
        assert sys.getrefcount(None) - before > -50
    finally:
        gc.enable()


def test_keyboard_cursor_is_drawn_only_while_the_diagram_has_focus(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    cursor = window.view.keyboard_cursor
    assert window.scene.node_items[cursor].focused
    window.search.edit.setFocus()
    qtbot.waitUntil(window.search.edit.hasFocus)
    assert not any(item.focused for item in window.scene.node_items.values())


def test_no_page_needs_horizontal_scrolling_at_the_default_size(qtbot, make_window) -> None:
    window = make_window(CONTENT)
    pages = [("node", n) for n in window.content.pathway.node_ids]
    pages += [("topic", t) for t in window.content.topic_pages] + [("ref", "")]
    wide = []
    for kind, ident in pages:
        window.controller.open_page(kind, ident)
        if window.panel.horizontalScrollBar().maximum() > 0:
            wide.append(f"{kind}:{ident}")
    assert wide == []


def _shown_with_own_clock(qtbot, make_window) -> tuple:  # noqa: ANN001
    """A window whose start-up timers go to a list the test runs itself, shown and painted once."""
    window = make_window(CONTENT, show=False)
    due: list = []
    window.startup.schedule = lambda ms, fn: due.append(fn)
    window.show()
    qtbot.waitUntil(lambda: window.startup.first_paint_done)
    assert len(due) == 1  # the first paint scheduled the deferred start, and only that
    return window, due


def _run_all(due: list) -> None:
    """Run what start-up scheduled, and whatever that schedules in turn, to the end."""
    while due:
        due.pop(0)()


def test_a_cancelled_deferred_start_builds_nothing_after_the_first_paint(qtbot, make_window) -> None:
    """--smoke-test quits after the first paint: a deferred step already due must not start
    building the model (numpy, YAML) on the way out. Start-up's own clock is the test's, so that
    nothing more happens is certain, not waited for."""
    window, due = _shown_with_own_clock(qtbot, make_window)
    window.startup.cancel()  # what --smoke-test does at the first paint
    _run_all(due)
    assert window.model_controller is None and not window.features
    assert window.controller.location is None
    # The same steps, not cancelled, build everything: the scheduled ones are the only way in.
    other, due = _shown_with_own_clock(qtbot, make_window)
    _run_all(due)
    assert other.model_controller is not None and other.features and other.controller.location is not None


def test_the_smoke_test_never_sets_up_the_model(tmp_path) -> None:
    import os
    import subprocess

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IRONBONE_CACHE_DIR=str(tmp_path))
    code = ("import sys, time, app.ui.shell.main_window as mw\n"
            "slow = mw.MainWindow.paintEvent\n"  # a slow machine: the first paint outlasts the deferral
            "def paint(self, event): time.sleep(0.08); slow(self, event)\n"
            "mw.MainWindow.paintEvent = paint\n"
            "from app.cli import main\n"
            "code = main(['--smoke-test'])\n"
            "print('loaded:', sorted(m for m in ('numpy', 'pyqtgraph', 'app.ui.model.loader', 'app.ui.quiz.feature')"
            " if m in sys.modules))\n"
            "sys.exit(code)\n")
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        assert "smoke test ok" in out.stdout and "loaded: []" in out.stdout  # no model, plots or features


def test_networkx_and_the_graph_are_built_on_a_worker_thread(qtbot, make_window, monkeypatch) -> None:
    import threading

    import app.ui.shell.startup as startup

    threads = []
    build = startup._build_graph

    def record(pathway, done) -> None:  # noqa: ANN001
        threads.append(threading.current_thread())
        build(pathway, done)

    monkeypatch.setattr(startup, "_build_graph", record)
    window = make_window(CONTENT)
    qtbot.waitUntil(lambda: window.model_controller is not None)
    assert window.graph_ready.wait(10)
    assert threads and threads[0] is not threading.main_thread()
    assert "graph" in vars(window.content.pathway)  # the cached graph is there for the "why" paths
    assert window.content.pathway.graph.number_of_edges() == len(window.content.pathway.edges)


def test_the_model_is_built_off_the_gui_thread_and_a_failure_is_shown(qtbot, make_window, monkeypatch) -> None:
    import threading

    import app.ui.model.loader as setup_module

    threads = []
    real = setup_module.build_model

    def record(content):  # noqa: ANN001, ANN202
        threads.append(threading.current_thread())
        return real(content)

    monkeypatch.setattr(setup_module, "build_model", record)
    window = make_window(CONTENT)
    qtbot.waitUntil(lambda: window.model_controller is not None)
    assert threads and threads[0] is not threading.main_thread()

    def broken(content):  # noqa: ANN001, ANN202
        raise ValueError("content/treatments.yaml:3: 'kind' must be one of ...")

    monkeypatch.setattr(setup_module, "build_model", broken)
    other = make_window(CONTENT)
    qtbot.waitUntil(lambda: "Model not available" in other.last_message)
    assert other.model_controller is None
    label = other.controls_scroll.widget()
    assert "could not be built" in label.text() and "treatments.yaml:3" in label.text()
