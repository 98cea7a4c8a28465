from django.db.models import QuerySet

from gandang.notifications.models import Notification
from gandang.org.models import User


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's own notices, newest first: the only notices anyone ever sees."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
