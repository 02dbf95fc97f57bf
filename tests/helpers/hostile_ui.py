"""Hostile text for the GUI: a copy of content/ whose shown texts (names, labels, descriptions,
mechanisms, captions, titles, quiz texts, calibration rows) carry a marker of rich text, and a walker
that finds every place in the running app where Qt would interpret such a marker as rich text
(labels, message boxes, tooltips of widgets, actions, scene items and item views, pyqtgraph's
labels, documents holding an image the marker names).
Load it by path (tests/ is no package under --import-mode=importlib):
    hu = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "hostile_ui.py")))
"""

from __future__ import annotations

import re
import runpy
import shutil
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

CONTENT = Path(__file__).resolve().parents[2] / "content"
_fd = SimpleNamespace(**runpy.run_path(str(Path(__file__).with_name("fuzz_data.py"))))

# A PNG of one pixel: a marker naming it is harmless even where Qt does load it, so a test can be
# run on code that interprets the marker (it then fails instead of aborting on /dev/zero).
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201ad0b4e2f0000000049454e44ae426082")


def probe_marker(folder: Path) -> str:
    """`<img src=...>` naming a one-pixel PNG in `folder`, plus bold markup."""
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / "probe.png"
    probe.write_bytes(PNG_1PX)
    return f"<img src={probe}><b>bold</b>"


def _append(value: Any, marker: str) -> Any:
    return f"{value.rstrip()} {marker}" if isinstance(value, str) else value


def _edit_yaml(path: Path, edit) -> None:  # noqa: ANN001
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(_fd.plain_yaml(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def hostile_content(dest: Path, marker: str, *, labels: Iterable[str] = ("hepcidin", "rankl")) -> Path:
    """A copy of content/ at `dest` whose shown texts end in `marker`; node ids, reference keys and
    every other id stay as they were. `labels`: nodes whose short label gets the marker too."""
    shutil.copytree(CONTENT, dest)
    labels = set(labels)

    def pathway(d: dict) -> None:
        for c in d.get("compartments", []):
            c["label"] = _append(c.get("label"), marker)
        for n in d.get("nodes", []):
            n["name"] = _append(n.get("name"), marker)
            if n.get("id") in labels:
                n["label"] = _append(n.get("label"), marker)
        for e in d.get("edges", []):
            e["note"] = _append(e.get("note", ""), marker)

    def scenarios(d: dict) -> None:
        for s in d.get("scenarios", []):
            s["name"] = _append(s.get("name"), marker)
            s["description"] = _append(s.get("description"), marker)

    def treatments(d: dict) -> None:
        for t in d.get("treatments", []):
            for key in ("name", "mechanism", "class", "group"):
                t[key] = _append(t.get(key), marker)

    def glossary(d: dict) -> None:
        for t in d.get("terms", []):
            for key in ("expansion", "meaning"):
                if key in t:
                    t[key] = _append(t[key], marker)

    def references(d: dict) -> None:
        for r in d.get("references", []):
            for key in ("title", "authors", "journal"):
                r[key] = _append(r.get(key), marker)

    def calibration(d: dict) -> None:
        for r in d.get("rows", []):
            for key in ("label", "source", "note"):
                if key in r:
                    r[key] = _append(r[key], marker)

    def quiz(d: dict) -> None:
        for q in d.get("questions", []):
            for key in ("prompt", "explanation", "unit"):
                if key in q:
                    q[key] = _append(q[key], marker)
            if "choices" in q:
                q["choices"] = [_append(c, marker) if isinstance(c, str) else
                                {**c, "text": _append(c.get("text"), marker)} for c in q["choices"]]
            if "steps" in q:
                q["steps"] = [_append(s, marker) if isinstance(s, str) else
                              {**s, "text": _append(s.get("text"), marker)} for s in q["steps"]]
            if "pairs" in q:
                q["pairs"] = [[_append(a, marker), _append(b, marker)] for a, b in q["pairs"]]

    def tour(d: dict) -> None:
        for key in ("title", "summary"):
            d[key] = _append(d.get(key), marker)
        for step in d.get("steps", []):
            step["caption"] = _append(step.get("caption"), marker)

    for name, edit in (("pathway.yaml", pathway), ("scenarios.yaml", scenarios), ("treatments.yaml", treatments),
                       ("glossary.yaml", glossary), ("references.yaml", references),
                       ("calibration.yaml", calibration)):
        _edit_yaml(dest / name, edit)
    for path in sorted((dest / "quizzes").glob("*.yaml")):
        _edit_yaml(path, quiz)
    for path in sorted((dest / "tours").glob("*.yaml")):
        _edit_yaml(path, tour)
    for path in sorted((dest / "topics").glob("*.md")) + sorted((dest / "nodes").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^title: *(.*)$", lambda m: "title: " + _yaml_scalar(f"{_unquote(m.group(1))} {marker}"),
                      text, count=1, flags=re.MULTILINE)
        path.write_text(text, encoding="utf-8")
    return dest


def _unquote(value: str) -> str:
    loaded = yaml.safe_load(value)
    return str(loaded) if loaded is not None else ""


def _yaml_scalar(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, width=10_000).strip().removesuffix("...").strip()


# --- the walker -------------------------------------------------------------------------------------
def _rich(text: str, fmt: Any) -> bool:
    """Would Qt lay `text` out as rich text in a widget of text format `fmt` (None: a tooltip)?"""
    from PySide6.QtGui import Qt  # QtGui's Qt namespace has mightBeRichText

    if fmt is None or fmt == Qt.TextFormat.AutoText:
        return Qt.mightBeRichText(text)
    return fmt in (Qt.TextFormat.RichText, Qt.TextFormat.MarkdownText)


def _document_images(doc) -> list[str]:  # noqa: ANN001
    """Names of every image in a QTextDocument."""
    names = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                names.append(fmt.toImageFormat().name())
            it += 1
        block = block.next()
    return names


def rich_leaks(marker: str, *, roots: Iterable[Any] = ()) -> list[str]:
    """Every place where an `<img` tag (of `marker`, as written in a file, whole or shortened) would
    be rendered as rich text, or where the image `marker` names already is shown: in all widgets of
    the application, their actions, the items of every graphics scene and the cells of every item
    view. Empty when all is well."""
    from PySide6.QtCore import QModelIndex, Qt
    from PySide6.QtGui import QAction, QTextDocument
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QApplication,
        QComboBox,
        QGraphicsTextItem,
        QGraphicsView,
        QLabel,
        QTextEdit,
    )

    # "<img": shown as text it is harmless; parsed, it loads the file it names. Looked for on its own,
    # not as the whole marker: a message may shorten the marker (and must not interpret it either).
    raw = "<img"
    src = marker.split(">", 1)[0].split("src=", 1)[1] if "src=" in marker else None
    leaks: list[str] = []

    def name(w: Any) -> str:
        parts = [type(w).__name__]
        for attr in ("objectName", "accessibleName"):
            value = getattr(w, attr, None)
            if callable(value) and value():
                parts.append(repr(value()))
        return " ".join(parts)

    def check(where: str, text: str, fmt: Any) -> None:
        if raw in text.lower() and _rich(text, fmt):
            leaks.append(f"{where}: {text[:120]!r}")

    def check_doc(where: str, doc: QTextDocument) -> None:
        if src is not None and any(src in n for n in _document_images(doc)):
            leaks.append(f"{where}: its document shows the image {src}")

    widgets = list(QApplication.allWidgets())
    actions: set[QAction] = set()
    scenes = set()
    for w in widgets:
        check(f"tooltip of {name(w)}", w.toolTip(), None)
        actions.update(w.actions())
        actions.update(w.findChildren(QAction))
        if isinstance(w, QLabel):
            check(name(w), w.text(), w.textFormat())
        if isinstance(w, QTextEdit):
            check_doc(name(w), w.document())
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                check(f"tooltip of item {i} of {name(w)}", str(w.itemData(i, Qt.ItemDataRole.ToolTipRole) or ""), None)
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model, top = w.model(), QModelIndex()
            try:
                columns = model.columnCount(top)
            except TypeError:  # a list model: PySide keeps its columnCount private
                columns = 1
            for r in range(min(model.rowCount(top), 500)):
                for c in range(columns):
                    tip = model.data(model.index(r, c), Qt.ItemDataRole.ToolTipRole)
                    check(f"tooltip of cell {r},{c} of {name(w)}", str(tip or ""), None)
        if isinstance(w, QGraphicsView) and w.scene() is not None:
            scenes.add(w.scene())
    for root in roots:
        if hasattr(root, "items"):
            scenes.add(root)
    for act in actions:
        check(f"tooltip of action {act.text()!r}", act.toolTip(), None)
    for scene in scenes:
        for item in scene.items():
            check(f"tooltip of {type(item).__name__} in a scene", item.toolTip(), None)
            if isinstance(item, QGraphicsTextItem):
                check_doc(f"{type(item).__name__} in a scene", item.document())
    return leaks
