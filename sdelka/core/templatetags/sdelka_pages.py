"""Template helpers of the pages: sortable column headers, role checks, and history values."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _

from sdelka.accounts.permissions import role_can as _role_can

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str):
    """A column header that sorts by ``key``; a second click reverses the order.

    Reads the list's query (``query`` in the context, else the request's) and the current ``sort``.
    """
    query = context.get("query")
    if query is None:
        query = context["request"].GET
    query = query.copy()
    current = context.get("sort", "")
    if current == key:
        new, arrow, state = f"-{key}", "▲", "ascending"
    elif current == f"-{key}":
        new, arrow, state = key, "▼", "descending"
    else:
        new, arrow, state = key, "", "none"
    query["sort"] = new
    query.pop("page", None)
    return format_html(
        '<a class="sort sort-{}" href="?{}" aria-sort="{}">{}<span class="arrow">{}</span></a>',
        state,
        query.urlencode(),
        state,
        label,
        arrow,
    )


@register.simple_tag
def role_can(user, action: str, resource: str) -> bool:
    """``{% role_can user "add" "partner" as can_add %}``: whether the role allows the action at all."""
    return _role_can(user, action, resource)


@register.filter
def history_value(value):
    """A value of a history row as people read it: yes/no, lists joined, dates and numbers localized."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, Decimal | float):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, datetime.datetime | datetime.date):
        return formats.localize(value)
    return value
