"""Helpers every app's services use: permission guard and a validated field update with history."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from sdelka.accounts.permissions import role_can
from sdelka.core.history import save_with_history


def ensure_role_can(actor, action: str, resource: str) -> None:
    """Refuse (403) when the actor's role has no right to ``action`` on ``resource``."""
    if actor is not None and not role_can(actor, action, resource):
        raise PermissionDenied(_("Your role does not allow this action."))


def model_assign(instance: models.Model, data: dict, fields: Iterable[str]) -> list[str]:
    """Copy the allowed ``fields`` present in ``data`` onto ``instance``; return the names that changed."""
    allowed = set(fields)
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    changed = []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            # Compare ids: reading an unset relation would raise instead of saying "changed".
            current = getattr(instance, field.attname)
            new = value.pk if isinstance(value, models.Model) else value
        else:
            current, new = getattr(instance, name), value
        if current != new:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def validate_and_save(instance: models.Model, *, actor, exclude: Iterable[str] = ()) -> None:
    """Run every model rule (field validators, ``clean``, uniqueness), then save with a history row."""
    instance.full_clean(exclude=list(exclude))
    save_with_history(instance, actor=actor)
