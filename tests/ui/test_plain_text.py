"""Text from files is shown as text: a copy of content/ whose names, labels, descriptions, mechanisms,
captions, titles, quiz texts and calibration rows end in `<img src=…>`, and session files holding
such strings, are driven through every feature of the window; no label, message box, tooltip, item
view, legend or document may render the marker as rich text (which makes Qt load the file it names:
/dev/zero aborts the process). The probe variant names a one-pixel PNG, so a regression fails the
test instead of killing it."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

hu = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "hostile_ui.py")))


@pytest.fixture(scope="module", params=["probe", "dev-zero"])
def hostile(request, tmp_path_factory) -> tuple[Path, str]:
    """(content root, marker): one tree per marker for the whole module (copying content/ takes a second)."""
    base = tmp_path_factory.mktemp(f"hostile-{request.param}")
    marker = hu.probe_marker(base / "probe") if request.param == "probe" else "<img src=/dev/zero><b>bold</b>"
    return hu.hostile_content(base / "content", marker), marker


# Tests whose probe variant found a leak. Their /dev/zero variant is then not run: the leak would make
# Qt read /dev/zero until memory runs out (the process aborts, or the machine's memory is exhausted),
# and the probe's failure already names every place.
_PROBE_LEAKED: set[str] = set()


@pytest.fixture
def hwindow(qtbot, make_window, hostile, request):
    root, marker = hostile
    name = request.node.originalname
    if "/dev/zero" in marker and name in _PROBE_LEAKED:
        pytest.fail(f"{name}[probe] found rich-text leaks; its /dev/zero variant would exhaust memory, so it "
                    "was not run")
    window = make_window(root)
    qtbot.waitUntil(lambda: window.model_controller is not None)
    return window


def _walk(leaks: list[str], marker: str, what: str, scene=None) -> None:  # noqa: ANN001
    found = hu.rich_leaks(marker, roots=[scene] if scene is not None else [])
    leaks.extend(f"{what}: {leak}" for leak in found if f"{what}: {leak}" not in leaks)
    if found and "/dev/zero" not in marker:
        import inspect

        _PROBE_LEAKED.add(inspect.stack()[1].function)  # the test that walked


def test_content_texts_are_never_rich(qtbot, hwindow, hostile) -> None:
    """Start-up, every scenario, the node list, the search results, every page, the path explorer,
    every tour step, the problems dialog, Model ▸ Evidence: nothing from the content is rendered as
    rich text."""
    _root, marker = hostile
    w = hwindow
    leaks: list[str] = []
    _walk(leaks, marker, "start-up", w.scene)
    mc = w.model_controller
    for sid in mc.scenarios:
        w.controls.scenario_combo.setCurrentIndex(w.controls.scenario_combo.findData(sid))
        mc.explain_now()
        _walk(leaks, marker, f"scenario {sid}")
    w.node_dock.show()
    qtbot.waitUntil(lambda: w.node_list.count() > 0 if hasattr(w.node_list, "count") else True)
    w.search.edit.setText("bold")
    w.search.edit.setText("iron")
    _walk(leaks, marker, "node list and search")
    for node in w.content.pathway.nodes:
        w.controller.select_node(node.id)
    for kind, pages in (("topic", w.content.topic_pages),):
        for pid in pages:
            w.controller.open_page(kind, pid)
            _walk(leaks, marker, f"page {pid}")
    w.controller.open_page("glossary", "")
    w.controller.open_page("ref", "cai2023")
    _walk(leaks, marker, "glossary and references")
    paths = w.features["paths"]
    explorer = paths.open()
    explorer.set_nodes("serum_ferritin", "bone_mass")
    if explorer.table.rowCount():
        explorer.select_row(0)
    _walk(leaks, marker, "path explorer")
    lecture = w.features["lecture"]
    lecture._fill_tours_menu()
    _walk(leaks, marker, "tours menu")
    for tid, tour in lecture.runner.tours.items():
        lecture.start_tour(tid)
        for _ in range(len(tour.steps) - 1):
            lecture.runner.next()
            mc.finish_play()
        _walk(leaks, marker, f"tour {tid}")
        lecture.runner.leave()
    w.dialogs.show_problems()
    _walk(leaks, marker, "problems dialog")
    evidence = w.features["evidence"]
    evidence.open()
    qtbot.waitUntil(lambda: bool(evidence.dialog.results), timeout=30_000)  # computed on a worker thread
    _walk(leaks, marker, "Model ▸ Evidence")
    assert not leaks, "\n".join(leaks)


def _answer(view) -> None:  # noqa: ANN001
    """Give some answer in any kind of answer view, as a student would."""
    from app.ui.quiz import views as v

    if isinstance(view, v._ChoiceView):
        view.pick(1)
    elif isinstance(view, v.PredictView):
        for node in view.question.targets:
            view.set_mark(node, "up")
    elif isinstance(view, v.MatchingView):
        for combo in view.combos.values():
            combo.setCurrentIndex(1)
    elif isinstance(view, v.NumericView):
        view.edit.setText("1")
    elif isinstance(view, v.ClickNodeView):
        view._on_scene_node_clicked(view.question.answers and sorted(view.question.answers)[0])


def test_quiz_texts_are_never_rich(qtbot, hwindow, hostile) -> None:
    """One question of every kind, asked, answered and graded: prompts, options, steps, pairs, units,
    feedback and the report show the marker as text (quiz files come from other people now)."""
    _root, marker = hostile
    w = hwindow
    panel = w.features["quiz"].open_panel()
    bank = panel.bank()
    kinds: dict[type, str] = {}
    for q in bank.questions:
        kinds.setdefault(type(q), q.id)
    assert len(kinds) >= 8, kinds
    leaks: list[str] = []
    for qtype, qid in kinds.items():
        assert panel.start("practice", n=len(bank), types=[bank.get(qid).type]), qtype
        _walk(leaks, marker, f"{qtype.__name__} asked")
        _answer(panel.view)
        panel.submit()
        _walk(leaks, marker, f"{qtype.__name__} graded")
        panel.finish()
        _walk(leaks, marker, f"{qtype.__name__} report")
    panel.show_progress()
    _walk(leaks, marker, "progress")
    assert not leaks, "\n".join(leaks)


def _session(path: Path, **fields) -> Path:  # noqa: ANN003
    data = {"format": "ironbone-session", "version": 1, "inputs": {"estrogen": 100, "ferritin": 50}}
    data.update(fields)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_session_strings_are_never_rich(qtbot, hwindow, hostile, tmp_path) -> None:
    """A refused session (hostile scenario, selection kind, a file name with markup) shows its message
    as text; an accepted one with a hostile pinned-run name shows the name as text in the legend, the
    compare panel and its messages."""
    _root, marker = hostile
    w = hwindow
    sessions = w.features["session"].manager
    leaks: list[str] = []
    bad = [_session(tmp_path / "a.ironbone", scenario=marker),
           _session(tmp_path / "b.ironbone", selection={"kind": marker, "id": "x"}),
           _session(tmp_path / "c.ironbone", inputs={"estrogen": marker, "ferritin": 50}),
           _session(tmp_path / "d.ironbone", pinned=[{"name": marker}])]
    for path in bad:
        assert not sessions.open_path(path)
        assert sessions.message_box is not None and sessions.message_box.isVisible()
        _walk(leaks, marker, f"refusing {path.name}")
    # A file name cannot hold a slash: a relative image (loaded from the working folder, if anything)
    named = "<img src=named.png>"
    folder = tmp_path / named
    folder.mkdir()
    assert not sessions.open_path(_session(folder / f"{named}.ironbone", scenario="nowhere"))
    _walk(leaks, named, "refusing a file whose name is markup")
    pin = {"name": marker, "inputs": {"estrogen": 10, "ferritin": 500}, "t_pinned": 1.0, "t": [0.0, 1.0],
           "formation": [7.0, 7.5], "resorption": [7.0, 8.0], "mass": [100.0, 99.5], "activities": {}}
    good = _session(tmp_path / "good.ironbone", pinned=[pin], years=1.0)
    assert sessions.open_path(good), sessions.last_message
    compare = w.features["compare"]
    compare.open_panel()
    compare.compare.pin(marker)  # typed as a name
    compare.compare.rename(0, marker + " again")
    _walk(leaks, marker, "pinned runs", w.plots.mass_plot.scene())
    assert not leaks, "\n".join(leaks)
