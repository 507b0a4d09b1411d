"""The charts a page links to: described while the page is built, drawn when the browser asks.

Drawing a dashboard's five charts with matplotlib takes longer than reading, computing and
writing everything else on it, so the page does not wait for them: each chart is an ``<img>``
whose address names the patient, the chart and a version (a digest of exactly what the chart
shows). The page keeps each description on the ``ChartShelf`` (bounded, in this process), so
the image request draws it without reading the diary again. Where it is not on the shelf — a
page served by another worker or before a restart — the image request builds the description
afresh (``pages.chart_images``), behind the same access check and audit as the page.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from acurelief.reports import charts
from acurelief.web.dashboard_view import Figure

KEPT = 2048  # descriptions: a few hundred pages' worth
VERSION_CHARS = 16


@dataclass(frozen=True, slots=True)
class ChartLink:
    """What the page's ``<img>`` needs: the address, and the size to hold room for."""

    src: str
    width: int
    height: int


def version_of(name: str, chart: charts.Chart) -> str:
    """A digest of exactly what the chart shows: the same numbers, the same address."""
    digest = hashlib.sha256(repr((name, chart)).encode())
    return digest.hexdigest()[:VERSION_CHARS]


def chart_src(patient_id: int, name: str, version: str) -> str:
    return f"/patients/{patient_id}/charts/{name}.svg?v={version}"


class ChartShelf:
    """The chart descriptions of recently served pages, by patient, chart and version; the
    oldest go first once ``size`` are kept. Holds health data in memory only, like the chart
    memo itself (``reports.charts``)."""

    def __init__(self, size: int = KEPT) -> None:
        self._size = size
        self._kept: OrderedDict[tuple[int, str, str], charts.Chart] = OrderedDict()
        self._lock = threading.Lock()

    def link(self, patient_id: int, figures: Iterable[Figure]) -> dict[str, ChartLink]:
        """Keep the figures' charts; return each drawable one's link by figure name."""
        links = {}
        for figure in figures:
            if figure.chart is None:
                continue
            version = version_of(figure.name, figure.chart)
            with self._lock:
                self._kept[(patient_id, figure.name, version)] = figure.chart
                self._kept.move_to_end((patient_id, figure.name, version))
                while len(self._kept) > self._size:
                    self._kept.popitem(last=False)
            width, height = charts.size_px(figure.chart)
            links[figure.name] = ChartLink(
                chart_src(patient_id, figure.name, version), width, height
            )
        return links

    def find(self, patient_id: int, name: str, version: str) -> charts.Chart | None:
        with self._lock:
            return self._kept.get((patient_id, name, version))

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
