"""Writes and reads of hierarchical catalog groups (any ``CatalogGroup`` subclass).

Apps wrap these in their own services (``partner_group_create`` …) so that permission checks and names
stay in the domain's words; the tree arithmetic lives here once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from sdelka.core.history import save_with_history
from sdelka.core.models import CatalogGroup

G = TypeVar("G", bound=CatalogGroup)


def _path_for(group: CatalogGroup, parent: CatalogGroup | None) -> str:
    return f"{parent.path if parent else '/'}{group.pk}/"


def _check_sibling_name(group: CatalogGroup, *, name: str, parent: CatalogGroup | None) -> None:
    siblings = type(group)._default_manager.filter(parent=parent, name__iexact=name.strip())
    if group.pk:
        siblings = siblings.exclude(pk=group.pk)
    if siblings.exists():
        raise ValidationError({"name": _("A group named “%(name)s” already exists here.") % {"name": name}})


def group_create(model: type[G], *, actor, name: str, parent: G | None = None) -> G:
    group = model(name=(name or "").strip(), parent=parent)
    group.full_clean(exclude=["path"])
    _check_sibling_name(group, name=group.name, parent=parent)
    with transaction.atomic():
        save_with_history(group, actor=actor)
        group.path = _path_for(group, parent)
        model._default_manager.filter(pk=group.pk).update(path=group.path)
    return group


def group_rename(group: G, *, actor, name: str) -> G:
    group.name = (name or "").strip()
    group.full_clean(exclude=["path"])
    _check_sibling_name(group, name=group.name, parent=group.parent)
    save_with_history(group, actor=actor)
    return group


def group_move(group: G, *, actor, parent: G | None) -> G:
    """Put ``group`` (with its whole subtree) under ``parent``; ``None`` makes it top-level."""
    model = type(group)
    if parent is not None:
        if parent.pk == group.pk:
            raise ValidationError({"parent": _("A group cannot be moved into itself.")})
        if parent.path.startswith(group.path):
            raise ValidationError(
                {
                    "parent": _("A group cannot be moved into its own subgroup “%(name)s”.")
                    % {"name": parent.name}
                }
            )
    _check_sibling_name(group, name=group.name, parent=parent)
    with transaction.atomic():
        # Lock the subtree so two concurrent moves cannot interleave their path rewrites.
        list(model._default_manager.select_for_update().filter(path__startswith=group.path).values_list("pk"))
        old_path = group.path
        group.parent = parent
        new_path = _path_for(group, parent)
        save_with_history(group, actor=actor)
        model._default_manager.filter(path__startswith=old_path).update(
            path=Concat(
                models.Value(new_path), Substr("path", len(old_path) + 1), output_field=models.CharField()
            )
        )
        group.path = new_path
    return group


def group_delete(group: G, *, actor, item_model: type[models.Model], item_label: str) -> None:
    """Delete an empty group; a group with subgroups or items is kept and the reason given."""
    if group.children.exists():
        raise ValidationError(_("The group has subgroups: move or delete them first."))
    if item_model._default_manager.filter(group=group).exists():
        raise ValidationError(
            _("The group still holds %(items)s: move them to another group first.") % {"items": item_label}
        )
    with transaction.atomic():
        group._history_user = actor
        group.delete()


def items_move_to_group(items, *, actor, group: CatalogGroup | None) -> int:
    """Put each item (a partner, a product…) into ``group``, None: out of every group; returns how many moved.

    Saved one by one on purpose: each move leaves its history row attributed to the actor.
    """
    moved = 0
    for item in items:
        if item.group_id != (group.pk if group else None):
            item.group = group
            save_with_history(item, actor=actor)
            moved += 1
    return moved


def subtree_filter(
    group: CatalogGroup | None, *, include_subgroups: bool = True, field: str = "group"
) -> models.Q:
    """A filter on items of ``group``; with subgroups, every item below it at any depth."""
    if group is None:
        return models.Q(**{f"{field}__isnull": True})
    if include_subgroups:
        return models.Q(**{f"{field}__path__startswith": group.path})
    return models.Q(**{field: group})


@dataclass
class TreeNode:
    """A group with its children and item counts, for rendering the group tree beside a list."""

    group: CatalogGroup
    own_count: int = 0
    total_count: int = 0
    children: list[TreeNode] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return self.group.depth


def build_tree(groups: Iterable[CatalogGroup], counts: dict[int | None, int]) -> list[TreeNode]:
    """Arrange groups into a tree sorted by name; ``counts`` maps group id to the number of its own items.

    Totals include every subgroup. Works on the full list of groups in one pass (groups are few, items many:
    the items are counted by the database, never loaded).
    """
    nodes = {g.pk: TreeNode(group=g, own_count=counts.get(g.pk, 0)) for g in groups}
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent = nodes.get(node.group.parent_id) if node.group.parent_id else None
        (parent.children if parent else roots).append(node)

    def finish(level: list[TreeNode]) -> int:
        level.sort(key=lambda n: (n.group.name.lower(), n.group.pk))
        total = 0
        for node in level:
            node.total_count = node.own_count + finish(node.children)
            total += node.total_count
        return total

    finish(roots)
    return roots


def flatten_tree(roots: list[TreeNode]) -> list[TreeNode]:
    """Depth-first list of nodes, for indented selects."""
    result: list[TreeNode] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        result.append(node)
        stack.extend(reversed(node.children))
    return result
