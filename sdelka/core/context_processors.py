"""The navigation shell: the product's sections, marked as ready or coming."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SECTIONS = [
    # (key, title, url name or None while the section is coming)
    ("partners", _("Partners"), "partners:partner_list"),
    ("products", _("Products"), "catalog:product_list"),
    ("deals", _("Deals"), None),
    ("documents", _("Documents"), "documents:contract_list"),
    ("interactions", _("Interactions"), None),
    ("activities", _("Tasks"), None),
    ("marketing", _("Marketing"), None),
    ("analytics", _("Analytics"), None),
]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    sections = []
    for key, title, url_name in SECTIONS:
        url = reverse(url_name) if url_name else reverse("core:coming", args=[key])
        sections.append({"key": key, "title": title, "url": url, "ready": url_name is not None})
    return {"nav_sections": sections}
