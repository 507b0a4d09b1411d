"""Figures of the mechanism model, and the generated parts of docs/mechanism.md.

Run: .venv/bin/python scripts/plot_mechanism.py

Writes five PNG figures to docs/img/ and rewrites three generated blocks of
docs/mechanism.md, each between a pair of marker lines:

- ``<!-- parameters:start -->`` … ``<!-- parameters:end -->``: every model parameter with
  its value, unit and source (``rows()`` of each parameter class, the four headache
  profiles and the two calibrated non-specific levels);
- ``<!-- calibration:start -->`` … ``<!-- calibration:end -->``: the calibration targets,
  the fitted values and rates stored in docs/mechanism-calibration.json, and the rates
  of this script's own virtual trials;
- ``<!-- numbers:start -->`` … ``<!-- numbers:end -->``: the key numbers the figures show.

Deterministic: every random number comes from a fixed seed. Prints each file it writes.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from acurelief.domain import Stimulation, StimulationKind
from acurelief.mechanism import kinetics
from acurelief.mechanism.cohort import Model
from acurelief.mechanism.kinetics import StimulusResponse
from acurelief.mechanism.parameters import Kinetics
from acurelief.mechanism.profiles import PROFILES, HeadacheType, NonSpecific, Population
from acurelief.mechanism.schedule import Schedule
from acurelief.mechanism.trial import Arm, ArmResult, Blinding, TrialDesign
from acurelief.mechanism.trial import run_arm as run_trial_arm

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
DOC = ROOT / "docs" / "mechanism.md"
CALIBRATION = ROOT / "docs" / "mechanism-calibration.json"

DPI = 130
N_PER_ARM = 3000
FOLLOW_DAYS = 140
PRIMARY = (56, 84)  # weeks 9–12 after the first session (ART; clinical-facts §1.3)
WINDOWS = ((-28, 0), (0, 28), (28, 56), (56, 84), (84, 112), (112, 140))
# One seed per arm, so the arms of a virtual trial are independent samples. The acupuncture
# arm uses the same seed in both designs (the same virtual patients, a different
# non-specific level) and in the "no specific effect" run of the components figure.
ARM_SEEDS = {Arm.ACUPUNCTURE: 1001, Arm.USUAL_CARE: 1002, Arm.SHAM: 1003}
DESIGNS = {
    Blinding.OPEN: (Arm.ACUPUNCTURE, Arm.USUAL_CARE),
    Blinding.SHAM_CONTROLLED: (Arm.ACUPUNCTURE, Arm.SHAM),
}
ARM_STYLE = {
    Arm.ACUPUNCTURE: ("tab:blue", "o", "acupuncture"),
    Arm.USUAL_CARE: ("dimgray", "s", "usual care"),
    Arm.SHAM: ("tab:orange", "^", "sham / minimal"),
}
DESIGN_TITLE = {
    Blinding.OPEN: "Open design: acupuncture vs usual care",
    Blinding.SHAM_CONTROLLED: "Sham-controlled design: acupuncture vs sham",
}

MANUAL = Stimulation(kind=StimulationKind.MANUAL)
SESSION_STIMULATIONS: tuple[tuple[str, Stimulation, str, str], ...] = (
    ("manual", MANUAL, "tab:green", "-"),
    ("2 Hz electro", Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=(2.0,)), "C0", "-"),
    (
        "100 Hz electro",
        Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=(100.0,)),
        "tab:purple",
        "--",
    ),
    (
        "2/100 Hz electro",
        Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=(2.0, 100.0)),
        "tab:red",
        "-",
    ),
    ("sham / minimal", Stimulation(kind=StimulationKind.SHAM_MINIMAL), "dimgray", ":"),
)


@dataclass(frozen=True)
class Number:
    """One key number a figure shows, for the printed summary and the docs."""

    figure: str
    quantity: str
    value: str


Trials = Mapping[Blinding, Mapping[Arm, ArmResult]]


def save(fig: Figure, name: str) -> Path:
    path = IMG / name
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


# --- a. one session -------------------------------------------------------------------


def plot_session_analgesia(numbers: list[Number]) -> Path:
    kin, response = Kinetics(), StimulusResponse()
    needling, total = 30.0, 180.0
    fig, ax = plt.subplots(figsize=(8.5, 5.0), layout="constrained")
    ax.axvspan(0, needling, color="gold", alpha=0.25, lw=0, label="needles in (30 min)")
    top = 0.0
    for name, stimulation, colour, style in SESSION_STIMULATIONS:
        course = kinetics.opioid_course(
            kinetics.drive_of(stimulation, response), needling, total, kin
        )
        peak = int(np.argmax(course.analgesia))
        peak_min, peak_value = float(course.minutes[peak]), float(course.analgesia[peak])
        top = max(top, peak_value)
        label = f"{name}: peak {peak_value:.2f} at {peak_min:.0f} min"
        ax.plot(course.minutes, course.analgesia, color=colour, ls=style, lw=2, label=label)
        numbers.append(
            Number(
                "session_analgesia",
                f"{name}: peak analgesia, minute; at 60 and 120 min",
                f"{peak_value:.3f} at {peak_min:g} min; {course.at(60):.3f}; {course.at(120):.3f}",
            )
        )
    half_life = kin.opioid_half_life_min
    ax.axvline(needling + half_life, color="black", ls="--", lw=1)
    ax.annotate(
        f"needles out + opioid t½ = {half_life:g} min\n"
        "(β-endorphin plasma t½, a stand-in:\n"
        "acupuncture's own decay half-life is NOT FOUND)",
        xy=(needling + half_life, 0.64 * top),
        xytext=(needling + half_life + 4, 0.64 * top),
        va="center",
        fontsize=9,
    )
    ax.set_xlim(0, total)
    ax.set_ylim(0, top * 1.12)
    ax.set_xticks(np.arange(0, total + 1, 15))
    ax.set_xlabel("minutes after needling began")
    ax.set_ylabel("analgesia (fraction of pain removed)")
    ax.set_title("One 30-minute session: opioid analgesia by kind of stimulation")
    ax.legend(loc="upper right", fontsize=9)
    ax.grid(alpha=0.3)
    return save(fig, "session_analgesia.png")


# --- b. continuous stimulation and tolerance ------------------------------------------


def plot_continuous_and_tolerance(numbers: list[Number]) -> Path:
    kin, response = Kinetics(), StimulusResponse()
    minutes = 360.0
    drive = kinetics.drive_of(SESSION_STIMULATIONS[1][1], response)
    with_tol = kinetics.opioid_course(drive, minutes, minutes, kin)
    without = kinetics.opioid_course(
        drive, minutes, minutes, dataclasses.replace(kin, tolerance_rate=0.0)
    )
    fig, ax = plt.subplots(figsize=(8.5, 5.0), layout="constrained")
    ax.plot(with_tol.minutes, with_tol.analgesia, color="C0", lw=2, label="analgesia")
    ax.plot(
        without.minutes,
        without.analgesia,
        color="C0",
        ls="--",
        lw=1.5,
        label="analgesia without tolerance (tolerance_rate = 0)",
    )
    peak = int(np.argmax(with_tol.analgesia))
    peak_min, peak_value = float(with_tol.minutes[peak]), float(with_tol.analgesia[peak])
    ax.plot([peak_min], [peak_value], "o", color="C0", ms=7)
    ax.annotate(
        f"peak {peak_value:.2f} at {peak_min:g} min",
        xy=(peak_min, peak_value),
        xytext=(peak_min + 25, peak_value * 0.97),
        arrowprops={"arrowstyle": "->", "lw": 1},
        fontsize=9,
    )
    ax.set_xlim(0, minutes)
    ax.set_ylim(0, peak_value * 1.15)
    ax.set_xticks(np.arange(0, minutes + 1, 30))
    ax.set_xlabel("minutes of continuous 2 Hz electro-acupuncture")
    ax.set_ylabel("analgesia (fraction of pain removed)", color="C0")
    ax.grid(alpha=0.3)
    right = ax.twinx()
    right.plot(
        with_tol.minutes, with_tol.tolerance, color="tab:red", ls=":", lw=2, label="tolerance T"
    )
    right.set_ylim(0, 1)
    right.set_ylabel("tolerance T (0–1)", color="tab:red")
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper right", fontsize=9)
    ax.set_title("Six hours of continuous stimulation: the pool runs down, tolerance builds")
    no_tol_peak = float(without.minutes[int(np.argmax(without.analgesia))])
    numbers += [
        Number(
            "continuous_and_tolerance",
            "peak minute (with / without tolerance)",
            f"{peak_min:g} / {no_tol_peak:g} min",
        ),
        Number(
            "continuous_and_tolerance",
            "analgesia at 6 h (with / without tolerance)",
            f"{with_tol.analgesia[-1]:.3f} / {without.analgesia[-1]:.3f}",
        ),
        Number(
            "continuous_and_tolerance",
            "tolerance T at 30 min / 6 h",
            f"{with_tol.tolerance[int(30 / kinetics.STEP_MIN)]:.3f} / {with_tol.tolerance[-1]:.2f}",
        ),
    ]
    return save(fig, "continuous_and_tolerance.png")


# --- c. serotonergic tone over a course -----------------------------------------------


def serotonergic_course(schedule: Schedule, days: int) -> NDArray[np.float64]:
    kin, response = Kinetics(), StimulusResponse()
    dose = kinetics.session_dose(
        kinetics.drive_of(schedule.stimulation, response),
        schedule.needling_minutes,
        response,
        kin,
    )
    doses = np.zeros(days)
    doses[list(schedule.session_days)] = dose
    return kinetics.serotonergic_tone(doses, kin)


def plot_serotonergic_course(numbers: list[Number]) -> Path:
    days = 420
    beta = Population().specific_response_mean
    courses = (
        ("12 sessions over 8 weeks (ART)", Schedule.evenly(12, 8), "C0", "-"),
        ("twice weekly × 12 (6 weeks)", Schedule.evenly(12, 6), "tab:red", "--"),
        ("weekly × 6", Schedule.evenly(6, 6), "tab:green", "-."),
    )
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(8.5, 7.0), sharex=True, layout="constrained", height_ratios=(1, 1)
    )
    t = np.arange(days)
    for ax in (top, bottom):
        ax.axvspan(*PRIMARY, color="gold", alpha=0.2, lw=0)
        ax.grid(alpha=0.3)
    for i, (name, schedule, colour, style) in enumerate(courses):
        tone = serotonergic_course(schedule, days)
        multiplier = np.exp(-beta * tone)
        top.plot(t, tone, color=colour, ls=style, lw=2, label=name)
        top.plot(
            schedule.session_days,
            np.full(len(schedule.session_days), -0.35 - 0.3 * i),
            "|",
            color=colour,
            ms=7,
        )
        bottom.plot(t, multiplier, color=colour, ls=style, lw=2, label=name)
        window = slice(*PRIMARY)
        numbers.append(
            Number(
                "serotonergic_course",
                f"{name}: peak tone (day); mean exp(−β·S) in weeks 9–12",
                f"{tone.max():.2f} (day {int(tone.argmax())}); {multiplier[window].mean():.3f}",
            )
        )
        last = schedule.last_day
        numbers.append(
            Number(
                "serotonergic_course",
                f"{name}: tone 12 weeks / 12 months after the last session, share of its peak",
                f"{tone[last + 84] / tone[last]:.2f} / {tone[last + 365] / tone[last]:.2f}",
            )
        )
    top.text(PRIMARY[0] + 1, 0.2, "weeks 9–12\n(primary window)", fontsize=8, va="bottom")
    peak = max(line.get_ydata().max() for line in top.get_lines())
    top.set_ylim(-0.35 - 0.3 * len(courses), peak * 1.12)
    top.set_yticks(np.arange(0, peak * 1.12, 1.0))
    top.set_ylabel("serotonergic tone S (tone units)")
    top.set_title("Serotonergic tone over a course (manual needling, 30 min; ticks = sessions)")
    top.legend(loc="upper right", fontsize=9)
    bottom.axhline(1.0, color="black", lw=0.8)
    bottom.set_ylabel("hazard multiplier exp(−β·S)")
    bottom.set_xlabel("days from the first session")
    bottom.set_title(f"Implied daily attack hazard multiplier, β = {beta:g} per tone unit (mean)")
    bottom.set_xlim(-2, days)
    bottom.set_xticks(np.arange(0, days + 1, 28))
    bottom.legend(loc="lower right", fontsize=9)
    return save(fig, "serotonergic_course.png")


# --- d. virtual trials ----------------------------------------------------------------


def design_of(arms: tuple[Arm, ...]) -> TrialDesign:
    return TrialDesign(arms=arms, n_per_arm=N_PER_ARM, follow_days=FOLLOW_DAYS, window=PRIMARY)


def run_arm(arm: Arm, arms: tuple[Arm, ...], model: Model | None = None) -> ArmResult:
    return run_trial_arm(arm, design_of(arms), np.random.default_rng(ARM_SEEDS[arm]), model)


def run_trials() -> dict[Blinding, dict[Arm, ArmResult]]:
    return {
        blinding: {arm: run_arm(arm, arms) for arm in arms} for blinding, arms in DESIGNS.items()
    }


def window_mean(result: ArmResult, start: int, stop: int) -> tuple[float, float, int]:
    """Mean migraine days per 28 in [start, stop), the 95% CI half-width and n."""
    values = result.cohort.per_28(result.cohort.migraine, start, stop)
    n = int(np.count_nonzero(~np.isnan(values)))
    half = 1.96 * float(np.nanstd(values, ddof=1)) / math.sqrt(n)
    return float(np.nanmean(values)), half, n


def rate_text(result: ArmResult) -> str:
    rate, low, high, n = result.responder_rate()
    return f"{100 * rate:.1f}% (95% CI {100 * low:.1f}–{100 * high:.1f}, n = {n})"


def plot_trial_arms(trials: Trials, numbers: list[Number]) -> Path:
    fig, axes = plt.subplots(1, 2, figsize=(12.5, 5.4), sharey=True, layout="constrained")
    centres = np.array([(a + b) / 2 for a, b in WINDOWS])
    labels = ["baseline\nwk −4…−1"] + [f"wk {a // 7 + 1}–{b // 7}" for a, b in WINDOWS[1:]]
    last_session = design_of(DESIGNS[Blinding.OPEN]).schedule.last_day
    for ax, (blinding, results) in zip(axes, trials.items(), strict=True):
        ax.axvspan(0, last_session, color="lightsteelblue", alpha=0.25, lw=0)
        ax.axvspan(*PRIMARY, color="gold", alpha=0.25, lw=0)
        ax.axvline(0, color="black", lw=0.8)
        for k, (arm, result) in enumerate(results.items()):
            colour, marker, name = ARM_STYLE[arm]
            stats = [window_mean(result, a, b) for a, b in WINDOWS]
            means = np.array([m for m, _, _ in stats])
            halves = np.array([h for _, h, _ in stats])
            ax.errorbar(
                centres + (k - 0.5) * 3,
                means,
                yerr=halves,
                color=colour,
                marker=marker,
                capsize=3,
                lw=1.8,
                label=f"{name}\n≥50% responders wk 9–12: {rate_text(result)}",
            )
            numbers.append(
                Number(
                    "trial_arms",
                    f"{blinding.value} / {arm.value}: ≥50% responders (weeks 9–12)",
                    rate_text(result),
                )
            )
            numbers.append(
                Number(
                    "trial_arms",
                    f"{blinding.value} / {arm.value}: migraine days/28 by window",
                    " → ".join(f"{m:.2f}" for m in means),
                )
            )
        strip = ax.get_xaxis_transform()
        ax.text(1, 0.015, "sessions (12 over 8 wk)", fontsize=8, transform=strip)
        ax.text(PRIMARY[0] + 1, 0.015, "primary window", fontsize=8, transform=strip)
        ax.set_xticks(centres, labels, fontsize=9)
        ax.set_xlim(WINDOWS[0][0], WINDOWS[-1][1])
        ax.set_title(DESIGN_TITLE[blinding], fontsize=11)
        ax.set_xlabel("28-day window (weeks from the first session)")
        ax.grid(alpha=0.3, axis="y")
        ax.legend(loc="lower left", fontsize=8.5, bbox_to_anchor=(0.0, 0.06))
    axes[0].set_ylim(0, None)
    axes[0].set_ylabel("migraine days per 28 (mean, 95% CI)")
    fig.suptitle(
        f"Virtual trials, episodic migraine without aura, n = {N_PER_ARM} enrolled per arm",
        fontsize=12,
    )
    return save(fig, "trial_arms.png")


# --- e. components of the fall ----------------------------------------------------------


def falls(result: ArmResult) -> NDArray[np.float64]:
    """Baseline minus weeks 9–12 migraine days per 28, NaN where not analysable."""
    out: NDArray[np.float64] = result.baseline - result.outcome
    return out


def plot_components(trials: Trials, numbers: list[Number]) -> Path:
    open_arms = DESIGNS[Blinding.OPEN]
    usual = trials[Blinding.OPEN][Arm.USUAL_CARE]
    full = trials[Blinding.OPEN][Arm.ACUPUNCTURE]
    population = dataclasses.replace(Population(), specific_response_mean=0.0)
    no_specific = run_arm(Arm.ACUPUNCTURE, open_arms, Model(population=population))
    # The two acupuncture runs share their seed: the same patients, the same analysable set.
    paired = falls(full) - falls(no_specific)
    f_usual, f_nonspec = falls(usual), falls(no_specific)
    rtm = float(np.nanmean(f_usual))
    nonspecific = float(np.nanmean(f_nonspec)) - rtm
    specific = float(np.nanmean(paired))

    def se(*parts: NDArray[np.float64]) -> float:
        return math.sqrt(sum(np.nanvar(p, ddof=1) / np.count_nonzero(~np.isnan(p)) for p in parts))

    parts = (
        ("regression to the mean\n+ natural fluctuation", rtm, se(f_usual), "silver"),
        ("non-specific response\n(placebo / context)", nonspecific, se(f_usual, f_nonspec), "C1"),
        ("specific effect\n(serotonergic tone)", specific, se(paired), "C0"),
    )
    total = rtm + nonspecific + specific
    fig, ax = plt.subplots(figsize=(8.5, 5.6), layout="constrained")
    bars = (("usual care", parts[:1]), ("acupuncture\n(open design)", parts))
    for x, (_, stack) in enumerate(bars):
        bottom = 0.0
        for name, size, _, colour in stack:
            ax.bar(
                x,
                size,
                bottom=bottom,
                color=colour,
                width=0.55,
                edgecolor="white",
                label=name if x == 1 else None,
            )
            share = f"\n({size / total:.0%} of the fall)" if len(stack) > 1 else ""
            ax.text(
                x, bottom + size / 2, f"{size:.2f}{share}", ha="center", va="center", fontsize=11
            )
            bottom += size
        ax.text(
            x,
            bottom + 0.04,
            f"total {bottom:.2f}",
            ha="center",
            va="bottom",
            fontsize=10,
            fontweight="bold",
        )
    ax.set_xticks(range(len(bars)), [name for name, _ in bars])
    ax.set_xlim(-0.6, 2.4)
    ax.set_ylim(0, total * 1.15)
    ax.set_ylabel("fall in migraine days per 28\n(baseline − weeks 9–12, mean)")
    ax.set_title(f"Where the fall comes from (virtual open trial, n = {N_PER_ARM} per arm)")
    ax.legend(loc="center right", fontsize=9, reverse=True)
    ax.grid(alpha=0.3, axis="y")
    for name, size, error, _ in parts:
        numbers.append(
            Number(
                "components",
                name.replace("\n", " ") + " (days/28 fall, ± SE)",
                f"{size:.2f} ± {error:.2f}",
            )
        )
    base = float(np.nanmean(full.baseline[full.analysed]))
    numbers.append(Number("components", "acupuncture arm baseline (days/28)", f"{base:.2f}"))
    return save(fig, "components.png")


# --- generated blocks of docs/mechanism.md ----------------------------------------------


def cell(value: object) -> str:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace("|", "\\|")


def parameter_groups() -> Iterator[tuple[str, Iterable[tuple[str, float, str, str]]]]:
    yield "`Kinetics` (mechanism/parameters.py)", Kinetics().rows()
    yield "`StimulusResponse` (mechanism/kinetics.py)", StimulusResponse().rows()
    yield "`Population` (mechanism/profiles.py)", Population().rows()
    yield (
        "`NonSpecific` (mechanism/profiles.py; `effect` is set per design below)",
        (NonSpecific().rows()),
    )
    for kind in HeadacheType:
        yield f"`PROFILES[{kind.value}]` (mechanism/profiles.py)", PROFILES[kind].rows()


def parameter_table() -> str:
    lines = ["| name | value | unit | source |", "|---|---|---|---|"]
    for title, rows in parameter_groups():
        lines.append(f"| **{title}** | | | |")
        lines += [f"| `{name}` | {cell(v)} | {cell(u)} | {cell(s)} |" for name, v, u, s in rows]
    return "\n".join(lines)


def tension_type_rates() -> dict[str, str]:
    """This page's own tension-type virtual trials (the arm seeds, n = N_PER_ARM)."""
    out = {}
    for blinding, arms in DESIGNS.items():
        design = TrialDesign(
            arms=arms, n_per_arm=N_PER_ARM, headache_type=HeadacheType.TENSION_TYPE
        )
        for arm in arms:
            result = run_trial_arm(arm, design, np.random.default_rng(ARM_SEEDS[arm]))
            out[f"{blinding.value}/{arm.value}"] = rate_text(result)
    return out


def fitted_rows(stored: dict[str, Any]) -> list[str]:
    """Fitted values in the JSON beside the defaults in the code."""
    migraine = stored["types"][HeadacheType.MIGRAINE_WITHOUT_AURA.value]
    tth = PROFILES[HeadacheType.TENSION_TYPE]
    rows = [
        (
            "Kinetics.serotonergic_slow_share",
            stored["persistence"]["serotonergic_slow_share"],
            Kinetics().serotonergic_slow_share,
        ),
        ("Population.fluctuation_sd", migraine["fluctuation_sd"], Population().fluctuation_sd),
        (
            "Population.specific_response_mean",
            migraine["specific_response_mean"],
            Population().specific_response_mean,
        ),
        (
            "MIGRAINE_NONSPECIFIC open",
            migraine["open_effect"],
            PROFILES[HeadacheType.MIGRAINE_WITHOUT_AURA].open_nonspecific,
        ),
        (
            "MIGRAINE_NONSPECIFIC sham",
            migraine["sham_effect"],
            PROFILES[HeadacheType.MIGRAINE_WITHOUT_AURA].sham_nonspecific,
        ),
        (
            "tension_type fluctuation_scale",
            stored["tension_type_scales"]["fluctuation_scale"],
            tth.fluctuation_scale,
        ),
        (
            "tension_type specific_response_scale",
            stored["tension_type_scales"]["specific_response_scale"],
            tth.specific_response_scale,
        ),
        (
            "tension_type open_nonspecific",
            stored["types"][HeadacheType.TENSION_TYPE.value]["open_effect"],
            tth.open_nonspecific,
        ),
        (
            "tension_type sham_nonspecific",
            stored["types"][HeadacheType.TENSION_TYPE.value]["sham_effect"],
            tth.sham_nonspecific,
        ),
    ]
    return [f"| `{name}` | {fitted:.4f} | {code:g} |" for name, fitted, code in rows]


def checks_rows(stored: dict[str, Any]) -> list[str]:
    checks = stored["checks"]
    kept, xu = checks["virtual_trial_retention"], checks["xu2020"]

    def diff(d: dict[str, float]) -> str:
        return f"{d['difference']:+.2f} ± {d['se']:.2f} (n = {d['n']})"

    return [
        f"Checks on fresh seeds (n = {checks['n_per_arm']} per arm, {checks['seconds']} s), "
        "acupuncture − sham in migraine days/28, paired (the same virtual patients in both arms), "
        "± SE:",
        "",
        "| check | model | published |",
        "|---|---|---|",
        f"| 12 sessions / 8 weeks, weeks 9–12 | {diff(kept['weeks 9–12'])} | — |",
        f"| same trial, weeks 49–52 | {diff(kept['weeks 49–52'])} | — |",
        f"| share kept at 1 year (fitted on the expected difference; here on diaries) "
        f"| {kept['ratio']:.2f} "
        f"| ~0.85 (Vickers 2018) |",
        f"| Xu 2020 course (20 / 8 weeks), weeks 13–16 | {diff(xu['model']['weeks 13–16'])} "
        f"| {xu['reported']['weeks 13–16']:+.1f} (−2.4 to −0.3) |",
        f"| Xu 2020 course, weeks 17–20 | {diff(xu['model']['weeks 17–20'])} "
        f"| {xu['reported']['weeks 17–20']:+.1f} |",
        f"| Xu 2020: weeks 17–20 over weeks 13–16 (held back, not fitted) "
        f"| {xu['model_ratio_17_20_over_13_16']:.2f} | {xu['reported_ratio']:.2f} |",
    ]


def calibration_block(trials: Trials) -> str:
    stored: dict[str, Any] = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    persistence = stored["persistence"]
    lines = [
        f"From `docs/mechanism-calibration.json` (n = {stored['n_per_arm']} per arm, "
        f"seed {stored['seed']}, {stored['seconds']} s). Slow half-life "
        f"{persistence['serotonergic_slow_half_life_days']:g} days (assumed); slow share fitted "
        f"to keep {persistence['target_retention_at_one_year']:.0%} of the effect at one year "
        f"(reached: {persistence['retention_at_fitted_share']:.1%}).",
        "",
        "| fitted | value in the JSON | default in the code |",
        "|---|---|---|",
        *fitted_rows(stored),
        "",
        "| type | design / arm | published (target) | achieved in the calibration (fresh seed) "
        f"| this page's virtual trial (n = {N_PER_ARM}) |",
        "|---|---|---|---|---|",
    ]
    tth_rates = tension_type_rates()
    for kind, targets in stored["targets"].items():
        achieved = stored["types"][kind]["achieved"]
        for key, target in targets.items():
            design, arm = key.split("/")
            if kind == HeadacheType.TENSION_TYPE.value:
                page = tth_rates[key]
            else:
                page = rate_text(trials[Blinding(design)][Arm(arm)])
            lines.append(
                f"| {kind} | {key} | {100 * target:.0f}% | {100 * achieved[key]:.1f}% | {page} |"
            )
    return "\n".join([*lines, "", *checks_rows(stored)])


def numbers_table(numbers: Iterable[Number]) -> str:
    lines = ["| figure | quantity | value |", "|---|---|---|"]
    lines += [f"| {n.figure} | {cell(n.quantity)} | {cell(n.value)} |" for n in numbers]
    return "\n".join(lines)


def replace_block(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    before, found, rest = text.partition(start)
    _, found_end, after = rest.partition(end)
    if not found or not found_end:
        raise SystemExit(f"{DOC}: the lines {start} and {end} are missing")
    return f"{before}{start}\n{body}\n{end}{after}"


def main() -> None:
    started = time.perf_counter()
    IMG.mkdir(parents=True, exist_ok=True)
    numbers: list[Number] = []
    written = [
        plot_session_analgesia(numbers),
        plot_continuous_and_tolerance(numbers),
        plot_serotonergic_course(numbers),
    ]
    trials = run_trials()
    written += [plot_trial_arms(trials, numbers), plot_components(trials, numbers)]
    for path in written:
        print(path.relative_to(ROOT))
    text = DOC.read_text(encoding="utf-8")
    text = replace_block(text, "parameters", parameter_table())
    text = replace_block(text, "calibration", calibration_block(trials))
    text = replace_block(text, "numbers", numbers_table(numbers))
    DOC.write_text(text, encoding="utf-8")
    print(DOC.relative_to(ROOT))
    for n in numbers:
        print(f"  {n.figure}: {n.quantity}: {n.value}")
    print(f"done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
