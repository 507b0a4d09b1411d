"""Small SVG charts for the patient page (matplotlib, no screen needed)."""

from __future__ import annotations

import io
import math
from typing import Any


def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def headache_days_chart(record: dict[str, Any]) -> str | None:
    """Headache days per 28 by window (baseline first); windows not evaluable are left out."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [w for w in record["windows"] if w["headache_days_per_28"] is not None]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(5.2, 2.4), dpi=100)
    names = [w["window"] for w in rows]
    values = [w["headache_days_per_28"] for w in rows]
    colours = ["#8a94a0" if w["window"] == "baseline" else "#1f4e5f" for w in rows]
    bars = ax.bar(names, values, color=colours)
    for bar, w in zip(bars, rows, strict=True):
        ax.annotate(
            f"{w['headache_days_per_28']:.1f}\n(n={w['recorded_days']})",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=7,
        )
    ax.set_ylabel("headache days / 28")
    ax.set_ylim(0, max(values) * 1.35 + 1)
    ax.tick_params(axis="x", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def carry_over_chart(record: dict[str, Any], session_days: list[int], today: int) -> str | None:
    """Relative protection after each session, decaying with the fitted half-life."""
    carry = record["carry_over"]
    if not carry["identified"] or not session_days:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    half_life = carry["half_life_days"]
    horizon = max(today, session_days[-1]) + int(3 * half_life) + 1
    days = np.arange(0, horizon)
    lags = days[:, None] - np.array(session_days)[None, :]
    level = np.where(lags >= 0, np.exp(-math.log(2) * np.maximum(lags, 0) / half_life), 0).sum(1)
    fig, ax = plt.subplots(figsize=(5.2, 2.2), dpi=100)
    ax.plot(days, level / level.max(), color="#1f4e5f")
    for s in session_days:
        ax.axvline(s, color="#c9d3dc", lw=0.8, zorder=0)
    ax.axvline(today, color="#d9604c", ls="--", lw=1, label="today")
    ax.set_xlabel("days since the first session")
    ax.set_ylabel("protection (of peak)")
    ax.legend(fontsize=7, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)
