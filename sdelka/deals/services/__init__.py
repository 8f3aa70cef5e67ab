"""Writes of the deals app: deals (``deals``) and the catalogs of kinds, stages, lost reasons (``catalogs``).

Pages and the API import from here: ``from sdelka.deals import services``; ``services.deal_move_to_stage``.
"""

from sdelka.deals.services.catalogs import (
    deal_kind_create,
    deal_kind_delete,
    deal_kind_update,
    lost_reason_create,
    lost_reason_delete,
    lost_reason_update,
    stage_create,
    stage_delete,
    stage_update,
)
from sdelka.deals.services.deals import (
    DealVersionConflict,
    deal_close,
    deal_create,
    deal_delete,
    deal_mark_lost,
    deal_mark_won,
    deal_move_to_stage,
    deal_record_primary_demand,
    deal_reopen,
    deal_set_products,
    deal_update,
)
from sdelka.deals.services.participants import deal_participant_add, deal_participant_remove

__all__ = [
    "DealVersionConflict",
    "deal_close",
    "deal_create",
    "deal_delete",
    "deal_kind_create",
    "deal_kind_delete",
    "deal_kind_update",
    "deal_mark_lost",
    "deal_mark_won",
    "deal_move_to_stage",
    "deal_participant_add",
    "deal_participant_remove",
    "deal_record_primary_demand",
    "deal_reopen",
    "deal_set_products",
    "deal_update",
    "lost_reason_create",
    "lost_reason_delete",
    "lost_reason_update",
    "stage_create",
    "stage_delete",
    "stage_update",
]
