"""Use case: the practice's results across its patients (staff only)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

from acurelief.analysis.practice import PatientResult, PracticeReport, practice_report
from acurelief.analysis.relief import practice_relief
from acurelief.diagnosis.classify import classify
from acurelief.domain.access import Action, Actor
from acurelief.outcomes.endpoints import EndpointRules, responders
from acurelief.services.access import audit, require
from acurelief.services.outcomes import PatientOutcomes, patient_outcomes
from acurelief.services.ports import UnitOfWorkFactory

Z95 = 1.959963984540054


def diagnosis_group(codes: tuple[str, ...]) -> str:
    if "1.3" in codes:
        return "chronic migraine"
    if any(c.startswith(("1.", "A1.")) for c in codes):
        return "episodic migraine"
    if any(c.startswith("2.") for c in codes):
        return "tension-type headache"
    return "unknown"


def _result(found: PatientOutcomes, group: str) -> PatientResult:
    import numpy as np

    windows = [w for w in found.windows[1:] if not math.isnan(w.headache_days)]
    responder: bool | None = None
    if found.windows and windows:
        r = responders(
            np.array([found.windows[0].headache_days]), np.array([windows[-1].headache_days])
        )
        responder = bool(r.at_50[0]) if r.evaluable[0] else None
    rr = found.rate_ratio
    log_rr = se = math.nan
    if (
        rr is not None
        and rr.evaluable
        and rr.estimate > 0
        and rr.low > 0
        and math.isfinite(rr.high)
    ):
        log_rr = math.log(rr.estimate)
        se = (math.log(rr.high) - math.log(rr.low)) / (2 * Z95)
    counts = (0, 0, 0, 0)
    if rr is not None:  # zero-day windows count in the pooled ratio even without a log RR
        counts = (rr.baseline_events, rr.baseline_days, rr.window_events, rr.window_days)
    return PatientResult(
        found.patient.id or 0, found.patient.practitioner_id, group, responder, log_rr, se, *counts
    )


def practice(
    uow_factory: UnitOfWorkFactory,
    actor: Actor,
    now: dt.datetime,
    rules: EndpointRules | None = None,
) -> PracticeReport:
    """Every patient of the actor's clinic, each read through the audited door."""
    with uow_factory(read_only=True) as uow:
        require(actor, Action.MANAGE_PATIENTS, uow=uow, now=now)
        roster = [p.id for p in uow.patients.list_for_clinic(actor.clinic_id) if p.id is not None]
        names = {
            u.id: u.display_name
            for u in uow.users.list_for_clinic(actor.clinic_id)
            if u.id is not None
        }
        audit(uow, actor, now, "practice_report", None, f"{len(roster)} patients")
        uow.commit()
    results = []
    sessions_by_patient = {}
    for patient_id in roster:
        with uow_factory(read_only=True) as uow:
            found = patient_outcomes(uow, actor, patient_id, now, rules)
            stored = uow.intakes.latest(patient_id)
            sessions_by_patient[patient_id] = list(uow.sessions.list_for_patient(patient_id))
        group = diagnosis_group(classify(stored.intake).codes) if stored else "unknown"
        results.append(_result(found, group))
    report = practice_report(results, names)
    start = (rules or EndpointRules()).min_start_pain
    return dataclasses.replace(report, relief=practice_relief(sessions_by_patient, start))
