from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InteractionKind(models.TextChoices):
    CALL = "call", _("Phone call")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    PLANNED = "planned", _("Planned interaction")
    SMS = "sms", _("SMS")


# The kinds that go one way or the other; a meeting or a planned interaction has no direction.
DIRECTED_KINDS = frozenset({InteractionKind.CALL, InteractionKind.EMAIL, InteractionKind.SMS})


class Direction(models.TextChoices):
    INCOMING = "incoming", pgettext_lazy("interaction direction", "Incoming")
    OUTGOING = "outgoing", pgettext_lazy("interaction direction", "Outgoing")


class PlannedStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("planned interaction status", "Planned")
    DONE = "done", pgettext_lazy("planned interaction status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("planned interaction status", "Cancelled")


class EmailStatus(models.TextChoices):
    """Where an outgoing e-mail is on its way: written, waiting for the worker, sent, or refused by SMTP."""

    DRAFT = "draft", pgettext_lazy("e-mail status", "Draft")
    QUEUED = "queued", pgettext_lazy("e-mail status", "Queued")
    SENT = "sent", pgettext_lazy("e-mail status", "Sent")
    FAILED = "failed", pgettext_lazy("e-mail status", "Failed")
