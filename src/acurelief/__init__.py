"""acurelief: does acupuncture relieve, prevent and lift mood — answered with numbers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("acurelief")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
