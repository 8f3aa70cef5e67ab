"""Form fields shared by every page."""

import pytest


@pytest.mark.parametrize(
    ("language", "typed"),
    [("ru", "1 200,50"), ("ru", "1\u00a0200,50"), ("ru", "1200,50"), ("en", "1,200.50"), ("en", "1200.50")],
)
def test_money_is_typed_as_people_write_it(language, typed):
    from decimal import Decimal

    from django.utils import translation

    from sdelka.core.forms import MoneyField

    with translation.override(language):
        assert MoneyField(max_digits=15, decimal_places=2).clean(typed) == Decimal("1200.50")
