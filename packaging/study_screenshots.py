"""The student's screens for resources/screenshots/, made from the real app offscreen on a 1920×1080
screen (maximised, as on a desktop): the start page with its study path, a topic page's key-points
box, and the readiness view. packaging/screenshots.py runs this; on its own: python packaging/study_screenshots.py

A student part-way through the path: two pages read, the first tour taken, some of section 1's and
2.1's questions answered (one of them wrong), written to a fresh progress file before the window opens."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shotlib import screen_env, settle  # packaging/shotlib.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "screenshots"
SIZE = (1920, 1080)
SHOTS = ("study-start.png", "study-key-points.png", "study-readiness.png")


def _progress() -> None:
    """Some of the path done, written as a student's answers would be (two sessions a day apart)."""
    from app.quiz.store import ProgressStore

    yesterday = datetime.now(UTC) - timedelta(days=1)
    with ProgressStore() as store:
        store.record_page_read("topic:overview", now=yesterday)
        store.record_page_read("topic:s1-introduction", now=yesterday)
        store.record_tour_finished("iron-after-menopause", now=yesterday)
        for qid in ("s1-why-accumulates", "s1-no-excretion", "s1-ferritin-normal-band"):
            store.record_answer(qid, 1.0, mode="practice", now=yesterday, session="day-1")
        store.record_answer("s21-fenton", 0.0, mode="practice", now=yesterday, session="day-1")
        store.record_answer("s1-why-accumulates", 1.0, mode="review", session="day-2")


def one(name: str) -> None:
    """In a process of its own, on the 1920×1080 screen: make screenshot `name`."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from app.knowledge.content import load_content
    from app.paths import content_dir
    from app.ui.app import create_window

    _progress()
    app = QApplication(sys.argv[:1])
    window = create_window(load_content(content_dir()))
    window.showMaximized()
    settle(app, lambda: window.model_controller is not None and getattr(window, "learner", None) is not None
            and window.learner.is_loaded)
    window.view.fit_all()
    if name == "study-key-points.png":  # a topic page at its key points, the objectives box above
        window.controller.open_page("topic", "s2-1-osteoblasts")
        settle(app)
        cursor = window.panel.document().find("Key points")
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        window.panel.setTextCursor(cursor)
        bar = window.panel.verticalScrollBar()
        bar.setValue(max(0, window.panel.cursorRect(cursor).top() + bar.value() - 120))
    elif name == "study-readiness.png":  # Quiz ▸ Progress: readiness by section
        window.features["quiz"].act_progress.trigger()
    settle(app)
    image = window.grab()
    if not image.save(str(OUT / name)):
        raise SystemExit(f"cannot write {OUT / name}")
    print(f"{name}: {image.width()}×{image.height()}")
    window.settings.save_on_close = False
    window.close()


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        one(sys.argv[2])
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in SHOTS:
            env = screen_env(*SIZE, Path(tmp) / name)  # a fresh user each time: no remembered window or progress
            done = subprocess.run([sys.executable, __file__, "--one", name], env=env, cwd=ROOT, check=False)
            if done.returncode != 0:
                return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
