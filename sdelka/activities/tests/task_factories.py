import datetime

import factory
from django.utils import timezone

from sdelka.accounts.tests.factories import UserFactory
from sdelka.activities.models import Task


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Task {n:04d}")
    assignee = factory.SubFactory(UserFactory)
    author = factory.SelfAttribute("assignee")
    due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
