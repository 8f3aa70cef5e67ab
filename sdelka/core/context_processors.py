"""The navigation shell: the product's sections, marked as ready or coming."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SECTIONS = [
    # (key, title, url name or None while the section is coming)
    ("partners", _("Partners"), "partners:partner_list"),
    ("products", _("Products"), "catalog:product_list"),
    ("deals", _("Deals"), "deals:deal_list"),
    ("documents", _("Documents"), "documents:index"),
    ("interactions", _("Interactions"), "interactions:interaction_list"),
    ("activities", _("Tasks"), "activities:task_list"),
    ("claims", _("Claims"), "claims:claim_list"),
    ("marketing", _("Marketing"), "marketing:index"),
    ("analytics", _("Analytics"), "analytics:index"),
]


# URL namespaces whose pages belong to a section of another name.
NAMESPACE_SECTIONS = {
    "catalog": "products",
    "deals_board": "deals",
    "deal_kinds": "deals",
    "reports": "analytics",
    "segments": "partners",
}


# Pages that live in another app's URLs but belong to a section: (namespace, url name prefix) → section.
URL_NAME_SECTIONS = {
    ("activities", "mailing_rule"): "marketing",
    ("interactions", "email_template"): "marketing",
    ("interactions", "opt_out"): "marketing",
}


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    current = NAMESPACE_SECTIONS.get(namespace, namespace)
    url_name = match.url_name if match else ""
    for (space, prefix), section in URL_NAME_SECTIONS.items():
        if namespace == space and (url_name or "").startswith(prefix):
            current = section
    if namespace == "core" and match.url_name == "coming":
        current = match.kwargs.get("section")
    sections = []
    for key, title, url_name in SECTIONS:
        url = reverse(url_name) if url_name else reverse("core:coming", args=[key])
        sections.append(
            {"key": key, "title": title, "url": url, "ready": url_name is not None, "active": key == current}
        )
    return {"nav_sections": sections}
