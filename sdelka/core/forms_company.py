"""The form of our company's requisites (the administrators' page); validation happens in the service."""

from __future__ import annotations

from sdelka.core.company import COMPANY_FIELDS
from sdelka.core.forms import ServiceModelForm
from sdelka.core.models import Company

#: ids and accounts may be typed with spaces ("4070 2810 …"); the service stores digits only
ID_INPUT_LENGTH = 40


class CompanyForm(ServiceModelForm):
    class Meta:
        model = Company
        fields = COMPANY_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Company.ID_FIELDS:
            field = self.fields[name]
            field.max_length = ID_INPUT_LENGTH
            field.widget.attrs["maxlength"] = str(ID_INPUT_LENGTH)
            field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
