"""The hierarchical catalog: creating, moving and counting groups of any depth."""

import pytest
from django.core.exceptions import ValidationError

from sdelka.core import tree
from sdelka.partners.models import Partner, PartnerGroup
from sdelka.partners.tests.factories import PartnerFactory, PartnerGroupFactory

pytestmark = pytest.mark.django_db


def test_a_new_group_gets_the_path_of_its_parent():
    clients = PartnerGroupFactory(name="Clients")
    wholesale = PartnerGroupFactory(name="Wholesale", parent=clients)

    assert clients.path == f"/{clients.pk}/"
    assert wholesale.path == f"/{clients.pk}/{wholesale.pk}/"
    assert wholesale.depth == 1
    assert wholesale.ancestor_ids == [clients.pk]


def test_moving_a_group_moves_its_whole_subtree():
    a = PartnerGroupFactory(name="A")
    b = PartnerGroupFactory(name="B", parent=a)
    c = PartnerGroupFactory(name="C", parent=b)
    target = PartnerGroupFactory(name="Target")

    tree.group_move(b, actor=None, parent=target)

    c.refresh_from_db()
    b.refresh_from_db()
    assert b.parent == target
    assert b.path == f"/{target.pk}/{b.pk}/"
    assert c.path == f"/{target.pk}/{b.pk}/{c.pk}/"
    assert PartnerGroup.objects.get(pk=a.pk).path == f"/{a.pk}/"


def test_moving_a_group_to_the_top_level():
    a = PartnerGroupFactory(name="A")
    b = PartnerGroupFactory(name="B", parent=a)

    tree.group_move(b, actor=None, parent=None)

    b.refresh_from_db()
    assert b.parent is None and b.path == f"/{b.pk}/"


def test_it_refuses_to_move_a_group_into_itself():
    a = PartnerGroupFactory(name="A")

    with pytest.raises(ValidationError) as error:
        tree.group_move(a, actor=None, parent=a)

    assert "into itself" in str(error.value)
    a.refresh_from_db()
    assert a.parent is None and a.path == f"/{a.pk}/"


@pytest.mark.parametrize("depth", [1, 2, 5])
def test_it_refuses_to_move_a_group_under_its_own_descendant(depth):
    top = PartnerGroupFactory(name="Top")
    node = top
    for level in range(depth):
        node = PartnerGroupFactory(name=f"Level {level}", parent=node)

    with pytest.raises(ValidationError) as error:
        tree.group_move(top, actor=None, parent=node)

    assert "own subgroup" in str(error.value)
    assert PartnerGroup.objects.get(pk=top.pk).path == f"/{top.pk}/"
    assert PartnerGroup.objects.get(pk=node.pk).path.startswith(f"/{top.pk}/")


def test_sibling_names_are_unique_ignoring_case():
    parent = PartnerGroupFactory(name="Clients")
    PartnerGroupFactory(name="Retail", parent=parent)

    with pytest.raises(ValidationError):
        tree.group_create(PartnerGroup, actor=None, name="retail", parent=parent)
    # the same name elsewhere is fine
    tree.group_create(PartnerGroup, actor=None, name="Retail", parent=None)


def test_an_empty_name_is_refused():
    with pytest.raises(ValidationError):
        tree.group_create(PartnerGroup, actor=None, name="   ")
    assert not PartnerGroup.objects.exists()


def test_a_group_with_items_or_subgroups_is_not_deleted():
    parent = PartnerGroupFactory(name="Parent")
    child = PartnerGroupFactory(name="Child", parent=parent)
    PartnerFactory(group=child)

    with pytest.raises(ValidationError, match="subgroups"):
        tree.group_delete(parent, actor=None, item_model=Partner, item_label="partners")
    with pytest.raises(ValidationError, match="partners"):
        tree.group_delete(child, actor=None, item_model=Partner, item_label="partners")
    assert PartnerGroup.objects.count() == 2


def test_items_of_a_group_with_and_without_subgroups():
    parent = PartnerGroupFactory(name="Parent")
    child = PartnerGroupFactory(name="Child", parent=parent)
    grandchild = PartnerGroupFactory(name="Grandchild", parent=child)
    in_parent = PartnerFactory(group=parent)
    in_grandchild = PartnerFactory(group=grandchild)
    PartnerFactory(group=None)

    with_subgroups = set(Partner.objects.filter(tree.subtree_filter(parent)))
    own_only = set(Partner.objects.filter(tree.subtree_filter(parent, include_subgroups=False)))

    assert with_subgroups == {in_parent, in_grandchild}
    assert own_only == {in_parent}


def test_tree_totals_include_every_subgroup():
    parent = PartnerGroupFactory(name="Parent")
    child = PartnerGroupFactory(name="Child", parent=parent)
    other = PartnerGroupFactory(name="Another")

    roots = tree.build_tree(PartnerGroup.objects.all(), {parent.pk: 2, child.pk: 3, other.pk: 1})

    assert [n.group.name for n in roots] == ["Another", "Parent"]
    parent_node = roots[1]
    assert (parent_node.own_count, parent_node.total_count) == (2, 5)
    assert parent_node.children[0].total_count == 3
    assert [n.group.name for n in tree.flatten_tree(roots)] == ["Another", "Parent", "Child"]
