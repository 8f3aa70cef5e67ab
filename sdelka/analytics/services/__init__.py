"""Writes of analytics: its own derived tables and settings only (it never writes business records)."""

from sdelka.analytics.services.aggregates import (
    sales_aggregates_add,
    sales_aggregates_rebuild,
    sales_aggregates_refresh,
)
from sdelka.analytics.services.classification import (
    classification_all_request,
    classification_store,
    classification_store_all,
    classification_store_last_closed,
)
from sdelka.analytics.services.settings import (
    classification_settings_get,
    classification_settings_update,
)

__all__ = [
    "classification_all_request",
    "classification_settings_get",
    "classification_settings_update",
    "classification_store",
    "classification_store_all",
    "classification_store_last_closed",
    "sales_aggregates_add",
    "sales_aggregates_rebuild",
    "sales_aggregates_refresh",
]
