"""The public web-to-lead pages (no login): included at ``/lead/`` by ``config/urls.py``."""

from django.urls import path

from sdelka.marketing.views import weblead

app_name = "lead"
urlpatterns = [
    path("<str:token>/", weblead.lead_public, name="form"),
    path("<str:token>/thanks/", weblead.lead_thanks, name="thanks"),
]
