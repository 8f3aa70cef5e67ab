"""Pages of notifications: the bell in the top bar (its count, polled by htmx; its list, which marks the
shown notices read), the page of all notices, and the warning that the background worker is not running."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdelka.activities.selectors import notifications as selectors
from sdelka.activities.selectors.worker import worker_down
from sdelka.activities.services import notifications as services
from sdelka.core.views import ensure_role, paginate


def bell_context(user) -> dict:
    return {"unread": selectors.notification_unread_count(user=user), "worker_down": worker_down()}


@login_required
def notification_count(request):
    """The bell's badge (and the worker warning), polled every 30 seconds."""
    return render(request, "activities/notifications_count.html", bell_context(request.user))


@require_POST
@login_required
def notification_open(request):
    """The latest notices for the bell's panel; the unread ones among them are marked read."""
    ensure_role(request.user, "view", "notification")
    latest = selectors.notification_latest(user=request.user)
    unread_ids = [notice.pk for notice in latest if notice.read_at is None]
    if unread_ids:
        services.notifications_mark_read(actor=request.user, ids=unread_ids)
    context = {"latest": latest, "fresh": set(unread_ids), **bell_context(request.user)}
    return render(request, "activities/notifications_panel.html", context)


@login_required
def notification_list(request):
    ensure_role(request.user, "view", "notification")
    notices = selectors.notification_list(user=request.user).order_by("-created_at", "-id")
    if request.GET.get("unread"):
        notices = notices.filter(read_at__isnull=True)
    return render(
        request, "activities/notifications.html", {"page": paginate(notices, request.GET.get("page"))}
    )


@require_POST
@login_required
def notification_read_all(request):
    marked = services.notifications_mark_read(actor=request.user)
    messages.success(request, _("Notifications marked read: %(count)d.") % {"count": marked})
    return redirect("activities:notification_list")
