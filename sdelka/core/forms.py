"""Form pieces every app's pages share: list fields, indented group selects, and service errors on forms.

Page forms only parse input. Validation with the model's rules and the save happen in the services, whose
``ValidationError`` is put back onto the form next to the fields it names (:func:`add_service_errors`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from sdelka.core.models import CatalogGroup
from sdelka.core.tree import build_tree, flatten_tree

INDENT = "\u00a0\u00a0\u00a0"


class LinesField(forms.CharField):
    """Phones or e-mails typed one per line, handed to the service as a list of strings."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        kwargs.setdefault("help_text", _("One per line."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class CommaSeparatedField(forms.CharField):
    """Tags typed as "VIP, tender", handed to the service as a list of names."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Separate with commas."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [part.strip() for part in text.split(",") if part.strip()]


class MoneyField(forms.DecimalField):
    """An amount typed as people write it in their locale: "1 200,50", "1,200.50" or "1200.50".

    Digit grouping is not switched on site-wide (it would group ids in forms too), so Django would refuse
    the grouped forms; spaces of any kind and the locale's group separator are dropped here instead.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            from django.utils.formats import get_format

            value = "".join(value.split())
            group, decimal = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
            if group.strip() and group != decimal:
                value = value.replace(group, "")
        return super().to_python(value)


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that takes its fields from the model but leaves the instance alone.

    Django's ModelForm copies the input onto the instance and runs the model's validation while the
    form is cleaned; our services do both (and compare old and new values to write history), so here
    the form only parses.
    """

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


def group_choices(groups: Iterable[CatalogGroup], *, empty_label: str) -> list[tuple]:
    """Choices of a group select in tree order, each name indented by its depth."""
    nodes = flatten_tree(build_tree(list(groups), {}))
    return [("", empty_label)] + [(node.group.pk, INDENT * node.depth + node.group.name) for node in nodes]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on ``form``: per field where the form has the field, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            if field in form.fields and field != NON_FIELD_ERRORS:
                form.add_error(field, errors)
            else:
                form.add_error(None, errors)
    else:
        form.add_error(None, error)


class GroupCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    parent = forms.ModelChoiceField(label=_("Parent group"), queryset=None, required=False)

    def __init__(self, *args, group_model: type[CatalogGroup], **kwargs):
        super().__init__(*args, **kwargs)
        groups = group_model._default_manager.all()
        self.fields["parent"].queryset = groups
        self.fields["parent"].choices = group_choices(groups, empty_label=_("(top level)"))


class GroupRenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=150)


class GroupMoveForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("New parent group"), queryset=None, required=False)

    def __init__(self, *args, group_model: type[CatalogGroup], **kwargs):
        super().__init__(*args, **kwargs)
        groups = group_model._default_manager.all()
        self.fields["parent"].queryset = groups
        self.fields["parent"].choices = group_choices(groups, empty_label=_("(top level)"))
