"""How far after the first session the model's calibration reaches, and the warning past it.

The slow serotonergic component is fitted to the persistence reported one year after
randomisation (Vickers 2018, clinical-facts §4.1). Nothing constrains the model beyond
that, so a simulation followed for longer says more than the model knows.
"""

from __future__ import annotations

import warnings

CALIBRATED_FOLLOW_DAYS = 365


class BeyondCalibrationWarning(UserWarning):
    """A simulation runs past the follow-up the model was calibrated for."""


def warn_past_horizon(follow_days: int, *, stacklevel: int = 3) -> None:
    """Warn, with the numbers, when ``follow_days`` after the first session exceed the horizon."""
    if follow_days > CALIBRATED_FOLLOW_DAYS:
        warnings.warn(
            f"follow-up of {follow_days} days after the first session runs past the "
            f"{CALIBRATED_FOLLOW_DAYS} days the mechanism model was calibrated for "
            "(persistence at 1 year, Vickers 2018): figures after day "
            f"{CALIBRATED_FOLLOW_DAYS} are extrapolation, not calibrated",
            BeyondCalibrationWarning,
            stacklevel=stacklevel,
        )
