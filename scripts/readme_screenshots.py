"""Copy the README's screenshots from the browser tests' artefacts into docs/screenshots/.

The browser tests (tests/browser, Playwright in Debian's Chromium) save every page they
visit to test-artifacts/screenshots/; this keeps the README's pictures real. Tall pages are
cut to their first screenfuls so the README stays readable.

    make screenshots      # runs the browser tests on SQLite, then this script
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib.image as mpimg

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "test-artifacts" / "screenshots"
TARGET = ROOT / "docs" / "screenshots"

# (artefact, README name, the most pixels of height to keep)
CHOSEN = (
    ("diary-today-390.png", "patient-today.png", 1500),
    ("diary-headache-form-390.png", "patient-headache-day.png", 1800),
    ("diary-earlier-days-390.png", "patient-earlier-days.png", 1300),
    ("my-progress-390.png", "patient-my-progress.png", 1500),
    ("questionnaire-phq9-390.png", "patient-phq9.png", 1100),
    ("worklist-1280.png", "practitioner-worklist.png", 1300),
    ("enrol-link-1280.png", "practitioner-login-link.png", 900),
    ("practitioner-intake-saved-1280.png", "practitioner-intake-diagnosis.png", 1100),
    ("practitioner-session-error-1280.png", "practitioner-chart-session.png", 1400),
    ("patient-dashboard-1280.png", "practitioner-dashboard.png", 2200),
    ("account-two-factor-setup-390.png", "staff-account-two-factor.png", 1400),
    ("audit-patient-1280.png", "admin-audit.png", 900),
)


def main() -> int:
    missing = [name for name, _, _ in CHOSEN if not (SOURCE / name).exists()]
    if missing:
        print(f"missing in {SOURCE}: {', '.join(missing)}; run the browser tests first")
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, out, height in CHOSEN:
        image = mpimg.imread(SOURCE / name)
        mpimg.imsave(TARGET / out, image[:height])
        print(f"{out}: {image.shape[1]}×{min(height, image.shape[0])} px")
    return 0


if __name__ == "__main__":
    sys.exit(main())
