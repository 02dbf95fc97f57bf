"""The two-time-scale teaching model, built from the pathway graph: signalling activities in [0, 1]
and a slow bone-remodelling layer (osteoclasts, osteoblasts, bone volume and mineral, fracture risk)."""

# Signalling (hours to days; docs/model.md): every node's target is computed from its signed inputs
# in content/pathway.yaml, as in Odefy (Krumsiek 2010) with a gentle transfer f(x) = x:
#     A_i = 1 - prod_j (1 - w_ij f(x_j))          activators joined by a fuzzy OR
#     I_i = prod_k (1 - w_ik f(x_k))              inhibitors multiply down
#     G_i = prod_g (1 - w_ig + w_ig h(x_g)),  h(x) = x (1 + k) / (x + k)   inputs the node needs
#     target_i = (basal_i + (1 - basal_i) A_i) I_i G_i
# A gate (pathway.yaml `gate: true`) is Odefy's "and": osteoclasts form only where RANK is engaged,
# whatever else pushes them (h saturates above ~k = 0.1 and falls to 0 without the input).
# It is solved to its steady state for the current inputs (Newton's method on numpy arrays, batched
# over iron levels). Edges are data: add one to the yaml and the model changes. The inputs are held:
# estrogen = percent / 120, the iron input = the iron load of a slow store; edges *into* a held node
# (estrogen -> serum ferritin) are drawn but not computed while it is held, since the slider value is
# the measured level that already contains them. Clamped and knocked-out nodes are held likewise.
# The code never names a node: it asks the pathway for the node with a role (pathway.yaml `role:`).
#
# Remodelling (months to years; Komarova 2003, Pivonka 2008 in spirit; docs/model.md): the signalling
# values of the `resorption` and `formation` role nodes, and of the `osteoclasts` node, are the drives
# handed to a cell layer as ratios to the reference state (estrogen 100 %, ferritin 50 µg/L):
#     osteoclast activity  C -> u_C = (D_R / D_R,ref)^gR                          (tau 5 d)
#     coupling signal      K  = (s(X_OC/X_OC,ref)^(1-phi) (D_R/D_R,ref)^phi)^gR: osteoclasts and the
#                          matrix they resorb recruit osteoblasts; s(X) = X (1 + h) / (X + h)
#     osteoblast activity  B -> u_B = (D_F / D_F,ref) M(V) ((1 - mu) K^gamma + mu)  (tau 50 d)
#     bone volume          d ln V / dt = T (B - C)        T: turnover, % of bone per year
#     mineral content      dm/dt = f (m0 - m) + kappa (1 - m),   f = T B / 100 per year
#     bone mass (BMD)      100 V m / m_ref                % of the premenopausal start
# so the reference is a steady state by construction (C = B = K = V = 1, m = m_ref). Osteoblasts
# follow osteoclast signals only in part (gamma < 1) and a share mu of formation needs no
# resorption at all (modelling on quiet surfaces), so a higher resorption drive loses bone, faster
# turnover amplifies any imbalance, and suppressing resorption leaves formation ahead. New bone starts
# at a fraction m0 of full mineral and matures slowly (rate kappa): faster turnover lowers the mean
# mineral content and slower turnover raises it, which is how antiresorptives lift BMD above its
# starting level (Martinez-Reina 2021). M(V) is a mechanostat of bounded strength: lost bone strains
# the rest and formation rises, M = (1 + a) / (1 + a V^n), but never by more than a factor 1 + a, so
# an imbalance is slowed and not cancelled (late loss goes on); bone above its start is more than
# the loads need and formation falls off as V^-s (no input grows bone without bound). Iron enters through a slow store,
# dFe/dt = (target - Fe) / 180 d, so a change of ferritin takes a year or two to act.
# The diagram's formation / resorption nodes show the drives (what the pathway asks of the cells);
# State.formation / .resorption are the rates the cells deliver. The bone-mass node shows
# bone_mass_pct / 200 and the fracture-risk node the index; a clamp on any node sets what it shows.

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from app.model.numbers import in_range
from app.model.pathway import Pathway
from app.model.treatments import (
    AddInput,
    BlockEdge,
    Clamp,
    EstrogenFloor,
    IronTargetFactor,
    Treatment,
)
from app.model.units import ESTROGEN_RANGE, FERRITIN_RANGE

# The roles the model needs (pathway.yaml `role:`), each held by one node.
MODEL_ROLES = ("estrogen_input", "iron_input", "formation", "resorption", "osteoclasts", "bone_mass",
               "fracture_risk")

REFERENCE_ESTROGEN = 100.0
REFERENCE_FERRITIN = 50.0  # within the review's normal range for women (12-150 µg/L, §1)
IRON_HALF = 500.0  # µg/L of ferritin at which the iron load is half its maximum
DAYS_PER_YEAR = 365.25
DEFAULT_DT_DAYS = DAYS_PER_YEAR / 48  # four steps a month: months and years fall on step edges

_TOL = 1e-13  # steady-state tolerance: tight, so the reference run is flat to rounding error
_NEWTON_STEPS = 30
_RELAX_STEPS = 5000
_GRID = 9  # iron levels tabulated while the iron store moves (interpolation error < 0.002 %)
GATE_HALF = 0.1  # k of the gate function h: a required input at 0.1 lets half of its effect through


def _others(t: np.ndarray) -> np.ndarray:
    """For each factor along the last axis, the product of all the *other* factors (prefix times
    suffix products: no division, so a factor of 0 is fine)."""
    pre = np.ones_like(t)
    suf = np.ones_like(t)
    if t.shape[-1] > 1:
        pre[..., 1:] = np.cumprod(t[..., :-1], axis=-1)
        suf[..., :-1] = np.cumprod(t[..., :0:-1], axis=-1)[..., ::-1]
    return pre * suf


# --- input mappings ---------------------------------------------------------------------------

def estrogen_activity(percent: float) -> float:
    """Estrogen activity: 0..120 % of the premenopausal level mapped linearly onto 0..1, so the
    whole slider range acts (100 % -> 0.833) and replacement above normal is still graded."""
    return min(max(percent / ESTROGEN_RANGE[1], 0.0), 1.0)


def iron_activity(ferritin: float | np.ndarray) -> float | np.ndarray:
    """Serum ferritin (µg/L) -> iron load in [0, 1]: Fe^2 / (Fe^2 + 500^2) (docs/model.md), which
    is a logistic curve on the log-ferritin scale of the slider. The review's normal range for
    women (12-150 µg/L, §1) stays low (50 -> 0.01, 150 -> 0.08); accumulation and overload are
    clearly graded (300 -> 0.26, 500 -> 0.50, 800 -> 0.72, 1000 -> 0.80, 2000 -> 0.94)."""
    fe = np.maximum(ferritin, 0.0)
    out = fe * fe / (fe * fe + IRON_HALF ** 2)
    return float(out) if np.ndim(out) == 0 else out


def _check_range(name: str, value: object, lo: float, hi: float, unit: str) -> float:
    return in_range(name, value, lo, hi, unit)  # the one range check of app/model/numbers.py


@dataclass(frozen=True, kw_only=True)
class Inputs:
    """What the user (or a scenario, tour or the CLI) asks the model for.

    estrogen: % of the premenopausal level (0-120); ferritin: serum ferritin in µg/L (10-3000);
    treatments: ids from content/treatments.yaml; clamps: node id -> activity held fixed (0..1);
    knockouts: node ids held at 0 (a knockout wins over a clamp of the same node);
    edge_knockouts: (source, target) pairs of drawn edges that carry no signal (weight 0).
    """

    estrogen: float
    ferritin: float
    treatments: tuple[str, ...] = ()
    clamps: Mapping[str, float] = field(default_factory=dict)
    knockouts: tuple[str, ...] = ()
    edge_knockouts: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "estrogen", _check_range("estrogen", self.estrogen, *ESTROGEN_RANGE, "%"))
        set_(self, "ferritin", _check_range("ferritin", self.ferritin, *FERRITIN_RANGE, "µg/L"))
        set_(self, "treatments", _id_tuple(self.treatments))
        set_(self, "knockouts", tuple(sorted(set(_id_tuple(self.knockouts)))))
        set_(self, "edge_knockouts", _edge_tuple(self.edge_knockouts))
        if not isinstance(self.clamps, Mapping):
            raise ValueError(f"clamps must map node ids to values in [0, 1] (got {self.clamps!r})")
        clamps = {str(k): _check_range(f"clamp {k}", v, 0.0, 1.0, "(activity)")
                  for k, v in self.clamps.items()}
        set_(self, "clamps", MappingProxyType(dict(sorted(clamps.items()))))

    def __hash__(self) -> int:
        return hash((self.estrogen, self.ferritin, self.treatments, tuple(self.clamps.items()),
                     self.knockouts, self.edge_knockouts))

    def replace(self, **changes: object) -> Inputs:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def reference(cls) -> Inputs:
        return cls(estrogen=REFERENCE_ESTROGEN, ferritin=REFERENCE_FERRITIN)


def _id_tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Iterable):
        raise ValueError(f"expected a list of ids (got {value!r})")
    return tuple(dict.fromkeys(str(v) for v in value))


def _edge_tuple(value: object) -> tuple[tuple[str, str], ...]:
    """(source, target) pairs, sorted and without repeats; a pair may also be a 2-item list (JSON)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"edge knock-outs must be a list of [source, target] pairs (got {value!r})")
    out = set()
    for pair in value:
        if isinstance(pair, str) or not isinstance(pair, Iterable) or len(pair := tuple(pair)) != 2:
            raise ValueError(f"an edge knock-out must be a [source, target] pair (got {pair!r})")
        out.add((str(pair[0]), str(pair[1])))
    return tuple(sorted(out))


# --- parameters -------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class RemodellingParams:
    """The slow layer's parameters; docs/model.md says where each comes from. The calibration
    table (content/calibration.yaml) checks what they produce against published figures."""

    # Set by hand, then tuned together against content/calibration.yaml (docs/model.md); each
    # value stays in the range physiology allows, and no value is special to one treatment.
    turnover_pct_per_year: float = 11.5  # bone renewed per year at the reference (spine ~10-25 %)
    tau_osteoclast_days: float = 5.0  # 1/beta1, Komarova 2003 (beta1 = 0.2/day)
    tau_osteoblast_days: float = 135.0  # about the formation period of a remodelling unit (4-5 months)
    resorption_gain: float = 0.8  # u_C = (D_R/D_R,ref)^0.8, K likewise: less than proportional
    formation_gain: float = 0.8  # u_B = (D_F/D_F,ref)^0.8
    coupling: float = 0.95  # osteoblast recruitment ~ K^0.95 (Komarova's g12 = 1 is full coupling)
    uncoupled: float = 0.15  # share of formation that needs no resorption first (modelling)
    matrix_coupling: float = 0.3  # share of the coupling signal freed from resorbed matrix; the
    #   rest comes from the osteoclasts themselves (so cathepsin K inhibition keeps formation)
    coupling_saturation: float = 5.0  # h: the osteoclasts' own signal saturates, X (1 + h) / (X + h)
    mechanostat_gain: float = 0.18  # a: formation rises at most 1.18-fold as bone is lost
    mechanostat_steepness: float = 5.0  # n in M(V) = (1 + a) / (1 + a V^n) below the start
    disuse_exponent: float = 9.0  # s in M(V) = V^-s above it: bone beyond what loads need
    primary_mineral: float = 0.55  # m0: new bone mineralises to about half of full within weeks
    mineralisation_per_year: float = 0.41  # kappa: the slow secondary mineralisation (~1.7 y half-time)
    iron_tau_days: float = 180.0  # the iron store's time constant
    fracture_mid_pct: float = 80.0  # bone mass at which the fracture-risk index is 0.5
    fracture_scale_pct: float = 20.0 / math.log(9.0)  # index 0.1 at 100 %, 0.9 at 60 %

    @property
    def reference_mineral(self) -> float:
        """m_ref: the mean mineral content where maturing balances renewal at the reference."""
        f = self.turnover_pct_per_year / 100.0
        k = self.mineralisation_per_year
        return (f * self.primary_mineral + k) / (f + k)


def mechanostat(ln_v: float, params: RemodellingParams) -> float:
    """Frost's mechanostat on formation, by bone volume V = e^ln_v against the premenopausal start.
    Below it the remaining bone is strained more and formation rises, but at most 1 + a fold (the
    cells' capacity: sclerostin cannot fall below nothing), so an imbalance is slowed, never
    cancelled. Above it bone exceeds what the loads need and formation falls off steeply
    (disuse), so no input grows bone without bound."""
    if ln_v <= 0.0:
        a = params.mechanostat_gain
        return (1.0 + a) / (1.0 + a * math.exp(params.mechanostat_steepness * max(ln_v, -700.0)))
    return math.exp(-params.disuse_exponent * min(ln_v, 700.0))


def fracture_risk_index(bone_mass_pct: float, params: RemodellingParams) -> float:
    """A logistic index in (0, 1), strictly decreasing in bone mass: 0.1 at 100 %, 0.5 at 80 %
    (about two standard deviations of BMD lost), 0.9 at 60 % (less bone, more fractures)."""
    z = (bone_mass_pct - params.fracture_mid_pct) / params.fracture_scale_pct
    z = min(max(z, -700.0), 700.0)
    return 1.0 / (1.0 + math.exp(z))


# --- results ----------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class State:
    """The model at one moment. Rates are in % of the current bone volume per year."""

    t_years: float
    activities: Mapping[str, float]
    formation: float
    resorption: float
    bone_mass_pct: float
    fracture_risk: float
    delta_vs_reference: Mapping[str, float]
    iron_store: float = REFERENCE_FERRITIN  # µg/L, the slow store behind the iron input
    osteoclasts: float = 1.0  # cell activity relative to the reference
    osteoblasts: float = 1.0
    mineral: float = 1.0  # mean mineral content relative to the reference

    @property
    def balance(self) -> float:
        """Formation minus resorption, % of bone volume per year (> 0: bone is gained)."""
        return self.formation - self.resorption


@dataclass(frozen=True, kw_only=True)
class Trajectory:
    """A projection: one sample per time step (t = 0 included) and the final state."""

    t_years: np.ndarray
    bone_mass_pct: np.ndarray
    formation: np.ndarray
    resorption: np.ndarray
    fracture_risk: np.ndarray
    final: State


@dataclass(frozen=True, eq=False)
class _Config:
    """Inputs compiled onto the graph: edge weights after blocks, extra drug inputs, fixed nodes."""

    wa: np.ndarray
    wi: np.ndarray
    keep_act: np.ndarray  # prod (1 - w) of the drugs' extra activating inputs, per node
    keep_inh: np.ndarray  # prod (1 - w) of the drugs' extra inhibiting inputs
    wg: np.ndarray  # gate weights
    pg: np.ndarray  # share of each gate's input that gets through (a blocked or cut gate: less)
    fixed_idx: np.ndarray
    fixed_val: np.ndarray
    iron_free: bool  # the iron input follows the iron store (not clamped by hand)
    iron_target: float  # µg/L the store drifts towards
    shown: Mapping[int, float]  # clamped / knocked-out nodes: what the diagram must show


class Model:
    """The pathway compiled into index arrays, plus the treatments it knows."""

    def __init__(
        self,
        pathway: Pathway,
        treatments: Mapping[str, Treatment] | None = None,
        *,
        params: RemodellingParams | None = None,
    ) -> None:
        self.pathway = pathway
        self.treatments: Mapping[str, Treatment] = MappingProxyType(dict(treatments or {}))
        self.params = params or RemodellingParams()
        ids = pathway.node_ids
        roles = pathway.roles
        missing = [r for r in MODEL_ROLES if r not in roles]
        if missing:
            raise ValueError("the pathway lacks the node role(s) the model needs: " + ", ".join(missing)
                             + " (give one node each `role: <name>` in pathway.yaml)")
        self.roles: Mapping[str, str] = MappingProxyType({r: roles[r] for r in MODEL_ROLES})
        for t in self.treatments.values():
            probs = t.problems(pathway)
            if probs:
                raise ValueError(f"treatment {t.id!r}: {probs[0]}")
        self.node_ids: tuple[str, ...] = ids
        self.index: Mapping[str, int] = MappingProxyType({nid: i for i, nid in enumerate(ids)})
        n = self.n = len(ids)
        self._basal = np.array([node.basal for node in pathway.nodes])
        r = self.roles
        self._est, self._fer = self.index[r["estrogen_input"]], self.index[r["iron_input"]]
        self._iF, self._iR = self.index[r["formation"]], self.index[r["resorption"]]
        self._iO = self.index[r["osteoclasts"]]
        self._iM, self._iK = self.index[r["bone_mass"]], self.index[r["fracture_risk"]]

        # Padded per-node input lists: column n of the state is a constant 0, so padding slots
        # (source n, weight 0) leave the products untouched. Precomputed once: the solver is then
        # a handful of numpy operations per iteration.
        act: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        inh: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        gat: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        self._edge_slot: dict[tuple[str, str], tuple[str, int, int]] = {}
        for e in pathway.edges:
            s, t = self.index[e.source], self.index[e.target]
            kind = "g" if e.gate else "a" if e.sign > 0 else "i"
            lst = {"a": act, "i": inh, "g": gat}[kind]
            self._edge_slot[(e.source, e.target)] = (kind, t, len(lst[t]))
            lst[t].append((s, e.weight))

        def pad(lists: list[list[tuple[int, float]]]) -> tuple[np.ndarray, np.ndarray]:
            k = max(1, max(len(x) for x in lists))
            src = np.full((n, k), n, dtype=np.intp)
            w = np.zeros((n, k))
            for i, x in enumerate(lists):
                for j, (s, wt) in enumerate(x):
                    src[i, j], w[i, j] = s, wt
            return src, w

        self._asrc, self._wa0 = pad(act)
        self._isrc, self._wi0 = pad(inh)
        self._gsrc, self._wg0 = pad(gat)
        self._rows_a = np.broadcast_to(np.arange(n)[:, None], self._asrc.shape)
        self._rows_i = np.broadcast_to(np.arange(n)[:, None], self._isrc.shape)
        self._rows_g = np.broadcast_to(np.arange(n)[:, None], self._gsrc.shape)
        # Nodes the signalling layer does not compute: the two inputs and any other input node
        # (held at its basal value), and the slow outcomes bone_mass and fracture_risk (the
        # remodelling layer owns them; nodes reading them see their reference values).
        self._other_inputs = [i for i, node in enumerate(pathway.nodes)
                              if node.is_input and i not in (self._est, self._fer)]
        self._fr_ref = fracture_risk_index(100.0, self.params)
        self._cfg_cache: dict[Inputs, _Config] = {}
        ref = Inputs.reference()
        self._ref_cfg = self._compile(ref)
        x_ref = self._solve(self._ref_cfg, np.array([iron_activity(REFERENCE_FERRITIN)]))[0]
        self._x_ref = x_ref
        # Floors only guard against a lecturer's graph in which a drive is ~0 at the reference.
        self._dR_ref = max(float(x_ref[self._iR]), 1e-3)
        self._dF_ref = max(float(x_ref[self._iF]), 1e-3)
        self._dO_ref = max(float(x_ref[self._iO]), 1e-3)
        ref_out = x_ref.copy()
        ref_out[self._iM] = 0.5
        ref_out[self._iK] = self._fr_ref
        self._ref_out = ref_out
        self.reference_activities: Mapping[str, float] = MappingProxyType(
            dict(zip(ids, ref_out.tolist(), strict=True)))

    # --- validation and compilation -------------------------------------------------------
    def validate(self, inputs: Inputs) -> None:
        """Raise ValueError naming the valid choices for an unknown treatment or node id."""
        for tid in inputs.treatments:
            if tid not in self.treatments:
                raise ValueError(f"unknown treatment {tid!r} (valid: {', '.join(self.treatments) or 'none'})")
        for nid in (*inputs.clamps, *inputs.knockouts):
            if nid not in self.index:
                raise ValueError(f"unknown node {nid!r} (valid: {', '.join(self.node_ids)})")
        for src, dst in inputs.edge_knockouts:
            if (src, dst) not in self._edge_slot:
                raise ValueError(f"there is no edge {src} -> {dst} in the pathway to knock out")

    def _compile(self, inputs: Inputs) -> _Config:
        cached = self._cfg_cache.get(inputs)
        if cached is not None:
            return cached
        self.validate(inputs)
        n = self.n
        wa, wi, wg = self._wa0.copy(), self._wi0.copy(), self._wg0.copy()
        pg = np.ones_like(wg)
        keep_act, keep_inh = np.ones(n), np.ones(n)
        estrogen_pct, iron_factor = inputs.estrogen, 1.0
        fixed: dict[int, float] = {}
        for i in self._other_inputs:
            fixed[i] = float(self._basal[i])
        fixed[self._iM] = 0.5
        fixed[self._iK] = self._fr_ref
        shown: dict[int, float] = {}
        for tid in inputs.treatments:
            for a in self.treatments[tid].actions:
                if isinstance(a, AddInput):
                    i = self.index[a.node]
                    if a.sign > 0:
                        keep_act[i] *= 1.0 - a.weight
                    else:
                        keep_inh[i] *= 1.0 - a.weight
                elif isinstance(a, BlockEdge):
                    which, row, col = self._edge_slot[(a.source, a.target)]
                    # blocking a required input lets less of it through; other edges weaken
                    {"a": wa, "i": wi, "g": pg}[which][row, col] *= 1.0 - a.fraction
                elif isinstance(a, IronTargetFactor):
                    iron_factor *= a.factor
                elif isinstance(a, EstrogenFloor):
                    estrogen_pct = max(estrogen_pct, a.percent)
                elif isinstance(a, Clamp):
                    fixed[self.index[a.node]] = a.value
        for key in inputs.edge_knockouts:  # a cut link carries nothing, whatever drugs do to it
            which, row, col = self._edge_slot[key]
            {"a": wa, "i": wi, "g": pg}[which][row, col] = 0.0
        fixed.setdefault(self._est, estrogen_activity(estrogen_pct))  # a treatment clamp wins
        for nid, v in inputs.clamps.items():
            fixed[self.index[nid]] = v
            shown[self.index[nid]] = v
        for nid in inputs.knockouts:
            fixed[self.index[nid]] = 0.0
            shown[self.index[nid]] = 0.0
        iron_free = self._fer not in fixed
        idx = np.array(sorted(fixed), dtype=np.intp)
        cfg = _Config(
            wa=wa, wi=wi, keep_act=keep_act, keep_inh=keep_inh, wg=wg, pg=pg,
            fixed_idx=idx, fixed_val=np.array([fixed[i] for i in idx]),
            iron_free=iron_free, iron_target=inputs.ferritin * iron_factor,
            shown=MappingProxyType(shown),
        )
        if len(self._cfg_cache) > 256:
            self._cfg_cache.clear()
        self._cfg_cache[inputs] = cfg
        return cfg

    # --- signalling -----------------------------------------------------------------------
    def _gates(self, cfg: _Config, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per node and gate: the factor 1 - w + w h(p x) and its derivative in x."""
        k = GATE_HALF
        y = cfg.pg * x[:, self._gsrc]  # (m, n, Kg)
        h = y * (1.0 + k) / (y + k)
        dh = cfg.pg * (1.0 + k) * k / (y + k) ** 2
        return 1.0 - cfg.wg + cfg.wg * h, cfg.wg * dh

    def _solve(self, cfg: _Config, iron: np.ndarray) -> np.ndarray:
        """Steady signalling for each iron activity in `iron` (shape (m,)): returns (m, n).

        Newton's method on x = target(x) with the exact Jacobian (the targets are multilinear in
        x, gates aside), so a handful of steps reach 1e-13 where plain fixed-point iteration needs
        dozens (the graph is about twenty nodes deep). A damped fixed-point iteration, which stays
        in [0, 1] by construction, is the fallback."""
        n, m = self.n, iron.shape[0]
        x = np.zeros((m, n + 1))  # column n stays 0: the padding slot of the input lists
        x[:, :n] = self._basal
        x[:, cfg.fixed_idx] = cfg.fixed_val
        if cfg.iron_free:
            x[:, self._fer] = iron
        free = np.ones(n, dtype=bool)
        free[cfg.fixed_idx] = False
        if cfg.iron_free:
            free[self._fer] = False
        basal, rest = self._basal, 1.0 - self._basal
        asrc, isrc, gsrc = self._asrc, self._isrc, self._gsrc
        rows_a, rows_i, rows_g = self._rows_a, self._rows_i, self._rows_g
        wa, wi, ka, ki = cfg.wa, cfg.wi, cfg.keep_act, cfg.keep_inh
        eye = np.eye(n)
        for _ in range(_NEWTON_STEPS):
            # f(x) = x: Odefy's multilinear "BooleCube" transfer. Steep Hill curves (n = 3)
            # saturate long chains; this keeps them graded.
            ta = 1.0 - wa * x[:, asrc]  # (m, n, Ka): one factor per activating input
            ti = 1.0 - wi * x[:, isrc]
            tg, dtg = self._gates(cfg, x)
            act = 1.0 - ta.prod(axis=2) * ka  # fuzzy OR of the activators
            inh = ti.prod(axis=2) * ki  # inhibitors multiply down
            gate = tg.prod(axis=2)  # and the inputs a node needs
            up = basal + rest * act
            resid = np.where(free, up * inh * gate - x[:, :n], 0.0)
            if float(np.abs(resid).max()) < _TOL:
                return x[:, :n]
            jac = np.zeros((m, n, n + 1))
            jac[:, rows_a, asrc] = (rest * inh * gate)[:, :, None] * wa * _others(ta) * ka[:, None]
            jac[:, rows_i, isrc] += -(up * gate)[:, :, None] * wi * _others(ti) * ki[:, None]
            jac[:, rows_g, gsrc] += (up * inh)[:, :, None] * dtg * _others(tg)
            jac = jac[:, :, :n]
            jac[:, ~free, :] = 0.0
            try:
                step = np.linalg.solve(eye - jac, resid[:, :, None])[:, :, 0]
            except np.linalg.LinAlgError:
                break
            if not np.all(np.isfinite(step)):
                break
            x[:, :n] = np.clip(x[:, :n] + step, 0.0, 1.0)
        return self._relax(cfg, iron)

    def _relax(self, cfg: _Config, iron: np.ndarray) -> np.ndarray:
        """Damped fixed-point iteration: slow but sure (a convex combination stays in [0, 1])."""
        n, m = self.n, iron.shape[0]
        x = np.zeros((m, n + 1))
        x[:, :n] = self._basal
        x[:, cfg.fixed_idx] = cfg.fixed_val
        if cfg.iron_free:
            x[:, self._fer] = iron
        keep = x[:, :n].copy()
        free = np.ones(n, dtype=bool)
        free[cfg.fixed_idx] = False
        if cfg.iron_free:
            free[self._fer] = False
        for _ in range(_RELAX_STEPS):
            act = 1.0 - np.prod(1.0 - cfg.wa * x[:, self._asrc], axis=2) * cfg.keep_act
            inh = np.prod(1.0 - cfg.wi * x[:, self._isrc], axis=2) * cfg.keep_inh
            gate = self._gates(cfg, x)[0].prod(axis=2)
            t = np.where(free, (self._basal + (1.0 - self._basal) * act) * inh * gate, keep)
            delta = float(np.abs(t - x[:, :n]).max())
            x[:, :n] += 0.5 * (t - x[:, :n])
            if delta < _TOL:
                break
        return x[:, :n]

    def steady_signalling(self, inputs: Inputs) -> np.ndarray:
        """Signalling activities (in node_ids order) once the iron store has settled at its
        target. bone_formation / bone_resorption hold the graph's drives for the cell layer;
        bone_mass and fracture_risk hold their reference values (the slow layer owns them)."""
        cfg = self._compile(inputs)
        return self._solve(cfg, np.array([iron_activity(cfg.iron_target)]))[0]

    # --- remodelling ----------------------------------------------------------------------
    def cell_drives(self, activities: np.ndarray) -> tuple[float, float, float]:
        """(u_C, formation drive u_B before mechanostat and coupling, coupling signal K) from
        signalling activities."""
        p = self.params
        r = max(float(activities[self._iR]), 0.0) / self._dR_ref
        f = max(float(activities[self._iF]), 0.0) / self._dF_ref
        o = max(float(activities[self._iO]), 0.0) / self._dO_ref
        h, phi = p.coupling_saturation, p.matrix_coupling
        o = o * (1.0 + h) / (o + h)  # more osteoclasts recruit more osteoblasts, up to a point
        return r ** p.resorption_gain, f ** p.formation_gain, (o ** (1.0 - phi) * r ** phi) ** p.resorption_gain

    def osteoblast_target(self, u_b: float, k: float, ln_v: float) -> float:
        """Where osteoblast activity heads: the formation drive, times the mechanostat, times
        the recruitment by osteoclast signals (partial) plus formation that needs none."""
        p = self.params
        return u_b * mechanostat(ln_v, p) * ((1.0 - p.uncoupled) * k ** p.coupling + p.uncoupled)

    def long_run_balance(self, activities: np.ndarray) -> float:
        """Formation minus resorption (relative units) once the cells have settled at the
        starting bone volume: its sign is where bone volume heads."""
        u_c, u_b, k = self.cell_drives(activities)
        return self.osteoblast_target(u_b, k, 0.0) - u_c

    def reference_state(self) -> State:
        return self._make_state(0.0, self._ref_out[: self.n].copy(), 1.0, 1.0, 0.0,
                                self.params.reference_mineral, REFERENCE_FERRITIN, MappingProxyType({}))

    def _make_state(self, t_years: float, x: np.ndarray, c: float, b: float, ln_v: float, m: float,
                    iron_store: float, shown: Mapping[int, float]) -> State:
        p = self.params
        # The formation / resorption nodes keep their signalling values: what the pathway asks of
        # the bone cells (the review's arrows). The rates the cells deliver (State.formation,
        # .resorption) lag behind and are coupled (formation follows resorption, Komarova 2003).
        out = x.copy()
        mineral = m / p.reference_mineral
        mass = 100.0 * math.exp(ln_v) * mineral
        risk = fracture_risk_index(mass, p)
        out[self._iM] = min(mass / 200.0, 1.0)
        out[self._iK] = risk
        for i, v in shown.items():
            out[i] = v
        np.clip(out, 0.0, 1.0, out=out)
        vals = out.tolist()
        ref = self._ref_out.tolist()
        return State(
            t_years=t_years,
            activities=MappingProxyType(dict(zip(self.node_ids, vals, strict=True))),
            formation=p.turnover_pct_per_year * b,
            resorption=p.turnover_pct_per_year * c,
            bone_mass_pct=mass,
            fracture_risk=risk,
            delta_vs_reference=MappingProxyType(
                {k: v - r for k, v, r in zip(self.node_ids, vals, ref, strict=True)}),
            iron_store=iron_store,
            osteoclasts=c,
            osteoblasts=b,
            mineral=mineral,
        )

    def simulate(self, inputs: Inputs, years: float, *, dt_days: float = DEFAULT_DT_DAYS) -> Trajectory:
        """Project `years` ahead from the premenopausal reference state under `inputs`."""
        return simulate_schedule(self, [(0.0, inputs)], years, dt_days=dt_days)


def schedule_treatments(base: Inputs, starts: Iterable[tuple[str, float]]) -> list[tuple[float, Inputs]]:
    """The inputs in force over time when each treatment (id, start in years) is added to `base`
    at its start, as a lecturer ticks it at that moment of the clock: [(t, inputs), ...] from t = 0."""
    by_time: dict[float, list[str]] = {}
    for tid, t in starts:
        by_time.setdefault(float(t), []).append(tid)
    active = list(base.treatments)
    out: list[tuple[float, Inputs]] = []
    for t in sorted({0.0, *by_time}):
        active += [tid for tid in by_time.get(t, []) if tid not in active]
        out.append((t, base.replace(treatments=tuple(active))))
    return out


def simulate_schedule(model: Model, schedule: Sequence[tuple[float, Inputs]], years: float, *,
                      dt_days: float = DEFAULT_DT_DAYS) -> Trajectory:
    """Project `years` from the premenopausal reference while the inputs change over time: each
    (t, inputs) takes over at year t (the first must be at 0), exactly as the GUI's clock does with
    Simulation.set_inputs (cells, bone and the iron store carry on). Changes fall on whole steps."""
    years = _check_range("years", years, 0.0, 1000.0, "years")
    if not schedule or schedule[0][0] != 0.0:
        raise ValueError("a schedule starts with the inputs at year 0")
    times = [_check_range("start", t, 0.0, 1000.0, "years") for t, _ in schedule]
    if any(b < a for a, b in zip(times, times[1:], strict=False)):
        raise ValueError("a schedule's times must not decrease")
    sim = Simulation(model, schedule[0][1], dt_days=dt_days)
    total = _steps(years, sim.dt_days)
    parts: list[tuple[np.ndarray, ...]] = []
    for k, (_, inputs) in enumerate(schedule):
        if k:
            sim.set_inputs(inputs)
        stop = total if k + 1 == len(schedule) else min(_steps(times[k + 1], sim.dt_days), total)
        n = max(stop - sim._steps, 0)
        if n or not parts:
            rec = sim._run(n, record=True)
            assert rec is not None
            parts.append(rec if not parts else tuple(a[1:] for a in rec))
        if sim._steps >= total:
            break
    t, mass, form, res, risk = (np.concatenate(col) for col in zip(*parts, strict=True))
    return Trajectory(t_years=t, bone_mass_pct=mass, formation=form, resorption=res, fracture_risk=risk,
                      final=sim.state)


def _steps(years: float, dt_days: float) -> int:
    return int(round(years * DAYS_PER_YEAR / dt_days))


class _DriveTable:
    """Signalling tabulated over the iron activities the store will pass through, so the slow
    layer can follow a moving iron store at the cost of an interpolation per step."""

    def __init__(self, model: Model, cfg: _Config, fe_from: float) -> None:
        self.model, self.cfg = model, cfg
        a0 = iron_activity(fe_from) if cfg.iron_free else 0.0
        a1 = iron_activity(cfg.iron_target) if cfg.iron_free else 0.0
        lo, hi = min(a0, a1), max(a0, a1)
        if hi - lo < 1e-12:
            self.grid = np.array([a1])
            self.settled = 0
        else:
            self.grid = np.linspace(lo, hi, _GRID)
            self.settled = 0 if a1 == lo else _GRID - 1
            self.grid[self.settled] = a1  # the settled end is exact, not interpolated
        self.x = model._solve(cfg, self.grid)
        self.u_c, self.u_b, self.u_k = (np.array(v) for v in zip(*(model.cell_drives(row) for row in self.x),
                                                                 strict=True))

    def drives(self, iron_acts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self.grid.size == 1:
            return tuple(np.full(iron_acts.shape, v[0]) for v in (self.u_c, self.u_b, self.u_k))  # type: ignore[return-value]
        return tuple(np.interp(iron_acts, self.grid, v) for v in (self.u_c, self.u_b, self.u_k))  # type: ignore[return-value]

    def activities(self, iron_act: float) -> np.ndarray:
        g = self.grid
        if g.size == 1:
            return self.x[0]
        if iron_act <= g[0]:
            return self.x[0]
        if iron_act >= g[-1]:
            return self.x[-1]
        j = int(np.searchsorted(g, iron_act)) - 1
        w = (iron_act - g[j]) / (g[j + 1] - g[j])
        return self.x[j] * (1.0 - w) + self.x[j + 1] * w


class Simulation:
    """The model running in time for the GUI: a fixed-step clock (frame-rate independent and
    reproducible), exact exponential updates of the cells, the iron store and its signalling."""

    def __init__(self, model: Model, inputs: Inputs, *, dt_days: float = DEFAULT_DT_DAYS) -> None:
        if not (isinstance(dt_days, (int, float)) and math.isfinite(dt_days) and 0.01 <= dt_days <= 60):
            raise ValueError(f"dt_days must be between 0.01 and 60 days (got {dt_days!r})")
        self.model = model
        self.dt_days = float(dt_days)
        p = model.params
        self._e_c = math.exp(-self.dt_days / p.tau_osteoclast_days)
        self._e_b = math.exp(-self.dt_days / p.tau_osteoblast_days)
        self._e_fe = math.exp(-self.dt_days / p.iron_tau_days)
        self._e_fe_half = math.exp(-0.5 * self.dt_days / p.iron_tau_days)
        self._k = self.dt_days * p.turnover_pct_per_year / 100.0 / DAYS_PER_YEAR
        self._kappa = self.dt_days * p.mineralisation_per_year / DAYS_PER_YEAR
        self._inputs = inputs
        self._cfg = model._compile(inputs)
        self.reset()

    @property
    def inputs(self) -> Inputs:
        return self._inputs

    @property
    def state(self) -> State:
        return self._state

    @property
    def t_years(self) -> float:
        return self._steps * self.dt_days / DAYS_PER_YEAR

    def reset(self) -> State:
        """Back to t = 0 at the premenopausal reference; the current inputs stay."""
        self._steps = 0
        self._pending = 0.0
        self._c = self._b = 1.0
        self._ln_v = 0.0
        self._m = self.model.params.reference_mineral
        self._fe = REFERENCE_FERRITIN
        self._table = _DriveTable(self.model, self._cfg, self._fe)
        self._state = self._current_state()
        return self._state

    def set_inputs(self, inputs: Inputs) -> State:
        """New targets from now on: the clock, cells, bone and iron store carry on."""
        cfg = self.model._compile(inputs)  # validates first: a bad input changes nothing
        self._inputs, self._cfg = inputs, cfg
        self._table = _DriveTable(self.model, cfg, self._fe)
        self._state = self._current_state()
        return self._state

    def advance(self, days: float) -> State:
        """Advance the clock by `days` (whole steps; the remainder carries to the next call)."""
        if not (isinstance(days, (int, float)) and math.isfinite(days) and days >= 0):
            raise ValueError(f"days must be a finite number >= 0 (got {days!r})")
        total = self._pending + float(days)
        n = int(total / self.dt_days + 1e-9)
        self._pending = max(total - n * self.dt_days, 0.0)
        if n:
            self._run(n, record=False)
        return self._state

    def _iron_path(self, n: int) -> tuple[np.ndarray, float]:
        """Iron activity at the middle of each of the next n steps, and the store after them."""
        target = self._cfg.iron_target
        decay = self._e_fe ** np.arange(n)
        gap = self._fe - target
        mid = target + gap * decay * self._e_fe_half
        end = target + gap * self._e_fe ** n
        if abs(end - target) < 1e-6:  # a millionth of a µg/L: settled, use the exact solve
            end = target
        return iron_activity(mid), end

    def _drive_lists(self, n: int) -> tuple[list[float], list[float], list[float], float]:
        """Cell drives for each of the next n steps (iron at mid-step) and the store after them."""
        acts, fe_end = self._iron_path(n)
        table = self._table
        if self._cfg.iron_free and self._fe != self._cfg.iron_target:
            u_c, u_b, u_k = table.drives(acts)
            return u_c.tolist(), u_b.tolist(), u_k.tolist(), fe_end
        j = table.settled  # settled (or clamped): the exact solve, no interpolation
        return ([float(table.u_c[j])] * n, [float(table.u_b[j])] * n, [float(table.u_k[j])] * n, fe_end)

    def _run(self, n: int, *, record: bool) -> tuple[np.ndarray, ...] | None:
        """n fixed steps of the cell layer: exact exponential updates for osteoclasts (constant
        drive over a step), osteoblasts (target from the step's coupling signal and the bone volume
        at its start) and the mineral content (at the mid-step formation rate), and the trapezoidal
        rule for ln V. Errors against 1-day steps are below 0.01 % bone mass."""
        u_cs, u_bs, u_ks, fe_end = self._drive_lists(n)
        p = self.model.params
        e_c, e_b, k, kappa = self._e_c, self._e_b, self._k, self._kappa
        gamma, mu = p.coupling, p.uncoupled
        a, steep, disuse = p.mechanostat_gain, p.mechanostat_steepness, p.disuse_exponent
        m0 = p.primary_mineral
        exp = math.exp
        c, b, ln_v, m = self._c, self._b, self._ln_v, self._m
        t0 = self._steps
        if record:
            turn = p.turnover_pct_per_year
            lnv_rec, m_rec, b_rec, c_rec = [ln_v], [m], [b], [c]
        for u, ub, uk in zip(u_cs, u_bs, u_ks, strict=True):
            c1 = u + (c - u) * e_c
            # mechanostat(ln_v, p), inlined: this loop runs ~1500 times per 30-year projection
            mech = (1.0 + a) / (1.0 + a * exp(steep * ln_v)) if ln_v <= 0.0 else exp(-disuse * ln_v)
            bt = ub * mech * ((1.0 - mu) * uk ** gamma + mu)
            b1 = bt + (b - bt) * e_b
            bm = 0.5 * (b + b1)
            ln_v += k * (bm - 0.5 * (c + c1))
            if ln_v < -60.0:  # numerical guard only; no calibrated input comes near it
                ln_v = -60.0
            f = k * bm  # the share of bone renewed in this step
            m_star = (f * m0 + kappa) / (f + kappa)
            m = m_star + (m - m_star) * exp(-(f + kappa))
            c, b = c1, b1
            if record:
                lnv_rec.append(ln_v)
                m_rec.append(m)
                b_rec.append(b)
                c_rec.append(c)
        self._c, self._b, self._ln_v, self._m = c, b, ln_v, m
        self._fe = fe_end
        self._steps += n
        self._state = self._current_state()
        if not record:
            return None
        t = (t0 + np.arange(n + 1)) * (self.dt_days / DAYS_PER_YEAR)
        mass = 100.0 * np.exp(np.array(lnv_rec)) * np.array(m_rec) / p.reference_mineral
        z = np.clip((mass - p.fracture_mid_pct) / p.fracture_scale_pct, -700.0, 700.0)
        risk = 1.0 / (1.0 + np.exp(z))
        return t, mass, turn * np.array(b_rec), turn * np.array(c_rec), risk

    def answered_rates(self) -> tuple[float, float]:
        """(formation, resorption) in % of bone volume per year once the osteoclasts have answered
        the current inputs. They do within days (`tau_osteoclast_days`, well under a month, the
        finest step a person takes through time here), while formation keeps its lag of months:
        right after a change at year 0 this is what the new inputs already do to the balance."""
        u_c = self._drive_lists(1)[0][0]
        turnover = self.model.params.turnover_pct_per_year
        return turnover * self._b, turnover * u_c

    def project(self, years: float) -> Trajectory:
        """What would happen over the next `years` under the current inputs (the dashed line of
        the bone-mass plot); the simulation itself does not move."""
        years = _check_range("years", years, 0.0, 1000.0, "years")
        clone = copy.copy(self)
        rec = clone._run(_steps(years, self.dt_days), record=True)
        assert rec is not None
        return Trajectory(t_years=rec[0], bone_mass_pct=rec[1], formation=rec[2], resorption=rec[3],
                          fracture_risk=rec[4], final=clone.state)

    def _current_state(self) -> State:
        cfg = self._cfg
        if cfg.iron_free and self._fe != cfg.iron_target:
            x = self._table.activities(iron_activity(self._fe))
        else:
            x = self._table.x[self._table.settled]
        return self.model._make_state(self.t_years, x, self._c, self._b, self._ln_v, self._m, self._fe,
                                      cfg.shown)
