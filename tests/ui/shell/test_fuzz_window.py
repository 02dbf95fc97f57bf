"""The main window starts, paints and sets up its model on fuzzed (malformed) content trees."""

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
        for node_id in content.pathway.node_ids:  # every page, broken or not, can be shown
            window.controller.select_node(node_id)
        for topic in content.topic_pages:
            window.controller.open_page("topic", topic)
        window.view.fit_all()
        window.grab()  # paints everything once more
        window.close()
