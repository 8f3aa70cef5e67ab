"""Serializer fields shared by every app's API: strict strings, lists of strings, ids that must be visible."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.core.validators import MAX_ITEMS

# The largest id any supported database stores (a signed 64-bit integer); a bigger one is "not found",
# never sent to the database, where SQLite would overflow.
MAX_ID = 2**63 - 1


class StrictCharField(serializers.CharField):
    """A string field that refuses numbers instead of quietly turning ``123`` into ``"123"``."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StringListField(serializers.ListField):
    """A JSON list of strings (phones, e-mails, tags) of at most ``MAX_ITEMS`` items.

    Reads a related manager (tags) as the list of its names, so prefetched relations cost no query.
    """

    def __init__(self, *, item_max_length: int | None = None, **kwargs):
        kwargs.setdefault("child", StrictCharField(max_length=item_max_length))
        kwargs.setdefault("max_length", MAX_ITEMS)
        super().__init__(**kwargs)

    def to_representation(self, data):
        if hasattr(data, "all"):
            return [str(item) for item in data.all()]
        return super().to_representation(data)


class PhoneListField(StringListField):
    def __init__(self, **kwargs):
        super().__init__(item_max_length=40, **kwargs)


class EmailListField(StringListField):
    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.EmailField(max_length=254))
        super().__init__(**kwargs)


class PrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id of a related record; an id that does not exist is reported as "not found"."""

    default_error_messages = {
        "does_not_exist": _("Not found: there is no record with id {pk_value}."),
        "incorrect_type": _("Incorrect type: expected a record id (a number), got {data_type}."),
    }

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool) and not (0 < data <= MAX_ID):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class ScopedPrimaryKeyField(PrimaryKeyField):
    """An id looked up through a selector in the caller's scope: another team's record is "not found".

    ``queryset`` is still given (the whole table) because the schema generator reads the model from it;
    lookups always go through ``select(user=...)``.
    """

    def __init__(self, *, select: Callable[..., QuerySet], **kwargs):
        self.select = select
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.queryset.none()
        return self.select(user=request.user)


class IdListField(serializers.ListField):
    """A non-empty list of record ids, at most ``max_length`` of them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        kwargs.setdefault("allow_empty", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)
