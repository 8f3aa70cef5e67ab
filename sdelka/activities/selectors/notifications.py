"""Reads of notifications: a user sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet

from sdelka.activities.models import Notification

LATEST = 10


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def notification_get(*, user, pk) -> Notification:
    return notification_list(user=user).get(pk=pk)


def notification_unread_count(*, user) -> int:
    return notification_list(user=user).filter(read_at__isnull=True).count()


def notification_latest(*, user, limit: int = LATEST) -> list[Notification]:
    return list(notification_list(user=user).order_by("-created_at", "-id")[:limit])
