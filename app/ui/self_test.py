"""`python -m app --self-test`: start the real window and use every feature once, offscreen or on
a display, then exit 0 (1 with the reason). Built for installed wheels and the frozen bundle, where
a module that is only imported on first use (the quiz panel, the path explorer…) could be missing
although the window itself paints."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow

TIMEOUT_S = 30.0


def _wait(app: QApplication, condition, what: str) -> None:  # noqa: ANN001
    end = time.monotonic() + TIMEOUT_S
    while not condition():
        if time.monotonic() > end:
            raise RuntimeError(f"timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.005)


def run(app: QApplication, window: MainWindow) -> list[str]:
    """Each step's name as it passes; raises on the first failure. The user's progress file and
    settings are never touched: the quiz and QSettings write to a temporary folder."""
    before = os.environ.get("IRONBONE_DATA_DIR")
    before_cache = os.environ.get("IRONBONE_CACHE_DIR")
    with tempfile.TemporaryDirectory() as data:
        os.environ["IRONBONE_DATA_DIR"] = data
        os.environ["IRONBONE_CACHE_DIR"] = os.path.join(data, "cache")
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):  # recent files, scales…
            QSettings.setPath(fmt, QSettings.Scope.UserScope, data)
        try:
            return _run(app, window)
        finally:
            if before is None:
                os.environ.pop("IRONBONE_DATA_DIR", None)
            else:
                os.environ["IRONBONE_DATA_DIR"] = before
            if before_cache is None:
                os.environ.pop("IRONBONE_CACHE_DIR", None)
            else:
                os.environ["IRONBONE_CACHE_DIR"] = before_cache


def _run(app: QApplication, window: MainWindow) -> list[str]:
    done: list[str] = []
    window.show()
    _wait(app, lambda: window.model_controller is not None and window.controller.location is not None,
          "the model and the start page")
    done.append("window, model and start page")
    mc = window.model_controller
    window.controller.select_node("hepcidin")
    assert window.panel.location == ("node", "hepcidin"), "the hepcidin page did not open"
    if "postmenopause_iron" in mc.scenarios:
        mc.choose_scenario("postmenopause_iron")
    mc.advance(365.25)
    done.append("node page, scenario and one model year")
    lecture, quiz, paths = window.features["lecture"], window.features["quiz"], window.features["paths"]
    compare, session = window.features["compare"].compare, window.features["session"].manager
    lecture.tours_menu.aboutToShow.emit()
    tour = next(iter(lecture.runner.tours), None)
    if tour is not None:
        assert lecture.runner.start(tour), f"tour {tour} did not start"
        lecture.runner.next()
        mc.finish_play()
        lecture.runner.go_to(len(lecture.runner.tour.steps) - 1)
        lecture.runner.next()  # on to the recap
        assert lecture.tour_end is not None and lecture.tour_end.isVisible(), "the tour's recap did not show"
        lecture.runner.leave()
        done.append(f"tour {tour} and its recap")
    lecture.presentation.enter()
    tours = lecture.runner.tours
    built = next((tid for tid, t in tours.items() if any(v is not None for v in t.visibility())), None)
    if built is not None:
        assert lecture.runner.start(built), f"tour {built} did not start"
        first = next(i for i, v in enumerate(tours[built].visibility()) if v is not None)
        lecture.runner.go_to(first)
        mc.finish_play()
        mode, shown, _edges = window.scene.shown_parts()
        assert mode == "hide" and len(shown) < len(window.content.pathway.nodes), "the build-up hid nothing"
        lecture.runner.leave()
        assert window.scene.shown_parts()[0] is None, "leaving the tour left nodes hidden"
        done.append(f"build-up tour {built} while presenting")
    lecture.stage.set_pointer(True)
    assert lecture.stage.pointer_on, "the spotlight pointer did not turn on"
    lecture.stage.set_pointer(False)
    poll = lecture.poll
    question = next(iter(poll.questions()), None)
    if question is not None:
        assert poll.open(question) is not None and poll.view.isVisible(), "the class poll did not open"
        assert poll.reveal(), "the class poll did not reveal its answer"
        poll.close()
        done.append("spotlight pointer and class poll")
    lecture.presentation.leave()
    lecture.teacher_guide.open()
    assert "20 minutes" in window.panel.toPlainText(), "the teacher guide shows no storyline"
    done.append("teacher guide")
    lecture.inquiry.set(True)
    lecture.inquiry.set(False)
    done.append("presentation and inquiry modes")
    quiz.act_practice.trigger()
    assert quiz.panel is not None, "the quiz panel was not built"
    done.append("quiz panel and progress store")
    study = window.features["study"]
    _wait(app, lambda: window.learner.is_loaded, "the learning content")
    study.open_start_page()
    assert "Your study path" in window.panel.toPlainText(), "the start page shows no study path"
    assert study.open_glossary().terms_shown(), "the glossary browser is empty"
    quiz.act_progress.trigger()
    assert quiz.panel.readiness.rows, "the readiness view shows no section"
    with tempfile.TemporaryDirectory() as tmp:
        exporter = study.notes_exporter
        exporter.start(Path(tmp) / "notes.pdf")
        _wait(app, lambda: not exporter.running, "the study notes")
        written = [Path(tmp) / "notes.pdf", Path(tmp) / "notes.html"]
        assert all(f.is_file() and f.stat().st_size > 0 for f in written), "the study notes were not written"
    done.append("start page, glossary, readiness and study notes")
    paths.explore("estrogen", "bone_mass")
    done.append("path explorer")
    compare.pin("self-test")
    compare.clear()
    done.append("pinned run")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "self-test.ironbone"
        session.save_to(path)
        assert session.open_path(path), "the session did not reopen"
    done.append("session saved and reopened")
    assert lecture.open_recorder() is not None, "the tour recorder did not open"
    packs = window.features["packs"]
    with tempfile.TemporaryDirectory() as tmp:
        from app.quiz.pack import export_pack

        pack = export_pack(Path(tmp) / "self-test", session=window.features["session"].session_bytes(),
                           title="Self-test")
        assert packs.read(pack).session is not None, "the lesson pack did not read back"
    done.append("tour recorder and lesson pack")
    from app.ui.shell.export import diagram_image

    assert not diagram_image(window.scene, 1).isNull(), "the diagram did not render"
    done.append("diagram export")
    window.settings.save_on_close = False  # the window layout of a test run is not the user's
    window.close()
    return done
