"""Number formatting through Babel: exact strings in Indonesian and English."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.formatting import (
    format_change_pp,
    format_int,
    format_number,
    format_percent,
    format_rupiah,
    format_value,
    formatter,
    no_data_text,
)


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (836000, "id", "836.000"),
        (836000, "en", "836,000"),
        (0, "id", "0"),
        (-1234, "id", "-1.234"),
        (1234567.6, "id", "1.234.568"),
        (12.5, "id", "13"),  # half-up, as Excel and BPS tables
        (2.5, "en", "3"),
        (np.int64(442), "en", "442"),
    ],
)
def test_format_int(value, lang, expected):
    assert format_int(value, lang) == expected


@pytest.mark.parametrize(
    ("value", "lang", "digits", "expected"),
    [
        (0.223, "id", 1, "22,3%"),  # Babel's id pattern: no space, no NBSP
        (0.223, "en", 1, "22.3%"),
        (0.3, "id", 0, "30%"),
        (1.0, "id", 1, "100,0%"),
        (0.0, "en", 1, "0.0%"),
        (0.12345, "id", 2, "12,35%"),  # 12.345 as written, not 12.344999...
        (0.0005, "en", 1, "0.1%"),
        (12.5, "id", 0, "1.250%"),
    ],
)
def test_format_percent(value, lang, digits, expected):
    assert format_percent(value, lang, digits=digits) == expected
    assert "\xa0" not in format_percent(value, lang, digits=digits)


@pytest.mark.parametrize(
    ("value", "lang", "kwargs", "expected"),
    [
        (16800, "id", {}, "Rp16.800"),
        (16800, "en", {}, "Rp16,800"),
        (999_950, "id", {}, "Rp999.950"),  # below one million: every digit
        (1_200_000_000, "id", {}, "Rp1,2 miliar"),
        (1_200_000_000, "en", {}, "Rp1.2 billion"),
        (2_500_000, "id", {}, "Rp2,5 juta"),
        (1_250_000, "id", {}, "Rp1,3 juta"),  # pre-rounded half-up at its magnitude
        (1_000_000, "en", {}, "Rp1 million"),
        (3_400_000_000_000, "id", {}, "Rp3,4 triliun"),
        (-2_500_000, "id", {}, "-Rp2,5 juta"),
        (-16800, "id", {}, "-Rp16.800"),
        (1_234_567_890, "id", {"compact": False}, "Rp1.234.567.890"),
        (16800, "id", {"compact": True}, "Rp16,8 ribu"),
        (16800, "en", {"compact": True}, "Rp16.8 thousand"),
        (999_950, "id", {"compact": True}, "Rp1 juta"),  # Babel alone: "1000 ribu"
        (999_999_999, "en", {"compact": True}, "Rp1 billion"),
        (0.4, "id", {}, "Rp0"),
        (-0.4, "id", {}, "Rp0"),
    ],
)
def test_format_rupiah(value, lang, kwargs, expected):
    assert format_rupiah(value, lang, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (0.021, "id", "+2,1 poin"),
        (0.021, "en", "+2.1 pp"),
        (-0.021, "id", "-2,1 poin"),
        (0.0, "id", "0,0 poin"),
        (-0.0004, "en", "0.0 pp"),  # rounds to zero: no sign
        (0.15, "id", "+15,0 poin"),
    ],
)
def test_format_change_pp(value, lang, expected):
    assert format_change_pp(value, lang) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, math.inf, -math.inf, "x"])
@pytest.mark.parametrize("kind", ["count", "rate", "rupiah", "change"])
def test_missing_values_say_no_data(missing, kind):
    assert format_value(missing, kind, "id") == "tidak ada data"
    assert format_value(missing, kind, "en") == "no data"


def test_format_value_dispatch():
    assert format_value(836000, "count") == "836.000"
    assert format_value(0.223, "rate") == "22,3%"
    assert format_value(16800, "rupiah") == "Rp16.800"
    assert format_value(0.021, "change", "en") == "+2.1 pp"
    assert format_value("Sukamaju", "text") == "Sukamaju"
    assert format_value(None, "text", "en") == "no data"
    assert format_number(1234.5, "id", digits=1) == "1.234,5"


def test_formatter_for_legends():
    assert formatter("rate", "id", digits=0)(0.3) == "30%"
    assert formatter("count", "en")(1500) == "1,500"


def test_no_data_text():
    assert no_data_text("id", capitalize=True) == "Tidak ada data"
    assert no_data_text("en", capitalize=True) == "No data"


@pytest.mark.parametrize("call", [
    lambda: format_int(1, "fr"),
    lambda: format_value(1, "ratio"),
    lambda: formatter("ratio"),
    lambda: format_percent(0.1, digits=-1),
])
def test_bad_arguments_raise(call):
    with pytest.raises(ValueError):
        call()
