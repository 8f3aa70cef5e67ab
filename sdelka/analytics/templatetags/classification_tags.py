"""``{% classification_current partner=partner %}`` / ``product=product``: the stored classes of a client or a
product in the last closed month, quarter, half-year and year, for the partner and product pages."""

from __future__ import annotations

from django import template
from django.utils import timezone

from sdelka.analytics.selectors.classification_reports import current_classes

register = template.Library()


@register.inclusion_tag("analytics/partials/classification_current.html")
def classification_current(partner=None, product=None):
    return {
        "classes": current_classes(partner=partner, product=product, today=timezone.localdate()),
        "is_client": partner is not None,
    }
