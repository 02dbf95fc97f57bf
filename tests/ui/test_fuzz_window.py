"""The main window starts, paints and sets up its model on fuzzed (malformed) content trees."""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.knowledge.content import load_content


def _helper(name: str):  # noqa: ANN202 - tests/ is no package under --import-mode=importlib
    key = f"ironbone_test_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, Path(__file__).parents[1] / "helpers" / f"{name}.py")
        sys.modules[key] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[key]


fz = _helper("fuzz_content")
EXAMPLES = int(os.environ.get("IRONBONE_FUZZ_GUI_EXAMPLES", "8"))


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from([fz.MINI, fz.CONTENT]).flatmap(lambda b: st.tuples(st.just(b), fz.broken_trees(b))))
def test_main_window_starts_on_fuzzed_content(qtbot, case) -> None:
    from PySide6.QtWidgets import QLabel

    from app.ui.main_window import MainWindow

    base, tree = case
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        fz.write_tree(tree, root, base)
        content = load_content(root)
        window = MainWindow(content)
        qtbot.addWidget(window)
        with qtbot.waitExposed(window):
            window.show()
        # The first page and the model come after the first paint; wait for both attempts.
        qtbot.waitUntil(lambda: window._first_paint_done)
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
