"""Build-up and focus on the diagram, driven as a lecturer would: a tour with `build:` and `focus:`
steps stepped in presentation mode (F5, clicker keys), and "Focus on selection" by hand. What is
expected comes from the tour files themselves, read here with a plain YAML reader."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QTextDocument

from app.knowledge.render import markdown_to_html
from tests.ui.lecture.test_lecture import start_from_menu

CONTENT = Path(__file__).resolve().parents[3] / "content"
BUILD_TOUR = "estrogen-hepcidin-ferroportin"


def _lecture(window):  # noqa: ANN001, ANN202
    return window.features["lecture"]


def tour_file(tour_id: str) -> dict:
    for path in sorted((CONTENT / "tours").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("id") == tour_id:
            return data
    raise AssertionError(f"no tour {tour_id}")


def expected_build(steps: list[dict]) -> list[tuple[set, set] | None]:
    """Per step, the nodes and edges a build-up shows, as the tour format describes it: a `build:
    start` begins with its step's reveal, each later step adds its reveal, highlight and path,
    `build: end` shows everything."""
    out: list[tuple[set, set] | None] = []
    nodes: set | None = None
    edges: set = set()
    for step in steps:
        if step.get("build") == "start":
            nodes, edges = set(), set()
        elif step.get("build") == "end":
            nodes = None
        if nodes is None:
            out.append(None)
            continue
        reveal = step.get("reveal", {})
        for a, b in reveal.get("edges", []):
            edges.add((a, b))
            nodes |= {a, b}
        nodes |= set(reveal.get("nodes", [])) | set(step.get("highlight", [])) | set(step.get("path", []))
        edges |= set(pairwise(step.get("path", [])))
        out.append((set(nodes), set(edges)))
    return out


def drawn(window) -> tuple[set[str], set[tuple[str, str]]]:  # noqa: ANN001
    """The nodes and edges a click can reach at their centre in the view, and the edges drawn."""
    view, scene = window.view, window.scene
    nodes = set()
    for nid, item in scene.node_items.items():
        at = view.mapFromScene(item.sceneBoundingRect().center())
        hit = [it for it in view.items(at) if it is item and it.isVisible()]
        if hit:
            nodes.add(nid)
    edges = {e.edge.key for e in scene.edge_items if e.isVisible()}
    return nodes, edges


def ink(window, image, nid: str) -> float | None:  # noqa: ANN001
    """How far the node's label area is from white in `image` (a grab of the view, just taken), on
    average; None when the label is not wholly in view."""
    item = window.scene.node_items[nid]
    rect = window.view.mapFromScene(item.label_rect()).boundingRect()  # label_rect: scene coordinates
    if not image.rect().contains(rect):
        return None
    values = [255 - image.pixelColor(x, y).lightness() for x in range(rect.left(), rect.right())
              for y in range(rect.top(), rect.bottom())]
    return sum(values) / max(1, len(values))


def inks(window) -> dict[str, float | None]:  # noqa: ANN001
    """Every node's ink in the view as it is now (measured at once: a refit may scroll the view)."""
    image = window.view.viewport().grab().toImage()
    return {nid: ink(window, image, nid) for nid in window.scene.node_items}


def clear_of_bright(window, focus: set[str]) -> set[str]:  # noqa: ANN001
    """The nodes outside `focus` whose label nothing drawn at full strength crosses (a focused edge,
    a focused node) but the compartment under it: taken while the focus is on."""
    scene = window.scene
    out = set()
    for nid in set(scene.node_items) - focus:
        crossing = [it for it in scene.items(scene.node_items[nid].label_rect())
                    if it is not scene.node_items[nid] and it.opacity() == 1.0
                    and type(it).__name__ != "CompartmentItem"]
        if not crossing:
            out.add(nid)
    return out


def assert_faded_on_screen(focused: dict, plain: dict, focus: set[str], clear: set[str]) -> None:
    """Nodes outside `focus` (those in `clear`) are still drawn but far paler than without the focus;
    those in it are not. `focused` and `plain` are inks() taken with and without the focus."""
    dim_nodes = [n for n in clear if focused[n] is not None and (plain[n] or 0) > 10]
    assert len(dim_nodes) >= 5
    for nid in dim_nodes:
        # A faded node lets the faded edges behind it show through: well under its own ink, not 30 %.
        assert 0 < focused[nid] < 0.7 * plain[nid], nid
    for nid in focus:
        if focused[nid] is not None and plain[nid] is not None:
            assert focused[nid] == pytest.approx(plain[nid], rel=0.25), nid


def present(qtbot, window) -> None:  # noqa: ANN001
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert _lecture(window).presentation.active


def test_a_build_up_draws_only_what_each_step_has_revealed(qtbot, window) -> None:
    steps = tour_file(BUILD_TOUR)["steps"]
    expected = expected_build(steps)
    assert expected[0] is not None and any(e is None for e in expected)  # the tour does build up
    start_from_menu(window, BUILD_TOUR)
    present(qtbot, window)
    every_node = set(window.scene.node_items)
    every_edge = {e.edge.key for e in window.scene.edge_items}
    for i, want in enumerate(expected):
        assert _lecture(window).runner.index == i
        nodes, edges = drawn(window)
        if want is None:
            assert (nodes, edges) == (every_node, every_edge), f"step {i + 1} shows the whole diagram"
        else:
            assert (nodes, edges) == want, f"step {i + 1}"
        if i + 1 < len(expected):
            qtbot.keyClick(window.view, Qt.Key.Key_PageDown)  # the clicker
    # Back to the first step: only its reveal again.
    for _ in range(len(expected) - 1):
        qtbot.keyClick(window.view, Qt.Key.Key_PageUp)
    assert drawn(window) == expected[0]
    # Leaving the tour restores every node and edge.
    _lecture(window).tour_panel.leave_button.click()
    assert drawn(window) == (every_node, every_edge)


def test_hidden_nodes_take_no_clicks_and_no_keyboard_cursor(qtbot, window) -> None:
    start_from_menu(window, BUILD_TOUR)
    shown, _ = expected_build(tour_file(BUILD_TOUR)["steps"])[0]
    hidden = next(nid for nid in window.scene.node_items if nid not in shown)
    item = window.scene.node_items[hidden]
    selected: list[str] = []
    window.scene.node_clicked.connect(selected.append)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.view.mapFromScene(item.sceneBoundingRect().center()))
    assert selected == []
    window.view.setFocus()
    visited = set()
    for _ in range(len(window.scene.node_items) + 2):
        visited.add(window.view.keyboard_cursor)
        qtbot.keyClick(window.view, Qt.Key.Key_Right)
        qtbot.keyClick(window.view, Qt.Key.Key_Down)
        visited.add(window.view.keyboard_cursor)
    assert visited - {None} <= shown
    # Tab moves between the drawn nodes only, then leaves the diagram.
    stops = []
    window.view.set_keyboard_cursor(None)
    window.view.setFocus()
    for _ in range(len(shown) + 1):
        if not window.view.hasFocus():
            break
        stops.append(window.view.keyboard_cursor)
        qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert set(stops) - {None} <= shown


def test_a_focus_step_fades_the_rest_and_leaving_restores_it(qtbot, window) -> None:
    steps = tour_file(BUILD_TOUR)["steps"]
    index = next(i for i, s in enumerate(steps) if "focus" in s)
    focus = set(steps[index]["focus"]["nodes"])
    start_from_menu(window, BUILD_TOUR)
    present(qtbot, window)
    for _ in range(index):
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    scene = window.scene
    bright = {nid for nid, it in scene.node_items.items() if it.isVisible() and it.opacity() == 1.0}
    faded = {nid for nid, it in scene.node_items.items() if it.isVisible() and it.opacity() < 0.5}
    assert bright == focus
    assert faded == set(scene.node_items) - focus
    # With no edges named, edges between two focused nodes stay bright, the others fade.
    for e in scene.edge_items:
        a, b = e.edge.key
        assert (e.opacity() == 1.0) == (a in focus and b in focus), e.edge.key
    # On screen: a faded node is far paler than it is once the tour is left, a focused one is not.
    qtbot.keyClick(window.view, Qt.Key.Key_F)  # the whole diagram in view
    focused = inks(window)
    clear = clear_of_bright(window, focus)
    _lecture(window).runner.leave()
    assert all(it.opacity() == 1.0 and it.isVisible() for it in scene.node_items.values())
    assert all(e.opacity() == 1.0 and e.isVisible() for e in scene.edge_items)
    qtbot.keyClick(window.view, Qt.Key.Key_F)
    assert_faded_on_screen(focused, inks(window), focus, clear)


def test_the_focus_tour_of_file_two_dims_too(qtbot, window) -> None:
    data = next(yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((CONTENT / "tours").glob("02-*.yaml")))
    steps = data["steps"]
    index = next(i for i, s in enumerate(steps) if "focus" in s)
    start_from_menu(window, data["id"])
    for _ in range(index):
        _lecture(window).tour_panel.next_button.click()
    kept = {nid for nid, it in window.scene.node_items.items() if it.opacity() == 1.0}
    named = set(steps[index]["focus"].get("nodes", []))
    named |= {n for e in steps[index]["focus"].get("edges", []) for n in e}
    assert kept == named
    # In the normal (light) look too, off a projector.
    qtbot.keyClick(window.view, Qt.Key.Key_F)
    focused = inks(window)
    clear = clear_of_bright(window, named)
    _lecture(window).tour_panel.leave_button.click()
    qtbot.keyClick(window.view, Qt.Key.Key_F)
    assert_faded_on_screen(focused, inks(window), named, clear)


@pytest.mark.parametrize("again", ["action", "escape"])
def test_focus_on_selection_by_hand_in_presentation_mode(qtbot, window, again: str) -> None:
    lecture = _lecture(window)
    assert not lecture.stage.act_focus_selection.isEnabled()  # presenting only
    present(qtbot, window)
    item = window.scene.node_items["hepcidin"]
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.view.mapFromScene(item.sceneBoundingRect().center()))
    qtbot.waitUntil(lambda: window.controller.selected == "hepcidin")
    lecture.stage.act_focus_selection.trigger()
    pathway = window.content.pathway
    near = pathway.neighbours("hepcidin") | {"hepcidin"}
    kept = {nid for nid, it in window.scene.node_items.items() if it.opacity() == 1.0}
    assert kept == near
    for e in window.scene.edge_items:
        a, b = e.edge.key
        assert (e.opacity() == 1.0) == (a in near and b in near)
    if again == "action":
        lecture.stage.act_focus_selection.trigger()
    else:
        qtbot.keyClick(window.view, Qt.Key.Key_Escape)
        assert lecture.presentation.active  # the first Esc only clears the focus
    assert all(it.opacity() == 1.0 for it in window.scene.node_items.values())
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not lecture.presentation.active


# --- presenter notes ---------------------------------------------------------------------------
def two_screens(window):  # noqa: ANN001, ANN202
    """The machine's screen with a second one to its right (offscreen Qt has only one)."""
    hall = window.screen().availableGeometry()
    return lambda: [QRect(hall), QRect(hall.right() + 1, hall.top(), 1280, 1024)]


def caption_text(window) -> str:  # noqa: ANN001
    return _lecture(window).tour_panel.caption.toPlainText().strip()


def plain(markdown: str) -> str:
    doc = QTextDocument()
    doc.setHtml(markdown_to_html(markdown))
    return doc.toPlainText().strip()


def test_with_two_screens_the_caption_goes_to_the_notes_window_and_the_hall_reads_the_headline(qtbot, window):
    steps = tour_file(BUILD_TOUR)["steps"]
    lecture = _lecture(window)
    lecture.stage.screens = two_screens(window)
    second = lecture.stage.screens()[1]
    start_from_menu(window, BUILD_TOUR)
    assert caption_text(window) == plain(steps[0]["caption"])  # not presenting: as always
    present(qtbot, window)
    notes = lecture.stage.notes.notes
    qtbot.waitUntil(lambda: notes is not None and notes.isVisible())
    assert second.contains(notes.geometry())
    assert notes.caption.toPlainText().startswith(plain(steps[0]["caption"]))
    assert caption_text(window) == "The iron hormone"  # the caption's bold opening, one line
    assert "step 1 of 8" in notes.place.text()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    assert notes.caption.toPlainText().startswith(plain(steps[1]["caption"]))
    assert caption_text(window) == "Locking the door"
    assert "Estrogen represses hepcidin" in notes.next_label.text()
    # Esc: out of presentation mode, the notes window goes and the hall's bar has the caption again.
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not notes.isVisible()
    assert caption_text(window) == plain(steps[1]["caption"])


def test_the_notes_window_times_the_step_against_the_teacher_timings(qtbot, window) -> None:
    data = tour_file(BUILD_TOUR)
    planned = data["teacher"]["step_minutes"]
    lecture = _lecture(window)
    lecture.stage.screens = two_screens(window)
    now = [1000.0]
    notes = lecture.stage.notes
    notes.clock = lambda: now[0]
    start_from_menu(window, BUILD_TOUR)
    present(qtbot, window)
    now[0] += 75  # 1 min 15 s on the first step
    qtbot.waitUntil(lambda: "1:15" in notes.notes.timing.text(), timeout=3000)
    text = notes.notes.timing.text()
    assert f"of {int(planned[0] * 60) // 60}:{int(planned[0] * 60) % 60:02d} planned" in text
    assert f"{data['minutes']:g} min" in text
    over = 75 - int(planned[0] * 60)
    assert (f"over by {over // 60}:{over % 60:02d}" in text) == (over > 0)
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    now[0] += 5
    qtbot.waitUntil(lambda: "This step 0:05" in notes.notes.timing.text(), timeout=3000)
    assert "tour 1:20" in notes.notes.timing.text()


def test_with_one_screen_presenting_shows_the_full_caption_as_today(qtbot, window) -> None:
    steps = tour_file(BUILD_TOUR)["steps"]
    lecture = _lecture(window)
    assert len(lecture.stage.notes.screens()) == 1  # offscreen Qt: one screen
    start_from_menu(window, BUILD_TOUR)
    present(qtbot, window)
    assert lecture.stage.notes.notes is None or not lecture.stage.notes.notes.isVisible()
    assert caption_text(window) == plain(steps[0]["caption"])
    # Teach ▸ Presenter notes window forces it on one screen, to rehearse.
    lecture.stage.act_notes.trigger()
    notes = lecture.stage.notes.notes
    assert notes is not None and notes.isVisible()
    assert notes.caption.toPlainText().startswith(plain(steps[0]["caption"]))
    assert caption_text(window) == "The iron hormone"
    lecture.stage.act_notes.trigger()
    assert not notes.isVisible()
    assert caption_text(window) == plain(steps[0]["caption"])


# --- the spotlight pointer ---------------------------------------------------------------------
def ring_pixels(image, centre, radius: float) -> float:  # noqa: ANN001
    """The share of the points on a circle of `radius` around `centre` (those on screen) that
    carry the ring's yellow."""
    import math

    hits = seen = 0
    for k in range(72):
        a = 2 * math.pi * k / 72
        x, y = int(centre.x() + radius * math.cos(a)), int(centre.y() + radius * math.sin(a))
        if image.rect().contains(x, y):
            c = image.pixelColor(x, y)
            seen += 1
            hits += c.red() > 200 and c.green() > 200 and c.blue() < 120
    return hits / max(1, seen)


def test_the_pointer_rings_the_click_and_selects_nothing(qtbot, window) -> None:
    from app.ui.lecture.spotlight import HOLD_SECONDS, RADIUS_PX

    lecture = _lecture(window)
    assert not lecture.stage.act_pointer.isEnabled()  # presenting only
    window.controller.select_node("estrogen")
    present(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_F)
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert lecture.stage.act_pointer.isChecked()
    now = [50.0]
    spot = lecture.stage.spotlight
    spot.clock = lambda: now[0]
    item = window.scene.node_items["ros"]
    at = window.view.mapFromScene(item.sceneBoundingRect().center())
    clicked: list[str] = []
    window.scene.node_clicked.connect(clicked.append)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert clicked == [] and window.controller.selected == "estrogen"  # nothing selected or opened
    now[0] += 1.0  # the ring has shrunk onto the spot
    radius = RADIUS_PX * lecture.presentation.scale

    def on(nid: str) -> QPoint:
        """Where the node is in the view now (the window may still be settling into full screen)."""
        return window.view.mapFromScene(window.scene.node_items[nid].sceneBoundingRect().center())

    qtbot.waitUntil(lambda: ring_pixels(window.view.viewport().grab().toImage(), on("ros"), radius) > 0.9)
    at = on("ros")
    image = window.view.viewport().grab().toImage()
    elsewhere = at + QPoint(int(radius * 2.5), 0)
    assert ring_pixels(image, elsewhere, radius) < 0.15
    # The next click moves it: to a node well away from ROS and wholly in view (the view of a small
    # screen in presentation mode shows only part of the diagram).
    inner = window.view.viewport().rect().adjusted(int(radius), int(radius), -int(radius), -int(radius))
    second = next(nid for nid in window.scene.node_items
                  if inner.contains(on(nid)) and (on(nid) - on("ros")).manhattanLength() > 3 * radius)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=on(second))
    now[0] += 1.0
    qtbot.waitUntil(lambda: ring_pixels(window.view.viewport().grab().toImage(), on(second), radius) > 0.9)
    assert ring_pixels(window.view.viewport().grab().toImage(), on("ros"), radius) < 0.3
    other = on(second)
    # After a while it goes by itself.
    now[0] += HOLD_SECONDS
    qtbot.waitUntil(lambda: spot.spot is None)
    assert ring_pixels(window.view.viewport().grab().toImage(), other, radius) < 0.15  # the diagram has yellow too
    # Enter rings the node under the keyboard cursor instead of opening it.
    window.view.setFocus()
    window.view.set_keyboard_cursor("ros")
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert clicked == [] and spot.spot is not None  # Enter is a keyboard click: no node_clicked
    assert (spot.spot - QPointF(on("ros"))).manhattanLength() < 3
    # Esc ends the pointer first, then presentation mode; clicks select again.
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not lecture.stage.act_pointer.isChecked() and lecture.presentation.active and spot.spot is None
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=on("ros"))
    assert clicked == ["ros"]
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not lecture.presentation.active


def test_the_node_list_leaves_out_what_a_build_up_hides(qtbot, window) -> None:
    shown, _ = expected_build(tour_file(BUILD_TOUR)["steps"])[0]
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # View ▸ Node list
    listed = window.node_list
    start_from_menu(window, BUILD_TOUR)

    def rows() -> set[str]:
        return {listed.item(i).data(Qt.ItemDataRole.UserRole) for i in range(listed.count())
                if not listed.item(i).isHidden()}

    assert rows() == shown
    _lecture(window).runner.leave()
    assert rows() == set(window.scene.node_items)


def test_a_build_up_step_fills_the_view_with_its_parts(qtbot, window) -> None:
    """The hall reads the few parts of an early step larger than in the whole diagram, and each is in view."""
    steps = tour_file(BUILD_TOUR)["steps"]
    shown, _ = expected_build(steps)[0]
    # A screen the size of a hall's projector, outside presentation mode: presenting on the 800-pixel
    # test screen, the whole diagram is already at the smallest legible zoom and scrolls.
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.view.viewport().width() > 900)
    start_from_menu(window, BUILD_TOUR)
    qtbot.keyClick(window.view, Qt.Key.Key_F)

    def height_on_screen(nid: str) -> int:
        return window.view.mapFromScene(window.scene.node_items[nid].sceneBoundingRect()).boundingRect().height()

    early = height_on_screen("hepcidin")
    for nid in shown:
        rect = window.view.mapFromScene(window.scene.node_items[nid].sceneBoundingRect()).boundingRect()
        assert window.view.viewport().rect().contains(rect), nid
    _lecture(window).runner.leave()
    qtbot.keyClick(window.view, Qt.Key.Key_F)
    assert early > 1.5 * height_on_screen("hepcidin")
