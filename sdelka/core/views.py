from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render

from sdelka.core.context_processors import SECTIONS


@login_required
def home(request):
    return redirect("partners:partner_list")


@login_required
def coming(request, section: str):
    titles = {key: title for key, title, url_name in SECTIONS if url_name is None}
    if section not in titles:
        raise Http404
    return render(request, "core/coming.html", {"section": section, "title": titles[section]})


def healthz(request):
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
