"""``{% notification_bell %}``: the bell of the top bar with the user's unread count."""

from __future__ import annotations

from django import template

from sdelka.activities.notification_views import bell_context

register = template.Library()


@register.inclusion_tag("activities/notifications_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, **bell_context(user)}
