from rest_framework.routers import SimpleRouter

from sdelka.activities.api.mailing_rules import MailingRuleViewSet
from sdelka.activities.api.notifications import NotificationViewSet
from sdelka.activities.api.reminders import ReminderViewSet
from sdelka.activities.api.tasks import TaskViewSet

router = SimpleRouter()
router.register("reminders", ReminderViewSet, basename="reminder")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("tasks", TaskViewSet, basename="tasks")
router.register("mailing-rules", MailingRuleViewSet, basename="mailing-rule")

urlpatterns = [*router.urls]
