"""One helper that answers a full page or, for an htmx request, just the fragment that changed."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request) -> bool:
    """An htmx request that swaps part of a page; boosted links and history restores need the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_fragment(request, template: str, fragment: str, context: dict, status: int = 200):
    """htmx requests get ``fragment`` (a partial template); ordinary ones the whole ``template``.

    The context gets ``is_fragment`` so a fragment can show the messages the full page shows in its shell.
    The same URL answers both, so caches must keep them apart (``Vary: HX-Request``).
    """
    is_fragment = wants_fragment(request)
    response = render(
        request, fragment if is_fragment else template, {**context, "is_fragment": is_fragment}, status=status
    )
    patch_vary_headers(response, ("HX-Request",))
    return response
