"""Writes about users: creating users and teams, and the login throttle."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.accounts.choices import Role
from sdelka.accounts.models import LoginFailure, Team, User


class LoginThrottled(Exception):
    """Too many failed logins for this account or address; the message says when to try again."""

    def __init__(self, wait_seconds: int):
        self.wait_seconds = wait_seconds
        minutes = max(1, (wait_seconds + 59) // 60)
        super().__init__(
            _("Too many failed login attempts. Try again in %(minutes)d min.") % {"minutes": minutes}
        )


def login_throttle_check(*, username: str, address: str | None) -> None:
    """Refuse a login attempt when the account or the address had too many recent failures."""
    window = timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    since = timezone.now() - window
    recent = LoginFailure.objects.filter(at__gte=since)
    checks = [(recent.filter(username__iexact=username), settings.LOGIN_THROTTLE_PER_ACCOUNT)]
    if address:
        checks.append((recent.filter(address=address), settings.LOGIN_THROTTLE_PER_ADDRESS))
    for failures, limit in checks:
        if failures.count() >= limit:
            oldest = failures.order_by("-at").values_list("at", flat=True)[limit - 1]
            wait = int((oldest + window - timezone.now()).total_seconds())
            raise LoginThrottled(max(wait, 1))


def login_failure_record(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], address=address or None)


def login_failures_clear(*, username: str) -> None:
    """A successful login forgives the account's failures (not the address's)."""
    LoginFailure.objects.filter(username__iexact=username).delete()


def team_get_or_create(*, name: str) -> Team:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"team": _("Team name must not be empty.")})
    team, _created = Team.objects.get_or_create(name=name)
    return team


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    team: Team | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    validate_password: bool = True,
) -> User:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role “%(role)s”; choose one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    user = User(
        username=(username or "").strip(),
        role=role,
        team=team,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.full_clean(exclude=["password"])
    if validate_password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.save()
    if role == Role.HEAD and team is not None and team.head_id is None:
        team.head = user
        team.save(update_fields=["head"])
    return user


@transaction.atomic
def user_update(*, user: User, data: dict) -> User:
    """Change a user's profile, role, team or active flag; ``password`` (if given) is validated and set."""
    password = data.pop("password", None)
    for field, value in data.items():
        setattr(user, field, value)
    if "role" in data:
        user.is_staff = user.is_superuser = user.role == Role.ADMIN
    user.full_clean(exclude=["password"])
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    user.save()
    return user


@transaction.atomic
def team_set_head(*, team: Team, head: User | None) -> Team:
    if head is not None and head.effective_role not in (Role.HEAD, Role.ADMIN):
        raise ValidationError({"head": _("Only a head of sales can lead a team.")})
    team.head = head
    team.save(update_fields=["head"])
    return team


@transaction.atomic
def team_create(*, name: str, head: User | None = None) -> Team:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Team name must not be empty.")})
    if Team.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("A team named “%(name)s” already exists.") % {"name": name}})
    team = Team.objects.create(name=name)
    if head is not None:
        team_set_head(team=team, head=head)
    return team


@transaction.atomic
def team_rename(*, team: Team, name: str) -> Team:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Team name must not be empty.")})
    if Team.objects.filter(name__iexact=name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": _("A team named “%(name)s” already exists.") % {"name": name}})
    team.name = name
    team.save(update_fields=["name"])
    return team


@transaction.atomic
def team_delete(*, team: Team) -> None:
    """Only an empty team goes: its members' partners would silently leave their head's view otherwise."""
    if team.members.exists():
        raise ValidationError(_("The team still has members: move them to another team first."))
    team.delete()
