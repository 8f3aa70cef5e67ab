"""One shape for API errors: Django's ValidationError and PermissionDenied from services become 400 and 403."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def validation_error_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


def duplicates_detail(existing, context) -> list[dict]:
    """The records a duplicate error points at, told only as far as the caller may know them.

    The duplicates may belong to another team, so by default only their id and name are given; a view
    that can tell which of them the caller sees adds more through ``describe_duplicates(existing)``.
    """
    view = context.get("view")
    describe = getattr(view, "describe_duplicates", None)
    if describe is not None:
        return describe(existing)
    return [{"id": record.pk, "name": record.name} for record in existing]


def exception_handler(exc, context):
    duplicates = None
    if isinstance(exc, DjangoValidationError):
        detail = validation_error_detail(exc)
        if "__all__" in detail:
            detail["non_field_errors"] = detail.pop("__all__")
        existing = getattr(exc, "existing", None)
        if existing is not None:
            duplicates = duplicates_detail(existing, context)
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, ObjectDoesNotExist):
        exc = Http404()
    response = drf_exception_handler(exc, context)
    if response is not None and duplicates is not None:
        # Added after DRF's handler, which would turn the ids into strings like error messages.
        response.data["duplicates"] = duplicates
    return response
