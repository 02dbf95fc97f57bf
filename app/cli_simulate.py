"""`python -m app simulate`: runs the teaching model headless and prints a summary or one JSON object
(docs/model.md; bad input: one line on stderr naming the valid choices, exit 2)."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from app.model.numbers import MAX_YEARS, in_range, shown
from app.model.simulation import (
    ESTROGEN_RANGE,
    FERRITIN_RANGE,
    Inputs,
    Model,
    Trajectory,
    schedule_treatments,
    simulate_schedule,
)
from app.progname import program_name

USAGE_ERROR = 2
CONTENT_ERROR = 1
YEARS_RANGE = (0.0, MAX_YEARS)  # the model clock's one limit
DEFAULT_YEARS = 10.0
_SAMPLES_PER_YEAR = 12  # JSON trajectory: monthly samples (the model steps four times a month)


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors as one line and lets main() choose the exit status."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message if len(message) <= 200 else message[:199] + "…")  # argparse echoes arguments


def _parser() -> _Parser:
    p = _Parser(
        prog=f"{program_name()} simulate",
        description="Run IronBone's teaching model (not a clinical tool) from the premenopausal "
                    "reference state and report where bone mass heads.",
        allow_abbrev=False,
    )
    p.add_argument("--estrogen", metavar="PCT", help="estrogen, %% of the premenopausal level "
                   f"({ESTROGEN_RANGE[0]:g}-{ESTROGEN_RANGE[1]:g})")
    p.add_argument("--ferritin", metavar="UGL", help="serum ferritin, µg/L "
                   f"({FERRITIN_RANGE[0]:g}-{FERRITIN_RANGE[1]:g})")
    p.add_argument("--years", metavar="Y", help=f"years to project (0-{MAX_YEARS:g}, default {DEFAULT_YEARS:g})")
    p.add_argument("--treatment", metavar="ID[@YEARS]", action="append", default=[],
                   help="a treatment id, started at year 0 or at YEARS as if ticked at that moment "
                        "(repeatable; see --list-treatments)")
    p.add_argument("--clamp", metavar="NODE=VALUE", action="append", default=[],
                   help="hold a node's activity at VALUE in [0, 1] (repeatable)")
    p.add_argument("--knockout", metavar="NODE", action="append", default=[],
                   help="hold a node's activity at 0 (repeatable)")
    p.add_argument("--scenario", metavar="ID", help="take estrogen and ferritin from a scenario "
                   "(explicit --estrogen/--ferritin win; see --list-scenarios)")
    p.add_argument("--json", action="store_true", help="print one JSON object (inputs, nodes, bone, trajectory)")
    lists = p.add_mutually_exclusive_group()
    lists.add_argument("--list-nodes", action="store_true", help="list the node ids and exit")
    lists.add_argument("--list-treatments", action="store_true", help="list the treatment ids and exit")
    lists.add_argument("--list-scenarios", action="store_true", help="list the scenario ids and exit")
    return p


def _number(text: str | None, name: str, lo: float, hi: float, unit: str) -> float | None:
    if text is None:
        return None
    try:
        value: object = float(text)
    except ValueError:
        value = text
    try:
        return in_range(name, value, lo, hi, unit, given=text)  # shown as typed, shortened
    except ValueError as exc:
        raise _UsageError(str(exc)) from None


def _choices(values: Sequence[str]) -> str:
    return ", ".join(values) if values else "none"


def main(argv: list[str]) -> int:
    """Entry point; returns the exit status (0 ok, 1 broken content, 2 bad input)."""
    out, err = sys.stdout, sys.stderr
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as exc:  # --help
            return int(exc.code or 0) if isinstance(exc.code, int) else 0
        from app.knowledge.model_io import load_model_content
        from app.paths import content_dir

        mc = load_model_content(content_dir())
        model = mc.model
        if model is None:
            msg = str(mc.problems[0]) if mc.problems else "the model cannot be built"
            print(f"error: {msg}", file=err)
            return CONTENT_ERROR
        if args.list_nodes or args.list_treatments or args.list_scenarios:
            try:
                _print_list(args, model, mc.scenarios, out)
                out.flush()
            except BrokenPipeError:
                _silence_stdout()
            return 0
        inputs, starts, years = _inputs(args, model, mc.scenarios)
        traj = simulate_schedule(model, schedule_treatments(inputs, starts), years)
    except _UsageError as exc:
        print(f"error: {exc}", file=err)
        return USAGE_ERROR
    try:
        if args.json:
            json.dump(_as_json(inputs, starts, years, traj), out, ensure_ascii=False, separators=(",", ":"))
            out.write("\n")
        else:
            _print_summary(model, inputs, starts, years, traj, out)
        out.flush()
    except BrokenPipeError:  # `... | head`: the reader has gone, which is not an error
        _silence_stdout()
    return 0


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's exit-time flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _inputs(args: argparse.Namespace, model: Model, scenarios: dict
            ) -> tuple[Inputs, list[tuple[str, float]], float]:
    """The inputs at year 0 (with the treatments that start then), the later starts
    [(treatment id, year), ...] and the run's length."""
    estrogen = _number(args.estrogen, "--estrogen", *ESTROGEN_RANGE, "% of the premenopausal level")
    ferritin = _number(args.ferritin, "--ferritin", *FERRITIN_RANGE, "µg/L")
    years = _number(args.years, "--years", *YEARS_RANGE, "years")
    years = DEFAULT_YEARS if years is None else years
    treatments: list[str] = []
    if args.scenario is not None:
        sc = scenarios.get(args.scenario)
        if sc is None:
            raise _UsageError(f"unknown scenario {shown(args.scenario)} (valid: {_choices(list(scenarios))})")
        estrogen = sc.estrogen if estrogen is None else estrogen
        ferritin = sc.ferritin if ferritin is None else ferritin
        treatments += sc.treatments
    if estrogen is None:
        raise _UsageError(f"--estrogen is required: a number between {ESTROGEN_RANGE[0]:g} and "
                          f"{ESTROGEN_RANGE[1]:g} % (or give --scenario: {_choices(list(scenarios))})")
    if ferritin is None:
        raise _UsageError(f"--ferritin is required: a number between {FERRITIN_RANGE[0]:g} and "
                          f"{FERRITIN_RANGE[1]:g} µg/L (or give --scenario: {_choices(list(scenarios))})")
    starts: list[tuple[str, float]] = []
    for item in args.treatment:
        tid, at, when = item.partition("@")
        if tid not in model.treatments:
            raise _UsageError(f"unknown treatment {shown(tid)} (valid: {_choices(list(model.treatments))})")
        if tid in treatments or any(tid == t for t, _ in starts):
            raise _UsageError(f"treatment {shown(tid)} is given twice; give each treatment once")
        start = _number(when, f"--treatment {tid}@YEARS", 0.0, years, "years (a start within the run)") \
            if at else 0.0
        assert start is not None
        if start == 0.0:
            treatments.append(tid)
        else:
            starts.append((tid, start))
    nodes = _choices(model.node_ids)
    clamps: dict[str, float] = {}
    for item in args.clamp:
        node, sep, value = item.partition("=")
        if not sep or not node:
            raise _UsageError(f"--clamp wants NODE=VALUE with VALUE in [0, 1] (got {shown(item)})")
        if node not in model.index:
            raise _UsageError(f"unknown node {shown(node)} in --clamp (valid: {nodes})")
        v = _number(value, f"--clamp {node}", 0.0, 1.0, "(activity)")
        assert v is not None
        clamps[node] = v
    for node in args.knockout:
        if node not in model.index:
            raise _UsageError(f"unknown node {shown(node)} in --knockout (valid: {nodes})")
    try:
        inputs = Inputs(estrogen=estrogen, ferritin=ferritin, treatments=tuple(treatments),
                        clamps=clamps, knockouts=tuple(args.knockout))
        model.validate(inputs)
    except ValueError as exc:  # defensive: the checks above should have caught it
        raise _UsageError(str(exc)) from None
    return inputs, starts, years


def _sample_idx(traj: Trajectory) -> list[int]:
    n = len(traj.t_years)
    if n < 2:
        return list(range(n))
    per_year = round(1.0 / float(traj.t_years[1] - traj.t_years[0]))
    every = max(1, per_year // _SAMPLES_PER_YEAR)
    idx = list(range(0, n, every))
    if idx[-1] != n - 1:
        idx.append(n - 1)
    return idx


def _as_json(inputs: Inputs, starts: list[tuple[str, float]], years: float, traj: Trajectory) -> dict:
    s = traj.final
    clamps = dict(inputs.clamps)
    clamps.update({k: 0.0 for k in inputs.knockouts})  # a knockout is a clamp at 0
    idx = _sample_idx(traj)
    treatments = list(inputs.treatments) + [f"{tid}@{t:g}" for tid, t in starts]
    return {
        "inputs": {"estrogen": inputs.estrogen, "ferritin": inputs.ferritin, "years": years,
                   "treatments": treatments, "clamps": clamps},
        "nodes": dict(s.activities),
        "bone": {"formation": s.formation, "resorption": s.resorption,
                 "bone_mass_pct": s.bone_mass_pct, "fracture_risk": s.fracture_risk},
        "trajectory": {key: [float(getattr(traj, key)[i]) for i in idx]
                       for key in ("t_years", "bone_mass_pct", "formation", "resorption")},
    }


def _print_summary(model: Model, inputs: Inputs, starts: list[tuple[str, float]], years: float,
                   traj: Trajectory, out: TextIO) -> None:
    s = traj.final
    w = out.write
    w(f"IronBone teaching model (not a clinical tool): estrogen {inputs.estrogen:g} % of the "
      f"premenopausal level, ferritin {inputs.ferritin:g} µg/L, {years:g} years\n")
    names = [model.treatments[t].name for t in inputs.treatments]
    names += [f"{model.treatments[t].name} from year {at:g}" for t, at in starts]
    held = [f"{k}={v:g}" for k, v in inputs.clamps.items()] + [f"{k}=0 (knockout)" for k in inputs.knockouts]
    w(f"treatments: {', '.join(names) or 'none'}; clamps: {', '.join(held) or 'none'}\n\n")
    w("  year  bone mass %  formation %/yr  resorption %/yr  fracture risk\n")
    t = traj.t_years
    marks = sorted({int(i) for i in range(0, int(years) + 1)} | ({years} if years % 1 else set()))
    for y in marks:
        i = int(abs(t - y).argmin())
        w(f"{t[i]:6.1f}  {traj.bone_mass_pct[i]:11.1f}  {traj.formation[i]:14.2f}  "
          f"{traj.resorption[i]:15.2f}  {traj.fracture_risk[i]:13.2f}\n")
    w(f"\nat the end: bone mass {s.bone_mass_pct:.1f} % of start, formation {s.formation:.2f} and "
      f"resorption {s.resorption:.2f} % of bone mass per year, fracture-risk index {s.fracture_risk:.2f}\n")
    top = sorted(s.delta_vs_reference.items(), key=lambda kv: -abs(kv[1]))[:8]
    w("largest changes of activity against the premenopausal reference:\n")
    for nid, d in top:
        w(f"  {model.pathway.node(nid).label:<24} {s.activities[nid]:.3f} ({d:+.3f})\n")


def _print_list(args: argparse.Namespace, model: Model, scenarios: dict, out: TextIO) -> None:
    if args.list_nodes:
        rows = [{"id": n.id, "label": n.label, "kind": n.kind, "input": n.is_input}
                for n in model.pathway.nodes]
        text = [f"{r['id']}\t{r['label']}" for r in rows]
    elif args.list_treatments:
        rows = [{"id": t.id, "name": t.name, "group": t.group, "class": t.drug_class,
                 "mechanism": t.mechanism, "cite": list(t.cite)} for t in model.treatments.values()]
        text = [f"{r['id']}\t{r['name']}: {r['mechanism']}" for r in rows]
    else:
        rows = [{"id": s.id, "name": s.name, "estrogen": s.estrogen, "ferritin": s.ferritin,
                 "treatments": list(s.treatments), "description": s.description} for s in scenarios.values()]
        text = [f"{r['id']}\testrogen {r['estrogen']:g} %, ferritin {r['ferritin']:g} µg/L: {r['name']}"
                for r in rows]
    if args.json:
        json.dump(rows, out, ensure_ascii=False, separators=(",", ":"))
        out.write("\n")
    else:
        out.write("\n".join(text) + "\n")
