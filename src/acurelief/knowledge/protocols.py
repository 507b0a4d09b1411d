"""Named point protocols from the headache trials (clinical-facts §5.3), each with its source.

A protocol is a starting point: a session can be started from one and then individualised.
Practice-defined protocols live in the database and use the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from acurelief.domain import NeedlePoint, Side, Stimulation, StimulationKind


@dataclass(frozen=True, slots=True, kw_only=True)
class Protocol:
    key: str
    name: str
    indication: str
    points: tuple[NeedlePoint, ...]
    stimulation: Stimulation
    retention_minutes: int | None
    sessions: int | None
    weeks: float | None
    source: str
    notes: str = ""


def _points(*codes: str) -> tuple[NeedlePoint, ...]:
    """Paired points are needled on both sides; midline points take no side."""
    return tuple(
        NeedlePoint(code=c, side=None if c.startswith(("GV", "CV", "EX-HN3")) else Side.BILATERAL)
        for c in codes
    )


LI_2012 = "https://cmaj.ca/content/184/4/401.full.txt"
CTTH = "https://trialsjournal.biomedcentral.com/articles/10.1186/s13063-017-2188-9/tables/1"
ELECTRO_2_100 = Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=(2.0, 100.0))

PROTOCOLS = MappingProxyType(
    {
        p.key: p
        for p in (
            Protocol(
                key="li2012-shaoyang-specific",
                name="Shaoyang-specific (Li 2012)",
                indication="migraine",
                points=_points("TE5", "GB34", "GB40", "GB20"),
                stimulation=ELECTRO_2_100,
                retention_minutes=30,
                sessions=20,
                weeks=4,
                source=LI_2012,
                notes="de qi; EA 2/100 Hz alternating, 0.1–1.0 mA",
            ),
            Protocol(
                key="li2012-shaoyang-nonspecific",
                name="Shaoyang-nonspecific (Li 2012)",
                indication="migraine",
                points=_points("TE19", "TE8", "GB33", "GB42"),
                stimulation=ELECTRO_2_100,
                retention_minutes=30,
                sessions=20,
                weeks=4,
                source=LI_2012,
                notes="comparison arm of the trial",
            ),
            Protocol(
                key="li2012-yangming",
                name="Yangming-specific (Li 2012)",
                indication="migraine",
                points=_points("ST8", "LI6", "ST36", "ST42"),
                stimulation=ELECTRO_2_100,
                retention_minutes=30,
                sessions=20,
                weeks=4,
                source=LI_2012,
                notes="comparison arm of the trial",
            ),
            Protocol(
                key="ctth-chengdu",
                name="Chronic TTH (Chengdu trial)",
                indication="tension-type headache",
                points=_points("GB20", "GV20", "EX-HN5", "LI4", "LR3"),
                stimulation=Stimulation(kind=StimulationKind.MANUAL),
                retention_minutes=30,
                sessions=20,
                weeks=8,
                source=CTTH,
                notes="manipulated twice every 10 min; the same five points are the most used "
                "in 137 TTH prescriptions (https://pmc.ncbi.nlm.nih.gov/articles/PMC7979293)",
            ),
        )
    }
)
