"""The one page of interactions that needs no login: unsubscribing from automatic letters."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from sdelka.interactions.optouts import email_from_token, email_opt_out


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks to confirm (mail scanners open links by themselves); POST unsubscribes the signed address."""
    email = email_from_token(token)
    if email is None:
        return render(request, "interactions/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        email_opt_out(email=email, source="link")
        done = True
    return render(request, "interactions/unsubscribe.html", {"email": email, "done": done})
