"""What a questionnaire form shows: stem, items in order, and the answers with their labels.

The wording is ``data/questionnaire_texts.csv`` (sources in its header and in
``data/QUESTIONNAIRE_TEXTS.md``). PHQ-9 and GAD-7 carry their full standard texts, free to
reproduce since 2010 (clinical-facts §2.3–§2.4); PHQ-2 and GAD-2 are their first two items.
HIT-6 and MIDAS are licensed or of unknown licence (§2.1–§2.2): their items carry only a
neutral label of what they cover or count, never the instrument's own wording.

A clinic that holds a licence supplies the wording as an *overlay*: a mapping of instrument
to item key (or ``"stem"``) to text, for example ``{"HIT-6": {"stem": "…", "1": "…"}}``.
:func:`parse_overlay` checks it, naming every bad key; :func:`forms` lays it over the
standard wording. This module reads no settings and no file but its own: the edges read the
clinic's file (``ACURELIEF_QUESTIONNAIRE_TEXTS_FILE``) and pass the parsed mapping in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from types import MappingProxyType

from acurelief.domain.questionnaire import ITEM_ANSWERS, Instrument
from acurelief.errors import InvalidInput, Problems

__all__ = [
    "SHORT_FORMS",
    "AnswerOption",
    "FormItem",
    "QuestionnaireForm",
    "TextOverlay",
    "forms",
    "parse_overlay",
]

DATA_FILE = "questionnaire_texts.csv"
_FIELDS = ("instrument", "key", "kind", "text")
STEM = "stem"
MAX_TEXT_LENGTH = 1000
# PHQ-2 and GAD-2 are items 1–2 of PHQ-9 and GAD-7 (clinical-facts §2.3, §2.4).
SHORT_FORMS: Mapping[Instrument, tuple[Instrument, int]] = MappingProxyType(
    {Instrument.PHQ2: (Instrument.PHQ9, 2), Instrument.GAD2: (Instrument.GAD7, 2)}
)

TextOverlay = Mapping[Instrument, Mapping[str, str]]
"""Licensed wording by instrument, then by item key or ``"stem"``; checked by parse_overlay."""


@dataclass(frozen=True, slots=True)
class AnswerOption:
    value: int
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FormItem:
    """One item as a form shows it.

    ``text`` is the instrument's own wording, or, when ``is_label`` is true, only a neutral
    label of what the item covers (the wording is licensed and was not supplied). ``options``
    are every allowed answer in order; a ``numeric`` item is answered with a number (MIDAS
    days) rather than by choosing a label. Items that are not ``required`` (MIDAS A and B)
    are context and may be left out.
    """

    key: str
    text: str
    is_label: bool
    options: tuple[AnswerOption, ...]
    numeric: bool
    required: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionnaireForm:
    instrument: Instrument
    stem: str
    items: tuple[FormItem, ...]
    notice: str

    @property
    def has_licensed_text(self) -> bool:
        """Whether every item shows the instrument's own wording (none is a bare label)."""
        return not any(item.is_label for item in self.items)


# --- the package's own data -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    instrument: Instrument
    key: str
    kind: str
    text: str


def _read_rows(text: str) -> list[_Row]:
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(lines)))
    header = next(reader, None)
    if header is None or tuple(header) != _FIELDS:
        raise ValueError(f"{DATA_FILE}: header must be {','.join(_FIELDS)}, got {header}")
    return [_Row(Instrument(r[0]), r[1], r[2], r[3]) for r in reader if r]


def _answer_labels(rows: list[_Row], key: str) -> dict[int, str]:
    """Labels of answer values for item ``key``: instrument-wide ones, then the item's own."""
    labels: dict[int, str] = {}
    for row in rows:
        if row.kind == "answer" and ":" not in row.key:
            labels[int(row.key)] = row.text
    for row in rows:
        item, _, value = row.key.partition(":")
        if row.kind == "answer" and value and item == key:
            labels[int(value)] = row.text
    return labels


def _build_form(instrument: Instrument, rows: list[_Row]) -> QuestionnaireForm:
    """One instrument's form from its rows, checked against the domain's items and answers."""
    allowed = ITEM_ANSWERS[instrument]
    texts = {r.key: r for r in rows if r.kind in ("item", "label")}
    if set(texts) != set(allowed):
        raise ValueError(f"{DATA_FILE}: {instrument} items {sorted(texts)} != {sorted(allowed)}")
    chosen = any(r.kind == "answer" and ":" not in r.key for r in rows)
    items = []
    for key in allowed:  # the domain's item order: 1, 2, … then MIDAS A, B
        row = texts[key]
        labels = _answer_labels(rows, key)
        if not set(labels) <= allowed[key] or (chosen and set(labels) != allowed[key]):
            raise ValueError(f"{DATA_FILE}: {instrument} item {key} answer labels do not fit")
        options = tuple(AnswerOption(v, labels.get(v, str(v))) for v in sorted(allowed[key]))
        items.append(
            FormItem(
                key=key,
                text=row.text,
                is_label=row.kind == "label",
                options=options,
                numeric=not chosen,
                required=key.isdigit(),  # as QuestionnaireResponse requires them
            )
        )
    return QuestionnaireForm(
        instrument=instrument,
        stem=_single(rows, "stem"),
        items=tuple(items),
        notice=_single(rows, "notice"),
    )


def _single(rows: list[_Row], kind: str) -> str:
    found = [r.text for r in rows if r.kind == kind]
    if len(found) != 1:
        raise ValueError(f"{DATA_FILE}: expected one {kind} row per instrument, got {found}")
    return found[0]


def _short_form(instrument: Instrument, full: QuestionnaireForm, n: int) -> QuestionnaireForm:
    return replace(full, instrument=instrument, items=full.items[:n])


@cache
def _standard() -> Mapping[Instrument, QuestionnaireForm]:
    text = resources.files("acurelief.knowledge").joinpath("data", DATA_FILE).read_text("utf-8")
    rows = _read_rows(text)
    result: dict[Instrument, QuestionnaireForm] = {}
    for instrument in Instrument:
        if instrument not in SHORT_FORMS:
            result[instrument] = _build_form(
                instrument, [r for r in rows if r.instrument is instrument]
            )
    for short, (full, n) in SHORT_FORMS.items():
        result[short] = _short_form(short, result[full], n)
    return MappingProxyType({i: result[i] for i in Instrument})


# --- a licensed clinic's overlay --------------------------------------------------------------


def _overlay_keys(instrument: Instrument) -> tuple[str, ...]:
    return (STEM, *ITEM_ANSWERS[instrument])


def _check_text(problems: Problems, field: str, text: object) -> str | None:
    if not isinstance(text, str) or not text.strip():
        problems.add(field, "must be non-empty text")
        return None
    if len(text) > MAX_TEXT_LENGTH:
        problems.add(field, f"must be at most {MAX_TEXT_LENGTH} characters")
        return None
    return text.strip()


def _parse_instrument_texts(
    problems: Problems, instrument: Instrument, texts: object
) -> dict[str, str]:
    if not isinstance(texts, Mapping):
        problems.add(instrument.value, "must map item keys (or 'stem') to texts")
        return {}
    keys = _overlay_keys(instrument)
    parsed: dict[str, str] = {}
    for key, text in texts.items():
        field = f"{instrument}.{key}"
        if key not in keys:
            problems.add(field, f"{instrument} has no item {key!r}; keys are {', '.join(keys)}")
        elif (checked := _check_text(problems, field, text)) is not None:
            parsed[key] = checked
    return parsed


def _instrument_of(problems: Problems, name: object) -> Instrument | None:
    overlaid = [i.value for i in Instrument if i not in SHORT_FORMS]
    try:
        instrument = Instrument(str(name))
    except ValueError:
        problems.add(str(name), f"is not a questionnaire here; use one of {', '.join(overlaid)}")
        return None
    if instrument in SHORT_FORMS:
        full = SHORT_FORMS[instrument][0]
        problems.add(str(name), f"takes its items from {full}; give the texts there")
        return None
    return instrument


def parse_overlay(raw: object) -> TextOverlay:
    """Check a clinic's wording (parsed JSON) and return it keyed by instrument.

    Every problem is reported together, each naming its key ("HIT-6.7", "HIT-7"): an unknown
    instrument or item, a short form (PHQ-2, GAD-2: give PHQ-9 or GAD-7 instead), or a text
    that is empty, not text, or longer than ``MAX_TEXT_LENGTH``.
    """
    problems = Problems()
    if not isinstance(raw, Mapping):
        raise InvalidInput.single(
            "questionnaire texts", 'must map instruments to texts, e.g. {"HIT-6": {"1": "…"}}'
        )
    overlay: dict[Instrument, Mapping[str, str]] = {}
    for name, texts in raw.items():
        instrument = _instrument_of(problems, name)
        if instrument is not None:
            overlay[instrument] = MappingProxyType(
                _parse_instrument_texts(problems, instrument, texts)
            )
    problems.raise_if_any(where="questionnaire texts")
    return MappingProxyType(overlay)


def _overlaid(form: QuestionnaireForm, texts: Mapping[str, str]) -> QuestionnaireForm:
    items = tuple(
        replace(item, text=texts[item.key], is_label=False) if item.key in texts else item
        for item in form.items
    )
    return replace(form, stem=texts.get(STEM, form.stem), items=items)


def forms(overlay: Mapping[str, object] | None = None) -> Mapping[Instrument, QuestionnaireForm]:
    """Every instrument's form, in ``Instrument`` order, with ``overlay`` laid over it.

    ``overlay`` is a clinic's licensed wording as parsed JSON (checked by
    :func:`parse_overlay`, which names every bad key). Without it, HIT-6 and MIDAS items
    carry only their neutral labels. The short forms follow their full forms.
    """
    standard = _standard()
    if not overlay:
        return standard
    checked = parse_overlay(overlay)
    result = {i: _overlaid(f, checked.get(i, {})) for i, f in standard.items()}
    for short, (full, n) in SHORT_FORMS.items():
        result[short] = _short_form(short, result[full], n)
    return MappingProxyType(result)
