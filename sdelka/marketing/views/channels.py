"""Pages of advertising channels: the catalog as a tree, create, edit, delete (refused with the reason)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sdelka.accounts.permissions import role_can
from sdelka.core.tree import flatten_tree
from sdelka.core.views import ensure_role, form_page
from sdelka.marketing import selectors, services
from sdelka.marketing.forms import AdChannelForm
from sdelka.marketing.models import AdChannel


def channel_or_404(pk) -> AdChannel:
    try:
        return selectors.ad_channel_list().get(pk=pk)
    except AdChannel.DoesNotExist as error:
        raise Http404 from error


@login_required
def index(request):
    return redirect("marketing:event_list")


@login_required
def channel_list(request):
    user = request.user
    nodes = flatten_tree(selectors.ad_channel_tree(user=user))
    return render(
        request,
        "marketing/channel_list.html",
        {
            "nodes": nodes,
            "can_add": role_can(user, "add", "ad_channel"),
            "can_change": role_can(user, "change", "ad_channel"),
            "can_delete": role_can(user, "delete", "ad_channel"),
        },
    )


@login_required
def channel_create(request):
    ensure_role(request.user, "add", "ad_channel")
    initial = {}
    if str(request.GET.get("parent", "")).isdigit():
        initial["parent"] = request.GET["parent"]
    return form_page(
        request,
        AdChannelForm(request.POST or None, initial=initial),
        save=lambda data: services.ad_channel_create(actor=request.user, data=data),
        template="marketing/channel_form.html",
        context={"channel": None},
        success=lambda channel: _("Channel “%(name)s” created.") % {"name": channel.name},
        next_url=lambda channel: reverse("marketing:channel_list"),
    )


@login_required
def channel_edit(request, pk: int):
    channel = channel_or_404(pk)
    ensure_role(request.user, "change", "ad_channel")
    return form_page(
        request,
        AdChannelForm(request.POST or None, instance=channel),
        save=lambda data: services.ad_channel_update(actor=request.user, channel=channel, data=data),
        template="marketing/channel_form.html",
        context={"channel": channel},
        success=lambda saved: _("Channel “%(name)s” saved.") % {"name": saved.name},
        next_url=lambda saved: reverse("marketing:channel_list"),
        instance=channel,
    )


@login_required
def channel_delete(request, pk: int):
    channel = channel_or_404(pk)
    ensure_role(request.user, "delete", "ad_channel")
    if request.method == "POST":
        name = channel.name
        try:
            services.ad_channel_delete(actor=request.user, channel=channel)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Channel “%(name)s” deleted.") % {"name": name})
        return redirect("marketing:channel_list")
    return render(request, "marketing/channel_confirm_delete.html", {"channel": channel})
