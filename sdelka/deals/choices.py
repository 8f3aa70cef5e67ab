from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProcessType(models.TextChoices):
    """How a deal of a kind moves through stages (see DOMAIN.md, "Deal kinds")."""

    NON_PROCESS = "non_process", _("Non-process (no stages)")
    MANUAL = "manual", _("Manual stages")
    TYPICAL = "typical", _("Typical sale")


class DealStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class DealEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    MANAGER_CHANGED = "manager_changed", _("Manager changed")
    AMOUNT_CHANGED = "amount_changed", _("Amount changed")
    CLOSED = "closed", pgettext_lazy("deal", "Closed")
    REOPENED = "reopened", _("Reopened")
