"""The bulk writers: COPY text is formatted by hand on PostgreSQL, so every kind of value must round-trip."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdelka.catalog.choices import VatRate
from sdelka.documents.bulk import copy_text, copy_text_of_numbers, insert_rows
from sdelka.documents.models import ImportedClientCode
from sdelka.partners.tests.factories import PartnerFactory


def test_copy_text_escapes_what_the_format_reserves_and_writes_null_as_backslash_n():
    row = (
        "a\tb\nc\\d\re",
        None,
        True,
        False,
        12,
        Decimal("-1234.50"),
        date(2025, 3, 1),
        datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        VatRate.TWELVE,
    )
    text = copy_text([row, ("x",)])
    first, second, end = text.split("\n")
    assert second == "x" and end == ""
    cells = first.split("\t")
    assert cells[:8] == [
        "a\\tb\\nc\\\\d\\re",
        "\\N",
        "t",
        "f",
        "12",
        "-1234.50",
        "2025-03-01",
        "2025-03-01T09:30:00+00:00",
    ]
    assert cells[8] == "12"


@given(
    rows=st.lists(
        st.tuples(
            st.integers(min_value=-(2**63), max_value=2**63 - 1),
            st.none() | st.integers(min_value=0, max_value=10**9),
            st.decimals(
                allow_nan=False, allow_infinity=False, places=3, min_value=-(10**12), max_value=10**12
            ),
            st.dates(),
            st.sampled_from([*VatRate.values, *VatRate]),
        ),
        max_size=20,
    )
)
def test_copy_text_of_numbers_writes_what_copy_text_writes(rows):
    assert copy_text_of_numbers(rows) == copy_text(rows)


def test_copy_text_refuses_a_value_it_cannot_write():
    with pytest.raises(TypeError, match="no COPY text for list"):
        copy_text([([1],)])


@pytest.mark.django_db
def test_insert_rows_round_trips_awkward_text_on_both_databases():
    partner = PartnerFactory()
    awkward = ["tab\there", "new\nline", "back\\slash", "\\N", "кириллица «ёлка»"]
    insert_rows(ImportedClientCode, ("code", "partner_id"), [(code, partner.pk) for code in awkward])
    stored = set(ImportedClientCode.objects.values_list("code", flat=True))
    assert stored == set(awkward)
