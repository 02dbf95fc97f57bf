"""The shell's own actions (pages, zoom, exports, the model's clock and undo, page text and colours,
help) with their shortcuts, and the menu bar that holds them. Features add theirs through the
feature context (app.ui.context)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

if TYPE_CHECKING:
    from app.ui.model.controller import ModelController
    from app.ui.navigation import Controller
    from app.ui.shell.dialogs import Dialogs
    from app.ui.shell.export import Exports
    from app.ui.shell.page_panel import PagePanel

START_PAGE = ("topic", "overview")


def make_action(window: QMainWindow, text: str, slot: Callable, shortcuts=(), tip: str = "") -> QAction:  # noqa: ANN001
    """A window-wide action: its shortcut works wherever the focus is, its tooltip names the keys."""
    act = QAction(text, window)
    if shortcuts:
        act.setShortcuts([QKeySequence(s) for s in shortcuts])
    label = tip or text.replace("&", "")
    if shortcuts:
        label += f" ({QKeySequence(shortcuts[0]).toString(QKeySequence.SequenceFormat.NativeText)})"
    act.setToolTip(label)
    act.setStatusTip(tip or text.replace("&", ""))
    act.triggered.connect(slot)
    window.addAction(act)
    return act


class ShellActions:
    """Every action of the shell, by name (`window.acts.fit`, `window.acts.undo`, …)."""

    def __init__(self, window: QMainWindow, *, navigation: Controller, panel: PagePanel,
                 dialogs: Callable[[], Dialogs], exports: Callable[[], Exports],
                 model: Callable[[], ModelController | None], zoom: Callable[[float], None],
                 fit: Callable[[], None], find: Callable[[], None], node_list: QAction,
                 reset_settings: Callable[[], None], post: Callable[[str], None],
                 scheme: Callable[[str], str] = lambda choice: choice) -> None:
        self._panel, self._model, self._post = panel, model, post
        self._scheme = scheme  # applies View ▸ Appearance app-wide; returns the choice in effect
        self.scheme_choice = "system"

        def act(text: str, slot: Callable, shortcuts=(), tip: str = "") -> QAction:  # noqa: ANN001
            return make_action(window, text, slot, shortcuts, tip)

        def page(kind: str, ident: str) -> Callable[[], None]:
            return lambda: navigation.open_page(kind, ident)

        keys = QKeySequence.StandardKey
        self.back = act("&Back", navigation.back, ["Alt+Left"], "Previous page")
        self.forward = act("&Forward", navigation.forward, ["Alt+Right"], "Next page")
        self.back.setEnabled(False)
        self.forward.setEnabled(False)
        self.zoom_in = act("Zoom &in", lambda: zoom(1.1), ["Ctrl+=", "Ctrl++"],
                           "Zoom in (in presentation mode: make everything larger)")
        self.zoom_out = act("Zoom &out", lambda: zoom(1 / 1.1), ["Ctrl+-"],
                            "Zoom out (in presentation mode: make everything smaller)")
        self.fit = act("&Fit diagram", fit, ["F", "Ctrl+0"], "Fit the whole diagram")
        self.find = act("&Find…", find, [keys.Find], "Search nodes by name, abbreviation or alias")
        self.overview = act("&Overview", page(*START_PAGE), ["Alt+Home"], "Open the overview page")
        self.about_model = act("About the &model", page("topic", "about-model"), [],
                               "Equations, parameters, calibration and the claims checked live")
        self.glossary = act("&Glossary", page("glossary", ""), [], "Every abbreviation with its expansion")
        self.references = act("&References", page("ref", ""), [], "List every work the review cites")
        self.node_list = node_list
        self.node_list.setText("&Node list")
        self.node_list.setShortcut(QKeySequence("Ctrl+L"))
        self.problems = act("Content &problems…", lambda: dialogs().show_problems(), [],
                            "List problems found in content/")
        self.export_png = act("Export diagram as &PNG…", lambda: exports().png(), ["Ctrl+E"],
                              "Save the diagram as it looks now, with its legend, as a PNG")
        self.export_svg = act("Export diagram as &SVG…", lambda: exports().vector("svg"), [],
                              "Save the diagram as scalable vector graphics")
        self.export_pdf = act("Export diagram as P&DF…", lambda: exports().vector("pdf"), [],
                              "Save the diagram as a PDF page")
        self.copy_diagram = act("&Copy diagram", lambda: exports().copy(), ["Ctrl+Shift+C"],
                                "Copy the diagram to the clipboard as an image")
        self.export_plots = act("Export p&lots…", lambda: exports().plots(), [],
                                "Save both plots side by side in one PNG or SVG figure")
        self.export_caption = act("Caption &under exported figures", lambda: None, [],
                                  "Write the model's settings, the source and a 'teaching model' note under "
                                  "exported figures")
        self.export_caption.setCheckable(True)
        self.export_caption.setChecked(QSettings().value("export/caption", True, type=bool))
        self.export_caption.toggled.connect(lambda on: QSettings().setValue("export/caption", on))
        self.export_csv = act("Export run &data as CSV…", lambda: exports().csv(), [],
                              "Save time, formation, resorption and bone mass as CSV")
        self.quit = act("&Quit", window.close, [keys.Quit])
        self.about = act("&About IronBone", lambda: dialogs().show_about(), [])
        self.help = act("&User guide", page("topic", "help"), [keys.HelpContents], "Open the user guide")
        self.cite = act("&Cite this…", lambda: dialogs().show_cite(), [],
                        "BibTeX and plain-text citations for the review and for IronBone")
        self.shortcuts = act("&Keyboard shortcuts", lambda: dialogs().show_shortcuts(), ["?", "Ctrl+/"],
                             "List every keyboard shortcut")
        # Ctrl+Space and Ctrl+Right work wherever the focus is (but in a text field, where Ctrl+Right
        # moves a word); plain Space and Right too, unless the focused control uses the key
        # (a check box, a slider, a list: app/ui/shell/keyboard.py) or the diagram moves its cursor.
        self.play = act("&Play / pause", self._model_slot(lambda mc: mc.toggle_playing()), ["Ctrl+Space", "Space"],
                        "Run or pause the years")
        self.step = act("&Step one month", self._model_slot(lambda mc: mc.step()), ["Ctrl+Right", "Right"],
                        "Advance the model by one month")
        self.reset_all = act("&Reset all", self._model_slot(self._reset), ["Ctrl+R"],
                             "Back to the premenopausal reference at year 0")
        self.undo = act("&Undo change", self._model_slot(lambda mc: mc.undo()), [keys.Undo],
                        "Back to the sliders, treatments and knock-outs before the last change")
        self.redo = act("Re&do change", self._model_slot(lambda mc: mc.redo()), [keys.Redo, "Ctrl+Y"],
                        "Apply the undone change again")
        for a in (self.play, self.step, self.reset_all, self.undo, self.redo):
            a.setEnabled(False)  # until the model has loaded, just after the first paint
        self.text_larger = act("&Larger text", lambda: self.scale_text(1.1), ["Ctrl+Shift+="],
                               "Make the pages' text larger")
        self.text_smaller = act("S&maller text", lambda: self.scale_text(1 / 1.1), ["Ctrl+Shift+-"],
                                "Make the pages' text smaller")
        self.text_normal = act("&Normal text size", lambda: self.scale_text(None), [], "Back to the normal text size")
        self.schemes: dict[str, QAction] = {}
        for key, text, tip in (("system", "Follow the &system", "Light or dark as the desktop asks"),
                               ("light", "&Light", "Dark text on light backgrounds"),
                               ("dark", "&Dark", "Light text on dark backgrounds")):
            a = act(text, lambda _=False, k=key: self.set_scheme(k), [], tip)
            a.setCheckable(True)
            a.setChecked(key == "system")
            self.schemes[key] = a
        self.reset_settings = act("Reset &settings", reset_settings, [], "Forget the window layout and preferences")

    def _model_slot(self, fn: Callable[[ModelController], object]) -> Callable[[], None]:
        def slot() -> None:
            mc = self._model()
            if mc is not None:
                fn(mc)

        return slot

    def _reset(self, mc: ModelController) -> None:
        mc.reset_all()
        self._post("Reset: premenopausal reference, year 0, no treatments or clamps")

    def model_loaded(self, mc: ModelController) -> None:
        for a in (self.play, self.step, self.reset_all):
            a.setEnabled(True)
        mc.undo_changed.connect(lambda can_undo, can_redo: (self.undo.setEnabled(can_undo),
                                                            self.redo.setEnabled(can_redo)))

    # --- the pages' look ------------------------------------------------------------------
    def scale_text(self, factor: float | None) -> None:
        scale = 1.0 if factor is None else self._panel.font_scale * factor
        self._panel.set_appearance(font_scale=scale)
        self._post(f"Page text at {self._panel.font_scale * 100:.0f} %")

    def set_scheme(self, scheme: str) -> None:
        """View ▸ Appearance: "system", "light" or "dark", for the whole window."""
        self.scheme_choice = self._scheme(scheme)
        for key, a in self.schemes.items():
            a.setChecked(key == self.scheme_choice)

    # --- where they go ----------------------------------------------------------------------
    def build_menus(self, window: QMainWindow) -> dict[str, QMenu]:
        """File, View, Model, Go and Help (features insert theirs before Help)."""
        bar = window.menuBar()
        menus: dict[str, QMenu] = {}

        def menu(key: str, title: str, *items: QAction | None) -> QMenu:
            m = menus[key] = bar.addMenu(title)
            for item in items:
                if item is None:
                    m.addSeparator()
                else:
                    m.addAction(item)
            return m

        menu("file", "&File", self.export_png, self.export_svg, self.export_pdf, self.copy_diagram, None,
             self.export_plots, self.export_caption, self.export_csv, None, self.quit)
        view = menu("view", "&View", self.zoom_in, self.zoom_out, self.fit, None, self.node_list, None,
                    self.text_larger, self.text_smaller, self.text_normal)
        schemes = view.addMenu("&Appearance")
        for a in self.schemes.values():
            schemes.addAction(a)
        view.addSeparator()
        view.addAction(self.problems)
        menu("model", "&Model", self.play, self.step, self.reset_all, None, self.undo, self.redo, None,
             self.about_model)
        menu("go", "&Go", self.back, self.forward, self.overview, self.glossary, self.references, self.find)
        menu("help", "&Help", self.help, self.shortcuts, self.cite, None, self.reset_settings, self.about)
        return menus

    def menu_anchor(self, key: str) -> QAction | None:
        """Where features put their entries in menu `key`: before this action (None: at the end)."""
        return {"file": self.export_png, "view": self.node_list}.get(key)
