"""One helper that answers a full page or, for an htmx request, just the fragment that changed."""

from django.shortcuts import render


def render_page_or_fragment(request, template: str, fragment: str, context: dict, status: int = 200):
    """htmx requests get ``fragment`` (a partial template); ordinary ones the whole ``template``."""
    name = fragment if getattr(request, "htmx", False) and not request.htmx.boosted else template
    return render(request, name, context, status=status)
