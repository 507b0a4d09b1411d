"""The acupoint catalogue: WHO 2008 counts and names, aliases, suggestions, midline flags."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acurelief.knowledge.acupoints import (
    MERIDIANS,
    Acupoint,
    AmbiguousPoint,
    Catalogue,
    Region,
    UnknownPoint,
    catalogue,
    meridian_counts,
)

# clinical-facts §5.1: WHO Standard Acupuncture Point Locations (2008), in chapter order.
WHO_COUNTS = {
    "LU": 11,
    "LI": 20,
    "ST": 45,
    "SP": 21,
    "HT": 9,
    "SI": 19,
    "BL": 67,
    "KI": 27,
    "PC": 9,
    "TE": 23,
    "GB": 44,
    "LR": 14,
    "GV": 28,
    "CV": 24,
}
PAIRED = [m for m in WHO_COUNTS if m not in ("GV", "CV")]
STANDARD_CODES = [p.code for p in catalogue().standard()]
HEADER = "code,meridian,number,pinyin,region,midline\n"


# --- counts and numbering -------------------------------------------------------------


def test_exactly_361_standard_points() -> None:
    assert len(catalogue().standard()) == 361
    assert sum(meridian_counts().values()) == 361


def test_counts_per_meridian_match_who_2008() -> None:
    assert meridian_counts() == WHO_COUNTS
    assert list(meridian_counts()) == list(WHO_COUNTS)  # WHO chapter order


def test_every_code_is_unique() -> None:
    codes = [p.code for p in catalogue()]
    assert len(codes) == len(set(codes)) == len(catalogue())


@pytest.mark.parametrize("meridian", list(WHO_COUNTS))
def test_numbers_are_contiguous_from_one(meridian: str) -> None:
    points = catalogue().by_meridian(meridian)
    assert [p.number for p in points] == list(range(1, WHO_COUNTS[meridian] + 1))
    assert all(p.code == f"{meridian}{p.number}" and p.meridian == meridian for p in points)


def test_extra_points_are_ex_hn_1_to_15() -> None:
    extra = catalogue().extra()
    assert [p.code for p in extra] == [f"EX-HN{n}" for n in range(1, 16)]
    assert all(p.meridian == "EX" and p.is_extra for p in extra)
    assert all(p.region is Region.HEAD_NECK for p in extra)
    assert not any(p.is_extra for p in catalogue().standard())


def test_meridians_are_in_who_order_with_english_names() -> None:
    assert list(MERIDIANS) == list(WHO_COUNTS)
    assert MERIDIANS["TE"] == "Triple Energizer"
    assert MERIDIANS["GV"] == "Governor Vessel"
    assert MERIDIANS["CV"] == "Conception Vessel"


def test_standard_is_in_who_order() -> None:
    standard = catalogue().standard()
    assert (standard[0].code, standard[-1].code) == ("LU1", "CV24")
    assert standard[11].code == "LI1"


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "pinyin"),
    [
        ("LU1", "Zhongfu"),
        ("LI4", "Hegu"),
        ("ST36", "Zusanli"),
        ("SP6", "Sanyinjiao"),
        ("HT7", "Shenmen"),
        ("SI3", "Houxi"),
        ("BL2", "Cuanzhu"),
        ("BL10", "Tianzhu"),
        ("BL40", "Weizhong"),
        ("BL60", "Kunlun"),
        ("KI3", "Taixi"),
        ("PC6", "Neiguan"),
        ("TE5", "Waiguan"),
        ("GB20", "Fengchi"),
        ("GB34", "Yanglingquan"),
        ("LR3", "Taichong"),
        ("GV20", "Baihui"),
        ("CV12", "Zhongwan"),
        ("EX-HN1", "Sishencong"),
        ("EX-HN3", "Yintang"),
        ("EX-HN5", "Taiyang"),
    ],
)
def test_well_known_names(code: str, pinyin: str) -> None:
    assert catalogue().get(code).pinyin == pinyin


@pytest.mark.parametrize(
    ("code", "pinyin"),
    # WHO 2008 order after BL40 (the outer back line, then the leg) and at the ends of GB/ST.
    [
        ("BL36", "Chengfu"),
        ("BL40", "Weizhong"),
        ("BL41", "Fufen"),
        ("BL54", "Zhibian"),
        ("BL55", "Heyang"),
        ("BL67", "Zhiyin"),
        ("ST1", "Chengqi"),
        ("ST8", "Touwei"),
        ("ST45", "Lidui"),
        ("GB1", "Tongziliao"),
        ("GB44", "Zuqiaoyin"),
        ("TE22", "Erheliao"),
        ("CV17", "Danzhong"),
    ],
)
def test_numbering_follows_who_2008(code: str, pinyin: str) -> None:
    assert catalogue().get(code).pinyin == pinyin


def test_pinyin_is_plain_ascii() -> None:
    assert all(p.pinyin.isascii() and p.pinyin.isalpha() for p in catalogue())


# --- regions and midline ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("GB20", Region.HEAD_NECK),
        ("GV14", Region.HEAD_NECK),
        ("LI4", Region.UPPER_LIMB),
        ("LI15", Region.UPPER_LIMB),
        ("ST36", Region.LOWER_LIMB),
        ("GB30", Region.LOWER_LIMB),
        ("CV12", Region.CHEST_ABDOMEN),
        ("LU1", Region.CHEST_ABDOMEN),
        ("BL23", Region.BACK),
        ("SI11", Region.BACK),
    ],
)
def test_regions(code: str, region: Region) -> None:
    assert catalogue().get(code).region is region


def test_every_region_is_used() -> None:
    assert {p.region for p in catalogue()} == set(Region)


@pytest.mark.parametrize("meridian", ["GV", "CV"])
def test_governor_and_conception_vessel_points_are_all_midline(meridian: str) -> None:
    assert all(p.midline for p in catalogue().by_meridian(meridian))


@pytest.mark.parametrize("meridian", PAIRED)
def test_no_point_of_the_twelve_paired_meridians_is_midline(meridian: str) -> None:
    assert not any(p.midline for p in catalogue().by_meridian(meridian))


def test_extra_point_midline_flags() -> None:
    midline = {p.code for p in catalogue().extra() if p.midline}
    assert midline == {"EX-HN1", "EX-HN3", "EX-HN10", "EX-HN11"}


# --- parsing: spellings and aliases -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("GB20", "GB20"),
        ("gb 20", "GB20"),
        ("GB-20", "GB20"),
        ("gb20", "GB20"),
        ("gb_20", "GB20"),
        ("  GB20  ", "GB20"),
        ("LR03", "LR3"),
        ("LV3", "LR3"),
        ("LIV3", "LR3"),
        ("Liv 3", "LR3"),
        ("SJ5", "TE5"),
        ("TW5", "TE5"),
        ("TB5", "TE5"),
        ("UB10", "BL10"),
        ("P6", "PC6"),
        ("HC6", "PC6"),
        ("Du20", "GV20"),
        ("Ren12", "CV12"),
        ("GV24+", "EX-HN3"),
        ("gv 24+", "EX-HN3"),
        ("GV29", "EX-HN3"),
        ("Du29", "EX-HN3"),
        ("EX-HN5", "EX-HN5"),
        ("EX-HN-5", "EX-HN5"),
        ("ex hn 5", "EX-HN5"),
        ("exhn05", "EX-HN5"),
        ("Taiyang", "EX-HN5"),
        ("taiyang", "EX-HN5"),
        ("Yintang", "EX-HN3"),
        ("Zusanli", "ST36"),
        ("zu san li", "ST36"),
        ("Zú Sān Lǐ", "ST36"),
        ("Feng-chi", "GB20"),
    ],
)
def test_parse_spellings_and_aliases(text: str, code: str) -> None:
    assert catalogue().parse(text) is catalogue().get(code)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Pushen", "BL61"),
        ("Qimai", "TE18"),
        ("Zanzhu", "BL2"),
        ("Qinglingyuan", "TE11"),
        ("Shanzhong", "CV17"),
        ("Renzhong", "GV26"),
    ],
)
def test_other_names_of_a_point(name: str, code: str) -> None:
    assert catalogue().parse(name).code == code


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("Futu", ["LI18", "ST32"]),
        ("Erjian", ["LI2", "EX-HN6"]),
        ("Wangu", ["SI4", "GB12"]),
        ("Yinjiao", ["CV7", "GV28"]),
    ],
)
def test_a_name_shared_by_several_points_is_refused(name: str, codes: list[str]) -> None:
    with pytest.raises(AmbiguousPoint, match="more than one") as caught:
        catalogue().parse(name)
    assert sorted(caught.value.suggestions) == sorted(codes)
    assert isinstance(caught.value, UnknownPoint)


def test_every_standard_code_parses_lower_hyphen_and_space() -> None:
    cat = catalogue()
    for point in cat.standard():
        variants = (
            point.code,
            point.code.lower(),
            f"{point.meridian}-{point.number}",
            f"{point.meridian} {point.number}",
        )
        assert all(cat.parse(v) is point for v in variants), point.code


@given(
    code=st.sampled_from(STANDARD_CODES),
    separator=st.sampled_from(["", " ", "-", " - ", "_", "  "]),
    lower=st.booleans(),
    zeros=st.integers(0, 2),
)
def test_parse_ignores_case_separators_and_leading_zeros(
    code: str, separator: str, lower: bool, zeros: int
) -> None:
    point = catalogue().get(code)
    text = f"{point.meridian}{separator}{'0' * zeros}{point.number}"
    assert catalogue().parse(text.lower() if lower else text) is point
    assert catalogue().parse(code.lower()) is point
    assert catalogue().parse(f"{point.meridian}-{point.number}") is point
    assert catalogue().parse(f"{point.meridian} {point.number}") is point


# --- unknown codes ----------------------------------------------------------------------


def test_unknown_code_names_the_input_and_suggests_the_nearest() -> None:
    with pytest.raises(UnknownPoint, match="'GB45'") as caught:
        catalogue().parse("GB45")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.suggestions[0] == "GB44"
    assert "GB4" in error.suggestions
    assert len(error.suggestions) <= 5
    assert "GB has points 1 to 44" in str(error)
    assert "GB44" in str(error)


@pytest.mark.parametrize("text", ["XX1", "EX-B1", "GB0", "LV15", "Du30", "EX-HN16", "Taiyng"])
def test_unknown_inputs_get_up_to_five_valid_suggestions(text: str) -> None:
    with pytest.raises(UnknownPoint) as caught:
        catalogue().parse(text)
    suggestions = caught.value.suggestions
    assert 1 <= len(suggestions) <= 5
    assert all(s in catalogue() for s in suggestions)
    assert repr(text) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("LV15", "LR14"),
        ("Du30", "GV28"),
        ("EX-HN16", "EX-HN15"),
        ("GB0", "GB1"),
        ("Taiyng", "EX-HN5"),
    ],
)
def test_the_nearest_valid_code_comes_first(text: str, first: str) -> None:
    with pytest.raises(UnknownPoint) as caught:
        catalogue().parse(text)
    assert caught.value.suggestions[0] == first


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(UnknownPoint, match="empty"):
        catalogue().parse(text)


def test_get_wants_the_exact_standard_code() -> None:
    with pytest.raises(UnknownPoint) as caught:
        catalogue().get("gb20")
    assert caught.value.suggestions[0] == "GB20"


# --- lookups and loading ----------------------------------------------------------------


def test_by_meridian_accepts_case_and_legacy_codes() -> None:
    cat = catalogue()
    assert cat.by_meridian("lv") == cat.by_meridian("LR") == cat.by_meridian("Liv")
    assert cat.by_meridian("sj") == cat.by_meridian("TE")
    assert cat.by_meridian("ex") == cat.extra()
    assert cat.by_meridian("XX") == []


def test_catalogue_is_loaded_once() -> None:
    assert catalogue() is catalogue()
    assert "GB20" in catalogue()
    assert "GB45" not in catalogue()


def test_points_are_frozen() -> None:
    point = catalogue().get("GB20")
    assert point == Acupoint("GB20", "GB", 20, "Fengchi", Region.HEAD_NECK, False)
    with pytest.raises(AttributeError):
        point.number = 21  # type: ignore[misc]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("GB20,GB,20,Fengchi,head_neck", "expected 6 fields"),
        ("GB20,XX,20,Fengchi,head_neck,false", "unknown meridian"),
        ("GB20,GB,x,Fengchi,head_neck,false", "positive integer"),
        ("GB21,GB,20,Fengchi,head_neck,false", "does not match"),
        ("GB20,GB,20,Fēngchí,head_neck,false", "tone marks"),
        ("GB20,GB,20,Fengchi,neck,false", "unknown region"),
        ("GB20,GB,20,Fengchi,head_neck,no", "true or false"),
    ],
)
def test_malformed_rows_are_refused_with_their_line(row: str, problem: str) -> None:
    with pytest.raises(ValueError, match=f"line 2: .*{problem}"):
        Catalogue.from_csv(HEADER + row + "\n")


def test_wrong_header_and_duplicates_are_refused() -> None:
    with pytest.raises(ValueError, match="header"):
        Catalogue.from_csv("code,meridian\nGB20,GB\n")
    row = "GB20,GB,20,Fengchi,head_neck,false\n"
    with pytest.raises(ValueError, match="duplicate acupoint code GB20"):
        Catalogue.from_csv(HEADER + row + row)
