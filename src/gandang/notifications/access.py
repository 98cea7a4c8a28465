from django.shortcuts import get_object_or_404

from gandang.notifications.models import Notification
from gandang.org.models import User


def get_notification_for_user(user: User, pk: int) -> Notification:
    """The user's own notice `pk`; somebody else's is a 404, the same as a missing one."""
    return get_object_or_404(Notification, pk=pk, user=user)
