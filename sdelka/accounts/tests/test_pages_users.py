"""The administrators' users and teams page; everyone else gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sdelka.accounts.choices import Role
from sdelka.accounts.models import Team, User

pytestmark = pytest.mark.django_db

USERS = reverse("accounts:user_list")


@pytest.fixture(autouse=True)
def _pages(settings):
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.mark.parametrize("role", [Role.MANAGER, Role.HEAD, Role.MARKETER])
def test_only_administrators_reach_the_users_pages(page_client_for, users_by_role, role):
    client = page_client_for(users_by_role[role])
    someone = users_by_role[Role.MANAGER]

    assert client.get(USERS).status_code == 404
    assert client.get(reverse("accounts:user_create")).status_code == 404
    assert client.get(reverse("accounts:user_edit", args=[someone.pk])).status_code == 404
    assert client.post(reverse("accounts:team_create"), {"name": "Hackers"}).status_code == 404
    assert "Users</a>" not in client.get(reverse("partners:partner_list")).content.decode()


def test_the_list_shows_users_with_role_team_and_state(page_client_for, admin_user, manager):
    response = page_client_for(admin_user).get(USERS)

    html = response.content.decode()
    assert response.status_code == 200
    assert manager.get_full_name() in html
    assert "Sales manager" in html
    assert "North" in html


def test_create_a_user_in_a_new_team(page_client_for, admin_user):
    response = page_client_for(admin_user).post(
        reverse("accounts:user_create"),
        {
            "username": "newbie",
            "first_name": "Nina",
            "last_name": "Novak",
            "email": "nina@example.com",
            "role": Role.HEAD,
            "new_team": "East",
            "password": "a-long-pass-phrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.team.name == "East"
    assert user.check_password("a-long-pass-phrase")
    assert Team.objects.get(name="East").head == user


def test_a_weak_password_is_shown_next_to_the_field_and_no_team_is_left(page_client_for, admin_user):
    response = page_client_for(admin_user).post(
        reverse("accounts:user_create"),
        {"username": "weak", "role": Role.MANAGER, "new_team": "Ghost", "password": "12345678"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="field-password"' in html and "This password is entirely numeric." in html
    assert not User.objects.filter(username="weak").exists()
    assert not Team.objects.filter(name="Ghost").exists()


def test_a_taken_username_is_refused(page_client_for, admin_user, manager):
    response = page_client_for(admin_user).post(
        reverse("accounts:user_create"),
        {"username": "manager", "role": Role.MANAGER, "password": "a-long-pass-phrase"},
    )

    assert "A user with that username already exists." in response.content.decode()


def test_edit_role_team_active_and_reset_password(page_client_for, admin_user, manager, team_south):
    response = page_client_for(admin_user).post(
        reverse("accounts:user_edit", args=[manager.pk]),
        {
            "first_name": "Max",
            "last_name": "Orlov",
            "email": "",
            "role": Role.MARKETER,
            "team": team_south.pk,
            "is_active": "",
            "password": "another-long-phrase",
        },
    )

    assert response.status_code == 302
    manager.refresh_from_db()
    assert (manager.role, manager.team, manager.is_active) == (Role.MARKETER, team_south, False)
    assert manager.check_password("another-long-phrase")


def test_an_administrator_cannot_lock_themself_out(page_client_for, admin_user):
    response = page_client_for(admin_user).post(
        reverse("accounts:user_edit", args=[admin_user.pk]),
        {"role": Role.MANAGER, "is_active": ""},
    )

    assert "You cannot take the administrator role from yourself." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN and admin_user.is_active


def test_set_a_teams_head(page_client_for, admin_user, team_south):
    south_head = User.objects.create_user(username="south_head", password="x", role=Role.HEAD)

    response = page_client_for(admin_user).post(
        reverse("accounts:team_set_head", args=[team_south.pk]), {f"team{team_south.pk}-head": south_head.pk}
    )

    assert response.status_code == 302
    team_south.refresh_from_db()
    assert team_south.head == south_head


def test_a_manager_cannot_head_a_team(page_client_for, admin_user, team_south, manager):
    response = page_client_for(admin_user).post(
        reverse("accounts:team_set_head", args=[team_south.pk]),
        {f"team{team_south.pk}-head": manager.pk},
        follow=True,
    )

    assert "Select a valid choice" in response.content.decode()
    team_south.refresh_from_db()
    assert team_south.head is None
