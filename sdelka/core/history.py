"""Change history of business records (django-simple-history), read as "who changed which field from what to what"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def save_with_history(instance: models.Model, *, actor) -> None:
    """Save and attribute the history row to ``actor`` (a user, or None for the system)."""
    instance._history_user = actor
    instance.save()


@dataclass
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    id: int
    at: datetime
    user_id: int | None
    user_name: str
    change_type: str
    change_label: str
    changes: list[FieldChange]


def _display(record, field_name: str, value: Any) -> Any:
    field = record.instance_type._meta.get_field(field_name)
    if field.many_to_many:
        # simple-history gives the rows of the through table; people want the names, in order.
        target = field.m2m_reverse_field_name()
        ids = [row[target] for row in value or []]
        return sorted(str(obj) for obj in field.related_model._default_manager.filter(pk__in=ids))
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and value is not None:
        target = field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    if isinstance(value, bool):
        return value
    # Typed values (dates, Decimals) are kept so pages can format them per locale.
    return value if value is None or isinstance(value, (int, list, dict, Decimal, date)) else str(value)


def history_for(instance: models.Model, *, limit: int = 200) -> list[HistoryEntry]:
    """The newest ``limit`` history entries of a record, each with its field-by-field changes."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    # Bookkeeping fields: the path follows the parent, the version counts writes.
    skip = {"path", "updated_at", "created_at", "version"}
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in skip:
                    continue
                field = record.instance_type._meta.get_field(change.field)
                changes.append(
                    FieldChange(
                        field=change.field,
                        label=str(field.verbose_name),
                        old=_display(record, change.field, change.old),
                        new=_display(record, change.field, change.new),
                    )
                )
            if not changes:
                continue
        elif record.history_type == "+":
            for field in record.instance_type._meta.concrete_fields:
                if field.name in skip or field.primary_key:
                    continue
                value = getattr(record, field.attname, None)
                if value in (None, "", [], False):
                    continue
                changes.append(
                    FieldChange(
                        field=field.name,
                        label=str(field.verbose_name),
                        old=None,
                        new=_display(record, field.name, value),
                    )
                )
        user = record.history_user
        entries.append(
            HistoryEntry(
                id=record.history_id,
                at=record.history_date,
                user_id=user.pk if user else None,
                user_name=(user.get_full_name() or user.username) if user else str(_("system")),
                change_type=record.history_type,
                change_label=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                changes=changes,
            )
        )
    return entries
