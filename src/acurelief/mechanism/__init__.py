"""The mechanism the practice claims, as a small kinetic model, and what it can simulate.

Needling drives an opioid (endorphin) tone that rises over the session and decays
exponentially after the needles come out (fast analgesia, a mood lift); each session also
feeds a slow serotonergic tone that lowers the daily hazard of an attack and lifts mood.
Around that specific mechanism the model keeps the things that make real diaries look
better without it, as separate named parts: natural fluctuation, regression to the mean
(patients start treatment in a bad spell and trials select them on a bad baseline) and a
non-specific (placebo/context) response to being treated.

``kinetics`` holds the within-session and day-to-day equations, ``parameters`` every number
with its unit and source, ``cohort`` virtual patients, ``trial`` virtual trials, ``power``
Monte Carlo power, ``persistence`` the fit of the tone's slow part to the effect left at one
year and ``horizon`` how far the calibration reaches (and the warning past it). No I/O: the
CLI and storage live at the edges.
"""
