"""Creating, changing and regrouping partners through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdelka.partners import services
from sdelka.partners.models import Partner
from sdelka.partners.tests.factories import PartnerFactory, PartnerGroupFactory

pytestmark = pytest.mark.django_db


def test_a_manager_creates_a_partner_with_tags_phones_and_emails(manager):
    partner = services.partner_create(
        actor=manager,
        data={
            "name": "ООО «Ромашка»",
            "manager": manager,
            "phones": ["+7 (495) 123-45-67", " ", "+7 (495) 123-45-67"],
            "emails": ["sales@romashka.ru"],
            "tags": ["VIP", "тендер", "VIP"],
        },
    )

    partner.refresh_from_db()
    assert partner.phones == ["+7 (495) 123-45-67"]
    assert sorted(t.name for t in partner.tags.all()) == ["VIP", "тендер"]
    assert partner.created_by == manager
    assert partner.history.first().history_user == manager


def test_a_partner_needs_at_least_one_relation(manager):
    with pytest.raises(ValidationError) as error:
        services.partner_create(actor=manager, data={"name": "Nobody", "is_client": False})

    assert "is_client" in error.value.message_dict
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("phones", ["call me"]), ("emails", ["not-an-email"]), ("phones", "+7 495"), ("website", "ftp//x")],
)
def test_bad_contact_data_is_refused_with_the_field_named(manager, field, value):
    with pytest.raises(ValidationError) as error:
        services.partner_create(actor=manager, data={"name": "X", field: value})

    assert field in error.value.message_dict
    assert not Partner.objects.exists()


def test_a_manager_cannot_give_a_partner_to_someone_else(manager, teammate):
    with pytest.raises(ValidationError) as error:
        services.partner_create(actor=manager, data={"name": "X", "manager": teammate})

    assert "manager" in error.value.message_dict


def test_a_head_assigns_partners_within_the_team_only(head, teammate, outsider):
    partner = services.partner_create(actor=head, data={"name": "X", "manager": teammate})
    assert partner.manager == teammate

    with pytest.raises(ValidationError):
        services.partner_update(actor=head, partner=partner, data={"manager": outsider})
    partner.refresh_from_db()
    assert partner.manager == teammate


def test_an_admin_assigns_anyone(admin_user, outsider):
    partner = services.partner_create(actor=admin_user, data={"name": "X", "manager": outsider})
    assert partner.manager == outsider


def test_a_marketer_cannot_create_partners(marketer):
    with pytest.raises(PermissionDenied):
        services.partner_create(actor=marketer, data={"name": "X"})


def test_a_manager_cannot_delete_a_partner_but_a_head_can(manager, head):
    partner = PartnerFactory(manager=manager)

    with pytest.raises(PermissionDenied):
        services.partner_delete(actor=manager, partner=partner)
    services.partner_delete(actor=head, partner=partner)

    assert not Partner.objects.exists()


def test_an_unknown_field_is_refused(manager):
    with pytest.raises(ValidationError) as error:
        services.partner_create(actor=manager, data={"name": "X", "created_by": manager})
    assert "created_by" in error.value.message_dict


def test_moving_partners_to_a_group_records_history(manager):
    group = PartnerGroupFactory(name="Wholesale")
    partners = [PartnerFactory(manager=manager) for _ in range(3)]

    moved = services.partners_move_to_group(actor=manager, partners=partners, group=group)

    assert moved == 3
    assert Partner.objects.filter(group=group).count() == 3
    assert partners[0].history.first().history_user == manager
    assert services.partners_move_to_group(actor=manager, partners=partners, group=group) == 0


def test_an_update_records_who_changed_what(manager):
    from sdelka.core.history import history_for

    partner = services.partner_create(actor=manager, data={"name": "Old name", "region": "Москва"})
    services.partner_update(actor=manager, partner=partner, data={"name": "New name", "region": "Москва"})

    latest = history_for(partner)[0]
    assert latest.change_type == "~"
    assert latest.user_id == manager.pk
    assert [(c.field, c.old, c.new) for c in latest.changes] == [("name", "Old name", "New name")]
    created = history_for(partner)[-1]
    assert created.change_type == "+"
    assert ("name", "Old name") in [(c.field, c.new) for c in created.changes]


def test_history_shows_related_records_by_name(manager):
    from sdelka.core.history import history_for

    partner = services.partner_create(actor=manager, data={"name": "P"})
    group = PartnerGroupFactory(name="Wholesale")
    services.partner_update(actor=manager, partner=partner, data={"group": group})

    change = history_for(partner)[0].changes[0]
    assert (change.field, change.old, change.new) == ("group", None, "Wholesale")


def test_tag_changes_are_in_the_history(manager):
    from sdelka.core.history import history_for

    partner = services.partner_create(actor=manager, data={"name": "P", "tags": ["VIP"]})
    services.partner_update(actor=manager, partner=partner, data={"tags": ["VIP", "тендер"]})

    tag_changes = [
        (e.user_id, c.old, c.new) for e in history_for(partner) for c in e.changes if c.field == "tags"
    ]
    assert tag_changes[0] == (manager.pk, ["VIP"], ["VIP", "тендер"])
