"""The import reads amounts exactly: the quick path for plain numbers agrees with the full rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdelka.documents.sales_import import _decimal


def reference(text: str, places: int) -> Decimal:
    """The rule read literally: a finite number, decimal comma or point, spaces as thousands separators,
    with at most ``places`` decimals once trailing zeros beyond them are dropped."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        raise ValueError("empty")
    number = Decimal(cleaned)
    if not number.is_finite():
        raise ValueError("not finite")
    quantum = Decimal(1).scaleb(-places)
    if number.as_tuple().exponent < -places:
        if number.quantize(quantum) != number:
            raise ValueError("too precise")
        return number.quantize(quantum)
    return number


def outcome(function, text, places):
    try:
        number = function(text, places)
    except (ValueError, InvalidOperation):
        return "refused"
    return str(number)  # the digits kept, not only the value


numbers = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**14), max_value=10**14, places=4).map(
        str
    ),
    st.from_regex(r"\A-?[0-9 ]{0,16}([.,][0-9]{0,5})?\Z"),
    st.sampled_from(
        ["", " ", "1e3", "-0", "5.", ".5", "NaN", "inf", "1,5", "1 000,25", "+7", "0.100", "12.3450"]
    ),
)


@given(text=numbers, places=st.sampled_from([2, 3]))
def test_any_text_is_read_as_the_full_rules_read_it(text, places):
    assert outcome(lambda t, p: _decimal(t, places=p), text, places) == outcome(reference, text, places)


@pytest.mark.parametrize(
    ("text", "places", "read"),
    [("12.34", 2, "12.34"), ("12.340", 2, "12.34"), ("-1.5", 3, "-1.5"), ("1 000,5", 2, "1000.5")],
)
def test_plain_numbers(text, places, read):
    assert _decimal(text, places=places) == Decimal(read)
    assert str(_decimal(text, places=places)) == str(reference(text, places))


PADDING = st.text(alphabet=" \t", max_size=3)
CLEAN_ROW = (
    "2025-03-03",
    "RT-1",
    "C-17",
    "Stroymash  LLC",
    "7707083893",
    "DR-1",
    "Drill",
    "2",
    "2000.00",
    "1400.00",
    "",
)


@given(st.lists(st.tuples(PADDING, PADDING), min_size=len(CLEAN_ROW), max_size=len(CLEAN_ROW)))
def test_white_space_around_a_cell_changes_nothing(pads):
    from datetime import date

    from sdelka.documents.sales_import import parse_row

    padded = tuple(before + cell + after for cell, (before, after) in zip(CLEAN_ROW, pads, strict=True))
    clean = parse_row(2, CLEAN_ROW, today=date(2026, 1, 1), managers={})
    assert parse_row(2, padded, today=date(2026, 1, 1), managers={}) == clean
    assert (clean.client_name, clean.client_inn, clean.sku) == ("Stroymash LLC", "7707083893", "DR-1")
