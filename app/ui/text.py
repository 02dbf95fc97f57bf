"""The one rule for showing text from files (content, sessions, quiz files, packs) in Qt widgets: it
is shown as the text it is, never interpreted as rich text.

Why: a QLabel, a QMessageBox, a tooltip and pyqtgraph's legend guess rich text from the string
itself (Qt::mightBeRichText), so a name such as `<img src=/dev/zero>` in a file makes Qt load that
"image", allocating until the process aborts, or block on a FIFO. Labels and message boxes that
show such text are set to plain text; tooltips and pyqtgraph labels, which have no such switch, get
the text HTML-escaped inside markup that IronBone writes itself. Markdown is the one exception: it
goes through the sanitising renderer (app.knowledge.render), whose output is safe HTML; and the
views that show it (SafeBrowser) load no file by themselves: images only from the content and
resources folders, through the bounded reader.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QUrl
from PySide6.QtGui import QImage, QImageReader, QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox, QTextBrowser, QWidget

PLAIN = Qt.TextFormat.PlainText


def esc(text: object) -> str:
    """`text` escaped for rich text that IronBone writes around it (tooltips, rich labels, legends)."""
    return html.escape(str(text), quote=True)


def tip(text: object) -> str:
    """A tooltip that shows `text` exactly as written (line breaks kept), whatever it contains.
    Rich text with the text escaped inside: a tooltip has no plain-text switch, and a plain string
    that merely looks like markup would be taken for it."""
    return "<p style='white-space:pre-wrap'>" + esc(text) + "</p>" if str(text) else ""


def no_mnemonic(text: str) -> str:
    """`text` for a menu entry, button or check box, where "&" would underline the next letter."""
    return text.replace("&", "&&")


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A QLabel that never interprets its text as rich text."""
    label = QLabel(parent)
    label.setTextFormat(PLAIN)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


def plain(widget: QLabel | QMessageBox) -> QLabel | QMessageBox:
    """Make an existing label or message box show its text (and informative text) as plain text."""
    widget.setTextFormat(PLAIN)
    return widget


def message_box(icon: QMessageBox.Icon, title: str, text: str, parent: QWidget | None = None, *,
                informative: str = "") -> QMessageBox:
    """A QMessageBox whose text and informative text are plain text (file names, values from files)."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(PLAIN)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    return box


# --- rich-text views: what they may load ---------------------------------------------------------
MAX_IMAGE_PIXELS = 40_000_000  # ~160 MB decoded; a page's figure needs a few million at most


def load_image(url: QUrl, roots: Iterable[os.PathLike[str] | str]) -> QImage:
    """The image a page's `src` names, if it is a regular file inside one of `roots`, at most
    IMAGE_FILE_BYTES and MAX_IMAGE_PIXELS; otherwise an empty QImage. Never None: a rich-text view
    handed None loads the path itself (a file anywhere, a device, a network path). The path is
    judged after percent-decoding and resolving links (userfile.resolve_within), read through the
    bounded reader and decoded from memory."""
    from app.knowledge.limits import IMAGE_FILE_BYTES
    from app.knowledge.userfile import UserFileError, read_user_bytes, resolve_within

    if url.scheme() not in ("", "file") or url.host():
        return QImage()
    path = resolve_within(url.path(), roots)
    if path is None:
        return QImage()
    try:
        data = read_user_bytes(path, limit=IMAGE_FILE_BYTES, what="image")
    except UserFileError:
        return QImage()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()  # from the header, before anything is decoded
    if not size.isValid() or size.width() * size.height() > MAX_IMAGE_PIXELS:
        return QImage()
    image = reader.read()
    return image if not image.isNull() else QImage()


class SafeBrowser(QTextBrowser):
    """A QTextBrowser that loads nothing by itself: images only through load_image() from
    `image_roots` (none by default), every other resource (style sheets, linked documents) empty."""

    def __init__(self, parent: QWidget | None = None, *,
                 image_roots: Iterable[os.PathLike[str] | str] = ()) -> None:
        super().__init__(parent)
        self.image_roots = [Path(r) for r in image_roots]
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, type_: int, url: QUrl) -> object:  # noqa: N802 - Qt API
        if int(getattr(type_, "value", type_)) == QTextDocument.ResourceType.ImageResource.value:
            return load_image(url, self.image_roots)
        return QByteArray()
