"""Locale-aware formatting of money and numbers for templates."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(value, decimal_pos: int = 2):
    """1234567.5 → "1 234 567,50" in Russian, "1,234,567.50" in English."""
    if value in (None, ""):
        return ""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    return number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


@register.filter
def join_list(value, sep=", "):
    return sep.join(str(v) for v in value or [])
