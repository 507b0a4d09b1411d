"""What a trial's outcome column holds. Free of the science stack, so the CLI can offer it."""

from __future__ import annotations

from enum import StrEnum


class OutcomeType(StrEnum):
    """What the outcome column holds: detected from its cells (AUTO), or stated."""

    AUTO = "auto"  # yes/no when every value is a yes/no word or 0/1 (and no baseline)
    BINARY = "binary"  # yes/no: risks per arm, RD, RR, OR, NNT, Fisher
    CONTINUOUS = "continuous"  # numbers: ANCOVA with a baseline, Welch without one
