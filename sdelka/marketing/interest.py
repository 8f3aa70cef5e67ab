"""The primary interest ("первичный интерес") fields that partners and deals carry: a channel and a source.

The source is a record of the type the channel names (a user, a partner, a contact person, an individual
or a marketing event); one nullable foreign key per type keeps real foreign keys (the database protects
them, reports group by them) and a check constraint allows at most one of them to be set. Which one must
match the channel is a business rule, checked by ``sdelka.marketing.services.primary_interest_clean``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sdelka.marketing.choices import SourceType

CHANNEL_FIELD = "primary_interest_channel"
#: the foreign key holding a source of each type
SOURCE_FIELDS: dict[str, str] = {
    SourceType.USER: "primary_interest_source_user",
    SourceType.PARTNER: "primary_interest_source_partner",
    SourceType.CONTACT: "primary_interest_source_contact",
    SourceType.INDIVIDUAL: "primary_interest_source_individual",
    SourceType.EVENT: "primary_interest_source_event",
}
#: the model of a source of each type
SOURCE_MODELS: dict[str, str] = {
    SourceType.USER: settings.AUTH_USER_MODEL,
    SourceType.PARTNER: "partners.Partner",
    SourceType.CONTACT: "partners.ContactPerson",
    SourceType.INDIVIDUAL: "partners.Individual",
    SourceType.EVENT: "marketing.MarketingEvent",
}
ALL_FIELDS = (CHANNEL_FIELD, *SOURCE_FIELDS.values())


def _source_fk(source_type: str, label) -> models.ForeignKey:
    # A deleted person or partner only loses its mention as a source; an event is protected (it is
    # what the reports measure) and is refused deletion while it is a source.
    on_delete = models.PROTECT if source_type == SourceType.EVENT else models.SET_NULL
    return models.ForeignKey(
        SOURCE_MODELS[source_type],
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name="+",
    )


class PrimaryInterest(models.Model):
    """Abstract: the channel and the (optional) source of a record's first interest."""

    primary_interest_channel = models.ForeignKey(
        "marketing.AdChannel",
        verbose_name=_("primary interest channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    primary_interest_source_user = _source_fk(SourceType.USER, _("primary interest source: user"))
    primary_interest_source_partner = _source_fk(SourceType.PARTNER, _("primary interest source: partner"))
    primary_interest_source_contact = _source_fk(
        SourceType.CONTACT, _("primary interest source: contact person")
    )
    primary_interest_source_individual = _source_fk(
        SourceType.INDIVIDUAL, _("primary interest source: individual")
    )
    primary_interest_source_event = _source_fk(SourceType.EVENT, _("primary interest source: event"))

    class Meta:
        abstract = True

    @property
    def primary_interest_source(self) -> models.Model | None:
        """The source record, whichever type it is; None when there is none."""
        for field in SOURCE_FIELDS.values():
            if getattr(self, f"{field}_id"):
                return getattr(self, field)
        return None

    @property
    def primary_interest_source_type(self) -> str | None:
        for source_type, field in SOURCE_FIELDS.items():
            if getattr(self, f"{field}_id"):
                return source_type
        return None


def at_most_one_source(name: str) -> models.CheckConstraint:
    """The check constraint of a concrete model: no source, or exactly one source field set."""
    fields = list(SOURCE_FIELDS.values())
    condition = models.Q(**{f"{field}__isnull": True for field in fields})
    for chosen in fields:
        condition |= models.Q(
            **{f"{field}__isnull": field != chosen for field in fields},
        )
    return models.CheckConstraint(condition=condition, name=name)


def source_values(source_type: str | None, source) -> dict:
    """Values of every source field for ``source`` of ``source_type`` (all None for no source)."""
    return {field: (source if kind == source_type else None) for kind, field in SOURCE_FIELDS.items()}


def interest_select_related(prefix: str = "") -> list[str]:
    """``select_related`` paths that show a primary interest without further queries."""
    return [f"{prefix}{name}" for name in ALL_FIELDS]
