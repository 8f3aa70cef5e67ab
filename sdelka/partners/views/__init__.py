"""Pages of partners, their counterparties and contact persons, partner groups, and individuals."""

from sdelka.partners.views.individuals import (
    individual_create,
    individual_delete,
    individual_detail,
    individual_edit,
    individual_list,
)
from sdelka.partners.views.partners import (
    partner_create,
    partner_delete,
    partner_detail,
    partner_edit,
    partner_group_create,
    partner_group_delete,
    partner_group_move,
    partner_group_rename,
    partner_list,
    partner_move_to_group,
)
from sdelka.partners.views.records import (
    contact_create,
    contact_delete,
    contact_edit,
    counterparty_create,
    counterparty_delete,
    counterparty_edit,
)

__all__ = [
    "contact_create",
    "contact_delete",
    "contact_edit",
    "counterparty_create",
    "counterparty_delete",
    "counterparty_edit",
    "individual_create",
    "individual_delete",
    "individual_detail",
    "individual_edit",
    "individual_list",
    "partner_create",
    "partner_delete",
    "partner_detail",
    "partner_edit",
    "partner_group_create",
    "partner_group_delete",
    "partner_group_move",
    "partner_group_rename",
    "partner_list",
    "partner_move_to_group",
]
