"""``manage.py create_user``: add a user with a role (and a team) from the command line."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sdelka.accounts.choices import Role
from sdelka.accounts.services import team_get_or_create, user_create


def _one_line(error: ValidationError) -> str:
    """ "field: message; field: message" — a ValidationError as one line for the terminal."""
    if hasattr(error, "error_dict"):
        parts = []
        for field, errors in error.message_dict.items():
            text = " ".join(errors)
            parts.append(text if field == "__all__" else f"{field}: {text}")
        return "; ".join(parts)
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Create a user with a role: manager, head, marketer or admin. --team puts the user in a team "
        "(created if missing); a head becomes the team's head when the team has none. The password is "
        "checked by the password validators. Nothing is stored if anything is wrong."
    )

    def add_arguments(self, parser):
        # Required options are checked in handle(), so that a missing one is a one-line error like the
        # others rather than argparse's usage dump.
        parser.add_argument("--username", help="Login name (required).")
        parser.add_argument("--password", help="Password (required); checked by the password validators.")
        parser.add_argument("--role", help=f"One of: {', '.join(Role.values)} (required).")
        parser.add_argument("--team", help="Team name; the team is created if it does not exist.")
        parser.add_argument("--first-name", default="", help="First name.")
        parser.add_argument("--last-name", default="", help="Last name.")
        parser.add_argument("--email", default="", help="E-mail address.")

    def handle(self, *args, **options):
        missing = [f"--{name}" for name in ("username", "password", "role") if not options.get(name)]
        if missing:
            raise CommandError(f"Missing required option(s): {', '.join(missing)}.")
        role = options["role"].strip().lower()
        if role not in Role.values:
            raise CommandError(f"Unknown role “{options['role']}”; choose one of: {', '.join(Role.values)}.")
        team_name = (options.get("team") or "").strip()
        if options.get("team") is not None and not team_name:
            raise CommandError("--team must not be empty.")
        try:
            with transaction.atomic():
                team = team_get_or_create(name=team_name) if team_name else None
                user = user_create(
                    username=options["username"],
                    password=options["password"],
                    role=role,
                    team=team,
                    first_name=options["first_name"].strip(),
                    last_name=options["last_name"].strip(),
                    email=options["email"].strip(),
                )
        except ValidationError as error:
            raise CommandError(_one_line(error)) from error

        details = [str(Role(user.role).label)]
        if team is not None:
            details.append(f"team “{team.name}”")
            if team.head_id == user.pk:
                details.append("head of the team")
            elif role == Role.HEAD:
                details.append(f"the team's head is still “{team.head}”")
        self.stdout.write(self.style.SUCCESS(f"Created user “{user.username}” ({', '.join(details)})."))
