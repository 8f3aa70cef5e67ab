"""Search ignores letter case in Russian as in English, on SQLite as on PostgreSQL."""

import pytest

from sdelka.core.sqlite import unicode_like
from sdelka.partners.filters import PartnerFilter
from sdelka.partners.models import Partner
from sdelka.partners.tests.factories import PartnerFactory


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["гидро", "ГИДРО", "Гидро", "маш"])
def test_a_search_finds_cyrillic_names_in_any_case(query):
    PartnerFactory(name="ООО «Гидромаш»")
    PartnerFactory(name="Stroymontazh")

    found = PartnerFilter({"q": query}, queryset=Partner.objects.all()).qs

    assert [p.name for p in found] == ["ООО «Гидромаш»"]


@pytest.mark.django_db
def test_like_wildcards_in_the_query_are_taken_literally():
    PartnerFactory(name="100% Pumps")
    PartnerFactory(name="1000 Pumps")

    assert [p.name for p in Partner.objects.filter(name__icontains="100%")] == ["100% Pumps"]
    assert [p.name for p in Partner.objects.filter(name__icontains="_")] == []


def test_the_like_function_follows_sql_rules():
    assert unicode_like("%ё%", "ЁЛКА") is True
    assert unicode_like("a_c", "ABC") is True
    assert unicode_like("a_c", "abbc") is False
    assert unicode_like(r"%\%%", "50% off", "\\") is True
    assert unicode_like(r"%\%%", "50 off", "\\") is False
    assert unicode_like(None, "x") is None


def test_the_contains_fast_path_agrees_with_the_general_rule():
    assert unicode_like("%ГИДРО%", "ООО Гидромаш", "\\") is True
    assert unicode_like("%\\%%", "100% Pumps", "\\") is True
    assert unicode_like("%\\%%", "1000 Pumps", "\\") is False
    assert unicode_like("%a_c%", "xxABCxx", "\\") is True
    assert unicode_like("%%", "", "\\") is True
    assert unicode_like("%x%", 12, "\\") is False
