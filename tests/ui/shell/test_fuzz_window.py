"""The main window starts, paints and sets up its model on fuzzed (malformed) content trees, and shows
what it could read: every node on the diagram, every page, the problems counted, the model's
controls or the reason there are none."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from app.knowledge.content import load_content

fz = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[2] / "helpers" / "fuzz_content.py")))


@fz.fuzz_settings("IRONBONE_FUZZ_GUI_EXAMPLES", 8, fixtures=True)
@given(case=st.sampled_from([fz.MINI, fz.CONTENT]).flatmap(lambda b: st.tuples(st.just(b), fz.broken_trees(b))))
def test_main_window_starts_on_fuzzed_content(qtbot, case) -> None:
    from PySide6.QtWidgets import QLabel

    from app.ui.app import create_window
    from app.ui.model.controls import ControlPanel

    base, tree = case
    with fz.broken_tree_dir(tree, base) as root:
        content = load_content(root)
        window = create_window(content)
        qtbot.addWidget(window)
        with qtbot.waitExposed(window):
            window.show()
        # The first page and the model come after the first paint; wait for both attempts.
        qtbot.waitUntil(lambda: window.startup.first_paint_done)
        loading = window.controls_scroll.widget()
        assert isinstance(loading, QLabel) and "Loading" in loading.text()
        qtbot.waitUntil(lambda: window.controls_scroll.widget() is not loading)
        shown = window.controls_scroll.widget()
        if window.model_controller is not None:  # the model was built: its controls, its plots
            assert isinstance(shown, ControlPanel) and window.plots.built
        else:  # it could not be: the reason, where the controls would be and in the status line
            assert isinstance(shown, QLabel) and "could not be built" in shown.text()
            assert window.last_message.startswith("Model not available")
        assert set(window.scene.node_items) == set(content.pathway.node_ids)  # every node read is drawn
        n = len(content.problems)
        assert window.problems_button.isVisibleTo(window) == bool(n)
        if n:
            assert f"{n} content problem" in window.problems_button.text()
        for node_id in content.pathway.node_ids:  # every page, broken or not, can be shown
            window.controller.select_node(node_id)
            assert window.panel.location == ("node", node_id) and window.panel.toPlainText().strip()
            assert window.scene.node_items[node_id].selected
        for topic in content.topic_pages:
            window.controller.open_page("topic", topic)
            assert window.panel.location == ("topic", topic) and window.panel.toPlainText().strip()
        window.view.fit_all()
        assert not window.grab().isNull()  # paints everything once more
        window.close()
