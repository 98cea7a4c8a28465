"""Events recorded from signals: sign-in, sign-out, failures, lockouts, configuration, passwords.

- django.contrib.auth's user_logged_in / user_login_failed / user_logged_out;
- django-axes' user_locked_out (the account locked after too many failures);
- django.contrib.admin's LogEntry, written on every change made in /manage/ (配置管理: units, people,
  roles, document settings and templates, assessment schemes…);
- a password set on an existing account (set_password, then save): 修改密码 when its owner did it,
  重置密码 when someone else did (an administrator, or a console command).
Unlocks and second-factor changes are recorded by the code that makes them (record_event).
"""

from __future__ import annotations

import json

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save

from gandang.security import context
from gandang.security.services import Kind, Outcome, record_event

ADMIN_ACTIONS = {ADDITION: "addition", CHANGE: "change", DELETION: "deletion"}


def _account(username: object):
    """The account a typed username names, if any (for a failure or a lockout)."""
    if not isinstance(username, str) or not username:
        return None
    User = get_user_model()
    try:
        return User._default_manager.get_by_natural_key(username)
    except (User.DoesNotExist, User.MultipleObjectsReturned, ValueError):
        return None


def _logged_in(sender, request, user, **kwargs) -> None:
    record_event(kind=Kind.LOGIN, request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    typed = credentials.get("username", "")
    record_event(
        kind=Kind.LOGIN_FAILED,
        outcome=Outcome.FAILURE,
        request=request,
        user=_account(typed),
        username=typed if isinstance(typed, str) else "",
    )


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_event(kind=Kind.LOGOUT, request=request, user=user)


def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record_event(
        kind=Kind.LOCKOUT,
        outcome=Outcome.DENIED,
        request=request,
        user=_account(username),
        username=username or "",
        detail={"ip_address": ip_address or ""},
    )


def _admin_change(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created:
        return
    try:
        message = json.loads(instance.change_message or "[]")
    except ValueError:
        message = instance.change_message
    ct = ContentType.objects.get_for_id(instance.content_type_id) if instance.content_type_id else None
    model = f"{ct.app_label}.{ct.model}" if ct else ""
    record_event(
        kind=Kind.CONFIG_CHANGE,
        user=instance.user,
        object_text=f"{model}#{instance.object_id} {instance.object_repr}",
        detail={"action": ADMIN_ACTIONS.get(instance.action_flag, ""), "change": message},
    )


def _password_set(sender, instance, created: bool, **kwargs) -> None:
    # AbstractBaseUser.set_password() keeps the new raw password in _password until save() has run
    # the validators' password_changed(); post_save comes before that, so here it tells "set now".
    if created or getattr(instance, "_password", None) is None:
        return
    request = context.current_request()
    actor = getattr(request, "user", None) if request is not None else None
    actor = actor if actor is not None and actor.is_authenticated else None
    by_self = actor is not None and actor.pk == instance.pk
    record_event(
        kind=Kind.PASSWORD_CHANGE if by_self else Kind.PASSWORD_RESET,
        request=request,
        user=actor,  # who set it: the person, an administrator, or nobody signed in (a console command)
        username=actor.get_username() if actor is not None else "",
        obj=instance,
        detail={"account": instance.get_username()},
    )


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="gandang_security_login")
    user_login_failed.connect(_login_failed, dispatch_uid="gandang_security_login_failed")
    user_logged_out.connect(_logged_out, dispatch_uid="gandang_security_logout")
    user_locked_out.connect(_locked_out, dispatch_uid="gandang_security_lockout")
    post_save.connect(_admin_change, sender=LogEntry, dispatch_uid="gandang_security_admin_change")
    post_save.connect(_password_set, sender=get_user_model(), dispatch_uid="gandang_security_password")
