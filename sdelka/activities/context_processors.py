"""The number beside "Tasks" in the navigation: the user's own open tasks that are overdue or due today."""

from sdelka.activities.selectors.tasks import urgent_task_count


def task_counts(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    # Lazy: pages that do not show the navigation (fragments, files) cost no query.
    return {"urgent_task_count": lambda: urgent_task_count(user=user)}
