"""A patient's outcomes as plain JSON-ready data, shared by the API and the CLI."""

from __future__ import annotations

import math
from typing import Any

from acurelief.analysis.practice import PracticeReport, RateSummary
from acurelief.analysis.relief import Relief, ReliefReport
from acurelief.services.outcomes import PatientOutcomes


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) or math.isinf(value) else round(value, 4)


def _relief_figures(r: Relief) -> dict[str, Any]:
    return {
        "patients": r.n_patients,
        "sessions": r.n_sessions,
        "mean_drop": _num(r.mean_drop.estimate),
        "low": _num(r.mean_drop.low),
        "high": _num(r.mean_drop.high),
        "median_drop": _num(r.median_drop.estimate),
        "median_low": _num(r.median_drop.low),
        "median_high": _num(r.median_drop.high),
        "wilcoxon_p": _num(r.wilcoxon_p),
        "meaningful": r.meaningful_count,
        "meaningful_share": _num(r.meaningful.estimate),
        "meaningful_low": _num(r.meaningful.low),
        "meaningful_high": _num(r.meaningful.high),
        "method": r.method,
        "caveats": list(r.caveats),
    }


def relief_record(r: ReliefReport) -> dict[str, Any]:
    """Relief over all sessions (top level) and, apart, over the sessions that started with a
    headache (``with_headache``, None when none did), with how many started below the
    threshold."""
    return {
        **_relief_figures(r.all_sessions),
        "min_start_pain": r.min_start_pain,
        "started_below": r.started_below,
        "with_headache": None if r.with_headache is None else _relief_figures(r.with_headache),
        "with_headache_note": r.headache_note(),
        "started_below_note": r.below_note(),
    }


def outcomes_record(o: PatientOutcomes) -> dict[str, Any]:
    rr = o.rate_ratio
    follow = o.follow_up_rate_ratio
    relief = o.relief
    carry = o.carry_over
    mood = o.mood
    return {
        "patient_id": o.patient.id,
        "first_session": o.first_session,
        "notes": list(o.notes),
        "windows": [
            {
                "window": w.name,
                "start": w.start,
                "stop": w.stop,
                "recorded_days": w.recorded_days,
                "headache_days_per_28": _num(w.headache_days),
                "migraine_days_per_28": _num(w.migraine_days),
                "acute_medication_days_per_28": _num(w.acute_medication_days),
                "mean_peak_pain": _num(w.mean_peak_pain),
                "not_evaluable": w.not_evaluable or None,
            }
            for w in o.windows
        ],
        "rate_ratio": None
        if rr is None
        else {
            "estimate": _num(rr.estimate),
            "low": _num(rr.low),
            "high": _num(rr.high),
            "baseline": {"days": rr.baseline_days, "headache_days": rr.baseline_events},
            "window": {"days": rr.window_days, "headache_days": rr.window_events},
            "method": rr.method,
            "caveats": list(rr.caveats),
        },
        "medication_overuse_risk": [
            {
                "class": cls,
                "days_per_month": list(days),
                "more_than_3_months": sustained,
                "threshold": "ICHD-3 8.2: ≥10 days/month (≥15 for simple analgesics)",
            }
            for cls, days, sustained in o.overuse
        ],
        "follow_up_rate_ratio": None
        if follow is None
        else {
            "estimate": _num(follow.estimate),
            "low": _num(follow.low),
            "high": _num(follow.high),
            "window": {"days": follow.window_days, "headache_days": follow.window_events},
            "method": follow.method,
            "caveats": list(follow.caveats),
        },
        "immediate_relief": None
        if relief is None or relief.n_sessions == 0
        else relief_record(relief),
        "carry_over": {
            "identified": bool(carry and carry.identified_),
            "half_life_days": _num(carry.half_life_) if carry and carry.identified_ else None,
            "half_life_interval": [_num(v) for v in carry.half_life_interval_]
            if carry and carry.identified_
            else None,
            "effect": _num(carry.effect_) if carry else None,
            "book_next_session_by": o.book_by,
            "note": o.carry_over_note or None,
            "p_value_vs_non_specific": _num(carry.p_value_) if carry else None,
            "schedule_r_squared": _num(carry.collinearity_) if carry else None,
            "caveats": list(carry.caveats_) if carry else [],
        },
        "mood": {
            "session_lift": _num(mood.session_lift.estimate),
            "sessions": mood.n_sessions,
            "lift_low": _num(mood.session_lift.low),
            "lift_high": _num(mood.session_lift.high),
            "headache_correlation": _num(mood.burden_correlation),
            "correlation_p": _num(mood.burden_p),
            "weeks": mood.burden_weeks,
            "questionnaires": {
                str(k): [
                    {"date": s.date, "total": s.total, "band": s.band, "alerts": list(s.alerts)}
                    for s in v
                ]
                for k, v in mood.scores.items()
            },
            "changes": {
                str(k): {"difference": c.difference, "mic": c.mic, "verdict": str(c.verdict)}
                for k, c in mood.changes.items()
            },
            "caveats": list(mood.caveats),
        },
    }


def practice_record(report: PracticeReport) -> dict[str, Any]:
    def summary(s: RateSummary) -> dict[str, Any]:
        return {
            "label": s.label,
            "responders": s.responders,
            "evaluable": s.evaluable,
            "rate": _num(s.rate.estimate),
            "low": _num(s.rate.low),
            "high": _num(s.rate.high),
            "published": [
                {
                    "arm": a.arm,
                    "low": a.low,
                    "high": a.high,
                    "source": a.source,
                    "note": a.note or None,
                }
                for a in s.anchors
            ],
        }

    pooled = report.pooled
    return {
        "overall": summary(report.overall),
        "by_diagnosis": [summary(s) for s in report.by_group],
        "by_practitioner": [summary(s) for s in report.by_practitioner],
        "not_evaluable": report.not_evaluable,
        "pooled_rate_ratio": None
        if pooled is None
        else {
            "estimate": _num(math.exp(pooled.mean_log_rr)),
            "low": _num(math.exp(pooled.low)),
            "high": _num(math.exp(pooled.high)),
            "tau2": _num(pooled.tau2),
            "patients": pooled.n,
            "shrunken": {str(k): _num(math.exp(v)) for k, v in pooled.shrunken.items()},
        },
        "immediate_relief": None
        if report.relief is None or report.relief.n_patients == 0
        else relief_record(report.relief),
        "funnel": [
            {"patient_id": p, "log_rr": _num(y), "se": _num(s)} for p, y, s in report.funnel
        ],
        "caveats": list(report.caveats),
    }
