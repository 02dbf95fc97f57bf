"""Starts the Qt application (the GUI, the smoke test, the offscreen screenshot, the self-test) and
assembles the window: the shell and the features it is given. The one module that knows them all."""

from __future__ import annotations

import gc
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import __version__
from app.knowledge.content import load_content
from app.knowledge.content_cache import load_content_cached
from app.paths import content_dir, resources_dir

if TYPE_CHECKING:
    from app.knowledge.content import Content
    from app.ui.context import Feature
    from app.ui.shell.main_window import MainWindow

APP_ID = "org.ironbone.IronBone"  # reverse-DNS id: .desktop file, AppStream, icons

SMOKE_TIMEOUT_MS = 30000
END_SIGNALS = (signal.SIGTERM, signal.SIGINT)  # ended from outside: handled like a quit that cannot ask


def display_missing() -> str:
    """'' when Qt can open a window here; else one line saying what is missing and how to run
    without a screen. Creating the application with no display at all aborts the process
    (SIGABRT), so this is asked first (X11 and Wayland systems: Linux and the BSDs)."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform in ("win32", "cygwin", "darwin"):
        return ""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return ""
    return ("IronBone cannot open its window: there is no display (DISPLAY and WAYLAND_DISPLAY are not set); "
            "to run without a screen set QT_QPA_PLATFORM=offscreen (--screenshot, --smoke-test and "
            "--self-test choose it by themselves).")


class _Endings(QObject):
    """Ends that cannot ask about unsaved work, handled like a quit that has nobody to answer:
    SIGTERM and SIGINT (Ctrl+C in a terminal) and the desktop session ending. The unsaved session
    stays in the crash-recovery file for the next start to offer, the settings are saved and the
    recovery lock is released (the session feature's end_unattended, then a normal close).

    Python runs a signal handler only when the interpreter gets control, which the Qt event loop
    does not give it on its own: the handler's wake-up byte goes to a socket pair whose read end
    a QSocketNotifier watches (signal.set_wakeup_fd), so the handler runs within a turn."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        super().__init__(app)
        self.app, self.window = app, window
        self.signal = 0  # the signal that ended the run (0: none)
        self._read, self._write = socket.socketpair()
        for sock in (self._read, self._write):
            sock.setblocking(False)
        self._old_fd = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        self.notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._on_wakeup)
        self._old_handlers = {sig: signal.signal(sig, self._on_signal) for sig in END_SIGNALS}
        app.commitDataRequest.connect(self._on_commit_data)
        app.aboutToQuit.connect(self._on_about_to_quit)

    def _on_wakeup(self) -> None:
        try:
            self._read.recv(512)  # the handler itself runs as this slot hands control back
        except OSError:
            pass

    def _on_signal(self, signum: int, _frame) -> None:  # noqa: ANN001
        if not self.signal:
            self.signal = signum
            QTimer.singleShot(0, self, self._end_by_signal)

    def _end_by_signal(self) -> None:
        self.app.setQuitOnLastWindowClosed(False)  # the close must not quit first, with exit code 0
        self.end_unattended()
        self.app.exit(128 + self.signal)  # as a shell reports a run ended by that signal

    def end_unattended(self) -> None:
        session = self.window.features.get("session")
        if session is not None:
            session.end_unattended()
        self.window.close()  # the window saves its settings; the session keeps its recovery file

    def _on_commit_data(self) -> None:
        """The desktop session asks for unsaved data before it ends (it may still be cancelled).
        The slot takes no argument: PySide6 (6.11) crashes handing the QSessionManager& to Python."""
        session = self.window.features.get("session")
        if session is not None:
            session.keep_for_recovery()
        if self.window.settings.save_on_close:
            self.window.settings.save()

    def _on_about_to_quit(self) -> None:
        if self.window.isVisible():  # quitting without the window's close (e.g. exit() from elsewhere)
            self.end_unattended()
        for sig, handler in self._old_handlers.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(self._old_fd)
        self.notifier.setEnabled(False)


def settle_startup_objects() -> None:
    """Moves every object alive now to the collector's permanent generation and turns collection on.

    Start-up builds objects that live as long as the app: modules, classes, the content, the widgets.
    `app.cli` turns the cyclic collector off while they are built (it would only walk them again and
    again, finding next to nothing: 48 garbage objects in 43,000 at the first paint). Frozen, they
    are skipped by every later collection: during slider drags, and the full one at exit. Called at
    the first paint and again once the model is ready; cheap (it moves a list)."""
    gc.freeze()
    gc.enable()


class _FirstPaint(QObject):
    """Notes the watched widget's first paint: settles the start-up objects and, for the smoke
    test (`quit_after`), cancels what start-up still had to do and quits the event loop."""

    def __init__(self, app: QApplication, *, quit_after: bool = False,
                 cancel: Callable[[], None] = lambda: None) -> None:
        super().__init__()
        self.app = app
        self.quit_after = quit_after
        self.cancel = cancel
        self.painted = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            obj.removeEventFilter(self)
            settle_startup_objects()
            if self.quit_after:
                self.cancel()  # the smoke test ends here: no model set-up on the way out
                QTimer.singleShot(0, self.app.quit)
        return False


def _application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("IronBone")
    app.setOrganizationName("IronBone")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    icon = QIcon()
    for png in sorted((resources_dir() / "icons" / "hicolor").glob(f"*/apps/{APP_ID}.png")):
        icon.addFile(str(png))
    app.setWindowIcon(icon)
    return app  # type: ignore[return-value]


def standard_features() -> list[Feature]:
    """Every feature, in the order their menus and File menu entries appear (any order works: they never
    refer to each other)."""
    from app.ui.explore.compare import CompareFeature
    from app.ui.explore.evidence import EvidenceFeature
    from app.ui.explore.paths import PathsFeature
    from app.ui.lecture.feature import LectureFeature
    from app.ui.packs.feature import PacksFeature
    from app.ui.quiz.feature import QuizFeature
    from app.ui.session.feature import SessionFeature

    return [SessionFeature(), QuizFeature(), LectureFeature(), PathsFeature(), CompareFeature(), EvidenceFeature(),
            PacksFeature()]


def create_window(content: Content, *, features: Callable[[], Sequence[Feature]] = standard_features) -> MainWindow:
    """The main window with its features (installed just after its first paint)."""
    from app.ui.shell.main_window import MainWindow

    return MainWindow(content, features=features)


def check_session_file(path: Path, content: Content) -> str:
    """What is wrong with session file `path` for this content ('' if it opens): the file read and
    validated (app.knowledge.session.read), then every id it names checked against the content, the
    model's treatments and scenarios and the tours, as opening it in the window does."""
    from app.knowledge.model_io import load_model_content
    from app.knowledge.session import SessionError, check_ids, read
    from app.knowledge.tours import load_tours

    try:
        session = read(path)
    except SessionError as exc:
        return str(exc)
    mc = load_model_content(content.root, content.pathway)
    if mc.model is None:
        return f"{path.name}: the model could not be built from {content.root}, so the file cannot be opened"
    tours, _problems = load_tours(content.root, content.pathway, mc.scenarios, mc.model.treatments)
    problems = check_ids(session, treatments=mc.model.treatments, nodes=content.pathway.node_ids,
                         scenarios=mc.scenarios, tours={tid: len(t.steps) for tid, t in tours.items()},
                         pages=content.topic_pages, edges=[e.key for e in content.pathway.edges])
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        return f"{path.name}: " + "; ".join(problems[:3]) + more
    return ""


def run_gui(*, smoke_test: bool = False, screenshot: Path | None = None,
            content_root: Path | None = None, self_test: bool = False, session: Path | None = None) -> int:
    """`session`: with smoke_test, the file to open and check (python -m app FILE --smoke-test)."""
    missing = display_missing() if QApplication.instance() is None else ""
    if missing:
        if not (smoke_test or screenshot is not None or self_test):
            print(missing, file=sys.stderr)
            return 2
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # these runs draw offscreen; no display needed
    app = _application(sys.argv[:1])
    root = content_root or content_dir()
    # Parsed once, then unpickled (app/knowledge/content_cache.py); the self-test writes no file, not even a cache.
    content = load_content(root) if self_test else load_content_cached(root)
    window = create_window(content)
    watcher = _FirstPaint(app, quit_after=smoke_test, cancel=window.startup.cancel)
    window.installEventFilter(watcher)
    window.model_ready.connect(settle_startup_objects)  # numpy, pyqtgraph, the model and plots
    if not smoke_test and screenshot is None and not self_test:
        window.settings.place()  # a size that fits this screen (maximised on small ones)...
        window.settings.restore()  # ...unless remembered; the smoke test, self-test and screenshots use the defaults
        # Only an interactive run keeps (or offers back) a crash-recovery copy; set up once the
        # model is ready, off the first paint's path and in a turn of its own (it reads the disk).
        window.model_ready.connect(lambda: window.startup.later(window.features["session"].enable_recovery))
    if self_test:
        from app.ui.self_test import run

        try:
            steps = run(app, window)
        except Exception as exc:  # noqa: BLE001 - report whatever broke, exit non-zero
            print(f"self-test failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        print(f"self-test ok: IronBone {__version__}: " + "; ".join(steps))
        return 0
    if smoke_test:
        window.show()
        QTimer.singleShot(SMOKE_TIMEOUT_MS, app.quit)
        app.exec()
        if not watcher.painted:
            print("smoke test failed: the main window was never painted", file=sys.stderr)
            return 1
        opened = ""
        if session is not None:
            problem = check_session_file(Path(session), content)
            if problem:
                print(f"smoke test failed: cannot open {session}: {problem}", file=sys.stderr)
                return 1
            opened = f", session {session} opens"
        print(f"smoke test ok: IronBone {__version__}, {len(content.pathway.nodes)} nodes, "
              f"{len(content.pathway.edges)} edges, {len(content.problems)} content problem(s){opened}")
        return 0
    if screenshot is not None:
        window.show()
        deadline = time.monotonic() + SMOKE_TIMEOUT_MS / 1000
        while window.model_controller is None and time.monotonic() < deadline:
            app.processEvents()  # the model and plots arrive just after the first paint
            time.sleep(0.005)
        app.processEvents()
        window.view.fit_all()
        app.processEvents()
        image = window.grab()
        if not image.save(str(screenshot)):
            print(f"cannot write screenshot to {screenshot}", file=sys.stderr)
            return 1
        print(f"wrote {screenshot} ({image.width()}x{image.height()})")
        return 0
    endings = _Endings(app, window)  # noqa: F841 - lives as long as the run
    window.show()
    return app.exec()
