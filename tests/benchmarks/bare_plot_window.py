"""The baseline for the memory benchmark: a bare PySide6 window holding one pyqtgraph plot, painted once."""

import sys

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class _Quit(QObject):
    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False


app = QApplication(sys.argv)
window = QMainWindow()
plot = pg.PlotWidget()
plot.plot([0, 1, 2, 3], [0, 1, 0, 1])
window.setCentralWidget(plot)
window.resize(1200, 800)
watcher = _Quit()
app.installEventFilter(watcher)  # any paint: the plot covers the window
window.show()
sys.exit(app.exec())
