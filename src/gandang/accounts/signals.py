"""Sign-in bookkeeping: when a session began (for the absolute session limit), and the account's
state made now rather than on the session's first page (which then costs what every page costs)."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SESSION_STARTED = "gandang_session_started"
SESSION_SEEN = "gandang_session_seen"


@receiver(user_logged_in, dispatch_uid="gandang-session-started")
def _session_started(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now
    from gandang.accounts.policy import state_for

    state_for(user)
