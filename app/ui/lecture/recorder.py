"""Teach ▸ Record a tour: the lecturer sets the app up as the class should see it (sliders, scenario,
treatments, knock-outs, the page on the right, a traced path), types a caption and adds the step; steps
can be shown again, re-recorded, reordered and deleted; the tour is saved as tour YAML among the user's
tours (app.knowledge.tour_draft) and then plays from Teach ▸ Guided tours like any built-in tour."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.ui.diagram.overlays import Layer

if TYPE_CHECKING:
    from app.knowledge.tour_draft import DraftStep, TourDraft
    from app.model.why import WhyTrace
    from app.ui.context import FeatureContext
    from app.ui.lecture.tours import TourRunner

# What "Path" records: the route outlined on the diagram now (the path explorer's chosen route, or the
# strongest chain of the "why" trace), none, or, when re-recording, the path the step already had.
PATH_OUTLINED, PATH_NONE, PATH_KEEP = "outlined", "none", "keep"
PAGE_KINDS = ("node", "topic")  # what a tour step can open


def outlined_chain(edges: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """The longest chain of nodes along `edges` (a route the explorer outlines is one chain; a "why"
    trace may branch), ties broken by node id so the same outline always gives the same path."""
    out: dict[str, list[str]] = {}
    targets: set[str] = set()
    for a, b in edges:
        out.setdefault(a, []).append(b)
        targets.add(b)
    best: tuple[str, ...] = ()
    starts = sorted(set(out) - targets) or sorted(out)
    budget = [20000]  # the outline is a handful of edges; bound the search whatever it is

    def walk(path: list[str]) -> None:
        nonlocal best
        budget[0] -= 1
        if len(path) > len(best):
            best = tuple(path)
        if budget[0] <= 0:
            return
        for nxt in sorted(out.get(path[-1], ())):
            if nxt not in path:
                path.append(nxt)
                walk(path)
                path.pop()

    for s in starts:
        walk([s])
    return best if len(best) >= 2 else ()


class TourRecorder(QWidget):
    """The recorder's panel (in its own dock). `draft` is the tour being made."""

    tour_saved = Signal(str)  # the tour's id
    tour_deleted = Signal(str)

    def __init__(self, ctx: FeatureContext, runner: TourRunner, *, post: Callable[[str], None]) -> None:
        super().__init__()
        from app.knowledge.tour_draft import TourDraft

        self.ctx = ctx
        self.runner = runner
        self.post = post
        self.draft: TourDraft = TourDraft()
        self.saved_name = ""  # the file stem of the tour as last saved or opened ("" for a new one)
        self.trace: WhyTrace | None = None
        self.message_box: QMessageBox | None = None
        self.setObjectName("tour_recorder")
        self.setAccessibleName("Record a tour")
        mc = ctx.model()
        if mc is not None:
            mc.why_changed.connect(self._on_model_why_changed)
            mc.inputs_changed.connect(lambda *_: self.refresh_state())
        ctx.navigation.page_changed.connect(lambda *_: self.refresh_state())
        app = QApplication.instance()
        if app is not None:
            # Coming back from the path explorer to type the caption: say what the path is now.
            app.focusChanged.connect(self._on_app_focus_changed)
        self._build()
        self.refresh_state()
        self._refresh_buttons()

    # --- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        """Three columns for a dock under the diagram (the path explorer stays open beside it): the tour
        and its steps; what the next step records; its caption with a preview."""
        # Column 1: the tour and its steps.
        tour_box = QGroupBox("Tour")
        tv = QVBoxLayout(tour_box)
        head = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Tour title")
        self.title_edit.setPlaceholderText("e.g. Iron and the osteoclast")
        self.summary_edit = QLineEdit()
        self.summary_edit.setAccessibleName("Tour summary")
        self.summary_edit.setPlaceholderText("One line: what the class will see")
        self.minutes_spin = QDoubleSpinBox()
        self.minutes_spin.setRange(0, 10)
        self.minutes_spin.setSingleStep(0.5)
        self.minutes_spin.setDecimals(1)
        self.minutes_spin.setSpecialValueText("a minute a step")
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setAccessibleName("Minutes of class time")
        self.minutes_spin.setToolTip("How long the tour takes in class (3 to 10 minutes); at its lowest, one "
                                     "minute a step")
        head.addRow("&Title:", self.title_edit)
        head.addRow("S&ummary:", self.summary_edit)
        head.addRow("&Minutes:", self.minutes_spin)
        tv.addLayout(head)
        self.steps_list = QListWidget()
        self.steps_list.setAccessibleName("Steps of the tour")
        self.steps_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps_list.setMinimumHeight(60)
        self.steps_list.currentRowChanged.connect(self._on_steps_row_changed)
        self.steps_list.itemDoubleClicked.connect(lambda _item: self.show_step(self.steps_list.currentRow()))
        tv.addWidget(self.steps_list, 1)
        row = QHBoxLayout()
        self.up_button = self._button("▲ &Up", "Move the selected step one place earlier", lambda: self.move(-1))
        self.down_button = self._button("▼ Do&wn", "Move the selected step one place later", lambda: self.move(+1))
        self.show_button = self._button("&Show", "Set the app as the selected step shows it (sliders, treatments, "
                                        "page), to look at it or re-record it", lambda: self.show_step(
                                            self.steps_list.currentRow()))
        self.delete_button = self._button("&Delete", "Delete the selected step", self.delete_step)
        for b in (self.up_button, self.down_button, self.show_button, self.delete_button):
            row.addWidget(b)
        tv.addLayout(row)
        row = QHBoxLayout()
        self.save_button = self._button("Sa&ve tour", "Check the tour and save it among your tours "
                                        "(Teach ▸ Guided tours)", self.save)
        self.play_button = self._button("Pla&y it", "Save, then play the tour as the class will see it",
                                        self.play)
        self.new_button = self._button("&New", "Start another tour (the one here is kept only if saved)",
                                       self.new_tour)
        self.delete_tour_button = self._button("Delete tour…", "Delete this tour from your tours",
                                               self.ask_delete_tour)
        for b in (self.save_button, self.play_button, self.new_button, self.delete_tour_button):
            row.addWidget(b)
        tv.addLayout(row)

        # Column 2: what the step records.
        self.step_box = QGroupBox("New step")
        ev = QVBoxLayout(self.step_box)
        self.state_label = QLabel()
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.setWordWrap(True)
        self.state_label.setAccessibleName("What the step records")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        ev.addWidget(self.state_label, 1)
        form = QFormLayout()
        self.path_combo = QComboBox()
        self.path_combo.addItem("The path outlined on the diagram", PATH_OUTLINED)
        self.path_combo.addItem("No path", PATH_NONE)
        self.path_combo.addItem("Keep the step's own path", PATH_KEEP)
        self.path_combo.setAccessibleName("Path to trace")
        self.path_combo.setToolTip("Choose a route in View ▸ Path explorer, or change a slider to get a "
                                   "\"why\" trace; the step outlines that chain")
        self.path_combo.currentIndexChanged.connect(lambda *_: self.refresh_state())
        self.mark_check = QCheckBox("Mark the node whose page is open")
        self.mark_check.setChecked(True)
        self.mark_check.toggled.connect(lambda *_: self.refresh_state())
        self.years_spin = QDoubleSpinBox()
        self.years_spin.setRange(0, 30)
        self.years_spin.setDecimals(1)
        self.years_spin.setSuffix(" years")
        self.years_spin.setAccessibleName("Model years the step plays")
        self.years_spin.setToolTip("Model time to play while the caption is read (0: none)")
        form.addRow("&Path:", self.path_combo)
        form.addRow("", self.mark_check)
        form.addRow("Then p&lay:", self.years_spin)
        ev.addLayout(form)
        row = QHBoxLayout()
        self.add_button = self._button("&Add step", "Record the app as it is now, with this caption, as the "
                                       "last step", self.add_step)
        self.add_button.setDefault(True)
        self.rerecord_button = self._button("&Re-record", "Replace the selected step with the app as it is "
                                            "now and this caption", self.rerecord_step)
        self.caption_button = self._button("Update capt&ion", "Change only the selected step's caption and "
                                           "years", self.update_caption)
        for b in (self.add_button, self.rerecord_button, self.caption_button):
            row.addWidget(b)
        ev.addLayout(row)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Recorder message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        ev.addWidget(self.message)

        # Column 3: the caption and how the class will see it.
        caption_box = QGroupBox("Caption")
        cv = QVBoxLayout(caption_box)
        cap = QLabel("Mar&kdown: **bold**, *italic*, [a link](node:rankl)")
        self.caption_edit = QPlainTextEdit()
        self.caption_edit.setAccessibleName("Caption")
        self.caption_edit.setTabChangesFocus(True)
        cap.setBuddy(self.caption_edit)
        self.caption_edit.textChanged.connect(self._on_caption_text_changed)
        cv.addWidget(cap)
        cv.addWidget(self.caption_edit, 1)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.preview.setAccessibleName("Caption preview")
        self.preview.setToolTip("The caption as the tour bar shows it")
        cv.addWidget(self.preview, 1)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(6, 2, 6, 4)
        outer.addWidget(tour_box, 3)
        outer.addWidget(self.step_box, 3)
        outer.addWidget(caption_box, 4)

    @staticmethod
    def _button(text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
        b = QPushButton(text)
        b.setToolTip(tip)
        b.setAccessibleName(text.replace("&", "").strip("▲▼ "))
        b.clicked.connect(lambda _=False: slot())
        return b

    # --- what a step records ------------------------------------------------------------------
    def _on_model_why_changed(self, trace: WhyTrace | None) -> None:
        self.trace = trace
        self.refresh_state()

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.isAncestorOf(new):
            self.refresh_state()

    def outlined_path(self) -> tuple[str, ...]:
        """The chain outlined on the diagram now: the path explorer's route, else the strongest
        path of the "why" trace (a trace lights several)."""
        diagram = self.ctx.diagram
        edges = diagram.lit_edges()
        if not edges:
            return ()
        if diagram.shown("lit") == Layer.WHY and self.trace is not None:
            for p in self.trace.paths:
                if len(p.nodes) >= 2 and set(p.edges) <= edges:
                    return tuple(p.nodes)
        return outlined_chain(edges)

    def _page(self) -> str:
        loc = self.ctx.navigation.location
        return f"{loc[0]}:{loc[1]}" if loc and loc[0] in PAGE_KINDS and loc[1] else ""

    def _path_for(self, index: int | None) -> tuple[str, ...]:
        choice = self.path_combo.currentData()
        if choice == PATH_NONE:
            return ()
        if choice == PATH_KEEP:
            return self.draft.steps[index].path if index is not None and 0 <= index < len(self.draft.steps) else ()
        return self.outlined_path()

    def current_step(self, index: int | None = None) -> DraftStep | None:
        """The app's state now as a step with the caption typed (None until the model has loaded)."""
        from app.knowledge.tour_draft import DraftStep

        mc = self.ctx.model()
        if mc is None:
            return None
        page = self._page()
        highlight = (page.split(":", 1)[1],) if self.mark_check.isChecked() and page.startswith("node:") else ()
        return DraftStep.record(mc.inputs, caption=self.caption_edit.toPlainText().strip(), scenario=mc.scenario,
                                page=page, path=self._path_for(index), highlight=highlight,
                                years=self.years_spin.value())

    def _label(self, node_id: str) -> str:
        pathway = self.ctx.content.pathway
        return pathway.node(node_id).label if pathway.has_node(node_id) else node_id

    def describe(self, step: DraftStep) -> str:
        """One plain-text paragraph: what the step sets and shows."""
        mc = self.ctx.model()
        parts = []
        if step.scenario and mc is not None and step.scenario in mc.scenarios:
            parts.append(f"scenario {mc.scenarios[step.scenario].name}")
        for name, value, unit in (("estrogen", step.estrogen, "%"), ("ferritin", step.ferritin, "µg/L")):
            parts.append(f"{name} {value:g} {unit}" if value is not None else f"{name} as before")
        treatments = mc.model.treatments if mc is not None else {}
        parts.append("treatments: " + (", ".join(treatments[t].name if t in treatments else t
                                                 for t in step.treatments) or "none"))
        parts.append("knocked out: " + (", ".join(self._label(n) for n in step.knockouts) or "none"))
        if step.page:
            kind, pid = step.page.split(":", 1)
            page = self.ctx.content.page(kind, pid)
            parts.append(f"page: {page.title if page is not None else pid}")
        else:
            parts.append("page: none (only node and topic pages can be opened by a step)")
        parts.append("path: " + (" → ".join(self._label(n) for n in step.path) if step.path else "none"))
        if step.highlight:
            parts.append("marked: " + ", ".join(self._label(n) for n in step.highlight))
        if step.years:
            parts.append(f"then plays {step.years:g} years")
        return "; ".join(parts)

    def refresh_state(self) -> None:
        """Say what Add step would record now."""
        row = self.steps_list.currentRow()
        step = self.current_step(row if row >= 0 else None)
        if step is None:
            self.state_label.setText("The model is still loading…")
            return
        text = "Records: " + self.describe(step)
        mc = self.ctx.model()
        if mc is not None and (mc.inputs.clamps or mc.inputs.edge_knockouts):
            text += (". Note: clamped nodes and cut links are not part of a tour step; the tour will not "
                     "show them (knock-outs are kept).")
        self.state_label.setText(text)

    def _on_caption_text_changed(self) -> None:
        from app.knowledge.render import markdown_to_html

        self.preview.setHtml(markdown_to_html(self.caption_edit.toPlainText()))  # the one sanitising renderer

    # --- editing ------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.post(text.split("\n", 1)[0])

    def add_step(self) -> bool:
        step = self.current_step()
        if step is None:
            self._say("The model is still loading; add the step in a moment")
            return False
        if not step.caption:
            self._say("Type a caption first: it is what the class reads during the step")
            self.caption_edit.setFocus()
            return False
        from app.knowledge.tour_draft import TourDraftError

        try:
            index = self.draft.add(step)
        except TourDraftError as exc:
            self._say(str(exc))
            return False
        self._fill_steps(select=None)
        self.caption_edit.clear()
        self.years_spin.setValue(0)
        self._say(f"Step {index + 1} added ({len(self.draft.steps)} in all). Set up the next one, or save the tour.")
        return True

    def rerecord_step(self) -> bool:
        row = self.steps_list.currentRow()
        step = self.current_step(row)
        if row < 0 or step is None:
            return False
        if not step.caption:
            step = dataclasses.replace(step, caption=self.draft.steps[row].caption)
        self.draft.replace_step(row, step)
        self._fill_steps(select=row)
        self._say(f"Step {row + 1} re-recorded from the app as it is now")
        return True

    def update_caption(self) -> bool:
        row = self.steps_list.currentRow()
        caption = self.caption_edit.toPlainText().strip()
        if row < 0 or not caption:
            return False
        self.draft.edit(row, caption=caption, years=self.years_spin.value())
        self._fill_steps(select=row)
        self._say(f"Caption of step {row + 1} changed")
        return True

    def delete_step(self) -> bool:
        row = self.steps_list.currentRow()
        if row < 0:
            return False
        self.draft.delete(row)
        self._fill_steps(select=min(row, len(self.draft.steps) - 1) if self.draft.steps else None)
        self._say(f"Step {row + 1} deleted ({len(self.draft.steps)} left)")
        return True

    def move(self, by: int) -> bool:
        row = self.steps_list.currentRow()
        to = row + by
        if row < 0 or not 0 <= to < len(self.draft.steps):
            return False
        self.draft.move(row, to)
        self._fill_steps(select=to)
        self._say(f"Step {row + 1} is now step {to + 1}")
        return True

    def _fill_steps(self, *, select: int | None) -> None:
        self.steps_list.blockSignals(True)
        self.steps_list.clear()
        for i, s in enumerate(self.draft.steps, 1):
            first = s.caption.strip().split("\n", 1)[0]
            item = QListWidgetItem(f"{i}. {first if len(first) <= 70 else first[:69] + '…'}")  # plain text
            item.setToolTip(self.describe(s))
            self.steps_list.addItem(item)
        self.steps_list.setCurrentRow(-1 if select is None else select)
        self.steps_list.blockSignals(False)
        self._on_steps_row_changed(self.steps_list.currentRow())

    def _on_steps_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.draft.steps):
            step = self.draft.steps[row]
            self.step_box.setTitle(f"Step {row + 1}")
            self.caption_edit.setPlainText(step.caption)
            self.years_spin.setValue(step.years)
            self.path_combo.setCurrentIndex(self.path_combo.findData(PATH_KEEP))
        else:
            self.step_box.setTitle("New step")
            if self.path_combo.currentData() == PATH_KEEP:
                self.path_combo.setCurrentIndex(self.path_combo.findData(PATH_OUTLINED))
        self._refresh_buttons()
        self.refresh_state()

    def _refresh_buttons(self) -> None:
        row = self.steps_list.currentRow()
        selected = 0 <= row < len(self.draft.steps)
        for b in (self.show_button, self.delete_button, self.rerecord_button, self.caption_button):
            b.setEnabled(selected)
        self.up_button.setEnabled(selected and row > 0)
        self.down_button.setEnabled(selected and row + 1 < len(self.draft.steps))
        model = self.path_combo.model()
        model.item(self.path_combo.findData(PATH_KEEP)).setEnabled(selected)
        self.delete_tour_button.setEnabled(bool(self.saved_name))

    def deselect(self) -> None:
        """Back to recording a new step (the list keeps its steps)."""
        self.steps_list.setCurrentRow(-1)

    # --- showing a step again -----------------------------------------------------------------
    def show_step(self, index: int) -> bool:
        """Put the app in the state the tour shows at step `index`: replayed from the reference as
        the tour does (earlier steps' years included), with its page opened."""
        from app.knowledge.tour_plan import plan
        from app.knowledge.tours import Tour, TourStep

        mc = self.ctx.model()
        if mc is None or not 0 <= index < len(self.draft.steps):
            return False
        if self.runner.tour is not None:
            self.runner.leave()
        steps = tuple(TourStep(caption=s.caption, highlight=s.highlight, path=s.path, estrogen=s.estrogen,
                               ferritin=s.ferritin, scenario=s.scenario, treatments=s.treatments,
                               knockouts=s.knockouts, years=s.years, page=s.page) for s in self.draft.steps)
        plans = plan(Tour(id="draft", title="", minutes=0, summary="", steps=steps), mc.scenarios)
        mc.set_playing(False)
        mc.reset_all()
        for p in plans[:index]:
            mc.set_inputs(p.inputs, scenario=p.scenario, explain=False)
            if p.play_years > 0:
                mc.advance(p.play_years * 365.25)
        mc.set_inputs(plans[index].inputs, scenario=plans[index].scenario)
        step = self.draft.steps[index]
        if step.page:
            self.ctx.open_link(step.page)
        self._say(f"Showing step {index + 1}: change what you like, then Re-record")
        return True

    # --- the whole tour -----------------------------------------------------------------------
    def load(self, draft: TourDraft) -> None:
        """Edit `draft` (a new one, or a saved tour's)."""
        self.draft = draft
        self.saved_name = draft.name
        self.title_edit.setText(draft.title)
        self.summary_edit.setText(draft.summary)
        self.minutes_spin.setValue(draft.minutes or 0)
        self.caption_edit.clear()
        self._fill_steps(select=None)
        self.message.setText("")

    def new_tour(self) -> None:
        from app.knowledge.tour_draft import TourDraft

        self.load(TourDraft())
        self.title_edit.setFocus()

    def _known(self):  # noqa: ANN202 - app.knowledge.tours.Known
        from app.knowledge.tours import known_ids

        mc = self.ctx.model()
        return known_ids(self.ctx.content.root, self.ctx.content.pathway, list(mc.scenarios),
                         list(mc.model.treatments))

    def save(self) -> str | None:
        """Check and save the tour; its id, or None after saying what is wrong (step by step)."""
        from app.knowledge.tour_draft import TourDraftError

        if self.ctx.model() is None:
            self._say("The model is still loading; save the tour in a moment")
            return None
        self.draft.title = self.title_edit.text().strip()
        self.draft.summary = self.summary_edit.text().strip()
        self.draft.minutes = self.minutes_spin.value() or None
        try:
            path = self.draft.save(self._known())
        except TourDraftError as exc:
            self._say(f"Not saved: {exc}")
            return None
        except OSError as exc:
            self._say(f"Not saved: cannot write {exc.filename or 'the tour'}: {exc.strerror or exc}")
            return None
        self.saved_name = self.draft.name
        self.runner.reload()
        self.ctx.library.changed.emit("tours")
        self._refresh_buttons()
        tour_id = self.draft.tour_id
        self._say(f"Saved “{self.draft.title}” ({len(self.draft.steps)} steps) to {path}: "
                  "Teach ▸ Guided tours plays it")
        self.tour_saved.emit(tour_id)
        return tour_id

    def play(self) -> bool:
        tour_id = self.save()
        return tour_id is not None and self.ctx.library.start_tour is not None and \
            self.ctx.library.start_tour(tour_id)

    def ask_delete_tour(self) -> None:
        """Confirm, then delete the saved tour (a non-blocking question)."""
        if not self.saved_name:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Delete tour",
                          f"Delete your tour “{self.draft.title or self.saved_name}”? Its file is removed; "
                          "this cannot be undone.", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda b: self.delete_tour() if b is delete else None)
        box.open()
        self.message_box = box

    def delete_tour(self) -> bool:
        from app.knowledge.tour_draft import TourDraftError, delete_user_tour
        from app.knowledge.tours import USER_PREFIX

        name = self.saved_name
        tour_id = f"{USER_PREFIX}{name}"
        if self.runner.tour is not None and self.runner.tour.id == tour_id:
            self.runner.leave()
        try:
            delete_user_tour(name)
        except (TourDraftError, OSError) as exc:
            self._say(f"Not deleted: {exc}")
            return False
        title = self.draft.title or name
        self.runner.reload()
        self.ctx.library.changed.emit("tours")
        self.new_tour()
        self._say(f"Deleted your tour “{title}”")
        self.tour_deleted.emit(tour_id)
        return True
