"""Questionnaire wording: PHQ-9/GAD-7 in full, HIT-6/MIDAS as labels, a licensed overlay."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from acurelief.domain.questionnaire import ITEM_ANSWERS, Instrument, QuestionnaireResponse
from acurelief.errors import InvalidInput
from acurelief.knowledge.questionnaire_texts import AnswerOption, forms, parse_overlay

FREQUENCY = (  # clinical-facts §2.3, §2.4
    AnswerOption(0, "Not at all"),
    AnswerOption(1, "Several days"),
    AnswerOption(2, "More than half the days"),
    AnswerOption(3, "Nearly every day"),
)
HIT6_ANSWERS = ((6, "Never"), (8, "Rarely"), (10, "Sometimes"), (11, "Very often"), (13, "Always"))
HIT6_DOMAINS = (  # clinical-facts §2.1
    "Pain",
    "Social functioning",
    "Role functioning",
    "Vitality",
    "Cognitive functioning",
    "Psychological distress",
)


@pytest.mark.parametrize(
    ("instrument", "n", "stem_tail"),
    [
        (Instrument.PHQ9, 9, "bothered by any of the following problems?"),
        (Instrument.GAD7, 7, "bothered by the following problems?"),
    ],
)
def test_phq9_and_gad7_carry_their_full_texts(
    instrument: Instrument, n: int, stem_tail: str
) -> None:
    form = forms()[instrument]
    assert form.stem.startswith("Over the last 2 weeks, how often have you been")
    assert form.stem.endswith(stem_tail)
    assert [item.key for item in form.items] == [str(i) for i in range(1, n + 1)]
    assert all(not item.is_label and not item.numeric and item.required for item in form.items)
    assert all(item.options == FREQUENCY for item in form.items)
    assert form.has_licensed_text
    assert "Pfizer" in form.notice


def test_the_items_read_as_the_standard_forms() -> None:
    phq9, gad7 = forms()[Instrument.PHQ9], forms()[Instrument.GAD7]
    assert phq9.items[0].text == "Little interest or pleasure in doing things"
    assert phq9.items[8].text == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert gad7.items[0].text == "Feeling nervous, anxious, or on edge"
    assert gad7.items[6].text == "Feeling afraid, as if something awful might happen"
    assert len({item.text for item in phq9.items + gad7.items}) == 16


def test_short_forms_are_the_first_two_items() -> None:
    everything = forms()
    for short, full in ((Instrument.PHQ2, Instrument.PHQ9), (Instrument.GAD2, Instrument.GAD7)):
        assert everything[short].items == everything[full].items[:2]
        assert everything[short].stem == everything[full].stem


def test_every_instrument_has_a_form_that_matches_the_domain() -> None:
    everything = forms()
    assert list(everything) == list(Instrument)
    for instrument, form in everything.items():
        assert [item.key for item in form.items] == list(ITEM_ANSWERS[instrument])
        for item in form.items:
            assert {o.value for o in item.options} == ITEM_ANSWERS[instrument][item.key]
            assert item.text.strip()


def test_hit6_has_only_domain_labels_by_default() -> None:
    form = forms()[Instrument.HIT6]
    assert tuple(item.text for item in form.items) == HIT6_DOMAINS
    assert all(item.is_label for item in form.items)
    assert not form.has_licensed_text
    for item in form.items:
        assert tuple((o.value, o.label) for o in item.options) == HIT6_ANSWERS
    assert "QualityMetric" in form.notice


def test_midas_counts_days_in_neutral_words() -> None:
    form = forms()[Instrument.MIDAS]
    assert [item.key for item in form.items] == ["1", "2", "3", "4", "5", "A", "B"]
    assert all(item.is_label and item.numeric for item in form.items)
    assert [item.required for item in form.items] == [True] * 5 + [False] * 2
    assert form.items[0].text == "Days of missed work or school (last 3 months)"
    days = form.items[0].options
    assert (days[0], days[-1]) == (AnswerOption(0, "0"), AnswerOption(92, "92"))
    pain = form.items[-1].options
    assert [o.value for o in pain] == list(range(11))
    assert (pain[0].label, pain[-1].label) == ("0 (no pain)", "10 (worst pain)")


def test_an_overlay_supplies_the_licensed_wording() -> None:
    texts = {str(i): f"Licensed HIT-6 question {i}?" for i in range(1, 7)}
    overlay: dict[str, Any] = {
        "HIT-6": {"stem": "  Licensed stem  ", **texts},
        "MIDAS": {"A": "Licensed MIDAS A"},
    }
    everything = forms(overlay)
    hit6 = everything[Instrument.HIT6]
    assert hit6.stem == "Licensed stem"
    assert [item.text for item in hit6.items] == list(texts.values())
    assert hit6.has_licensed_text
    assert hit6.items[0].options == forms()[Instrument.HIT6].items[0].options
    midas = everything[Instrument.MIDAS]
    assert [item.is_label for item in midas.items] == [True] * 5 + [False, True]
    assert everything[Instrument.PHQ9] == forms()[Instrument.PHQ9]
    assert forms()[Instrument.HIT6].items[0].is_label  # the standard forms are untouched


def test_an_overlay_of_phq9_carries_over_to_phq2() -> None:
    everything = forms({"PHQ-9": {"1": "Wenig Interesse oder Freude an Ihren Tätigkeiten"}})
    assert everything[Instrument.PHQ2].items[0].text.startswith("Wenig Interesse")


@pytest.mark.parametrize(
    ("overlay", "fields"),
    [
        ({"HIT-6": {"7": "x"}}, ["HIT-6.7"]),
        ({"HIT-7": {"1": "x"}}, ["HIT-7"]),
        ({"PHQ-2": {"1": "x"}}, ["PHQ-2"]),
        ({"HIT-6": ["x"]}, ["HIT-6"]),
        ({"HIT-6": {"1": "", "2": 3, "3": "x" * 1001}}, ["HIT-6.1", "HIT-6.2", "HIT-6.3"]),
        ({"MIDAS": {"C": "x"}, "GAD-8": {}}, ["MIDAS.C", "GAD-8"]),
    ],
)
def test_a_bad_overlay_names_every_bad_key(overlay: dict[str, Any], fields: list[str]) -> None:
    with pytest.raises(InvalidInput, match="questionnaire texts") as caught:
        forms(overlay)
    assert [p.field for p in caught.value.problems] == fields


def test_an_overlay_must_be_a_mapping() -> None:
    with pytest.raises(InvalidInput, match="must map instruments"):
        parse_overlay(["HIT-6"])


def test_every_labelled_answer_is_one_the_domain_accepts() -> None:
    for instrument, form in forms().items():
        first = {item.key: item.options[0].value for item in form.items}
        response = QuestionnaireResponse(
            patient_id=1, instrument=instrument, date=dt.date(2026, 1, 1), answers=first
        )
        assert dict(response.answers) == first
