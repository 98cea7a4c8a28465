from functools import cache

from gandang.notifications.selectors import unread_count


def unread(request):
    """The bell's unread count, counted (one query) only when a page actually shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Templates call callables, so pages without the bell (htmx fragments) cost no query.
    return {"unread_count": cache(lambda: unread_count(user))}
