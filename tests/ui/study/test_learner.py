"""The window's learner: the learning content loads once on a worker thread and whoever waited for it
is called on the GUI thread; a loader that fails is said and leaves an empty study path, not a
start page loading for ever; looking at progress makes no progress file, recording does."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.knowledge.content import load_content
from app.quiz.store import default_path
from app.ui import learner as learner_module
from app.ui.learner import Learner, NoProgress
from app.ui.study.start_page import start_page_html

CONTENT = Path(__file__).resolve().parents[3] / "content"


@pytest.fixture(scope="module")
def content():  # noqa: ANN201
    return load_content(CONTENT)


def test_the_content_loads_once_off_the_gui_thread_and_waiting_callers_run_on_it(qtbot, content,
                                                                                monkeypatch) -> None:
    threads: list[str] = []
    real = learner_module._load

    def counting(c):  # noqa: ANN001, ANN202
        threads.append(threading.current_thread().name)
        return real(c)

    monkeypatch.setattr(learner_module, "_load", counting)
    learner = Learner(content)
    called: list[tuple[str, bool]] = []
    learner.when_loaded(lambda: called.append((threading.current_thread().name, learner.is_loaded)))
    learner.when_loaded(lambda: called.append(("second", True)))
    assert not learner.is_loaded and called == []
    with qtbot.waitSignal(learner.loaded, timeout=30_000):
        pass
    assert threads and threads[0].startswith("ironbone-learning")  # a worker thread
    assert called == [(threading.main_thread().name, True), ("second", True)]
    assert learner.learning().path is not None and len(learner.bank().questions) > 50
    learner.when_loaded(lambda: called.append(("at once", True)))
    assert called[-1] == ("at once", True) and len(threads) == 1  # loaded once


def test_asking_before_the_worker_is_done_waits_for_it_rather_than_loading_twice(qtbot, content,
                                                                              monkeypatch) -> None:
    calls: list[int] = []
    real = learner_module._load
    monkeypatch.setattr(learner_module, "_load", lambda c: calls.append(1) or real(c))
    learner = Learner(content)
    learner.prepare()
    assert learner.learning().sections  # blocks until the worker has finished
    assert calls == [1]


def test_a_loader_that_fails_is_said_and_leaves_an_empty_path(qtbot, content, monkeypatch) -> None:
    def broken(_c):  # noqa: ANN001, ANN202
        raise KeyError("steps")

    monkeypatch.setattr(learner_module, "_load", broken)
    learner = Learner(content)
    with qtbot.waitSignal(learner.notice, timeout=30_000) as notice:
        learner.prepare()
    assert notice.args[0] == "The study path could not be loaded." and "KeyError" in notice.args[1]
    assert learner.is_loaded and learner.learning().path is None and learner.bank().questions == ()
    from app.knowledge.render import LIGHT

    page = start_page_html(learning=learner.learning(), progress=None, theme=LIGHT)
    assert "This content has no study path" in page and "Loading" not in page


def test_a_loader_that_fails_when_asked_at_once_is_said_too(qtbot, content, monkeypatch) -> None:
    def broken(_c):  # noqa: ANN001, ANN202
        raise ValueError("no objectives")

    monkeypatch.setattr(learner_module, "_load", broken)
    learner = Learner(content)
    with qtbot.waitSignal(learner.notice) as notice:
        assert learner.learning().sections == {}  # asked before prepare(): loaded (and failed) at once
    assert "ValueError: no objectives" == notice.args[1] == learner.load_error
    assert learner.bank().questions == ()


def test_looking_makes_no_progress_file_and_recording_does(qtbot, content) -> None:
    learner = Learner(content)
    assert isinstance(learner.progress(), NoProgress)
    assert not default_path().exists()
    with qtbot.waitSignal(learner.recorded) as recorded:
        assert learner.record_tour_finished("iron-after-menopause")
    assert recorded.args == ["tour", "iron-after-menopause"]
    assert default_path().exists()
    assert "iron-after-menopause" in learner.progress().tours_finished()


def test_a_progress_file_that_cannot_be_made_is_said_once(qtbot, content, monkeypatch, tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("IRONBONE_DATA_DIR", str(blocker / "sub"))
    learner = Learner(content)
    with qtbot.waitSignal(learner.notice) as notice:
        assert not learner.record_page_read("topic:overview")
    assert notice.args[0] == "Progress will not be saved." and str(blocker) in notice.args[1]
    assert learner.progress() is None and learner.store_error
