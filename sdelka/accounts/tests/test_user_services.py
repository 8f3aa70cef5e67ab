"""Creating users and teams."""

import pytest
from django.core.exceptions import ValidationError

from sdelka.accounts import services
from sdelka.accounts.choices import Role
from sdelka.accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_head_created_for_a_team_without_head_becomes_its_head():
    team = services.team_get_or_create(name="Almaty")
    head = services.user_create(username="aigul", password="Str0ng-pass!", role=Role.HEAD, team=team)

    team.refresh_from_db()
    assert team.head == head
    assert head.check_password("Str0ng-pass!")


def test_an_administrator_gets_django_admin_access():
    user = services.user_create(username="root2", password="Str0ng-pass!", role=Role.ADMIN)
    assert user.is_staff and user.is_administrator


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"username": "x", "password": "Str0ng-pass!", "role": "king"}, "role"),
        ({"username": "x", "password": "123", "role": Role.MANAGER}, "password"),
        ({"username": "", "password": "Str0ng-pass!", "role": Role.MANAGER}, "username"),
        ({"username": "bad name!", "password": "Str0ng-pass!", "role": Role.MANAGER}, "username"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(kwargs, field):
    with pytest.raises(ValidationError) as error:
        services.user_create(**kwargs)
    assert field in error.value.message_dict
    assert not User.objects.exists()


def test_a_duplicate_username_is_refused():
    services.user_create(username="anna", password="Str0ng-pass!", role=Role.MANAGER)
    with pytest.raises(ValidationError) as error:
        services.user_create(username="anna", password="Str0ng-pass!", role=Role.MANAGER)
    assert "username" in error.value.message_dict


def test_only_a_head_leads_a_team(manager, head, team_south):
    with pytest.raises(ValidationError):
        services.team_set_head(team=team_south, head=manager)
    services.team_set_head(team=team_south, head=head)
    assert team_south.head == head
