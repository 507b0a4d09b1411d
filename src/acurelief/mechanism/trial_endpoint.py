"""What a virtual trial's power is judged on; kept free of NumPy so the command line can offer
it as a choice without loading the model."""

from __future__ import annotations

from enum import StrEnum


class Endpoint(StrEnum):
    RESPONDERS = "responders"  # ≥50% fewer migraine (or headache) days, Fisher's exact test
    DAYS = "days"  # change in days per 28, Welch's t test
