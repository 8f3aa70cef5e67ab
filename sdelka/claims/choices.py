from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ClaimStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("claim status", "Registered")
    IN_PROGRESS = "in_progress", pgettext_lazy("claim status", "In progress")
    SETTLED = "settled", pgettext_lazy("claim status", "Settled")


class ClaimResult(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    PARTLY_SATISFIED = "partly_satisfied", _("Partly satisfied")
    REJECTED = "rejected", pgettext_lazy("claim result", "Rejected")
