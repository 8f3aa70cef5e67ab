"""Filter pieces shared by every app's lists and API."""

from __future__ import annotations

import django_filters
from django import forms

from sdelka.core.api.fields import MAX_ID


class IdField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        # A bigger number is "not a valid id", never sent to the database, where SQLite would overflow.
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    """A record id in the query string (``?partner=12``)."""

    field_class = IdField


def yes_no_any(*, yes=None, no=None) -> forms.Select:
    """A select of "any / yes / no" for a BooleanFilter (Django's default says "Unknown" for "any")."""
    from django.utils.translation import gettext_lazy as _

    return forms.Select(choices=[("", _("Any")), ("true", yes or _("Yes")), ("false", no or _("No"))])
