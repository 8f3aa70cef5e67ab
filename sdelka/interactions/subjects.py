"""What an interaction may be about: the whitelist of subject types, and finding one in the user's scope.

A subject is named by a key ("deal", "quote", …) and an id. It is looked up through the selector of its
app, so a record the user cannot see is "not found", exactly like a missing one. Claims join the list
when their app brings them (``register``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class SubjectType:
    key: str
    label: str
    model_label: str  # "deals.Deal"
    select: Callable[..., QuerySet]  # select(user=...) → the records the user sees
    deal_id_of: Callable[[Model], int | None]

    @property
    def model(self) -> type[Model]:
        from django.apps import apps

        return apps.get_model(self.model_label)


def _deals(*, user):
    from sdelka.deals.selectors import deal_list

    return deal_list(user=user)


def _documents(model_name: str):
    def select(*, user):
        from django.apps import apps

        from sdelka.documents.selectors import document_list

        return document_list(apps.get_model("documents", model_name), user=user)

    return select


def _interactions(*, user):
    from sdelka.interactions.selectors import interaction_list

    return interaction_list(user=user)


SUBJECT_TYPES: dict[str, SubjectType] = {}


def register(subject_type: SubjectType) -> None:
    SUBJECT_TYPES[subject_type.key] = subject_type


register(SubjectType("deal", _("Deal"), "deals.Deal", _deals, lambda deal: deal.pk))
register(
    SubjectType(
        "quote",
        pgettext_lazy("document type", "Commercial proposal"),
        "documents.Quote",
        _documents("Quote"),
        lambda document: document.deal_id,
    )
)
register(
    SubjectType(
        "sales_order",
        pgettext_lazy("document type", "Customer order"),
        "documents.SalesOrder",
        _documents("SalesOrder"),
        lambda document: document.deal_id,
    )
)
register(
    SubjectType(
        "sale",
        pgettext_lazy("document type", "Sale"),
        "documents.Sale",
        _documents("Sale"),
        lambda document: document.deal_id,
    )
)
register(
    SubjectType(
        "interaction",
        _("Interaction"),
        "interactions.Interaction",
        _interactions,
        lambda interaction: interaction.deal_id,
    )
)


def _claims(*, user):
    from sdelka.claims.selectors import claim_list

    return claim_list(user=user)


register(SubjectType("claim", _("Customer claim"), "claims.Claim", _claims, lambda claim: claim.deal_id))


def _marketing_events(*, user):
    from sdelka.marketing.selectors import marketing_event_list

    return marketing_event_list()


register(
    SubjectType(
        "marketingevent",
        _("Marketing event"),
        "marketing.MarketingEvent",
        _marketing_events,
        lambda event: None,
    )
)


def subject_choices() -> list[tuple[str, str]]:
    return [(key, str(subject_type.label)) for key, subject_type in SUBJECT_TYPES.items()]


def key_of_content_type(content_type_id: int | None) -> str | None:
    """The whitelist key of a stored ``subject_type``; None for no subject."""
    if content_type_id is None:
        return None
    content_type = ContentType.objects.get_for_id(content_type_id)
    label = f"{content_type.app_label}.{content_type.model_class().__name__}"
    return next((key for key, item in SUBJECT_TYPES.items() if item.model_label == label), None)


def content_type_of(key: str) -> ContentType:
    return ContentType.objects.get_for_model(SUBJECT_TYPES[key].model)


def find_subject(*, user, key: str, pk) -> Model | None:
    """The record ``key``/``pk`` if the user sees it; None when it is unknown, foreign or missing."""
    subject_type = SUBJECT_TYPES.get(key)
    if subject_type is None or not str(pk).isdigit() or int(pk) > 2**63 - 1:
        return None
    return subject_type.select(user=user).filter(pk=int(pk)).first()


def deal_id_of(subject: Model) -> int | None:
    for item in SUBJECT_TYPES.values():
        if isinstance(subject, item.model):
            return item.deal_id_of(subject)
    return None


def key_of(subject: Model) -> str | None:
    return next((key for key, item in SUBJECT_TYPES.items() if isinstance(subject, item.model)), None)
