"""Features plug into the shell through the feature context only: a feature of the test's own gets its
action, menu, menu entry and dock where the shell promises, and the real features work the same in
any install order (none looks another up)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.ui.app import standard_features

CONTENT = Path(__file__).resolve().parents[3] / "content"


class Probe:
    """A feature of the test's own: what it installs, and the context it was given."""

    name = "probe"

    def __init__(self) -> None:
        self.triggered = 0

    def install(self, ctx) -> None:  # noqa: ANN001
        self.ctx = ctx
        self.action = ctx.add_action("&Probe", self._on_action, ["Ctrl+Alt+Shift+P"], "A probe")
        self.menu = ctx.add_menu("probe", "P&robe")
        self.menu.addAction(self.action)
        self.entry = ctx.add_action("Probe &entry", self._on_action)
        ctx.add_to_menu("view", self.entry)
        self.dock = ctx.add_dock("Probe", "probe_dock", QLabel("probe"))

    def _on_action(self) -> None:
        self.triggered += 1
        self.ctx.post("probed")


def test_a_feature_gets_its_action_menu_entry_and_dock_through_the_context(qtbot, make_window) -> None:
    probe = Probe()
    window = make_window(CONTENT, features=lambda: [probe])
    qtbot.waitUntil(lambda: window.features == {"probe": probe})
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("P&robe") == titles.index("&Help") - 1  # feature menus go before Help
    view = window.menus["view"].actions()
    assert view.index(probe.entry) == view.index(window.acts.node_list) - 1  # at the View menu's place for features
    assert probe.dock.objectName() == "probe_dock" and probe.dock.widget().text() == "probe"
    assert window.dockWidgetArea(probe.dock) == Qt.DockWidgetArea.RightDockWidgetArea
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # the shortcut works window-wide
    assert probe.triggered == 1 and window.last_message == "probed"
    assert probe.ctx.model() is window.model_controller


def test_the_features_work_in_any_install_order(qtbot, make_window, tmp_path) -> None:
    window = make_window(CONTENT, features=lambda: list(reversed(standard_features())))
    qtbot.waitUntil(lambda: window.model_controller is not None)
    assert list(window.features) == ["packs", "evidence", "compare", "paths", "lecture", "quiz", "session"]
    f = window.features
    mc = window.model_controller
    f["paths"].explore("estrogen", "bone_mass")
    f["paths"].explorer.select_row(0)
    route = set(f["paths"].explorer.highlighted.nodes)
    f["compare"].act_pin_run.trigger()
    mc.set_estrogen(30)
    f["lecture"].act_inquiry.trigger()  # inquiry hides what the explorer and the comparison draw…
    assert window.scene.lit_nodes() == set() and all(i.tint is None for i in window.scene.node_items.values())
    f["lecture"].act_inquiry.trigger()  # …and gives it back, though they were installed before it
    assert window.scene.lit_nodes() == route and "Run 1" in window.scene.legend.changes_caption
    assert f["lecture"].runner.start("iron-after-menopause", 1)
    mc.finish_play()
    path = tmp_path / "order.ironbone"
    assert f["session"].manager.save_to(path)  # the session, installed last here (first as standard), finds them
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["tour"] == {"id": "iron-after-menopause", "step": 1}
    assert [p["name"] for p in data["pinned"]] == ["Run 1"]
