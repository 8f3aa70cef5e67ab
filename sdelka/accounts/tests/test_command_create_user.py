"""``manage.py create_user``: a user with a role and a team, or a one-line error and nothing stored."""

from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections

from sdelka.accounts.choices import Role
from sdelka.accounts.models import Team, User
from sdelka.accounts.tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Sloth-Garden-42"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Real PBKDF2 takes half a second a hash; these tests check the command, not the hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


def test_it_creates_a_manager_in_a_new_team():
    output = run(
        "--username", "anna", "--password", STRONG, "--role", "manager", "--team", "Москва",
        "--first-name", "Анна", "--last-name", "Белова", "--email", "anna@example.com",
    )  # fmt: skip

    user = User.objects.get(username="anna")
    assert user.role == Role.MANAGER
    assert user.team.name == "Москва"
    assert (user.first_name, user.last_name, user.email) == ("Анна", "Белова", "anna@example.com")
    assert user.check_password(STRONG)
    assert not user.is_staff
    assert "Created user “anna”" in output
    assert "team “Москва”" in output


def test_it_joins_an_existing_team():
    team = TeamFactory(name="Алматы")

    run("--username", "kim", "--password", STRONG, "--role", "manager", "--team", "Алматы")

    assert User.objects.get(username="kim").team == team
    assert Team.objects.count() == 1


def test_a_head_becomes_the_head_of_a_team_without_one():
    output = run("--username", "boss", "--password", STRONG, "--role", "head", "--team", "Север")

    team = Team.objects.get(name="Север")
    assert team.head == User.objects.get(username="boss")
    assert "head of the team" in output


def test_a_head_does_not_replace_the_head_a_team_has():
    team = TeamFactory(name="Север")
    old_head = UserFactory(username="old", role=Role.HEAD, team=team)
    team.head = old_head
    team.save()

    output = run("--username", "new", "--password", STRONG, "--role", "head", "--team", "Север")

    team.refresh_from_db()
    assert team.head == old_head
    assert "still" in output


def test_an_administrator_gets_the_admin_site():
    run("--username", "root", "--password", STRONG, "--role", "admin")

    user = User.objects.get(username="root")
    assert user.role == Role.ADMIN
    assert user.is_staff
    assert user.team is None


def test_the_role_is_case_insensitive():
    run("--username", "mk", "--password", STRONG, "--role", "Marketer")

    assert User.objects.get(username="mk").role == Role.MARKETER


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--password", STRONG, "--role", "manager"], "--username"),
        (["--username", "u", "--role", "manager"], "--password"),
        (["--username", "u", "--password", STRONG], "--role"),
        ([], "--username, --password, --role"),
        (["--username", "u", "--password", STRONG, "--role", "boss"], "Unknown role “boss”"),
        (["--username", "u", "--password", "123", "--role", "manager", "--team", "New"], "password"),
        (["--username", "u", "--password", "password", "--role", "manager"], "password"),
        (["--username", "bad name!", "--password", STRONG, "--role", "manager"], "username"),
        (["--username", "u", "--password", STRONG, "--role", "manager", "--email", "nope"], "email"),
        (["--username", "u", "--password", STRONG, "--role", "manager", "--team", "  "], "--team"),
    ],
    ids=[
        "no username",
        "no password",
        "no role",
        "nothing",
        "unknown role",
        "short password",
        "common password",
        "bad username",
        "bad email",
        "empty team",
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(args, message):
    with pytest.raises(CommandError, match=message) as error:
        run(*args)

    assert "\n" not in str(error.value)
    assert User.objects.count() == 0
    assert Team.objects.count() == 0


def test_an_existing_username_is_refused():
    UserFactory(username="anna")

    with pytest.raises(CommandError, match="username"):
        run("--username", "anna", "--password", STRONG, "--role", "manager", "--team", "New team")

    assert User.objects.count() == 1
    assert not Team.objects.filter(name="New team").exists()


def test_on_the_command_line_an_error_is_one_line_on_stderr_and_a_failure_exit_code(capsys, monkeypatch):
    # run_from_argv closes every connection when it ends, which would close the test database too.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "create_user", "--username", "u", "--role", "ghost"])

    assert exit_info.value.code != 0
    captured = capsys.readouterr()
    assert captured.err.strip().count("\n") == 0
    assert captured.err.startswith("CommandError: Missing required option(s): --password.")
    assert User.objects.count() == 0
