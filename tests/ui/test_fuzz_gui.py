"""GUI fuzzing with the shared hostile strings (tests/helpers/hostile.py): fuzzed session files opened
in a live window, pinned runs with hostile names and numbers, and the window started on content whose
names, labels, descriptions, captions and quiz texts are hostile, then driven (scenarios, pages, a
tour, the path explorer, quiz answers). Nothing may raise, hang, render a file's text as rich text,
half-apply a refused file, or lose an answer.

Derandomised and small by default; longer runs: IRONBONE_FUZZ_GUI_EXAMPLES=N. With
IRONBONE_FUZZ_REPORT=FILE each example appends one JSON line (test, outcome, seconds, answers given
and stored), for the table of inputs tried, crashes, hangs and answers lost."""

from __future__ import annotations

import json
import os
import runpy
import shutil
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import yaml
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from app.knowledge import session as sf
from app.knowledge.content import load_content
from app.model.simulation import Inputs

HELPERS = Path(__file__).parents[1] / "helpers"
fd = SimpleNamespace(**runpy.run_path(str(HELPERS / "fuzz_data.py")))
hu = SimpleNamespace(**runpy.run_path(str(HELPERS / "hostile_ui.py")))
hs = fd.hostile
CONTENT = Path(__file__).resolve().parents[2] / "content"
EXAMPLES = "IRONBONE_FUZZ_GUI_EXAMPLES"
HANG_SECONDS = 15.0  # far beyond any step here (opening a session takes milliseconds)


def _report(test: str, outcome: str, seconds: float, **extra: object) -> None:
    path = os.environ.get("IRONBONE_FUZZ_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"test": test, "outcome": outcome, "seconds": round(seconds, 3), **extra}) + "\n")


def _state(window) -> tuple:  # noqa: ANN001
    """What a refused file must leave as it was."""
    mc = window.model_controller
    return (mc.inputs, mc.scenario, round(mc.sim.t_years, 9), window.features["compare"].compare.pinned_data(),
            window.controller.location, window.features["lecture"].runner.position,
            [r[0] for r in window.plots.references])


def _open(qtbot, window, path: Path, test: str) -> bool:  # noqa: ANN001
    """Open `path` in the window and check the outcome both ways; True if it opened."""
    manager = window.features["session"].manager
    before = _state(window)
    start = time.monotonic()
    opened = manager.open_path(path)
    seconds = time.monotonic() - start
    assert seconds < HANG_SECONDS, f"opening took {seconds:.1f} s"
    if opened:
        session = sf.read(path)
        assert window.model_controller.inputs == session.inputs
    else:
        assert _state(window) == before, "a refused file changed the window"
        box = manager.message_box
        assert box is not None and box.isVisible() and box.text().startswith("Could not open")
    leaks = hu.rich_leaks("<img src=")
    assert not leaks, "\n".join(leaks)
    window.model_controller.advance(30)  # the plots redraw with whatever was restored
    _report(test, "opened" if opened else "refused", seconds)
    if manager.message_box is not None:
        manager.message_box.close()
    return opened


# --- sessions -------------------------------------------------------------------------------------------
def _valid_tree() -> dict:
    later = Inputs(estrogen=20, ferritin=800, treatments=("denosumab",), clamps={"rankl": 1.0},
                   knockouts=("nox4",), edge_knockouts=(("rankl", "rank"),))
    pin = {"name": "run A", "inputs": sf.inputs_to_json(later), "t_pinned": 1.0, "t": [0.0, 0.5, 1.0],
           "formation": [7.0, 7.5, 7.8], "resorption": [7.0, 8.5, 9.0], "mass": [100.0, 99.6, 99.0],
           "activities": {"rankl": 0.6}}
    session = sf.Session(inputs=later, scenario=None, years=2.0, selection=("node", "rankl"),
                         tour=("iron-after-menopause", 1), pinned=(pin,),
                         timeline=(sf.TimelinePoint(t_years=0.0, inputs=Inputs.reference(), scenario="premenopausal"),
                                   sf.TimelinePoint(t_years=1.5, inputs=later, scenario=None)))
    return json.loads(sf.dumps(session, app_version="test"))


TREE = _valid_tree()


def _write(tmp: Path, tree: object) -> Path | None:
    try:
        text = json.dumps(tree, ensure_ascii=False)
        data = text.encode("utf-8")
    except (ValueError, RecursionError, UnicodeEncodeError):
        return None  # not a file anyone can write
    path = tmp / "fuzzed.ironbone"
    path.write_bytes(data)
    return path


@st.composite
def _texted(draw) -> tuple[dict, list]:
    """The valid session with one text of it (an id, a name, a version) made hostile: a file that
    often still opens, so the accepted path is fuzzed too."""
    tree = json.loads(json.dumps(TREE))
    paths = [p for p in fd._paths(tree) if isinstance(fd._get(tree, p), str) and p and p[0] != "format"]
    path = draw(st.sampled_from(paths))
    fd._get(tree, path[:-1])[path[-1]] = draw(hs.hostile_strings(long=False))
    return tree, [path]


@settings(fd.fuzz_settings(EXAMPLES, 12, fixtures=True))
@given(case=st.one_of(fd.mutated_tree(TREE), _texted()))
def test_fuzzed_sessions_open_or_change_nothing_in_a_live_window(qtbot, window, tmp_path, case) -> None:
    tree, _paths = case
    path = _write(tmp_path, tree)
    if path is not None:
        _open(qtbot, window, path, "session")


NUMBER_TOKENS = ["1e308", "-1e308", "1e309", "-1e309", "NaN", "Infinity", "-0", "9" * 5000, "1" + "0" * 400,
                 "5e-324", "7.5", "0", "1000", "1000.0001", '"7"', "null", "true", "[]"]


@st.composite
def _pinned_text(draw) -> str:
    """A session whose pinned runs carry hostile names and number tokens written straight into the
    JSON (NaN, 1e309 and 5,000-digit integers included)."""
    runs = []
    for _ in range(draw(st.integers(1, 4))):  # four is one more than the comparison keeps
        n = draw(st.integers(1, 4))
        name = draw(st.one_of(hs.hostile_strings(surrogates=False, long=False), st.text(min_size=1, max_size=20)))
        plausible = st.floats(0, 100).map(repr)
        numbers = plausible if draw(st.booleans()) else st.one_of(st.sampled_from(NUMBER_TOKENS), plausible)
        series = {key: "[" + ", ".join(draw(st.lists(numbers, min_size=n, max_size=n))) + "]"
                  for key in ("t", "formation", "resorption", "mass")}
        inputs = draw(st.sampled_from(['{"estrogen": 10, "ferritin": 500}', '{"estrogen": 1e308, "ferritin": 50}',
                                       '{"estrogen": 50, "ferritin": 50, "treatments": ["denosumab"]}',
                                       '{"estrogen": 20, "ferritin": 800}']))
        runs.append("{" + f'"name": {json.dumps(name)}, "inputs": {inputs}, '
                    + ", ".join(f'"{k}": {v}' for k, v in series.items()) + "}")
    return ('{"format": "ironbone-session", "version": 1, "inputs": {"estrogen": 100, "ferritin": 50}, '
            f'"pinned": [{", ".join(runs)}]}}')


@settings(fd.fuzz_settings(EXAMPLES, 12, fixtures=True))
@given(text=_pinned_text())
def test_pinned_runs_with_hostile_names_and_numbers(qtbot, window, tmp_path, text) -> None:
    path = tmp_path / "pinned.ironbone"
    try:
        path.write_text(text, encoding="utf-8")
    except UnicodeEncodeError:
        return
    if _open(qtbot, window, path, "pinned"):
        for _name, t, f, r, m in window.plots.references:
            assert all(abs(v) < 1e6 for v in (*t, *f, *r, *m))


# --- content start-up -----------------------------------------------------------------------------------
def _set(path: Path, where: tuple, text: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = text
    path.write_text(fd.plain_yaml(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def _targets() -> list[tuple[str, tuple]]:
    """(file, key path) of every field a person reads in the window."""
    out: list[tuple[str, tuple]] = []
    pw = yaml.safe_load((CONTENT / "pathway.yaml").read_text(encoding="utf-8"))
    for i in range(len(pw["nodes"])):
        out += [("pathway.yaml", ("nodes", i, "name")), ("pathway.yaml", ("nodes", i, "label"))]
    out += [("pathway.yaml", ("edges", i, "note")) for i in range(len(pw["edges"]))]
    out += [("pathway.yaml", ("compartments", i, "label")) for i in range(len(pw["compartments"]))]
    for name, key, fields in (("scenarios.yaml", "scenarios", ("name", "description")),
                              ("treatments.yaml", "treatments", ("name", "mechanism", "class")),
                              ("glossary.yaml", "terms", ("meaning",)),
                              ("references.yaml", "references", ("title", "authors")),
                              ("calibration.yaml", "rows", ("label", "source"))):
        rows = yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))[key]
        out += [(name, (key, i, f)) for i in range(len(rows)) for f in fields]
    for tour in sorted((CONTENT / "tours").glob("*.yaml")):
        out += [(f"tours/{tour.name}", ("title",)), (f"tours/{tour.name}", ("summary",)),
                (f"tours/{tour.name}", ("steps", 0, "caption"))]
    for quiz in sorted((CONTENT / "quizzes").glob("*.yaml")):
        questions = yaml.safe_load(quiz.read_text(encoding="utf-8"))["questions"]
        out += [(f"quizzes/{quiz.name}", ("questions", i, "prompt")) for i in range(len(questions))]
        out += [(f"quizzes/{quiz.name}", ("questions", i, "explanation")) for i in range(len(questions))]
    return out


TARGETS = _targets()


def _answer(panel) -> bool:  # noqa: ANN001
    """Answer the current question somehow, as a student would; True if it was submitted."""
    from app.ui.quiz import views as v

    view = panel.view
    if isinstance(view, v._ChoiceView):
        view.pick(1)
    elif isinstance(view, v.PredictView):
        for node in view.question.targets:
            view.set_mark(node, "down")
    elif isinstance(view, v.MatchingView):
        for combo in view.combos.values():
            combo.setCurrentIndex(1)
    elif isinstance(view, v.NumericView):
        view.edit.setText("2")
    elif isinstance(view, v.ClickNodeView):
        view._on_scene_node_clicked(sorted(view.question.answers)[0])
    if panel.session.grade_of() is None:
        panel.submit()
    return panel.session.grade_of() is not None


# Long texts as (piece, times), built in the test: hypothesis would print a 100 kB repr otherwise.
_TEXTS = st.one_of(hs.hostile_strings(surrogates=False, long=False), st.sampled_from(hs.LONG))


# A failing example starts a window per shrinking step: report it as found instead of shrinking it.
@settings(fd.fuzz_settings(EXAMPLES, 3, fixtures=True), phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(edits=st.lists(st.tuples(st.sampled_from(TARGETS), _TEXTS), min_size=1, max_size=8))
def test_the_window_starts_and_works_on_content_with_hostile_texts(qtbot, edits) -> None:
    from app.quiz.store import ProgressStore, default_path
    from app.ui.app import create_window

    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(CONTENT, root)
        for (name, where), text in edits:
            _set(root / name, where, text if isinstance(text, str) else text[0] * text[1])
        window = create_window(load_content(root))
        qtbot.addWidget(window)
        with qtbot.waitExposed(window):
            window.show()
        qtbot.waitUntil(lambda: window.startup.first_paint_done)
        loading = window.controls_scroll.widget()  # until the model is built, or the reason it cannot be
        qtbot.waitUntil(lambda: window.controls_scroll.widget() is not loading, timeout=20_000)
        given_answers = stored = 0
        mc = window.model_controller
        if mc is not None:
            for sid in list(mc.scenarios)[:3]:
                mc.choose_scenario(sid)
            mc.explain_now()
            for node in window.content.pathway.node_ids[:5]:
                window.controller.select_node(node)
            window.controller.open_page("topic", "about-model")
            lecture = window.features["lecture"]
            lecture._fill_tours_menu()
            if lecture.runner.tours:
                lecture.start_tour(next(iter(lecture.runner.tours)))
                lecture.runner.next()
                mc.finish_play()
                lecture.runner.leave()
            window.features["paths"].open()
            panel = window.features["quiz"].open_panel()
            with ProgressStore(default_path()) as store:
                before = len(store.history())
            panel.seed = 7
            if panel.start("practice", n=4):
                for _ in range(4):
                    given_answers += _answer(panel)
                    panel.next_question()
                    if panel.stack.currentWidget() is not panel.question_page:
                        break
            with ProgressStore(default_path()) as store:
                stored = len(store.history()) - before
        leaks = hu.rich_leaks("<img src=")
        window.close()
    seconds = time.monotonic() - start
    _report("content", "started", seconds, answers_given=given_answers, answers_stored=stored,
            edits=[[name, fd.show_path(where), len(text) if isinstance(text, str) else text[1] * len(text[0])]
                   for (name, where), text in edits])
    assert not leaks, "\n".join(leaks)
    assert stored == given_answers, f"{given_answers} answers given, {stored} stored"
    assert seconds < 4 * HANG_SECONDS
