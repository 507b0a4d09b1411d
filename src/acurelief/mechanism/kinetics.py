"""Opioid (endorphin) kinetics within a session and the serotonergic tone across days.

Within a session, on a grid of minutes, for two peptide channels c — μ/δ (enkephalin,
β-endorphin, released by low-frequency and manual stimulation) and κ (dynorphin, released
by high-frequency stimulation) (clinical-facts §4, Han):

    release_c = k_rel · d_c(t) · P_c                    d_c: the stimulus drive
    dP_c/dt   = −release_c + k_refill · (1 − P_c)        P_c: releasable pool, 0–1
    dE_c/dt   = release_c − k_el · E_c                   E_c: opioid tone
    dT/dt     = k_tol · (d_μ + d_κ) · (1 − T) − k_rec · T    T: tolerance, 0–1

    a_c = E_c / (EC50 + E_c)
    analgesia = A_max · (1 − (1 − a_μ)(1 − a_κ)) · (1 − T) · (1 − s · depletion)

The pool makes the tone rise and then fall under continuous stimulation (peak near 30 min
with the defaults); after the needles come out the tone decays exponentially with
k_el = ln 2 / t½. Each channel has its own releasable pool, so alternating 2/100 Hz, which
drives both, releases more in all and beats either frequency alone (the saturating,
independent response adds a little to that). Tolerance acts on the
response, not the release (CCK-8 antagonises EA analgesia and gives cross-tolerance to
morphine, clinical-facts §4) and builds only under hours of stimulation. ``s`` is the
serotonergic share of acute analgesia, which 5-HT depletion removes.

Across days the serotonergic tone has a fast and a slow component, each fed a share of
every session's dose and each decaying by its own half-life:
``S_t = F_t + L_t``, ``F_t = F_{t−1} · exp(−ln 2 / t½_S) + (1 − w) · dose_t``,
``L_t = L_{t−1} · exp(−ln 2 / t½_L) + w · dose_t``. With ``w = 0`` it is the single
half-life tone ``S_t = S_{t−1} · exp(−ln 2 / t½_S) + dose_t``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from acurelief.domain import Stimulation, StimulationKind
from acurelief.mechanism.parameters import Kinetics, Validated, param

STEP_MIN = 0.25
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True, kw_only=True)
class StimulusResponse(Validated):
    """How strongly each kind of stimulation drives each channel (1 = strong 2 Hz EA)."""

    manual_drive: float = param(0.85, "relative drive", "assumed: manual ≈ low-frequency")
    sham_drive: float = param(0.15, "relative drive", "assumed: minimal/superficial needling")
    crossover_hz: float = param(
        15.0,
        "Hz",
        "assumed: 2 Hz → μ/δ peptides, 100 Hz → dynorphin (clinical-facts §4)",
        low=0,
        low_open=True,
    )
    serotonergic_gain: float = param(
        1.0, "tone per session", "assumed: sets the tone's scale; β is calibrated against it"
    )


@dataclass(frozen=True, slots=True)
class Drive:
    """The stimulus drive on the μ/δ and κ channels while the needles are in."""

    mu: float
    kappa: float

    @property
    def total(self) -> float:
        return self.mu + self.kappa


def frequency_drive(hz: float, response: StimulusResponse) -> Drive:
    """Drive of electro-acupuncture at ``hz``: low frequencies → μ/δ, high → κ."""
    if not hz > 0:
        raise ValueError(f"an electro frequency must be above 0 Hz, got {hz}")
    low = 1.0 / (1.0 + (hz / response.crossover_hz) ** 2)
    return Drive(mu=low, kappa=1.0 - low)


def drive_of(stimulation: Stimulation, response: StimulusResponse) -> Drive:
    """The drive of a session's stimulation; alternating frequencies share the time."""
    if stimulation.kind is StimulationKind.MANUAL:
        return Drive(mu=response.manual_drive, kappa=0.0)
    if stimulation.kind is StimulationKind.SHAM_MINIMAL:
        return Drive(mu=response.sham_drive, kappa=0.0)
    drives = [frequency_drive(f, response) for f in stimulation.frequencies_hz]
    return Drive(
        mu=sum(d.mu for d in drives) / len(drives),
        kappa=sum(d.kappa for d in drives) / len(drives),
    )


@dataclass(frozen=True)
class OpioidCourse:
    """The tone, tolerance and analgesia on a minute grid from the start of needling."""

    minutes: FloatArray
    tone_mu: FloatArray
    tone_kappa: FloatArray
    tolerance: FloatArray
    analgesia: FloatArray

    def at(self, minute: float) -> float:
        """Analgesia (fraction of pain removed) at ``minute`` after needling began."""
        return float(np.interp(minute, self.minutes, self.analgesia))


def analgesia_of(
    tone_mu: FloatArray, tone_kappa: FloatArray, tolerance: FloatArray, kin: Kinetics
) -> FloatArray:
    a_mu = tone_mu / (kin.ec50 + tone_mu)
    a_kappa = tone_kappa / (kin.ec50 + tone_kappa)
    blocked = kin.serotonergic_share_of_analgesia * kin.serotonin_depletion
    combined = 1 - (1 - a_mu) * (1 - a_kappa)
    result: FloatArray = kin.max_analgesia * combined * (1 - tolerance) * (1 - blocked)
    return result


def opioid_course(
    drive: Drive, needling_min: float, total_min: float, kin: Kinetics
) -> OpioidCourse:
    """Integrate the session equations (exact exponential steps of ``STEP_MIN``)."""
    if needling_min < 0 or total_min <= 0:
        raise ValueError("needling and observation times must be positive")
    steps = math.ceil(total_min / STEP_MIN) + 1
    t: FloatArray = np.arange(steps, dtype=np.float64) * STEP_MIN
    pool = np.ones(2)
    tone = np.zeros(2)
    tol = 0.0
    drives = np.array([drive.mu, drive.kappa])
    out: FloatArray = np.zeros((steps, 3))
    for i in range(1, steps):
        on = t[i - 1] < needling_min
        d = drives if on else np.zeros(2)
        rate = kin.release_rate * d
        released = pool * (1 - np.exp(-rate * STEP_MIN))
        pool = pool - released
        pool = 1 - (1 - pool) * math.exp(-kin.refill_rate * STEP_MIN)
        tone = tone * math.exp(-kin.opioid_elimination * STEP_MIN) + released
        tol_in = kin.tolerance_rate * float(d.sum())
        k = tol_in + kin.tolerance_recovery
        target = tol_in / k
        tol = target + (tol - target) * math.exp(-k * STEP_MIN)
        out[i] = (tone[0], tone[1], tol)
    analgesia = analgesia_of(out[:, 0], out[:, 1], out[:, 2], kin)
    return OpioidCourse(t, out[:, 0], out[:, 1], out[:, 2], analgesia)


@lru_cache(maxsize=64)
def cached_course(
    drive: Drive, needling_min: float, total_min: float, kin: Kinetics
) -> OpioidCourse:
    return opioid_course(drive, needling_min, total_min, kin)


def session_dose(
    drive: Drive, needling_min: float, response: StimulusResponse, kin: Kinetics
) -> float:
    """Serotonergic tone added by one session: drive × time, scaled to a 30-minute session."""
    return (
        response.serotonergic_gain
        * drive.total
        * (needling_min / 30.0)
        * (1 - kin.serotonin_depletion)
    )


def _decayed_sum(doses: FloatArray, decay: float) -> FloatArray:
    """``L_t = L_{t−1}·decay + dose_t`` along the last axis (days)."""
    tone = np.empty_like(doses)
    level = np.zeros(doses.shape[:-1])
    for day in range(doses.shape[-1]):
        level = level * decay + doses[..., day]
        tone[..., day] = level
    return tone


def serotonergic_tone(doses: FloatArray, kin: Kinetics) -> FloatArray:
    """Daily tone from daily doses (last axis = days): a fast and a slow component.

    ``F_t = F_{t−1}·decay_fast + (1 − w)·dose_t``, ``L_t = L_{t−1}·decay_slow + w·dose_t``,
    ``S_t = F_t + L_t`` with ``w`` the slow share; ``w = 0`` is the single-half-life tone
    ``S_t = S_{t−1}·decay + dose_t`` exactly.
    """
    share = kin.serotonergic_slow_share
    fast = _decayed_sum(doses * (1.0 - share), kin.serotonergic_decay_per_day)
    if share == 0.0:
        return fast
    slow = _decayed_sum(doses * share, kin.serotonergic_slow_decay_per_day)
    result: FloatArray = fast + slow
    return result
