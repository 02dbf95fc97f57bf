"""The `.ironbone` session file: versioned JSON holding what a student or lecturer was working on
(sliders, scenario, treatments, clamps, model clock, open page, tour step, pinned runs).

Reading is data only: the file is read through the one bounded reader (a regular file of at most
MAX_BYTES), decoded as UTF-8 and parsed with `json.loads` (no eval, pickle or YAML tags); NaN and
Infinity are refused at parse time; every known field, pinned runs included, is checked for type
and range with app.model.numbers.in_range, and an error names the key path and the value,
shortened ("inputs.estrogen must be a number between 0 and 120 % (got 250)"; a 5,000-digit integer
is "a number with 5,000 digits", never Python's conversion error). Rules for keys IronBone does not know:
they are ignored and listed in `Session.notes` (a later 1.x writer may add fields); duplicate keys
are an error. A file of a newer format version is refused with a message saying so.

Writing is atomic: the text goes to a temporary file in the same folder, is flushed to disk, then
`os.replace`d over the target, so a crash or full disk leaves either the old file or the new one,
never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.knowledge.limits import ID_MAX_CHARS
from app.knowledge.userfile import UserFileError, read_user_bytes, size_text
from app.model.numbers import MAX_YEARS, HugeNumber, in_range, json_float, json_int
from app.model.simulation import ESTROGEN_RANGE, FERRITIN_RANGE, Inputs

FORMAT = "ironbone-session"
VERSION = 1
SUFFIX = ".ironbone"
MAX_BYTES = 20 * 1024 * 1024  # a session is a few kB; anything this big is not one
# The model clock's limit (app.model.numbers.MAX_YEARS) plus what one animation frame may run past
# it before the GUI pauses (at most 0.2 years at the fastest speed): a state the app reached is
# always saved and read back.
CLOCK_SLACK_YEARS = 0.25
MAX_IDS = 200  # treatments, clamps, knock-outs per inputs
MAX_ID_CHARS = ID_MAX_CHARS  # what content may use (check-content refuses longer ids)
MAX_PINNED = 50
MAX_TIMELINE = 1000  # changes of inputs kept for replaying the clock (~2.5 ms each to replay)
MAX_DEPTH = 32  # nesting inside pinned runs
MAX_NAME_CHARS = 32_767  # a pinned run's name: what a Qt line edit holds by default
MAX_SERIES = 100_000  # points in one series of a pinned run (60 years at 60 frames a second: ~4,000)
MAX_PIN_NODES = 10_000  # node activities in one pinned run
# Plausible values in a pinned run: the model reaches formation and resorption of at most ~90 % of
# bone mass a year and bone mass of ~170 % under any clamps (searched over 150 random runs of 70
# years); ten times that is still drawable, 1e308 is not (the plots overflow).
PIN_RATE_MAX = 1000.0  # % of bone mass per year
PIN_MASS_MAX = 1000.0  # % of the starting bone mass
PIN_T_MAX = 2 * MAX_YEARS  # a pinned run carries its projection past the clock
PIN_SERIES = {"t": (0.0, PIN_T_MAX, "years"), "formation": (0.0, PIN_RATE_MAX, "% per year"),
              "resorption": (0.0, PIN_RATE_MAX, "% per year"), "mass": (0.0, PIN_MASS_MAX, "%")}
PIN_KEYS = ("name", "inputs", "t_pinned", *PIN_SERIES, "activities")
SELECTION_KINDS = ("node", "topic", "glossary", "ref")

_TOP_KEYS = ("format", "version", "app_version", "saved", "inputs", "scenario", "years", "selection", "tour",
             "pinned", "timeline")
_INPUT_KEYS = ("estrogen", "ferritin", "treatments", "clamps", "knockouts", "edge_knockouts")


class SessionError(ValueError):
    """The file cannot be opened; the message says where (key path) and what (the value)."""


class NewerVersionError(SessionError):
    """The file was written by a newer IronBone in a format this version does not read."""


@dataclass(frozen=True, kw_only=True)
class TimelinePoint:
    """From model year `t_years` on, these inputs (and scenario) were in force."""

    t_years: float
    inputs: Inputs
    scenario: str | None


@dataclass(frozen=True, kw_only=True)
class Session:
    """Everything a session file restores. `pinned` is plain JSON data owned by the comparison
    feature; `timeline` lets the clock be replayed exactly (empty: replay `inputs` from year 0)."""

    inputs: Inputs
    scenario: str | None = None
    years: float = 0.0
    selection: tuple[str, str] | None = None
    tour: tuple[str, int] | None = None
    pinned: tuple[dict[str, Any], ...] = ()
    timeline: tuple[TimelinePoint, ...] = ()
    app_version: str = ""
    saved: str = ""
    notes: tuple[str, ...] = field(default=(), compare=False)  # unknown keys that were ignored


# --- writing ------------------------------------------------------------------------------------
def inputs_to_json(inputs: Inputs) -> dict[str, Any]:
    return {"estrogen": inputs.estrogen, "ferritin": inputs.ferritin, "treatments": list(inputs.treatments),
            "clamps": dict(inputs.clamps), "knockouts": list(inputs.knockouts),
            "edge_knockouts": [list(pair) for pair in inputs.edge_knockouts]}


def to_json(session: Session, *, app_version: str, saved: datetime | None = None) -> dict[str, Any]:
    """The JSON object written to disk (keys in a stable order)."""
    when = (saved or datetime.now(UTC)).isoformat(timespec="seconds")
    return {
        "format": FORMAT,
        "version": VERSION,
        "app_version": app_version,
        "saved": when,
        "inputs": inputs_to_json(session.inputs),
        "scenario": session.scenario,
        "years": session.years,
        "selection": {"kind": session.selection[0], "id": session.selection[1]} if session.selection else None,
        "tour": {"id": session.tour[0], "step": session.tour[1]} if session.tour else None,
        "pinned": list(session.pinned),
        "timeline": [{"t": p.t_years, "inputs": inputs_to_json(p.inputs), "scenario": p.scenario}
                     for p in session.timeline],
    }


def dumps(session: Session, *, app_version: str, saved: datetime | None = None) -> str:
    """The file's text; refuses (SessionError) anything that would not read back."""
    data = to_json(session, app_version=app_version, saved=saved)
    try:
        text = json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    except (TypeError, ValueError) as exc:
        raise SessionError(f"cannot be saved: {exc}") from None
    loads(text)  # what we write must read back: never leave a file we would refuse
    return text


def write(path: Path, session: Session, *, app_version: str, saved: datetime | None = None) -> None:
    """Write atomically (temporary file + fsync + os.replace). OSError if the folder is not writable;
    the old file, if any, is then untouched."""
    text = dumps(session, app_version=app_version, saved=saved)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --- reading ------------------------------------------------------------------------------------
def read(path: Path) -> Session:
    """Read and validate a session file. SessionError (message starts with the file name) on any
    problem; OSError is turned into SessionError too."""
    path = Path(path)
    try:
        data = read_user_bytes(path, limit=MAX_BYTES, what="session file")
    except UserFileError as exc:
        where = f" (looked in {path.parent})" if exc.missing else ""
        raise SessionError(f"{path.name}: {exc.reason}{where}") from None
    try:
        return loads(data)
    except NewerVersionError as exc:
        raise NewerVersionError(f"{path.name}: {exc}") from None
    except SessionError as exc:
        raise SessionError(f"{path.name}: {exc}") from None


def loads(data: bytes | str) -> Session:
    """Parse and validate the text of a session file (see the module docstring for the rules)."""
    if len(data) > MAX_BYTES:
        raise SessionError(f"{size_text(len(data), MAX_BYTES)} is too large for a session file "
                           f"(at most {size_text(MAX_BYTES, len(data))})")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SessionError(f"not a session file: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                               "is not UTF-8 text") from None
    else:
        text = data
    try:
        raw = json.loads(text, parse_constant=_refuse_constant, parse_float=json_float, parse_int=json_int,
                         object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise SessionError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise SessionError("not a session file: nested too deeply") from None
    except ValueError as exc:  # from the hooks below
        raise SessionError(f"not valid session data: {exc}") from None
    _no_lone_surrogates(raw)
    return _session(raw)


def _no_lone_surrogates(raw: object) -> None:
    """A JSON escape such as \\ud800 (half of a pair) parses to text no file can hold: refused here,
    or the session would open and then fail to save."""
    try:
        json.dumps(raw, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SessionError(f"not valid session data: the escape \\u{ord(exc.object[exc.start]):04x} is half of a "
                           "surrogate pair, not a character") from None
    except RecursionError:
        pass  # nested too deeply: refused with its key path further on


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a session may hold (numbers must be finite)")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {_show(key)} appears twice in one object")
        out[key] = value
    return out


class _Reader:
    """Collects the notes about ignored keys while the fields are checked."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def obj(self, value: object, path: str, known: Iterable[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise SessionError(f"{path}: {_show(value)} should be an object {{…}}, not {_kind(value)}")
        for key in value:
            if key not in known:
                self.notes.append(f"ignored unknown key {_join(path, key)}")
        return value

    def pinned_run(self, value: object, path: str) -> dict[str, Any]:
        d = self.obj(value, path, PIN_KEYS)
        if _depth(d) > MAX_DEPTH:
            raise SessionError(f"{path}: nested more than {MAX_DEPTH} levels deep")
        name = d.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
            raise SessionError(f"{path}.name: {_show(name)} should be a name (text of 1–{MAX_NAME_CHARS:,} "
                               "characters)")
        if "inputs" not in d:
            raise SessionError(f"{path}: the key \"inputs\" is missing")
        inputs = self.inputs(d["inputs"], f"{path}.inputs")
        series: dict[str, list[float]] = {}
        for key, (lo, hi, unit) in PIN_SERIES.items():
            values = d.get(key)
            if not isinstance(values, list) or not values:
                raise SessionError(f"{path}.{key}: {_show(values)} should be a non-empty list of numbers")
            if len(values) > MAX_SERIES:
                raise SessionError(f"{path}.{key}: {len(values):,} numbers (at most {MAX_SERIES:,})")
            series[key] = [_number(v, f"{path}.{key}[{j}]", lo, hi, unit) for j, v in enumerate(values)]
        if len({len(v) for v in series.values()}) != 1:
            sizes = ", ".join(f"{k} {len(v)}" for k, v in series.items())
            raise SessionError(f"{path}: t, formation, resorption and mass should be equally long ({sizes})")
        acts = d.get("activities", {})
        if not isinstance(acts, dict):
            raise SessionError(f"{path}.activities: {_show(acts)} should be an object mapping node ids to "
                               f"activities 0–1, not {_kind(acts)}")
        if len(acts) > MAX_PIN_NODES:
            raise SessionError(f"{path}.activities: {len(acts):,} nodes (at most {MAX_PIN_NODES:,})")
        activities = {}
        for key, v in acts.items():
            _id(key, f"{path}.activities (a key)")
            activities[key] = _number(v, _join(f"{path}.activities", key), 0.0, 1.0, "(activity)")
        t_pinned = _clock(d.get("t_pinned", min(series["t"][-1], MAX_YEARS)), f"{path}.t_pinned")
        return {"name": name, "inputs": inputs_to_json(inputs), "t_pinned": t_pinned, **series,
                "activities": activities}

    def inputs(self, value: object, path: str) -> Inputs:
        d = self.obj(value, path, _INPUT_KEYS)
        for key in ("estrogen", "ferritin"):
            if key not in d:
                raise SessionError(f"{path}: the key {key!r} is missing")
        estrogen = _number(d["estrogen"], f"{path}.estrogen", *ESTROGEN_RANGE, "%")
        ferritin = _number(d["ferritin"], f"{path}.ferritin", *FERRITIN_RANGE, "µg/L")
        treatments = _ids(d.get("treatments", []), f"{path}.treatments")
        knockouts = _ids(d.get("knockouts", []), f"{path}.knockouts")
        edges_raw = d.get("edge_knockouts", [])
        if not isinstance(edges_raw, list):
            raise SessionError(f"{path}.edge_knockouts: {_show(edges_raw)} should be a list of [source, target] "
                               f"pairs, not {_kind(edges_raw)}")
        if len(edges_raw) > MAX_IDS:
            raise SessionError(f"{path}.edge_knockouts: {len(edges_raw)} cut links (at most {MAX_IDS})")
        edge_knockouts = []
        for i, pair in enumerate(edges_raw):
            where = f"{path}.edge_knockouts[{i}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise SessionError(f"{where}: {_show(pair)} should be a [source, target] pair of node ids")
            edge_knockouts.append((_id(pair[0], f"{where}[0]"), _id(pair[1], f"{where}[1]")))
        clamps_raw = d.get("clamps", {})
        if not isinstance(clamps_raw, dict):
            raise SessionError(f"{path}.clamps: {_show(clamps_raw)} should be an object mapping node ids "
                               f"to activities 0–1, not {_kind(clamps_raw)}")
        if len(clamps_raw) > MAX_IDS:
            raise SessionError(f"{path}.clamps: {len(clamps_raw)} clamps (at most {MAX_IDS})")
        clamps = {}
        for key, v in clamps_raw.items():
            _id(key, f"{path}.clamps (a key)")
            clamps[key] = _number(v, _join(f"{path}.clamps", key), 0.0, 1.0, "(activity)")
        try:
            return Inputs(estrogen=estrogen, ferritin=ferritin, treatments=treatments, clamps=clamps,
                          knockouts=knockouts, edge_knockouts=tuple(edge_knockouts))
        except ValueError as exc:  # the ranges above already match Inputs; kept as a safety net
            raise SessionError(f"{path}: {exc}") from None


def inputs_from_json(value: object, path: str = "inputs") -> Inputs:
    """Inputs as inputs_to_json writes them, checked as a session file's are; SessionError names
    the key path of the first problem."""
    return _Reader().inputs(value, path)


def validate_pinned(data: object) -> tuple[dict[str, Any], ...]:
    """Pinned runs as the comparison feature saves them, checked as a session file's are (the same
    key paths: pinned[0].formation[3]); SessionError on the first problem. What it returns is
    normalised: known keys only, numbers as finite floats in their plausible ranges, inputs
    complete. Model ids (treatments, nodes) are checked by check_ids, not here."""
    r = _Reader()
    if not isinstance(data, (list, tuple)):
        raise SessionError(f"pinned: {_show(data)} should be a list […], not {_kind(data)}")
    if len(data) > MAX_PINNED:
        raise SessionError(f"pinned: {len(data)} pinned runs (at most {MAX_PINNED})")
    return tuple(r.pinned_run(p, f"pinned[{i}]") for i, p in enumerate(data))


def _session(raw: object) -> Session:
    r = _Reader()
    if not isinstance(raw, dict):
        raise SessionError(f"not a session file: the top level is {_kind(raw)}, not an object {{…}}")
    if raw.get("format") != FORMAT:
        if "format" not in raw:
            raise SessionError(f"not a session file: the key \"format\" is missing (expected {FORMAT!r})")
        raise SessionError(f"format: {_show(raw['format'])} is not an IronBone session (expected {FORMAT!r})")
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SessionError(f"version: {_show(version)} should be a whole number such as {VERSION}")
    if version > VERSION:
        raise NewerVersionError(f"This file was saved by a newer IronBone (format {version}); "
                                f"this version reads format {VERSION}. Update IronBone to open it.")
    if version < 1:
        raise SessionError(f"version: {version} is not a session format (formats start at 1)")
    r.obj(raw, "", _TOP_KEYS)
    if "inputs" not in raw:
        raise SessionError("the key \"inputs\" is missing")
    inputs = r.inputs(raw["inputs"], "inputs")
    scenario = _optional_id(raw.get("scenario"), "scenario")
    years = _clock(raw.get("years", 0.0), "years")
    selection = None
    if raw.get("selection") is not None:
        d = r.obj(raw["selection"], "selection", ("kind", "id"))
        kind = _id(d.get("kind"), "selection.kind")
        if kind not in SELECTION_KINDS:
            raise SessionError(f"selection.kind: {_show(kind)} is not one of {', '.join(SELECTION_KINDS)}")
        ident = d.get("id", "")
        if not isinstance(ident, str) or len(ident) > MAX_ID_CHARS:
            raise SessionError(f"selection.id: {_show(ident)} should be text of at most {MAX_ID_CHARS} characters")
        selection = (kind, ident)
    tour = None
    if raw.get("tour") is not None:
        d = r.obj(raw["tour"], "tour", ("id", "step"))
        tour_id = _id(d.get("id"), "tour.id")
        step = d.get("step", 0)
        if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step < 10_000:
            raise SessionError(f"tour.step: {_show(step)} should be a step number 0 or more")
        tour = (tour_id, step)
    pinned_raw = raw.get("pinned", [])
    if not isinstance(pinned_raw, list):
        raise SessionError(f"pinned: {_show(pinned_raw)} should be a list […], not {_kind(pinned_raw)}")
    if len(pinned_raw) > MAX_PINNED:
        raise SessionError(f"pinned: {len(pinned_raw)} pinned runs (at most {MAX_PINNED})")
    pinned = tuple(r.pinned_run(p, f"pinned[{i}]") for i, p in enumerate(pinned_raw))
    timeline = _timeline(r, raw.get("timeline", []), inputs, scenario, years)
    app_version = raw.get("app_version", "")
    if not isinstance(app_version, str) or len(app_version) > 100:
        raise SessionError(f"app_version: {_show(app_version)} should be short text such as \"0.1.0\"")
    saved = raw.get("saved", "")
    if not isinstance(saved, str) or len(saved) > 100:
        raise SessionError(f"saved: {_show(saved)} should be a date and time such as \"2026-01-31T12:00:00+00:00\"")
    return Session(inputs=inputs, scenario=scenario, years=years, selection=selection, tour=tour,
                   pinned=pinned, timeline=timeline, app_version=app_version, saved=saved,
                   notes=tuple(r.notes))


def _timeline(r: _Reader, value: object, inputs: Inputs, scenario: str | None,
              years: float) -> tuple[TimelinePoint, ...]:
    """How the inputs changed over the model clock. Validated strictly; one that does not end in the
    saved inputs (a hand-edited file) is ignored with a note and the inputs replay from year 0."""
    if not isinstance(value, list):
        raise SessionError(f"timeline: {_show(value)} should be a list […], not {_kind(value)}")
    if len(value) > MAX_TIMELINE:
        raise SessionError(f"timeline: {len(value)} entries (at most {MAX_TIMELINE})")
    out: list[TimelinePoint] = []
    last = 0.0
    for i, item in enumerate(value):
        path = f"timeline[{i}]"
        d = r.obj(item, path, ("t", "inputs", "scenario"))
        if "t" not in d or "inputs" not in d:
            raise SessionError(f"{path}: needs both \"t\" and \"inputs\"")
        t = _number(d["t"], f"{path}.t", last, years, "years (after the entry before, up to \"years\")")
        last = t
        out.append(TimelinePoint(t_years=t, inputs=r.inputs(d["inputs"], f"{path}.inputs"),
                                 scenario=_optional_id(d.get("scenario"), f"{path}.scenario")))
    if out and (out[-1].inputs != inputs or out[-1].scenario != scenario):
        r.notes.append("timeline ignored: its last entry differs from \"inputs\"; the saved inputs are "
                       "replayed from year 0")
        return ()
    return tuple(out)


# --- checks against the loaded model (still Qt-free: plain sets of ids) ----------------------------
def check_ids(session: Session, *, treatments: Iterable[str], nodes: Iterable[str], scenarios: Iterable[str],
              tours: Mapping[str, int] | None = None, pages: Iterable[str] | None = None,
              edges: Iterable[tuple[str, str]] | None = None) -> list[str]:
    """Problems with ids this IronBone's content does not know, each naming the key path.
    `tours` maps tour id -> number of steps (None: not checked); `pages` are topic ids; `edges` are
    the pathway's (source, target) pairs (None: cut links are not checked)."""
    treatments, nodes, scenarios = set(treatments), set(nodes), set(scenarios)
    edge_set = set(edges) if edges is not None else None
    problems: list[str] = []

    def inputs(inp: Inputs, path: str) -> None:
        for i, tid in enumerate(inp.treatments):
            if tid not in treatments:
                problems.append(f"{path}.treatments[{i}]: unknown treatment {_show(tid)} "
                                f"(known: {_list(treatments)})")
        for nid in inp.clamps:
            if nid not in nodes:
                problems.append(f"{path}.clamps: unknown node {_show(nid)}")
        for i, nid in enumerate(inp.knockouts):
            if nid not in nodes:
                problems.append(f"{path}.knockouts[{i}]: unknown node {_show(nid)}")
        for i, pair in enumerate(inp.edge_knockouts):
            if edge_set is not None and tuple(pair) not in edge_set:
                problems.append(f"{path}.edge_knockouts[{i}]: the pathway has no link {pair[0]} → {pair[1]}")

    def scenario(sid: str | None, path: str) -> None:
        if sid is not None and sid not in scenarios:
            problems.append(f"{path}: unknown scenario {_show(sid)} (known: {_list(scenarios)})")

    inputs(session.inputs, "inputs")
    scenario(session.scenario, "scenario")
    for i, pin in enumerate(session.pinned):  # as read() normalised them
        try:
            pinned_inputs = Inputs(**pin["inputs"])
        except (KeyError, TypeError, ValueError):
            continue  # not from read(): a hand-built Session
        inputs(pinned_inputs, f"pinned[{i}].inputs")
        for nid in pin.get("activities", {}):
            if nid not in nodes:
                problems.append(f"pinned[{i}].activities: unknown node {_show(nid)}")
    for i, p in enumerate(session.timeline):
        inputs(p.inputs, f"timeline[{i}].inputs")
        scenario(p.scenario, f"timeline[{i}].scenario")
    if session.selection is not None:
        kind, ident = session.selection
        if kind == "node" and ident not in nodes:
            problems.append(f"selection.id: unknown node {_show(ident)}")
        elif kind == "topic" and pages is not None and ident not in set(pages):
            problems.append(f"selection.id: unknown topic page {_show(ident)}")
    if session.tour is not None and tours is not None:
        tid, step = session.tour
        if tid not in tours:
            problems.append(f"tour.id: unknown tour {_show(tid)} (known: {_list(tours)})")
        elif step >= tours[tid]:
            problems.append(f"tour.step: {step} is past the last step of {tid!r} "
                            f"(steps 0–{tours[tid] - 1})")
    return problems


# --- helpers ------------------------------------------------------------------------------------
def _number(value: object, path: str, lo: float, hi: float, unit: str) -> float:
    try:
        return in_range(path, value, lo, hi, unit)
    except ValueError as exc:
        raise SessionError(str(exc)) from None


def _clock(value: object, path: str) -> float:
    """A model time: 0 to MAX_YEARS, plus the slack one animation frame may run past it; a refusal
    names the limit as the app states it."""
    try:
        return in_range(path, value, 0.0, MAX_YEARS + CLOCK_SLACK_YEARS, "years")
    except ValueError:
        return _number(value, path, 0.0, MAX_YEARS, "years")


def _id(value: object, path: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ID_CHARS:
        raise SessionError(f"{path}: {_show(value)} should be an id (text of 1–{MAX_ID_CHARS} characters)")
    return value


def _optional_id(value: object, path: str) -> str | None:
    return None if value is None else _id(value, path)


def _ids(value: object, path: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise SessionError(f"{path}: {_show(value)} should be a list of ids […], not {_kind(value)}")
    if len(value) > MAX_IDS:
        raise SessionError(f"{path}: {len(value)} entries (at most {MAX_IDS})")
    return tuple(_id(v, f"{path}[{i}]") for i, v in enumerate(value))


def _depth(value: object, level: int = 1) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level - 1


def _join(path: str, key: str) -> str:
    plain = key.isidentifier() and len(key) <= 60
    if plain:
        return f"{path}.{key}" if path else key
    return f"{path}[{_show(key)}]"


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null",
            int: "a number", float: "a number", HugeNumber: "a number"}.get(type(value), type(value).__name__)


def _show(value: object) -> str:
    """A value as it appears in the file, shortened for a message, on one line."""
    if isinstance(value, HugeNumber):
        return str(value)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        text = f"{_kind(value)} that cannot be shown"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")  # a lone surrogate, shown as \ud800
    for sep in ("\u2028", "\u2029", "\x85"):  # line breaks JSON leaves alone
        text = text.replace(sep, sep.encode("unicode_escape").decode("ascii"))
    return text if len(text) <= 60 else text[:57] + "…"


def _list(ids: Iterable[str]) -> str:
    names = sorted(ids)
    shown = ", ".join(names[:12])
    return (shown + f", … ({len(names)} in all)") if len(names) > 12 else (shown or "none")

