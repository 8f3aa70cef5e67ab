"""Reads about users: who is in whose scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sdelka.accounts.choices import Role
from sdelka.accounts.models import Team, User


def covered_user_ids(user: User) -> QuerySet | None:
    """Ids of the users whose records ``user`` sees and edits; ``None`` means everyone's.

    A manager covers themself; a head covers themself and every member of the teams they head.
    Returned as a subquery so scope filters stay one SQL query.
    """
    role = user.effective_role
    if role in (Role.ADMIN, Role.MARKETER):
        return None
    if role == Role.HEAD:
        return User.objects.filter(Q(pk=user.pk) | Q(team__head=user)).values("pk")
    return User.objects.filter(pk=user.pk).values("pk")


def user_list(*, active_only: bool = False) -> QuerySet[User]:
    users = User.objects.select_related("team")
    return users.filter(is_active=True) if active_only else users


def team_list() -> QuerySet[Team]:
    return Team.objects.select_related("head")
