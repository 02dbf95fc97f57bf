"""The baseline for the start-up benchmark: a bare PySide6 window with one QLabel, painted once."""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel


class _Quit(QObject):
    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False


app = QApplication(sys.argv)
label = QLabel("bare")
watcher = _Quit()
label.installEventFilter(watcher)
label.show()
sys.exit(app.exec())
