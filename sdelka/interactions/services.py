"""Writes of interactions: create, change, delete, mark reviewed, and e-mails written in the app and sent.

A refused write raises ``ValidationError`` naming the field, inside the transaction, so nothing is stored.
An outgoing e-mail is queued in the same transaction that records it and handed to the worker only when
that transaction commits (``transaction.on_commit``): a rolled-back e-mail is never sent, and a sent one
is always recorded. The worker's send (:func:`interaction_email_deliver`) locks the row and acts only on a
queued e-mail, so an e-mail queued twice is still sent once.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.core.history import save_with_history
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.core.validators import clean_string_list
from sdelka.interactions import subjects
from sdelka.interactions.choices import (
    DIRECTED_KINDS,
    Direction,
    EmailStatus,
    InteractionKind,
    PlannedStatus,
)
from sdelka.interactions.models import Interaction
from sdelka.partners.selectors import partner_list

logger = logging.getLogger(__name__)

INTERACTION_FIELDS = (
    "kind",
    "direction",
    "starts_at",
    "ends_at",
    "place",
    "duration_seconds",
    "topic",
    "text",
    "partner",
    "responsible",
    "status",
    "reviewed",
    "review_after",
    "email_from",
    "email_to",
    "email_cc",
    "email_status",
    "attached_quote",
    "attachment_language",
)
# Once an e-mail is on its way, what it says and to whom is what was sent: these stay as they are.
EMAIL_CONTENT_FIELDS = ("topic", "text", "email_from", "email_to", "email_cc", "attached_quote", "direction")
# A user records an e-mail as written (draft) or as already sent elsewhere; the worker sets the others.
USER_EMAIL_STATUSES = (EmailStatus.DRAFT, EmailStatus.SENT)
MEETING_ONLY = ("ends_at", "place")


def _assign_subject(actor, interaction: Interaction, subject) -> None:
    """Point ``subject`` at a whitelisted record the actor sees; the deal follows the subject."""
    if subject is None:
        interaction.subject_type, interaction.subject_id, interaction.deal = None, None, None
        return
    key = subjects.key_of(subject)
    if key is None:
        raise ValidationError({"subject": _("An interaction cannot be about this kind of record.")})
    if isinstance(actor, User) and subjects.find_subject(user=actor, key=key, pk=subject.pk) is None:
        raise ValidationError({"subject": _("The subject is not found.")})
    if key == "interaction" and interaction.pk:
        _ensure_no_cycle(interaction, subject)
    interaction.subject_type = subjects.content_type_of(key)
    interaction.subject_id = subject.pk
    interaction.deal_id = subjects.deal_id_of(subject)


def _ensure_no_cycle(interaction: Interaction, subject: Interaction) -> None:
    """An interaction cannot answer itself, directly or through the interactions it is answered by."""
    content_type = subjects.content_type_of("interaction")
    current, seen = subject, set()
    while current is not None and current.pk not in seen:
        if current.pk == interaction.pk:
            raise ValidationError(
                {"subject": _("An interaction cannot be about itself or about one that answers it.")}
            )
        seen.add(current.pk)
        if current.subject_type_id != content_type.pk:
            break
        current = Interaction.objects.filter(pk=current.subject_id).first()


def _normalize_lists(data: dict) -> dict:
    for key in ("email_to", "email_cc"):
        if key in data and isinstance(data[key], list):
            data[key] = clean_string_list(data[key])
    return data


def _check(actor, interaction: Interaction, *, subject, contacts, partner_changed: bool) -> None:
    """The rules of the kind and the relations: every problem at once, each beside its field."""
    errors: dict[str, str] = {}
    kind = interaction.kind
    # A marketing event has no partner of its own: the interaction names the partner it was with.
    subject_partner_id = getattr(subject, "partner_id", None)
    if subject_partner_id and not interaction.partner_id:
        interaction.partner_id = subject_partner_id
    if kind in DIRECTED_KINDS:
        if not interaction.direction:
            errors["direction"] = _("Say whether it was incoming or outgoing.")
    elif interaction.direction:
        errors["direction"] = _("A meeting or a planned interaction has no direction.")
    if kind != InteractionKind.MEETING:
        for name in MEETING_ONLY:
            if getattr(interaction, name):
                errors[name] = _("Only a meeting has an end and a place.")
    elif interaction.ends_at and interaction.starts_at and interaction.ends_at < interaction.starts_at:
        errors["ends_at"] = _("The meeting ends before it starts.")
    if interaction.duration_seconds is not None and kind != InteractionKind.CALL:
        errors["duration_seconds"] = _("Only a phone call has a duration.")
    if kind == InteractionKind.PLANNED:
        interaction.status = interaction.status or PlannedStatus.PLANNED
    elif interaction.status:
        errors["status"] = _("Only a planned interaction has a status.")
    if kind == InteractionKind.EMAIL:
        outgoing = interaction.direction == Direction.OUTGOING
        if outgoing:
            interaction.email_status = interaction.email_status or EmailStatus.DRAFT
        elif interaction.email_status:
            errors["email_status"] = _("An incoming e-mail has no sending status.")
        if outgoing and interaction.email_status != EmailStatus.DRAFT and not interaction.email_to:
            errors["email_to"] = _("Give at least one recipient.")
        if interaction.attached_quote_id and not outgoing:
            errors["attached_quote"] = _("Only an outgoing e-mail has an attachment.")
    else:
        for name in ("email_from", "email_to", "email_cc", "email_status", "attached_quote"):
            if getattr(interaction, name if name != "attached_quote" else "attached_quote_id"):
                errors[name] = _("Only an e-mail has this field.")
    if not interaction.partner_id:
        errors["partner"] = _("Choose the partner, or a subject that has one.")
    else:
        if subject_partner_id and subject_partner_id != interaction.partner_id:
            errors["subject"] = _("The subject belongs to another partner.")
        elif (
            subject is None
            and partner_changed
            and isinstance(actor, User)
            and not partner_list(user=actor).filter(pk=interaction.partner_id).exists()
        ):
            errors["partner"] = _("Partner not found.")
        if contacts is not None and any(contact.partner_id != interaction.partner_id for contact in contacts):
            errors["contacts"] = _("A contact person belongs to another partner.")
        quote = interaction.attached_quote if interaction.attached_quote_id else None
        if quote is not None and quote.partner_id != interaction.partner_id:
            errors["attached_quote"] = _("The commercial proposal is for another partner.")
    if interaction.responsible_id and not interaction.responsible.is_active:
        errors["responsible"] = _("%(user)s is deactivated and cannot be responsible.") % {
            "user": interaction.responsible
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def interaction_create(*, actor, data: dict) -> Interaction:
    """A new interaction; the actor is responsible unless another user is given, the partner may come from
    the subject, and an outgoing e-mail starts as a draft unless recorded as sent."""
    ensure_role_can(actor, "add", "interaction")
    data = _normalize_lists(dict(data))
    contacts = data.pop("contacts", None)
    subject = data.pop("subject", None)
    if data.get("email_status") not in (None, "", *USER_EMAIL_STATUSES):
        raise ValidationError({"email_status": _("An e-mail is recorded as a draft or as sent.")})
    interaction = Interaction(created_by=actor if isinstance(actor, User) else None)
    model_assign(interaction, data, INTERACTION_FIELDS)
    if interaction.starts_at is None:
        interaction.starts_at = timezone.now()
    if interaction.responsible_id is None and isinstance(actor, User):
        interaction.responsible = actor
    if interaction.email_status == EmailStatus.SENT and interaction.email_sent_at is None:
        interaction.email_sent_at = interaction.starts_at
    _assign_subject(actor, interaction, subject)
    _check(actor, interaction, subject=subject, contacts=contacts, partner_changed=True)
    validate_and_save(interaction, actor=actor)
    if contacts:
        interaction.contacts.set(contacts)
    return interaction


@transaction.atomic
def interaction_update(*, actor, interaction: Interaction, data: dict) -> Interaction:
    ensure_role_can(actor, "change", "interaction")
    data = _normalize_lists(dict(data))
    contacts = data.pop("contacts", None)
    has_subject = "subject" in data
    subject = data.pop("subject", None)
    old_status = interaction.email_status
    new_status = data.get("email_status", old_status)
    if new_status != old_status and (
        new_status not in USER_EMAIL_STATUSES or old_status not in ("", EmailStatus.DRAFT)
    ):
        raise ValidationError(
            {"email_status": _("Only a draft can be marked as sent; the worker sets the other statuses.")}
        )
    old_partner_id = interaction.partner_id
    changed = model_assign(interaction, data, INTERACTION_FIELDS)
    if old_status in (EmailStatus.QUEUED, EmailStatus.SENT):
        frozen = [name for name in changed if name in EMAIL_CONTENT_FIELDS]
        if frozen:
            raise ValidationError(
                {name: _("The e-mail is sent or on its way; what it says cannot change.") for name in frozen}
            )
    if has_subject:
        old_subject = (interaction.subject_type_id, interaction.subject_id)
        _assign_subject(actor, interaction, subject)
        if (interaction.subject_type_id, interaction.subject_id) != old_subject:
            changed.append("subject")
    else:
        subject = interaction.subject if interaction.subject_id else None
    if contacts is None and interaction.partner_id != old_partner_id:
        # The contacts kept must still be the (new) partner's.
        contacts = list(interaction.contacts.all())
    _check(
        actor,
        interaction,
        subject=subject,
        contacts=contacts,
        partner_changed=interaction.partner_id != old_partner_id,
    )
    if changed:
        validate_and_save(interaction, actor=actor)
    if contacts is not None:
        interaction.contacts.set(contacts)
    return interaction


@transaction.atomic
def interaction_delete(*, actor, interaction: Interaction) -> None:
    ensure_role_can(actor, "delete", "interaction")
    replies = Interaction.objects.filter(
        subject_type=subjects.content_type_of("interaction"), subject_id=interaction.pk
    )
    if replies.exists():
        raise ValidationError(_("Other interactions answer this one; delete or re-link them first."))
    if interaction.email_status == EmailStatus.QUEUED:
        raise ValidationError(_("The e-mail is being sent; wait until it is sent or fails."))
    interaction._history_user = actor
    interaction.delete()


@transaction.atomic
def interaction_mark_reviewed(*, actor, interaction: Interaction, reviewed: bool = True) -> Interaction:
    ensure_role_can(actor, "change", "interaction")
    if interaction.reviewed != reviewed:
        interaction.reviewed = reviewed
        save_with_history(interaction, actor=actor)
    return interaction


# --- e-mails sent from the app ----------------------------------------------------------------------------


@transaction.atomic
def interaction_send(*, actor, interaction: Interaction) -> Interaction:
    """Queue a draft or failed outgoing e-mail; the worker sends it once the transaction commits."""
    ensure_role_can(actor, "change", "interaction")
    locked = Interaction.objects.select_for_update().get(pk=interaction.pk)
    if not locked.can_be_sent:
        raise ValidationError(_("Only a draft or a failed outgoing e-mail can be sent."))
    if not locked.email_to:
        raise ValidationError({"email_to": _("Give at least one recipient.")})
    locked.email_status, locked.email_error = EmailStatus.QUEUED, ""
    save_with_history(locked, actor=actor)
    transaction.on_commit(lambda: _enqueue(locked.pk))
    interaction.email_status, interaction.email_error = locked.email_status, locked.email_error
    return locked


def _enqueue(interaction_id: int) -> None:
    from sdelka.interactions.tasks import send_interaction_email

    send_interaction_email.enqueue(interaction_id=interaction_id)


@transaction.atomic
def email_compose(*, actor, data: dict) -> Interaction:
    """An e-mail written on a partner's or deal's page: recorded as outgoing and queued for sending.

    ``data``: partner, subject (a deal or None), contacts, email_to, email_cc, topic, text,
    attached_quote, attachment_language.
    """
    data = dict(data)
    to = clean_string_list(data.pop("email_to", []))
    if not to:
        raise ValidationError({"email_to": _("Give at least one recipient.")})
    reply_to = actor.email if isinstance(actor, User) and actor.email else ""
    interaction = interaction_create(
        actor=actor,
        data={
            **data,
            "kind": InteractionKind.EMAIL,
            "direction": Direction.OUTGOING,
            "email_to": to,
            "email_from": reply_to or settings.DEFAULT_FROM_EMAIL,
            "email_status": EmailStatus.DRAFT,
            # What a user wrote themselves needs no review.
            "reviewed": True,
        },
    )
    return interaction_send(actor=actor, interaction=interaction)


def _message(interaction: Interaction) -> EmailMessage:
    sender = settings.DEFAULT_FROM_EMAIL
    message = EmailMessage(
        subject=interaction.topic,
        body=interaction.text,
        from_email=sender,
        to=interaction.email_to,
        cc=interaction.email_cc,
        reply_to=[interaction.email_from]
        if interaction.email_from and interaction.email_from != sender
        else None,
        headers={"List-Unsubscribe": f"<{interaction.unsubscribe_url}>"}
        if interaction.unsubscribe_url
        else None,
    )
    quote = interaction.attached_quote
    if quote is not None:
        from sdelka.documents.printing import quote_pdf

        language = interaction.attachment_language or settings.LANGUAGE_CODE
        filename = f"quote-{quote.number}.pdf".replace("/", "-")
        message.attach(filename, quote_pdf(quote, language=language), "application/pdf")
    return message


def interaction_email_deliver(*, interaction_id: int) -> str:
    """Send a queued e-mail through Django's e-mail settings; the worker calls this (``tasks``).

    The row stays locked while the message goes out, so a second worker given the same e-mail waits and then
    finds it sent. An SMTP refusal (or anything else that stops the send) leaves it failed with the reason.
    """
    with transaction.atomic():
        interaction = (
            # of=("self",): PostgreSQL locks no row of an outer-joined (nullable) quote.
            Interaction.objects.select_for_update(of=("self",))
            .select_related("attached_quote")
            .filter(pk=interaction_id)
            .first()
        )
        if interaction is None or interaction.email_status != EmailStatus.QUEUED:
            return interaction.email_status if interaction else "missing"
        try:
            _message(interaction).send(fail_silently=False)
        except Exception as error:
            logger.warning("E-mail interaction %s was not sent: %s", interaction_id, error)
            interaction.email_status = EmailStatus.FAILED
            interaction.email_error = f"{type(error).__name__}: {error}"[:2000]
        else:
            interaction.email_status = EmailStatus.SENT
            interaction.email_error = ""
            interaction.email_sent_at = timezone.now()
        save_with_history(interaction, actor=None)
        return interaction.email_status
