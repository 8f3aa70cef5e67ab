"""The timeline of a partner or a deal: its interactions, documents and changes, newest first.

Each source is read newest first and cut at ``limit + 1`` rows in the database, so a page of the timeline
costs a fixed number of queries however long the history is; the merge happens in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.core.templatetags.sdelka_format import money
from sdelka.deals.models import Deal, DealEvent
from sdelka.deals.selectors import deal_scope
from sdelka.documents.choices import DocumentType
from sdelka.documents.selectors import DOCUMENT_MODELS, document_list
from sdelka.interactions.selectors import interaction_list
from sdelka.partners.models import Partner

DEFAULT_LIMIT = 30
MAX_LIMIT = 1000
DOCUMENT_SLUGS = {
    DocumentType.QUOTE: "quotes",
    DocumentType.SALES_ORDER: "sales-orders",
    DocumentType.SALE: "sales",
    DocumentType.PURCHASE_ORDER: "purchase-orders",
}


@dataclass
class TimelineEntry:
    at: datetime
    source: str  # "interaction", "document", "event", "history"
    title: str
    details: str = ""
    user: str = ""
    url: str = ""
    record: object = field(default=None, repr=False)
    # Breaks ties of equal times the same way on every page: newer records of a source first.
    order: int = 0
    # Documents have a date, not a time: the time only orders the entries of one day.
    date_only: bool = False


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    has_more: bool
    limit: int

    @property
    def next_limit(self) -> int:
        return min(self.limit * 2, MAX_LIMIT)


def clamp_limit(value) -> int:
    if str(value).isdigit():
        return max(1, min(int(value), MAX_LIMIT))
    return DEFAULT_LIMIT


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else _("system")


def _interaction_entries(interactions, limit: int) -> list[TimelineEntry]:
    entries = []
    for interaction in interactions.order_by("-starts_at", "-id")[: limit + 1]:
        details = [interaction.get_direction_display()] if interaction.direction else []
        if interaction.status:
            details.append(interaction.get_status_display())
        if interaction.email_status:
            details.append(interaction.get_email_status_display())
        contacts = ", ".join(contact.name for contact in interaction.contacts.all())
        if contacts:
            details.append(contacts)
        entries.append(
            TimelineEntry(
                at=interaction.starts_at,
                source="interaction",
                title=f"{interaction.get_kind_display()}: {interaction.topic}",
                details=" · ".join(details),
                user=_name(interaction.responsible),
                url=reverse("interactions:interaction_detail", args=[interaction.pk]),
                record=interaction,
                order=interaction.pk,
            )
        )
    return entries


def _document_entries(documents_of, limit: int) -> list[TimelineEntry]:
    entries = []
    for document_type, model in DOCUMENT_MODELS.items():
        documents = documents_of(model).order_by("-date", "-created_at", "-id")[: limit + 1]
        for document in documents:
            # The document's date at the time of day it was made, so same-day records keep their order.
            made = timezone.localtime(document.created_at)
            at = timezone.make_aware(datetime.combine(document.date, made.time()))
            entries.append(
                TimelineEntry(
                    at=at,
                    source="document",
                    title=str(document),
                    details=f"{document.get_status_display()} · {money(document.amount_gross)} {document.currency}",
                    date_only=True,
                    user=_name(document.manager),
                    url=reverse(
                        "documents:document_detail", args=[DOCUMENT_SLUGS[document_type], document.pk]
                    ),
                    record=document,
                    order=document.pk,
                )
            )
    return entries


def _event_entries(events, limit: int, *, with_deal: bool) -> list[TimelineEntry]:
    entries = []
    for event in events.select_related("user", "from_stage", "to_stage", "deal").order_by("-at", "-id")[
        : limit + 1
    ]:
        change = ""
        # A status change also names the stage it happened at (unchanged): the status is what changed.
        if event.from_status and event.to_status and event.from_status != event.to_status:
            change = f"{event.get_from_status_display() or '—'} → {event.get_to_status_display()}"
        elif event.from_stage_id or event.to_stage_id:
            change = f"{event.from_stage or '—'} → {event.to_stage or '—'}"
        elif event.to_value:
            change = f"{event.from_value or '—'} → {event.to_value}"
        title = event.get_kind_display()
        if with_deal:
            title = _("Deal %(deal)s: %(event)s") % {"deal": event.deal, "event": title}
        entries.append(
            TimelineEntry(
                at=event.at,
                source="event",
                title=title,
                details=change,
                user=_name(event.user),
                url=reverse("deals:deal_detail", args=[event.deal_id]) if with_deal else "",
                record=event,
                order=event.pk,
            )
        )
    return entries


def _partner_history_entries(partner: Partner, limit: int) -> list[TimelineEntry]:
    """The partner's own changes: who changed which fields (names only: values are on the History tab)."""
    records = list(
        partner.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 2]
    )
    labels = {"+": _("Partner created"), "~": _("Partner changed"), "-": _("Partner deleted")}
    skip = {"updated_at", "created_at"}
    entries = []
    for index, record in enumerate(records[: limit + 1]):
        details = ""
        previous = records[index + 1] if index + 1 < len(records) else None
        if record.history_type == "~" and previous is not None:
            # Without the tags: their history is another table and would cost a query per entry.
            delta = record.diff_against(previous, excluded_fields=["tags"])
            names = [
                str(Partner._meta.get_field(change.field).verbose_name)
                for change in delta.changes
                if change.field not in skip
            ]
            if not names:
                continue
            details = ", ".join(names)
        entries.append(
            TimelineEntry(
                at=record.history_date,
                source="history",
                title=labels.get(record.history_type, record.history_type),
                details=details,
                user=_name(record.history_user),
                order=record.history_id,
            )
        )
    return entries


def _merge(entries: list[TimelineEntry], limit: int) -> Timeline:
    entries.sort(key=lambda entry: (entry.at, entry.order), reverse=True)
    return Timeline(entries=entries[:limit], has_more=len(entries) > limit, limit=limit)


def partner_timeline(*, user, partner: Partner, limit: int = DEFAULT_LIMIT) -> Timeline:
    """What happened with a partner the user sees: interactions, documents, its deals' events, its changes."""
    entries = _interaction_entries(interaction_list(user=user).filter(partner=partner), limit)
    entries += _document_entries(lambda model: document_list(model, user=user).filter(partner=partner), limit)
    deals = Deal.objects.filter(deal_scope(user), partner=partner).values("pk")
    entries += _event_entries(DealEvent.objects.filter(deal__in=deals), limit, with_deal=True)
    entries += _partner_history_entries(partner, limit)
    return _merge(entries, limit)


def deal_timeline(*, user, deal: Deal, limit: int = DEFAULT_LIMIT) -> Timeline:
    """What happened in a deal: its interactions, its documents and its stage and status changes."""
    entries = _interaction_entries(interaction_list(user=user).filter(deal=deal), limit)
    entries += _document_entries(lambda model: document_list(model, user=user).filter(deal=deal), limit)
    entries += _event_entries(DealEvent.objects.filter(deal=deal), limit, with_deal=False)
    return _merge(entries, limit)
