"""The WHO standard acupuncture points (361) and the head-and-neck extra points, by code.

The data is ``data/acupoints.csv`` (sources and decisions in ``data/ACUPOINTS.md``): one row
per point with its WHO code, meridian, number within the meridian, pinyin name without tone
marks, body region and whether it lies on the midline (and so is needled without a side).

:func:`catalogue` loads it once. :meth:`Catalogue.parse` turns what people write into the
standard entry: any case, spaces or hyphens ("gb 20", "GB-20"), leading zeros ("LR03"),
legacy meridian abbreviations ("LV3", "LIV3", "SJ5", "TW5", "UB10", "P6", "Du20", "Ren12"),
the Yintang codes "GV24+" and "GV29" (stored as EX-HN3), extra points ("EX-HN-5", "ex hn 5")
and pinyin names when they name one point only ("Taiyang", "zu san li"). Anything else raises
:class:`UnknownPoint`, which names the input and suggests up to five valid codes.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Final

__all__ = [
    "CODE_ALIASES",
    "EXTRA_MERIDIAN",
    "MERIDIANS",
    "MERIDIAN_ALIASES",
    "NAME_ALIASES",
    "Acupoint",
    "AmbiguousPoint",
    "Catalogue",
    "Region",
    "UnknownPoint",
    "catalogue",
    "meridian_counts",
]

# The 14 meridians in the chapter order of WHO Standard Acupuncture Point Locations (2008),
# clinical-facts §5.1, with the English names WHO uses.
MERIDIANS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "LU": "Lung",
        "LI": "Large Intestine",
        "ST": "Stomach",
        "SP": "Spleen",
        "HT": "Heart",
        "SI": "Small Intestine",
        "BL": "Bladder",
        "KI": "Kidney",
        "PC": "Pericardium",
        "TE": "Triple Energizer",
        "GB": "Gallbladder",
        "LR": "Liver",
        "GV": "Governor Vessel",
        "CV": "Conception Vessel",
    }
)
# Extra points belong to no meridian; their rows carry this in the meridian column.
EXTRA_MERIDIAN: Final = "EX"
# Legacy meridian abbreviations of older texts (clinical-facts §5.1), upper-case.
MERIDIAN_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "LV": "LR",
        "LIV": "LR",
        "TW": "TE",
        "SJ": "TE",
        "TB": "TE",
        "UB": "BL",
        "P": "PC",
        "HC": "PC",
        "DU": "GV",
        "REN": "CV",
    }
)
# Whole codes written for a point stored under another code (clinical-facts §5.2: Yintang is
# kept as EX-HN3; a Chinese-standard dataset writes GV24+, other texts GV29).
CODE_ALIASES: Final[Mapping[str, str]] = MappingProxyType({"GV24+": "EX-HN3", "GV29": "EX-HN3"})
# Other names or romanisations for a point, besides its WHO pinyin (see ACUPOINTS.md).
NAME_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Pushen": "BL61",  # WHO prints "Pucan (Pushen)"
        "Qimai": "TE18",  # WHO prints "Chimai (Qimai)"
        "Zanzhu": "BL2",  # common reading of 攢竹, WHO: Cuanzhu
        "Qinglingyuan": "TE11",  # Chinese standard GB/T 12346-2006, WHO: Qinglengyuan
        "Shanzhong": "CV17",  # common reading of 膻中, WHO: Danzhong
        "Renzhong": "GV26",  # classical name, WHO: Shuigou
    }
)

MAX_SUGGESTIONS: Final = 5
_FIELDS: Final = ("code", "meridian", "number", "pinyin", "region", "midline")
_BOOLEANS: Final[Mapping[str, bool]] = MappingProxyType({"true": True, "false": False})
_EXTRA_PREFIX: Final = "EX-HN"
_SEPARATORS = re.compile(r"[\s\-_.]+")
_CODE_SHAPE = re.compile(r"([A-Z]+)0*(\d+)(\+?)")
_PINYIN = re.compile(r"[A-Z][a-z]+")


class Region(StrEnum):
    """Body region of a point, after the regions WHO 2008 names in each location."""

    HEAD_NECK = "head_neck"
    UPPER_LIMB = "upper_limb"
    LOWER_LIMB = "lower_limb"
    CHEST_ABDOMEN = "chest_abdomen"
    BACK = "back"


@dataclass(frozen=True, slots=True)
class Acupoint:
    """One point: ``GB20`` is number 20 of meridian ``GB``; extra points have meridian EX."""

    code: str
    meridian: str
    number: int
    pinyin: str
    region: Region
    midline: bool

    @property
    def is_extra(self) -> bool:
        return self.meridian == EXTRA_MERIDIAN


class UnknownPoint(ValueError):
    """The text names no point in the catalogue; ``suggestions`` holds up to five codes."""

    def __init__(
        self, text: str, suggestions: Sequence[str] = (), *, reason: str = "", message: str = ""
    ) -> None:
        self.text = text
        self.suggestions: list[str] = list(suggestions)[:MAX_SUGGESTIONS]
        if not message:
            message = f"{text!r} is not a known acupuncture point"
            if reason:
                message += f" ({reason})"
            if self.suggestions:
                message += f"; did you mean {', '.join(self.suggestions)}?"
        super().__init__(message)


class AmbiguousPoint(UnknownPoint):
    """A pinyin name shared by several points (e.g. Futu: LI18 and ST32); give the code."""

    def __init__(self, text: str, candidates: Sequence[str]) -> None:
        listed = ", ".join(candidates)
        message = f"{text!r} names more than one acupuncture point ({listed}); give the code"
        super().__init__(text, candidates, message=message)


def _compact(text: str) -> str:
    """Upper case without spaces, hyphens, underscores or dots: "ex hn-5" → "EXHN5"."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


def _code_key(text: str) -> str:
    """:func:`_compact` with leading zeros of the number dropped: "LR03" → "LR3"."""
    compact = _compact(text)
    if match := _CODE_SHAPE.fullmatch(compact):
        letters, digits, plus = match.groups()
        return f"{letters}{int(digits)}{plus}"
    return compact


def _name_key(text: str) -> str:
    """Letters only, lower case, tone marks dropped: "Zú Sān Lǐ" → "zusanli"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.lower() if "a" <= c <= "z")


class Catalogue:
    """The points in WHO order (meridian by meridian, then the extra points)."""

    def __init__(self, points: Iterable[Acupoint]) -> None:
        by_code: dict[str, Acupoint] = {}
        for point in points:
            if point.code in by_code:
                raise ValueError(f"duplicate acupoint code {point.code}")
            by_code[point.code] = point
        self._by_code: Mapping[str, Acupoint] = MappingProxyType(by_code)
        by_meridian: dict[str, list[Acupoint]] = {}
        for point in by_code.values():
            by_meridian.setdefault(point.meridian, []).append(point)
        self._by_meridian = {m: sorted(ps, key=lambda p: p.number) for m, ps in by_meridian.items()}
        self._codes = self._index_codes()
        self._names = self._index_names()

    @classmethod
    def from_csv(cls, text: str) -> Catalogue:
        """Read the ``acupoints.csv`` format, checking every field of every row."""
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if header is None or tuple(header) != _FIELDS:
            raise ValueError(f"acupoints.csv: header must be {','.join(_FIELDS)}, got {header}")
        return cls(_row_to_point(row, reader.line_num) for row in reader if row)

    def _index_codes(self) -> dict[str, str]:
        """Every accepted code spelling (as :func:`_code_key` makes it) → the standard code."""
        index: dict[str, str] = {}
        for point in self._by_code.values():
            index[_code_key(point.code)] = point.code
            for alias, meridian in MERIDIAN_ALIASES.items():
                if meridian == point.meridian:
                    index[f"{alias}{point.number}"] = point.code
        for alias, code in CODE_ALIASES.items():
            if code not in self._by_code:
                raise ValueError(f"code alias {alias} points to missing {code}")
            index[_code_key(alias)] = code
            for legacy, meridian in MERIDIAN_ALIASES.items():
                if alias.startswith(meridian):
                    index[_code_key(legacy + alias[len(meridian) :])] = code
        return index

    def _index_names(self) -> dict[str, tuple[str, ...]]:
        """Pinyin (and :data:`NAME_ALIASES`) as :func:`_name_key` makes it → codes."""
        index: dict[str, list[str]] = {}
        for point in self._by_code.values():
            index.setdefault(_name_key(point.pinyin), []).append(point.code)
        for name, code in NAME_ALIASES.items():
            if code not in self._by_code:
                raise ValueError(f"name alias {name} points to missing {code}")
            codes = index.setdefault(_name_key(name), [])
            if code not in codes:
                codes.append(code)
        return {name: tuple(codes) for name, codes in index.items()}

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Acupoint]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Acupoint:
        """The point with exactly this standard code ("GB20", "EX-HN5"); see :meth:`parse`."""
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownPoint(code, self._suggest(code)) from None

    def by_meridian(self, meridian: str) -> list[Acupoint]:
        """The points of one meridian in order ("GB", "gb", "LV" for LR, "EX" for extras).

        An unknown meridian has no points: the result is empty.
        """
        key = _compact(meridian)
        return list(self._by_meridian.get(MERIDIAN_ALIASES.get(key, key), ()))

    def standard(self) -> list[Acupoint]:
        """The 361 points of WHO Standard Acupuncture Point Locations (2008), in WHO order."""
        return [p for m in MERIDIANS for p in self._by_meridian.get(m, ())]

    def extra(self) -> list[Acupoint]:
        """The extra points (EX-HN1 … EX-HN15), in order."""
        return self.by_meridian(EXTRA_MERIDIAN)

    def meridian_counts(self) -> dict[str, int]:
        """Standard points per meridian, in WHO order."""
        return {m: len(self._by_meridian.get(m, ())) for m in MERIDIANS}

    def parse(self, text: str) -> Acupoint:
        """The standard entry for a code, alias or unique pinyin name as people write it."""
        if not text.strip():
            raise UnknownPoint(text, reason="it is empty")
        code = self._codes.get(_code_key(text))
        if code is not None:
            return self._by_code[code]
        if not any(c.isdigit() for c in text):
            codes = self._names.get(_name_key(text), ())
            if len(codes) == 1:
                return self._by_code[codes[0]]
            if codes:
                raise AmbiguousPoint(text, codes)
        raise UnknownPoint(text, self._suggest(text), reason=self._out_of_range(text))

    def _out_of_range(self, text: str) -> str:
        """Why a code is unknown when its meridian is known: "GB has points 1 to 44"."""
        if match := _CODE_SHAPE.fullmatch(_code_key(text)):
            meridian = MERIDIAN_ALIASES.get(match[1], match[1])
            if meridian in MERIDIANS:
                return f"{meridian} has points 1 to {len(self._by_meridian.get(meridian, ()))}"
            if meridian == _compact(_EXTRA_PREFIX):
                last = len(self._by_meridian.get(EXTRA_MERIDIAN, ()))
                return f"the extra points here are {_EXTRA_PREFIX}1 to {_EXTRA_PREFIX}{last}"
        return ""

    def _suggest(self, text: str) -> list[str]:
        """Up to five codes close to ``text``.

        For a known meridian with a number out of range, the nearest number in range comes
        first. Then come the closest spellings by :mod:`difflib` ratio: over codes and code
        aliases when the text has a digit, over pinyin names otherwise; ties go to the same
        meridian first, then alphabetically.
        """
        found: list[str] = []
        key = _code_key(text)
        if any(c.isdigit() for c in text):
            found.extend(self._nearest_in_range(key))
            match = _CODE_SHAPE.fullmatch(key)
            prefix = match[1] if match else ""
            prefix = MERIDIAN_ALIASES.get(prefix, prefix)
            ranked = sorted(
                self._codes.items(),
                key=lambda item: (
                    -difflib.SequenceMatcher(None, key, item[0]).ratio(),
                    not _compact(item[1]).startswith(prefix) if prefix else False,
                    item[0],
                ),
            )
            found.extend(code for _, code in ranked)
        else:
            name = _name_key(text)
            by_ratio = sorted(
                self._names.items(),
                key=lambda item: (-difflib.SequenceMatcher(None, name, item[0]).ratio(), item[0]),
            )
            found.extend(code for _, codes in by_ratio for code in codes)
        return list(dict.fromkeys(found))[:MAX_SUGGESTIONS]

    def _nearest_in_range(self, key: str) -> list[str]:
        match = _CODE_SHAPE.fullmatch(key)
        if match is None:
            return []
        letters, number = match[1], int(match[2])
        meridian = EXTRA_MERIDIAN if letters == _compact(_EXTRA_PREFIX) else letters
        points = self._by_meridian.get(MERIDIAN_ALIASES.get(meridian, meridian), [])
        if not points:
            return []
        nearest = min(points, key=lambda p: (abs(p.number - number), p.number))
        return [nearest.code]


def _row_to_point(row: Sequence[str], line: int) -> Acupoint:
    def fail(problem: str) -> ValueError:
        return ValueError(f"acupoints.csv line {line}: {problem}")

    if len(row) != len(_FIELDS):
        raise fail(f"expected {len(_FIELDS)} fields, got {len(row)}")
    code, meridian, number_text, pinyin, region_text, midline_text = row
    if meridian not in MERIDIANS and meridian != EXTRA_MERIDIAN:
        raise fail(f"unknown meridian {meridian!r}")
    if not number_text.isdigit() or int(number_text) < 1:
        raise fail(f"number must be a positive integer, got {number_text!r}")
    number = int(number_text)
    expected = f"{_EXTRA_PREFIX}{number}" if meridian == EXTRA_MERIDIAN else f"{meridian}{number}"
    if code != expected:
        raise fail(f"code {code!r} does not match meridian and number ({expected})")
    if not _PINYIN.fullmatch(pinyin):
        raise fail(f"pinyin must be one capitalised word without tone marks, got {pinyin!r}")
    try:
        region = Region(region_text)
    except ValueError:
        raise fail(f"unknown region {region_text!r}") from None
    if midline_text not in _BOOLEANS:
        raise fail(f"midline must be true or false, got {midline_text!r}")
    return Acupoint(code, meridian, number, pinyin, region, _BOOLEANS[midline_text])


@cache
def catalogue() -> Catalogue:
    """The catalogue from the package's ``data/acupoints.csv``, read once."""
    data = resources.files("acurelief.knowledge") / "data" / "acupoints.csv"
    return Catalogue.from_csv(data.read_text(encoding="utf-8"))


def meridian_counts() -> dict[str, int]:
    """Standard points per meridian in WHO order (LU 11 … CV 24; 361 in all)."""
    return catalogue().meridian_counts()
