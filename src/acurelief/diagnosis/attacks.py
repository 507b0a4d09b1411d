"""The attack types an intake describes, each to be classified on its own features.

The intake has two sections, migraine-like and tension-like attacks. ICHD-3 classifies attacks
by their features, not by the name a patient or practitioner gives them, so the section a
description was entered under must not decide the code: both sections are tried against the
migraine (1.1, 1.5.1) and the tension-type (2.x, 2.4.x) criteria alike. A section left blank is
tried too, with every answer unknown, since it may hide a second kind of headache.
"""

from __future__ import annotations

from dataclasses import dataclass

from acurelief.diagnosis.intake import HeadacheKind, Intake

# Each section of the intake and the frequency field that holds its days per month.
SECTIONS = {
    "migraine_like": "migraine_like_days_per_month",
    "tension_like": "tension_like_days_per_month",
}


@dataclass(frozen=True, slots=True)
class Attacks:
    """One section's attacks: their features, their days per month, and where they were
    entered (which names the intake fields a missing answer belongs to)."""

    section: str
    kind: HeadacheKind
    days: float | None
    days_field: str
    described: bool
    pooled: str = ""  # set when ``days`` adds up the days of several sections (see tension)

    def field(self, name: str) -> str:
        """The intake field path of one of these attacks' answers."""
        return f"{self.section}.{name}"

    @property
    def entered_as(self) -> str:
        return self.section.replace("_", "-")


def attack_types(intake: Intake) -> tuple[Attacks, ...]:
    """Both sections, blank ones as all-unknown attacks.

    A section's days are its own frequency field; when it is the only headache described (no
    other section, no aura), the total headache days are its days."""
    described = [s for s in SECTIONS if getattr(intake, s) is not None]
    out = []
    for section, days_field in SECTIONS.items():
        kind: HeadacheKind | None = getattr(intake, section)
        days: float | None = getattr(intake.frequency, days_field)
        only = described == [section] and intake.aura is None
        if days is None and only:
            days, days_field = intake.frequency.headache_days_per_month, "headache_days_per_month"
        out.append(
            Attacks(
                section=section,
                kind=kind or HeadacheKind(),
                days=days,
                days_field=f"frequency.{days_field}",
                described=kind is not None,
            )
        )
    return tuple(out)
