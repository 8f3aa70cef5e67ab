"""The classification settings: one record, read by every report and changed by administrators only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdelka.accounts.permissions import CHANGE, role_can
from sdelka.analytics.choices import CELLS
from sdelka.analytics.models import ClassificationSettings
from sdelka.core.services import model_assign, validate_and_save

CELL_FIELDS = tuple(ClassificationSettings.cell_field(cell) for cell in CELLS)
SETTINGS_FIELDS = ("abc_a", "abc_b", "xyz_x", "xyz_y", "criterion", *CELL_FIELDS)

#: the corners named in the article the rules come from; users may name the other cells themselves
DEFAULT_CELL_NAMES = {
    "AX": gettext_lazy("Cash cows"),
    "AZ": gettext_lazy("Stars"),
    "CX": gettext_lazy("Dogs"),
    "CZ": gettext_lazy("Question marks"),
}


def can_change_classification_settings(user) -> bool:
    """Administrators keep the settings (``RULES["classification_settings"]``)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and role_can(user, CHANGE, "classification_settings")
    )


def classification_settings_get() -> ClassificationSettings:
    """The stored settings, or unsaved defaults before the first save."""
    stored = ClassificationSettings.objects.filter(pk=ClassificationSettings.SETTINGS_PK).first()
    return stored or ClassificationSettings(pk=ClassificationSettings.SETTINGS_PK)


def cell_names(settings: ClassificationSettings) -> dict[str, str]:
    """The name of each of the nine cells: the settings' own, else the default (blank for unnamed cells)."""
    names = {}
    for cell in CELLS:
        own = getattr(settings, ClassificationSettings.cell_field(cell)).strip()
        names[cell] = own or str(DEFAULT_CELL_NAMES.get(cell, ""))
    return names


@transaction.atomic
def classification_settings_update(*, actor, data: dict) -> ClassificationSettings:
    """Change the settings given in ``data`` (any of ``SETTINGS_FIELDS``); administrators only.

    Every rule is checked before anything is written (boundaries within 0–100 %, A below B, X below Y).
    The stored classes of past periods stay as they were until "classify all periods" is run.
    """
    if not can_change_classification_settings(actor):
        raise PermissionDenied(_("Your role does not allow this action."))
    settings = (
        ClassificationSettings.objects.select_for_update()
        .filter(pk=ClassificationSettings.SETTINGS_PK)
        .first()
    )
    creating = settings is None
    if creating:
        settings = ClassificationSettings(pk=ClassificationSettings.SETTINGS_PK)
    cleaned = {key: value.strip() if isinstance(value, str) else value for key, value in data.items()}
    changed = model_assign(settings, cleaned, SETTINGS_FIELDS)
    if changed or creating:
        validate_and_save(settings, actor=actor)
    return settings
