"""The carry-over model: how long a session's protection lasts, and when to book the next one.

Each session adds protection that decays exponentially with half-life h (days):

    P_t(h) = Σ_{sessions s, t_s ≤ t} exp(−ln 2 · (t − t_s) / h)
    logit Pr(headache on day t) = α + β · P_t(h)

β < 0 means protection. For each h on a grid the model is a logistic regression in α, β
(fitted by Newton–Raphson); h is estimated by maximising the profile log-likelihood, and its
95% interval is the set of h whose profile deviance is within χ²₁(0.95) = 3.84 of the best.
When that set reaches either end of the grid, or β's interval includes 0, the data cannot
identify the half-life, and the result says so instead of reporting a number.

From the fit: after the last session protection falls to ``share`` of its value by
``h · log2(1/share)`` days — the "book the next session by" date, with its interval.
A before/after design: the non-specific response and regression to the mean also lower the
headache rate after sessions start, and the model credits them to the sessions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.signal import lfilter

from acurelief.errors import InsufficientData

Float = NDArray[np.float64]
CHI2_1_95 = 3.841458820694124
DEFAULT_GRID = tuple(float(h) for h in np.geomspace(1.0, 365.0, 40))
MIN_DAYS = 56
MIN_SESSIONS = 2


def protection(days: Float, sessions: Float, half_life: float) -> Float:
    """P_t for each day (days and sessions on the same day axis)."""
    lag = days[:, None] - sessions[None, :]
    decay = np.where(lag >= 0, np.exp(-math.log(2) * np.maximum(lag, 0) / half_life), 0.0)
    result: Float = decay.sum(axis=1)
    return result


def protection_by_day(session_counts: Float, half_life: float) -> Float:
    """P_t on every day 0, 1, … of an axis on which sessions fall on whole days.

    The same sum as ``protection``, written as its first-order recursion
    P_t = r·P_{t−1} + n_t with r = 2^(−1/h) and n_t the sessions on day t: one pass over the
    days (a linear filter) instead of an exponential per day and session.
    """
    ratio = 2.0 ** (-1.0 / half_life)
    result: Float = lfilter([1.0], [1.0, -ratio], session_counts)
    return result


def _exposures(days: Float, sessions: Float, grid: Sequence[float]) -> list[Float]:
    """P_t on the recorded days for each half-life of the grid; by the recursion when the
    sessions fall on whole days (they do, from a diary), else by the direct sum."""
    if not np.all(sessions == np.round(sessions)):
        return [protection(days, sessions, h) for h in grid]
    origin = int(min(0.0, sessions.min()))
    counts = np.bincount((sessions - origin).astype(np.intp)).astype(np.float64)
    length = max(int(days.max()) - origin + 1, counts.size)
    counts = np.pad(counts, (0, length - counts.size))
    on_days = (days - origin).astype(np.intp)
    return [protection_by_day(counts, h)[on_days] for h in grid]


def fit_logistic(
    x: Float, y: Float, start: Float | None = None, iterations: int = 50
) -> tuple[float, float, float, Float]:
    """α, β and the log-likelihood of logit Pr(y) = α + βx; returns the 2×2 covariance too.

    Newton's method with the 2×2 information written out (this runs for every half-life on
    the grid, for every patient); ``start`` warm-starts it from a neighbouring half-life."""
    if start is None:
        mean = float(y.mean())
        start = np.array([math.log((mean + 1e-9) / (1 - mean + 1e-9)), 0.0])
    a, b = float(start[0]), float(start[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(a + b * x, -30, 30)))
        w = np.maximum(p * (1 - p), 1e-12)
        s0, s1, s2 = float(w.sum()), float(w @ x), float(w @ (x * x))
        r = y - p
        g0, g1 = float(r.sum()), float(r @ x)
        det = s0 * s2 - s1 * s1
        if det <= 1e-12:
            break
        da, db = (s2 * g0 - s1 * g1) / det, (s0 * g1 - s1 * g0) / det
        largest = max(abs(da), abs(db))
        if largest > 5:  # damp the step: near-separated data would otherwise diverge
            da, db = da * 5 / largest, db * 5 / largest
        a, b = a + da, b + db
        if max(abs(da), abs(db)) < 1e-10:
            break
    eta = np.clip(a + b * x, -30, 30)
    loglik = float(np.sum(y * eta - np.logaddexp(0, eta)))
    p = 1 / (1 + np.exp(-eta))
    w = np.maximum(p * (1 - p), 1e-12)
    s0, s1, s2 = float(w.sum()), float(w @ x), float(w @ (x * x))
    det = s0 * s2 - s1 * s1
    cov = np.array([[s2, -s1], [-s1, s0]]) / det if det > 1e-12 else np.full((2, 2), np.inf)
    return a, b, loglik, cov


@dataclass
class CarryOverFitter:
    """``CarryOverFitter(alpha=0.05).fit(headache, recorded, session_days)``.

    Fitted attributes end in ``_``: ``half_life_``, ``half_life_interval_``, ``effect_``
    (β), ``effect_interval_``, ``identified_``, ``profile_`` (h, log-likelihood) and
    ``warnings_``.
    """

    alpha: float = 0.05
    grid: Sequence[float] = DEFAULT_GRID
    half_life_: float = field(default=math.nan, init=False)
    half_life_interval_: tuple[float, float] = field(default=(math.nan, math.nan), init=False)
    effect_: float = field(default=math.nan, init=False)
    effect_interval_: tuple[float, float] = field(default=(math.nan, math.nan), init=False)
    baseline_logit_: float = field(default=math.nan, init=False)
    identified_: bool = field(default=False, init=False)
    profile_: list[tuple[float, float]] = field(default_factory=list, init=False)
    warnings_: list[str] = field(default_factory=list, init=False)
    n_days_: int = field(default=0, init=False)
    n_sessions_: int = field(default=0, init=False)
    last_session_: float = field(default=math.nan, init=False)

    def fit(
        self, headache: NDArray[np.bool_], recorded: NDArray[np.bool_], session_days: Sequence[int]
    ) -> CarryOverFitter:
        """``headache``/``recorded`` per day (day 0 = the first diary day); sessions as day
        indices on the same axis."""
        days = np.flatnonzero(recorded).astype(np.float64)
        y = headache[recorded.astype(bool)].astype(np.float64)
        sessions = np.array(sorted(session_days), dtype=np.float64)
        self.n_days_, self.n_sessions_ = len(days), len(sessions)
        if len(days) < MIN_DAYS or len(sessions) < MIN_SESSIONS:
            raise InsufficientData(
                f"the carry-over model needs {MIN_DAYS} recorded days and "
                f"{MIN_SESSIONS} sessions; there are {len(days)} and "
                f"{len(sessions)}"
            )
        if y.min() == y.max():
            raise InsufficientData("every recorded day is the same (all or no headache)")
        fits = []
        start: Float | None = None
        for h, exposure in zip(self.grid, _exposures(days, sessions, self.grid), strict=True):
            fitted = fit_logistic(exposure, y, start)
            start = np.array(fitted[:2])
            fits.append((h, fitted))
        self.profile_ = [(h, f[2]) for h, f in fits]
        best = max(range(len(fits)), key=lambda i: fits[i][1][2])
        h, (a, b, loglik, _cov) = fits[best]
        inside = [hh for hh, ll in self.profile_ if 2 * (loglik - ll) <= CHI2_1_95]
        self.half_life_, self.half_life_interval_ = h, (min(inside), max(inside))
        self.effect_, self.effect_interval_ = b, self._effect_interval(fits, loglik)
        self.baseline_logit_ = a
        self.last_session_ = float(sessions[-1])
        self._judge()
        return self

    def _effect_interval(
        self, fits: list[tuple[float, tuple[float, float, float, Float]]], best: float
    ) -> tuple[float, float]:
        """Profile interval for β with h profiled out: at each h the log-likelihood in β is
        taken as quadratic around that h's fit, and β's profile is the best over h."""
        from scipy.stats import chi2

        cut = float(chi2.ppf(1 - self.alpha, 1)) / 2
        usable = [f for _, f in fits if np.isfinite(f[3][1, 1]) and abs(f[1]) < 50]
        if not usable:
            return math.nan, math.nan
        centres = np.array([f[1] for f in usable])
        ses = np.sqrt(np.array([max(f[3][1, 1], 1e-12) for f in usable]))
        logliks = np.array([f[2] for f in usable])
        spread = 6 * float(ses.max())
        betas = np.linspace(centres.min() - spread, centres.max() + spread, 801)
        profile = (
            logliks[None, :] - (betas[:, None] - centres[None, :]) ** 2 / (2 * ses[None, :] ** 2)
        ).max(axis=1)
        inside = betas[best - profile <= cut]
        if len(inside) == 0:
            return math.nan, math.nan
        return float(inside.min()), float(inside.max())

    def _judge(self) -> None:
        low, high = self.half_life_interval_
        edges = low <= self.grid[0] or high >= self.grid[-1]
        low_b, high_b = self.effect_interval_
        no_effect = math.isnan(low_b) or low_b <= 0 <= high_b
        self.identified_ = not edges and not no_effect and self.effect_ < 0
        if no_effect:
            self.warnings_.append(
                "the sessions' effect on headache days is not distinguishable "
                "from none (its interval includes 0)"
            )
        if edges:
            self.warnings_.append(
                f"the half-life is not identified: its interval "
                f"({low:.1f}–{high:.1f} days) reaches the edge of what was "
                "searched; more sessions or a longer diary are needed"
            )

    def book_by(self, share: float = 0.5) -> tuple[float, float, float]:
        """Days after the last session when protection falls to ``share`` of its level then:
        (estimate, low, high). NaN when the half-life is not identified."""
        if not 0 < share < 1:
            raise ValueError("share must be between 0 and 1")
        if not self.identified_:
            return math.nan, math.nan, math.nan
        factor = math.log2(1 / share)
        low, high = self.half_life_interval_
        return self.half_life_ * factor, low * factor, high * factor
