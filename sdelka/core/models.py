"""Shared model bases: timestamps and the hierarchical catalog group."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and last-change times; every business record has them."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        abstract = True


class CatalogGroup(TimeStampedModel):
    """A node of a hierarchical catalog ("группа справочника") of any depth.

    ``path`` is a materialized path of ids ("/3/17/42/") so that "this group with all its subgroups" is
    one indexed ``startswith`` query in any database, and moving a subtree is one UPDATE.
    It is maintained only by ``sdelka.core.tree`` services, never by hand.
    """

    name = models.CharField(_("name"), max_length=150)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")

    class Meta:
        abstract = True
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        """0 for a top-level group."""
        return max(self.path.count("/") - 2, 0)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
