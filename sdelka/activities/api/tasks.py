"""Tasks over the API: CRUD in the caller's scope and the actions start, complete, cancel, reopen.

Completing the step of a typical sale moves its deal on; at the last stage it needs ``outcome``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sdelka.accounts.models import User
from sdelka.accounts.permissions import CHANGE
from sdelka.activities.filters_tasks import TaskFilter
from sdelka.activities.models import Task
from sdelka.activities.selectors import tasks as selectors
from sdelka.activities.services import tasks as services
from sdelka.core.api.fields import MAX_ID, PrimaryKeyField
from sdelka.core.api.serializers import ErrorSerializer, ServiceModelSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet
from sdelka.deals.models import LostReason
from sdelka.deals.services import DealVersionConflict
from sdelka.partners.models import Partner

REFUSED = OpenApiResponse(ErrorSerializer, description="The action is refused; the reason is given.")
CONFLICT = OpenApiResponse(ErrorSerializer, description="The deal changed meanwhile; reload and repeat.")
SUBJECT_CHOICES = [(key, title) for key, (_app, _model, title) in selectors.SUBJECT_TYPES.items()]


class SubjectTypeField(serializers.ChoiceField):
    """The kind of record a task is about, by its key ("deal", "partner", "claim", "interaction")."""

    def __init__(self, **kwargs):
        super().__init__(choices=SUBJECT_CHOICES, **kwargs)

    def to_representation(self, value):
        return None if value is None else selectors.subject_key(value)


class TaskSerializer(ServiceModelSerializer):
    assignee = PrimaryKeyField(
        queryset=User.objects.all(), required=False, help_text=_("Who does it; the caller when not given.")
    )
    subject_type = SubjectTypeField(
        allow_null=True, required=False, help_text=_("What kind of record the task is about.")
    )
    subject_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, allow_null=True, required=False, help_text=_("The record's id.")
    )
    subject_name = serializers.SerializerMethodField()
    assignee_name = serializers.CharField(source="assignee.__str__", read_only=True)
    process_stage_name = serializers.CharField(source="process_stage.name", read_only=True, default=None)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "description",
            "assignee",
            "assignee_name",
            "author",
            "due_at",
            "priority",
            "status",
            "subject_type",
            "subject_id",
            "subject_name",
            "process_stage",
            "process_stage_name",
            "completed_at",
            "result",
            "is_overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["author", "status", "process_stage", "completed_at", "result"]

    def get_subject_name(self, task: Task) -> str | None:
        return str(task.subject) if task.subject_type_id and task.subject is not None else None

    def validate(self, attrs):
        has_type, has_id = "subject_type" in attrs, "subject_id" in attrs
        if has_type or has_id:
            key, pk = attrs.pop("subject_type", None), attrs.pop("subject_id", None)
            if (key is None) != (pk is None):
                raise serializers.ValidationError(
                    {"subject_id": _("Give both the subject type and id, or neither.")}
                )
            if key is None:
                attrs["subject"] = None
            else:
                try:
                    attrs["subject"] = selectors.subject_get(key, pk, user=self.context["request"].user)
                except LookupError as error:
                    raise serializers.ValidationError(
                        {"subject_id": _("Not found: there is no record with id %(pk)s.") % {"pk": pk}}
                    ) from error
        return attrs


class TaskResultSerializer(serializers.Serializer):
    result = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class TaskCompleteSerializer(TaskResultSerializer):
    outcome = serializers.ChoiceField(
        choices=[("won", _("Won")), ("lost", _("Lost"))],
        required=False,
        allow_null=True,
        help_text=_("Required at the last stage of a typical sale: is the deal won or lost?"),
    )
    lost_reason = PrimaryKeyField(
        queryset=LostReason.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Required when the outcome is lost."),
    )
    competitor = PrimaryKeyField(
        queryset=Partner.objects.filter(is_competitor=True), required=False, allow_null=True
    )


def _action_schema(summary: str, request) -> dict:
    return {"summary": summary, "request": request, "responses": {200: TaskSerializer, 400: REFUSED}}


class TaskViewSet(HistoryMixin, ServiceViewSet):
    """Tasks the caller is assigned or set (a head: the team's; an administrator: all).

    Filter by ``status`` (``open`` for new and in progress), ``priority``, ``assignee``, ``due`` (overdue,
    today, week, later), ``due_from``/``due_to``, ``subject_type``, ``process``; ``ordering`` by due time.
    """

    queryset = Task.objects.none()
    serializer_class = TaskSerializer
    permission_resource = "task"
    action_rights = {"start": CHANGE, "complete": CHANGE, "cancel": CHANGE, "reopen": CHANGE}
    filterset_class = TaskFilter
    search_fields = ["title", "description"]
    ordering_fields = ["due_at", "priority", "created_at", "id"]

    def select(self, *, user):
        return selectors.task_list(user=user)

    def handle_exception(self, exc):
        if isinstance(exc, DealVersionConflict):
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)

    def create_record(self, *, actor, data):
        return services.task_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.task_update(actor=actor, task=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.task_delete(actor=actor, task=instance)

    def _given(self, serializer_class) -> dict:
        given = serializer_class(data=self.request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        return dict(given.validated_data)

    def _answer(self, task) -> Response:
        return Response(TaskSerializer(self.reread(task), context=self.get_serializer_context()).data)

    @extend_schema(**_action_schema("Start the task", None))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def start(self, request: Request, pk=None) -> Response:
        return self._answer(services.task_start(actor=request.user, task=self.get_object()))

    @extend_schema(
        summary="Complete the task (moves a typical sale's deal on)",
        request=TaskCompleteSerializer,
        responses={200: TaskSerializer, 400: REFUSED, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def complete(self, request: Request, pk=None) -> Response:
        task = self.get_object()
        given = self._given(TaskCompleteSerializer)
        return self._answer(
            services.task_complete(
                actor=request.user,
                task=task,
                result=given.get("result", ""),
                outcome=given.get("outcome"),
                lost_reason=given.get("lost_reason"),
                competitor=given.get("competitor"),
            )
        )

    @extend_schema(**_action_schema("Cancel the task", TaskResultSerializer))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def cancel(self, request: Request, pk=None) -> Response:
        task = self.get_object()
        given = self._given(TaskResultSerializer)
        return self._answer(
            services.task_cancel(actor=request.user, task=task, result=given.get("result", ""))
        )

    @extend_schema(**_action_schema("Reopen the task (back in progress)", None))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reopen(self, request: Request, pk=None) -> Response:
        return self._answer(services.task_reopen(actor=request.user, task=self.get_object()))
