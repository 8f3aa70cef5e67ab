from django.db import models
from django.utils.translation import pgettext_lazy


class ContractStatus(models.TextChoices):
    # Contexts: the Russian words agree with «договор» (and differ from the same English words elsewhere).
    DRAFT = "draft", pgettext_lazy("contract status", "Draft")
    ACTIVE = "active", pgettext_lazy("contract status", "Active")
    CLOSED = "closed", pgettext_lazy("contract status", "Closed")
