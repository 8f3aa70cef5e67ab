"""Choices of the marketing app: what a channel's source is, kinds of events, a participant's status."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SourceType(models.TextChoices):
    """What kind of record the source of a primary interest through a channel is."""

    USER = "user", pgettext_lazy("source type", "User")
    PARTNER = "partner", pgettext_lazy("source type", "Partner")
    CONTACT = "contact", pgettext_lazy("source type", "Contact person")
    INDIVIDUAL = "individual", pgettext_lazy("source type", "Individual")
    EVENT = "event", pgettext_lazy("source type", "Marketing event")


class EventKind(models.TextChoices):
    EXHIBITION = "exhibition", _("Exhibition")
    PROMOTION = "promotion", _("Promotion")
    CAMPAIGN = "campaign", _("Advertising campaign")
    WEBINAR = "webinar", _("Webinar")
    OTHER = "other", pgettext_lazy("event kind", "Other")


class ParticipantStatus(models.TextChoices):
    """A participant moves forward only: invited → registered → attended (a step may be skipped)."""

    INVITED = "invited", pgettext_lazy("participant status", "Invited")
    REGISTERED = "registered", pgettext_lazy("participant status", "Registered")
    ATTENDED = "attended", pgettext_lazy("participant status", "Attended")


PARTICIPANT_STATUS_ORDER = [
    ParticipantStatus.INVITED,
    ParticipantStatus.REGISTERED,
    ParticipantStatus.ATTENDED,
]
