"""Diaries kept elsewhere: long-format CSV and Parquet files, worked out by hand.

The cohort of ``hand_rows`` (day 0 = first treatment):

- A: every day from −28 to 83. Headache on days divisible by 4 at baseline (7 days → 7.0 per
  28) and by 14 afterwards (2 per window → 2.0): a 71% reduction, a responder.
- B: days −10 to −7 have no row. Headache on 6 of the 24 recorded baseline days (→ 7.0 per
  28) and on 4 days of each treatment window (→ 4.0): 43%, not a responder.
- C: rows from day 0 only: not evaluable, no baseline.
- D: days −28 to 40; the headache cell of days −3 and −1 is empty. Headache on the 14 even
  baseline days of 26 recorded (→ 15.08 per 28), every 4th day afterwards (weeks 1–4: 7.0);
  weeks 5–8 has 13 recorded days, too few: the latest window is weeks 1–4, 54%, a responder.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from acurelief.errors import InvalidInput
from acurelief.mechanism import export
from acurelief.mechanism.cohort import simulate_cohort
from acurelief.mechanism.schedule import Schedule
from acurelief.outcomes.endpoints import EndpointRules
from acurelief.outcomes.long_format import (
    ColumnMap,
    DiaryReport,
    analyze_frame,
    diary_arrays_from_frame,
    read_table,
)

Row = dict[str, Any]

FIRST = {
    "A": dt.date(2026, 1, 5),
    "B": dt.date(2026, 2, 2),
    "C": dt.date(2026, 3, 2),
    "D": dt.date(2025, 12, 29),
}
BY_DAY = ColumnMap(
    patient="patient",
    day="day",
    headache="headache",
    pain="pain",
    medication="medication",
    menstruation="menstruation",
)
BY_DATE = ColumnMap(
    patient="patient",
    date="date",
    first_treatment="first_treatment",
    headache="headache",
    pain="pain",
    medication="medication",
    menstruation="menstruation",
)
HEADER = ("patient", "day", "date", "first_treatment", "headache", "pain", "medication")


def _row(patient: str, day: int, headache: bool | None) -> Row:
    first = FIRST[patient]
    return {
        "patient": patient,
        "day": day,
        "date": (first + dt.timedelta(days=day)).isoformat(),
        "first_treatment": first.isoformat(),
        "headache": None if headache is None else headache,
        "pain": 6 if headache else None,
        "medication": 1 if headache else 0,
        "menstruation": patient == "D" and -20 <= day < -15,
    }


def hand_rows() -> list[Row]:
    rows = [_row("A", d, d % 4 == 0 if d < 0 else d % 14 == 0) for d in range(-28, 84)]
    b_baseline = {-27, -22, -17, -12, -5, -2}
    rows += [
        _row("B", d, d in b_baseline if d < 0 else d % 7 == 3)
        for d in range(-28, 84)
        if not -10 <= d <= -7
    ]
    rows += [_row("C", d, d % 5 == 0) for d in range(84)]
    rows += [
        _row("D", d, None if d in (-3, -1) else d % (2 if d < 0 else 4) == 0)
        for d in range(-28, 41)
    ]
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def write_csv(
    path: Path, rows: list[Row], *, bom: bool = False, crlf: bool = False, blank_at: int = -1
) -> Path:
    header = list(rows[0])
    lines = [",".join(header)]
    for i, row in enumerate(rows):
        if i == blank_at:
            lines.append("")
        lines.append(",".join(_text(row[k]) for k in header))
    end = "\r\n" if crlf else "\n"
    path.write_bytes((("\ufeff" if bom else "") + end.join(lines) + end).encode("utf-8"))
    return path


def write_parquet(path: Path, rows: list[Row]) -> Path:
    """Native types, as a researcher's pipeline would write them: ints, nullable booleans,
    dates as dates."""
    frame = pd.DataFrame(rows)
    frame["headache"] = frame["headache"].astype("boolean")
    frame["pain"] = frame["pain"].astype("Int64")
    frame["date"] = pd.to_datetime(frame["date"])
    frame["first_treatment"] = [dt.date.fromisoformat(d) for d in frame["first_treatment"]]
    frame.to_parquet(path)
    return path


def analyse(path: Path, columns: ColumnMap = BY_DAY) -> DiaryReport:
    return analyze_frame(read_table(path), columns)


def problems(frame_or_path: pd.DataFrame | Path, columns: ColumnMap) -> dict[str, str]:
    frame = read_table(frame_or_path) if isinstance(frame_or_path, Path) else frame_or_path
    with pytest.raises(InvalidInput) as caught:
        diary_arrays_from_frame(frame, columns)
    found: dict[str, str] = {}
    for p in caught.value.problems:
        found[p.field] = f"{found[p.field]} | {p.message}" if p.field in found else p.message
    return found


def csv_frame(text: str, tmp_path: Path, name: str = "diary.csv") -> pd.DataFrame:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_table(path)


# --------------------------------------------------------------------------- hand-worked


def test_day_numbers_give_the_hand_worked_figures(tmp_path: Path) -> None:
    report = analyse(write_csv(tmp_path / "diary.csv", hand_rows()))
    a, b, c, d = (report.patient(p) for p in "ABCD")

    assert a.baseline is not None
    assert (a.baseline.headache_days_per_28, a.baseline.recorded_days) == (7.0, 28)
    assert [w.window for w in a.windows] == ["baseline", "weeks 1–4", "weeks 5–8", "weeks 9–12"]
    assert [w.headache_days_per_28 for w in a.windows[1:]] == [2.0, 2.0, 2.0]
    assert a.latest is not None
    assert a.latest.window == "weeks 9–12"
    assert a.reduction == pytest.approx(5 / 7)
    assert a.responder is True
    assert a.rate_ratio is not None
    assert a.rate_ratio.estimate == pytest.approx((6 / 84) / (7 / 28))
    assert (a.rate_ratio.baseline_days, a.rate_ratio.baseline_events) == (28, 7)
    assert (a.rate_ratio.window_days, a.rate_ratio.window_events) == (84, 6)
    assert a.rate_ratio.low < a.rate_ratio.estimate < a.rate_ratio.high
    assert a.windows[0].mean_peak_pain == 6.0
    assert a.windows[0].acute_medication_days_per_28 == 7.0
    assert a.note == ""

    assert b.baseline is not None
    assert (b.baseline.headache_days_per_28, b.baseline.recorded_days) == (7.0, 24)
    assert b.latest is not None
    assert b.latest.headache_days_per_28 == 4.0
    assert b.reduction == pytest.approx(3 / 7)
    assert b.responder is False

    assert c.not_evaluable.startswith("no baseline days")
    assert c.windows == ()
    assert c.responder is None
    assert c.rate_ratio is None
    assert "not evaluable" in c.note

    assert d.baseline is not None
    assert d.baseline.recorded_days == 26
    assert d.baseline.headache_days_per_28 == pytest.approx(14 / 26 * 28)
    assert d.windows[2].reason == "weeks 5–8: 13 of 28 days recorded, 23 needed"
    assert d.latest is not None
    assert (d.latest.window, d.latest.headache_days_per_28) == ("weeks 1–4", 7.0)
    assert d.reduction == pytest.approx(1 - 7 / (14 / 26 * 28))
    assert d.responder is True
    assert d.menstruation is not None
    assert (d.menstruation.days, d.menstruation.headache_days) == (5, 3)  # days −20…−16
    assert a.menstruation is not None
    assert a.menstruation.days == 0

    s = report.summary
    assert (s.patients, s.evaluable, s.not_evaluable) == (4, 3, 1)
    assert (s.responders.responders, s.responders.n) == (2, 3)
    ci = binomtest(2, 3).proportion_ci(method="wilson")
    assert (s.responders.low, s.responders.high) == pytest.approx((ci.low, ci.high), abs=1e-12)
    assert s.responders.rate == pytest.approx(2 / 3)
    assert (s.baseline_headache_days.value, s.baseline_headache_days.n) == (7.0, 3)
    assert (s.weeks_9_12_headache_days.value, s.weeks_9_12_headache_days.n) == (3.0, 2)
    assert s.rate_ratio_evaluable == 3


def test_the_rules_and_the_treatment_period_are_parameters(tmp_path: Path) -> None:
    frame = read_table(write_csv(tmp_path / "diary.csv", hand_rows()))
    strict = analyze_frame(frame, BY_DAY, EndpointRules(min_share=0.9))
    b = strict.patient("B").windows[0]
    assert b.reason == "baseline: 24 of 28 days recorded, 26 needed"
    short = analyze_frame(frame, BY_DAY, treatment_days=56)
    a = short.patient("A")
    assert [w.window for w in a.windows] == ["baseline", "weeks 1–4", "weeks 5–8"]
    assert a.rate_ratio is not None
    assert (a.rate_ratio.window_days, a.rate_ratio.window_events) == (56, 4)
    with pytest.raises(InvalidInput, match="treatment_days"):
        analyze_frame(frame, BY_DAY, treatment_days=7)


def test_the_arrays_are_aligned_on_the_first_treatment(tmp_path: Path) -> None:
    frame = read_table(write_csv(tmp_path / "diary.csv", hand_rows()))
    ids, arrays, not_evaluable = diary_arrays_from_frame(frame, BY_DAY)
    assert ids == ["A", "B", "D"]
    assert not_evaluable == {"C": not_evaluable["C"]}
    assert arrays.baseline_days == 28
    assert arrays.days == 28 + 84  # day −28 … 83
    a, b, d = 0, 1, 2
    assert arrays.recorded[a, 28]  # day 0…
    assert arrays.headache[a, 28]  # …a headache day
    assert not arrays.recorded[b, 28 - 10 : 28 - 6].any()  # days −10…−7 have no row
    assert not arrays.recorded[d, [28 - 3, 28 - 1]].any()  # empty headache cells
    assert not arrays.recorded[d, 28 + 41 :].any()  # D's data end at day 40
    assert arrays.recorded.sum() == 112 + 108 + 67


def test_missing_days_reduce_the_recorded_days_not_the_rate(tmp_path: Path) -> None:
    rows = [r for r in hand_rows() if r["patient"] == "A"]
    full = analyse(write_csv(tmp_path / "full.csv", rows)).patient("A")
    # Drop three no-headache baseline rows and empty the headache cell of two more.
    gappy_rows = [dict(r) for r in rows if r["day"] not in (-27, -26, -25)]
    for r in gappy_rows:
        if r["day"] in (-23, -22):
            r["headache"] = None
    gappy = analyse(write_csv(tmp_path / "gappy.csv", gappy_rows)).patient("A")
    assert full.baseline is not None
    assert gappy.baseline is not None
    assert (full.baseline.recorded_days, gappy.baseline.recorded_days) == (28, 23)
    assert gappy.baseline.headache_days_per_28 == pytest.approx(7 / 23 * 28)
    assert gappy.rate_ratio is not None
    assert gappy.rate_ratio.baseline_days == 23
    # One more missing day and the baseline is too thin to use.
    thin = analyse(write_csv(tmp_path / "thin.csv", [r for r in gappy_rows if r["day"] != -21]))
    baseline = thin.patient("A").baseline
    assert baseline is not None
    assert math.isnan(baseline.headache_days_per_28)
    assert baseline.reason == "baseline: 22 of 28 days recorded, 23 needed"
    assert thin.patient("A").responder is None


def test_dates_give_the_same_result_as_day_numbers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "diary.csv", hand_rows())
    assert analyse(path, BY_DATE).as_dict() == analyse(path, BY_DAY).as_dict()


def test_dates_out_of_order_give_the_same_result_as_sorted(tmp_path: Path) -> None:
    rows = hand_rows()
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    in_order = analyse(write_csv(tmp_path / "sorted.csv", rows), BY_DATE)
    mixed = analyse(write_csv(tmp_path / "shuffled.csv", shuffled), BY_DATE)
    assert mixed.as_dict() == in_order.as_dict()
    assert mixed.summary.evaluable == 3


def test_bom_crlf_csv_and_parquet_give_the_same_result(tmp_path: Path) -> None:
    rows = hand_rows()
    plain = analyse(write_csv(tmp_path / "plain.csv", rows), BY_DATE).as_dict()
    windows = analyse(write_csv(tmp_path / "excel.csv", rows, bom=True, crlf=True), BY_DATE)
    parquet = analyse(write_parquet(tmp_path / "diary.parquet", rows), BY_DATE)
    parquet_days = analyse(tmp_path / "diary.parquet", BY_DAY)
    assert windows.as_dict() == plain
    assert parquet.as_dict() == plain
    assert parquet_days.as_dict() == plain


def test_bom_crlf_and_a_blank_line_keep_the_row_numbers_of_the_file(tmp_path: Path) -> None:
    rows = [r for r in hand_rows() if r["patient"] == "A"][:5]
    rows[3]["headache"] = "maybe"  # the 4th data row: row 5, or row 6 after a blank line
    for kw, row in (({}, 5), ({"bom": True, "crlf": True}, 5), ({"blank_at": 2}, 6)):
        path = write_csv(tmp_path / "diary.csv", rows, **kw)
        assert f"row {row}, column 'headache'" in problems(path, BY_DAY), kw


def test_yes_no_spellings_and_medication_counts(tmp_path: Path) -> None:
    words = ["1", "0", "TRUE", "false", "Yes", "no", "y", "N", " yes "]
    meds = ["2", "0", "yes", "no", "1", "", "Y", "n", "3"]
    lines = ["id,day,ache,meds"]
    for d in range(-28, 0):
        lines.append(f"1,{d},{words[d % 9]},{meds[d % 9]}")
    report = analyze_frame(
        csv_frame("\n".join(lines) + "\n", tmp_path),
        ColumnMap(patient="id", day="day", headache="ache", medication="meds"),
    )
    baseline = report.patient("1").windows[0]
    yes = sum(words[d % 9].strip().lower() in ("1", "true", "yes", "y") for d in range(-28, 0))
    taken = sum(meds[d % 9] in ("2", "yes", "1", "Y", "3") for d in range(-28, 0))
    assert baseline.headache_days_per_28 == yes
    assert baseline.acute_medication_days_per_28 == taken


def test_a_patient_without_a_first_treatment_date_is_not_evaluable(tmp_path: Path) -> None:
    rows = hand_rows()
    for r in rows:
        if r["patient"] == "B":
            r["first_treatment"] = None
    report = analyse(write_csv(tmp_path / "diary.csv", rows), BY_DATE)
    assert report.patient("B").not_evaluable.startswith("no first treatment date")
    assert report.patient("A").responder is True
    assert (report.summary.patients, report.summary.evaluable) == (4, 2)


def test_a_patient_with_no_baseline_is_reported_while_the_others_are_analysed(
    tmp_path: Path,
) -> None:
    rows = hand_rows()
    without_c = [r for r in rows if r["patient"] != "C"]
    with_c = analyse(write_csv(tmp_path / "all.csv", rows))
    others = analyse(write_csv(tmp_path / "others.csv", without_c))
    assert with_c.patient("C").note.startswith("not evaluable: no baseline days")
    assert [p.as_dict() for p in with_c.patients if p.patient != "C"] == [
        p.as_dict() for p in others.patients
    ]
    assert with_c.summary.responders == others.summary.responders


# --------------------------------------------------------------------------- bad input


def test_every_bad_cell_is_named_with_its_row_and_column(tmp_path: Path) -> None:
    text = (
        "patient,day,headache,pain,medication\n"
        "1,-2,yes,5,0\n"  # row 2
        "1,-1,maybe,3,0\n"  # row 3: headache
        "1,0,no,11,0\n"  # row 4: pain out of range
        "1,0,yes,x,0\n"  # row 5: same patient-day as row 4; pain not a number
        "2,-1,1,5.5,-1\n"  # row 6: pain not whole; medication negative
        ",3,1,2,0\n"  # row 7: no patient
        "2,x,1,2,lots\n"  # row 8: day; medication
        "2,,1,2,0\n"  # row 9: no day
    )
    found = problems(
        csv_frame(text, tmp_path),
        ColumnMap(
            patient="patient", day="day", headache="headache", pain="pain", medication="medication"
        ),
    )
    assert found == {
        "row 3, column 'headache'": "'maybe' is not yes/no (write 1/0, true/false, yes/no or y/n)",
        "row 4, column 'pain'": "'11' is out of range: peak pain is 0–10",
        "row 5, column 'pain'": "'x' is not a number",
        "row 5, column 'day'": "the same patient-day as row 4; one row per day",
        "row 6, column 'pain'": "'5.5' is not a whole number from 0 to 10",
        "row 6, column 'medication'": "'-1' is not a count of intakes (0, 1, 2, …)",
        "row 7, column 'patient'": "is empty; every row needs a patient",
        "row 8, column 'day'": ("'x' is not a day number (whole days from the first treatment)"),
        "row 8, column 'medication'": "'lots' is neither yes/no nor a count of intakes",
        "row 9, column 'day'": "is empty; every row needs a day",
    }


def test_bad_dates_and_a_varying_first_treatment_are_named(tmp_path: Path) -> None:
    text = (
        "id,visit,first,ache\n"
        "1,2026-03-01,2026-03-05,no\n"  # row 2
        "1,03/02/2026,2026-03-05,no\n"  # row 3: not ISO
        "1,2026-03-03,2026-03-06,no\n"  # row 4: first treatment differs from row 2
        "1,2026-03-01,2026-03-05,yes\n"  # row 5: same day as row 2
        "2,2026-03-01,soon,no\n"  # row 6: not a date
        "2,2026-02-30,2026-03-05,no\n"  # row 7: no such day
    )
    found = problems(
        csv_frame(text, tmp_path),
        ColumnMap(patient="id", date="visit", first_treatment="first", headache="ache"),
    )
    assert found == {
        "row 3, column 'visit'": "'03/02/2026' is not a date; write YYYY-MM-DD",
        "row 4, column 'first'": (
            "differs from row 2 of the same patient; the first treatment date must be the "
            "same on all of a patient's rows"
        ),
        "row 5, column 'visit'": "the same patient-day as row 2; one row per day",
        "row 6, column 'first'": "'soon' is not a date; write YYYY-MM-DD",
        "row 7, column 'visit'": "'2026-02-30' is not a date; write YYYY-MM-DD",
    }


def test_unknown_columns_are_listed_with_the_columns_that_exist_and_cells_still_checked(
    tmp_path: Path,
) -> None:
    frame = csv_frame("pid,day,headache\n1,-1,perhaps\n", tmp_path)
    found = problems(
        frame, ColumnMap(patient="patient", day="day", headache="headache", pain="vas")
    )
    assert found == {
        "patient": "column 'patient' is not in the file; its columns are 'pid', 'day', 'headache'",
        "pain": "column 'vas' is not in the file; its columns are 'pid', 'day', 'headache'",
        "row 2, column 'headache'": (
            "'perhaps' is not yes/no (write 1/0, true/false, yes/no or y/n)"
        ),
    }


def test_many_bad_rows_are_counted_after_the_first_twenty(tmp_path: Path) -> None:
    lines = ["id,day,ache"] + [f"1,{d},?" for d in range(-28, 0)]
    with pytest.raises(InvalidInput) as caught:
        diary_arrays_from_frame(
            csv_frame("\n".join(lines), tmp_path),
            ColumnMap(patient="id", day="day", headache="ache"),
        )
    fields = [p.field for p in caught.value.problems]
    assert len(fields) == 21
    assert fields[0] == "row 2, column 'ache'"
    assert caught.value.problems[-1].message == "8 more rows like these"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "diary.csv is empty: it has no header row"),
        (b"\xef\xbb\xbf\r\n", "diary.csv is empty: it has no header row"),
        (b"patient,day,headache\r\n", "file: is empty: it has no data rows"),
        (b"patient,day,headache\n\n\n", "file: is empty: it has no data rows"),
        (b"patient,day,headache\n1,-1,\xe4\n", "diary.csv is not UTF-8 text"),
    ],
)
def test_an_empty_or_unreadable_file_is_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "diary.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message):
        diary_arrays_from_frame(
            read_table(path), ColumnMap(patient="patient", day="day", headache="headache")
        )


def test_only_csv_and_parquet_are_read(tmp_path: Path) -> None:
    path = tmp_path / "diary.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(InvalidInput, match=r"only \.csv and \.parquet files can be read"):
        read_table(path)
    with pytest.raises(InvalidInput, match="no such file"):
        read_table(tmp_path / "absent.csv")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(InvalidInput, match="is not a readable Parquet file"):
        read_table(tmp_path / "broken.parquet")


@pytest.mark.parametrize(
    ("build", "field", "message"),
    [
        (lambda: ColumnMap(patient="p", headache="h"), "day", "give a day column"),
        (lambda: ColumnMap(patient="p", headache="h", day="d", date="t"), "day", "not both"),
        (lambda: ColumnMap(patient="p", headache="h", date="t"), "first_treatment", "needs"),
        (
            lambda: ColumnMap(patient="p", headache="h", day="d", first_treatment="f"),
            "first_treatment",
            "only used with a date column",
        ),
        (lambda: ColumnMap(patient="", headache="h", day="d"), "patient", "no column given"),
        (lambda: ColumnMap(patient="p", headache="p", day="d"), "headache", "already the patient"),
    ],
)
def test_the_column_map_must_place_every_row_in_time(
    build: Callable[[], ColumnMap], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        build()
    assert any(p.field == field and message in p.message for p in caught.value.problems)


# --------------------------------------------------------------------------- checks


def _random_frame(seed: int) -> pd.DataFrame:
    """30 patients, days −35…90: rows dropped at random, empty headache cells, odd order."""
    rng = np.random.default_rng(seed)
    rows: list[Row] = []
    for p in range(30):
        rate = rng.uniform(0.05, 0.6)
        keep = rng.uniform(0.6, 1.0)
        for d in range(-35, 91):
            if rng.random() > keep:
                continue
            headache: str = "yes" if rng.random() < rate else "no"
            if rng.random() < 0.05:
                headache = ""
            rows.append({"patient": f"p{p:02d}", "day": d, "headache": headache})
    frame = pd.DataFrame(rows).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return frame.astype(str)


def test_baseline_rates_equal_a_plain_pandas_group_by(tmp_path: Path) -> None:
    frame = _random_frame(3)
    path = tmp_path / "random.csv"
    frame.to_csv(path, index=False)
    report = analyse(path, ColumnMap(patient="patient", day="day", headache="headache"))

    day = frame["day"].astype(int)
    recorded = frame[(day >= -28) & (day < 0) & (frame["headache"] != "")]
    grouped = recorded.assign(ache=recorded["headache"] == "yes").groupby("patient")["ache"]
    expected = (grouped.sum() / grouped.count() * 28).where(grouped.count() >= 23)

    ours = {
        p.patient: p.baseline.headache_days_per_28
        for p in report.patients
        if p.baseline is not None
    }
    assert set(ours) == set(expected.index)
    sufficient = expected.dropna()
    assert len(sufficient) >= 10
    for pid, value in expected.items():
        if math.isnan(value):
            assert math.isnan(ours[str(pid)])
        else:
            assert abs(ours[str(pid)] - value) < 1e-9
    summary = report.summary.baseline_headache_days
    assert summary.n == len(sufficient)
    assert abs(summary.value - float(sufficient.median())) < 1e-9


def test_a_simulated_cohort_exported_to_parquet_gives_back_its_known_baseline(
    tmp_path: Path,
) -> None:
    cohort = simulate_cohort(
        80, rng=np.random.default_rng(21), schedule=Schedule.evenly(10, 8), follow_days=84
    )
    columns = export.diary_columns(cohort)
    frame = pd.DataFrame(
        {k: columns[k] for k in ("patient", "day", "headache", "peak_pain", "simple_analgesic")}
    )
    path = tmp_path / "cohort.parquet"
    frame.to_parquet(path)
    report = analyse(
        path,
        ColumnMap(
            patient="patient",
            day="day",
            headache="headache",
            pain="peak_pain",
            medication="simple_analgesic",
        ),
    )
    truth = cohort.per_28(cohort.headache, -28, 0)
    compared = 0
    for i, expected in enumerate(truth):
        if math.isnan(expected):
            continue
        baseline = report.patient(str(i)).baseline
        assert baseline is not None
        assert baseline.headache_days_per_28 == pytest.approx(expected, abs=1e-9)
        compared += 1
    assert compared >= 60
    ours = [p for p in report.patients if p.baseline is not None]
    assert sum(not math.isnan(p.baseline.headache_days_per_28) for p in ours if p.baseline) == (
        compared
    )
    weeks_9_12 = cohort.per_28(cohort.headache, 56, 84)
    known = weeks_9_12[~np.isnan(weeks_9_12)]
    assert report.summary.weeks_9_12_headache_days.n == len(known)
    assert report.summary.weeks_9_12_headache_days.value == pytest.approx(float(np.median(known)))
